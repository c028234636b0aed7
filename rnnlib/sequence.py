"""Recurrent layers over a whole sequence: forward, full BPTT and truncated BPTT.

The math is that of :mod:`rnnlib.cells` applied at t = 0, 1, ..., T-1 with the
same parameters; the tests check that looping the step functions gives the same
numbers. What changes is *where the work happens*. Only ``h_prev @ Wh`` truly
depends on the previous step, so everything else leaves the time loop:

* forward: the input projection ``x_t @ Wx + b`` of all T steps is ONE
  ``(N*T, D) @ (D, G*H)`` matmul before the loop;
* backward: the loop only computes each step's pre-activation gradient ``da_t``
  (kept in a (T, N, G*H) buffer) and ``dh_prev = da_t @ Wh.T``. The parameter
  gradients are sums over time of per-step products, ``dWx = sum_t x_t.T @ da_t``,
  and a sum over t of matrix products over the batch is *one* matrix product over
  the stacked N*T rows. So ``dWx``, ``dWh``, ``db`` and ``dx`` are each one
  matmul (or sum) after the loop.

Big matmuls run near the machine's peak; T small ones plus Python overhead do
not. ``benchmarks/bench_sequence.py`` measures the difference.

Memory layout: the arguments and results are batch first, but the work buffers
inside are *time-major*, (T, N, .), so that each step reads and writes one
contiguous (N, .) block. A batch-first slice ``h[:, t]`` is N rows scattered
T*H apart, and walking such rows at every step is several times slower. The
cache fields (N, T, H) are transposed views of those buffers: same shapes and
values, no copies.

Shapes: x (N, T, D), h0 and c0 (N, H), hidden sequence h (N, T, H); G = 1 for
the RNN and 4 for the LSTM (gates stacked i, f, g, o).

The GRU (gates stacked r, z, n, PyTorch's form with two biases) is at the end of
the module: its ``h_prev`` enters twice (through ``Wh`` and directly, scaled by z),
so its loop keeps two gradient buffers, one for the input part and one for the
hidden part of the pre-activations.

Indexing: the code counts steps from 0 like Python (``x[:, t]``, ``h[:, t]``,
t = 0..T-1), so in the comments below the initial state is h_{-1}. The
notebooks count from 1 like the papers: there ``h0`` is h_0, ``x[:, t]`` is
x_{t+1} and ``h[:, t]`` is h_{t+1}. Same numbers, shifted names.
"""

from __future__ import annotations

from numbers import Integral
from typing import NamedTuple

import numpy as np

from rnnlib._validate import GRADIENT_HINT, INPUT_HINT, check_array, check_batch, check_finite

__all__ = [
    "GRUCache",
    "LSTMCache",
    "RNNCache",
    "gru_backward",
    "gru_forward",
    "lstm_backward",
    "lstm_backward_truncated",
    "lstm_forward",
    "rnn_backward",
    "rnn_backward_truncated",
    "rnn_forward",
]


class RNNCache(NamedTuple):
    """What :func:`rnn_backward` needs from :func:`rnn_forward`."""

    x: np.ndarray  # (N, T, D) inputs
    h0: np.ndarray  # (N, H) initial state
    h: np.ndarray  # (N, T, H) hidden states (tanh outputs)
    Wx: np.ndarray  # (D, H)
    Wh: np.ndarray  # (H, H)


class LSTMCache(NamedTuple):
    """What :func:`lstm_backward` needs from :func:`lstm_forward`; also handy to plot.

    ``c[:, -1]`` is the final cell state (carry it to the next chunk with
    ``h[:, -1]``); ``i``, ``f``, ``g``, ``o`` are the gate values at every step.
    """

    x: np.ndarray  # (N, T, D)
    h0: np.ndarray  # (N, H)
    c0: np.ndarray  # (N, H)
    h: np.ndarray  # (N, T, H) hidden states
    c: np.ndarray  # (N, T, H) cell states
    i: np.ndarray  # (N, T, H) input gate
    f: np.ndarray  # (N, T, H) forget gate
    g: np.ndarray  # (N, T, H) candidate values
    o: np.ndarray  # (N, T, H) output gate
    tanh_c: np.ndarray  # (N, T, H) tanh(c)
    Wx: np.ndarray  # (D, 4H)
    Wh: np.ndarray  # (H, 4H)


# ---------------------------------------------------------------- helpers


