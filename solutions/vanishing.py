"""Reference solutions to the exercises of notebook 04 (vanishing and exploding gradients)."""

from __future__ import annotations

import numpy as np

__all__ = [
    "REGIME_PREDICTIONS",
    "clip_grad_norm",
    "pascanu_bound",
    "sigmoid_gamma",
]

#: What the four cases of ``rnnlib.exercises.REGIME_CASES`` do, and why:
#: A: linear, 1.1 Q: every step multiplies the norm by exactly 1.1 -> 1.1**59 ~ 300.
#: B: sigmoid, 5 Q: gamma * sigma_max = 5/4 > 1 allows exploding, but s' reaches 1/4 only
#:    at a = 0 and the states sit far from it -> vanishes (necessary, not sufficient).
#: C: tanh, 1.5 Q, inputs of scale 2: tanh saturates -> vanishes although
#:    gamma * sigma_max = 1.5 > 1.
#: D: tanh, 3 Q, inputs of scale 0.5: states stay where tanh' is large enough -> explodes.
REGIME_PREDICTIONS = {"A": "explodes", "B": "vanishes", "C": "vanishes", "D": "explodes"}


def pascanu_bound(Wh, gamma, T):
    """``(gamma * sigma_max(Wh))^(T - t)`` for t = 1..T (index t - 1); the last entry is 1.

    Parameters
    ----------
    Wh : numpy.ndarray, shape (H, H)
    gamma : float
        ``max |f'|`` of the activation.
    T : int

    Returns
    -------
    numpy.ndarray, shape (T,)
    """
    sigma_max = np.linalg.svd(Wh, compute_uv=False)[0]  # largest singular value
    exponent = T - np.arange(1, T + 1)  # T - t for t = 1..T
    return (gamma * sigma_max) ** exponent


def sigmoid_gamma():
    """The maximum of ``sigmoid'(a) = s (1 - s)`` over a fine grid, and where it is.

    Returns
    -------
    (float, float)
        ``(gamma, a_star)``: 0.25 at a = 0.
    """
    a = np.linspace(-10, 10, 200001)  # step 1e-4, includes a = 0
    s = 1 / (1 + np.exp(-a))
    deriv = s * (1 - s)
    k = int(np.argmax(deriv))
    return float(deriv[k]), float(a[k])


def clip_grad_norm(grads, max_norm):
    """Clip by global norm, in place: if ``||g|| >= max_norm``, ``g <- max_norm * g / ||g||``.

    Parameters
    ----------
    grads : dict of numpy.ndarray
        Scaled in place, all by the same factor.
    max_norm : float

    Returns
    -------
    float
        The global norm before clipping.
    """
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    if norm >= max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return norm
