"""Tests for rnnlib.analysis: Jacobian products, gradient norms per step, the bound.

References used here are independent of the code under test: activations and
their derivatives are written from the definitions (derivatives from the
pre-activation ``a``, not from the output), Jacobians are built as explicit
``diag(f'(a_t)) @ Wh.T`` matrices and multiplied out, finite differences rerun
the recurrence, and ``rnnlib.sequence``'s backward passes supply the gradients.
"""

import time

import numpy as np
import pytest

from rnnlib.analysis import (
    BOUNDARY,
    EXPLODING,
    VANISHING,
    gradient_norm_vs_lag,
    hidden_gradient_norms,
    jacobian_product_norms,
    jacobian_products,
    lstm_cell_gradient_flow,
    matrix_with_singular_value,
    matrix_with_spectral_radius,
    orthogonal,
    pascanu_bound,
    pascanu_regime,
    random_setup,
    rnn_forward_activation,
    singular_values,
    spectral_radius,
    step_jacobians,
)
from rnnlib.sequence import lstm_backward, lstm_forward, rnn_backward, rnn_forward

ACTIVATIONS = ("tanh", "sigmoid", "linear", "relu")


@pytest.fixture
def rng():
    return np.random.default_rng(2013)


def assert_same(got, want, rtol=1e-10):
    """Equal up to rounding, relative to the largest entry of ``want``."""
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * np.max(np.abs(want)))


# ------------------------------------------------------------ references from definitions


def f_and_deriv(name, a):
    """Activation and its derivative, both from the pre-activation ``a``."""
    if name == "tanh":
        return np.tanh(a), 1 / np.cosh(a) ** 2
    if name == "sigmoid":
        return 1 / (1 + np.exp(-a)), np.exp(-a) / (1 + np.exp(-a)) ** 2
    if name == "linear":
        return a.copy(), np.ones_like(a)
    return np.maximum(a, 0), (a > 0).astype(a.dtype)


def rnn_loop(x, h_start, Wx, Wh, b, name):
    """Step-by-step recurrence from ``h_start``: lists of h_t and a_t."""
    hs, as_, h = [], [], h_start
    for k in range(x.shape[1]):
        a = x[:, k] @ Wx + h @ Wh + b
        h = f_and_deriv(name, a)[0]
        hs.append(h)
        as_.append(a)
    return hs, as_


def explicit_products(a, Wh, name):
    """dh_T/dh_t for every t as explicit products of explicit Jacobians, (N, T, H, H)."""
    N, T, H = a.shape
    P = np.empty((N, T, H, H))
    for n in range(N):
        J = [np.diag(f_and_deriv(name, a[n, k])[1]) @ Wh.T for k in range(T)]  # J_{k+1}
        for k in range(T):  # P_t = J_T ... J_{t+1}, t = k + 1
            prod = np.eye(H)
            for j in range(T - 1, k, -1):
                prod = prod @ J[j]
            P[n, k] = prod
    return P


def rnn_case(rng, name, N=2, T=6, D=3, H=4, radius=1.2):
    x = rng.standard_normal((N, T, D))
    h0 = 0.5 * rng.standard_normal((N, H))
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Wh = matrix_with_spectral_radius(H, radius, rng)
    b = 0.1 * rng.standard_normal(H)
    return x, h0, Wx, Wh, b


def sigmoid_ref(a):
    return 1 / (1 + np.exp(-a))


# ----------------------------------------------------------------------------- matrices


@pytest.mark.parametrize("kind", ["gaussian", "orthogonal", "symmetric"])
@pytest.mark.parametrize("radius", [0.0, 0.5, 1.0, 2.3])
def test_matrix_with_spectral_radius_is_exact(rng, kind, radius):
    W = matrix_with_spectral_radius(16, radius, rng, kind=kind)
    assert W.shape == (16, 16) and W.dtype == np.float64
    assert abs(np.max(np.abs(np.linalg.eigvals(W))) - radius) < 1e-10


@pytest.mark.parametrize("kind", ["gaussian", "orthogonal", "symmetric"])
@pytest.mark.parametrize("sigma", [0.25, 1.0, 4.1])
def test_matrix_with_singular_value_is_exact(rng, kind, sigma):
    W = matrix_with_singular_value(16, sigma, rng, kind=kind)
    assert abs(np.linalg.svd(W, compute_uv=False)[0] - sigma) < 1e-10


def test_gaussian_radius_one_has_sigma_near_two_but_symmetric_does_not(rng):
    gauss = matrix_with_spectral_radius(64, 1.0, rng)
    sym = matrix_with_spectral_radius(64, 1.0, rng, kind="symmetric")
    assert 1.6 < singular_values(gauss)[0] < 2.4  # non-normal: sigma_max ~ 2 rho
    assert abs(singular_values(sym)[0] - 1.0) < 1e-10


