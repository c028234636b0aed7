"""Tests for rnnlib.cells: one RNN / LSTM step, forward and backward."""

import numpy as np
import pytest

from rnnlib.cells import (
    LSTMStepCache,
    RNNStepCache,
    lstm_step_backward,
    lstm_step_forward,
    rnn_step_backward,
    rnn_step_forward,
)
from rnnlib.gradcheck import check_backward

N, D, H = 3, 4, 5
STEP_TOL = 1e-7


def rnn_args(rng, dtype=np.float64, scale=0.5):
    x = rng.standard_normal((N, D))
    h_prev = rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, H))
    Wh = scale * rng.standard_normal((H, H))
    b = scale * rng.standard_normal(H)
    return tuple(a.astype(dtype) for a in (x, h_prev, Wx, Wh, b))


def lstm_args(rng, dtype=np.float64, scale=0.5):
    x = rng.standard_normal((N, D))
    h_prev = rng.standard_normal((N, H))
    c_prev = rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, 4 * H))
    Wh = scale * rng.standard_normal((H, 4 * H))
    b = scale * rng.standard_normal(4 * H)
    return tuple(a.astype(dtype) for a in (x, h_prev, c_prev, Wx, Wh, b))


# ------------------------------------------------------------ gradient checks


@pytest.mark.parametrize("seed", [0, 1])
def test_rnn_step_backward_matches_finite_differences(seed):
    args = rnn_args(np.random.default_rng(seed))
    errors = check_backward(rnn_step_forward, rnn_step_backward, args, rng=seed)
    assert list(errors) == ["dx", "dh_prev", "dWx", "dWh", "db"]
    assert max(errors.values()) < STEP_TOL, errors


@pytest.mark.parametrize("seed", [0, 1])
def test_lstm_step_backward_matches_finite_differences(seed):
    args = lstm_args(np.random.default_rng(seed))
    # both upstream gradients (dh_next and dc_next) are random: both paths are checked
    errors = check_backward(lstm_step_forward, lstm_step_backward, args, rng=seed)
    assert list(errors) == ["dx", "dh_prev", "dc_prev", "dWx", "dWh", "db"]
    assert max(errors.values()) < STEP_TOL, errors


def test_lstm_step_backward_with_saturated_gates():
    # large weights push gates towards 0 and 1, where y(1-y) is tiny
    args = lstm_args(np.random.default_rng(3), scale=2.0)
    errors = check_backward(lstm_step_forward, lstm_step_backward, args)
    assert max(errors.values()) < STEP_TOL, errors


# ------------------------------------------------------------ known answers


def test_rnn_zero_weights_give_tanh_of_bias():
    x, h_prev, Wx, Wh, b = rnn_args(np.random.default_rng(0))
    h_next, _ = rnn_step_forward(x, h_prev, np.zeros_like(Wx), np.zeros_like(Wh), b)
    np.testing.assert_allclose(h_next, np.tile(np.tanh(b), (N, 1)), rtol=1e-15)


def test_rnn_row_vector_convention():
    # Wx[j, k] = 1 routes input j to unit k: x @ Wx, not Wx @ x
    x = np.array([[0.1, -0.2]])
    Wx = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])  # (D, H) = (2, 3)
    h_prev = np.array([[0.0, 0.3, 0.0]])
    h_next, _ = rnn_step_forward(x, h_prev, Wx, np.eye(3), np.zeros(3))
    np.testing.assert_allclose(h_next, np.tanh([[-0.2, 0.3, 0.1]]), rtol=1e-15)


def test_lstm_zero_weights_open_every_gate_half_way():
    x, h_prev, c_prev, Wx, Wh, _ = lstm_args(np.random.default_rng(0))
    b = np.zeros(4 * H)
    b[2 * H : 3 * H] = 0.7  # only the candidate g is non-zero
    c_prev = np.zeros_like(c_prev)
    h_next, c_next, cache = lstm_step_forward(x, h_prev, c_prev, 0 * Wx, 0 * Wh, b)
    for gate in (cache.i, cache.f, cache.o):
        np.testing.assert_array_equal(gate, 0.5)
    np.testing.assert_allclose(c_next, 0.5 * np.tanh(0.7), rtol=1e-15)  # c = i * g
    np.testing.assert_allclose(h_next, 0.5 * np.tanh(0.5 * np.tanh(0.7)), rtol=1e-15)


