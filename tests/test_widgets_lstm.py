"""Widgets and plots of notebook 05: what the gate playground and the gradient-flow plot draw."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib import analysis, widgets
from rnnlib.timing import best_time


def _lines_data(fig):
    return [np.asarray(line.get_ydata(), dtype=float) for ax in fig.axes for line in ax.lines]


def _changed(a, b):
    return len(a) != len(b) or any(
        x.shape != y.shape or not np.allclose(x, y) for x, y in zip(a, b, strict=True)
    )


# ------------------------------------------------------------------- the playground


def test_presets_cover_the_behaviours():
    fig = widgets.plot_gate_presets()
    assert len(fig.axes) == 4
    plt.close(fig)


def test_plot_gate_playground_draws_three_rows_and_changes_with_every_control():
    fig = widgets.plot_gate_playground()
    assert len(fig.axes) == 3
    a = _lines_data(fig)
    plt.close(fig)
    for kw in ({"b_i": 3.0}, {"b_f": 0.0}, {"b_o": 4.0}, {"w_g": -1.0}):
        fig = widgets.plot_gate_playground(**kw)
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
    assert best_time(widgets.plot_gate_playground, repeat=5, **kw) < 2.0


def test_lstm_gate_playground_has_the_expected_controls():
    w = widgets.lstm_gate_playground()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.ValueWidget)]
    assert [c.description for c in controls] == [
        "input-gate bias b_i",
        "forget-gate bias b_f",
        "output-gate bias b_o",
        "candidate weight w_g",
    ]
    assert [c.value for c in controls] == [-5.0, 5.0, -5.0, 2.0]
    assert (controls[1].min, controls[1].max) == (-8.0, 8.0)
    plt.close("all")


# ------------------------------------------------------------------ gradient flow


def test_plot_gradient_flow_changes_with_both_controls():
    fig = widgets.plot_gradient_flow()
    assert len(fig.axes) == 2
    a = _lines_data(fig)
    plt.close(fig)
    for kw in ({"forget_bias": 3.0}, {"scale": 4.0}):
        fig = widgets.plot_gradient_flow(**kw)
        b = _lines_data(fig)
        plt.close(fig)
        assert _changed(a, b), f"moving to {kw} did not change the plot"


@pytest.mark.parametrize(
    "kw",
    [
        {"forget_bias": 5.0, "scale": 8.0},
        {"forget_bias": -2.0, "scale": 0.25},
        {"forget_bias": 1.0, "scale": 2.0**2.5},
    ],
)
def test_plot_gradient_flow_is_fast_at_the_extremes(kw):
    widgets.lstm_vs_rnn_gradient_flow()  # the builder computes the RNN curves once
    plt.close("all")
    assert best_time(widgets.plot_gradient_flow, repeat=5, **kw) < 2.0  # 10x guard


def test_builder_precomputes_the_rnn_curve_of_every_slider_position(monkeypatch):
    computed = []
    real = analysis.gradient_norm_vs_lag

    def counting(cell, *args, **kwargs):
        computed.append((cell, kwargs.get("scale")))
        return real(cell, *args, **kwargs)

    monkeypatch.setattr(analysis, "gradient_norm_vs_lag", counting)
    widgets.lstm_vs_rnn_gradient_flow()
    w = widgets.lstm_vs_rnn_gradient_flow()
    scale = [c for c in w.children if isinstance(c, ipywidgets.FloatLogSlider)][0]
    positions = 2.0 ** np.arange(scale.min, scale.max + 1e-9, scale.step)
    assert np.allclose(positions, widgets.FLOW_SCALES)
    before = len(computed)  # at most one RNN curve per slider position, whatever the cache held
    assert before <= len(widgets.FLOW_SCALES)
    for s in positions:  # moving the slider anywhere computes no new RNN curve
        widgets.plot_gradient_flow(scale=float(s))
        plt.close("all")
    assert len(computed) == before


def test_lstm_vs_rnn_gradient_flow_has_the_expected_controls():
    w = widgets.lstm_vs_rnn_gradient_flow()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.ValueWidget)]
    assert [c.description for c in controls] == ["forget-gate bias b_f", "recurrent scale"]
    fb, scale = controls
    assert fb.value == 1.0 and (fb.min, fb.max) == (-2.0, 5.0)
    assert isinstance(scale, ipywidgets.FloatLogSlider) and scale.value == 1.0
    assert not fb.continuous_update
    plt.close("all")