def test_matrix_dtype_follows_the_argument(rng):
    W = matrix_with_spectral_radius(8, 0.9, rng, dtype=np.float32)
    assert W.dtype == np.float32
    assert abs(spectral_radius(W.astype(np.float64)) - 0.9) < 1e-6


def test_orthogonal_is_orthogonal_with_positive_r_diagonal():
    Q = orthogonal(12, 5)
    np.testing.assert_allclose(Q.T @ Q, np.eye(12), atol=1e-12)
    G = np.random.default_rng(5).standard_normal((12, 12))  # the matrix it factorised
    R = Q.T @ G  # G = Q R with the sign fix: upper triangular, positive diagonal
    np.testing.assert_allclose(np.tril(R, -1), 0, atol=1e-12)
    assert np.all(np.diag(R) > 0)
    np.testing.assert_array_equal(orthogonal(12, 5), Q)  # seeded


def test_spectral_radius_and_singular_values_known_answers():
    nilpotent = np.array([[0.0, 1.0], [0.0, 0.0]])
    assert spectral_radius(nilpotent) == 0.0
    np.testing.assert_allclose(singular_values(nilpotent), [1.0, 0.0])
    diag = np.diag([2.0, -3.0])
    assert spectral_radius(diag) == pytest.approx(3.0)
    np.testing.assert_allclose(singular_values(diag), [3.0, 2.0])


# ---------------------------------------------------------------------------- forward


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_rnn_forward_activation_matches_step_loop(rng, name):
    x, h0, Wx, Wh, b = rnn_case(rng, name)
    h, a = rnn_forward_activation(x, h0, Wx, Wh, b, name)
    hs, as_ = rnn_loop(x, h0, Wx, Wh, b, name)
    assert_same(h, np.stack(hs, axis=1), rtol=1e-12)
    assert_same(a, np.stack(as_, axis=1), rtol=1e-12)


def test_rnn_forward_activation_tanh_matches_sequence_module(rng):
    args = rnn_case(rng, "tanh")
    assert_same(rnn_forward_activation(*args)[0], rnn_forward(*args)[0], rtol=1e-12)


def test_rnn_forward_activation_float32_and_no_mutation(rng):
    args = tuple(v.astype(np.float32) for v in rnn_case(rng, "tanh"))
    copies = [v.copy() for v in args]
    h, a = rnn_forward_activation(*args, activation="sigmoid")
    assert h.dtype == np.float32 and a.dtype == np.float32
    for v, c in zip(args, copies, strict=True):
        np.testing.assert_array_equal(v, c)


def test_exploding_states_raise_a_clear_error(rng):
    x, h0, Wx, _, b = rnn_case(rng, "linear", T=400)
    with pytest.raises(FloatingPointError, match="hidden states overflowed"):
        rnn_forward_activation(x, h0, Wx, 10 * np.eye(4), b, "linear")


# -------------------------------------------------------------------------- Jacobians


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_step_jacobians_match_finite_differences(rng, name):
    x, h0, Wx, Wh, b = rnn_case(rng, name, T=3)
    h, a = rnn_forward_activation(x, h0, Wx, Wh, b, name)
    J = step_jacobians(h, Wh, name)
    eps = 1e-6
    for k in range(3):
        h_prev = h0 if k == 0 else h[:, k - 1]
        for j in range(4):
            e = np.zeros(4)
            e[j] = eps
            up = f_and_deriv(name, x[:, k] @ Wx + (h_prev + e) @ Wh + b)[0]
            down = f_and_deriv(name, x[:, k] @ Wx + (h_prev - e) @ Wh + b)[0]
            column = (up - down) / (2 * eps)  # d h_t / d h_{t-1}[j], (N, H)
            np.testing.assert_allclose(J[:, k, :, j], column, atol=1e-8)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_jacobian_products_equal_explicit_products(rng, name):
    x, h0, Wx, Wh, b = rnn_case(rng, name)
    h, a = rnn_forward_activation(x, h0, Wx, Wh, b, name)
    P = jacobian_products(h, Wh, name)
    assert P.shape == (2, 6, 4, 4)
    assert_same(P, explicit_products(a, Wh, name))
    np.testing.assert_array_equal(P[:, -1], np.broadcast_to(np.eye(4), (2, 4, 4)))


