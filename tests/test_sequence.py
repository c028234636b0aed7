"""Tests for rnnlib.sequence: whole-sequence forward, full and truncated BPTT."""

import warnings

import numpy as np
import pytest

from rnnlib.cells import (
    lstm_step_backward,
    lstm_step_forward,
    rnn_step_backward,
    rnn_step_forward,
)
from rnnlib.gradcheck import check_backward, numerical_gradient, rel_error
from rnnlib.sequence import (
    LSTMCache,
    RNNCache,
    lstm_backward,
    lstm_backward_truncated,
    lstm_forward,
    rnn_backward,
    rnn_backward_truncated,
    rnn_forward,
)

N, T, D, H = 2, 5, 3, 4
SEQ_TOL = 1e-6


def rnn_args(rng, dtype=np.float64, scale=0.5, T=T):
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, H))
    Wh = scale * rng.standard_normal((H, H))
    b = scale * rng.standard_normal(H)
    return tuple(a.astype(dtype) for a in (x, h0, Wx, Wh, b))


def lstm_args(rng, dtype=np.float64, scale=0.5, T=T):
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    c0 = rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, 4 * H))
    Wh = scale * rng.standard_normal((H, 4 * H))
    b = scale * rng.standard_normal(4 * H)
    return tuple(a.astype(dtype) for a in (x, h0, c0, Wx, Wh, b))


def assert_same(got, want, rtol=1e-12):
    """Equal up to rounding: relative to each array's largest entry."""
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * np.max(np.abs(want)))


# ----------------------------------------------- reference: loops of step functions


