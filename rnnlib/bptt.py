"""How far back one loss reaches through time (notebook 03, section 8).

For a tanh RNN reading one sequence ``x_1, ..., x_T`` with a loss term at every
step, ``L_t = h_t . u`` (a fixed unit read-out ``u``), the contribution of input
``x_s`` to the gradient of ``L_t`` is the total derivative

    dL_t/dx_s = u^T J_t J_{t-1} ... J_{s+1} diag(1 - h_s**2) Wx^T,    s <= t,

with ``J_k = diag(1 - h_k**2) Wh^T`` (row-vector convention), and zero for
``s > t``: an input that comes later cannot change an earlier loss. Its norm
shrinks roughly geometrically with the lag ``t - s`` when the product of
Jacobians contracts.

Math steps are numbered 1..T here (``x_s`` is ``x[:, s - 1]`` in code).
"""

from __future__ import annotations

import numpy as np

from rnnlib import sequence
from rnnlib._validate import (
    INPUT_HINT,
    check_array,
    check_finite,
    check_int,
    check_number,
    check_rng,
)
from rnnlib.analysis import orthogonal

__all__ = ["input_gradient_norms", "scaled_orthogonal_rnn"]


def scaled_orthogonal_rnn(scale=1.0, T=40, D=4, H=16, seed=0):
    """A random tanh RNN whose ``Wh`` has every singular value ``scale``, and one input.

    ``Wh = scale * Q`` with ``Q`` orthogonal: below 1 the recurrence contracts,
    above 1 it can amplify (the ``tanh'`` factors can still make it contract).

    Parameters
    ----------
    scale : float
        Every singular value of ``Wh``, ``>= 0``.
    T, D, H : int
        Sequence length, input size, hidden size.
    seed : int
        The same seed gives the same ``x``, ``Wx``, ``Q`` and ``u`` for every scale.

    Returns
    -------
    x : numpy.ndarray, shape (1, T, D)
        One input sequence, entries Normal(0, 1).
    Wx : numpy.ndarray, shape (D, H)
        Normal(0, 1/D) entries.
    Wh : numpy.ndarray, shape (H, H)
    b : numpy.ndarray, shape (H,)
        Zeros.
    u : numpy.ndarray, shape (H,)
        Unit read-out vector of the loss ``L_t = h_t . u``.
    """
    scale = check_number("scale", scale, 0)
    T, D, H = check_int("T", T), check_int("D", D), check_int("H", H)
    rng = check_rng("seed", seed)
    x = rng.standard_normal((1, T, D))
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Q = orthogonal(H, rng)
    u = rng.standard_normal(H)
    return x, Wx, float(scale) * Q, np.zeros(H), u / np.linalg.norm(u)


def input_gradient_norms(x, Wx, Wh, b, u):
    """``C[t-1, s-1] = ||dL_t/dx_s||`` for every pair of steps, with ``L_t = h_t . u``.

    One forward and one backward pass do all T losses at once: the sequence is
    copied T times into a batch, and copy ``n`` receives a loss only at step ``n``
    (``dh[n, n] = u``). Copies do not interact, so row ``n`` of the input gradient
    is the gradient of that single loss term.

    Parameters
    ----------
    x : numpy.ndarray, shape (1, T, D) or (T, D)
        One input sequence.
    Wx : numpy.ndarray, shape (D, H)
    Wh : numpy.ndarray, shape (H, H)
    b : numpy.ndarray, shape (H,)
    u : numpy.ndarray, shape (H,)
        Read-out of the loss at every step.

    Returns
    -------
    numpy.ndarray, shape (T, T)
        Row ``t - 1`` holds ``||dL_t/dx_s||`` for ``s = 1..T``; zero for ``s > t``.
    """
    x = x[None] if np.ndim(x) == 2 else x
    check_array("x", x, "1, T, D", (1, None, None))
    check_array("Wh", Wh, "H, H", (None, None))
    check_array("u", u, "H,", (Wh.shape[0],))
    check_finite("u", u, hint=INPUT_HINT)
    T = x.shape[1]
    xs = np.repeat(x, T, axis=0)  # (T, T, D): copy n serves the loss L_{n+1}
    H = u.shape[0]
    h, cache = sequence.rnn_forward(xs, np.zeros((T, H), xs.dtype), Wx, Wh, b)
    dh = np.zeros_like(h)  # (T, T, H)
    dh[np.arange(T), np.arange(T)] = u  # copy n: immediate gradient only at its own step
    with np.errstate(over="ignore", invalid="ignore"):  # a huge u: reported just below
        dx = sequence.rnn_backward(dh, cache)[0]  # (T, T, D)
        norms = np.linalg.norm(dx, axis=2)
    if not np.all(np.isfinite(norms)):
        raise FloatingPointError(
            f"the gradients overflowed: u is too large (max |u| = "
            f"{np.abs(u).max():g}); use a unit read-out vector"
        )
    return norms