@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
def test_jacobian_products_equal_finite_differences_of_h_T(rng, name):
    x, h0, Wx, Wh, b = rnn_case(rng, name, T=5, H=3)
    h, _ = rnn_forward_activation(x, h0, Wx, Wh, b, name)
    P = jacobian_products(h, Wh, name)
    eps = 1e-6
    for k in range(4):  # h_t = h[:, k]; rerun steps t+1..T from a perturbed h_t
        for j in range(3):
            e = np.zeros(3)
            e[j] = eps
            up = rnn_loop(x[:, k + 1 :], h[:, k] + e, Wx, Wh, b, name)[0][-1]
            down = rnn_loop(x[:, k + 1 :], h[:, k] - e, Wx, Wh, b, name)[0][-1]
            np.testing.assert_allclose(P[:, k, :, j], (up - down) / (2 * eps), atol=1e-8)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_jacobian_product_norms_are_largest_singular_values(rng, name):
    x, h0, Wx, Wh, b = rnn_case(rng, name, N=3, T=8)
    h, a = rnn_forward_activation(x, h0, Wx, Wh, b, name)
    want = np.linalg.norm(explicit_products(a, Wh, name), ord=2, axis=(-2, -1))  # (N, T)
    assert_same(jacobian_product_norms(h, Wh, name, reduce="none"), want)
    assert_same(jacobian_product_norms(h, Wh, name), want.mean(axis=0))
    assert_same(jacobian_product_norms(h, Wh, name, log10=True), np.log10(want.mean(axis=0)))
    steps = np.array([7, 2, 5])
    assert_same(jacobian_product_norms(h, Wh, name, steps=steps), want.mean(axis=0)[steps - 1])


# --------------------------------------------------------------------- gradient norms


def test_hidden_gradient_norms_equal_rnn_backward(rng):
    x, h0, Wx, Wh, b = rnn_case(rng, "tanh", N=3, T=7)
    dhT = 3.0 * rng.standard_normal((3, 4))
    h, _ = rnn_forward(x, h0, Wx, Wh, b)
    want = np.empty((3, 7))
    want[:, -1] = np.linalg.norm(dhT, axis=1)
    for t in range(1, 7):  # a loss on h_T: backprop the tail that starts from h_t
        h_tail, cache = rnn_forward(x[:, t:], h[:, t - 1], Wx, Wh, b)
        dh = np.zeros_like(h_tail)
        dh[:, -1] = dhT
        want[:, t - 1] = np.linalg.norm(rnn_backward(dh, cache)[1], axis=1)  # dh0 = dL/dh_t
    got = hidden_gradient_norms(x, h0, Wx, Wh, b, "tanh", dhT=dhT, reduce="none")
    assert_same(got, want)
    assert_same(hidden_gradient_norms(x, h0, Wx, Wh, b, dhT=dhT), want.mean(axis=0))


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_hidden_gradients_are_dhT_times_jacobian_products(rng, name):
    x, h0, Wx, Wh, b = rnn_case(rng, name)
    dhT = rng.standard_normal((2, 4))
    h, a = rnn_forward_activation(x, h0, Wx, Wh, b, name)
    grads = np.einsum("ni,ntij->ntj", dhT, explicit_products(a, Wh, name))  # dhT @ P_t
    got = hidden_gradient_norms(x, h0, Wx, Wh, b, name, dhT=dhT, reduce="none")
    assert_same(got, np.linalg.norm(grads, axis=2))


def test_default_dhT_is_a_seeded_unit_vector(rng):
    args = rnn_case(rng, "tanh", N=4)
    first = hidden_gradient_norms(*args, reduce="none")
    np.testing.assert_allclose(first[:, -1], 1.0, rtol=1e-12)
    np.testing.assert_array_equal(hidden_gradient_norms(*args, reduce="none"), first)
    assert not np.allclose(hidden_gradient_norms(*args, rng=1, reduce="none"), first)


def test_norms_far_beyond_float64_range_are_exact_in_log10(rng):
    # linear activation, Wh = 3 Q: every step multiplies every gradient's norm by exactly 3
    T = 700  # 3**699 ~ 1e333 overflows float64
    x = np.zeros((2, T, 1))
    args = (x, np.zeros((2, 5)), np.zeros((1, 5)), 3 * orthogonal(5, rng), np.zeros(5))
    log_norms = hidden_gradient_norms(*args, activation="linear", log10=True)
    np.testing.assert_allclose(log_norms, np.arange(T - 1, -1, -1) * np.log10(3), rtol=1e-12)
    with pytest.raises(FloatingPointError, match="log10=True"):
        hidden_gradient_norms(*args, activation="linear")


