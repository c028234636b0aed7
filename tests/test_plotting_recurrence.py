"""rnnlib.plotting.recurrence: notebook 01's figures draw what they are given, fast."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib.cells import rnn_step_forward
from rnnlib.plotting.recurrence import (
    _explorer_problem,
    plot_dWh_contributions,
    plot_hidden_heatmap,
    plot_hidden_state_step,
    plot_param_counts,
    plot_time_vs_length,
)
from rnnlib.timing import best_time


def _heatmap(fig):
    return np.asarray(fig.axes[1].images[0].get_array())


def test_explorer_problem_is_cached_and_read_only():
    a = _explorer_problem(40, 8, 0)
    assert a is _explorer_problem(40, 8, 0)
    x, Wx, Wh1, b = a
    assert x.shape == (1, 40, 1) and Wx.shape == (1, 8) and b.shape == (8,)
    assert np.max(np.abs(np.linalg.eigvals(Wh1))) == pytest.approx(1.0, rel=1e-12)
    with pytest.raises(ValueError):
        Wh1[0, 0] = 1.0


def test_step_plot_shows_the_states_up_to_t_and_the_terms_of_step_t():
    t, radius = 7, 0.9
    fig = plot_hidden_state_step(t=t, radius=radius)
    x, Wx, Wh1, b = _explorer_problem(40, 8, 0)
    h_prev = np.zeros((1, 8))
    for k in range(t):  # the cell applied step by step
        h_prev_before = h_prev
        h_prev, _ = rnn_step_forward(x[:, k], h_prev, Wx, radius * Wh1, b)
    shown = _heatmap(fig)  # (H, T), NaN after t
    assert np.allclose(shown[:, t - 1], h_prev[0])
    assert np.all(np.isnan(shown[:, t:])) and not np.any(np.isnan(shown[:, :t]))
    # the bars: x_t Wx, h_{t-1} Wh, b; the diamonds: h_t
    bars = fig.axes[2].collections
    heights = [np.array([seg[1, 1] for seg in c.get_segments()]) for c in bars]
    assert np.allclose(heights[0], x[0, t - 1] @ Wx)
    assert np.allclose(heights[1], h_prev_before[0] @ (radius * Wh1))
    assert np.allclose(fig.axes[2].lines[0].get_ydata(), h_prev[0])
    plt.close("all")


def test_moving_either_slider_changes_the_figure():
    base = _heatmap(plot_hidden_state_step(t=20, radius=0.9))
    later = _heatmap(plot_hidden_state_step(t=21, radius=0.9))
    other = _heatmap(plot_hidden_state_step(t=20, radius=0.3))
    assert np.isnan(base[:, 20]).all() and not np.isnan(later[:, 20]).any()
    assert not np.allclose(base[:, :20], other[:, :20])
    plt.close("all")


def test_zero_radius_means_no_memory():
    fig = plot_hidden_state_step(t=10, radius=0.0)
    assert np.all(fig.axes[2].collections[1].get_segments()[0][:, 1] == 0)
    plt.close("all")


def test_bad_step_is_refused():
    with pytest.raises(ValueError, match="t must be in"):
        plot_hidden_state_step(t=0)


@pytest.mark.parametrize("t, radius", [(40, 1.5), (1, 0.0)])
def test_step_plot_is_not_pathologically_slow_at_the_slider_ends(t, radius):
    # a guard 10x the 0.2 s target, which load cannot trip; speed is measured in benchmarks/
    plot_hidden_state_step(t=t, radius=radius)  # warm the cache
    plt.close("all")
    assert best_time(plot_hidden_state_step, t=t, radius=radius, repeat=2) < 2.0


def test_param_counts_on_a_log_axis_with_the_crossover_marked():
    fig = plot_param_counts([1, 2, 3, 4], [10, 20, 30, 40], 20)
    ax = fig.axes[0]
    mlp, rnn, meet = ax.lines[:3]
    assert mlp.get_ydata().tolist() == [10, 20, 30, 40] and rnn.get_ydata().tolist() == [20] * 4
    assert ax.get_yscale() == "log" and ax.get_xscale() == "log"
    assert meet.get_xdata().tolist() == [2] and meet.get_ydata().tolist() == [20]
    assert "tie at $w = 2$" in meet.get_label() and "from $w = 3$" in meet.get_label()
    fig = plot_param_counts([1, 2, 3], [10, 25, 30], 20)
    assert fig.axes[0].lines[2].get_label() == "the MLP is larger from $w = 2$"
    plt.close("all")


def test_static_plots_draw_what_they_are_given():
    fig = plot_time_vs_length([10, 20], {"rnn": [0.001, 0.002], "mlp": [0.001, 0.001]})
    assert fig.axes[0].lines[0].get_ydata().tolist() == [1.0, 2.0]  # milliseconds
    fig = plot_dWh_contributions(np.array([1.0, 2.0, 0.5]), 2.2)
    assert [p.get_height() for p in fig.axes[0].patches] == [1.0, 2.0, 0.5]
    x = np.sin(np.arange(30) / 3)
    h = np.tanh(np.outer(x, np.ones(4)))
    fig = plot_hidden_heatmap(x, h, t=10)
    shown = np.asarray(fig.axes[1].images[0].get_array())
    assert shown.shape == (4, 30) and np.isnan(shown[:, 10:]).all()
    plt.close("all")


def test_descriptions_state_the_data_in_numbers():
    from rnnlib.plotting import description

    text = description(plot_param_counts([1, 2, 3, 4], [10, 20, 30, 40000], 20))
    assert "window length w from 1 to 4: the window MLP grows from 10 to 40,000" in text
    assert "the RNN has 20 at every length; the MLP has at least as many from w = 2" in text
    text = description(plot_time_vs_length([10, 20], {"rnn": [0.001, 0.002], "mlp": [1, 1]}))
    assert "the RNN's from 1 ms to 2 ms (2 times)" in text
    text = description(plot_dWh_contributions(np.array([1.0, 2.0, 0.5]), 2.2))
    assert "over 3 steps: from 0.5 at step 3 to 2 at step 2" in text and "is 2.2" in text
    x = np.linspace(-1, 1, 12)
    h = np.tile(np.linspace(-0.5, 0.5, 12)[:, None], (1, 4))
    text = description(plot_hidden_heatmap(x, h, t=6))
    assert "input x_t over 12 steps, from -1 to 1, read up to step 6" in text
    assert "hidden state of 4 units over steps 1 to 6" in text and "from -0.5 to -0.045" in text
    text = description(plot_hidden_state_step(t=5, radius=0.0))
    assert text.startswith("Three panels at step t = 5 of 40, W_h at spectral radius 0.")
    assert "h_{t-1} W_h from 0 to 0" in text  # radius 0: no recurrent term
    plt.close("all")


def test_terms_panel_keeps_its_range_over_the_steps_and_holds_every_term():
    for radius in (0.0, 0.9, 1.5):
        ylims, tops = set(), []
        for t in range(1, 41):
            fig = plot_hidden_state_step(t=t, radius=radius)
            ylims.add(fig.axes[2].get_ylim())
            tops += [np.max(np.abs(c.get_segments())[:, 1, 1]) for c in fig.axes[2].collections]
            plt.close(fig)
        assert len(ylims) == 1  # moving t never rescales the panel
        ((lo, hi),) = ylims
        assert lo <= -1.5 and hi == pytest.approx(-1.35 * lo) and (2 * lo) % 1 == 0
        assert max(tops) * 1.1 <= -lo
