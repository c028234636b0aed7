"""rnnlib.widgets.charlm: notebook 07's explorers build controls that redraw.

The numbers they draw are computed and tested in rnnlib.lm (tests/test_lm.py). The
time guards are 10x the 0.2 s target, so a busy machine cannot trip them; the speed
itself is measured in benchmarks/.
"""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

# The same small text, vocabulary and model as the computations of tests/test_lm.py.
from test_lm import TEXT, VOCAB, _model

from rnnlib import lm, widgets
from rnnlib.data import CharVocab, text_batches
from rnnlib.models import SequenceModel

# -------------------------------------------------------------------- training display
from rnnlib.plotting.charlm import saliency_comparison_html
from rnnlib.timing import best_time
from rnnlib.widgets import charlm


def test_live_training_records_every_step_and_never_stops_training():
    model = _model()
    live = widgets.LiveTraining(6, "LSTM", display=False)
    from rnnlib.optim import Adam

    hist = model.train(
        text_batches(VOCAB.encode(TEXT), 2, 10),
        Adam(1e-2),
        steps=6,
        callback=live,
        carry_state=True,
    )
    assert live.losses == pytest.approx(hist["loss"]) and len(live.losses) == 6
    live.close()
    assert "step 6/6" in live.summary


def test_live_training_outside_a_kernel_does_not_fail(capsys):
    live = widgets.LiveTraining(4, "RNN", every=2, baseline_bits=4.0, chars_per_step=10)
    assert repr(live._bar) == "Training progress of the RNN; a summary line replaces it when done."
    for step in range(4):
        live(step, 3.0 - 0.1 * step, None)
    live.close()
    assert "step 4/4" in live.summary
    plt.close("all")


def test_live_training_draws_a_png_of_the_curve():
    live = widgets.LiveTraining(3, "LSTM", display=False)
    live(0, 4.0, None)
    assert live._png().data[:8] == b"\x89PNG\r\n\x1a\n"
    # the image carries the curve's text description as its alt text
    _, metadata = live._png()._repr_png_()
    assert metadata["alt"].startswith("Line plot of the training loss")


def test_sampler_controls_and_output(capsys):
    model = _model()
    w = widgets.sampler(model, VOCAB, prompt="The ", temperature=0.5, n=30, seed=2)
    assert isinstance(w, ipywidgets.interactive)
    temperature, prompt, seed = w.children[:3]
    assert isinstance(temperature, ipywidgets.FloatLogSlider)
    assert isinstance(prompt, ipywidgets.Text) and prompt.value == "The "
    assert isinstance(seed, ipywidgets.IntSlider)
    assert (
        repr(w)
        == w._repr_mimebundle_()["text/plain"]
        == (
            "Interactive: temperature, prompt, seed. Run the notebook to move them; "
            "each update writes a new sample of the model's text."
        )
    )
    assert temperature.min == -1 and abs(10**temperature.max - 3) < 1e-9
    views = []
    for tau in (0.5, 2.0):
        charlm._sample_view(model, VOCAB, "The ", tau, 2, 30, {"the"})
        views.append(capsys.readouterr().out)
    assert "temperature 0.50" in views[0] and "temperature 2.00" in views[1]
    assert "real words" in views[0]
    charlm._sample_view(model, VOCAB, "The \u00e9", 1.0, 0, 30, None)
    assert "not in it" in capsys.readouterr().out  # a character outside the corpus


def test_sampler_shows_the_text_the_notebook_cells_sample(capsys):
    # the widget and the notebook's cells both call lm.sample_text, which writes what
    # model.sample writes (tests/test_lm.py): moving the sliders shows exactly it
    model = _model()
    w = widgets.sampler(model, VOCAB, prompt="The ", temperature=0.5, n=30, seed=2)
    temperature, _, seed = w.children[:3]
    capsys.readouterr()
    temperature.value, seed.value = 2.0, 5
    out = capsys.readouterr().out
    text = lm.sample_text(model, VOCAB, "The ", 30, 2.0, 5)
    assert "temperature 2.00, seed 5" in out and out.endswith("The " + text + "\n")
    ids = model.sample(VOCAB.encode("The "), 30, np.random.default_rng(5), 2.0)
    assert text == VOCAB.decode(ids)


def test_sampler_update_is_fast_at_the_shipped_size():
    V = 96
    vocab = CharVocab("".join(chr(32 + k) for k in range(V)))
    model = SequenceModel(
        V,
        192,
        V,
        cell="lstm",
        embedding=True,
        embed_size=32,
        task="many_to_many",
        loss="cross_entropy",
        seed=0,
        dtype=np.float32,
    )
    n = charlm.SAMPLER_CHARS  # what the widget writes per update
    # best of 5: on a machine shared with other jobs a single call can be descheduled
    assert (
        best_time(charlm._sample_view, model, vocab, "The ", 3.0, 0, n, None, repeat=5) < 2.0
    )  # 10x the target


# ------------------------------------------------------------------------- saliency


def test_saliency_comparison_and_explorer():
    models = {"RNN": _model("rnn"), "LSTM": _model("lstm")}
    text = TEXT[:80]
    out = saliency_comparison_html(models, VOCAB, text, 60, context=30)
    assert "RNN: p(" in out and "LSTM: p(" in out and "Position 60" in out
    w = widgets.saliency_explorer(models, VOCAB, text, t=60)
    assert isinstance(w, ipywidgets.interactive)
    slider = w.children[0]
    assert isinstance(slider, ipywidgets.IntSlider)
    assert (slider.value, slider.min, slider.max) == (60, 1, len(text) - 2)
    assert repr(w) == w._repr_mimebundle_()["text/plain"]
    assert repr(w).startswith("Interactive: position t. Run the notebook to move it; ")
    a = saliency_comparison_html(models, VOCAB, text, 40)
    assert a != saliency_comparison_html(models, VOCAB, text, 41)


def test_saliency_explorer_shows_what_the_static_html_shows():
    models = {"RNN": _model("rnn"), "LSTM": _model("lstm")}
    text = TEXT[:80]
    w = widgets.saliency_explorer(models, VOCAB, text, t=60, context=30)
    slider = w.children[0]
    assert 60 in w.explained["LSTM"]._saliency  # the first view, when built
    for t in (20, 21, 1, 78):  # a move computes the position (and its neighbour) once
        slider.value = t
        assert t in w.explained["RNN"]._saliency and t in w.explained["LSTM"]._saliency
        assert w.html_at(t) == saliency_comparison_html(models, VOCAB, text, t, context=30)
    kept = w.explained["RNN"].saliency(21)
    slider.value = 21  # back to a position seen: nothing computed again
    assert w.explained["RNN"].saliency(21) is kept


def test_saliency_explorer_update_is_fast_at_the_shipped_size():
    V = 96
    vocab = CharVocab("".join(chr(32 + k) for k in range(V)))
    kw = dict(
        embedding=True,
        embed_size=32,
        task="many_to_many",
        loss="cross_entropy",
        seed=0,
        dtype=np.float32,
        num_layers=2,
    )
    models = {
        "RNN": SequenceModel(V, 510, V, cell="rnn", **kw),
        "LSTM": SequenceModel(V, 256, V, cell="lstm", **kw),
    }
    text = "".join(vocab.chars[(7 * k) % V] for k in range(380))  # notebook 07's length
    w = widgets.saliency_explorer(models, vocab, text, context=120)
    moves = iter(range(len(text) - 3, 0, -2))  # a new pair of positions every time

    def move():
        w.html_at(next(moves))

    assert best_time(move, repeat=5) < 1.0  # 10x the 0.1 s target
