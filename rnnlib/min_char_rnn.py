"""min-char-rnn: the one-stream, step-by-step training loop that notebook 07 compares against.

Andrej Karpathy's ``min-char-rnn.py`` (2015, a short public gist under the BSD
licence) trains a character-level vanilla RNN in about 100 lines of numpy: one
stream of text, windows of 25 characters, a Python loop over the time steps of
one-hot vectors, BPTT with the state carried from window to window, every
gradient clipped to [-5, 5], and Adagrad with learning rate 0.1. Many people's
first RNN was that file, and its loop is the clearest statement of the algorithm.

This module is that algorithm written anew in the course's notation (row vectors,
``x @ Wx``, ``h_prev``, ``a``, ``dh_next``), not a copy: notebook 07 section 11 and
``benchmarks/bench_charlm.py`` time it against :class:`rnnlib.models.SequenceModel`,
which trains the same kind of model on a *batch* of streams. Every product here is
a vector times a matrix; that is the point of the comparison.

==================  ===============================================================
:func:`init_params`     the five parameters, small random weights
:func:`loss_and_grads`  forward over one window, then BPTT (the heart of the loop)
:func:`adagrad_update`  clip every gradient to [-5, 5], then one Adagrad step
:func:`train`           the loop: windows of the stream, the state carried over
:func:`throughput`      characters per second of :func:`train`
==================  ===============================================================
"""

from __future__ import annotations

import time

import numpy as np

from rnnlib._validate import (
    INPUT_HINT,
    check_array,
    check_finite,
    check_int,
    check_int_array,
    check_number,
    check_rng,
)

__all__ = ["PARAM_NAMES", "adagrad_update", "init_params", "loss_and_grads", "throughput", "train"]

PARAM_NAMES = ("Wx", "Wh", "Wy", "b", "by")


def _check_params(name, params, shapes=None):
    """``params`` must be a dict of the five finite float arrays, of matching shapes.

    ``shapes``: the shape of each, when known (grads and memory match params).
    """
    keys = list(PARAM_NAMES) if shapes is None else list(shapes)
    if not isinstance(params, dict) or set(params) != set(keys):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        whose = "" if shapes is None or name == "params" else " (those of params)"
        raise ValueError(f"{name} must be a dict with keys {keys}{whose}, got {got}")
    if shapes is None:
        V, H = np.shape(params["Wx"]) if np.ndim(params["Wx"]) == 2 else (None, None)
        shapes = dict(Wx=(V, H), Wh=(H, H), Wy=(H, V), b=(H,), by=(V,))
    dims = dict(Wx="V, H", Wh="H, H", Wy="H, V", b="H,", by="V,")
    for k in keys:
        dim = dims.get(k, ", ".join(map(str, shapes[k])))
        check_array(f"{name}['{k}']", params[k], dim, shapes[k])
        check_finite(f"{name}['{k}']", params[k], hint=INPUT_HINT)
    return params


def init_params(vocab_size, hidden_size=100, seed=0):
    """Small random weights (``0.01 * N(0, 1)``) and zero biases, as min-char-rnn has them.

    Returns
    -------
    dict of str -> numpy.ndarray (float64)
        ``Wx`` (V, H), ``Wh`` (H, H), ``Wy`` (H, V), ``b`` (H,), ``by`` (V,).
    """
    V, H = check_int("vocab_size", vocab_size), check_int("hidden_size", hidden_size)
    rng = check_rng("seed", seed)
    return {
        "Wx": 0.01 * rng.standard_normal((V, H)),
        "Wh": 0.01 * rng.standard_normal((H, H)),
        "Wy": 0.01 * rng.standard_normal((H, V)),
        "b": np.zeros(H),
        "by": np.zeros(V),
    }


def loss_and_grads(x_ids, y_ids, h_prev, params):
    """Forward over one window of characters, one vector at a time, then BPTT.

    ``h_t = tanh(Wx[x_t] + h_{t-1} @ Wh + b)`` (a one-hot row times ``Wx`` is a row
    of ``Wx``), ``p_t = softmax(h_t @ Wy + by)``, loss ``-sum_t log p_t[y_t]``.

    Parameters
    ----------
    x_ids, y_ids : numpy.ndarray of int, shape (T,)
        The characters read and the ones to predict (``x`` shifted by one).
    h_prev : numpy.ndarray, shape (H,)
        The state carried in from the previous window (a constant: the gradient
        stops here, as in every truncated BPTT).
    params : dict
        From :func:`init_params`.

    Returns
    -------
    loss : float
        Summed over the window, in nats (min-char-rnn's convention).
    grads : dict of str -> numpy.ndarray
        ``dWx, dWh, dWy, db, dby`` under the parameter names.
    h_last : numpy.ndarray, shape (H,)
        The state after the window, to carry into the next one.
    """
    Wx = _check_params("params", params)["Wx"]
    V, H = Wx.shape
    x_ids = check_int_array("x_ids", x_ids, "T,", (None,), high=V)
    y_ids = check_int_array("y_ids", y_ids, "T,", x_ids.shape, high=V)
    if x_ids.size == 0:
        raise ValueError("x_ids must hold at least one id, got an empty array")
    check_array("h_prev", h_prev, "H,", (H,))
    if not np.all(np.abs(h_prev) <= 1):  # also catches NaN
        raise ValueError("h_prev must be a tanh hidden state: finite, in [-1, 1]")
    return _loss_and_grads(x_ids, y_ids, h_prev, params)