def test_vanishing_below_float64_range_stays_finite_in_log10(rng):
    # sigmoid (gamma = 1/4) with sigma_max = 0.1: norms fall below 1e-308 (underflow)
    x, h0, Wx, _, b = rnn_case(rng, "sigmoid", T=300)
    Wh = matrix_with_singular_value(4, 0.1, rng)
    log_norms = hidden_gradient_norms(x, h0, Wx, Wh, b, "sigmoid", log10=True)
    assert np.all(np.isfinite(log_norms)) and log_norms[0] < -330
    assert np.all(log_norms <= pascanu_bound(Wh, "sigmoid", 300, log10=True) + 1e-9)
    norms = hidden_gradient_norms(x, h0, Wx, Wh, b, "sigmoid")  # underflows to 0, quietly
    assert norms[0] == 0.0 and norms[-1] == 1.0


# ------------------------------------------------------------------------------ bound


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("sigma", [0.5, 1.0, 1.5, 4.5])
def test_jacobian_product_norms_stay_below_the_pascanu_bound(name, sigma):
    for seed in range(3):
        rng = np.random.default_rng(seed)
        x, h0, Wx, _, b = rnn_case(rng, name, N=3, T=25, H=8)
        Wh = matrix_with_singular_value(8, sigma, rng)
        h, _ = rnn_forward_activation(x, h0, Wx, Wh, b, name)
        bound = pascanu_bound(Wh, name, 25)
        assert np.all(jacobian_product_norms(h, Wh, name, reduce="none") <= bound * (1 + 1e-10))
        grads = hidden_gradient_norms(x, h0, Wx, Wh, b, name, reduce="none")  # ||dhT|| = 1
        assert np.all(grads <= bound * (1 + 1e-10))


def test_pascanu_bound_known_values():
    Wh = np.diag([2.0, 0.5])
    np.testing.assert_allclose(pascanu_bound(Wh, "tanh", 4), [8, 4, 2, 1])
    np.testing.assert_allclose(pascanu_bound(Wh, "sigmoid", 4), [0.125, 0.25, 0.5, 1])
    np.testing.assert_allclose(
        pascanu_bound(Wh, "sigmoid", 4, log10=True), np.log10([0.125, 0.25, 0.5, 1])
    )
    np.testing.assert_allclose(pascanu_bound(np.zeros((2, 2)), "tanh", 3), [0, 0, 1])
    with pytest.raises(FloatingPointError, match="log10=True"):
        pascanu_bound(Wh, "relu", 2000)


def test_linear_orthogonal_keeps_every_norm_exactly_one(rng):
    x, h0, Wx, _, b = rnn_case(rng, "linear", N=2, T=40, H=6)
    Q = orthogonal(6, rng)
    h, _ = rnn_forward_activation(x, h0, Wx, Q, b, "linear")
    np.testing.assert_allclose(jacobian_product_norms(h, Q, "linear", reduce="none"), 1, rtol=1e-12)
    np.testing.assert_allclose(hidden_gradient_norms(x, h0, Wx, Q, b, "linear"), 1, rtol=1e-12)
    np.testing.assert_allclose(pascanu_bound(Q, "linear", 40), 1, rtol=1e-12)


def test_relu_identity_with_positive_states_keeps_norm_one(rng):
    x = rng.random((2, 30, 3))  # positive inputs, weights, bias: every unit stays active
    args = (x, rng.random((2, 5)), rng.random((3, 5)), np.eye(5), rng.random(5))
    h, a = rnn_forward_activation(*args, activation="relu")
    assert np.all(a > 0)
    np.testing.assert_allclose(jacobian_product_norms(h, np.eye(5), "relu"), 1, rtol=1e-12)
    np.testing.assert_allclose(hidden_gradient_norms(*args, activation="relu"), 1, rtol=1e-12)


def test_dead_relu_units_give_exact_zeros_without_warnings(rng):
    x = rng.standard_normal((2, 6, 3))
    args = (x, np.zeros((2, 4)), np.zeros((3, 4)), np.eye(4), -np.ones(4))  # h_t = 0 always
    h, _ = rnn_forward_activation(*args, activation="relu")
    want = np.array([0, 0, 0, 0, 0, 1.0])
    np.testing.assert_array_equal(jacobian_product_norms(h, np.eye(4), "relu"), want)
    np.testing.assert_array_equal(hidden_gradient_norms(*args, activation="relu"), want)
    log_norms = hidden_gradient_norms(*args, activation="relu", log10=True)
    assert np.all(log_norms[:-1] == -np.inf) and log_norms[-1] == 0