@pytest.mark.parametrize("k, gate", list(enumerate("ifgo")))
def test_lstm_gate_order_is_i_f_g_o(k, gate):
    x, h_prev, c_prev, Wx, Wh, _ = lstm_args(np.random.default_rng(0))
    b = np.zeros(4 * H)
    b[k * H : (k + 1) * H] = 2.0  # move only the k-th block
    _, _, cache = lstm_step_forward(x, h_prev, c_prev, 0 * Wx, 0 * Wh, b)
    rest = {"i": 0.5, "f": 0.5, "g": 0.0, "o": 0.5}  # their values with zero weights and bias
    for name, value in rest.items():
        got = getattr(cache, name)
        if name == gate:
            expected = np.tanh(2.0) if name == "g" else 1 / (1 + np.exp(-2.0))
            np.testing.assert_allclose(got, expected, rtol=1e-15)
        else:
            np.testing.assert_array_equal(got, value)


def test_lstm_forget_gate_open_and_input_gate_shut_keep_c():
    x, h_prev, c_prev, Wx, Wh, b = lstm_args(np.random.default_rng(0), scale=0.1)
    b = b.copy()
    b[:H] = -50.0  # input gate shut
    b[H : 2 * H] = 50.0  # forget gate open
    _, c_next, cache = lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    np.testing.assert_allclose(c_next, c_prev, rtol=0, atol=1e-15)
    # and the memory's gradient passes through unchanged: dc_prev = dc_next * f
    dc_next = np.random.default_rng(1).standard_normal((N, H))
    _, _, dc_prev, *_ = lstm_step_backward(np.zeros((N, H)), dc_next, cache)
    np.testing.assert_allclose(dc_prev, dc_next, rtol=1e-15)


def test_caches_are_named_tuples_with_post_activation_values():
    rng = np.random.default_rng(0)
    h_next, cache = rnn_step_forward(*rnn_args(rng))
    assert isinstance(cache, RNNStepCache)
    assert cache.h_next is h_next
    h_next, c_next, cache = lstm_step_forward(*lstm_args(rng))
    assert isinstance(cache, LSTMStepCache)
    assert cache._fields == (
        "x",
        "h_prev",
        "c_prev",
        "i",
        "f",
        "g",
        "o",
        "c_next",
        "tanh_c",
        "Wx",
        "Wh",
    )
    np.testing.assert_allclose(cache.tanh_c, np.tanh(c_next), rtol=1e-15)
    np.testing.assert_allclose(h_next, cache.o * cache.tanh_c, rtol=1e-15)


# ------------------------------------------------------------ dtypes


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_float32_in_float32_out_close_to_float64(cell):
    forward, backward, make = {
        "rnn": (rnn_step_forward, rnn_step_backward, rnn_args),
        "lstm": (lstm_step_forward, lstm_step_backward, lstm_args),
    }[cell]
    args64 = make(np.random.default_rng(0))
    args32 = tuple(a.astype(np.float32) for a in args64)
    *outs64, cache64 = forward(*args64)
    *outs32, cache32 = forward(*args32)
    douts = [np.ones_like(o) for o in outs64]
    grads64 = backward(*douts, cache64)
    grads32 = backward(*[d.astype(np.float32) for d in douts], cache32)
    for got, want in zip([*outs32, *grads32], [*outs64, *grads64], strict=True):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------ bad input

RNN_SHAPES = {"x": "(N, D)", "h_prev": "(N, H)", "Wx": "(D, H)", "Wh": "(H, H)", "b": "(H,)"}
LSTM_SHAPES = {
    "x": "(N, D)",
    "h_prev": "(N, H)",
    "c_prev": "(N, H)",
    "Wx": "(D, 4H)",
    "Wh": "(H, 4H)",
    "b": "(4H,)",
}


