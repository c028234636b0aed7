"""rnnlib.widgets.lstm: notebook 05's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib import analysis, widgets
from rnnlib.plotting.lstm import plot_gradient_flow
from rnnlib.timing import best_time


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
    assert best_time(plot_gradient_flow, repeat=5, **kw) < 2.0  # 10x guard


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
        plot_gradient_flow(scale=float(s))
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