def test_pascanu_regime_uses_sufficient_and_necessary_conditions(rng):
    Q = orthogonal(6, rng)
    assert pascanu_regime(0.9 * Q, "tanh") == VANISHING == "vanishing guaranteed"
    assert pascanu_regime(1.1 * Q, "tanh") == EXPLODING == "exploding possible"
    assert pascanu_regime(Q, "tanh") == BOUNDARY
    assert pascanu_regime(np.eye(6), "relu") == BOUNDARY
    assert pascanu_regime(Q.astype(np.float32), "linear") == BOUNDARY
    # sigmoid: gamma = 1/4, so the threshold on sigma_max is 4, not 1
    assert pascanu_regime(3.9 * Q, "sigmoid") == VANISHING
    assert pascanu_regime(4.1 * Q, "sigmoid") == EXPLODING
    assert pascanu_regime((1 + 1e-6) * Q, "tanh", rtol=1e-9) == EXPLODING


# ------------------------------------------------------------------------------- LSTM


def lstm_case(rng, N=2, T=6, D=3, H=4, scale=0.8):
    x = rng.standard_normal((N, T, D))
    h0, c0 = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, 4 * H))
    Wh = scale * rng.standard_normal((H, 4 * H))
    b = 0.5 * rng.standard_normal(4 * H)
    return x, h0, c0, Wx, Wh, b


def test_forget_product_is_dcT_dct_when_the_h_path_is_cut(rng):
    # Wh = 0: gates depend on x only, so c_T depends on c_t through c_k = f_k c_{k-1} + i_k g_k
    x, h0, c0, Wx, _, b = lstm_case(rng)
    Wh = np.zeros((4, 16))
    flow = lstm_cell_gradient_flow(x, h0, c0, Wx, Wh, b, reduce="none")
    a = x @ Wx + b  # (N, T, 4H)
    i, f, o = sigmoid_ref(a[..., :4]), sigmoid_ref(a[..., 4:8]), sigmoid_ref(a[..., 12:])
    g = np.tanh(a[..., 8:12])
    c = [c0]
    for k in range(6):
        c.append(f[:, k] * c[-1] + i[:, k] * g[:, k])

    def c_T_from(k, c_t):  # rerun steps t+1..T from c_t = c[k + 1]
        for j in range(k + 1, 6):
            c_t = f[:, j] * c_t + i[:, j] * g[:, j]
        return c_t

    eps = 1e-6
    for k in range(6):
        for j in range(4):
            e = np.zeros(4)
            e[j] = eps
            column = (c_T_from(k, c[k + 1] + e) - c_T_from(k, c[k + 1] - e)) / (2 * eps)
            want = np.zeros((2, 4))
            want[:, j] = flow["forget_product"][:, k, j]  # a diagonal Jacobian
            np.testing.assert_allclose(column, want, atol=1e-9)
    # with the h path cut, the whole gradient reaching c_t IS the cell path
    assert_same(flow["dc"], flow["dc_cell_path"], rtol=1e-12)
    assert np.all(flow["dh"][:, :-1] == 0)
    # dL/dc_T = dL/dh_T * o_T * (1 - tanh(c_T)^2), with the documented default dL/dh_T
    dhT = np.random.default_rng(0).standard_normal((2, 4))
    dhT /= np.linalg.norm(dhT, axis=1, keepdims=True)
    dcT = dhT * o[:, -1] * (1 - np.tanh(c[-1]) ** 2)
    np.testing.assert_allclose(flow["dc"][:, -1], np.linalg.norm(dcT, axis=1), rtol=1e-12)


def test_forget_product_with_constant_gates_is_a_power():
    # Wx = Wh = 0 and forget bias 0: f = sigmoid(0) = 1/2 at every step and unit
    T, H = 12, 3
    args = (np.ones((2, T, 1)), np.zeros((2, H)), np.ones((2, H)), np.zeros((1, 4 * H)))
    for bias in (0.0, 2.0):
        b = np.zeros(4 * H)
        b[H : 2 * H] = bias
        flow = lstm_cell_gradient_flow(*args, np.zeros((H, 4 * H)), b)
        want = sigmoid_ref(bias) ** np.arange(T - 1, -1, -1)
        np.testing.assert_allclose(flow["forget_product_mean"], want, rtol=1e-12)


