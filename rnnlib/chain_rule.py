"""The deep tanh chain of notebook 02: a derivative as a product of local derivatives.

The chain is the scalar recursion ``x_k = tanh(w * x_{k-1})``, ``k = 1..n``. By the
chain rule, its (total) derivative is a product of one-edge derivatives,

    dx_n/dx_0 = prod_{k=1..n} dx_k/dx_{k-1} = prod_{k=1..n} w * (1 - x_k**2),

which :func:`tanh_chain` computes and :func:`tanh_chain_central_difference`
checks with central differences, including where that referee goes blind.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FD_MIN_ULPS", "tanh_chain", "tanh_chain_central_difference"]

#: The finite-difference referee resolves a derivative only if x_n changes across the
#: two steps by at least this many units in its last place.
FD_MIN_ULPS = 1000.0


def tanh_chain(x0, w, n):
    """Run ``x_k = tanh(w * x_{k-1})`` for ``n`` steps and its derivative by the chain rule.

    ``dx_k/dx_0 = prod_{j=1..k} w * (1 - x_j**2)``: each factor is the local
    derivative of one step, ``d tanh(w x)/dx = w * tanh'(w x)``, read from the
    step's output ``x_j`` (as every backward pass of the course does).

    Parameters
    ----------
    x0 : float
        Start value ``x_0``.
    w : float
        The weight shared by every step.
    n : int
        Depth (number of steps), ``n >= 0``.

    Returns
    -------
    x : numpy.ndarray, shape (n + 1,)
        ``x_0, x_1, ..., x_n``.
    local : numpy.ndarray, shape (n,)
        Local derivatives ``w * (1 - x_k**2)`` for ``k = 1..n``.
    grad : numpy.ndarray, shape (n + 1,)
        ``dx_k/dx_0`` for ``k = 0..n`` (``grad[0] = 1``).
    """
    if int(n) != n or n < 0:
        raise ValueError(f"n must be an int >= 0, got {n!r}")
    n = int(n)
    x = np.empty(n + 1)
    x[0] = x0
    for k in range(1, n + 1):
        x[k] = np.tanh(w * x[k - 1])
    local = w * (1.0 - x[1:] ** 2)
    grad = np.concatenate(([1.0], np.cumprod(local)))
    return x, local, grad


def tanh_chain_central_difference(x0, w, n, h=None):
    """Central-difference ``dx_n/dx_0`` of the composed chain, and whether it resolves.

    ``(x_n(x0 + h) - x_n(x0 - h)) / (2h)``.

    Parameters
    ----------
    x0, w : float
    n : int
        Depth.
    h : float, optional
        Step; default ``1e-5 * min(1, |x0|)`` (kept small next to ``x0`` itself,
        because for small ``x0`` the chain changes on the scale of ``x0``).

    Returns
    -------
    fd : float
        The finite-difference estimate.
    resolved : bool
        False when ``x_n`` changes by fewer than :data:`FD_MIN_ULPS` units in its last
        place across the two steps: the estimate is then mostly rounding noise (often
        exactly 0), whatever the true derivative is.

    Notes
    -----
    This is the referee's blind spot: in float64 a derivative below roughly
    ``1000 * eps * |x_n| / h`` cannot be measured by finite differences at all.
    """
    if h is None:
        h = 1e-5 * min(1.0, abs(x0)) if x0 != 0 else 1e-5
    plus = tanh_chain(x0 + h, w, n)[0][-1]
    minus = tanh_chain(x0 - h, w, n)[0][-1]
    ulp = np.spacing(max(abs(plus), abs(minus), np.finfo(float).tiny))
    resolved = abs(plus - minus) > FD_MIN_ULPS * ulp
    return (plus - minus) / (2 * h), bool(resolved)
