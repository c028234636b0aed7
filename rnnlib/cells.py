"""One time step of a recurrent network: the vanilla RNN cell, the LSTM cell and the GRU cell.

These are the teaching versions: each function does exactly what its equation
says, one line per term. :mod:`rnnlib.sequence` runs them over T steps (and
hoists work out of the time loop); its tests check that both give the same numbers.

Shapes (batch first, row vectors): ``x`` (N, D), states ``h``, ``c`` (N, H),
``Wx`` (D, H) or (D, 4H), ``Wh`` (H, H) or (H, 4H), ``b`` (H,) or (4H,); the GRU
has ``Wx`` (D, 3H), ``Wh`` (H, 3H) and two biases ``bx``, ``bh`` (3H,).
Forward returns ``(out, cache)``; backward takes ``(dout, cache)`` and returns
one gradient per forward input, in the same order.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rnnlib._validate import GRADIENT_HINT, INPUT_HINT, check_array, check_finite
from rnnlib.activations import sigmoid, tanh

__all__ = [
    "GRUStepCache",
    "LSTMStepCache",
    "RNNStepCache",
    "gru_step_backward",
    "gru_step_forward",
    "lstm_step_backward",
    "lstm_step_forward",
    "rnn_step_backward",
    "rnn_step_forward",
]


class RNNStepCache(NamedTuple):
    """What :func:`rnn_step_backward` needs from the forward step."""

    x: np.ndarray  # (N, D) input
    h_prev: np.ndarray  # (N, H) previous hidden state
    h_next: np.ndarray  # (N, H) tanh output: its derivative is 1 - h_next**2
    Wx: np.ndarray  # (D, H)
    Wh: np.ndarray  # (H, H)


class LSTMStepCache(NamedTuple):
    """What :func:`lstm_step_backward` needs from the forward step (post-activation values)."""

    x: np.ndarray  # (N, D)
    h_prev: np.ndarray  # (N, H)
    c_prev: np.ndarray  # (N, H)
    i: np.ndarray  # (N, H) input gate, sigmoid
    f: np.ndarray  # (N, H) forget gate, sigmoid
    g: np.ndarray  # (N, H) candidate values, tanh
    o: np.ndarray  # (N, H) output gate, sigmoid
    c_next: np.ndarray  # (N, H)
    tanh_c: np.ndarray  # (N, H) tanh(c_next)
    Wx: np.ndarray  # (D, 4H)
    Wh: np.ndarray  # (H, 4H)


def _check_step(x, h_prev, Wx, Wh, b, gates, **states):
    """Validate one step's inputs; return (N, D, H). ``gates`` is 1 (RNN) or 4 (LSTM).

    ``states`` are further (N, H) states (``c_prev=c_prev`` for the LSTM). NaN or
    inf in ``x`` or a state raises ``FloatingPointError`` naming it. The weights are
    checked after the step, by :func:`_check_result`: a pass over them at every
    step would cost a third of the step when a model generates text one character
    at a time.
    """
    check_array("x", x, "N, D", (None, None))
    N, D = x.shape
    check_array("h_prev", h_prev, "N, H", (N, None))
    H = h_prev.shape[1]
    G = "" if gates == 1 else f"{gates}"
    check_array("Wx", Wx, f"D, {G}H", (D, gates * H))
    check_array("Wh", Wh, f"H, {G}H", (H, gates * H))
    check_array("b", b, f"{G}H,", (gates * H,))
    for name, s in states.items():
        check_array(name, s, "N, H", (N, H))
    for name, a in dict(x=x, h_prev=h_prev, **states).items():
        check_finite(name, a, hint=INPUT_HINT)
    return N, D, H


def _check_result(outputs, **weights):
    """Raise ``FloatingPointError`` if a step's output is not finite, naming the cause.

    NaN in a weight always reaches the output (``NaN * 0`` is NaN), so checking the
    small (N, H) outputs catches it; only then are the weights searched for the
    culprit. An inf weight that merely saturates a gate (``tanh(inf) = 1``) gives a
    finite output, the limit, and passes.
    """
    for name, out in outputs.items():
        if not np.all(np.isfinite(out)):
            for w_name, w in weights.items():
                check_finite(w_name, w, hint=INPUT_HINT)
            check_finite(name, out, hint="the pre-activations overflowed: inputs too large")


def _check_cache(cache, cls, forward):
    if not isinstance(cache, cls):
        raise ValueError(
            f"cache must be the {cls.__name__} returned by {forward}, got {type(cache).__name__}"
        )


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    """One step of a vanilla (Elman) RNN: ``h_next = tanh(x @ Wx + h_prev @ Wh + b)``.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D)
        Input at this step, one row per sequence in the batch.
    h_prev : numpy.ndarray, shape (N, H)
        Hidden state from the previous step.
    Wx : numpy.ndarray, shape (D, H)
        Input-to-hidden weights.
    Wh : numpy.ndarray, shape (H, H)
        Hidden-to-hidden (recurrent) weights.
    b : numpy.ndarray, shape (H,)
        Bias.

    Returns
    -------
    h_next : numpy.ndarray, shape (N, H)
        New hidden state.
    cache : RNNStepCache
        For :func:`rnn_step_backward`.
    """
    _check_step(x, h_prev, Wx, Wh, b, gates=1)
    a = x @ Wx + h_prev @ Wh + b  # (N, H) pre-activation
    h_next = tanh(a)
    _check_result(dict(h_next=h_next), Wx=Wx, Wh=Wh, b=b)
    return h_next, RNNStepCache(x, h_prev, h_next, Wx, Wh)


def rnn_step_backward(dh_next, cache):
    """Backward pass of :func:`rnn_step_forward`.

    With ``da = dh_next * (1 - h_next**2)`` (tanh' from its output):
    ``dx = da @ Wx.T``, ``dh_prev = da @ Wh.T``, ``dWx = x.T @ da``,
    ``dWh = h_prev.T @ da``, ``db = sum over the batch of da``.

    Parameters
    ----------
    dh_next : numpy.ndarray, shape (N, H)
        Gradient of the loss with respect to ``h_next``.
    cache : RNNStepCache
        From :func:`rnn_step_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (N, D)
    dh_prev : numpy.ndarray, shape (N, H)
    dWx : numpy.ndarray, shape (D, H)
    dWh : numpy.ndarray, shape (H, H)
    db : numpy.ndarray, shape (H,)

    Notes
    -----
    ``dWx``, ``dWh`` and ``db`` sum over the batch: the same weights serve every row.
    """
    _check_cache(cache, RNNStepCache, "rnn_step_forward")
    check_array("dh_next", dh_next, "N, H", cache.h_next.shape)
    check_finite("dh_next", dh_next, hint=GRADIENT_HINT)
    da = dh_next * (1 - cache.h_next**2)  # (N, H) gradient of the pre-activation
    dx = da @ cache.Wx.T
    dh_prev = da @ cache.Wh.T
    dWx = cache.x.T @ da
    dWh = cache.h_prev.T @ da
    db = da.sum(axis=0)
    return dx, dh_prev, dWx, dWh, db


def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    """One step of an LSTM with forget gate (gates stacked i, f, g, o).

    ``a = x @ Wx + h_prev @ Wh + b`` is cut into four blocks of H columns::

        i = sigmoid(a[:, :H])      input gate: how much of g to write
        f = sigmoid(a[:, H:2H])    forget gate: how much of c_prev to keep
        g = tanh(a[:, 2H:3H])      candidate values to write
        o = sigmoid(a[:, 3H:])     output gate: how much of the memory to show
        c_next = f * c_prev + i * g
        h_next = o * tanh(c_next)

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D)
        Input at this step.
    h_prev : numpy.ndarray, shape (N, H)
        Previous hidden state (what the next layer and the gates read).
    c_prev : numpy.ndarray, shape (N, H)
        Previous cell state (the memory that the gates write).
    Wx : numpy.ndarray, shape (D, 4H)
        Input weights of the four gates, side by side in the order i, f, g, o.
    Wh : numpy.ndarray, shape (H, 4H)
        Recurrent weights, same order.
    b : numpy.ndarray, shape (4H,)
        Biases, same order.

    Returns
    -------
    h_next : numpy.ndarray, shape (N, H)
    c_next : numpy.ndarray, shape (N, H)
    cache : LSTMStepCache
        For :func:`lstm_step_backward`.

    Notes
    -----
    The gate order i, f, g, o is PyTorch's, so the parameters load into
    ``torch.nn.LSTM`` as they are: ``weight_ih_l0 = Wx.T``, ``weight_hh_l0 = Wh.T``,
    and ``b`` is the sum ``bias_ih_l0 + bias_hh_l0`` (PyTorch keeps two biases that
    always appear added; set one of them to ``b`` and the other to zero).
    """
    N, D, H = _check_step(x, h_prev, Wx, Wh, b, gates=4, c_prev=c_prev)
    a = x @ Wx + h_prev @ Wh + b  # (N, 4H) all four pre-activations in one matmul
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H : 2 * H])
    g = tanh(a[:, 2 * H : 3 * H])
    o = sigmoid(a[:, 3 * H :])
    c_next = f * c_prev + i * g
    tanh_c = tanh(c_next)
    h_next = o * tanh_c
    _check_result(dict(h_next=h_next, c_next=c_next), Wx=Wx, Wh=Wh, b=b)
    cache = LSTMStepCache(x, h_prev, c_prev, i, f, g, o, c_next, tanh_c, Wx, Wh)
    return h_next, c_next, cache


def lstm_step_backward(dh_next, dc_next, cache):
    """Backward pass of :func:`lstm_step_forward`.

    Parameters
    ----------
    dh_next : numpy.ndarray, shape (N, H)
        Gradient of the loss with respect to ``h_next``.
    dc_next : numpy.ndarray, shape (N, H)
        Gradient with respect to ``c_next`` arriving from the *next* step (zeros at
        the last step). It is only the part that does not go through ``h_next``.
    cache : LSTMStepCache
        From :func:`lstm_step_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (N, D)
    dh_prev : numpy.ndarray, shape (N, H)
    dc_prev : numpy.ndarray, shape (N, H)
    dWx : numpy.ndarray, shape (D, 4H)
    dWh : numpy.ndarray, shape (H, 4H)
    db : numpy.ndarray, shape (4H,)

    Notes
    -----
    The intermediate gradients, in the order they are computed. Each is the
    gradient of the loss with respect to the named quantity:

    ========  ========  ===========================================================
    name      shape     value
    ========  ========  ===========================================================
    ``do``    (N, H)    ``dh_next * tanh(c_next)``; w.r.t. the output gate *value* o
    ``dc``    (N, H)    ``dc_next + dh_next * o * (1 - tanh(c_next)**2)``: the
                        *total* gradient reaching ``c_next``, both of its paths
    ``di``    (N, H)    ``dc * g``; w.r.t. the input gate value i
    ``df``    (N, H)    ``dc * c_prev``; w.r.t. the forget gate value f
    ``dg``    (N, H)    ``dc * i``; w.r.t. the candidate value g
    ``da``    (N, 4H)   w.r.t. the pre-activations ``a``, blocks i, f, g, o:
                        ``[di*i*(1-i), df*f*(1-f), dg*(1-g**2), do*o*(1-o)]``
    ========  ========  ===========================================================

    Then ``dc_prev = dc * f`` (the cell state's own path: only the forget gate
    scales it), and the rest is as in a dense layer: ``dx = da @ Wx.T``,
    ``dh_prev = da @ Wh.T``, ``dWx = x.T @ da``, ``dWh = h_prev.T @ da``,
    ``db = da.sum(0)``. The trap: forgetting the ``dc_next`` term in ``dc``, or
    the ``dh_next`` term, passes a check of one step in isolation only if the
    check feeds zeros there; check with random ``dh_next`` *and* ``dc_next``.
    """
    _check_cache(cache, LSTMStepCache, "lstm_step_forward")
    check_array("dh_next", dh_next, "N, H", cache.c_next.shape)
    check_array("dc_next", dc_next, "N, H", cache.c_next.shape)
    check_finite("dh_next", dh_next, hint=GRADIENT_HINT)
    check_finite("dc_next", dc_next, hint=GRADIENT_HINT)
    x, h_prev, c_prev, i, f, g, o, _, tanh_c, Wx, Wh = cache
    do = dh_next * tanh_c
    dc = dc_next + dh_next * o * (1 - tanh_c**2)
    di = dc * g
    df = dc * c_prev
    dg = dc * i
    dc_prev = dc * f
    # (N, 4H): through each gate's own activation, blocks in the order i, f, g, o
    da = np.concatenate([di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2), do * o * (1 - o)], 1)
    dx = da @ Wx.T
    dh_prev = da @ Wh.T
    dWx = x.T @ da
    dWh = h_prev.T @ da
    db = da.sum(axis=0)
    return dx, dh_prev, dc_prev, dWx, dWh, db


# ---------------------------------------------------------------- GRU


class GRUStepCache(NamedTuple):
    """What :func:`gru_step_backward` needs from the forward step (post-activation values)."""

    x: np.ndarray  # (N, D)
    h_prev: np.ndarray  # (N, H)
    r: np.ndarray  # (N, H) reset gate, sigmoid
    z: np.ndarray  # (N, H) update gate, sigmoid
    n: np.ndarray  # (N, H) candidate state, tanh
    ah_n: np.ndarray  # (N, H) h_prev @ Wh_n + bh_n, the part the reset gate scales
    h_next: np.ndarray  # (N, H)
    Wx: np.ndarray  # (D, 3H)
    Wh: np.ndarray  # (H, 3H)


def _check_gru_step(x, h_prev, Wx, Wh, bx, bh):
    """Validate one GRU step's inputs; return (N, D, H).

    As :func:`_check_step`: NaN or inf in ``x`` or ``h_prev`` raises
    ``FloatingPointError`` naming it; the weights are checked after the step, by
    :func:`_check_result`, only if the output is not finite.
    """
    check_array("x", x, "N, D", (None, None))
    N, D = x.shape
    check_array("h_prev", h_prev, "N, H", (N, None))
    H = h_prev.shape[1]
    check_array("Wx", Wx, "D, 3H", (D, 3 * H))
    check_array("Wh", Wh, "H, 3H", (H, 3 * H))
    check_array("bx", bx, "3H,", (3 * H,))
    check_array("bh", bh, "3H,", (3 * H,))
    for name, a in dict(x=x, h_prev=h_prev).items():
        check_finite(name, a, hint=INPUT_HINT)
    return N, D, H


def gru_step_forward(x, h_prev, Wx, Wh, bx, bh):
    """One step of a GRU in PyTorch's form (gates stacked r, z, n).

    The input part ``ax = x @ Wx + bx`` and the hidden part ``ah = h_prev @ Wh + bh``
    are each cut into three blocks of H columns::

        r = sigmoid(ax_r + ah_r)         reset gate: how much of h_prev the candidate sees
        z = sigmoid(ax_z + ah_z)         update gate: how much of h_prev to keep
        n = tanh(ax_n + r * ah_n)        candidate state (ah_n = h_prev @ Wh_n + bh_n)
        h_next = (1 - z) * n + z * h_prev

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D)
        Input at this step.
    h_prev : numpy.ndarray, shape (N, H)
        Previous hidden state (the GRU has no separate cell state).
    Wx : numpy.ndarray, shape (D, 3H)
        Input weights of r, z and n, side by side in that order.
    Wh : numpy.ndarray, shape (H, 3H)
        Recurrent weights, same order.
    bx : numpy.ndarray, shape (3H,)
        Input-side biases, same order.
    bh : numpy.ndarray, shape (3H,)
        Hidden-side biases, same order.

    Returns
    -------
    h_next : numpy.ndarray, shape (N, H)
    cache : GRUStepCache
        For :func:`gru_step_backward`.

    Notes
    -----
    This is exactly ``torch.nn.GRU``: ``Wx.T``, ``Wh.T``, ``bx`` and ``bh`` load into
    ``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0`` and ``bias_hh_l0`` as they are.
    Two biases are needed, unlike the LSTM's: ``bh_n`` sits *inside* ``r * (...)``, so
    it is scaled by the reset gate and cannot be merged with ``bx_n``. Cho et al.
    (2014) apply r before the matmul instead, ``(r * h_prev) @ Wh_n``: a different
    function. The update gate is also a convention: here z = 1 *keeps* the old state.
    """
    N, D, H = _check_gru_step(x, h_prev, Wx, Wh, bx, bh)
    ax = x @ Wx + bx  # (N, 3H) input part of all three blocks
    ah = h_prev @ Wh + bh  # (N, 3H) hidden part, biases included
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H : 2 * H] + ah[:, H : 2 * H])
    ah_n = ah[:, 2 * H :]
    n = tanh(ax[:, 2 * H :] + r * ah_n)
    h_next = (1 - z) * n + z * h_prev
    _check_result(dict(h_next=h_next), Wx=Wx, Wh=Wh, bx=bx, bh=bh)
    return h_next, GRUStepCache(x, h_prev, r, z, n, ah_n, h_next, Wx, Wh)


def gru_step_backward(dh_next, cache):
    """Backward pass of :func:`gru_step_forward`.

    Parameters
    ----------
    dh_next : numpy.ndarray, shape (N, H)
        Gradient of the loss with respect to ``h_next``.
    cache : GRUStepCache
        From :func:`gru_step_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (N, D)
    dh_prev : numpy.ndarray, shape (N, H)
    dWx : numpy.ndarray, shape (D, 3H)
    dWh : numpy.ndarray, shape (H, 3H)
    dbx : numpy.ndarray, shape (3H,)
    dbh : numpy.ndarray, shape (3H,)

    Notes
    -----
    The intermediate gradients, in the order they are computed. Each is the
    gradient of the loss with respect to the named quantity:

    ========  ========  ===========================================================
    name      shape     value
    ========  ========  ===========================================================
    ``dn``    (N, H)    ``dh_next * (1 - z)``; w.r.t. the candidate value n
    ``dz``    (N, H)    ``dh_next * (h_prev - n)``; w.r.t. the update gate value z
    ``dan``   (N, H)    ``dn * (1 - n**2)``; w.r.t. n's pre-activation
                        ``ax_n + r * ah_n``
    ``dr``    (N, H)    ``dan * ah_n``; w.r.t. the reset gate value r
    ``dax``   (N, 3H)   w.r.t. the input part ``ax``, blocks r, z, n:
                        ``[dr*r*(1-r), dz*z*(1-z), dan]``
    ``dah``   (N, 3H)   w.r.t. the hidden part ``ah``: the same r and z blocks,
                        but ``dan * r`` in the n block (r scales ``ah_n``)
    ========  ========  ===========================================================

    Then ``dh_prev = dh_next * z + dah @ Wh.T`` (two paths: the direct copy
    weighted by z, and through the three blocks), ``dx = dax @ Wx.T``,
    ``dWx = x.T @ dax``, ``dbx = dax.sum(0)``, ``dWh = h_prev.T @ dah``,
    ``dbh = dah.sum(0)``. The trap: ``dax`` and ``dah`` differ only in the n block;
    using one for both passes every check except those of ``Wh``, ``bh`` and ``h_prev``.
    """
    _check_cache(cache, GRUStepCache, "gru_step_forward")
    check_array("dh_next", dh_next, "N, H", cache.h_next.shape)
    check_finite("dh_next", dh_next, hint=GRADIENT_HINT)
    x, h_prev, r, z, n, ah_n, _, Wx, Wh = cache
    dn = dh_next * (1 - z)
    dz = dh_next * (h_prev - n)
    dan = dn * (1 - n**2)
    dr = dan * ah_n
    da_r, da_z = dr * r * (1 - r), dz * z * (1 - z)
    dax = np.concatenate([da_r, da_z, dan], axis=1)  # (N, 3H)
    dah = np.concatenate([da_r, da_z, dan * r], axis=1)  # (N, 3H)
    dx = dax @ Wx.T
    dh_prev = dh_next * z + dah @ Wh.T
    dWx = x.T @ dax
    dWh = h_prev.T @ dah
    return dx, dh_prev, dWx, dWh, dax.sum(axis=0), dah.sum(axis=0)