def test_lstm_state_gradients_equal_lstm_backward(rng):
    x, h0, c0, Wx, Wh, b = lstm_case(rng, N=3, T=7)
    dhT = rng.standard_normal((3, 4))
    h, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
    want_dh, want_dc = np.empty((3, 7)), np.empty((3, 7))
    for t in range(1, 8):  # tail from (h_t, c_t), loss on its last hidden state
        if t < 7:
            h_tail, tail = lstm_forward(x[:, t:], h[:, t - 1], cache.c[:, t - 1], Wx, Wh, b)
            dh = np.zeros_like(h_tail)
            dh[:, -1] = dhT
            _, dh_t, dc_t, *_ = lstm_backward(dh, tail)  # partial dL/dc_t, h_t held fixed
        else:
            dh_t, dc_t = dhT, np.zeros_like(dhT)
        # total dL/dc_t adds the path through h_t = o_t tanh(c_t)
        dc_total = dc_t + dh_t * cache.o[:, t - 1] * (1 - np.tanh(cache.c[:, t - 1]) ** 2)
        want_dh[:, t - 1] = np.linalg.norm(dh_t, axis=1)
        want_dc[:, t - 1] = np.linalg.norm(dc_total, axis=1)
    flow = lstm_cell_gradient_flow(x, h0, c0, Wx, Wh, b, dhT=dhT, reduce="none")
    assert_same(flow["dh"], want_dh)
    assert_same(flow["dc"], want_dc)
    dh = np.zeros_like(h)
    dh[:, -1] = dhT
    dx = lstm_backward(dh, cache)[0]  # (N, T, D): the whole sequence at once
    assert_same(flow["dx"], np.linalg.norm(dx, axis=2))
    prods = np.stack([np.prod(cache.f[:, k + 1 :], axis=1) for k in range(7)], axis=1)
    assert_same(flow["forget_product"], prods, rtol=1e-12)
    assert flow["forget_product_mean"].shape == (7,)
    assert flow["dc_cell_path"].shape == (3, 7)


def test_float32_inputs_give_float64_norms_close_to_float64_ones(rng):
    args = rnn_case(rng, "tanh", T=20)
    args32 = tuple(v.astype(np.float32) for v in args)
    want = hidden_gradient_norms(*args, reduce="none")
    got = hidden_gradient_norms(*args32, reduce="none")
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-4)
    h, _ = rnn_forward_activation(*args)
    h32, _ = rnn_forward_activation(*args32)
    np.testing.assert_allclose(
        jacobian_product_norms(h32, args32[3]), jacobian_product_norms(h, args[3]), rtol=1e-4
    )
    largs = lstm_case(rng)
    flow = lstm_cell_gradient_flow(*largs)
    flow32 = lstm_cell_gradient_flow(*(v.astype(np.float32) for v in largs))
    for key in ("dc", "dh", "dx", "dc_cell_path", "forget_product_mean"):
        np.testing.assert_allclose(flow32[key], flow[key], rtol=1e-4)


# ------------------------------------------------------------------------ RNN vs LSTM


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_gradient_norm_vs_lag_equals_sequence_backward(cell):
    p = random_setup(cell, 5, 7, 3, N=4, D=2, scale=1.3, forget_bias=2.0)
    dh = np.zeros((4, 7, 5))
    dh[:, -1] = p["dhT"]
    if cell == "rnn":
        _, cache = rnn_forward(p["x"], p["h0"], p["Wx"], p["Wh"], p["b"])
        dx = rnn_backward(dh, cache)[0]
    else:
        _, cache = lstm_forward(p["x"], p["h0"], p["c0"], p["Wx"], p["Wh"], p["b"])
        dx = lstm_backward(dh, cache)[0]
    want = np.linalg.norm(dx, axis=2).mean(axis=0)[::-1]  # by lag: index 0 is t = T
    got = gradient_norm_vs_lag(cell, 5, 7, 3, N=4, D=2, scale=1.3, forget_bias=2.0)
    assert_same(got, want)
    by_h = gradient_norm_vs_lag(cell, 5, 7, 3, N=4, D=2, scale=1.3, forget_bias=2.0, wrt="h")
    assert by_h[0] == pytest.approx(1.0)


def test_random_setup_shares_inputs_between_cells_and_sets_the_forget_bias():
    rnn, lstm = random_setup("rnn", 6, 9, 11, N=2), random_setup("lstm", 6, 9, 11, N=2)
    np.testing.assert_array_equal(rnn["x"], lstm["x"])
    np.testing.assert_array_equal(rnn["dhT"], lstm["dhT"])
    assert lstm["Wh"].shape == (6, 24) and lstm["Wx"].shape == (6, 24)
    assert np.all(lstm["b"][6:12] == 1.0) and np.all(np.delete(lstm["b"], range(6, 12)) == 0)


def test_forget_bias_keeps_long_lag_gradients_alive():
    lag = 40
    weak = gradient_norm_vs_lag("lstm", 16, 50, 0, forget_bias=-2.0)[lag]
    strong = gradient_norm_vs_lag("lstm", 16, 50, 0, forget_bias=4.0)[lag]
    assert strong > 1e6 * weak


# ----------------------------------------------------------------------- bad input