def _bad_shape(name, a):
    """A wrong shape for argument ``name``: x gets an extra axis, states a wrong N
    (x and h_prev define D and H, so only N can disagree), weights a wrong last size."""
    if name == "x":
        return a.shape + (1,)
    if name in ("h_prev", "c_prev"):
        return (a.shape[0] + 1,) + a.shape[1:]
    return a.shape[:-1] + (a.shape[-1] + 1,)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_forward_wrong_shape_names_the_argument_and_both_shapes(cell):
    forward, make, shapes = {
        "rnn": (rnn_step_forward, rnn_args, RNN_SHAPES),
        "lstm": (lstm_step_forward, lstm_args, LSTM_SHAPES),
    }[cell]
    args = make(np.random.default_rng(0))
    for k, (name, dims) in enumerate(shapes.items()):
        bad = list(args)
        bad[k] = np.zeros(_bad_shape(name, args[k]))
        with pytest.raises(ValueError, match=rf"^{name} must have shape") as info:
            forward(*bad)
        assert dims in str(info.value)
        assert str(bad[k].shape) in str(info.value)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_forward_wrong_weight_shape_message(cell):
    forward, make = {"rnn": (rnn_step_forward, rnn_args), "lstm": (lstm_step_forward, lstm_args)}[
        cell
    ]
    args = list(make(np.random.default_rng(0)))
    G = 1 if cell == "rnn" else 4
    args[-2] = np.zeros((H, G * H + 2))  # Wh
    dims = "(H, H)" if cell == "rnn" else "(H, 4H)"
    with pytest.raises(ValueError) as info:
        forward(*args)
    assert str(info.value) == f"Wh must have shape {dims} = ({H}, {G * H}), got ({H}, {G * H + 2})"


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_forward_rejects_integer_arrays_and_lists(cell):
    forward, make, shapes = {
        "rnn": (rnn_step_forward, rnn_args, RNN_SHAPES),
        "lstm": (lstm_step_forward, lstm_args, LSTM_SHAPES),
    }[cell]
    args = make(np.random.default_rng(0))
    for k, name in enumerate(shapes):
        bad = list(args)
        bad[k] = args[k].astype(np.int64)
        with pytest.raises(ValueError, match=rf"^{name} must have a floating dtype.*int64"):
            forward(*bad)
        bad[k] = args[k].tolist()
        with pytest.raises(ValueError, match=rf"^{name} must be a numpy array"):
            forward(*bad)


def test_backward_rejects_bad_upstream_gradients_and_caches():
    rng = np.random.default_rng(0)
    _, rnn_cache = rnn_step_forward(*rnn_args(rng))
    _, _, lstm_cache = lstm_step_forward(*lstm_args(rng))
    good = np.zeros((N, H))
    expected = r"dh_next must have shape \(N, H\) = \(3, 5\), got \(3, 4\)"
    with pytest.raises(ValueError, match=expected):
        rnn_step_backward(np.zeros((N, H - 1)), rnn_cache)
    with pytest.raises(ValueError, match="dh_next must have a floating dtype"):
        rnn_step_backward(good.astype(int), rnn_cache)
    with pytest.raises(ValueError, match="dc_next must have shape"):
        lstm_step_backward(good, np.zeros((N + 1, H)), lstm_cache)
    with pytest.raises(ValueError, match="dh_next must have a floating dtype"):
        lstm_step_backward(good.astype(np.int32), good, lstm_cache)
    with pytest.raises(ValueError, match="cache must be the RNNStepCache"):
        rnn_step_backward(good, lstm_cache)
    with pytest.raises(ValueError, match="cache must be the LSTMStepCache"):
        lstm_step_backward(good, good, tuple(lstm_cache))


# ------------------------------------------------------------ GRU

from rnnlib.cells import GRUStepCache, gru_step_backward, gru_step_forward  # noqa: E402

GRU_SHAPES = {
    "x": "(N, D)",
    "h_prev": "(N, H)",
    "Wx": "(D, 3H)",
    "Wh": "(H, 3H)",
    "bx": "(3H,)",
    "bh": "(3H,)",
}


def gru_args(rng, dtype=np.float64, scale=0.5):
    x = rng.standard_normal((N, D))
    h_prev = rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, 3 * H))
    Wh = scale * rng.standard_normal((H, 3 * H))
    bx = scale * rng.standard_normal(3 * H)
    bh = scale * rng.standard_normal(3 * H)
    return tuple(a.astype(dtype) for a in (x, h_prev, Wx, Wh, bx, bh))


def _sig(a):
    return 1 / (1 + np.exp(-a))


