"""Layers around the recurrent core: dense, time-distributed dense, embedding, a small MLP.

Every layer is a pair of plain functions, as in the rest of ``rnnlib``::

    y, cache = dense_forward(x, W, b)
    dx, dW, db = dense_backward(dy, cache)

The MLP (``mlp_*``) is the feed-forward network of notebook 01: it reads a fixed
window of ``w`` steps, flattened into one vector of ``w * D`` numbers, so its first
weight matrix grows with the window. The ``*_param_count`` helpers make that
comparison with an RNN, whose parameter count does not depend on the length.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rnnlib._validate import (
    GRADIENT_HINT,
    INPUT_HINT,
    check_array,
    check_finite,
    check_int,
    check_int_array,
    check_rng,
)
from rnnlib.activations import get_activation

__all__ = [
    "DenseCache",
    "EmbeddingCache",
    "MLPCache",
    "TemporalDenseCache",
    "dense_backward",
    "dense_forward",
    "embedding_backward",
    "embedding_forward",
    "lstm_param_count",
    "mlp_backward",
    "mlp_forward",
    "mlp_init",
    "mlp_param_count",
    "rnn_param_count",
    "temporal_dense_backward",
    "temporal_dense_forward",
    "window_mlp_param_count",
]


# --------------------------------------------------------------------------- dense


class DenseCache(NamedTuple):
    """What :func:`dense_backward` needs: the input and the weights."""

    x: np.ndarray  # (N, D)
    W: np.ndarray  # (D, M)


def dense_forward(x, W, b):
    """Affine layer: ``y = x @ W + b``.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D)
        Inputs, one row per example.
    W : numpy.ndarray, shape (D, M)
        Weights.
    b : numpy.ndarray, shape (M,)
        Bias.

    Returns
    -------
    y : numpy.ndarray, shape (N, M)
    cache : DenseCache
    """
    check_array("W", W, "D, M", (None, None))
    D, M = W.shape
    check_array("x", x, "N, D", (None, D))
    check_array("b", b, "M", (M,))
    _check_finite(INPUT_HINT, x=x, W=W, b=b)
    return x @ W + b, DenseCache(x, W)


def dense_backward(dy, cache):
    """Backward pass of :func:`dense_forward`.

    ``dx = dy @ W.T``, ``dW = x.T @ dy``, ``db = sum_n dy[n]``.

    Parameters
    ----------
    dy : numpy.ndarray, shape (N, M)
        Upstream gradient ``dL/dy``.
    cache : DenseCache

    Returns
    -------
    dx : numpy.ndarray, shape (N, D)
    dW : numpy.ndarray, shape (D, M)
    db : numpy.ndarray, shape (M,)
    """
    _check_cache(cache, DenseCache, "dense_forward")
    x, W = cache
    check_array("dy", dy, "N, M", (x.shape[0], W.shape[1]))
    _check_finite(GRADIENT_HINT, dy=dy)
    return dy @ W.T, x.T @ dy, dy.sum(axis=0)


# ---------------------------------------------------------- time-distributed dense


class TemporalDenseCache(NamedTuple):
    """What :func:`temporal_dense_backward` needs: the hidden sequence and ``Wy``."""

    h: np.ndarray  # (N, T, H)
    Wy: np.ndarray  # (H, V)


def temporal_dense_forward(h, Wy, by):
    """The same affine output layer at every time step: ``y_t = h_t @ Wy + by``.

    Parameters
    ----------
    h : numpy.ndarray, shape (N, T, H)
        Hidden sequence.
    Wy : numpy.ndarray, shape (H, V)
        Output weights, shared over time.
    by : numpy.ndarray, shape (V,)
        Output bias.

    Returns
    -------
    y : numpy.ndarray, shape (N, T, V)
        Outputs (logits or predictions) at every step.
    cache : TemporalDenseCache

    Notes
    -----
    Computed as one matmul over the ``N * T`` rows instead of a loop over ``t``:
    the output layer does not recur, so every step can be done at once.
    """
    check_array("Wy", Wy, "H, V", (None, None))
    H, V = Wy.shape
    check_array("h", h, "N, T, H", (None, None, H))
    check_array("by", by, "V", (V,))
    _check_finite(INPUT_HINT, h=h, Wy=Wy, by=by)
    N, T, _ = h.shape
    y = (h.reshape(N * T, H) @ Wy + by).reshape(N, T, V)  # (N, T, V)
    return y, TemporalDenseCache(h, Wy)


def temporal_dense_backward(dy, cache):
    """Backward pass of :func:`temporal_dense_forward`.

    ``dh_t = dy_t @ Wy.T``; ``dWy`` and ``dby`` are sums over every ``n`` and ``t``
    (the weights are shared over time, so their gradient is a sum over time).

    Parameters
    ----------
    dy : numpy.ndarray, shape (N, T, V)
    cache : TemporalDenseCache

    Returns
    -------
    dh : numpy.ndarray, shape (N, T, H)
    dWy : numpy.ndarray, shape (H, V)
    dby : numpy.ndarray, shape (V,)
    """
    _check_cache(cache, TemporalDenseCache, "temporal_dense_forward")
    h, Wy = cache
    N, T, H = h.shape
    V = Wy.shape[1]
    check_array("dy", dy, "N, T, V", (N, T, V))
    _check_finite(GRADIENT_HINT, dy=dy)
    dy2 = dy.reshape(N * T, V)  # (N*T, V)
    dh = (dy2 @ Wy.T).reshape(N, T, H)  # (N, T, H)
    dWy = h.reshape(N * T, H).T @ dy2
    return dh, dWy, dy2.sum(axis=0)


# ----------------------------------------------------------------------- embedding


class EmbeddingCache(NamedTuple):
    """What :func:`embedding_backward` needs: the indices and the table's shape."""

    idx: np.ndarray  # (N, T) int
    V: int
    D: int


