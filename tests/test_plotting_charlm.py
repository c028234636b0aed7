"""rnnlib.plotting.charlm: notebook 07's figures draw what they are given, fast.

The numbers they draw are computed and tested in rnnlib.lm (tests/test_lm.py). The
time guards are 10x the 0.2 s target, so a busy machine cannot trip them; the speed
itself is measured in benchmarks/.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest

# The same small text, vocabulary and model as the computations of tests/test_lm.py.
from rnnlib import lm
from rnnlib.data import CharVocab
from rnnlib.models import SequenceModel

# -------------------------------------------------------------------- training display
from rnnlib.plotting.charlm import (
    _level_colors,
    _smooth,
    plot_checkpoints,
    plot_context_bits,
    plot_loss_curves,
    plot_saliency_by_lag,
    saliency_comparison_html,
    saliency_html,
)
from rnnlib.timing import best_time


def test_plot_loss_curves_draws_bits_and_the_baseline_fast():
    rng = np.random.default_rng(0)
    losses = {"LSTM": 3 + rng.random(1000), "RNN": 3.5 + rng.random(1000)}
    fig = plot_loss_curves(losses, baseline_bits=4.4, val_bits={"LSTM": 2.0})
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
    assert best_time(plot_loss_curves, losses, 4.4, smooth=25) < 2.0


def test_smooth_is_a_trailing_mean():
    assert np.allclose(_smooth([1, 3, 5, 7], 2), [1, 2, 4, 6])


# ------------------------------------------------------------------------- sampling


def test_saliency_html_is_rounded_escaped_and_checked():
    norms = np.array([0.0, 0.25, 1.0, 0.5])
    out = saliency_html("a<\nb)", norms, title="LSTM")
    assert out.count("<span") == 5 and "&lt;" in out and "\u21b5" in out
    colors = _level_colors()
    assert f"background-color:{colors[0]}" in out and f"background-color:{colors[-1]}" in out
    assert out == saliency_html("a<\nb)", norms + 1e-12, title="LSTM")  # rounded
    with pytest.raises(ValueError, match="len\\(norms\\) \\+ 1"):
        saliency_html("ab", norms)


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
        best_time(saliency_comparison_html, models, vocab, text, len(text) - 2, 120, repeat=5) < 2.0
    )  # 10x the target


def test_plot_saliency_by_lag_is_log_scale_with_one_line_per_model():
    rng = np.random.default_rng(1)
    profiles = {
        "RNN": lm.lag_profile(rng.random((5, 100))),
        "LSTM": lm.lag_profile(rng.random((5, 100))),
    }
    fig = plot_saliency_by_lag(profiles, max_lag=60)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    lines = [line for line in ax.lines if len(line.get_xdata()) == 61]
    assert len(lines) == 2
    assert np.allclose(lines[1].get_ydata(), profiles["LSTM"]["profile"][:61])
    plt.close(fig)
    assert best_time(plot_saliency_by_lag, profiles) < 2.0  # 10x the target


def test_plot_loss_curves_draws_every_named_baseline_in_its_own_style():
    losses = {"LSTM": [4.0, 3.0, 2.0]}
    fig = plot_loss_curves(
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
    fig = plot_context_bits(ks, bits, full_bits={"LSTM": 1.83}, ngram_bits={2: 3.3, 3: 2.5, 5: 1.9})
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
    fig = plot_context_bits(ks, {"RNN": [2.0, 1.6, 1.59]}, full_bits={"RNN": 1.59})
    assert len(fig.axes) == 2
    zoom = fig.axes[1]
    lost = [line for line in zoom.lines if list(line.get_xdata()) == [16, 64]]
    assert len(lost) == 1 and np.allclose(lost[0].get_ydata(), [0.01, 0.0])
    plt.close(fig)
    one = plot_context_bits(ks, {"RNN": [2.0, 1.6, 1.59]})  # no reference: one panel
    assert len(one.axes) == 1
    plt.close(one)


def test_plot_checkpoints_draws_one_line_per_model():
    runs = {
        "LSTM": [
            dict(step=0, val_nats=4.5),
            dict(step=10, val_nats=1.2),
            dict(step=20, val_nats=1.1),
        ],
        "RNN": [
            dict(step=0, val_nats=4.5),
            dict(step=10, val_nats=1.3),
            dict(step=20, val_nats=1.25),
        ],
    }
    fig = plot_checkpoints(runs, baseline_bits={"unigram": 4.7, "5-gram": 1.9})
    ax = fig.axes[0]
    assert len(ax.lines) == 3  # two models (step 0 left out), the 5-gram (not the unigram)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.array([1.2, 1.1]) / np.log(2))
    assert ax.get_xlabel() == "training step"
    plt.close(fig)


# ------------------------------------------------------------------ text descriptions


def test_descriptions_state_each_figure_in_numbers():
    from rnnlib.plotting import description, fmt

    losses = {"LSTM": np.array([4.0, 3.0, 2.0]) * np.log(2)}
    text = description(
        plot_loss_curves(losses, {"unigram": 4.66}, val_bits={"LSTM": 2.1}, smooth=1)
    )
    assert "LSTM from 4 to 2 bits over 3 steps (validation 2.1)" in text
    assert "Baselines: unigram 4.7" in text
    runs = {"RNN": [dict(step=0, val_nats=4.5), dict(step=10, val_nats=1.3 * np.log(2))]}
    text = description(plot_checkpoints(runs, baseline_bits={"5-gram": 1.9}))
    assert "RNN from 1.3 at step 10 to 1.3 at step 10" in text and "5-gram 1.9" in text
    profile = {"profile": np.array([0.5, 0.3, 0.2]), "far_share": 0.25, "tail_share": 0.01}
    text = description(plot_saliency_by_lag({"LSTM": profile}))
    assert "LSTM 0.5 at lag 0 and 0.2 at lag 2, 25% of the mass beyond lag" in text
    ks = [4, 16, 64]
    text = description(
        plot_context_bits(ks, {"RNN": [2.0, 1.6, 1.59]}, {"RNN": 1.5}, ngram_bits={3: 2.5})
    )
    assert "RNN from 2 at k = 4 to 1.6 at k = 64 (whole past 1.5); n-grams: 3-gram 2.5" in text
    assert f"RNN {fmt(0.1)} at k = 16, {fmt(1.59 - 1.5)} at k = 64" in text
    plt.close("all")