def rnn_by_steps(x, h0, Wx, Wh, b, dh):
    """Forward and full BPTT by looping rnn_step_forward / rnn_step_backward."""
    hs, caches, h = [], [], h0
    for t in range(x.shape[1]):
        h, cache = rnn_step_forward(x[:, t], h, Wx, Wh, b)
        hs.append(h)
        caches.append(cache)
    dxs, dh_next = [], np.zeros_like(h0)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for t in reversed(range(x.shape[1])):
        dx_t, dh_next, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_next, caches[t])
        dxs.insert(0, dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(hs, 1), (np.stack(dxs, 1), dh_next, dWx, dWh, db)


def lstm_by_steps(x, h0, c0, Wx, Wh, b, dh):
    """Forward and full BPTT by looping lstm_step_forward / lstm_step_backward."""
    hs, cs, caches, h, c = [], [], [], h0, c0
    for t in range(x.shape[1]):
        h, c, cache = lstm_step_forward(x[:, t], h, c, Wx, Wh, b)
        hs.append(h)
        cs.append(c)
        caches.append(cache)
    dxs, dh_next, dc_next = [], np.zeros_like(h0), np.zeros_like(c0)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for t in reversed(range(x.shape[1])):
        dx_t, dh_next, dc_next, dWx_t, dWh_t, db_t = lstm_step_backward(
            dh[:, t] + dh_next, dc_next, caches[t]
        )
        dxs.insert(0, dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    grads = (np.stack(dxs, 1), dh_next, dc_next, dWx, dWh, db)
    return np.stack(hs, 1), np.stack(cs, 1), caches, grads


def rnn_truncated_brute_force(x, h0, Wx, Wh, b, dh, k):
    """Each term s carried back separately through the cells s, s-1, ..., s-k."""
    caches, h = [], h0
    for t in range(x.shape[1]):
        h, cache = rnn_step_forward(x[:, t], h, Wx, Wh, b)
        caches.append(cache)
    dx, dh0 = np.zeros_like(x), np.zeros_like(h0)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for s in range(x.shape[1]):
        g = dh[:, s]
        for t in range(s, max(s - k, 0) - 1, -1):  # the gradient sits at h_t: s - t <= k
            dx_t, g, dWx_t, dWh_t, db_t = rnn_step_backward(g, caches[t])
            dx[:, t] += dx_t
            dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
            if t == 0 and s + 1 <= k:  # h0 is h_{-1}: s + 1 steps back from h_s
                dh0 += g
    return dx, dh0, dWx, dWh, db


def lstm_truncated_brute_force(x, h0, c0, Wx, Wh, b, dh, k):
    """As rnn_truncated_brute_force, carrying the pair (dh, dc) back."""
    *_, caches, _ = lstm_by_steps(x, h0, c0, Wx, Wh, b, dh)
    dx, dh0, dc0 = np.zeros_like(x), np.zeros_like(h0), np.zeros_like(c0)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for s in range(x.shape[1]):
        gh, gc = dh[:, s], np.zeros_like(c0)
        for t in range(s, max(s - k, 0) - 1, -1):
            dx_t, gh, gc, dWx_t, dWh_t, db_t = lstm_step_backward(gh, gc, caches[t])
            dx[:, t] += dx_t
            dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
            if t == 0 and s + 1 <= k:
                dh0 += gh
                dc0 += gc
    return dx, dh0, dc0, dWx, dWh, db


# ----------------------------------------------- sequence == loop of steps


@pytest.mark.parametrize("seed", [0, 1])
def test_rnn_sequence_equals_loop_of_steps(seed):
    rng = np.random.default_rng(seed)
    args = rnn_args(rng)
    dh = rng.standard_normal((N, T, H))
    h, cache = rnn_forward(*args)
    h_ref, grads_ref = rnn_by_steps(*args, dh)
    assert_same(h, h_ref)
    for got, want in zip(rnn_backward(dh, cache), grads_ref, strict=True):
        assert got.shape == want.shape
        assert_same(got, want)


@pytest.mark.parametrize("seed", [0, 1])
def test_lstm_sequence_equals_loop_of_steps(seed):
    rng = np.random.default_rng(seed)
    args = lstm_args(rng)
    dh = rng.standard_normal((N, T, H))
    h, cache = lstm_forward(*args)
    h_ref, c_ref, step_caches, grads_ref = lstm_by_steps(*args, dh)
    assert_same(h, h_ref)
    assert_same(cache.c, c_ref)
    for gate in "ifgo":
        want = np.stack([getattr(sc, gate) for sc in step_caches], 1)
        assert_same(getattr(cache, gate), want)
    for got, want in zip(lstm_backward(dh, cache), grads_ref, strict=True):
        assert got.shape == want.shape
        assert_same(got, want)


# ----------------------------------------------- gradient checks of every input


def test_rnn_backward_matches_finite_differences():
    errors = check_backward(rnn_forward, rnn_backward, rnn_args(np.random.default_rng(0)))
    assert list(errors) == ["dx", "dh0", "dWx", "dWh", "db"]
    assert max(errors.values()) < SEQ_TOL, errors


def test_lstm_backward_matches_finite_differences():
    errors = check_backward(lstm_forward, lstm_backward, lstm_args(np.random.default_rng(0)))
    assert list(errors) == ["dx", "dh0", "dc0", "dWx", "dWh", "db"]
    assert max(errors.values()) < SEQ_TOL, errors


def test_gradients_of_the_final_states_dhT_dcT():
    # outputs (h, h_T, c_T): the final states also feed a later chunk
    def forward(x, h0, c0, Wx, Wh, b):
        h, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
        return h, h[:, -1], cache.c[:, -1], cache

    def backward(dh, dhT, dcT, cache):
        return lstm_backward(dh, cache, dhT=dhT, dcT=dcT)

    errors = check_backward(forward, backward, lstm_args(np.random.default_rng(1)))
    assert max(errors.values()) < SEQ_TOL, errors

    def rnn_forward_final(x, h0, Wx, Wh, b):
        h, cache = rnn_forward(x, h0, Wx, Wh, b)
        return h, h[:, -1], cache

    errors = check_backward(
        rnn_forward_final,
        lambda dh, dhT, c: rnn_backward(dh, c, dhT=dhT),
        rnn_args(np.random.default_rng(1)),
    )
    assert max(errors.values()) < SEQ_TOL, errors


@pytest.mark.parametrize("k", [0, 1, 3])
def test_truncated_backward_matches_finite_differences_of_its_definition(k):
    """Truncation to k steps == the exact gradient of sum_s <h_s, dh_s> with every
    h_t, t < s - k, held constant: build that function and differentiate it."""
    x, h0, Wx, Wh, b = rnn_args(np.random.default_rng(2))
    dh = np.random.default_rng(3).standard_normal((N, T, H))
    _, cache = rnn_forward(x, h0, Wx, Wh, b)
    # h_before[:, t] = h_{t-1}, copied now: constants that finite differences cannot move
    h_before = np.concatenate([h0[:, None], cache.h], axis=1).copy()

    def loss():
        total = 0.0
        for s in range(T):
            start = max(s - k, 0)  # the oldest step this term may reach
            h = h0 if s - k < 0 else h_before[:, start]  # h0 is live only if s + 1 <= k
            for t in range(start, s + 1):
                h = np.tanh(x[:, t] @ Wx + h @ Wh + b)
            total += np.sum(h * dh[:, s])
        return np.array(total)

    grads = rnn_backward_truncated(dh, cache, k)
    for arr, grad in zip((x, h0, Wx, Wh, b), grads, strict=True):
        numeric = numerical_gradient(loss, arr, np.array(1.0), h=1e-6)
        assert rel_error(grad, numeric) < SEQ_TOL


# ----------------------------------------------- truncated BPTT


@pytest.mark.parametrize("k", [T, T + 3])
def test_truncated_with_k_at_least_T_is_full_bptt(k):
    rng = np.random.default_rng(4)
    dh = rng.standard_normal((N, T, H))
    _, cache = rnn_forward(*rnn_args(rng))
    for got, want in zip(
        rnn_backward_truncated(dh, cache, k), rnn_backward(dh, cache), strict=True
    ):
        assert_same(got, want)
    _, cache = lstm_forward(*lstm_args(rng))
    for got, want in zip(
        lstm_backward_truncated(dh, cache, k), lstm_backward(dh, cache), strict=True
    ):
        assert_same(got, want)


@pytest.mark.parametrize("k", [0, 1, 2, T - 1, T])
def test_rnn_truncated_equals_brute_force_per_term(k):
    rng = np.random.default_rng(5)
    args = rnn_args(rng)
    dh = rng.standard_normal((N, T, H))
    _, cache = rnn_forward(*args)
    want = rnn_truncated_brute_force(*args, dh, k)
    for got, w in zip(rnn_backward_truncated(dh, cache, k), want, strict=True):
        assert_same(got, w)


@pytest.mark.parametrize("k", [0, 1, 2, T - 1, T])
def test_lstm_truncated_equals_brute_force_per_term(k):
    rng = np.random.default_rng(6)
    args = lstm_args(rng)
    dh = rng.standard_normal((N, T, H))
    _, cache = lstm_forward(*args)
    want = lstm_truncated_brute_force(*args, dh, k)
    for got, w in zip(lstm_backward_truncated(dh, cache, k), want, strict=True):
        assert_same(got, w)


def test_short_truncation_differs_from_full_and_k_T_minus_1_only_in_dh0():
    rng = np.random.default_rng(7)
    dh = rng.standard_normal((N, T, H))
    _, cache = rnn_forward(*rnn_args(rng, scale=1.0))
    full = rnn_backward(dh, cache)
    one = rnn_backward_truncated(dh, cache, 1)
    for got, want in zip(one, full, strict=True):
        assert np.max(np.abs(got - want)) > 1e-3 * np.max(np.abs(want))
    almost = rnn_backward_truncated(dh, cache, T - 1)
    assert_same(almost[0], full[0])  # dx: every step reached
    assert_same(almost[2], full[2])  # dWx
    assert not np.allclose(almost[1], full[1])  # dh0: the last term misses h0 by one step


def test_k_zero_keeps_only_the_immediate_step():
    rng = np.random.default_rng(8)
    dh = rng.standard_normal((N, T, H))
    x, h0, Wx, Wh, b = rnn_args(rng)
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    dx, dh0, dWx, dWh, db = rnn_backward_truncated(dh, cache, 0)
    da = dh * (1 - h**2)
    assert_same(db, da.sum(axis=(0, 1)))
    assert_same(dx, da @ Wx.T)
    np.testing.assert_array_equal(dh0, 0)


# ----------------------------------------------- known answers


def test_rnn_zero_weights_give_tanh_of_bias_at_every_step():
    x, h0, Wx, Wh, b = rnn_args(np.random.default_rng(0))
    h, _ = rnn_forward(x, h0, 0 * Wx, 0 * Wh, b)
    np.testing.assert_allclose(h, np.broadcast_to(np.tanh(b), (N, T, H)), rtol=1e-14)


def test_rnn_identity_recurrence_sums_small_inputs():
    # Wx = Wh = I, b = 0 and tiny inputs: tanh(z) ~ z, so h_t ~ h0 + x_0 + ... + x_t
    rng = np.random.default_rng(0)
    x = 1e-4 * rng.standard_normal((N, T, H))
    h0 = 1e-4 * rng.standard_normal((N, H))
    h, _ = rnn_forward(x, h0, np.eye(H), np.eye(H), np.zeros(H))
    np.testing.assert_allclose(h, h0[:, None] + np.cumsum(x, axis=1), rtol=1e-6, atol=1e-13)


def test_lstm_forget_gate_open_carries_c_and_its_gradient_over_many_steps():
    T_long = 200
    x, h0, c0, Wx, Wh, b = lstm_args(np.random.default_rng(0), scale=0.1, T=T_long)
    b = b.copy()
    b[:H] = -50.0  # input gate shut: nothing is written
    b[H : 2 * H] = 50.0  # forget gate open: everything is kept
    h, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
    np.testing.assert_allclose(cache.c, np.broadcast_to(c0[:, None], (N, T_long, H)), atol=1e-14)
    # the constant error carousel: a gradient on c_T arrives at c0 undiminished
    dcT = np.random.default_rng(1).standard_normal((N, H))
    _, _, dc0, *_ = lstm_backward(np.zeros_like(h), cache, dcT=dcT)
    np.testing.assert_allclose(dc0, dcT, rtol=1e-12)


def test_lstm_zero_weights_and_gate_order():
    x, h0, c0, Wx, Wh, _ = lstm_args(np.random.default_rng(0))
    zero = {"i": 0.5, "f": 0.5, "g": 0.0, "o": 0.5}
    for k, gate in enumerate("ifgo"):
        b = np.zeros(4 * H)
        b[k * H : (k + 1) * H] = 1.5
        _, cache = lstm_forward(x, h0, c0, 0 * Wx, 0 * Wh, b)
        for name, value in zero.items():
            got = getattr(cache, name)
            assert got.shape == (N, T, H)
            if name == gate:
                moved = np.tanh(1.5) if gate == "g" else 1 / (1 + np.exp(-1.5))
                np.testing.assert_allclose(got, moved, rtol=1e-14)
            else:
                np.testing.assert_allclose(got, value, atol=1e-15)
    # all biases zero and c0 = 0: i = f = o = 0.5, g = 0, so c stays 0
    _, cache = lstm_forward(x, h0, 0 * c0, 0 * Wx, 0 * Wh, np.zeros(4 * H))
    np.testing.assert_allclose(cache.c, 0, atol=1e-15)


def test_lstm_cache_exposes_states_and_gates_for_stateful_training():
    rng = np.random.default_rng(9)
    x, h0, c0, Wx, Wh, b = lstm_args(rng, T=6)
    h, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
    assert isinstance(cache, LSTMCache)
    assert cache.c.shape == (N, 6, H)
    # two chunks, carrying (h, c) across, give the same states as one pass
    h1, cache1 = lstm_forward(x[:, :3], h0, c0, Wx, Wh, b)
    h2, cache2 = lstm_forward(x[:, 3:], h1[:, -1], cache1.c[:, -1], Wx, Wh, b)
    assert_same(np.concatenate([h1, h2], 1), h)
    assert_same(cache2.c[:, -1], cache.c[:, -1])
    _, rnn_cache = rnn_forward(*rnn_args(rng))
    assert isinstance(rnn_cache, RNNCache)


def test_lstm_backward_gives_the_same_bits_for_any_layout_of_the_cache():
    # lstm_forward keeps the gates gate by gate (each step's block contiguous, for
    # speed); a cache holding plain (N, T, H) copies, or the (N, T, 4H) slab a loop
    # over steps would build, must give exactly the same gradients.
    rng = np.random.default_rng(10)
    x, h0, c0, Wx, Wh, b = lstm_args(rng, T=7)
    h, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
    dh = rng.standard_normal(h.shape)
    slab = np.concatenate([cache.i, cache.f, cache.g, cache.o], axis=-1)  # (N, T, 4H)
    copies = cache._replace(
        **{k: np.ascontiguousarray(getattr(cache, k)) for k in ("c", "tanh_c")},
        **{k: slab[..., j * H : (j + 1) * H] for j, k in enumerate("ifgo")},
    )
    for got, want in zip(lstm_backward(dh, copies), lstm_backward(dh, cache), strict=True):
        assert np.array_equal(got, want)
    assert all(getattr(cache, k).shape == (N, 7, H) for k in "ifgo")


@pytest.mark.parametrize("scale", [1e3, 1e6])
def test_huge_pre_activations_are_finite_and_silent(scale):
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dtype in (np.float32, np.float64):
            h, cache = lstm_forward(*lstm_args(rng, dtype=dtype, scale=scale))
            grads = lstm_backward(np.ones_like(h), cache)
            assert all(np.all(np.isfinite(a)) for a in (h, cache.c, *grads))
            h, cache = rnn_forward(*rnn_args(rng, dtype=dtype, scale=scale))
            assert np.all(np.abs(h) <= 1)


# ----------------------------------------------- dtypes, inputs untouched


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_float32_in_float32_out_close_to_float64(cell):
    forward, backward, make = {
        "rnn": (rnn_forward, rnn_backward, rnn_args),
        "lstm": (lstm_forward, lstm_backward, lstm_args),
    }[cell]
    args64 = make(np.random.default_rng(0))
    dh = np.random.default_rng(1).standard_normal((N, T, H))
    h64, cache64 = forward(*args64)
    h32, cache32 = forward(*(a.astype(np.float32) for a in args64))
    grads64 = backward(dh, cache64)
    grads32 = backward(dh.astype(np.float32), cache32)
    for got, want in zip([h32, *grads32], [h64, *grads64], strict=True):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_nothing_is_modified_in_place():
    rng = np.random.default_rng(0)
    for forward, backwards, make in (
        (rnn_forward, [rnn_backward, lambda d, c: rnn_backward_truncated(d, c, 2)], rnn_args),
        (lstm_forward, [lstm_backward, lambda d, c: lstm_backward_truncated(d, c, 2)], lstm_args),
    ):
        args = make(rng)
        saved = [a.copy() for a in args]
        h, cache = forward(*args)
        dh = rng.standard_normal(h.shape)
        dh_saved, h_saved = dh.copy(), h.copy()
        for backward in backwards:
            backward(dh, cache)
        for a, s in zip([*args, dh, h], [*saved, dh_saved, h_saved], strict=True):
            np.testing.assert_array_equal(a, s)


# ----------------------------------------------- bad input


SHAPES = {
    "rnn_forward": {"x": "(N, T, D)", "h0": "(N, H)", "Wx": "(D, H)", "Wh": "(H, H)", "b": "(H,)"},
    "lstm_forward": {
        "x": "(N, T, D)",
        "h0": "(N, H)",
        "c0": "(N, H)",
        "Wx": "(D, 4H)",
        "Wh": "(H, 4H)",
        "b": "(4H,)",
    },
}


@pytest.mark.parametrize("fn", ["rnn_forward", "lstm_forward"])
def test_forward_wrong_shape_or_dtype_raises_a_clear_error(fn):
    forward, make = {
        "rnn_forward": (rnn_forward, rnn_args),
        "lstm_forward": (lstm_forward, lstm_args),
    }[fn]
    args = make(np.random.default_rng(0))
    for k, (name, dims) in enumerate(SHAPES[fn].items()):
        bad = list(args)
        if name == "x":
            bad[k] = np.zeros((N, T))  # a missing axis
        elif name in ("h0", "c0"):
            bad[k] = np.zeros((N + 1, H))  # batch size disagrees with x
        else:
            bad[k] = np.zeros(args[k].shape[:-1] + (args[k].shape[-1] + 1,))
        with pytest.raises(ValueError, match=rf"^{name} must have shape") as info:
            forward(*bad)
        assert dims in str(info.value)
        assert str(bad[k].shape) in str(info.value)
        bad[k] = args[k].astype(np.int64)
        with pytest.raises(ValueError, match=rf"^{name} must have a floating dtype"):
            forward(*bad)


def test_forward_needs_at_least_one_step():
    x, h0, Wx, Wh, b = rnn_args(np.random.default_rng(0))
    with pytest.raises(ValueError, match="at least one time step"):
        rnn_forward(x[:, :0], h0, Wx, Wh, b)


def test_wh_message_is_exact():
    x, h0, c0, Wx, Wh, b = lstm_args(np.random.default_rng(0))
    with pytest.raises(ValueError) as info:
        lstm_forward(x, h0, c0, Wx, Wh[:, : 3 * H], b)
    assert str(info.value) == f"Wh must have shape (H, 4H) = ({H}, {4 * H}), got ({H}, {3 * H})"


BACKWARDS = {
    "rnn_backward": (rnn_forward, rnn_args, lambda dh, c, **kw: rnn_backward(dh, c, **kw)),
    "rnn_backward_truncated": (
        rnn_forward,
        rnn_args,
        lambda dh, c, k=1: rnn_backward_truncated(dh, c, k),
    ),
    "lstm_backward": (lstm_forward, lstm_args, lambda dh, c, **kw: lstm_backward(dh, c, **kw)),
    "lstm_backward_truncated": (
        lstm_forward,
        lstm_args,
        lambda dh, c, k=1: lstm_backward_truncated(dh, c, k),
    ),
}


@pytest.mark.parametrize("fn", sorted(BACKWARDS))
def test_backward_rejects_bad_dh_and_foreign_caches(fn):
    forward, make, backward = BACKWARDS[fn]
    h, cache = forward(*make(np.random.default_rng(0)))
    with pytest.raises(ValueError, match=rf"dh must have shape \(N, T, H\) = \({N}, {T}, {H}\)"):
        backward(np.zeros((N, T - 1, H)), cache)
    with pytest.raises(ValueError, match="dh must have a floating dtype"):
        backward(np.zeros(h.shape, dtype=np.int64), cache)
    with pytest.raises(ValueError, match="cache must be the"):
        backward(np.zeros_like(h), tuple(cache))
    if fn.endswith("truncated"):
        for k in (-1, 1.5, True, None):
            with pytest.raises(ValueError, match="k .* must be an integer >= 0"):
                backward(np.zeros_like(h), cache, k=k)
    else:
        with pytest.raises(ValueError, match="dhT must have shape"):
            backward(np.zeros_like(h), cache, dhT=np.zeros((N, H + 1)))
    if fn == "lstm_backward":
        with pytest.raises(ValueError, match="dcT must have a floating dtype"):
            backward(np.zeros_like(h), cache, dcT=np.zeros((N, H), dtype=int))


# ----------------------------------------------- GRU

from rnnlib.cells import gru_step_backward, gru_step_forward  # noqa: E402
from rnnlib.sequence import GRUCache, gru_backward, gru_forward  # noqa: E402


def gru_args(rng, dtype=np.float64, scale=0.5, T=T):
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    Wx = scale * rng.standard_normal((D, 3 * H))
    Wh = scale * rng.standard_normal((H, 3 * H))
    bx = scale * rng.standard_normal(3 * H)
    bh = scale * rng.standard_normal(3 * H)
    return tuple(a.astype(dtype) for a in (x, h0, Wx, Wh, bx, bh))


def gru_by_steps(x, h0, Wx, Wh, bx, bh, dh):
    """Forward and full BPTT by looping gru_step_forward / gru_step_backward."""
    hs, caches, h = [], [], h0
    for t in range(x.shape[1]):
        h, cache = gru_step_forward(x[:, t], h, Wx, Wh, bx, bh)
        hs.append(h)
        caches.append(cache)
    dxs, dh_carried = [], np.zeros_like(h0)
    sums = [np.zeros_like(a) for a in (Wx, Wh, bx, bh)]
    for t in reversed(range(x.shape[1])):
        dx_t, dh_carried, *grads_t = gru_step_backward(dh[:, t] + dh_carried, caches[t])
        dxs.insert(0, dx_t)
        sums = [s + g for s, g in zip(sums, grads_t, strict=True)]
    return np.stack(hs, 1), (np.stack(dxs, 1), dh_carried, *sums)


def _sig(a):
    return 1 / (1 + np.exp(-a))


def torch_gru_sequence(x, h0, weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0):
    """torch.nn.GRU(batch_first=True) from PyTorch's documented equations, one sample,
    one step and one unit at a time (nothing shared with rnnlib)."""
    Nn, Tt, _ = x.shape
    Hh = h0.shape[1]
    out = np.empty((Nn, Tt, Hh))
    for k in range(Nn):
        h = h0[k].copy()
        for t in range(Tt):
            new = np.empty(Hh)
            for j in range(Hh):
                r = _sig(
                    weight_ih_l0[j] @ x[k, t] + bias_ih_l0[j] + weight_hh_l0[j] @ h + bias_hh_l0[j]
                )
                z = _sig(
                    weight_ih_l0[Hh + j] @ x[k, t]
                    + bias_ih_l0[Hh + j]
                    + weight_hh_l0[Hh + j] @ h
                    + bias_hh_l0[Hh + j]
                )
                n = np.tanh(
                    weight_ih_l0[2 * Hh + j] @ x[k, t]
                    + bias_ih_l0[2 * Hh + j]
                    + r * (weight_hh_l0[2 * Hh + j] @ h + bias_hh_l0[2 * Hh + j])
                )
                new[j] = (1 - z) * n + z * h[j]
            h = new
            out[k, t] = h
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gru_sequence_equals_loop_of_steps(seed):
    rng = np.random.default_rng(seed)
    args = gru_args(rng)
    dh = rng.standard_normal((N, T, H))
    h, cache = gru_forward(*args)
    h_ref, grads_ref = gru_by_steps(*args, dh)
    assert_same(h, h_ref)
    for got, want in zip(gru_backward(dh, cache), grads_ref, strict=True):
        assert_same(got, want)


def test_gru_backward_matches_finite_differences():
    args = gru_args(np.random.default_rng(0))
    errors = check_backward(gru_forward, gru_backward, args)
    assert list(errors) == ["dx", "dh0", "dWx", "dWh", "dbx", "dbh"]
    assert max(errors.values()) < SEQ_TOL, errors


def test_gru_backward_with_saturated_gates_and_long_sequence():
    args = gru_args(np.random.default_rng(1), scale=1.5, T=12)
    errors = check_backward(gru_forward, gru_backward, args, rng=1)
    assert max(errors.values()) < SEQ_TOL, errors


def test_gru_gradient_of_the_final_state_dhT():
    x, h0, Wx, Wh, bx, bh = gru_args(np.random.default_rng(2))
    dhT = np.random.default_rng(3).standard_normal((N, H))

    def fwd(x, h0, Wx, Wh, bx, bh):
        h, cache = gru_forward(x, h0, Wx, Wh, bx, bh)
        return h[:, -1], cache

    def bwd(dlast, cache):
        return gru_backward(np.zeros(cache.h.shape), cache, dhT=dlast)

    errors = check_backward(fwd, bwd, (x, h0, Wx, Wh, bx, bh))
    assert max(errors.values()) < SEQ_TOL, errors
    h, cache = gru_forward(x, h0, Wx, Wh, bx, bh)
    dh = np.zeros_like(h)
    dh[:, -1] = dhT
    for a, b in zip(
        gru_backward(dh, cache), gru_backward(np.zeros_like(h), cache, dhT=dhT), strict=True
    ):
        assert_same(a, b)


def test_gru_is_pytorchs_documented_gru():
    x, h0, Wx, Wh, bx, bh = gru_args(np.random.default_rng(4), scale=1.0)
    h, _ = gru_forward(x, h0, Wx, Wh, bx, bh)
    assert_same(h, torch_gru_sequence(x, h0, Wx.T, Wh.T, bx, bh), rtol=1e-13)


def test_gru_update_gate_at_one_carries_h_and_its_gradient_over_many_steps():
    x, h0, Wx, Wh, bx, bh = gru_args(np.random.default_rng(5), T=50)
    bx = bx.copy()
    bx[H : 2 * H] = 800.0  # z = 1 at every step
    h, cache = gru_forward(x, h0, Wx, Wh, bx, bh)
    np.testing.assert_allclose(h, np.broadcast_to(h0[:, None], h.shape), rtol=1e-15)
    dhT = np.random.default_rng(6).standard_normal((N, H))
    dx, dh0, *_ = gru_backward(np.zeros_like(h), cache, dhT=dhT)
    np.testing.assert_allclose(dh0, dhT, rtol=1e-15)
    np.testing.assert_array_equal(dx, 0.0)


def test_gru_gates_at_zero_forget_the_past_at_every_step():
    x, h0, Wx, Wh, bx, bh = gru_args(np.random.default_rng(7))
    bx = bx.copy()
    bx[: 2 * H] = -800.0  # r = z = 0: h_t = tanh(x_t @ Wx_n + bx_n), h_{t-1} ignored
    h, cache = gru_forward(x, h0, Wx, Wh, bx, bh)
    assert_same(h, np.tanh(x @ Wx[:, 2 * H :] + bx[2 * H :]), rtol=1e-14)
    dx, dh0, *_ = gru_backward(np.ones_like(h), cache)
    np.testing.assert_array_equal(dh0, 0.0)
    assert isinstance(cache, GRUCache)


def test_gru_float32_in_float32_out_and_inputs_untouched():
    args64 = gru_args(np.random.default_rng(0))
    dh = np.random.default_rng(1).standard_normal((N, T, H))
    args32 = tuple(a.astype(np.float32) for a in args64)
    saved = [a.copy() for a in (*args32, dh)]
    h64, cache64 = gru_forward(*args64)
    h32, cache32 = gru_forward(*args32)
    grads64 = gru_backward(dh, cache64)
    grads32 = gru_backward(dh.astype(np.float32), cache32)
    for got, want in zip([h32, *grads32], [h64, *grads64], strict=True):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    gru_backward(dh, cache64)
    for a, s in zip((*args32, dh), saved, strict=True):
        np.testing.assert_array_equal(a, s)


@pytest.mark.parametrize("scale", [1e3, 1e6])
def test_gru_huge_pre_activations_are_finite_and_silent(scale):
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dtype in (np.float32, np.float64):
            h, cache = gru_forward(*gru_args(rng, dtype=dtype, scale=scale))
            grads = gru_backward(np.ones_like(h), cache)
            assert all(np.all(np.isfinite(a)) for a in (h, *grads))


GRU_SHAPES = {
    "x": "(N, T, D)",
    "h0": "(N, H)",
    "Wx": "(D, 3H)",
    "Wh": "(H, 3H)",
    "bx": "(3H,)",
    "bh": "(3H,)",
}


def test_gru_forward_wrong_shape_or_dtype_raises_a_clear_error():
    args = gru_args(np.random.default_rng(0))
    for k, (name, dims) in enumerate(GRU_SHAPES.items()):
        bad = list(args)
        if name == "x":
            bad[k] = np.zeros((N, T))
        elif name == "h0":
            bad[k] = np.zeros((N + 1, H))
        else:
            bad[k] = np.zeros(args[k].shape[:-1] + (args[k].shape[-1] + 1,))
        with pytest.raises(ValueError, match=rf"^{name} must have shape") as info:
            gru_forward(*bad)
        assert dims in str(info.value) and str(bad[k].shape) in str(info.value)
        bad[k] = args[k].astype(np.int64)
        with pytest.raises(ValueError, match=rf"^{name} must have a floating dtype"):
            gru_forward(*bad)
    x, h0, Wx, Wh, bx, bh = args
    with pytest.raises(ValueError, match="at least one time step"):
        gru_forward(x[:, :0], h0, Wx, Wh, bx, bh)


def test_gru_backward_rejects_bad_dh_and_foreign_caches():
    h, cache = gru_forward(*gru_args(np.random.default_rng(0)))
    _, rnn_cache = rnn_forward(*rnn_args(np.random.default_rng(0)))
    with pytest.raises(ValueError, match=rf"dh must have shape \(N, T, H\) = \({N}, {T}, {H}\)"):
        gru_backward(np.zeros((N, T - 1, H)), cache)
    with pytest.raises(ValueError, match="dh must have a floating dtype"):
        gru_backward(np.zeros(h.shape, dtype=np.int64), cache)
    with pytest.raises(ValueError, match="cache must be the GRUCache"):
        gru_backward(np.zeros_like(h), rnn_cache)
    with pytest.raises(ValueError, match="dhT must have shape"):
        gru_backward(np.zeros_like(h), cache, dhT=np.zeros((N, H + 1)))


# ------------------------------------------------------------ NaN and inf in the inputs

RNN_NAMES = ("x", "h0", "Wx", "Wh", "b")
LSTM_NAMES = ("x", "h0", "c0", "Wx", "Wh", "b")


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
def test_forward_reports_nan_and_inf_naming_the_argument(cell, bad_value):
    forward, make, names = {
        "rnn": (rnn_forward, rnn_args, RNN_NAMES),
        "lstm": (lstm_forward, lstm_args, LSTM_NAMES),
    }[cell]
    args = make(np.random.default_rng(0))
    for k, name in enumerate(names):
        for where in (0, -1):  # the first and the last value: the whole array is checked
            bad = [a.copy() for a in args]
            bad[k].flat[where] = bad_value
            kind = "1 NaN and 0 inf" if np.isnan(bad_value) else "0 NaN and 1 inf"
            with pytest.raises(FloatingPointError, match=rf"^{name} is not finite: {kind} of"):
                forward(*bad)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_forward_accepts_huge_finite_inputs_without_warnings(cell):
    # saturation is not an error: tanh and sigmoid of +-1e300 are +-1, 0 or 1
    forward, make = {"rnn": (rnn_forward, rnn_args), "lstm": (lstm_forward, lstm_args)}[cell]
    args = list(make(np.random.default_rng(0)))
    args[0] = args[0] * 1e300
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h, _ = forward(*args)
    assert np.all(np.isfinite(h)) and np.all(np.abs(h) <= 1)
