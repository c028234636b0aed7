"""Notebook 07's figures and explorers: live training, loss curves, sampler, saliency, context.

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
from rnnlib.timing import best_time
from rnnlib.widgets import charlm

# -------------------------------------------------------------------- training display


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


def test_plot_loss_curves_draws_bits_and_the_baseline_fast():
    rng = np.random.default_rng(0)
    losses = {"LSTM": 3 + rng.random(1000), "RNN": 3.5 + rng.random(1000)}
    fig = widgets.plot_loss_curves(losses, baseline_bits=4.4, val_bits={"LSTM": 2.0})
    ax = fig.axes[0]
    raw = [line for line in ax.lines if line.get_alpha() == 0.25]
    assert len(raw) == 2
    assert np.allclose(raw[0].get_ydata(), losses["LSTM"] / np.log(2))
    assert any(np.allclose(line.get_ydata(), 4.4) for line in ax.lines)
    labels = ax.get_legend_handles_labels()[1]
    assert any("LSTM validation: 2.00" in lab for lab in labels)
    assert "unigram baseline: 4.40" in labels
    plt.close(fig)
    # 10x the target
    assert best_time(widgets.plot_loss_curves, losses, 4.4, smooth=25) < 2.0


def test_live_training_draws_a_png_of_the_curve():
    live = widgets.LiveTraining(3, "LSTM", display=False)
    live(0, 4.0, None)
    assert live._png().data[:8] == b"\x89PNG\r\n\x1a\n"


def test_smooth_is_a_trailing_mean():
    assert np.allclose(charlm._smooth([1, 3, 5, 7], 2), [1, 2, 4, 6])


# ------------------------------------------------------------------------- sampling


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


def test_saliency_html_is_rounded_escaped_and_checked():
    norms = np.array([0.0, 0.25, 1.0, 0.5])
    out = widgets.saliency_html("a<\nb)", norms, title="LSTM")
    assert out.count("<span") == 5 and "&lt;" in out and "\u21b5" in out
    colors = charlm._level_colors()
    assert f"background-color:{colors[0]}" in out and f"background-color:{colors[-1]}" in out
    assert out == widgets.saliency_html("a<\nb)", norms + 1e-12, title="LSTM")  # rounded
    with pytest.raises(ValueError, match="len\\(norms\\) \\+ 1"):
        widgets.saliency_html("ab", norms)


def test_saliency_comparison_and_explorer():
    models = {"RNN": _model("rnn"), "LSTM": _model("lstm")}
    text = TEXT[:80]
    out = widgets.saliency_comparison_html(models, VOCAB, text, 60, context=30)
    assert "RNN: p(" in out and "LSTM: p(" in out and "Position 60" in out
    w = widgets.saliency_explorer(models, VOCAB, text, t=60)
    assert isinstance(w, ipywidgets.interactive)
    slider = w.children[0]
    assert isinstance(slider, ipywidgets.IntSlider)
    assert (slider.value, slider.min, slider.max) == (60, 1, len(text) - 2)
    assert repr(w) == w._repr_mimebundle_()["text/plain"]
    assert repr(w).startswith("Interactive: position t. Run the notebook to move it; ")
    a = widgets.saliency_comparison_html(models, VOCAB, text, 40)
    assert a != widgets.saliency_comparison_html(models, VOCAB, text, 41)


def test_saliency_update_is_fast_at_the_shipped_size():
    V = 96
    vocab = CharVocab("".join(chr(32 + k) for k in range(V)))
    kw = dict(
        embedding=True,
        embed_size=32,
        task="many_to_many",
        loss="cross_entropy",
        seed=0,
        dtype=np.float32,
    )
    models = {
        "RNN": SequenceModel(V, 380, V, cell="rnn", **kw),
        "LSTM": SequenceModel(V, 192, V, cell="lstm", **kw),
    }
    text = "".join(vocab.chars[k % V] for k in range(130))
    assert (
        best_time(
            widgets.saliency_comparison_html, models, vocab, text, len(text) - 2, 120, repeat=5
        )
        < 2.0
    )  # 10x the target


def test_plot_saliency_by_lag_is_log_scale_with_one_line_per_model():
    rng = np.random.default_rng(1)
    profiles = {
        "RNN": lm.lag_profile(rng.random((5, 100))),
        "LSTM": lm.lag_profile(rng.random((5, 100))),
    }
    fig = widgets.plot_saliency_by_lag(profiles, max_lag=60)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    lines = [line for line in ax.lines if len(line.get_xdata()) == 61]
    assert len(lines) == 2
    assert np.allclose(lines[1].get_ydata(), profiles["LSTM"]["profile"][:61])
    plt.close(fig)
    assert best_time(widgets.plot_saliency_by_lag, profiles) < 2.0  # 10x the target


def test_plot_loss_curves_draws_every_named_baseline_in_its_own_style():
    losses = {"LSTM": [4.0, 3.0, 2.0]}
    fig = widgets.plot_loss_curves(
        losses, {"unigram": 4.66, "trigram": 2.47, "5-gram": 1.90}, title="shipped"
    )
    ax = fig.axes[0]
    flat = [line for line in ax.lines if len(set(line.get_ydata())) == 1]
    assert [line.get_ydata()[0] for line in flat] == [4.66, 2.47, 1.90]
    assert len({str(line.get_linestyle()) for line in flat}) == 3
    assert "trigram baseline: 2.47" in ax.get_legend_handles_labels()[1]
    assert ax.get_title() == "shipped"
    plt.close(fig)


# ------------------------------------------------------------------------- context


def test_plot_context_bits_log2_axis_models_and_ngrams():
    ks = [4, 16, 64, 256]
    bits = {"LSTM": [2.5, 1.9, 1.85, 1.84], "RNN": [2.4, 1.9, 1.9, 1.9]}
    fig = widgets.plot_context_bits(
        ks, bits, full_bits={"LSTM": 1.83}, ngram_bits={2: 3.3, 3: 2.5, 5: 1.9}
    )
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    curves = [line for line in ax.lines if list(line.get_xdata()) == ks]
    assert len(curves) == 2 and list(curves[0].get_ydata()) == [2.5, 1.9, 1.85, 1.84]
    grams = [line for line in ax.lines if list(line.get_xdata()) == [1, 2, 4]]
    assert len(grams) == 1 and list(grams[0].get_ydata()) == [3.3, 2.5, 1.9]
    labels = ax.get_legend_handles_labels()[1]
    assert "LSTM, whole past: 1.83" in labels
    plt.close(fig)


def test_plot_context_bits_zooms_on_the_cost_of_the_cut():
    ks = [4, 16, 64]
    fig = widgets.plot_context_bits(ks, {"RNN": [2.0, 1.6, 1.59]}, full_bits={"RNN": 1.59})
    assert len(fig.axes) == 2
    zoom = fig.axes[1]
    lost = [line for line in zoom.lines if list(line.get_xdata()) == [16, 64]]
    assert len(lost) == 1 and np.allclose(lost[0].get_ydata(), [0.01, 0.0])
    plt.close(fig)
    one = widgets.plot_context_bits(ks, {"RNN": [2.0, 1.6, 1.59]})  # no reference: one panel
    assert len(one.axes) == 1
    plt.close(one)