def _check_sequence(x, h0, Wx, Wh, b, gates, **states):
    """Validate the inputs of a forward pass; return (N, T, D, H).

    ``states`` are further (N, H) initial states (``c0=c0`` for the LSTM). Every
    input must be finite: a NaN would otherwise flow silently into every later
    hidden state. The check is one pass over each input, before the time loop.
    """
    check_array("x", x, "N, T, D", (None, None, None))
    check_batch("x", x)
    N, T, D = x.shape
    if T < 1:
        raise ValueError(f"x must hold at least one time step, got shape {x.shape}")
    check_array("h0", h0, "N, H", (N, None))
    H = h0.shape[1]
    G = "" if gates == 1 else f"{gates}"
    check_array("Wx", Wx, f"D, {G}H", (D, gates * H))
    check_array("Wh", Wh, f"H, {G}H", (H, gates * H))
    check_array("b", b, f"{G}H,", (gates * H,))
    for name, s in states.items():
        check_array(name, s, "N, H", (N, H))
    for name, a in dict(x=x, h0=h0, **states, Wx=Wx, Wh=Wh, b=b).items():
        check_finite(name, a, hint=INPUT_HINT)
    return N, T, D, H


def _check_backward(dh, cache, cls, forward, **final):
    if not isinstance(cache, cls):
        raise ValueError(
            f"cache must be the {cls.__name__} returned by {forward}, got {type(cache).__name__}"
        )
    check_array("dh", dh, "N, T, H", cache.h.shape)
    check_finite("dh", dh, hint=GRADIENT_HINT)
    for name, d in final.items():
        if d is not None:
            check_array(name, d, "N, H", cache.h0.shape)
            check_finite(name, d, hint=GRADIENT_HINT)


def _check_k(k):
    if isinstance(k, bool) or not isinstance(k, Integral) or k < 0:
        raise ValueError(f"k (steps to propagate back) must be an integer >= 0, got {k!r}")
    return int(k)


def _time_major(a):
    """(N, T, ...) -> (T, N, ...), a view (``a.transpose``) with no copy."""
    return a.swapaxes(0, 1)


def _project(x, Wx, b, out):
    """``out[t] = x_t @ Wx + b`` for every step at once: ONE (T*N, D) @ (D, G*H) matmul.

    ``out`` is a contiguous (T, N, G*H) buffer.
    """
    N, T, D = x.shape
    x_rows = np.ascontiguousarray(_time_major(x)).reshape(T * N, D)  # row t*N + n is x[n, t]
    np.matmul(x_rows, Wx, out=out.reshape(T * N, -1))
    out += b
    return out


def _param_grads(x, h_prev, dA, Wx):
    """dx, dWx, dWh, db from the pre-activation gradients dA (T, N, G*H) of all steps.

    ``h_prev`` (T, N, H) holds h_{t-1} for every t (h0 first). Step t contributes
    ``x_t.T @ da_t`` to dWx, ``h_{t-1}.T @ da_t`` to dWh and ``da_t.sum(0)`` to db.
    Summed over t these are products over the T*N stacked rows, so each gradient
    is one matmul (or one sum) here, not T small ones inside the loop.
    """
    N, T, D = x.shape
    dA_rows = dA.reshape(T * N, -1)  # (T*N, G*H)
    x_rows = np.ascontiguousarray(_time_major(x)).reshape(T * N, D)
    dWx = x_rows.T @ dA_rows
    dWh = h_prev.reshape(T * N, -1).T @ dA_rows
    db = dA_rows.sum(axis=0)
    dx = np.ascontiguousarray(_time_major((dA_rows @ Wx.T).reshape(T, N, D)))  # (N, T, D)
    return dx, dWx, dWh, db


def _with_initial(h0, h):
    """Time-major states with the initial one first: ``hs[0] = h0``, ``hs[t + 1] = h_t``.

    (T+1, N, H); ``hs[:-1]`` is then h_{t-1} for every t, a contiguous block.
    """
    return np.concatenate([h0[None], _time_major(h)], axis=0)


def _sigmoid(a, out):
    """``out = 1 / (1 + exp(-a))`` without temporaries (``out`` may be ``a``)."""
    np.negative(a, out=out)
    with np.errstate(over="ignore"):  # exp(-a) = inf for a << 0: 1/(1+inf) = 0, the right limit
        np.exp(out, out=out)
    out += 1
    return np.reciprocal(out, out=out)


def _tanh(a, out):
    """``out = tanh(a)``, computed as ``2 / (1 + exp(-2a)) - 1`` (``out`` may be ``a``).

    The identity ``tanh(z) = 2 sigmoid(2z) - 1`` is exact. In floating point the
    result is off by a few machine epsilons *absolutely* (not relatively: for
    tiny z, where tanh(z) ~ z, the relative error grows, but an error of 1e-16 in
    float64, 1e-7 in float32, next to states of order 1 changes nothing). It is
    overflow-free, and one ``exp`` costs half of what float64 ``np.tanh`` costs
    on a CPU without AVX-512 (about the same in float32).
    """
    np.multiply(a, -2, out=out)
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1
    np.divide(2, out, out=out)
    out -= 1
    return out


def _lstm_gates(a):
    """In place: turn pre-activations a (4, ..., H), gate by gate, into i, f, g, o.

    One ``exp`` over all four gates: sigmoid for i, f, o, and for g the identity
    tanh(z) = 2 sigmoid(2z) - 1 (scale the g block by 2 first, map it back after).
    """
    a[2] *= 2
    _sigmoid(a, out=a)
    a[2] *= 2
    a[2] -= 1
    return a[0], a[1], a[2], a[3]