def torch_gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """torch.nn.GRUCell as PyTorch documents it, written out independently.

    Column vectors per sample as in the documentation (W_ir, W_iz, W_in stacked in
    weight_ih, each (H, D)); applied to the rows of x one at a time.
    """
    Hs = h.shape[1]
    out = np.empty_like(h)
    for k in range(len(x)):
        W_ir, W_iz, W_in = weight_ih[:Hs], weight_ih[Hs : 2 * Hs], weight_ih[2 * Hs :]
        W_hr, W_hz, W_hn = weight_hh[:Hs], weight_hh[Hs : 2 * Hs], weight_hh[2 * Hs :]
        b_ir, b_iz, b_in = bias_ih[:Hs], bias_ih[Hs : 2 * Hs], bias_ih[2 * Hs :]
        b_hr, b_hz, b_hn = bias_hh[:Hs], bias_hh[Hs : 2 * Hs], bias_hh[2 * Hs :]
        xk, hk = x[k], h[k]
        r = _sig(W_ir @ xk + b_ir + W_hr @ hk + b_hr)
        z = _sig(W_iz @ xk + b_iz + W_hz @ hk + b_hz)
        n = np.tanh(W_in @ xk + b_in + r * (W_hn @ hk + b_hn))
        out[k] = (1 - z) * n + z * hk
    return out


@pytest.mark.parametrize("seed", [0, 1])
def test_gru_step_backward_matches_finite_differences(seed):
    args = gru_args(np.random.default_rng(seed))
    errors = check_backward(gru_step_forward, gru_step_backward, args, rng=seed)
    assert list(errors) == ["dx", "dh_prev", "dWx", "dWh", "dbx", "dbh"]
    assert max(errors.values()) < STEP_TOL, errors


def test_gru_step_backward_with_saturated_gates():
    args = gru_args(np.random.default_rng(3), scale=2.0)
    errors = check_backward(gru_step_forward, gru_step_backward, args)
    assert max(errors.values()) < STEP_TOL, errors


def test_gru_step_is_pytorchs_documented_gru_cell():
    # Wx.T, Wh.T, bx, bh are weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 as they are
    x, h_prev, Wx, Wh, bx, bh = gru_args(np.random.default_rng(4), scale=1.0)
    h_next, _ = gru_step_forward(x, h_prev, Wx, Wh, bx, bh)
    np.testing.assert_allclose(
        h_next, torch_gru_cell(x, h_prev, Wx.T, Wh.T, bx, bh), rtol=1e-13, atol=1e-14
    )


def test_gru_hidden_bias_of_n_sits_inside_the_reset_gate():
    # with r shut (huge negative bias on block r), bh_n has no effect but bx_n does
    x, h_prev, Wx, Wh, bx, bh = gru_args(np.random.default_rng(5))
    bx = bx.copy()
    bx[:H] = -800.0
    base, _ = gru_step_forward(x, h_prev, Wx, Wh, bx, bh)
    moved_bh = bh.copy()
    moved_bh[2 * H :] += 1.0
    moved_bx = bx.copy()
    moved_bx[2 * H :] += 1.0
    np.testing.assert_array_equal(gru_step_forward(x, h_prev, Wx, Wh, bx, moved_bh)[0], base)
    assert np.abs(gru_step_forward(x, h_prev, Wx, Wh, moved_bx, bh)[0] - base).max() > 1e-3


def test_gru_update_gate_saturated_at_one_copies_h_and_its_gradient():
    x, h_prev, Wx, Wh, bx, bh = gru_args(np.random.default_rng(0))
    bx = bx.copy()
    bx[H : 2 * H] = 800.0  # z = 1: keep everything
    h_next, cache = gru_step_forward(x, h_prev, Wx, Wh, bx, bh)
    np.testing.assert_array_equal(cache.z, 1.0)
    np.testing.assert_allclose(h_next, h_prev, rtol=1e-15)
    dh_next = np.random.default_rng(1).standard_normal((N, H))
    dx, dh_prev, *_ = gru_step_backward(dh_next, cache)
    np.testing.assert_allclose(dh_prev, dh_next, rtol=1e-15)
    np.testing.assert_array_equal(dx, 0.0)


def test_gru_update_and_reset_gates_at_zero_forget_h():
    x, h_prev, Wx, Wh, bx, bh = gru_args(np.random.default_rng(0))
    bx = bx.copy()
    bx[: 2 * H] = -800.0  # r = z = 0: the new state is the candidate from x alone
    h_next, cache = gru_step_forward(x, h_prev, Wx, Wh, bx, bh)
    np.testing.assert_allclose(h_next, np.tanh(x @ Wx[:, 2 * H :] + bx[2 * H :]), rtol=1e-14)
    other, _ = gru_step_forward(x, 10 * h_prev, Wx, Wh, bx, bh)
    np.testing.assert_array_equal(other, h_next)  # h_prev no longer matters


