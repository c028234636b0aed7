"""How far back one loss reaches through time (notebook 03, sections 8 and 9).

For a tanh RNN reading one sequence ``x_1, ..., x_T`` with a loss term at every
step, ``L_t = h_t . u`` (a fixed unit read-out ``u``), the contribution of input
``x_s`` to the gradient of ``L_t`` is the total derivative

    dL_t/dx_s = u^T J_t J_{t-1} ... J_{s+1} diag(1 - h_s**2) Wx^T,    s <= t,

with ``J_k = diag(1 - h_k**2) Wh^T`` (row-vector convention), and zero for
``s > t``: an input that comes later cannot change an earlier loss. Its norm
shrinks roughly geometrically with the lag ``t - s`` when the product of
Jacobians contracts.

:func:`truncation_errors` measures what cutting that sum after ``k`` steps
(per-loss truncated BPTT) costs in ``dL/dWh``, for a ``Wh`` with every singular
value equal to ``scale``.

Math steps are numbered 1..T here (``x_s`` is ``x[:, s - 1]`` in code).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rnnlib import analysis, gradcheck, sequence
from rnnlib._validate import (
    INPUT_HINT,
    check_array,
    check_finite,
    check_int,
    check_number,
    check_rng,
)
from rnnlib.analysis import orthogonal

__all__ = ["TruncationErrors", "input_gradient_norms", "scaled_orthogonal_rnn", "truncation_errors"]


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


class TruncationErrors(NamedTuple):
    """What :func:`truncation_errors` returns."""

    errors: np.ndarray  #: (K,) relative error of the truncated dL/dWh, one per window k
    jacobian_norm: float  #: mean over the batch of ||dh_T/dh_{T-lag}||_2


def truncation_errors(scale, ks, seed=0, N=8, T=40, D=4, H=16, lag=10):
    """How far per-loss truncated BPTT is from the full ``dL/dWh``, for ``Wh = scale * Q``.

    One random draw (the seed) of a batch of inputs ``x ~ Normal(0, 1)``,
    ``Wx ~ Normal(0, 1/D)``, an orthogonal ``Q`` and a loss at every step with random
    immediate gradients ``dh``; then, for every window ``k``, the relative error
    (:func:`rnnlib.gradcheck.rel_error`) of ``rnn_backward_truncated(dh, cache, k)``'s
    ``dWh`` against full BPTT's, and the size of the Jacobian product over ``lag`` steps
    that decides how fast that error falls.

    Parameters
    ----------
    scale : float
        Every singular value of ``Wh``, ``>= 0``.
    ks : sequence of int, shape (K,)
        Windows, each in ``[0, T - 1]`` (``k = 0``: each loss reaches only its own step).
    seed : int
        The same seed gives the same ``x``, ``Wx``, ``Q`` and ``dh`` for every scale.
    N, T, D, H : int
        Batch size, sequence length, input size, hidden size.
    lag : int
        Steps of the Jacobian product whose norm is returned, ``1 <= lag <= T - 1``.

    Returns
    -------
    TruncationErrors
        ``errors`` (K,) and ``jacobian_norm``, the batch mean of ``||dh_T/dh_{T-lag}||_2``.
    """
    scale = check_number("scale", scale, 0)
    N, T, D, H = (check_int(n, v) for n, v in (("N", N), ("T", T), ("D", D), ("H", H)))
    if T < 2:
        raise ValueError(f"T must be >= 2 to truncate anything, got {T}")
    lag = check_int("lag", lag)
    if not 1 <= lag <= T - 1:
        raise ValueError(f"lag must be in [1, T - 1] = [1, {T - 1}], got {lag}")
    ks = np.asarray(ks)
    if ks.ndim != 1 or ks.size == 0 or not np.issubdtype(ks.dtype, np.integer):
        raise ValueError(f"ks must be a non-empty 1-D sequence of ints, got {ks!r}")
    if ks.min() < 0 or ks.max() > T - 1:
        raise ValueError(f"every k in ks must be in [0, T - 1] = [0, {T - 1}], got {ks.tolist()}")
    rng = check_rng("seed", seed)
    x = rng.standard_normal((N, T, D))
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Wh = float(scale) * orthogonal(H, rng)
    dh = rng.standard_normal((N, T, H))  # a loss at every step
    h, cache = sequence.rnn_forward(x, np.zeros((N, H)), Wx, Wh, np.zeros(H))
    dWh_full = sequence.rnn_backward(dh, cache)[3]
    errors = np.array(
        [
            gradcheck.rel_error(sequence.rnn_backward_truncated(dh, cache, int(k))[3], dWh_full)
            for k in ks
        ]
    )
    jac = float(analysis.jacobian_product_norms(h, Wh, steps=[T - lag])[0])
    return TruncationErrors(errors, jac)
