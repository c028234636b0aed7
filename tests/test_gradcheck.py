"""Tests for rnnlib.gradcheck, including the course's lesson: a sequence backward that
forgets the output stream passes the step check but fails the sequence check."""

import io

import numpy as np
import pytest

from rnnlib.cells import RNNStepCache, rnn_step_backward, rnn_step_forward
from rnnlib.gradcheck import (
    check_backward,
    format_report,
    numerical_gradient,
    rel_error,
    report,
)
from rnnlib.sequence import rnn_forward

N, T, D, H = 2, 4, 3, 5


def rnn_args(rng):
    return (
        rng.standard_normal((N, T, D)),
        rng.standard_normal((N, H)),
        0.5 * rng.standard_normal((D, H)),
        0.5 * rng.standard_normal((H, H)),
        0.5 * rng.standard_normal(H),
    )


# ------------------------------------------------------------ rel_error


def test_rel_error_values():
    a = np.array([1.0, -2.0, 3.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0  # guarded, not 0/0
    assert rel_error(np.ones(2), -np.ones(2)) == 1.0  # opposite signs: the maximum
    assert rel_error(a, a + 1e-6) == pytest.approx(1e-6 / 6.000001, rel=1e-9)
    assert rel_error(1e-20 * a, 1e-20 * (a + 1e-6)) == pytest.approx(rel_error(a, a + 1e-6))
    assert rel_error(np.empty(0), np.empty(0)) == 0.0


def test_rel_error_is_not_blown_up_by_near_zero_entries():
    # a per-element ratio would give 1.0 here because of the first entry
    a = np.array([1e-14, 1.0])
    b = np.array([-1e-14, 1.0])
    assert rel_error(a, b) < 1e-13


def test_rel_error_nan_and_shapes():
    assert np.isnan(rel_error(np.array([np.nan, 1.0]), np.array([0.0, 1.0])))
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.ones(3), np.ones(4))


# ------------------------------------------------------------ numerical_gradient


def test_numerical_gradient_of_a_known_function():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    df = rng.standard_normal((3, 4))
    num = numerical_gradient(lambda: x**3, x, df)
    np.testing.assert_allclose(num, 3 * x**2 * df, rtol=1e-8, atol=1e-9)


def test_numerical_gradient_restores_x_exactly_even_if_f_raises():
    x = np.random.default_rng(1).standard_normal(5)
    saved = x.copy()
    numerical_gradient(lambda: np.sin(x), x, np.ones(5))
    np.testing.assert_array_equal(x, saved)

    def explode():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        numerical_gradient(explode, x, np.ones(5))
    np.testing.assert_array_equal(x, saved)


def test_numerical_gradient_needs_a_float_array():
    with pytest.raises(ValueError, match="float numpy array"):
        numerical_gradient(lambda: np.zeros(2), np.array([1, 2]), np.ones(2))


# ------------------------------------------------------------ check_backward


def test_check_backward_passes_a_correct_step_and_leaves_args_untouched():
    rng = np.random.default_rng(0)
    x, h0, Wx, Wh, b = rnn_args(rng)
    args = (x[:, 0].copy(), h0, Wx, Wh, b)
    saved = [a.copy() for a in args]
    errors = check_backward(rnn_step_forward, rnn_step_backward, args)
    assert list(errors) == ["dx", "dh_prev", "dWx", "dWh", "db"]  # forward's parameter names
    assert max(errors.values()) < 1e-7
    for a, s in zip(args, saved, strict=True):
        np.testing.assert_array_equal(a, s)


def test_check_backward_catches_a_wrong_gradient():
    def backward(dh_next, cache):
        dx, dh_prev, dWx, dWh, db = rnn_step_backward(dh_next, cache)
        return dx, dh_prev, dWx, dWh.T, db  # a classic: transposed weight gradient

    args = rnn_args(np.random.default_rng(2))
    errors = check_backward(rnn_step_forward, backward, (args[0][:, 0].copy(), *args[1:]))
    assert errors["dWh"] > 1e-2
    assert max(errors[k] for k in ("dx", "dh_prev", "dWx", "db")) < 1e-7


def _sequence_backward_from_steps(forget_output_stream):
    """BPTT written by a learner, out of correct step functions."""

    def backward(dh, cache):
        x, h0, h, Wx, Wh = cache
        T = x.shape[1]
        h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
        dx = np.zeros_like(x)
        dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[0])
        dh_next = np.zeros_like(h0)
        for t in reversed(range(T)):
            step_cache = RNNStepCache(x[:, t], h_prev[:, t], h[:, t], Wx, Wh)
            if forget_output_stream and t < T - 1:
                upstream = dh_next  # BUG: the output's dh[:, t] is dropped
            else:
                upstream = dh[:, t] + dh_next
            dx[:, t], dh_next, dWx_t, dWh_t, db_t = rnn_step_backward(upstream, step_cache)
            dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
        return dx, dh_next, dWx, dWh, db

    return backward