def embedding_forward(idx, W_embed):
    """Look up one row of the table per index: ``x[n, t] = W_embed[idx[n, t]]``.

    Equivalent to ``onehot(idx) @ W_embed`` without building the one-hot matrix.

    Parameters
    ----------
    idx : numpy.ndarray of int, shape (N, T)
        Token ids in ``[0, V)``.
    W_embed : numpy.ndarray, shape (V, D)
        The embedding table, one row per token.

    Returns
    -------
    x : numpy.ndarray, shape (N, T, D)
        The embedded sequence (a copy, not a view of the table).
    cache : EmbeddingCache
    """
    check_array("W_embed", W_embed, "V, D", (None, None))
    V, D = W_embed.shape
    check_int_array("idx", idx, "N, T", (None, None), high=V)
    _check_finite(INPUT_HINT, W_embed=W_embed)
    return W_embed[idx], EmbeddingCache(idx, V, D)


def embedding_backward(dx, cache):
    """Backward pass of :func:`embedding_forward`: scatter-add rows into ``dW_embed``.

    ``dW_embed[v] = sum over (n, t) with idx[n, t] == v of dx[n, t]``.

    Parameters
    ----------
    dx : numpy.ndarray, shape (N, T, D)
        Upstream gradient with respect to the embedded sequence.
    cache : EmbeddingCache

    Returns
    -------
    dW_embed : numpy.ndarray, shape (V, D)

    Notes
    -----
    ``dW[idx] += dx`` would be wrong: with fancy indexing, a token that occurs
    twice is written twice and only the last write survives. ``np.add.at``
    accumulates every occurrence. The indices get no gradient (they are integers).
    """
    _check_cache(cache, EmbeddingCache, "embedding_forward")
    idx, V, D = cache
    check_array("dx", dx, "N, T, D", (*idx.shape, D))
    _check_finite(GRADIENT_HINT, dx=dx)
    dW_embed = np.zeros((V, D), dtype=dx.dtype)
    np.add.at(dW_embed, idx, dx)
    return dW_embed


# ------------------------------------------------------------- feed-forward network


class MLPCache(NamedTuple):
    """What :func:`mlp_backward` needs: one dense cache per layer and the activation.

    The input of layer ``l + 1`` is the (post-activation) output of layer ``l``, so
    ``dense[l + 1].x`` is where the activation's derivative is read from.
    """

    dense: tuple  # of DenseCache, one per layer
    activation: str


def _mlp_depth(params):
    """Number of layers L in a params dict with keys W1, b1, ..., WL, bL."""
    L = 0
    while f"W{L + 1}" in params:
        L += 1
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if L == 0 or set(params) != expected:
        raise ValueError(f"params must have keys W1, b1, ..., WL, bL, got {sorted(params)}")
    return L


def mlp_init(sizes, rng, dtype=np.float64):
    """Initialise an MLP with layer sizes ``[D_in, H_1, ..., D_out]``.

    ``W_l ~ Normal(0, 2 / (fan_in + fan_out))`` (Glorot/Xavier), ``b_l = 0``.

    Parameters
    ----------
    sizes : sequence of int, length >= 2
        Input size, hidden sizes, output size.
    rng : numpy.random.Generator
    dtype : numpy dtype
        float64 for gradient checks, float32 for speed.

    Returns
    -------
    dict
        ``{"W1": (sizes[0], sizes[1]), "b1": (sizes[1],), "W2": ..., ...}``.
    """
    sizes = _check_sizes(sizes)
    rng = check_rng("rng", rng)
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        std = np.sqrt(2.0 / (fan_in + fan_out))
        params[f"W{l}"] = (std * rng.standard_normal((fan_in, fan_out))).astype(dtype)
        params[f"b{l}"] = np.zeros(fan_out, dtype=dtype)
    return params


