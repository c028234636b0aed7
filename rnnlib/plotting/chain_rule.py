"""Notebook 02's figures: a deep tanh chain, and the error of finite differences.

The deep chain ``h_k = tanh(w * h_{k-1})`` and its derivative
``dh_n/dh_0 = prod_k w * (1 - h_k**2)`` are computed by :mod:`rnnlib.chain_rule`;
:func:`plot_chain_depth` and :func:`plot_step_size_errors` only draw them, and
:func:`update_chain_depth` moves a figure of the first to new settings in place (the
widget's update).
"""

from __future__ import annotations

import numpy as np

from rnnlib import plotting
from rnnlib.chain_rule import tanh_chain, tanh_chain_central_difference

__all__ = ["plot_chain_depth", "plot_step_size_errors", "update_chain_depth"]


def _fd_depths(n, count=5):
    """A few depths spread over 1..n where the widget shows the finite-difference check."""
    return sorted({int(round(d)) for d in np.linspace(1, n, min(count, n))})


def _depth_xmax(n):
    """The right end of both depth axes: past ``n``, at the next multiple of 10 (plus 1).

    Rounded up so that the widget's depth slider moves the curves, not the axes, for
    9 moves out of 10 (:func:`update_chain_depth` then redraws only the data).
    """
    return 10 * int(np.ceil(n / 10)) + 1


def _local_top(w):
    """The top of the local-factor panel: 1.1 ``|w|`` with ``|w|`` rounded up, at least 1.5.

    ``|w|`` bounds every local factor (``tanh' <= 1``), so every point fits, and the top
    moves only when ``|w|`` crosses a whole number (the line 1 always shows).
    """
    return max(1.5, 1.1 * np.ceil(abs(w) - 1e-9))


def _product_ylim(mag):
    """The log range of ``|dh_k/dh_0|``: a decade beyond the product and beyond 1."""
    return min(float(mag.min()), 1.0) / 10, max(float(mag.max()), 1.0) * 10


def _chain_data(n, w, h0):
    """What :func:`plot_chain_depth` draws: the chain, its product and the checks."""
    n = max(int(n), 1)
    _, local, grad = tanh_chain(h0, w, n)
    mag = np.maximum(np.abs(grad), 1e-300)  # an exact 0 (w = 0) cannot sit on a log axis
    # (depth, finite difference, whether it resolves the product there)
    checks = [(d, *tanh_chain_central_difference(h0, w, d)) for d in _fd_depths(n)]
    return n, local, grad, mag, checks


def _check_marker(d, fd, ok, mag, first):
    """Where and how one finite-difference check is marked: ``(x, y, style)``.

    A circle at the finite difference where it sees the product; a cross on the product
    where the product is too small for it (the referee went blind there). The first
    marker of each kind (``first``) is labelled for the legend.
    """
    if ok:
        style = dict(marker="o", mfc="none", color=plotting.COLORS["target"])
        label = "finite difference"
    else:
        style = dict(marker="x", mfc=None, color=plotting.COLORS["fail"])
        label = "too small for finite diff."
    style.update(ls="none", ms=8, mew=1.8, label=label if first else "_nolegend_")
    return d, abs(fd) if ok else mag[d], style


def _check_markers(mag, checks):
    """:func:`_check_marker` of every check, in order of depth."""
    seen = set()
    markers = []
    for d, fd, ok in checks:
        markers.append(_check_marker(d, fd, ok, mag, ok not in seen))
        seen.add(ok)
    return markers


def _chain_title(w, h0):
    return f"derivative: $w$ = {w:g}, $h_0$ = {h0:.3g}"


def _chain_lead(n, w, h0, local, grad, checks):
    """The description of :func:`plot_chain_depth`'s figure, in numbers."""
    f = plotting.fmt
    above = int(np.sum(np.abs(local) > 1))
    lead = (
        f"Two panels for a chain of depth {n} with w = {f(w)} and h_0 = {f(h0)}. Left: the "
        f"local factor |w f'(a_k)| of each step lies between {f(np.min(np.abs(local)))} and "
        f"{f(np.max(np.abs(local)))}, above 1 at {above} of {n} steps. Right, on a log "
        f"scale: |dh_k/dh_0| goes from 1 to {f(abs(grad[-1]))} at depth {n}, against the "
        f"bound |w|^{n} = {f(abs(w) ** n)}"
    )
    checked = [d for d, _, ok in checks if ok]
    blind = [d for d, _, ok in checks if not ok]
    if checked:
        lead += f"; finite differences agree at depths {', '.join(map(str, checked))}"
    if blind:
        lead += f"; at depths {', '.join(map(str, blind))} the product is too small for them"
    return lead


