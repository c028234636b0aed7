"""Reference solutions to the exercises of notebook 09 (encoder-decoder and attention)."""

from __future__ import annotations

import numpy as np

__all__ = ["UNIFORM_WEIGHT", "attention_dK", "dot_attention_forward"]


def dot_attention_forward(q, K, mask):
    """Scaled dot-product attention of one query per example, padded positions masked.

    Parameters
    ----------
    q : numpy.ndarray, shape (N, H)
    K : numpy.ndarray, shape (N, S, H)
    mask : numpy.ndarray of bool, shape (N, S)

    Returns
    -------
    context : numpy.ndarray, shape (N, H)
    alpha : numpy.ndarray, shape (N, S)
    """
    e = np.einsum("nsh,nh->ns", K, q) / np.sqrt(q.shape[1])  # (N, S)
    e_max = np.where(mask, e, -np.inf).max(axis=1, keepdims=True)
    w = np.where(mask, np.exp(e - e_max), 0.0)  # exactly 0 at padding
    alpha = w / w.sum(axis=1, keepdims=True)
    return np.einsum("ns,nsh->nh", alpha, K), alpha


def attention_dK(dc, q, K, alpha):
    """Gradient of scaled dot-product attention with respect to the keys (both paths).

    Parameters
    ----------
    dc : numpy.ndarray, shape (N, H)
        Gradient with respect to the context.
    q : numpy.ndarray, shape (N, H)
    K : numpy.ndarray, shape (N, S, H)
    alpha : numpy.ndarray, shape (N, S)
        The forward's weights (0 at padded positions).

    Returns
    -------
    dK : numpy.ndarray, shape (N, S, H)
    """
    dalpha = np.einsum("nsh,nh->ns", K, dc)  # (N, S)
    de = alpha * (dalpha - (alpha * dalpha).sum(axis=1, keepdims=True)) / np.sqrt(q.shape[1])
    return alpha[:, :, None] * dc[:, None, :] + de[:, :, None] * q[:, None, :]  # values + keys


#: Exercise 2: 8 real characters padded to 12 share the weight equally: 1/8 each.
UNIFORM_WEIGHT = 1 / 8
