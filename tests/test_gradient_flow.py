"""The gradient-flow measurements of notebooks 04 and 05: right numbers, bounds that hold."""

import numpy as np
import pytest

from rnnlib import analysis, gradient_flow


def test_linear_rnn_with_orthogonal_wh_keeps_the_norm_exactly():
    res = gradient_flow.gradient_vs_bound(
        radius=1.0, activation="linear", T=150, input_scale=2.0, kind="orthogonal", H=16, seed=3
    )
    assert res.log_norms.shape == (8, 150) and res.log_mean.shape == (150,)
    assert np.max(np.abs(res.log_mean)) < 1e-12  # ||dL/dh_t|| = 1 for every t
    assert np.max(np.abs(res.log_bound)) < 1e-12  # and the bound is 1: it is tight
    assert res.regime == analysis.BOUNDARY
    assert res.sigma_max == pytest.approx(1.0) and res.rho == pytest.approx(1.0)


def test_linear_rnn_follows_the_radius_for_scaled_orthogonal_wh():
    res = gradient_flow.gradient_vs_bound(
        radius=1.1, activation="linear", T=50, kind="orthogonal", H=8, seed=0
    )
    expected = (50 - np.arange(1, 51)) * np.log10(1.1)  # 1.1^(T - t)
    assert np.allclose(res.log_mean, expected, atol=1e-10)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "linear", "relu"])
@pytest.mark.parametrize("kind", ["orthogonal", "gaussian"])
def test_measured_norms_never_exceed_the_bound(activation, kind):
    for radius, scale in [(0.5, 1.0), (1.3, 0.2), (3.0, 3.0)]:
        res = gradient_flow.gradient_vs_bound(radius, activation, 60, scale, kind, 16, seed=1)
        assert np.all(res.log_norms <= res.log_bound + 1e-9)


def test_regime_and_gamma_follow_pascanu():
    res = gradient_flow.gradient_vs_bound(radius=3.0, activation="sigmoid", kind="orthogonal", H=16)
    assert res.gamma == 0.25 and res.regime == analysis.VANISHING  # 3 * 1/4 < 1
    res = gradient_flow.gradient_vs_bound(radius=2.0, activation="tanh", input_scale=3.0, H=16)
    assert res.regime == analysis.EXPLODING
    assert res.log_mean[0] < -5  # ... and yet it vanishes: tanh saturates


def test_gaussian_wh_has_sigma_max_well_above_the_radius():
    res = gradient_flow.gradient_vs_bound(radius=1.0, kind="gaussian", H=64)
    assert res.rho == pytest.approx(1.0)
    assert 1.5 < res.sigma_max < 2.5


def test_relu_without_input_has_an_exactly_zero_gradient():
    res = gradient_flow.gradient_vs_bound(activation="relu", input_scale=0.0, H=8, T=20)
    assert np.all(res.log_mean[:-1] == -np.inf) and abs(res.log_mean[-1]) < 1e-12


def test_explorer_is_deterministic_and_crops_inputs_over_T():
    a = gradient_flow.gradient_vs_bound(T=40, seed=5, H=8)
    b = gradient_flow.gradient_vs_bound(T=40, seed=5, H=8)
    assert np.array_equal(a.log_norms, b.log_norms)
    c = gradient_flow.gradient_vs_bound(T=40, seed=6, H=8)
    assert not np.array_equal(a.log_norms, c.log_norms)


def test_explorer_rejects_a_too_short_sequence():
    with pytest.raises(ValueError, match="T must be an int >= 2"):
        gradient_flow.gradient_vs_bound(T=1)


@pytest.mark.parametrize(
    "log10_ratio, steps, trend",
    [
        (-3.0, 10, "vanishes"),
        (2.5, 10, "explodes"),
        (0.0, 10, "neither vanishes nor explodes"),
        (-1.9, 10, "neither vanishes nor explodes"),
        (-np.inf, 10, "exactly 0"),
    ],
)
def test_observed_trend(log10_ratio, steps, trend):
    got, per_step = gradient_flow.observed_trend(log10_ratio, steps)
    assert got == trend
    if np.isfinite(log10_ratio):
        assert per_step == pytest.approx(10 ** (log10_ratio / steps))


def test_gradient_flow_curves_match_analysis():
    d = gradient_flow.gradient_flow_curves(forget_bias=1.0, T=30, H=8, N=4, seed=3)
    rnn = analysis.gradient_norm_vs_lag("rnn", 8, 30, 3, N=4, log10=True)
    lstm = analysis.gradient_norm_vs_lag("lstm", 8, 30, 3, N=4, forget_bias=1.0, log10=True)
    assert np.allclose(d["rnn"], rnn) and np.allclose(d["lstm"], lstm, atol=1e-10)
    assert d["forget_product"][0] == 1.0 and np.all(np.diff(d["forget_product"]) <= 0)