def _lstm_local_backward(dh, dc, i, f, g, o, tanh_c, c_prev, da, tmp):
    """In place, any leading shape (..., H): the LSTM step backward up to ``da``.

    Reads ``dh`` (total gradient reaching h_t) and ``dc`` (gradient reaching c_t
    from step t+1); writes ``da`` (..., 4H), or the tuple of its four gate blocks
    ``(di, df, dg, do)``, and turns ``dc`` into dc_prev.
    Same equations as :func:`rnnlib.cells.lstm_step_backward`, without temporaries.
    """
    H = i.shape[-1]
    if isinstance(da, tuple):  # the gate blocks, each its own (contiguous) array
        di, df, dg, do = da
    else:
        di, df, dg, do = (da[..., k * H : (k + 1) * H] for k in range(4))
    # dc += dh * o * (1 - tanh_c**2): the total gradient reaching c_t
    np.multiply(tanh_c, tanh_c, out=tmp)
    np.subtract(1, tmp, out=tmp)
    tmp *= o
    tmp *= dh
    dc += tmp
    # pre-activation gradients, block by block (sigmoid' = y(1-y), tanh' = 1-y^2)
    np.subtract(1, o, out=do)
    do *= o
    do *= tanh_c
    do *= dh
    np.subtract(1, i, out=di)
    di *= i
    di *= g
    di *= dc
    np.subtract(1, f, out=df)
    df *= f
    df *= c_prev
    df *= dc
    np.multiply(g, g, out=dg)
    np.subtract(1, dg, out=dg)
    dg *= i
    dg *= dc
    dc *= f  # dc_prev: along the memory's own path only the forget gate scales it


# ---------------------------------------------------------------- vanilla RNN


def rnn_forward(x, h0, Wx, Wh, b):
    """Run a vanilla RNN over a sequence: ``h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + b)``.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
        Input sequences, batch first.
    h0 : numpy.ndarray, shape (N, H)
        Initial hidden state (``h_{-1}`` with 0-based steps; h_0 in the notebooks).
    Wx : numpy.ndarray, shape (D, H)
    Wh : numpy.ndarray, shape (H, H)
    b : numpy.ndarray, shape (H,)

    Returns
    -------
    h : numpy.ndarray, shape (N, T, H)
        Hidden state after every step; ``h[:, -1]`` is the final state.
    cache : RNNCache
        For :func:`rnn_backward`.

    Raises
    ------
    ValueError
        On a wrong shape or a non-float dtype, naming the argument.
    FloatingPointError
        If any input holds NaN or inf (named, with the count of each).
    """
    N, T, D, H = _check_sequence(x, h0, Wx, Wh, b, gates=1)
    dtype = np.result_type(x, h0, Wx, Wh, b)
    hs = np.empty((T + 1, N, H), dtype)  # time-major: hs[0] = h0, hs[t + 1] = h_t
    hs[0] = h0
    # Hoisted out of the loop: x_t @ Wx + b for all T steps in ONE matmul. Each step
    # then adds h_{t-1} @ Wh to its slice and overwrites it with h_t.
    _project(x, Wx, b, out=hs[1:])
    ah = np.empty((N, H), dtype)  # reused every step: no per-step allocation
    for t in range(T):
        a = hs[t + 1]  # (N, H), contiguous
        a += np.matmul(hs[t], Wh, out=ah)  # the only matmul left in the loop
        _tanh(a, out=a)
    h = np.ascontiguousarray(_time_major(hs[1:]))  # (N, T, H), batch first for the caller
    return h, RNNCache(x, h0, h, Wx, Wh)


