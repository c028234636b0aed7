"""rnnlib.plotting.vanishing: notebook 04's figures draw what they are given, fast."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib.plotting.vanishing import (
    EXPLORER_DEFAULTS,
    _running_mean,
    plot_clipping_2d,
    plot_clipping_runs,
    plot_gradient_explorer,
    plot_init_comparison,
    plot_lag_experiment,
    plot_norm_curves,
)
from rnnlib.timing import best_time

LARGEST = dict(radius=4.0, T=200, input_scale=3.0, kind="gaussian", H=64, seed=9)


def _has_hline(ax, y):
    return any(len(ln.get_ydata()) == 2 and np.allclose(ln.get_ydata(), [y, y]) for ln in ax.lines)


def _lines_data(fig):
    return [np.asarray(line.get_ydata(), dtype=float) for ax in fig.axes for line in ax.lines]


# ------------------------------------------------------------------ explorer plot and widget


def test_relu_without_input_says_exactly_zero():
    fig = plot_gradient_explorer(activation="relu", input_scale=0.0, H=8, T=20)
    assert "exactly 0" in fig.axes[0].get_title()
    plt.close(fig)


def test_plot_states_the_regime_and_what_was_observed():
    fig = plot_gradient_explorer(**EXPLORER_DEFAULTS)
    title = fig.axes[0].get_title()
    plt.close(fig)
    assert "cannot explode" in title and "observed: vanishes" in title
    fig = plot_gradient_explorer(
        radius=3.0, activation="tanh", input_scale=0.5, kind="orthogonal", H=32, T=100
    )
    title = fig.axes[0].get_title()
    plt.close(fig)
    assert "exploding possible" in title and "observed: explodes" in title


def test_moving_each_control_changes_the_plot():
    base = EXPLORER_DEFAULTS
    fig = plot_gradient_explorer(**base)
    a = _lines_data(fig)
    plt.close(fig)
    for change in (
        {"radius": 1.5},
        {"activation": "sigmoid"},
        {"T": 60},
        {"input_scale": 2.0},
        {"kind": "gaussian"},
        {"H": 16},
        {"seed": 1},
    ):
        fig = plot_gradient_explorer(**{**base, **change})
        b = _lines_data(fig)
        plt.close(fig)
        assert any(
            x.shape != y.shape or not np.allclose(x, y) for x, y in zip(a, b, strict=True)
        ), f"{change} did not change the plot"


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "linear", "relu"])
def test_explorer_is_fast_at_its_largest_settings(activation):
    # a guard that load cannot trip: 10x the 0.2 s target (benchmarks/ measures the speed)
    assert best_time(plot_gradient_explorer, activation=activation, **LARGEST) < 2.0


def test_plot_norm_curves_draws_each_curve_and_bound():
    curves = {"a": np.linspace(-5, 0, 10), "b": np.zeros(10)}
    fig = plot_norm_curves(curves, {"a": np.linspace(-2, 0, 10)})
    assert len(fig.axes[0].lines) == 3
    assert np.allclose(fig.axes[0].lines[0].get_ydata(), 10 ** curves["a"])
    plt.close(fig)


def test_plot_lag_experiment_shows_runs_and_mean():
    errors = np.array([[0.0, 0.1, 1.0], [0.02, 0.5, 0.9]])
    ratios = np.array([[0.5, 0.1, 1e-3], [0.4, 0.05, 1e-4]])
    fig = plot_lag_experiment([5, 10, 20], errors, ratios)
    ax_err, ax_grad = fig.axes
    mean_line = [ln for ln in ax_err.lines if ln.get_label().startswith("mean")][0]
    assert np.allclose(mean_line.get_ydata(), errors.mean(axis=0))
    assert ax_grad.get_yscale() == "log"
    plt.close(fig)


def test_plot_clipping_runs_uses_log_axes_and_the_threshold():
    runs = {
        "plain": {"loss": [1.0, 100.0, 0.5], "grad_norm": [2.0, 1e4, 1.0]},
        "clipped": {"loss": [1.0, 0.8, 0.5], "grad_norm": [2.0, 30.0, 1.0]},
    }
    fig = plot_clipping_runs(runs, 1.0)
    assert all(ax.get_yscale() == "log" for ax in fig.axes)
    assert _has_hline(fig.axes[1], 1.0)
    plt.close(fig)


def test_plot_clipping_runs_draws_every_run_the_baseline_and_counts_runaways():
    gone = {"loss": [1.0, 1e3, 1e40], "grad_norm": [2.0, 1e5, 1e30]}
    back = {"loss": [1.0, 50.0, 0.4], "grad_norm": [2.0, 1e4, 1.0]}
    calm = {"loss": [1.0, 0.8, 0.3], "grad_norm": [2.0, 30.0, 1.0]}
    fig = plot_clipping_runs(
        {"plain": [gone, back], "clipped": [calm, calm]}, 1.0, baseline=1 / 3, top=1e8
    )
    ax_loss, ax_norm = fig.axes
    assert len(ax_loss.lines) == 5 and len(ax_norm.lines) == 5  # 4 runs + baseline/threshold
    assert _has_hline(ax_loss, 1 / 3) and _has_hline(ax_norm, 1.0)
    assert ax_loss.get_ylim()[1] == pytest.approx(1e8)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == [
        "plain (2 runs), 1 off the top",
        "clipped (2 runs)",
        "baseline: learned nothing",
    ]
    plt.close(fig)


def test_plot_clipping_2d_labels_the_two_clipped_vectors():
    fig = plot_clipping_2d([3.0, 0.6], 1.0)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)
    assert "clipped by norm (0.98, 0.20)" in labels  # (3, 0.6) / ||(3, 0.6)||
    assert "clipped by value (1.00, 0.60)" in labels


def test_plot_init_comparison_smooths_and_marks_the_baseline():
    grads = {"small": np.linspace(-40, 0, 20), "orthogonal": np.linspace(-3, 0, 20)}
    losses = {"small": np.ones((2, 30)), "orthogonal": np.linspace(1, 0, 30)[None].repeat(2, 0)}
    fig = plot_init_comparison(grads, losses, baseline=1 / 3, smooth=5)
    ax_g, ax_l = fig.axes
    assert ax_g.get_yscale() == "log"
    assert _has_hline(ax_l, 1 / 3)
    plt.close(fig)


def test_running_mean():
    assert np.allclose(_running_mean([1, 2, 3, 4], 2), [1, 1.5, 2.5, 3.5])
    assert np.allclose(_running_mean([5, 5, 5], 1), [5, 5, 5])


def test_plot_lstm_paths_draws_both_curves_of_every_lstm_and_the_rnn():
    from rnnlib.gradient_flow import gradient_flow_curves
    from rnnlib.plotting.vanishing import plot_lstm_paths

    paths = {}
    for bias in (0.0, 2.0):
        d = gradient_flow_curves(forget_bias=bias, T=30, H=8, N=4)
        paths[f"b_f = {bias:g}"] = (d["lstm_dc"], d["lstm_dc_cell_path"])
    rnn = np.linspace(0.0, -10.0, 30)
    fig = plot_lstm_paths(paths, rnn=rnn, title="which path?")
    lines = fig.axes[0].lines
    assert len(lines) == 1 + 2 * len(paths)
    np.testing.assert_allclose(lines[0].get_ydata(), 10.0**rnn)
    np.testing.assert_allclose(lines[1].get_ydata(), 10.0 ** paths["b_f = 0"][0])
    np.testing.assert_allclose(lines[2].get_ydata(), 10.0 ** paths["b_f = 0"][1])
    assert lines[2].get_linestyle() == "--"
    assert fig.axes[0].get_yscale() == "log"
    plt.close(fig)


# ------------------------------------------------------------------ text descriptions


def _text(fig):
    from rnnlib.plotting import description

    text = description(fig)
    plt.close(fig)
    return text


def test_descriptions_state_each_figure_in_numbers():
    from rnnlib.plotting.vanishing import plot_lstm_paths

    text = _text(plot_gradient_explorer(radius=0.5, T=20, H=8))
    assert "t = 1 to 20 for a tanh RNN with 8 units and orthogonal W_h" in text
    assert "largest singular value 0.5" in text and "vanishing guaranteed" in text
    assert "goes from 1 at t = 20 to" in text and "gamma sigma_max = 0.5 (" in text
    text = _text(plot_norm_curves({"a": np.linspace(-5, 0, 10)}, {"a": np.linspace(-2, 0, 10)}))
    assert "for 1 case: a: 1 at t = 10, 1e-5 at t = 1 (bound 0.01)" in text
    errors = np.array([[0.0, 0.1, 1.0], [0.02, 0.5, 0.9]])
    ratios = np.array([[0.5, 0.1, 1e-3], [0.4, 0.05, 1e-4]])
    text = _text(plot_lag_experiment([5, 10, 20], errors, ratios))
    assert "2 runs per lag" in text and "T = 5: 0.01, T = 10: 0.3, T = 20: 0.95" in text
    assert "T = 20: 0.00032" in text  # the geometric mean of 1e-3 and 1e-4
    gone = {"loss": [1.0, 1e3, 1e40], "grad_norm": [2.0, 1e5, 1e30]}
    calm = {"loss": [1.0, 0.8, 0.3], "grad_norm": [2.0, 30.0, 1.0]}
    text = _text(plot_clipping_runs({"plain": [gone, calm], "clipped": calm}, 1.0, baseline=0.5))
    assert "threshold 1" in text and "plain (2 runs): final loss median 5e39" in text
    assert "largest gradient norm 1e30, 1 off the top of the axis" in text
    assert "clipped (1 run): final loss 0.3, largest gradient norm 30" in text
    assert "learned nothing has loss 0.5" in text
    text = _text(plot_clipping_2d([3.0, 0.6], 1.0))
    assert "g = (3, 0.6), norm 3.1" in text and "by norm it becomes (0.98, 0.2)" in text
    assert "by value (1, 0.6)" in text and "turned by 20 degrees" in text
    grads = {"small": np.linspace(-40, 0, 20), "orthogonal": np.linspace(-3, 0, 20)}
    losses = {"small": np.ones((2, 30)), "orthogonal": np.linspace(1, 0, 30)[None].repeat(2, 0)}
    text = _text(plot_init_comparison(grads, losses, baseline=1 / 3, smooth=5))
    assert "small: 1e-40 at t = 1; orthogonal: 0.001 at t = 1" in text
    assert "small: from 1 to 1; orthogonal: from 1 to 0.069" in text
    paths = {"b_f = 1": (np.linspace(0, -2, 5), np.linspace(0, -4, 5))}
    text = _text(plot_lstm_paths(paths, rnn=np.linspace(0, -9, 5)))
    assert "b_f = 1: 0.01 along all paths and 0.0001 along the cell state alone at lag 4" in text
    assert "tanh RNN: 1e-9 at lag 4" in text


def test_explorer_y_range_moves_in_steps_of_five_decades_and_holds_the_mean():
    from rnnlib.gradient_flow import gradient_vs_bound

    for radius in (0.5, 0.9, 1.0, 1.05, 2.0, 4.0):
        kw = dict(EXPLORER_DEFAULTS, radius=radius)
        fig = plot_gradient_explorer(**kw)
        lo, hi = np.log10(fig.axes[0].get_ylim())
        mean = gradient_vs_bound(**kw).log_mean
        assert lo <= min(-3, mean.min() - 1) and hi >= max(3, mean.max() + 1)
        for end in (lo, hi):  # 1e-3 or 1e3, else a multiple of 5 decades
            assert round(abs(end)) == 3 or round(end) % 5 == 0
        assert lo > mean.min() - 6 and hi < max(3, mean.max() + 1) + 5  # no wider than needed
        plt.close(fig)