def test_bad_inputs_raise_clear_errors(rng):
    x, h0, Wx, Wh, b = rnn_case(rng, "tanh")
    with pytest.raises(ValueError, match=r"Wh must have shape \(H, H\) = \(4, 4\), got \(4, 3\)"):
        rnn_forward_activation(x, h0, Wx, Wh[:, :3], b)
    with pytest.raises(ValueError, match="activation must be one of"):
        hidden_gradient_norms(x, h0, Wx, Wh, b, "softplus")
    with pytest.raises(ValueError, match="dhT must have shape"):
        hidden_gradient_norms(x, h0, Wx, Wh, b, dhT=np.ones((2, 5)))
    with pytest.raises(ValueError, match="floating dtype"):
        spectral_radius(np.eye(3, dtype=int))
    with pytest.raises(ValueError, match="W must have shape"):
        spectral_radius(np.ones((2, 3)))
    with pytest.raises(ValueError, match="radius must be a finite number >= 0"):
        matrix_with_spectral_radius(4, -1.0, rng)
    with pytest.raises(ValueError, match="kind must be one of"):
        matrix_with_spectral_radius(4, 1.0, rng, kind="uniform")
    with pytest.raises(ValueError, match="rng must be"):
        orthogonal(4, None)
    h, _ = rnn_forward_activation(x, h0, Wx, Wh, b)
    with pytest.raises(ValueError, match="reduce must be"):
        jacobian_product_norms(h, Wh, reduce="sum")
    with pytest.raises(ValueError, match="steps must hold steps t with 1 <= t <= T = 6"):
        jacobian_product_norms(h, Wh, steps=[0, 3])
    with pytest.raises(ValueError, match="steps must hold steps t with 1 <= t <= T = 6"):
        jacobian_product_norms(h, Wh, steps=[7])
    with pytest.raises(ValueError, match="cell must be"):
        gradient_norm_vs_lag("transformer", 4, 5, 0)  # "gru" is a cell since notebook 08
    with pytest.raises(ValueError, match="wrt must be"):
        gradient_norm_vs_lag("rnn", 4, 5, 0, wrt="b")


# -------------------------------------------------------------------------- speed guards
# How fast the widgets' computations are is measured in benchmarks/bench_widgets.py, not
# here: a wall-clock assertion near the target fails whenever the machine is busy. These
# tests check counted work, plus a guard 10x the 0.2 s a slider update may take, which no
# load short of a broken machine trips and which still catches an accidental O(T^2).

GUARD = 10 * 0.2  # seconds


