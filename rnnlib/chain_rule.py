"""The deep tanh chain of notebook 02: a derivative as a product of local derivatives.

The chain is the scalar recursion ``h_k = tanh(w * h_{k-1})``, ``k = 1..n``: the
smallest deep network, and the smallest recurrent one (a state fed back through
one weight, no input). By the chain rule its total derivative is the product of
the one-edge derivatives of its steps,

    dh_n/dh_0 = prod_{k=1..n} dh_k/dh_{k-1} = prod_{k=1..n} w * (1 - h_k**2),

which :func:`tanh_chain` computes and :func:`tanh_chain_central_difference`
checks with central differences, including where that referee goes blind.
"""

from __future__ import annotations

import numpy as np

from rnnlib._validate import check_int, check_number

__all__ = ["FD_MIN_ULPS", "tanh_chain", "tanh_chain_central_difference"]

#: The finite-difference referee resolves a derivative only if h_n changes across the
#: two evaluations by at least this many units in its last place.
FD_MIN_ULPS = 1000.0


def tanh_chain(h0, w, n):
    """Run ``h_k = tanh(w * h_{k-1})`` for ``n`` steps, and its derivative by the chain rule.

    ``dh_k/dh_0 = prod_{j=1..k} w * (1 - h_j**2)``: each factor is the local
    derivative of one step, ``d tanh(w h)/dh = w * tanh'(w h)``, read from the
    step's output ``h_j`` (as every backward pass of the course does).

    Parameters
    ----------
    h0 : float
        Start value ``h_0``.
    w : float
        The weight shared by every step.
    n : int
        Depth (number of steps), ``n >= 0``.

    Returns
    -------
    h : numpy.ndarray, shape (n + 1,)
        ``h_0, h_1, ..., h_n``.
    local : numpy.ndarray, shape (n,)
        Local derivatives ``w * (1 - h_k**2)`` for ``k = 1..n``.
    grad : numpy.ndarray, shape (n + 1,)
        ``dh_k/dh_0`` for ``k = 0..n`` (``grad[0] = 1``).
    """
    h0, w = check_number("h0", h0), check_number("w", w)
    n = check_int("n", n, low=0)
    h = np.empty(n + 1)
    h[0] = h0
    for k in range(1, n + 1):
        h[k] = np.tanh(w * h[k - 1])
    local = w * (1.0 - h[1:] ** 2)
    grad = np.concatenate(([1.0], np.cumprod(local)))
    return h, local, grad


def tanh_chain_central_difference(h0, w, n, step=None):
    """Central-difference ``dh_n/dh_0`` of the composed chain, and whether it resolves.

    ``(h_n(h0 + step) - h_n(h0 - step)) / (2 step)``.

    Parameters
    ----------
    h0, w : float
        Start value and weight, as for :func:`tanh_chain`.
    n : int
        Depth.
    step : float, optional
        Default ``1e-5 * min(1, |h0|)`` (kept small next to ``h0`` itself, because
        for small ``h0`` the chain changes on the scale of ``h0``).

    Returns
    -------
    fd : float
        The finite-difference estimate.
    resolved : bool
        False when ``h_n`` changes by fewer than :data:`FD_MIN_ULPS` units in its last
        place across the two evaluations: the estimate is then mostly rounding noise
        (often exactly 0), whatever the true derivative is.

    Notes
    -----
    This is the referee's blind spot: in float64 a derivative below roughly
    ``1000 * eps * |h_n| / step`` cannot be measured by finite differences at all.
    """
    h0, w = check_number("h0", h0), check_number("w", w)
    if step is not None:
        step = check_number("step", step, 0, open_low=True)
    if step is None:
        step = 1e-5 * min(1.0, abs(h0)) if h0 != 0 else 1e-5
    plus = tanh_chain(h0 + step, w, n)[0][-1]
    minus = tanh_chain(h0 - step, w, n)[0][-1]
    ulp = np.spacing(max(abs(plus), abs(minus), np.finfo(float).tiny))
    resolved = abs(plus - minus) > FD_MIN_ULPS * ulp
    return (plus - minus) / (2 * step), bool(resolved)