def rnn_backward(dh, cache, *, dhT=None):
    """Backpropagation through time for :func:`rnn_forward`.

    For t = T-1 down to 0: ``dh_total = dh[:, t] + dh_carried`` (the total dL/dh_t),
    ``da_t = dh_total * (1 - h_t**2)``, and ``dh_carried = da_t @ Wh.T`` goes back to
    h_{t-1}. Parameter gradients sum over t.

    Parameters
    ----------
    dh : numpy.ndarray, shape (N, T, H)
        Upstream gradient of the loss with respect to every hidden state, from the
        outputs only (zeros where h_t feeds no output).
    cache : RNNCache
        From :func:`rnn_forward`.
    dhT : numpy.ndarray, shape (N, H), optional
        Extra gradient with respect to the final state ``h[:, -1]`` (for example
        from a later chunk); the same as adding it to ``dh[:, -1]``.

    Returns
    -------
    dx : numpy.ndarray, shape (N, T, D)
    dh0 : numpy.ndarray, shape (N, H)
    dWx : numpy.ndarray, shape (D, H)
    dWh : numpy.ndarray, shape (H, H)
    db : numpy.ndarray, shape (H,)

    Notes
    -----
    ``dh[:, t]`` is the *immediate* gradient (through the output at t); the
    *total* gradient dL/dh_t adds what flows back from step t+1. Dropping either
    stream still passes a one-step gradient check, but not a check of this function.
    """
    _check_backward(dh, cache, RNNCache, "rnn_forward", dhT=dhT)
    x, h0, h, Wx, Wh = cache
    N, T, H = h.shape
    hs = _with_initial(h0, h)  # (T+1, N, H): hs[t + 1] = h_t
    dA = np.empty((T, N, H), h.dtype)  # pre-activation gradient of every step
    # the carried stream: what step t+1 sends back to h_t (nothing after the last step)
    dh_carried = np.zeros((N, H), h.dtype) if dhT is None else dhT.astype(h.dtype)
    dh_total = np.empty((N, H), h.dtype)
    WhT = Wh.T
    for t in reversed(range(T)):
        # TWO streams reach h_t: the immediate gradient dh[:, t] (from the output at t)
        # and the one carried back from t+1. ADD them; the sum is the total dL/dh_t.
        np.add(dh[:, t], dh_carried, out=dh_total)
        da = dA[t]
        np.multiply(hs[t + 1], hs[t + 1], out=da)
        np.subtract(1, da, out=da)
        da *= dh_total  # da_t = dL/dh_t * (1 - h_t**2)
        np.matmul(da, WhT, out=dh_carried)  # the stream this step sends back to h_{t-1}
    # Hoisted out of the loop: dx, dWx, dWh, db are each ONE matmul/sum over all steps.
    dx, dWx, dWh, db = _param_grads(x, hs[:-1], dA, Wx)
    return dx, dh_carried, dWx, dWh, db  # after step 1, the carried stream is dL/dh_0


def rnn_backward_truncated(dh, cache, k):
    """Truncated BPTT: each loss term's gradient travels back at most k steps.

    The gradient of the loss term at step s, ``dh[:, s]``, is carried back through
    the recurrence to h_s, h_{s-1}, ..., h_{s-k} (k factors ``dh_t/dh_{t-1}``) and
    dropped after that; every step it reaches contributes to dx, dWx, dWh, db as in
    full BPTT. ``h0`` counts as h_{-1}: term s reaches it only if s + 1 <= k.
    So k = 0 keeps only each term's immediate step, and k >= T is full BPTT exactly.

    Parameters
    ----------
    dh : numpy.ndarray, shape (N, T, H)
        Upstream gradient with respect to every hidden state (as for rnn_backward).
    cache : RNNCache
        From :func:`rnn_forward`.
    k : int >= 0
        How many steps back each term's gradient may travel.

    Returns
    -------
    dx, dh0, dWx, dWh, db
        As for :func:`rnn_backward`.

    Notes
    -----
    This is Williams & Peng's BPTT(h; h') with h = k, h' = 1: every term is
    truncated on its own, as if an update were made at every step. The other
    common meaning ("truncated BPTT" in most training code) is *chunked*: split the
    sequence into chunks, carry h across chunk boundaries but stop the gradient
    there. That is simply :func:`rnn_forward` / :func:`rnn_backward` called per
    chunk with h0 = the previous chunk's ``h[:, -1]`` (and its dh0 discarded);
    there a term near the end of a chunk travels far back, one near the start
    hardly at all.

    The work is vectorised over the terms: pass j moves every term's gradient
    one step further back at once, one matmul per pass, so the cost is about
    k times that of :func:`rnn_backward`.
    """
    _check_backward(dh, cache, RNNCache, "rnn_forward")
    k = _check_k(k)
    x, h0, h, Wx, Wh = cache
    N, T, H = h.shape
    if k >= T:  # every term reaches h0: nothing is truncated
        return rnn_backward(dh, cache)
    dtanh = 1 - _time_major(h) ** 2  # (T, N, H)
    # pass j: p[t] is the pre-activation gradient at step t of the term s = t + j
    p = _time_major(dh) * dtanh
    dA = p.astype(h.dtype)  # (T, N, H) sum over passes, a copy
    dh0 = np.zeros((N, H), dA.dtype)
    for j in range(1, k + 1):
        # what step t sends back to h_{t-1}, for every term at once: (T-j+1, N, H)
        dh_carried = (p.reshape(-1, H) @ Wh.T).reshape(p.shape)
        dh0 += dh_carried[0]  # h_{-1} = h0, reached by the term s = j-1 after j steps
        p = dh_carried[1:] * dtanh[: T - j]  # (T-j, N, H)
        dA[: T - j] += p
    dx, dWx, dWh, db = _param_grads(x, _with_initial(h0, h)[:-1], dA, Wx)
    return dx, dh0, dWx, dWh, db


# ---------------------------------------------------------------- LSTM


