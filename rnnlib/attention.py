"""Attention: a weighted average of source states, with weights the decoder chooses.

A query ``q`` (the decoder's state) scores every source state ``k_s``; a softmax
over the source positions turns the scores into weights ``alpha``, and the
context is the weighted average ``c = sum_s alpha_s k_s``. Two scores:

- additive (Bahdanau, Cho & Bengio 2015): ``e_s = v . tanh(q @ Wq + k_s @ Wk)``
- dot-product (Luong, Pham & Manning 2015): ``e_s = q . k_s``, optionally divided
  by ``sqrt(H)`` (the scaling of Vaswani et al. 2017).

Padded source positions are excluded by a mask: their weight is exactly 0, so
the context is an average over the real characters only.

Every forward returns ``(context, weights, cache)``; every backward takes
``(dcontext, dweights, cache)`` and returns one gradient per float input, in order.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rnnlib._validate import GRADIENT_HINT, INPUT_HINT, check_array, check_finite, check_int

__all__ = [
    "AdditiveAttentionCache",
    "DotAttentionCache",
    "additive_attention_backward",
    "additive_attention_forward",
    "dot_attention_backward",
    "dot_attention_forward",
    "length_mask",
    "masked_softmax",
    "masked_softmax_backward",
    "self_attention",
]


def length_mask(lengths, T=None):
    """Boolean mask of a right-padded batch: ``mask[n, t] = t < lengths[n]``.

    Parameters
    ----------
    lengths : array_like of int, shape (N,)
        Real length of every sequence, each in ``[1, T]``.
    T : int, optional
        Padded length (default: the longest).

    Returns
    -------
    mask : numpy.ndarray of bool, shape (N, T)
    """
    lengths = np.asarray(lengths) if not isinstance(lengths, str | bytes) else np.asarray(None)
    if lengths.ndim != 1 or not np.issubdtype(lengths.dtype, np.integer):
        raise ValueError(
            f"lengths must be a 1-d integer array (N,), got {lengths.dtype} "
            f"of shape {lengths.shape}"
        )
    if T is None:
        if not lengths.size:
            raise ValueError("lengths is empty: pass T, the padded length, for an empty batch")
        T = int(lengths.max())
    T = check_int("T", T)
    if lengths.size and (lengths.min() < 1 or lengths.max() > T):
        raise ValueError(
            f"lengths must be in [1, T] = [1, {T}], got values from "
            f"{lengths.min()} to {lengths.max()}"
        )
    return np.arange(T)[None, :] < lengths[:, None]


def _check_mask(mask, N, S):
    if mask is None:
        return np.ones((N, S), dtype=bool)
    if not isinstance(mask, np.ndarray) or mask.dtype != bool or mask.shape != (N, S):
        got = f"{mask.dtype} {mask.shape}" if isinstance(mask, np.ndarray) else type(mask).__name__
        raise ValueError(f"mask must be a bool array of shape (N, S) = ({N}, {S}), got {got}")
    if not mask.any(axis=1).all():
        raise ValueError(
            "mask must keep at least one source position in every row "
            "(a row of all False has nothing to attend to)"
        )
    return mask


def masked_softmax(e, mask):
    """Softmax over the last axis, with masked positions given weight exactly 0.

    ``alpha_s = m_s exp(e_s - max) / sum_s' m_s' exp(e_s' - max)``, the max taken over
    the unmasked positions only (so a huge score at a padded position changes nothing).

    Parameters
    ----------
    e : numpy.ndarray, shape (N, S)
        Scores.
    mask : numpy.ndarray of bool, shape (N, S)
        True where the position counts; every row needs at least one True.

    Returns
    -------
    alpha : numpy.ndarray, shape (N, S)
        Rows sum to 1; zero where ``mask`` is False.
    """
    check_array("e", e, "N, S", (None, None))
    N, S = e.shape
    mask = _check_mask(mask, N, S)
    check_finite("e", e[mask], hint=INPUT_HINT)  # only the positions that count
    shifted = np.where(mask, e, -np.inf)
    shifted = shifted - shifted.max(axis=1, keepdims=True)
    w = np.where(mask, np.exp(shifted), 0).astype(e.dtype)  # exp(-inf) = 0, exactly
    return w / w.sum(axis=1, keepdims=True)


def masked_softmax_backward(dalpha, alpha):
    """Backward of :func:`masked_softmax`: ``de = alpha * (dalpha - sum(alpha * dalpha))``.

    Masked positions have ``alpha = 0``, so their score gets gradient exactly 0.

    Parameters
    ----------
    dalpha, alpha : numpy.ndarray, shape (..., S)

    Returns
    -------
    de : numpy.ndarray, shape (..., S)
    """
    check_array("alpha", alpha, "..., S", np.shape(alpha))
    check_array("dalpha", dalpha, "..., S", alpha.shape)
    check_finite("dalpha", dalpha)
    if not ((alpha >= 0) & (alpha <= 1)).all():  # also catches NaN
        raise ValueError("alpha must be attention weights in [0, 1], as masked_softmax returns")
    return alpha * (dalpha - (alpha * dalpha).sum(axis=-1, keepdims=True))


class DotAttentionCache(NamedTuple):
    """What :func:`dot_attention_backward` needs."""

    q: np.ndarray  # (N, H) or (N, T, H)
    K: np.ndarray  # (N, S, H)
    alpha: np.ndarray  # (N, T, S)
    scale: float


def _check_qk(q, K):
    check_array("K", K, "N, S, H", (None, None, None))
    N, S, H = K.shape
    if isinstance(q, np.ndarray) and q.ndim == 3:
        check_array("q", q, "N, T, H", (N, None, H))
    else:
        check_array("q", q, "N, H", (N, H))
    check_finite("q", q, hint=INPUT_HINT)
    check_finite("K", K, hint=INPUT_HINT)
    return N, S, H


def _softmax_rows(e, mask):
    """masked_softmax over the last axis of (N, T, S) scores, one mask row per example."""
    N, T, S = e.shape
    mask = _check_mask(mask, N, S)
    return masked_softmax(e.reshape(N * T, S), np.repeat(mask, T, axis=0)).reshape(N, T, S)


def _squeeze(q, context, alpha):
    if q.ndim == 2:
        return context[:, 0], alpha[:, 0]
    return context, alpha


def _unsqueeze(q, dcontext, dalpha, alpha):
    """The query, dcontext and dalpha as (N, T, .) arrays, shapes checked."""
    N, T, S = alpha.shape
    dims = "N, H" if q.ndim == 2 else "N, T, H"
    check_array("dcontext", dcontext, dims, q.shape)
    check_finite("dcontext", dcontext, hint=GRADIENT_HINT)
    if dalpha is None:
        da = np.zeros_like(alpha)
    else:
        check_array(
            "dalpha",
            dalpha,
            dims.replace("H", "S"),
            alpha.shape[:1] + alpha.shape[2:] if q.ndim == 2 else alpha.shape,
        )
        check_finite("dalpha", dalpha, hint=GRADIENT_HINT)
        da = dalpha.reshape(alpha.shape)
    Q = q.reshape(N, T, q.shape[-1])  # not -1: N may be 0
    return Q, dcontext.reshape(N, T, q.shape[-1]), da


def dot_attention_forward(q, K, mask=None, scaled=False):
    """Dot-product attention of one query per example over its source states.

    ``e_s = q . k_s / sqrt(H)`` (``scaled``) or ``q . k_s``;
    ``alpha = masked_softmax(e)``; ``c = sum_s alpha_s k_s``.

    Parameters
    ----------
    q : numpy.ndarray, shape (N, H) or (N, T, H)
        Query (the decoder's state), or T queries per example (all decoder steps
        at once: each attends to K on its own).
    K : numpy.ndarray, shape (N, S, H)
        Source states, used both as keys and as values.
    mask : numpy.ndarray of bool, shape (N, S), optional
        True at real source positions, False at padding.
    scaled : bool
        Divide the scores by ``sqrt(H)`` (Vaswani et al. 2017).

    Returns
    -------
    context : numpy.ndarray, shape (N, H) (or (N, T, H))
    alpha : numpy.ndarray, shape (N, S) (or (N, T, S))
        The attention weights; rows sum to 1, exactly 0 at masked positions.
    cache : DotAttentionCache
    """
    N, S, H = _check_qk(q, K)
    scale = 1 / np.sqrt(H) if scaled else 1.0
    Q = q if q.ndim == 3 else q[:, None]  # (N, T, H): T queries per example
    e = Q @ K.transpose(0, 2, 1) * scale  # (N, T, S)
    alpha = _softmax_rows(e, mask)
    context = alpha @ K  # (N, T, H)
    return _squeeze(q, context, alpha) + (DotAttentionCache(q, K, alpha, scale),)


def dot_attention_backward(dcontext, dalpha, cache):
    """Backward of :func:`dot_attention_forward`.

    Parameters
    ----------
    dcontext : numpy.ndarray, shape of the context
    dalpha : numpy.ndarray, shape of the weights, or None
        Gradient with respect to the weights (None: they feed nothing else).
    cache : DotAttentionCache

    Returns
    -------
    dq : numpy.ndarray, shape of q
    dK : numpy.ndarray, shape (N, S, H)

    Notes
    -----
    K gets gradient along two paths: as the values (``alpha_s dc``) and as the keys
    (``de_s q``). Forgetting either passes only the check of ``q``.
    """
    if not isinstance(cache, DotAttentionCache):
        raise ValueError("cache must be the DotAttentionCache from dot_attention_forward")
    q, K, alpha, scale = cache
    Q, dC, da = _unsqueeze(q, dcontext, dalpha, alpha)
    da = da + dC @ K.transpose(0, 2, 1)  # through the weights of the average
    de = masked_softmax_backward(da, alpha) * scale  # (N, T, S)
    dQ = de @ K
    dK = alpha.transpose(0, 2, 1) @ dC + de.transpose(0, 2, 1) @ Q  # values + keys
    return dQ.reshape(q.shape), dK


class AdditiveAttentionCache(NamedTuple):
    """What :func:`additive_attention_backward` needs."""

    q: np.ndarray  # (N, H) or (N, T, H)
    K: np.ndarray  # (N, S, H)
    Wq: np.ndarray  # (H, A)
    Wk: np.ndarray  # (H, A)
    v: np.ndarray  # (A,)
    u: np.ndarray  # (N, T, S, A) tanh(q Wq + k Wk)
    alpha: np.ndarray  # (N, T, S)


def additive_attention_forward(q, K, Wq, Wk, v, mask=None):
    """Additive (Bahdanau) attention of one query per example over its source states.

    ``u_s = tanh(q @ Wq + k_s @ Wk)``, ``e_s = u_s . v``, ``alpha = masked_softmax(e)``,
    ``c = sum_s alpha_s k_s``.

    Parameters
    ----------
    q : numpy.ndarray, shape (N, H) or (N, T, H)
        Query (the decoder's state), or T queries per example.
    K : numpy.ndarray, shape (N, S, H)
        Source states, keys and values.
    Wq : numpy.ndarray, shape (H, A)
    Wk : numpy.ndarray, shape (H, A)
    v : numpy.ndarray, shape (A,)
        A is the size of the small scoring network's hidden layer.
    mask : numpy.ndarray of bool, shape (N, S), optional

    Returns
    -------
    context : numpy.ndarray, shape (N, H) (or (N, T, H))
    alpha : numpy.ndarray, shape (N, S) (or (N, T, S))
        The attention weights; rows sum to 1, exactly 0 at masked positions.
    cache : AdditiveAttentionCache
    """
    N, S, H = _check_qk(q, K)
    check_array("Wq", Wq, "H, A", (H, None))
    A = Wq.shape[1]
    check_array("Wk", Wk, "H, A", (H, A))
    check_array("v", v, "A,", (A,))
    for name, a in (("Wq", Wq), ("Wk", Wk), ("v", v)):
        check_finite(name, a, hint=INPUT_HINT)
    Q = q if q.ndim == 3 else q[:, None]  # (N, T, H): T queries per example
    # K @ Wk once for all T queries: (N, 1, S, A) + (N, T, 1, A) -> (N, T, S, A)
    u = np.tanh((K @ Wk)[:, None] + (Q @ Wq)[:, :, None])
    e = u @ v  # (N, T, S)
    alpha = _softmax_rows(e, mask)
    context = alpha @ K  # (N, T, H)
    cache = AdditiveAttentionCache(q, K, Wq, Wk, v, u, alpha)
    return _squeeze(q, context, alpha) + (cache,)


def additive_attention_backward(dcontext, dalpha, cache):
    """Backward of :func:`additive_attention_forward`.

    Parameters
    ----------
    dcontext : numpy.ndarray, shape of the context
    dalpha : numpy.ndarray, shape of the weights, or None
    cache : AdditiveAttentionCache

    Returns
    -------
    dq : numpy.ndarray, shape of q
    dK : numpy.ndarray, shape (N, S, H)
    dWq : numpy.ndarray, shape (H, A)
    dWk : numpy.ndarray, shape (H, A)
    dv : numpy.ndarray, shape (A,)

    Notes
    -----
    ``de = alpha * (da - sum alpha da)``, ``dv = sum de u``,
    ``dpre = de v (1 - u**2)``. q's projection is added at every source position,
    so ``dq = (sum_s dpre_s) @ Wq.T``; K's projection is shared by every query, so
    its gradient sums over the queries. K gets gradient as the values too.
    """
    if not isinstance(cache, AdditiveAttentionCache):
        raise ValueError("cache must be the AdditiveAttentionCache from additive_attention_forward")
    q, K, Wq, Wk, v, u, alpha = cache
    Q, dC, da = _unsqueeze(q, dcontext, dalpha, alpha)
    N, S, H = K.shape
    da = da + dC @ K.transpose(0, 2, 1)  # through the weights of the average
    de = masked_softmax_backward(da, alpha)  # (N, T, S)
    A = v.shape[0]
    dv = de.reshape(1, -1) @ u.reshape(-1, A)  # (1, A)
    dpre = de[..., None] * v * (1 - u**2)  # (N, T, S, A)
    dpre_q = dpre.sum(axis=2)  # (N, T, A): q's projection is added at every s
    dpre_k = dpre.sum(axis=1)  # (N, S, A): K's projection is shared by every query
    dQ = dpre_q @ Wq.T
    dWq = Q.reshape(-1, H).T @ dpre_q.reshape(-1, A)
    dK = alpha.transpose(0, 2, 1) @ dC + dpre_k @ Wk.T  # values + keys
    dWk = K.reshape(-1, H).T @ dpre_k.reshape(-1, A)
    return dQ.reshape(q.shape), dK, dWq, dWk, dv.reshape(A)


def self_attention(X, Wq, Wk, Wv, mask=None):
    """Scaled dot-product self-attention of a sequence over itself (one head, no recurrence).

    ``Q = X Wq``, ``K = X Wk``, ``V = X Wv``; ``alpha = softmax(Q K^T / sqrt(d))`` row by
    row; ``Y = alpha V``. Every position reads every other in one step: nothing is
    carried from step to step, so all T outputs are computed at once.

    Parameters
    ----------
    X : numpy.ndarray, shape (N, T, D)
    Wq, Wk : numpy.ndarray, shape (D, d)
    Wv : numpy.ndarray, shape (D, dv)
    mask : numpy.ndarray of bool, shape (N, T), optional
        Which positions may be attended to.

    Returns
    -------
    Y : numpy.ndarray, shape (N, T, dv)
    alpha : numpy.ndarray, shape (N, T, T)
        ``alpha[n, t, s]``: how much position t reads from position s.
    """
    check_array("X", X, "N, T, D", (None, None, None))
    N, T, D = X.shape
    check_array("Wq", Wq, "D, d", (D, None))
    check_array("Wk", Wk, "D, d", Wq.shape)
    check_array("Wv", Wv, "D, dv", (D, None))
    for name, a in (("X", X), ("Wq", Wq), ("Wk", Wk), ("Wv", Wv)):
        check_finite(name, a, hint=INPUT_HINT)
    Q, K, V = X @ Wq, X @ Wk, X @ Wv
    with np.errstate(over="ignore", invalid="ignore"):
        e = Q @ K.transpose(0, 2, 1) / np.sqrt(Wq.shape[1])  # (N, T, T)
    if not np.isfinite(e).all():
        raise FloatingPointError(
            "the scores Q K^T / sqrt(d) overflow: X, Wq or Wk hold values too large "
            f"(largest |X| = {np.abs(X).max():.3g})"
        )
    alpha = _softmax_rows(e, mask)
    return alpha @ V, alpha
