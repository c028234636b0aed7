"""rnnlib.bptt: how far back one loss reaches, ||dL_t/dx_s|| for every pair of steps."""

import numpy as np
import pytest

from rnnlib import gradcheck, sequence
from rnnlib.bptt import input_gradient_norms, scaled_orthogonal_rnn, truncation_errors


def test_input_gradient_norms_match_finite_differences():
    x, Wx, Wh, b, u = scaled_orthogonal_rnn(1.3, T=6, D=2, H=5, seed=4)
    norms = input_gradient_norms(x, Wx, Wh, b, u)
    assert norms.shape == (6, 6)
    for t in (1, 4, 6):  # math steps: the loss L_t = h_t . u

        def L(t=t):
            h, _ = sequence.rnn_forward(x, np.zeros((1, 5)), Wx, Wh, b)
            return np.array(h[0, t - 1] @ u)

        g = gradcheck.numerical_gradient(L, x, np.float64(1.0))  # (1, T, D)
        assert gradcheck.rel_error(np.linalg.norm(g[0], axis=1), norms[t - 1]) < 1e-7


def test_later_inputs_do_not_move_an_earlier_loss():
    norms = input_gradient_norms(*scaled_orthogonal_rnn(1.0, T=10))
    assert np.all(np.triu(norms, k=1) == 0)  # s > t
    assert np.all(np.diag(norms) > 0)


def test_a_two_dimensional_sequence_is_accepted():
    x, Wx, Wh, b, u = scaled_orthogonal_rnn(1.0, T=5)
    assert np.array_equal(
        input_gradient_norms(x[0], Wx, Wh, b, u), input_gradient_norms(x, Wx, Wh, b, u)
    )


def test_contributions_fade_faster_for_a_contractive_wh():
    lag_ratio = {}
    for scale in (0.5, 1.0):
        norms = input_gradient_norms(*scaled_orthogonal_rnn(scale, T=30))
        lag_ratio[scale] = norms[-1, 0] / norms[-1, -1]
    assert lag_ratio[0.5] < 1e-6 * lag_ratio[1.0]


def test_scale_is_every_singular_value_and_the_rest_does_not_move():
    a = scaled_orthogonal_rnn(0.7, H=8)
    b = scaled_orthogonal_rnn(1.4, H=8)
    assert np.allclose(np.linalg.svd(a[2], compute_uv=False), 0.7)
    assert np.allclose(2 * a[2], b[2], rtol=1e-14, atol=0)
    for left, right in zip(a[:2] + a[3:], b[:2] + b[3:], strict=True):
        assert np.array_equal(left, right)
    assert np.linalg.norm(a[4]) == pytest.approx(1.0, rel=1e-15)


def test_bad_input_is_refused():
    x, Wx, Wh, b, u = scaled_orthogonal_rnn(1.0, T=5)
    with pytest.raises(ValueError, match="scale must be"):
        scaled_orthogonal_rnn(-1.0)
    with pytest.raises(ValueError, match="T must be a positive int"):
        scaled_orthogonal_rnn(1.0, T=0)
    with pytest.raises(ValueError, match="u must"):
        input_gradient_norms(x, Wx, Wh, b, u[:3])
    with pytest.raises(ValueError, match="x must"):
        input_gradient_norms(np.repeat(x, 2, axis=0), Wx, Wh, b, u)


def test_truncation_errors_vanish_at_full_window_and_grow_as_it_shrinks():
    res = truncation_errors(0.5, [0, 2, 10, 39], seed=1)
    assert res.errors.shape == (4,)
    assert res.errors[-1] < 1e-12  # k = T - 1 reaches step 1 from every loss: the full dWh
    assert np.all(np.diff(res.errors) < 0)  # a longer window, a smaller error
    assert 0 < res.jacobian_norm < 1e-2  # 0.5 per step, and tanh' <= 1: far below 1 in 10 steps


def test_truncation_errors_match_a_direct_computation():
    seed, k = 3, 4
    res = truncation_errors(1.5, [k], seed=seed, N=2, T=8, D=3, H=5, lag=3)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 8, 3))
    Wx = rng.standard_normal((3, 5)) / np.sqrt(3)
    from rnnlib.analysis import jacobian_product_norms, orthogonal

    Wh = 1.5 * orthogonal(5, rng)
    dh = rng.standard_normal((2, 8, 5))
    h, cache = sequence.rnn_forward(x, np.zeros((2, 5)), Wx, Wh, np.zeros(5))
    want = gradcheck.rel_error(
        sequence.rnn_backward_truncated(dh, cache, k)[3], sequence.rnn_backward(dh, cache)[3]
    )
    assert res.errors[0] == pytest.approx(want, rel=1e-12)
    assert res.jacobian_norm == pytest.approx(jacobian_product_norms(h, Wh)[8 - 3 - 1], rel=1e-12)


@pytest.mark.parametrize(
    "kwargs", [dict(ks=[40]), dict(ks=[-1]), dict(ks=[]), dict(ks=[1.5]), dict(lag=40)]
)
def test_truncation_errors_refuse_windows_outside_the_sequence(kwargs):
    with pytest.raises(ValueError):
        truncation_errors(1.0, **{"ks": [1], **kwargs})