def plot_chain_depth(n=30, w=0.5, h0=1.0, ax=None):
    """Does the derivative of ``f(f(...f(h0)))`` vanish as the chain gets deeper?

    Left: the local factors ``|w f'(a_k)| = |w (1 - h_k**2)|`` against ``k``, with the
    line 1 (above it a step amplifies, below it a step shrinks). Right: the product
    ``|dh_k/dh_0|`` on a log axis, with ``|w|**k`` (the bound, since ``tanh' <= 1``) and
    central-difference checks at a few depths.

    The depth axes end at the next multiple of 10 after ``n`` and the left panel's top
    depends on ``w`` only (1.1 ``|w|``, ``|w|`` rounded up), so that the widget
    (:func:`rnnlib.widgets.chain_rule.chain_depth_explorer`) can mostly move the data
    in place (:func:`update_chain_depth`).

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
    n, local, grad, mag, checks = _chain_data(n, w, h0)
    fig, axes = plotting.figure_axes(ax, 1, 2, figsize=(7.0, 3.6))
    ax_loc, ax_prod = np.ravel(axes)
    k = np.arange(n + 1)

    ax_loc.axhline(1.0, color=plotting.COLORS["bound"], lw=1.2, ls="--")
    ax_loc.plot(k[1:], np.abs(local), "o-", ms=3, color=plotting.COLORS["gradient"])
    top = _local_top(w)
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
    ax_loc.set_xlim(0, _depth_xmax(n))
    plotting.label(
        ax_loc, "step $k$", r"$|w\,f'(a_k)| = |w\,(1 - h_k^2)|$", "local factor of each step"
    )

    ax_prod.semilogy(
        k,
        np.abs(w) ** k.astype(float),
        ls="--",
        lw=1.2,
        color=plotting.COLORS["bound"],
        label=r"$|w|^k$ (bound)",
    )
    ax_prod.semilogy(k, mag, color=plotting.COLORS["gradient"], label="product of local factors")
    for x, y, style in _check_markers(mag, checks):
        ax_prod.semilogy([x], [y], **style)
    ax_prod.set_xlim(0, _depth_xmax(n))
    ax_prod.set_ylim(*_product_ylim(mag))
    ax_prod.legend(loc="lower left", fontsize=8.5)
    plotting.label(ax_prod, "depth $k$", r"$|dh_k / dh_0|$", _chain_title(w, h0))
    plotting.describe(fig, _chain_lead(n, w, h0, local, grad, checks))
    return fig


def update_chain_depth(fig, n=30, w=0.5, h0=1.0):
    """Move a figure of :func:`plot_chain_depth` to ``n``, ``w`` and ``h0``, in place.

    The widget's update (:func:`rnnlib.widgets.chain_rule.chain_depth_explorer`): the
    curves, the finite-difference markers, the right panel's y axis and title change.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn by :func:`plot_chain_depth` (on its own two axes).
    n, w, h0
        As for :func:`plot_chain_depth`.

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, or None when an axis changed (the figure must be
        drawn again whole): the depth axes moved (``n`` crossed a multiple of 10) or the
        left panel's top did (``|w|`` crossed a whole number). When the markers change
        in number (``n < 5``) or in the kinds the legend lists, they and the legend are
        made again, and the list holds the new artists.
    """
    n, local, grad, mag, checks = _chain_data(n, w, h0)
    ax_loc, ax_prod = fig.axes[:2]
    k = np.arange(n + 1)
    local_line = ax_loc.lines[1]
    local_line.set_data(k[1:], np.abs(local))
    bound, product, *markers = ax_prod.lines
    bound.set_data(k, np.abs(w) ** k.astype(float))
    product.set_data(k, mag)

    rescaled = False
    xlim = (0, _depth_xmax(n))
    for ax in (ax_loc, ax_prod):
        if ax.get_xlim() != xlim:
            ax.set_xlim(*xlim)
            rescaled = True
    top = _local_top(w)
    if ax_loc.get_ylim() != (0, top):
        ax_loc.set_ylim(0, top)
        (span,) = ax_loc.patches
        span.set_height(top - 1.0)  # the band from 1 to the top: "amplifies"
        rescaled = True
    new = _check_markers(mag, checks)
    was = [m.get_marker() == "o" for m in markers]  # True: a circle, False: a cross
    now = [ok for _, _, ok in checks]
    legend = list(dict.fromkeys(was)), list(dict.fromkeys(now))  # its entries, in order
    remade = not (len(was) == len(now) and legend[0] == legend[1])
    if not remade:  # set each marker in place
        for line, (x, y, style) in zip(markers, new, strict=True):
            line.set_data([x], [y])
            line.set(**style)
    else:  # another number of markers, or another legend: draw them and the legend again
        for artist in [*markers, ax_prod.legend_]:
            artist.remove()  # out of the figure: a widget must not draw them again
        for x, y, style in new:
            ax_prod.semilogy([x], [y], **style)
        ax_prod.legend(loc="lower left", fontsize=8.5)
    ax_prod.set_ylim(*_product_ylim(mag))
    ax_prod.set_title(_chain_title(w, h0))
    plotting.describe(fig, _chain_lead(n, w, h0, local, grad, checks))
    if rescaled and not remade:
        return None
    # In the order a full draw takes them: the right panel's y axis (its grid and tick
    # labels follow the data) under the lines, the spines on top of the lines, then the
    # texts and the legend (the lines and the y grid run under it). New markers and a
    # new legend are new artists: the widget draws the whole figure for them anyway.
    return [
        local_line,
        *ax_loc.spines.values(),
        *ax_loc.texts,
        ax_prod.yaxis,
        *ax_prod.lines,
        *ax_prod.spines.values(),
        ax_prod.title,
        ax_prod.legend_,
    ]


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
