"""Notebook 07's helpers: data split, evaluation, weights, live display, sampler, saliency."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib import gradcheck, widgets
from rnnlib.data import CharVocab, text_batches
from rnnlib.models import SequenceModel
from rnnlib.widgets import charlm

TEXT = ("The quick brown fox (who was not quick) jumps over the lazy dog.\n"
        "    def f(x):\n        return [x, x + 1]\n") * 6
VOCAB = CharVocab(TEXT)


def _model(cell="lstm", H=8, dtype=np.float64, seed=0, V=None):
    V = V or VOCAB.size
    return SequenceModel(V, H, V, cell=cell, embedding=True, embed_size=5,
                         task="many_to_many", loss="cross_entropy", seed=seed, dtype=dtype)


# --------------------------------------------------------------------- data and weights


def test_train_val_split_is_a_contiguous_cut():
    ids = np.arange(1000)
    train, val = widgets.train_val_split(ids)
    assert len(train) == 900 and len(val) == 100
    assert np.array_equal(np.concatenate([train, val]), ids)
    with pytest.raises(ValueError, match="val_fraction"):
        widgets.train_val_split(ids, 1.5)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_evaluate_is_the_loss_of_one_long_stateful_read(cell):
    model = _model(cell)
    ids = VOCAB.encode(TEXT)
    one_window = widgets.evaluate(model, ids, batch_size=2, seq_len=10_000)
    many_windows = widgets.evaluate(model, ids, batch_size=2, seq_len=7)  # state carried
    assert abs(one_window - many_windows) < 1e-10
    n = (len(ids) - 1) // 2
    x, y = ids[: 2 * n].reshape(2, n), ids[1 : 2 * n + 1].reshape(2, n)
    assert abs(one_window - model.loss(x, y)[0]) < 1e-10
    # without the carried state the later windows would start blind: a different number
    fresh = np.mean([model.loss(xb, yb)[0] for xb, yb in text_batches(ids, 2, 7)])
    assert abs(fresh - many_windows) > 1e-4


def test_save_and_load_round_trip(tmp_path):
    model = _model("rnn", dtype=np.float32)
    path = tmp_path / "m.npz"
    widgets.save_charlm(path, model, VOCAB, {"steps": 3, "loss": [4.0, 3.5]})
    loaded, vocab, info = widgets.load_charlm(path)
    assert vocab.chars == VOCAB.chars and info == {"steps": 3, "loss": [4.0, 3.5]}
    for k, p in model.params.items():
        assert np.array_equal(loaded.params[k], p)
    assert SequenceModel.load(path).config == model.config  # readable by the core loader


def test_load_rejects_a_vocabulary_of_the_wrong_size(tmp_path):
    path = tmp_path / "m.npz"
    widgets.save_charlm(path, _model(V=VOCAB.size + 1), VOCAB)
    with pytest.raises(ValueError, match="characters but a model"):
        widgets.load_charlm(path)


# -------------------------------------------------------------------- training display


def test_live_training_records_every_step_and_never_stops_training():
    model = _model()
    live = widgets.LiveTraining(6, "LSTM", display=False)
    from rnnlib.optim import Adam

    hist = model.train(text_batches(VOCAB.encode(TEXT), 2, 10), Adam(1e-2), steps=6,
                       callback=live, carry_state=True)
    assert live.losses == pytest.approx(hist["loss"]) and len(live.losses) == 6
    live.close()
    assert "step 6/6" in live.summary


def test_live_training_outside_a_kernel_does_not_fail(capsys):
    live = widgets.LiveTraining(4, "RNN", every=2, baseline_bits=4.0, chars_per_step=10)
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
    plt.close(fig)
    assert widgets.time_call(widgets.plot_loss_curves, losses, 4.4, smooth=25) < 0.2


def test_live_training_draws_a_png_of_the_curve():
    live = widgets.LiveTraining(3, "LSTM", display=False)
    live(0, 4.0, None)
    assert live._png().data[:8] == b"\x89PNG\r\n\x1a\n"


def test_smooth_is_a_trailing_mean():
    assert np.allclose(charlm._smooth([1, 3, 5, 7], 2), [1, 2, 4, 6])


# ------------------------------------------------------------------------- sampling


def test_sample_text_same_seed_same_text_and_length():
    model = _model()
    a = widgets.sample_text(model, VOCAB, "The ", n=40, temperature=1.0, seed=3)
    b = widgets.sample_text(model, VOCAB, "The ", n=40, temperature=1.0, seed=3)
    c = widgets.sample_text(model, VOCAB, "The ", n=40, temperature=1.0, seed=4)
    assert a == b and len(a) == 40 and a != c


def test_low_temperature_samples_the_likeliest_character():
    model = _model()
    logits, _ = model.forward(VOCAB.encode("The ")[None])
    best = VOCAB.chars[int(np.argmax(logits[0, -1]))]
    # untrained logits differ by ~0.01: a tiny temperature still separates them
    firsts = {widgets.sample_text(model, VOCAB, "The ", 1, 1e-6, seed=s) for s in range(10)}
    assert firsts == {best}


def test_repetition_and_real_words():
    assert widgets.repetition("abcabcabcabc", n=3) == 1.0
    assert widgets.repetition("abcdefghij", n=3) == 0.0
    assert widgets.repetition("ab", n=3) == 0.0
    known = {"the", "dog", "cat", "xq"}
    assert widgets.real_word_fraction("The dog, the cat; xqz!", known) == 0.8
    assert widgets.real_word_fraction("The dog, the cat; xq!", known, min_len=2) == 1.0
    assert widgets.real_word_fraction("123 ... a b", {"the"}) == 0.0


def test_sampler_controls_and_output(capsys):
    model = _model()
    w = widgets.sampler(model, VOCAB, prompt="The ", temperature=0.5, n=30, seed=2)
    assert isinstance(w, ipywidgets.interactive)
    temperature, prompt, seed = w.children[:3]
    assert isinstance(temperature, ipywidgets.FloatLogSlider)
    assert isinstance(prompt, ipywidgets.Text) and prompt.value == "The "
    assert isinstance(seed, ipywidgets.IntSlider)
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
    model = SequenceModel(V, 192, V, cell="lstm", embedding=True, embed_size=32,
                          task="many_to_many", loss="cross_entropy", seed=0, dtype=np.float32)
    n = charlm.SAMPLER_CHARS  # what the widget writes per update
    # best of 5: on a machine shared with other jobs a single call can be descheduled
    assert widgets.time_call(charlm._sample_view, model, vocab, "The ", 3.0, 0, n, None,
                             repeat=5) < 0.2


# ------------------------------------------------------------------------- saliency


def test_saliency_matches_finite_differences():
    model = _model("lstm", H=6)
    ids = VOCAB.encode("The quick brown")  # 't' is read once at most before t = 8
    t = 8
    assert len(set(ids[: t + 1])) == t + 1  # each row of W_embed feeds exactly one input
    S = widgets.saliency(model, ids, t)
    assert S.shape == (t + 1,)

    def log_p():
        logits, _ = model.forward(ids[None, : t + 1])
        z = logits[0, -1] - logits[0, -1].max()
        return np.array(z[ids[t + 1]] - np.log(np.exp(z).sum()))

    W = model.params["W_embed"]
    for s in (0, 4, t):
        g = gradcheck.numerical_gradient(log_p, W, np.float64(1.0))[ids[s]]
        assert gradcheck.rel_error(np.linalg.norm(g), S[s]) < 1e-6


def test_saliency_windows_equals_one_window_at_a_time():
    model = _model("rnn")
    ids = VOCAB.encode(TEXT)
    windows = np.stack([ids[s : s + 12] for s in (0, 5, 30)])
    S = widgets.saliency_windows(model, windows)
    assert S.shape == (3, 11)
    for row, w in zip(S, windows, strict=True):
        assert np.allclose(row, widgets.saliency(model, w, 10))
    with pytest.raises(ValueError, match="must be in"):
        widgets.saliency(model, ids[:5], 4)  # no character left to predict


def test_lag_profile_of_known_masses():
    norms = np.array([[1.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3.0]])  # lags 13 and 0
    prof = widgets.lag_profile(norms, near=10, far=12)
    assert prof["profile"][0] == 0.75 and prof["profile"][13] == 0.25
    assert prof["mean_lag"] == pytest.approx(13 * 0.25)
    assert prof["far_share"] == pytest.approx(0.25) and prof["tail_share"] == pytest.approx(0.25)
    assert widgets.lag_profile(norms, near=10, far=13)["tail_share"] == 0
    both = widgets.lag_profile(np.array([[0, 1.0], [10.0, 0]]), near=0)  # rows count equally
    assert both["far_share"] == pytest.approx(0.5)


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
    a = widgets.saliency_comparison_html(models, VOCAB, text, 40)
    assert a != widgets.saliency_comparison_html(models, VOCAB, text, 41)


def test_saliency_update_is_fast_at_the_shipped_size():
    V = 96
    vocab = CharVocab("".join(chr(32 + k) for k in range(V)))
    kw = dict(embedding=True, embed_size=32, task="many_to_many", loss="cross_entropy",
              seed=0, dtype=np.float32)
    models = {"RNN": SequenceModel(V, 380, V, cell="rnn", **kw),
              "LSTM": SequenceModel(V, 192, V, cell="lstm", **kw)}
    text = "".join(vocab.chars[k % V] for k in range(130))
    assert widgets.time_call(widgets.saliency_comparison_html, models, vocab, text,
                             len(text) - 2, 120, repeat=5) < 0.2


def test_plot_saliency_by_lag_is_log_scale_with_one_line_per_model():
    rng = np.random.default_rng(1)
    profiles = {"RNN": widgets.lag_profile(rng.random((5, 100))),
                "LSTM": widgets.lag_profile(rng.random((5, 100)))}
    fig = widgets.plot_saliency_by_lag(profiles, max_lag=60)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    lines = [line for line in ax.lines if len(line.get_xdata()) == 61]
    assert len(lines) == 2
    assert np.allclose(lines[1].get_ydata(), profiles["LSTM"]["profile"][:61])
    plt.close(fig)
    assert widgets.time_call(widgets.plot_saliency_by_lag, profiles) < 0.2


# ----------------------------------------------------------------------- throughput


def test_throughput_is_a_positive_rate():
    ids = VOCAB.encode(TEXT)
    cps = widgets.throughput("rnn", 8, VOCAB.size, ids, batch_size=2, seq_len=5, steps=2)
    assert np.isfinite(cps) and cps > 0
    cps = widgets.min_char_rnn_throughput(ids, VOCAB.size, hidden_size=8, seq_len=5, steps=30)
    assert np.isfinite(cps) and cps > 0  # 30 windows of 5 wrap around the 1,000-char text