def best_time(fn, repeat=3):
    """Best wall time of ``repeat`` calls: the least disturbed by other programs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def big_rnn_case(N):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, 200, 64))
    Wx = rng.standard_normal((64, 64)) / 8
    return x, np.zeros((N, 64)), Wx, matrix_with_spectral_radius(64, 1.0, rng), np.zeros(64)


def test_hidden_gradient_norms_is_far_under_the_guard():
    args = big_rnn_case(N=8)  # H = 64, T = 200
    assert best_time(lambda: hidden_gradient_norms(*args, activation="tanh")) < GUARD
    assert best_time(lambda: hidden_gradient_norms(*args, activation="sigmoid")) < GUARD


def test_jacobian_product_norms_computes_only_the_svds_asked_for(monkeypatch):
    x, h0, Wx, Wh, b = big_rnn_case(N=8)
    h, _ = rnn_forward_activation(x, h0, Wx, Wh, b)
    shapes = []
    svd = np.linalg.svd

    def counting_svd(a, *args, **kwargs):
        shapes.append(np.shape(a))
        return svd(a, *args, **kwargs)

    monkeypatch.setattr(np.linalg, "svd", counting_svd)
    steps = np.linspace(1, 200, 10).astype(int)  # the widget's setting: 10 of 200 steps
    jacobian_product_norms(h, Wh, steps=steps)
    assert shapes == [(8, 64, 64)] * len(steps)  # one batched SVD per step asked for
    shapes.clear()
    jacobian_product_norms(h[:1], Wh, steps=[150, 200])  # stops after the earliest step
    assert shapes == [(1, 64, 64)] * 2


def test_jacobian_product_norms_is_far_under_the_guard():
    x, h0, Wx, Wh, b = big_rnn_case(N=8)
    h, _ = rnn_forward_activation(x, h0, Wx, Wh, b)
    steps = np.linspace(1, 200, 10).astype(int)
    assert best_time(lambda: jacobian_product_norms(h, Wh, steps=steps)) < GUARD
    # one sequence, every step (the static figure): 200 SVDs of 64 x 64 matrices
    assert best_time(lambda: jacobian_product_norms(h[:1], Wh)) < GUARD


def test_lstm_gradient_flow_is_far_under_the_guard():
    assert best_time(lambda: gradient_norm_vs_lag("lstm", 64, 200, 0, N=8)) < GUARD
    assert best_time(lambda: gradient_norm_vs_lag("rnn", 64, 200, 0, N=8)) < GUARD


# ------------------------------------------------------------------------ GRU

from rnnlib.analysis import gate_half_life, gate_memory, gru_gradient_flow  # noqa: E402
from rnnlib.sequence import gru_backward, gru_forward  # noqa: E402


def test_gru_gradient_norm_vs_lag_equals_sequence_backward():
    p = random_setup("gru", 5, 7, 3, N=4, D=2, scale=1.3, update_bias=0.5)
    dh = np.zeros((4, 7, 5))
    dh[:, -1] = p["dhT"]
    _, cache = gru_forward(p["x"], p["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"])
    dx = gru_backward(dh, cache)[0]
    want = np.linalg.norm(dx, axis=2).mean(axis=0)[::-1]
    got = gradient_norm_vs_lag("gru", 5, 7, 3, N=4, D=2, scale=1.3, update_bias=0.5)
    assert_same(got, want)
    by_h = gradient_norm_vs_lag("gru", 5, 7, 3, N=4, D=2, scale=1.3, update_bias=0.5, wrt="h")
    assert by_h[0] == pytest.approx(1.0)


def test_random_setup_gru_shares_inputs_and_sets_the_update_bias():
    rnn, gru = (
        random_setup("rnn", 6, 9, 11, N=2),
        random_setup("gru", 6, 9, 11, N=2, update_bias=2.5),
    )
    np.testing.assert_array_equal(rnn["x"], gru["x"])
    np.testing.assert_array_equal(rnn["dhT"], gru["dhT"])
    assert "b" not in gru and gru["Wh"].shape == (6, 18) and gru["Wx"].shape == (6, 18)
    assert np.all(gru["bx"][6:12] == 2.5) and np.all(np.delete(gru["bx"], range(6, 12)) == 0)
    assert np.all(gru["bh"] == 0)
    with pytest.raises(ValueError, match="update_bias must be a finite number"):
        random_setup("gru", 6, 9, 11, update_bias=float("inf"))


def test_update_bias_keeps_long_lag_gradients_alive_and_no_underflow():
    lag = 40
    weak = gradient_norm_vs_lag("gru", 16, 50, 0, update_bias=-2.0, log10=True)[lag]
    strong = gradient_norm_vs_lag("gru", 16, 50, 0, update_bias=4.0, log10=True)[lag]
    assert strong > weak + 6
    # far beyond float64's range, the log norms stay finite
    tiny = gradient_norm_vs_lag("gru", 8, 800, 0, N=2, update_bias=-3.0, log10=True)
    assert np.all(np.isfinite(tiny)) and tiny[-1] < -320


def test_gru_gradient_flow_matches_backward_and_direct_path():
    p = random_setup("gru", 4, 6, 5, N=3, D=2, update_bias=1.0)
    args = (p["x"], p["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"])
    flow = gru_gradient_flow(*args, dhT=p["dhT"], reduce="none")
    h, cache = gru_forward(*args)
    dh = np.zeros_like(h)
    dh[:, -1] = p["dhT"]
    dx = gru_backward(dh, cache)[0]
    assert_same(flow["dx"], np.linalg.norm(dx, axis=2))
    prod = np.ones_like(cache.z)
    for k in range(4, -1, -1):
        prod[:, k] = prod[:, k + 1] * cache.z[:, k + 1]
    assert_same(flow["update_product"], prod)
    assert_same(flow["dh_direct_path"], np.linalg.norm(p["dhT"][:, None] * prod, axis=2))
    assert flow["dh"][:, -1] == pytest.approx(1.0)


def test_gate_memory_and_half_life():
    assert gate_half_life(0.0) == pytest.approx(1.0)
    for bias in (-1.0, 0.5, 2.0, 4.0):
        k = gate_half_life(bias)
        assert gate_memory(bias, [0])[0] == 1.0
        g = 1 / (1 + np.exp(-bias))
        assert g**k == pytest.approx(0.5)
        np.testing.assert_allclose(gate_memory(bias, [1, 5, 10]), g ** np.array([1, 5, 10]))
    assert gate_half_life(3.0) > gate_half_life(2.0) > gate_half_life(1.0)
    assert gate_half_life(800.0) == np.inf
    with pytest.raises(ValueError, match="bias must be a finite number"):
        gate_half_life(float("nan"))
    with pytest.raises(ValueError, match="steps must be an integer array"):
        gate_memory(1.0, [0.5])