def lstm_forward(x, h0, c0, Wx, Wh, b):
    """Run an LSTM over a sequence (gates stacked i, f, g, o, as in PyTorch).

    At every step, with ``a = x_t @ Wx + h_{t-1} @ Wh + b`` cut in four blocks:
    ``i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o)``, ``g = tanh(a_g)``,
    ``c_t = f * c_{t-1} + i * g``, ``h_t = o * tanh(c_t)``. See
    :func:`rnnlib.cells.lstm_step_forward` for the one-step version and for how
    the parameters load into ``torch.nn.LSTM`` (``weight_ih_l0 = Wx.T``).

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
    h0 : numpy.ndarray, shape (N, H)
        Initial hidden state.
    c0 : numpy.ndarray, shape (N, H)
        Initial cell state.
    Wx : numpy.ndarray, shape (D, 4H)
    Wh : numpy.ndarray, shape (H, 4H)
    b : numpy.ndarray, shape (4H,)

    Returns
    -------
    h : numpy.ndarray, shape (N, T, H)
        Hidden states; ``h[:, -1]`` is the final one.
    cache : LSTMCache
        For :func:`lstm_backward`. Fields ``c`` (cell states; the final one is
        ``cache.c[:, -1]``) and ``i``, ``f``, ``g``, ``o`` (gate values), each
        (N, T, H), are there to read and plot too.

    Raises
    ------
    ValueError
        On a wrong shape or a non-float dtype, naming the argument.
    FloatingPointError
        If any input holds NaN or inf (named, with the count of each).
    """
    N, T, D, H = _check_sequence(x, h0, Wx, Wh, b, gates=4, c0=c0)
    dtype = np.result_type(x, h0, c0, Wx, Wh, b)
    # time-major buffers; hs[0] = h0, hs[t + 1] = h_t, and the same for cs
    hs, cs = np.empty((T + 1, N, H), dtype), np.empty((T + 1, N, H), dtype)
    hs[0], cs[0] = h0, c0
    tanh_c = np.empty((T, N, H), dtype)
    ah, ig = np.empty((N, 4 * H), dtype), np.empty((N, H), dtype)  # reused every step
    # Hoisted: x_t @ Wx + b for all steps in ONE matmul. Each step adds h_{t-1} @ Wh
    # to its slice.
    proj = _project(x, Wx, b, out=np.empty((T, N, 4 * H), dtype))
    # The gate values are stored gate by gate, (4, T, N, H), so that each gate of each
    # step is one contiguous (N, H) block: numpy runs elementwise work on contiguous
    # memory several times faster than on an (N, H) block cut out of (N, 4H) rows.
    gates = np.empty((4, T, N, H), dtype)
    for t in range(T):
        a = proj[t]  # (N, 4H), contiguous
        a += np.matmul(hs[t], Wh, out=ah)  # the only matmul left in the loop
        gates[:, t] = a.reshape(N, 4, H).swapaxes(0, 1)  # (4, N, H): one copy
        i, f, g, o = _lstm_gates(gates[:, t])
        c = np.multiply(f, cs[t], out=cs[t + 1])
        c += np.multiply(i, g, out=ig)  # c_t = f * c_{t-1} + i * g
        _tanh(c, out=tanh_c[t])
        np.multiply(o, tanh_c[t], out=hs[t + 1])  # h_t = o * tanh(c_t)
    h = np.ascontiguousarray(_time_major(hs[1:]))  # (N, T, H), batch first for the caller
    # the cache holds (N, T, H) views of the time-major buffers: no copies
    i, f, g, o = (_time_major(gates[k]) for k in range(4))
    c, tanh_c = _time_major(cs[1:]), _time_major(tanh_c)
    return h, LSTMCache(x, h0, c0, h, c, i, f, g, o, tanh_c, Wx, Wh)