def mlp_forward(x, params, activation="tanh"):
    """Forward pass of an MLP: hidden layers ``h_l = act(h_{l-1} @ W_l + b_l)``, output linear.

    ``h_0 = x``; the last layer is ``y = h_{L-1} @ W_L + b_L`` with no activation.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D_in)
        Inputs. A window of ``w`` steps of a ``(N, T, D)`` series is flattened first:
        ``x[:, t - w:t].reshape(N, w * D)``.
    params : dict
        From :func:`mlp_init`: ``W1 (D_in, H_1), b1 (H_1,), ..., WL (H_{L-1}, D_out), bL``.
    activation : str
        ``"tanh"``, ``"sigmoid"``, ``"relu"`` or ``"linear"`` for the hidden layers.

    Returns
    -------
    y : numpy.ndarray, shape (N, D_out)
    cache : MLPCache
    """
    act = get_activation(activation)
    check_array("x", x, "N, D_in", (None, None))
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict from mlp_init, got {type(params).__name__}")
    L = _mlp_depth(params)
    for k, p in params.items():
        if isinstance(p, np.ndarray):
            check_finite(f"params[{k!r}]", p, hint=INPUT_HINT)
    caches = []
    h = x
    fan_in = None  # W1's rows are checked against x by dense_forward
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        check_array(f"params['W{l}']", W, "fan_in, fan_out", (fan_in, None))
        check_array(f"params['b{l}']", b, "fan_out,", (W.shape[1],))
        fan_in = W.shape[1]
    for l in range(1, L + 1):
        a, cache = dense_forward(h, params[f"W{l}"], params[f"b{l}"])
        caches.append(cache)
        h = act.f(a) if l < L else a  # the output layer stays linear
    return h, MLPCache(tuple(caches), activation)


def mlp_backward(dy, cache):
    """Backward pass of :func:`mlp_forward`.

    From the top: ``dh_{l-1}, dW_l, db_l = dense_backward(da_l)``, then through the
    activation, ``da_{l-1} = dh_{l-1} * act'(h_{l-1})`` (derivative from the output).

    Parameters
    ----------
    dy : numpy.ndarray, shape (N, D_out)
    cache : MLPCache

    Returns
    -------
    dx : numpy.ndarray, shape (N, D_in)
    grads : dict
        Same keys and shapes as ``params``.
    """
    _check_cache(cache, MLPCache, "mlp_forward")
    act = get_activation(cache.activation)
    L = len(cache.dense)
    grads = {}
    da = dy
    for l in reversed(range(1, L + 1)):
        dh, grads[f"W{l}"], grads[f"b{l}"] = dense_backward(da, cache.dense[l - 1])
        if l > 1:
            # the input of layer l is h_{l-1} = act(a_{l-1}): the derivative comes from it
            da = dh * act.deriv(cache.dense[l - 1].x)
    return dh, {k: grads[k] for k in sorted(grads, key=lambda k: (int(k[1:]), k[0] != "W"))}


# -------------------------------------------------------------- parameter counting


def _check_sizes(sizes):
    try:
        checked = [check_int("sizes", s) for s in sizes]
    except (TypeError, ValueError):  # not iterable, or an entry that is no size
        checked = []
    if len(checked) < 2:
        raise ValueError(f"sizes must be a sequence of at least two ints >= 1, got {sizes!r}")
    return checked


def _check_cache(cache, cls, forward):
    if not isinstance(cache, cls):
        raise ValueError(
            f"cache must be the {cls.__name__} returned by {forward}, got {type(cache).__name__}"
        )


def _check_finite(hint, **arrays):
    for name, a in arrays.items():
        check_finite(name, a, hint=hint)


def mlp_param_count(sizes):
    """Number of parameters of an MLP: ``sum_l (fan_in_l * fan_out_l + fan_out_l)``.

    Parameters
    ----------
    sizes : sequence of int
        ``[D_in, H_1, ..., D_out]``, as for :func:`mlp_init`.

    Returns
    -------
    int
    """
    sizes = _check_sizes(sizes)
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def window_mlp_param_count(window, D, hidden, out):
    """Parameters of an MLP that reads ``window`` steps of ``D`` features at once.

    Its input layer has ``window * D`` inputs, so the count grows linearly with the
    window: ``(window * D) * H_1 + H_1 + ...``.

    Parameters
    ----------
    window : int
        Number of time steps the network sees (``w``).
    D : int
        Features per step.
    hidden : int or sequence of int
        Hidden layer size(s).
    out : int
        Output size.

    Returns
    -------
    int
    """
    window, D, out = check_int("window", window), check_int("D", D), check_int("out", out)
    if np.isscalar(hidden) or hidden is None:
        hidden = [check_int("hidden", hidden)]
    return mlp_param_count([window * D, *hidden, out])


def rnn_param_count(D, H, out):
    """Parameters of a vanilla RNN with a dense output layer, for any sequence length.

    ``Wx: D*H``, ``Wh: H*H``, ``b: H``, ``Wy: H*out``, ``by: out``. No ``T`` appears:
    the same weights are used at every step.

    Returns
    -------
    int
    """
    D, H, out = check_int("D", D), check_int("H", H), check_int("out", out)
    return D * H + H * H + H + H * out + out


def lstm_param_count(D, H, out):
    """Parameters of an LSTM with a dense output layer: four times the RNN's core.

    ``Wx: D*4H``, ``Wh: H*4H``, ``b: 4H`` (gates i, f, g, o), ``Wy: H*out``, ``by: out``.

    Returns
    -------
    int
    """
    D, H, out = check_int("D", D), check_int("H", H), check_int("out", out)
    return 4 * (D * H + H * H + H) + H * out + out
