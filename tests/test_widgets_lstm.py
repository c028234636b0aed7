"""Widgets and plots of notebook 05: the gate playground and the gradient-flow comparison."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib import analysis, cells, widgets
from rnnlib.activations import sigmoid
from rnnlib.widgets import lstm as wl


def _lines_data(fig):
    return [np.asarray(line.get_ydata(), dtype=float) for ax in fig.axes for line in ax.lines]


def _changed(a, b):
    return len(a) != len(b) or any(
        x.shape != y.shape or not np.allclose(x, y) for x, y in zip(a, b, strict=True))


# ------------------------------------------------------------------- the playground


def test_playground_inputs_have_the_markers():
    x = widgets.playground_inputs()
    assert x.shape == (1, wl.PLAYGROUND_T, 3)
    assert list(np.flatnonzero(x[0, :, 1])) == list(widgets.PLAYGROUND_WRITES)
    assert list(np.flatnonzero(x[0, :, 2])) == list(widgets.PLAYGROUND_READS)
    assert np.all(np.abs(x[0, :, 0]) <= 1)
    assert np.array_equal(x, widgets.playground_inputs())  # seeded


def test_playground_params_follow_the_gate_order():
    Wx, Wh, b = widgets.gate_playground_params(b_i=-1.0, b_f=2.0, b_o=-3.0, w_g=1.5)
    assert Wx.shape == (3, 4) and Wh.shape == (1, 4) and not Wh.any()
    assert list(b) == [-1.0, 2.0, 0.0, -3.0]  # i, f, g, o
    assert Wx[0, 2] == 1.5 and Wx[1, 0] > 0 and Wx[1, 1] < 0 and Wx[2, 3] > 0


def test_playground_matches_the_step_function():
    r = widgets.run_gate_playground(b_i=-2.0, b_f=1.0, b_o=0.5, w_g=-1.0)
    x = widgets.playground_inputs()
    Wx, Wh, b = widgets.gate_playground_params(-2.0, 1.0, 0.5, -1.0)
    h, c = np.zeros((1, 1)), np.zeros((1, 1))
    for t in range(x.shape[1]):
        h, c, cache = cells.lstm_step_forward(x[:, t], h, c, Wx, Wh, b)
        assert r["c"][t] == pytest.approx(c[0, 0], abs=1e-12)
        assert r["h"][t] == pytest.approx(h[0, 0], abs=1e-12)
        assert r["f"][t] == pytest.approx(cache.f[0, 0], abs=1e-12)


def test_default_playground_writes_keeps_and_reads():
    r = widgets.run_gate_playground()
    w1, w2 = widgets.PLAYGROUND_WRITES
    r1, r2 = widgets.PLAYGROUND_READS
    # write: the cell takes the written value's candidate at the marker
    assert r["c"][w1] == pytest.approx(np.tanh(2.0 * r["v"][w1]), abs=0.02)
    # keep: between the first write and the second, c decays only by f = sigmoid(5) per step
    assert r["c"][w2 - 1] == pytest.approx(r["c"][w1] * sigmoid(5.0) ** (w2 - 1 - w1), rel=0.05)
    # the second write replaces (forget gate closed by the marker): the sign flips
    assert r["c"][w2] < -0.5 < 0.5 < r["c"][w2 - 1]
    # read: h shows the memory only at the cues
    shut = np.ones(len(r["h"]), bool)
    shut[[r1, r2]] = False
    assert abs(r["h"][r1]) > 0.5 and abs(r["h"][r2]) > 0.5
    assert np.max(np.abs(r["h"][shut])) < 0.01


def test_forget_bias_minus_five_forgets_at_once():
    r = widgets.run_gate_playground(b_f=-5.0)
    w1 = widgets.PLAYGROUND_WRITES[0]
    assert abs(r["c"][w1]) > 0.5 and abs(r["c"][w1 + 2]) < 0.01


def test_presets_cover_the_behaviours():
    assert len(widgets.GATE_PRESETS) == 4
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


@pytest.mark.parametrize("kw", [
    {"b_i": 8.0, "b_f": 8.0, "b_o": 8.0, "w_g": 3.0},
    {"b_i": -8.0, "b_f": -8.0, "b_o": -8.0, "w_g": -3.0},
])
def test_plot_gate_playground_is_fast_at_the_extremes(kw):
    assert widgets.time_call(widgets.plot_gate_playground, repeat=5, **kw) < 0.2


def test_lstm_gate_playground_has_the_expected_controls():
    w = widgets.lstm_gate_playground()
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.ValueWidget)]
    assert [c.description for c in controls] == [
        "input-gate bias b_i", "forget-gate bias b_f", "output-gate bias b_o",
        "candidate weight w_g"]
    assert [c.value for c in controls] == [-5.0, 5.0, -5.0, 2.0]
    assert (controls[1].min, controls[1].max) == (-8.0, 8.0)
    plt.close("all")


# ------------------------------------------------------------------ gradient flow


def test_gradient_flow_curves_match_analysis():
    d = widgets.gradient_flow_curves(forget_bias=1.0, T=30, H=8, N=4, seed=3)
    rnn = analysis.gradient_norm_vs_lag("rnn", 8, 30, 3, N=4, log10=True)
    lstm = analysis.gradient_norm_vs_lag("lstm", 8, 30, 3, N=4, forget_bias=1.0, log10=True)
    assert np.allclose(d["rnn"], rnn) and np.allclose(d["lstm"], lstm, atol=1e-10)
    assert d["forget_product"][0] == 1.0 and np.all(np.diff(d["forget_product"]) <= 0)


def test_forget_bias_decides_the_cell_path():
    lo = widgets.gradient_flow_curves(forget_bias=0.0, T=40, H=8, N=4)
    hi = widgets.gradient_flow_curves(forget_bias=2.0, T=40, H=8, N=4)
    assert hi["forget_product"][-1] > 1e6 * lo["forget_product"][-1]
    assert hi["lstm"][-1] > lo["lstm"][-1]
    # with b_f = 0 the product is of the order of 0.5**k
    k = 20
    assert 0.1 < lo["forget_product"][k] / 0.5**k < 10
    # the RNN curve does not depend on the forget bias
    assert np.array_equal(lo["rnn"], hi["rnn"])


def test_large_recurrent_weights_make_the_lstm_explode():
    d = widgets.gradient_flow_curves(forget_bias=1.0, scale=8.0)
    assert d["lstm"][-1] > 3  # log10: more than 1000 times dL/dh_T
    d = widgets.gradient_flow_curves(forget_bias=1.0, scale=1.0)
    assert d["lstm"][-1] < -3


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


@pytest.mark.parametrize("kw", [{"forget_bias": 5.0, "scale": 8.0},
                                {"forget_bias": -2.0, "scale": 0.25},
                                {"forget_bias": 1.0, "scale": 2.0**2.5}])
def test_plot_gradient_flow_is_fast_at_the_extremes(kw):
    widgets.lstm_vs_rnn_gradient_flow()  # the builder computes the RNN curves once
    plt.close("all")
    assert widgets.time_call(widgets.plot_gradient_flow, repeat=5, **kw) < 0.2


def test_builder_precomputes_the_rnn_curve_of_every_slider_position():
    wl._rnn_curve.cache_clear()
    w = widgets.lstm_vs_rnn_gradient_flow()
    scale = [c for c in w.children if isinstance(c, ipywidgets.FloatLogSlider)][0]
    positions = 2.0 ** np.arange(scale.min, scale.max + 1e-9, scale.step)
    assert np.allclose(positions, widgets.FLOW_SCALES)
    assert wl._rnn_curve.cache_info().currsize == len(widgets.FLOW_SCALES)
    hits = wl._rnn_curve.cache_info().hits
    widgets.gradient_flow_curves(scale=float(positions[3]))
    assert wl._rnn_curve.cache_info().hits == hits + 1  # no new computation
    plt.close("all")


def test_lstm_vs_rnn_gradient_flow_has_the_expected_controls():
    w = widgets.lstm_vs_rnn_gradient_flow()
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.ValueWidget)]
    assert [c.description for c in controls] == ["forget-gate bias b_f", "recurrent scale"]
    fb, scale = controls
    assert fb.value == 1.0 and (fb.min, fb.max) == (-2.0, 5.0)
    assert isinstance(scale, ipywidgets.FloatLogSlider) and scale.value == 1.0
    assert not fb.continuous_update
    plt.close("all")