def test_gru_gate_order_is_r_z_n():
    x, h_prev, Wx, Wh, bx, bh = gru_args(np.random.default_rng(0))
    b = np.zeros(3 * H)
    b[:H], b[H : 2 * H], b[2 * H :] = 1.0, -2.0, 0.5
    _, cache = gru_step_forward(x, h_prev, 0 * Wx, 0 * Wh, b, np.zeros(3 * H))
    np.testing.assert_allclose(cache.r, _sig(1.0), rtol=1e-15)
    np.testing.assert_allclose(cache.z, _sig(-2.0), rtol=1e-15)
    np.testing.assert_allclose(cache.n, np.tanh(0.5), rtol=1e-15)
    assert isinstance(cache, GRUStepCache)


def test_gru_float32_in_float32_out_and_inputs_untouched():
    args64 = gru_args(np.random.default_rng(0))
    args32 = tuple(a.astype(np.float32) for a in args64)
    saved = [a.copy() for a in args32]
    h64, c64 = gru_step_forward(*args64)
    h32, c32 = gru_step_forward(*args32)
    dh = np.ones((N, H))
    grads64 = gru_step_backward(dh, c64)
    grads32 = gru_step_backward(dh.astype(np.float32), c32)
    for got, want in zip([h32, *grads32], [h64, *grads64], strict=True):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    for a, s in zip(args32, saved, strict=True):
        np.testing.assert_array_equal(a, s)


def test_gru_wrong_shapes_and_dtypes_name_the_argument():
    args = gru_args(np.random.default_rng(0))
    for k, (name, dims) in enumerate(GRU_SHAPES.items()):
        bad = list(args)
        bad[k] = np.zeros(_bad_shape(name, args[k]))
        with pytest.raises(ValueError, match=rf"^{name} must have shape") as info:
            gru_step_forward(*bad)
        assert dims in str(info.value) and str(bad[k].shape) in str(info.value)
        bad[k] = args[k].astype(np.int64)
        with pytest.raises(ValueError, match=rf"^{name} must have a floating dtype"):
            gru_step_forward(*bad)
    bad = list(args)
    bad[3] = np.zeros((H, 4 * H))
    with pytest.raises(ValueError) as info:
        gru_step_forward(*bad)
    assert str(info.value) == f"Wh must have shape (H, 3H) = ({H}, {3 * H}), got ({H}, {4 * H})"


def test_gru_backward_rejects_bad_upstream_gradients_and_caches():
    rng = np.random.default_rng(0)
    _, cache = gru_step_forward(*gru_args(rng))
    _, rnn_cache = rnn_step_forward(*rnn_args(rng))
    with pytest.raises(ValueError, match=r"dh_next must have shape \(N, H\) = \(3, 5\)"):
        gru_step_backward(np.zeros((N, H - 1)), cache)
    with pytest.raises(ValueError, match="dh_next must have a floating dtype"):
        gru_step_backward(np.zeros((N, H), dtype=int), cache)
    with pytest.raises(ValueError, match="cache must be the GRUStepCache"):
        gru_step_backward(np.zeros((N, H)), rnn_cache)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
def test_forward_reports_nan_and_inf_naming_the_argument(cell, bad_value):
    forward, make, shapes = {
        "rnn": (rnn_step_forward, rnn_args, RNN_SHAPES),
        "lstm": (lstm_step_forward, lstm_args, LSTM_SHAPES),
    }[cell]
    args = make(np.random.default_rng(0))
    for k, name in enumerate(shapes):
        bad = [a.copy() for a in args]
        bad[k].flat[-1] = bad_value
        kind = "1 NaN and 0 inf" if np.isnan(bad_value) else "0 NaN and 1 inf"
        if name in ("Wx", "Wh", "b") and not np.isnan(bad_value):
            # an inf weight may only saturate a gate: the limit is a valid, finite result;
            # where it makes the output NaN (inf - inf, or inf * 0), it is named
            bad[0][:] = 0.0  # x = 0: an inf in Wx meets 0 * inf
            bad[1][:] = 0.0
            if name != "b":
                with np.errstate(invalid="ignore"):
                    with pytest.raises(FloatingPointError, match=rf"^{name} is not finite"):
                        forward(*bad)
            else:
                out = forward(*bad)
                assert all(np.all(np.isfinite(o)) for o in out[:-1])
            continue
        with pytest.raises(FloatingPointError, match=rf"^{name} is not finite: {kind} of"):
            forward(*bad)