def lstm_backward(dh, cache, *, dhT=None, dcT=None):
    """Backpropagation through time for :func:`lstm_forward`.

    Runs :func:`rnnlib.cells.lstm_step_backward`'s equations (see its table of
    intermediate gradients) from t = T-1 down to 0, carrying dL/dh and dL/dc back.

    Parameters
    ----------
    dh : numpy.ndarray, shape (N, T, H)
        Upstream gradient with respect to every hidden state, from the outputs.
    cache : LSTMCache
        From :func:`lstm_forward`.
    dhT, dcT : numpy.ndarray, shape (N, H), optional
        Extra gradients with respect to the final states ``h[:, -1]`` and
        ``cache.c[:, -1]`` (for example from a later chunk). Default: none.

    Returns
    -------
    dx : numpy.ndarray, shape (N, T, D)
    dh0 : numpy.ndarray, shape (N, H)
    dc0 : numpy.ndarray, shape (N, H)
    dWx : numpy.ndarray, shape (D, 4H)
    dWh : numpy.ndarray, shape (H, 4H)
    db : numpy.ndarray, shape (4H,)

    Notes
    -----
    The cell state has no output of its own, so only h receives ``dh[:, t]``;
    c receives its gradient from step t+1 and, through ``h_t = o * tanh(c_t)``,
    from h_t.
    """
    _check_backward(dh, cache, LSTMCache, "lstm_forward", dhT=dhT, dcT=dcT)
    x, h0, c0, h, c, i, f, g, o, tanh_c, Wx, Wh = cache
    N, T, H = h.shape
    # time-major views: for lstm_forward's cache these are its contiguous buffers again
    c, i, f, g, o, tanh_c = (_time_major(a) for a in (c, i, f, g, o, tanh_c))
    dh = np.ascontiguousarray(_time_major(dh))  # (T, N, H): dh[t] is contiguous
    dA = np.empty((T, N, 4 * H), h.dtype)  # pre-activation gradients of every step
    # the carried streams: what step t+1 sends back to h_t and to c_t
    dh_carried = np.zeros((N, H), h.dtype) if dhT is None else dhT.astype(h.dtype)
    dc_carried = np.zeros((N, H), h.dtype) if dcT is None else dcT.astype(h.dtype)
    dh_total = np.empty((N, H), h.dtype)
    tmp, WhT = np.empty((N, H), h.dtype), Wh.T
    da = np.empty((4, N, H), h.dtype)  # da_t gate by gate: contiguous blocks (as in forward)
    for t in reversed(range(T)):
        # TWO streams reach h_t: the immediate gradient dh[t] (from the output at t)
        # and the one carried back from t+1. ADD them; the sum is the total dL/dh_t.
        np.add(dh[t], dh_carried, out=dh_total)
        c_prev = c[t - 1] if t > 0 else c0
        _lstm_local_backward(
            dh_total, dc_carried, i[t], f[t], g[t], o[t], tanh_c[t], c_prev, da=tuple(da), tmp=tmp
        )  # writes da_t; dc_carried becomes what step t sends back to c_{t-1}
        dA[t].reshape(N, 4, H)[...] = da.swapaxes(0, 1)  # into the (N, 4H) row layout
        np.matmul(dA[t], WhT, out=dh_carried)  # the stream this step sends back to h_{t-1}
    # Hoisted out of the loop: dx, dWx, dWh, db are each ONE matmul/sum over all steps.
    dx, dWx, dWh, db = _param_grads(x, _with_initial(h0, h)[:-1], dA, Wx)
    return dx, dh_carried, dc_carried, dWx, dWh, db


def lstm_backward_truncated(dh, cache, k):
    """Truncated BPTT for the LSTM: each loss term's gradient travels back at most k steps.

    Same definition as :func:`rnn_backward_truncated`, with the state being the
    pair (h_t, c_t): the gradient of term s reaches (h_t, c_t) for s-k <= t <= s
    and is dropped after that. k = 0 keeps only the immediate step; k >= T is
    :func:`lstm_backward` exactly.

    Parameters
    ----------
    dh : numpy.ndarray, shape (N, T, H)
    cache : LSTMCache
        From :func:`lstm_forward`.
    k : int >= 0

    Returns
    -------
    dx, dh0, dc0, dWx, dWh, db
        As for :func:`lstm_backward`.
    """
    _check_backward(dh, cache, LSTMCache, "lstm_forward")
    k = _check_k(k)
    x, h0, c0, h, c, i, f, g, o, tanh_c, Wx, Wh = cache
    N, T, H = h.shape
    if k >= T:  # every term reaches (h0, c0): nothing is truncated
        return lstm_backward(dh, cache)
    i, f, g, o, tanh_c = (_time_major(a) for a in (i, f, g, o, tanh_c))
    c_prev = _with_initial(c0, c)[:-1]  # (T, N, H): c_{t-1} for every t
    dA = np.zeros((T, N, 4 * H), h.dtype)
    da, tmp = np.empty_like(dA), np.empty((T, N, H), h.dtype)
    dh0, dc0 = np.zeros((N, H), h.dtype), np.zeros((N, H), h.dtype)
    # pass j: position t holds the gradient of the term s = t + j at (h_t, c_t)
    dh_j, dc_j = _time_major(dh), np.zeros((T, N, H), h.dtype)
    for j in range(k + 1):
        m = T - j  # terms that travel j steps back sit at steps 0..m-1
        _lstm_local_backward(
            dh_j, dc_j, i[:m], f[:m], g[:m], o[:m], tanh_c[:m], c_prev[:m], da=da[:m], tmp=tmp[:m]
        )
        dA[:m] += da[:m]
        if j == k:
            break  # the gradient into (h_{t-1}, c_{t-1}) would be one step too many
        # what step t sends back to h_{t-1}, for every term at once: (m, N, H)
        dh_carried = (da[:m].reshape(-1, 4 * H) @ Wh.T).reshape(m, N, H)
        dh0 += dh_carried[0]
        dc0 += dc_j[0]
        dh_j, dc_j = dh_carried[1:], dc_j[1:]
    dx, dWx, dWh, db = _param_grads(x, _with_initial(h0, h)[:-1], dA, Wx)
    return dx, dh0, dc0, dWx, dWh, db


