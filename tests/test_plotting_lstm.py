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


def test_descriptions_state_each_figure_in_numbers():
    from rnnlib import one_unit_lstm
    from rnnlib.gradient_flow import gradient_flow_curves
    from rnnlib.plotting import description, fmt, fmt_log10
    from rnnlib.plotting.lstm import plot_lstm_unit

    z = np.zeros(4)
    fig = plot_lstm_unit(
        np.array([0.0, 1, 0, 0]),
        z + 0.5,
        z + 0.9,
        z,
        z + 0.1,
        np.array([0, 0.5, 0.5, 0.25]),
        z,
        write=np.array([0, 1, 0, 0]),
        read=np.array([0, 0, 0, 1]),
    )
    text = description(fig)
    assert text.startswith("Three panels over 4 steps (t = 0 to 3) of one LSTM unit, write ")
    assert "write markers at t = 1, read cues at t = 3" in text
    assert "forget f_t 0.9 to 0.9" in text and "c_t, 0 to 0.5, ends at 0.25" in text
    r = one_unit_lstm.run(**next(iter(one_unit_lstm.PRESETS.values())))
    text = description(plot_gate_presets())
    assert f"ends at {fmt(r['c'][-1])}" in text and text.startswith("Four panels")
    d = gradient_flow_curves(2.0, 1.0, 20, 8, 4, 0)
    text = description(plot_gradient_flow(forget_bias=2.0, T=20, H=8, N=4))
    assert "lag k = 0 to 19, forget-gate bias 2" in text
    assert f"{fmt_log10(d['rnn'][-1])} for the tanh RNN" in text
    assert f"sigmoid(b_f)^19 = {fmt(1 / (1 + np.exp(-2.0)) ** 19)}" in text
    plt.close("all")


def test_the_playground_description_follows_an_update():
    from rnnlib import one_unit_lstm
    from rnnlib.plotting import description, fmt
    from rnnlib.plotting.lstm import update_gate_playground

    fig = plot_gate_playground()
    update_gate_playground(fig, b_i=-5.0, b_f=-5.0, b_o=-5.0, w_g=2.0)
    r = one_unit_lstm.run(-5.0, -5.0, -5.0, 2.0)
    assert description(fig) == description(plot_gate_playground(b_f=-5.0))
    assert f"ends at {fmt(r['c'][-1])}" in description(fig)
    plt.close("all")


@pytest.mark.parametrize(("forget_bias", "scale"), [(1.0, 1.0), (-2.0, 0.25), (5.0, 8.0)])
def test_gradient_flow_left_and_middle_panels_share_a_stepped_range(forget_bias, scale):
    from rnnlib.gradient_flow import gradient_flow_curves

    fig = plot_gradient_flow(forget_bias, scale)
    left, middle = fig.axes[:2]
    assert left.get_ylim() == middle.get_ylim()
    lo, hi = np.log10(left.get_ylim())
    d = gradient_flow_curves(forget_bias, scale)
    curves = np.concatenate([d[k] for k in ("rnn", "lstm", "lstm_dc", "lstm_dc_cell_path")])
    assert lo <= curves.min() and hi >= curves.max() + 1
    assert round(lo) == -25 or round(lo) % 25 == 0
    assert round(hi) == 3 or round(hi) % 15 == 0
    plt.close(fig)


def test_state_panel_range_moves_in_steps_of_one_half():
    for kw in ({}, {"w_g": 3.0}, {"b_i": 8.0, "b_f": 8.0}):
        fig = plot_gate_playground(**kw)
        c = next(line for line in fig.axes[2].lines if line.get_label() == "cell state $c_t$")
        lo, top = fig.axes[2].get_ylim()
        assert lo == -top and top >= 1.1 * np.max(np.abs(c.get_ydata()))
        assert top == 1.05 or (2 * top) % 1 == 0
        plt.close(fig)
