"""Reference solutions to the exercises of notebook 02 (the chain rule, and backpropagation)."""

from __future__ import annotations

import numpy as np

__all__ = [
    "CHAIN_PREDICTION",
    "SATURATION_PREDICTION",
    "central_difference",
    "mlp_backward_by_hand",
]


def central_difference(f, x, h=1e-5):
    """Central-difference gradient of a scalar function: ``(f(x + h e_j) - f(x - h e_j)) / 2h``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : numpy.ndarray, any shape
        Where to differentiate. Perturbed one entry at a time and restored exactly.
    h : float
        Step size; about ``eps**(1/3)`` ~ 1e-5 balances truncation and round-off in float64.

    Returns
    -------
    numpy.ndarray, shape of ``x``
    """
    grad = np.zeros_like(x, dtype=float)
    for j in np.ndindex(x.shape):
        old = x[j].copy()
        x[j] = old + h
        plus = f(x)
        x[j] = old - h
        minus = f(x)
        x[j] = old  # put it back, or every later entry is measured at a moved point
        grad[j] = (plus - minus) / (2 * h)
    return grad


def mlp_backward_by_hand(dy, x, h1, W1, W2):
    """Backward pass of ``y = tanh(x @ W1 + b1) @ W2 + b2``, line by line.

    Parameters
    ----------
    dy : numpy.ndarray, shape (N, M)
        ``dL/dy``.
    x : numpy.ndarray, shape (N, D)
    h1 : numpy.ndarray, shape (N, H)
        Hidden layer output ``tanh(a1)`` from the forward pass.
    W1 : numpy.ndarray, shape (D, H)
    W2 : numpy.ndarray, shape (H, M)

    Returns
    -------
    dx (N, D), dW1 (D, H), db1 (H,), dW2 (H, M), db2 (M,)
    """
    dW2 = h1.T @ dy
    db2 = dy.sum(axis=0)
    dh1 = dy @ W2.T
    da1 = dh1 * (1 - h1**2)  # tanh'(a1) read from the output h1
    dW1 = x.T @ da1
    db1 = da1.sum(axis=0)
    dx = da1 @ W1.T
    return dx, dW1, db1, dW2, db2


#: dh_15/dh_0 for w = 0.8, h0 = 0.05: fifteen factors 0.8 * (1 - h_k**2), each close to 0.8.
CHAIN_PREDICTION = 0.8**15

#: w = 1.5 from h0 = 0.01: grows for about 10 steps, then tanh saturates at h* = 0.859,
#: where each of the last 20 factors is 1.5 * (1 - 0.859**2) ~ 0.39.
SATURATION_PREDICTION = "vanishes"