# ---------------------------------------------------------------- GRU


class GRUCache(NamedTuple):
    """What :func:`gru_backward` needs from :func:`gru_forward`; also handy to plot.

    ``r``, ``z``, ``n`` are the gate and candidate values at every step.
    """

    x: np.ndarray  # (N, T, D)
    h0: np.ndarray  # (N, H)
    h: np.ndarray  # (N, T, H) hidden states
    r: np.ndarray  # (N, T, H) reset gate
    z: np.ndarray  # (N, T, H) update gate
    n: np.ndarray  # (N, T, H) candidate states
    ah_n: np.ndarray  # (N, T, H) h_{t-1} @ Wh_n + bh_n, the part r scales
    Wx: np.ndarray  # (D, 3H)
    Wh: np.ndarray  # (H, 3H)


def _check_gru_sequence(x, h0, Wx, Wh, bx, bh):
    """Validate the inputs of :func:`gru_forward`; return (N, T, D, H).

    As :func:`_check_sequence`: every input must be finite, checked in one pass over
    each before the time loop.
    """
    check_array("x", x, "N, T, D", (None, None, None))
    check_batch("x", x)
    N, T, D = x.shape
    if T < 1:
        raise ValueError(f"x must hold at least one time step, got shape {x.shape}")
    check_array("h0", h0, "N, H", (N, None))
    H = h0.shape[1]
    check_array("Wx", Wx, "D, 3H", (D, 3 * H))
    check_array("Wh", Wh, "H, 3H", (H, 3 * H))
    check_array("bx", bx, "3H,", (3 * H,))
    check_array("bh", bh, "3H,", (3 * H,))
    for name, a in dict(x=x, h0=h0, Wx=Wx, Wh=Wh, bx=bx, bh=bh).items():
        check_finite(name, a, hint=INPUT_HINT)
    return N, T, D, H


def gru_forward(x, h0, Wx, Wh, bx, bh):
    """Run a GRU over a sequence (PyTorch's form, gates stacked r, z, n).

    At every step, with ``ax = x_t @ Wx + bx`` and ``ah = h_{t-1} @ Wh + bh`` cut in
    three blocks: ``r = sigmoid(ax_r + ah_r)``, ``z = sigmoid(ax_z + ah_z)``,
    ``n = tanh(ax_n + r * ah_n)``, ``h_t = (1 - z) * n + z * h_{t-1}``. See
    :func:`rnnlib.cells.gru_step_forward` for the one-step version.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
    h0 : numpy.ndarray, shape (N, H)
        Initial hidden state.
    Wx : numpy.ndarray, shape (D, 3H)
    Wh : numpy.ndarray, shape (H, 3H)
    bx : numpy.ndarray, shape (3H,)
        Input-side biases, blocks r, z, n.
    bh : numpy.ndarray, shape (3H,)
        Hidden-side biases; ``bh_n`` is scaled by the reset gate.

    Returns
    -------
    h : numpy.ndarray, shape (N, T, H)
        Hidden states; ``h[:, -1]`` is the final one.
    cache : GRUCache
        For :func:`gru_backward`. Fields ``r``, ``z`` and ``n``, each (N, T, H), are
        there to read and plot too.

    Raises
    ------
    ValueError
        On a wrong shape, a non-float dtype or an empty batch, naming the argument.
    FloatingPointError
        If any input holds NaN or inf (named, with the count of each).

    Notes
    -----
    This is exactly ``torch.nn.GRU`` (``batch_first=True``): ``Wx.T``, ``Wh.T``,
    ``bx`` and ``bh`` load into ``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0`` and
    ``bias_hh_l0`` as they are.
    """
    N, T, D, H = _check_gru_sequence(x, h0, Wx, Wh, bx, bh)
    dtype = np.result_type(x, h0, Wx, Wh, bx, bh)
    hs = np.empty((T + 1, N, H), dtype)  # time-major: hs[0] = h0, hs[t + 1] = h_t
    hs[0] = h0
    ah_n = np.empty((T, N, H), dtype)
    ah = np.empty((N, 3 * H), dtype)  # reused every step
    # Hoisted: x_t @ Wx + bx for all steps in ONE matmul. Each step overwrites its
    # slice with the values r, z, n, in place.
    gates = _project(x, Wx, bx.astype(dtype), out=np.empty((T, N, 3 * H), dtype))
    for t in range(T):
        a = gates[t]  # (N, 3H), contiguous
        np.matmul(hs[t], Wh, out=ah)  # the only matmul left in the loop
        ah += bh
        rz = a[:, : 2 * H]
        rz += ah[:, : 2 * H]
        _sigmoid(rz, out=rz)  # r and z in one pass
        r, z, n = a[:, :H], a[:, H : 2 * H], a[:, 2 * H :]
        ah_n[t] = ah[:, 2 * H :]
        n += r * ah_n[t]
        _tanh(n, out=n)
        h = hs[t + 1]
        np.subtract(hs[t], n, out=h)
        h *= z
        h += n  # h_t = n + z * (h_{t-1} - n) = (1 - z) * n + z * h_{t-1}
    h = np.ascontiguousarray(_time_major(hs[1:]))  # (N, T, H), batch first for the caller
    r, z, n = (_time_major(gates[..., k * H : (k + 1) * H]) for k in range(3))
    return h, GRUCache(x, h0, h, r, z, n, _time_major(ah_n), Wx, Wh)