def _loss_and_grads(x_ids, y_ids, h_prev, params):
    # the unchecked body: train() checks once, not at every step
    Wx, Wh, Wy, b, by = (params[k] for k in PARAM_NAMES)
    T = len(x_ids)
    hs, ps, loss = {-1: h_prev}, {}, 0.0
    for t in range(T):  # forward, one vector at a time
        hs[t] = np.tanh(Wx[x_ids[t]] + hs[t - 1] @ Wh + b)  # (H,)
        z = hs[t] @ Wy + by  # (V,)
        e = np.exp(z - z.max())
        ps[t] = e / e.sum()
        loss -= np.log(ps[t][y_ids[t]])
    grads = {k: np.zeros_like(p) for k, p in params.items()}
    dh_next = np.zeros_like(h_prev)  # the gradient carried back from step t + 1
    for t in reversed(range(T)):  # BPTT
        dz = ps[t].copy()
        dz[y_ids[t]] -= 1  # softmax + cross-entropy: p - onehot(y)
        grads["Wy"] += np.outer(hs[t], dz)
        grads["by"] += dz
        dh = dz @ Wy.T + dh_next  # both streams reaching h_t: the output's and step t+1's
        da = (1 - hs[t] ** 2) * dh  # through tanh
        grads["Wx"][x_ids[t]] += da
        grads["Wh"] += np.outer(hs[t - 1], da)
        grads["b"] += da
        dh_next = da @ Wh.T
    return float(loss), grads, hs[T - 1]


def adagrad_update(params, grads, memory, lr=0.1, clip=5.0):
    """Clip every gradient entry to ``[-clip, clip]``, then one Adagrad step, in place.

    ``m += g**2``, ``p -= lr * g / sqrt(m + 1e-8)``. ``memory`` holds the running
    ``m`` of every parameter (zeros at the start, the same keys as ``params``).
    """
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict of arrays, got {type(params).__name__}")
    shapes = {k: np.shape(p) for k, p in params.items()}
    for name, d in (("params", params), ("grads", grads), ("memory", memory)):
        _check_params(name, d, shapes)
    lr = check_number("lr", lr, 0, open_low=True)
    clip = check_number("clip", clip, 0, open_low=True)
    _adagrad_update(params, grads, memory, lr, clip)


def _adagrad_update(params, grads, memory, lr, clip):
    for k, p in params.items():
        g = np.clip(grads[k], -clip, clip)
        memory[k] += g * g
        p -= lr * g / np.sqrt(memory[k] + 1e-8)


def train(ids, vocab_size, hidden_size=100, seq_len=25, steps=100, seed=0):
    """min-char-rnn's loop: ``steps`` windows of ``seq_len`` characters of one stream.

    The state is carried from window to window and reset when the stream wraps
    around to its start.

    Parameters
    ----------
    ids : numpy.ndarray of int, shape (L,)
        The text; ``L > seq_len + 1``.
    vocab_size, hidden_size, seq_len, steps, seed : int

    Returns
    -------
    params : dict
        The trained parameters.
    losses : list of float
        The loss of every window, in nats per character.
    """
    vocab_size = check_int("vocab_size", vocab_size)
    hidden_size = check_int("hidden_size", hidden_size)
    seq_len, steps = check_int("seq_len", seq_len), check_int("steps", steps)
    ids = check_int_array("ids", ids, "L,", (None,), high=vocab_size)
    if len(ids) <= seq_len + 1:
        raise ValueError(f"ids must hold more than seq_len + 1 = {seq_len + 1} ids, got {len(ids)}")
    params = init_params(vocab_size, hidden_size, seed)
    memory = {k: np.zeros_like(p) for k, p in params.items()}
    h_prev, pos, losses = np.zeros(hidden_size), 0, []
    for _ in range(int(steps)):
        if pos + seq_len + 1 > len(ids):  # the end of the text: start again
            pos, h_prev = 0, np.zeros(hidden_size)
        x_ids, y_ids = ids[pos : pos + seq_len], ids[pos + 1 : pos + seq_len + 1]
        loss, grads, h_prev = _loss_and_grads(x_ids, y_ids, h_prev, params)
        _adagrad_update(params, grads, memory, 0.1, 5.0)
        losses.append(loss / seq_len)
        pos += seq_len
    return params, losses


def throughput(ids, vocab_size, hidden_size=100, seq_len=25, steps=100, seed=0, repeat=1):
    """Training speed of :func:`train`, in characters per second (fastest of ``repeat``).

    Returns
    -------
    float
        ``steps * seq_len / seconds``.
    """
    repeat, steps = check_int("repeat", repeat), check_int("steps", steps)
    seq_len = check_int("seq_len", seq_len)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        train(ids, vocab_size, hidden_size, seq_len, steps, seed)
        best = min(best, time.perf_counter() - start)
    return steps * seq_len / best