def test_forget_bias_decides_the_cell_path():
    lo = gradient_flow.gradient_flow_curves(forget_bias=0.0, T=40, H=8, N=4)
    hi = gradient_flow.gradient_flow_curves(forget_bias=2.0, T=40, H=8, N=4)
    assert hi["forget_product"][-1] > 1e6 * lo["forget_product"][-1]
    assert hi["lstm"][-1] > lo["lstm"][-1]
    # with b_f = 0 the product is of the order of 0.5**k
    k = 20
    assert 0.1 < lo["forget_product"][k] / 0.5**k < 10
    # the RNN curve does not depend on the forget bias
    assert np.array_equal(lo["rnn"], hi["rnn"])


def test_large_recurrent_weights_make_the_lstm_explode():
    d = gradient_flow.gradient_flow_curves(forget_bias=1.0, scale=8.0)
    assert d["lstm"][-1] > 3  # log10: more than 1000 times dL/dh_T
    d = gradient_flow.gradient_flow_curves(forget_bias=1.0, scale=1.0)
    assert d["lstm"][-1] < -3


def test_rnn_gradient_curve_is_memoised_and_returns_a_fresh_array():
    a = gradient_flow.rnn_gradient_curve(T=20, H=4, N=2, scale=1.5, seed=7)
    a[:] = 0.0  # the caller's copy: changing it must not change the cache
    b = gradient_flow.rnn_gradient_curve(T=20, H=4, N=2, scale=1.5 + 1e-12, seed=7)
    expected = analysis.gradient_norm_vs_lag("rnn", 4, 20, 7, N=2, scale=1.5, log10=True)
    assert np.array_equal(b, expected)


def test_update_gate_curves_are_analysis_numbers():
    d = gradient_flow.update_gate_curves(2.0)
    z = 1 / (1 + np.exp(-2.0))
    assert d["z"] == pytest.approx(z)
    np.testing.assert_allclose(d["memory"], z ** np.arange(gradient_flow.MEMORY_K + 1))
    assert d["half_life"] == pytest.approx(np.log(0.5) / np.log(z))
    want = analysis.gradient_norm_vs_lag(
        "gru",
        gradient_flow.FLOW_H,
        gradient_flow.FLOW_T,
        0,
        N=gradient_flow.FLOW_N,
        update_bias=2.0,
        log10=True,
    )
    np.testing.assert_array_equal(d["gru"], want)
    assert d["rnn"].shape == d["lstm"].shape == (gradient_flow.FLOW_T,)


def test_a_larger_update_bias_keeps_memory_and_gradient_longer():
    low, high = gradient_flow.update_gate_curves(0.0), gradient_flow.update_gate_curves(4.0)
    assert high["half_life"] > 30 * low["half_life"]
    assert high["gru"][-1] > low["gru"][-1] + 10  # log10 units, at the longest lag


def test_gradient_flow_curves_split_the_lstm_gradient_by_path():
    d = gradient_flow.gradient_flow_curves(forget_bias=1.0, T=30, H=8, N=4, seed=3)
    p = analysis.random_setup("lstm", 8, 30, 3, N=4, forget_bias=1.0)
    flow = analysis.lstm_cell_gradient_flow(
        p["x"], p["h0"], p["c0"], p["Wx"], p["Wh"], p["b"], dhT=p["dhT"], log10=True
    )
    np.testing.assert_allclose(d["lstm_dc"], flow["dc"][::-1])
    np.testing.assert_allclose(d["lstm_dc_cell_path"], flow["dc_cell_path"][::-1])
    np.testing.assert_allclose(d["lstm_dh"], flow["dh"][::-1])
    # at lag 0 nothing but the cell state connects c_T to itself
    assert d["lstm_dc"][0] == pytest.approx(d["lstm_dc_cell_path"][0])


def test_without_recurrent_weights_the_cell_path_is_the_whole_gradient():
    # scale 0: W_h = 0, the gates read only the inputs, and dc_T/dc_t = prod f exactly
    d = gradient_flow.gradient_flow_curves(forget_bias=1.0, scale=0.0, T=30, H=8, N=4)
    np.testing.assert_allclose(d["lstm_dc"], d["lstm_dc_cell_path"], rtol=0, atol=1e-9)


def test_in_a_random_lstm_the_paths_through_h_carry_more_than_the_cell_state():
    for seed in range(3):
        d = gradient_flow.gradient_flow_curves(forget_bias=1.0, seed=seed)
        assert d["lstm_dc"][-1] > d["lstm_dc_cell_path"][-1] + 3  # log10: 1000 times more