def gru_backward(dh, cache, *, dhT=None):
    """Backpropagation through time for :func:`gru_forward`.

    Runs :func:`rnnlib.cells.gru_step_backward`'s equations (see its table of
    intermediate gradients) from t = T-1 down to 0.

    Parameters
    ----------
    dh : numpy.ndarray, shape (N, T, H)
        Upstream gradient with respect to every hidden state, from the outputs.
    cache : GRUCache
        From :func:`gru_forward`.
    dhT : numpy.ndarray, shape (N, H), optional
        Extra gradient with respect to the final state ``h[:, -1]``.

    Returns
    -------
    dx : numpy.ndarray, shape (N, T, D)
    dh0 : numpy.ndarray, shape (N, H)
    dWx : numpy.ndarray, shape (D, 3H)
    dWh : numpy.ndarray, shape (H, 3H)
    dbx : numpy.ndarray, shape (3H,)
    dbh : numpy.ndarray, shape (3H,)

    Notes
    -----
    ``dh[:, t]`` is the *immediate* gradient (through the output at t); the
    *total* gradient dL/dh_t adds what flows back from step t+1. From h_t the
    gradient reaches h_{t-1} along two paths: directly, scaled by z_t (the
    GRU's version of the LSTM's cell-state path), and through the three blocks.
    """
    _check_backward(dh, cache, GRUCache, "gru_forward", dhT=dhT)
    x, h0, h, r, z, n, ah_n, Wx, Wh = cache
    N, T, H = h.shape
    D = x.shape[2]
    r, z, n, ah_n = (_time_major(a) for a in (r, z, n, ah_n))
    hs = _with_initial(h0, h)  # (T+1, N, H): hs[t] = h_{t-1}
    # Local derivatives that do not depend on the incoming gradient, for all steps at
    # once (T, N, H); the loop then only multiplies them by dL/dh_t.
    coef_n = (1 - z) * (1 - n**2)  # dh_t -> n's pre-activation
    coef_r = ah_n * r * (1 - r)  # n's pre-activation -> r's
    coef_z = (hs[:-1] - n) * z * (1 - z)  # dh_t -> z's pre-activation
    dAh = np.empty((T, N, 3 * H), h.dtype)  # gradients of the hidden parts ah_t
    dAn = np.empty((T, N, H), h.dtype)  # n block of the input parts ax_t (r, z: as dAh)
    # the recurrent stream: dL/dh_t arriving from step t+1 (nothing after the last step)
    dh_carried = np.zeros((N, H), h.dtype) if dhT is None else dhT.astype(h.dtype)
    dh_total, back, WhT = np.empty((N, H), h.dtype), np.empty((N, H), h.dtype), Wh.T
    for t in reversed(range(T)):
        # TWO streams reach h_t: the immediate gradient dh[:, t] from the output at t,
        # and dh_carried from step t+1. ADD them; this sum is the total dL/dh_t.
        np.add(dh[:, t], dh_carried, out=dh_total)
        dan = np.multiply(dh_total, coef_n[t], out=dAn[t])  # n's pre-activation
        np.multiply(dan, coef_r[t], out=dAh[t, :, :H])  # r block
        np.multiply(dh_total, coef_z[t], out=dAh[t, :, H : 2 * H])  # z block
        np.multiply(dan, r[t], out=dAh[t, :, 2 * H :])  # n block: r scales ah_n
        # dL/dh_{t-1} from this step: the direct path scaled by z, plus through Wh
        np.multiply(dh_total, z[t], out=dh_carried)
        dh_carried += np.matmul(dAh[t], WhT, out=back)
    dAx = dAh.copy()  # the input parts share the r and z blocks ...
    dAx[..., 2 * H :] = dAn  # ... and differ in the n block (no r there)
    # Hoisted out of the loop: dx, dWx, dWh, dbx, dbh are each ONE matmul/sum.
    dAx_rows, dAh_rows = dAx.reshape(T * N, 3 * H), dAh.reshape(T * N, 3 * H)
    x_rows = np.ascontiguousarray(_time_major(x)).reshape(T * N, D)
    dWx = x_rows.T @ dAx_rows
    dWh = hs[:-1].reshape(T * N, H).T @ dAh_rows
    dx = np.ascontiguousarray(_time_major((dAx_rows @ Wx.T).reshape(T, N, D)))  # (N, T, D)
    return dx, dh_carried, dWx, dWh, dAx_rows.sum(axis=0), dAh_rows.sum(axis=0)
