"""Notebook 02's figures: a deep tanh chain, and the error of finite differences.

The deep chain ``h_k = tanh(w * h_{k-1})`` and its derivative
``dh_n/dh_0 = prod_k w * (1 - h_k**2)`` are computed by :mod:`rnnlib.chain_rule`;
:func:`plot_chain_depth` and :func:`plot_step_size_errors` only draw them.
"""

from __future__ import annotations

import numpy as np

from rnnlib import plotting
from rnnlib.chain_rule import tanh_chain, tanh_chain_central_difference

__all__ = ["plot_chain_depth", "plot_step_size_errors"]


def _fd_depths(n, count=5):
    """A few depths spread over 1..n where the widget shows the finite-difference check."""
    return sorted({int(round(d)) for d in np.linspace(1, n, min(count, n))})


def plot_chain_depth(n=30, w=0.5, h0=1.0, ax=None):
    """Does the derivative of ``f(f(...f(h0)))`` vanish as the chain gets deeper?

    Left: the local factors ``|w f'(a_k)| = |w (1 - h_k**2)|`` against ``k``, with the
    line 1 (above it a step amplifies, below it a step shrinks). Right: the product
    ``|dh_k/dh_0|`` on a log axis, with ``|w|**k`` (the bound, since ``tanh' <= 1``) and
    central-difference checks at a few depths.

    Parameters
    ----------
    n : int
        Depth, ``>= 1``.
    w : float
        Weight of ``f(h) = tanh(w h)``.
    h0 : float
        Start value.
    ax : array of two Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    n = max(int(n), 1)
    fig, axes = plotting.figure_axes(ax, 1, 2, figsize=(7.0, 3.6))
    ax_loc, ax_prod = np.ravel(axes)
    h, local, grad = tanh_chain(h0, w, n)
    k = np.arange(n + 1)

    ax_loc.axhline(1.0, color=plotting.COLORS["bound"], lw=1.2, ls="--")
    ax_loc.plot(k[1:], np.abs(local), "o-", ms=3, color=plotting.COLORS["gradient"])
    top = max(1.5, 1.1 * float(np.max(np.abs(local))))
    ax_loc.axhspan(1.0, top, color=plotting.COLORS["fail"], alpha=0.08, lw=0)
    ax_loc.text(
        0.97,
        0.97,
        "amplifies",
        transform=ax_loc.transAxes,
        ha="right",
        va="top",
        fontsize=9,
        color=plotting.COLORS["fail"],
    )
    ax_loc.set_ylim(0, top)
    ax_loc.set_xlim(0, n + 1)
    plotting.label(
        ax_loc, "step $k$", r"$|w\,f'(a_k)| = |w\,(1 - h_k^2)|$", "local factor of each step"
    )

    mag = np.maximum(np.abs(grad), 1e-300)  # an exact 0 (w = 0) cannot sit on a log axis
    ax_prod.semilogy(
        k,
        np.abs(w) ** k.astype(float),
        ls="--",
        lw=1.2,
        color=plotting.COLORS["bound"],
        label=r"$|w|^k$ (bound)",
    )
    ax_prod.semilogy(k, mag, color=plotting.COLORS["gradient"], label="product of local factors")
    shown = {"fd": False, "blind": False}
    checked, blind = [], []  # depths where the finite difference sees the product, or not
    for d in _fd_depths(n):
        fd, ok = tanh_chain_central_difference(h0, w, d)
        (checked if ok else blind).append(d)
        if ok:
            ax_prod.semilogy(
                d,
                abs(fd),
                "o",
                ms=8,
                mfc="none",
                mew=1.8,
                color=plotting.COLORS["target"],
                label=None if shown["fd"] else "finite difference",
            )
            shown["fd"] = True
        else:
            # The referee cannot see a change this small: mark where it went blind.
            ax_prod.semilogy(
                d,
                mag[d],
                "x",
                ms=8,
                mew=1.8,
                color=plotting.COLORS["fail"],
                label=None if shown["blind"] else "too small for finite diff.",
            )
            shown["blind"] = True
    ax_prod.set_xlim(0, n + 1)
    lo, hi = float(mag.min()), float(mag.max())
    ax_prod.set_ylim(min(lo, 1.0) / 10, max(hi, 1.0) * 10)
    ax_prod.legend(loc="lower left", fontsize=8.5)
    plotting.label(
        ax_prod, "depth $k$", r"$|dh_k / dh_0|$", f"derivative: $w$ = {w:g}, $h_0$ = {h0:.3g}"
    )
    f = plotting.fmt
    above = int(np.sum(np.abs(local) > 1))
    lead = (
        f"Two panels for a chain of depth {n} with w = {f(w)} and h_0 = {f(h0)}. Left: the "
        f"local factor |w f'(a_k)| of each step lies between {f(np.min(np.abs(local)))} and "
        f"{f(np.max(np.abs(local)))}, above 1 at {above} of {n} steps. Right, on a log "
        f"scale: |dh_k/dh_0| goes from 1 to {f(abs(grad[-1]))} at depth {n}, against the "
        f"bound |w|^{n} = {f(abs(w) ** n)}"
    )
    if checked:
        lead += f"; finite differences agree at depths {', '.join(map(str, checked))}"
    if blind:
        lead += f"; at depths {', '.join(map(str, blind))} the product is too small for them"
    plotting.describe(fig, lead)
    return fig


def _min_marker(ax, h, err, color):
    """Mark the smallest error of a curve and write its step size next to it."""
    i = int(np.argmin(err))
    ax.plot(h[i], err[i], "*", ms=13, color=color, mec="white", mew=0.8, zorder=5)
    ax.annotate(
        f"$h$ = {h[i]:.0e}",
        (h[i], err[i]),
        textcoords="offset points",
        xytext=(0, -15),
        ha="center",
        fontsize=9,
        color=color,
    )
    return i


def plot_step_size_errors(h, forward64, central64, central32, ax=None):
    """How does the error of a finite difference depend on the step size ``h``?

    Three error curves on log-log axes, each with its minimum marked by a star,
    and guide lines for the slopes: truncation ``∝ h`` (forward) and ``∝ h**2``
    (central) on the right, round-off ``∝ eps / h`` on the left.

    Parameters
    ----------
    h : numpy.ndarray, shape (S,)
        Step sizes, increasing.
    forward64, central64, central32 : numpy.ndarray, shape (S,)
        Relative errors of forward differences in float64, central differences in
        float64 and central differences in float32.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    h = np.asarray(h, dtype=float)
    fig, ax = plotting.figure_axes(ax, figsize=(7.0, 4.2))
    curves = [
        (forward64, "forward, float64", plotting.COLORS["mlp"], "-"),
        (central64, "central, float64", plotting.COLORS["gradient"], "-"),
        (central32, "central, float32", plotting.COLORS["rnn"], "--"),
    ]
    for err, name, color, ls in curves:
        err = np.maximum(np.asarray(err, dtype=float), 1e-17)
        ax.loglog(h, err, ls=ls, color=color, label=name)
        _min_marker(ax, h, err, color)

    # Guides anchored on the float64 curves, away from their minima.
    grey = plotting.COLORS["bound"]
    eps = np.finfo(np.float64).eps
    right = h >= 1e-4
    j = int(np.argmin(np.abs(h - 1e-2)))
    ax.loglog(h[right], forward64[j] * h[right] / h[j], ":", color=grey, lw=1.5)
    ax.loglog(h[right], central64[j] * (h[right] / h[j]) ** 2, ":", color=grey, lw=1.5)
    ax.text(
        h[-1], forward64[j] * h[-1] / h[j] * 2, r"$\propto h$", ha="right", va="bottom", color=grey
    )
    ax.text(
        1e-3,
        central64[j] * (1e-3 / h[j]) ** 2 / 3,
        r"$\propto h^2$",
        ha="left",
        va="top",
        color=grey,
    )
    left = h <= 1e-9
    ax.loglog(h[left], eps / h[left], ":", color=grey, lw=1.5)
    ax.text(
        h[left][len(h[left]) // 2],
        4 * eps / h[left][len(h[left]) // 2],
        r"$\propto \epsilon / h$",
        ha="left",
        va="bottom",
        color=grey,
    )

    ax.set_ylim(1e-13, 10)
    ax.legend(loc="lower left", fontsize=9)
    plotting.label(
        ax,
        "step size $h$",
        "relative error of $f'$",
        "Which step size $h$ gives the most accurate derivative?",
    )
    f = plotting.fmt
    best = []
    for err, name, _, _ in curves:
        i = int(np.argmin(np.maximum(np.asarray(err, dtype=float), 1e-17)))
        best.append(f"{f(err[i])} at h = {f(h[i])} for {name}")
    plotting.describe(
        fig,
        f"Log-log plot of the relative error of a finite-difference derivative against the "
        f"step size h from {f(h[0])} to {f(h[-1])}. The smallest error is {'; '.join(best)}. "
        f"Smaller steps lose to round-off (error about eps/h), larger ones to truncation",
    )
    return fig