def test_forgetting_the_output_stream_passes_the_step_check_but_not_the_sequence_check():
    rng = np.random.default_rng(3)
    args = rnn_args(rng)
    # the step function the learner built on is correct...
    step_errors = check_backward(
        rnn_step_forward, rnn_step_backward, (args[0][:, 0].copy(), *args[1:])
    )
    assert max(step_errors.values()) < 1e-7
    # ...the same loop with both streams added passes the sequence check...
    good = check_backward(rnn_forward, _sequence_backward_from_steps(False), args)
    assert max(good.values()) < 1e-6
    # ...and with the output stream forgotten, every gradient fails it
    bad = check_backward(rnn_forward, _sequence_backward_from_steps(True), args)
    assert min(bad.values()) > 1e-2, bad


def test_check_backward_names_rng_and_non_float_arguments():
    rng = np.random.default_rng(4)
    W = rng.standard_normal((5, 3))
    idx = np.array([0, 4, 4, 1])

    def embed_forward(idx, W):
        return W[idx], (idx, W.shape)

    def embed_backward(dout, cache):
        idx, shape = cache
        dW = np.zeros(shape)
        np.add.at(dW, idx, dout)
        return dW  # one gradient: for the one float argument

    errors = check_backward(embed_forward, embed_backward, (idx, W))
    assert list(errors) == ["dW"]
    assert errors["dW"] < 1e-9
    named = check_backward(embed_forward, embed_backward, (idx, W), names=["W_embed"], rng=7)
    assert list(named) == ["dW_embed"]


def test_check_backward_reports_in_place_modification_and_restores():
    x = np.random.default_rng(5).standard_normal(4)
    saved = x.copy()

    def sneaky_forward(x):
        y = np.tanh(x)
        x *= 1.0 + 1e-3  # modifies its input
        return y, y

    with pytest.raises(AssertionError, match="x was modified in place"):
        check_backward(sneaky_forward, lambda dy, y: dy * (1 - y**2), (x,))
    np.testing.assert_array_equal(x, saved)


def test_check_backward_wrong_number_of_gradients():
    args = rnn_args(np.random.default_rng(6))
    with pytest.raises(ValueError, match="returned 4 gradients for 5"):
        check_backward(
            rnn_step_forward,
            lambda dh, c: rnn_step_backward(dh, c)[:4],
            (args[0][:, 0].copy(), *args[1:]),
        )


def test_check_backward_is_seeded():
    args = rnn_args(np.random.default_rng(8))
    step_args = (args[0][:, 0].copy(), *args[1:])
    first = check_backward(rnn_step_forward, rnn_step_backward, step_args, rng=3)
    again = check_backward(rnn_step_forward, rnn_step_backward, step_args, rng=3)
    other = check_backward(rnn_step_forward, rnn_step_backward, step_args, rng=4)
    assert first == again
    assert first != other


# ------------------------------------------------------------ report


def test_report_lines_pass_and_fail():
    errors = {"dx": 3.2e-10, "dWh": 2.5e-3, "db": float("nan")}
    text = format_report(errors, 1e-7)
    assert text.splitlines() == [
        "dx    rel. error 3.2e-10  (tol 1e-07) PASS",
        "dWh   rel. error 2.5e-03  (tol 1e-07) FAIL",
        "db    rel. error nan  (tol 1e-07) FAIL",
    ]
    out = io.StringIO()
    assert report(errors, 1e-7, file=out) is None  # a notebook cell shows only the lines
    assert out.getvalue() == text + "\n"
    assert format_report({"dx": 1e-9}, {"dx": 1e-8}).endswith("PASS")
    assert format_report({"dx": 1e-9}, {"dx": 1e-9}).endswith("FAIL")  # strictly below


def test_report_prints_to_stdout(capsys):
    report({"dWh": 3.2e-10}, 1e-7)
    assert capsys.readouterr().out == "dWh   rel. error 3.2e-10  (tol 1e-07) PASS\n"
