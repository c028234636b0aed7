"""rnnlib.plotting.lstm: notebook 05's figures draw what they are given, fast."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib.plotting.lstm import plot_gate_playground, plot_gate_presets, plot_gradient_flow
from rnnlib.timing import best_time


def _lines_data(fig):
    return [np.asarray(line.get_ydata(), dtype=float) for ax in fig.axes for line in ax.lines]


def _changed(a, b):
    return len(a) != len(b) or any(
        x.shape != y.shape or not np.allclose(x, y) for x, y in zip(a, b, strict=True)
    )


# ------------------------------------------------------------------- the playground


def test_presets_cover_the_behaviours():
    fig = plot_gate_presets()
    assert len(fig.axes) == 4
    plt.close(fig)


def test_plot_gate_playground_draws_three_rows_and_changes_with_every_control():
    fig = plot_gate_playground()
    assert len(fig.axes) == 3
    a = _lines_data(fig)
    plt.close(fig)
    for kw in ({"b_i": 3.0}, {"b_f": 0.0}, {"b_o": 4.0}, {"w_g": -1.0}):
        fig = plot_gate_playground(**kw)
        b = _lines_data(fig)
        plt.close(fig)
        assert _changed(a, b), f"moving to {kw} did not change the plot"


@pytest.mark.parametrize(
    "kw",
    [
        {"b_i": 8.0, "b_f": 8.0, "b_o": 8.0, "w_g": 3.0},
        {"b_i": -8.0, "b_f": -8.0, "b_o": -8.0, "w_g": -3.0},
    ],
)
def test_plot_gate_playground_is_fast_at_the_extremes(kw):
    # a guard that load cannot trip: 10x the 0.2 s target (benchmarks/ measures the speed)
    assert best_time(plot_gate_playground, repeat=5, **kw) < 2.0


def test_plot_gradient_flow_changes_with_both_controls():
    fig = plot_gradient_flow()
    assert len(fig.axes) == 3
    a = _lines_data(fig)
    plt.close(fig)
    for kw in ({"forget_bias": 3.0}, {"scale": 4.0}):
        fig = plot_gradient_flow(**kw)
        b = _lines_data(fig)
        plt.close(fig)
        assert _changed(a, b), f"moving to {kw} did not change the plot"
