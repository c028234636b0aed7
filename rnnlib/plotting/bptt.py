"""Notebook 03's figure: how much each earlier input contributes to the gradient of one loss.

The norms ``||dL_t/dx_s||`` are computed by :func:`rnnlib.bptt.input_gradient_norms`;
:func:`plot_gradient_contributions` draws them as bars, and
:func:`update_gradient_contributions` moves such a figure to another step, scale or
y scale in place (the widget's update).
"""

from __future__ import annotations

import numpy as np
from matplotlib.container import BarContainer

from rnnlib import plotting

__all__ = ["LOG_FLOOR", "plot_gradient_contributions", "update_gradient_contributions"]


#: the log-scale floor of the bar chart: contributions below it are drawn at the floor
LOG_FLOOR = 1e-12


def plot_gradient_contributions(norms, t, log=True, scale=None, ax=None, top=None):
    """Bar chart of ``||dL_t/dx_s||`` over ``s = 1..t``: which inputs move the loss at t?

    Every step ``s = 1..T`` gets a bar, those after ``t`` hidden, so that the widget
    (:func:`rnnlib.widgets.bptt.gradient_contributions_explorer`) can move ``t`` in place
    (:func:`update_gradient_contributions`).

    Parameters
    ----------
    norms : numpy.ndarray, shape (T, T)
        From :func:`input_gradient_norms`.
    t : int
        The loss term, 1..T.
    log : bool
        Log scale on the y axis (geometric decay becomes a straight line).
    scale : float, optional
        The scale of ``Wh``, shown in the title.
    ax : matplotlib.axes.Axes, optional
    top : float, optional
        The largest norm the y axis must show (default ``norms.max()``); the axis ends
        at 3 times it (log) or 1.1 times it (linear). A widget that switches between
        several ``norms`` passes their common largest norm, so that its axis stays put.

    Returns
    -------
    matplotlib.figure.Figure
    """
    norms, t = _check_step(norms, t)
    T = norms.shape[0]
    fig, ax = plotting.figure_axes(ax, figsize=(7, 3.4))
    ax.set_axisbelow(True)  # the grid behind the bars
    if log:
        ax.set_yscale("log")
    ax.set_ylim(*_contributions_ylim(norms, log, top))
    steps = np.arange(1, T + 1)
    ax.bar(steps, np.ones(T), color=plotting.COLORS["gradient"], width=0.8, gid="bar")
    # later inputs cannot change L_t: shade them (hidden at t = T)
    ax.axvspan(t + 0.5, T + 0.5, color=plotting.COLORS["bound"], alpha=0.15, lw=0, gid="future")
    ax.text(
        (t + T + 1) / 2,
        0.5,
        "$s > t$:\nno effect",
        transform=ax.get_xaxis_transform(),
        ha="center",
        va="center",
        color=plotting.COLORS["bound"],
        gid="future",
    )
    ax.text(0.02, 0.95, "", transform=ax.transAxes, ha="left", va="top", gid="ratio")
    ax.set_xlim(0.5, T + 0.5)
    plotting.label(ax, "input step $s$", r"$\|dL_t/dx_s\|$")
    _show_step(ax, norms, t, log, scale)
    return fig


def _check_step(norms, t):
    norms = np.asarray(norms)
    T = norms.shape[0]
    t = int(t)
    if not 1 <= t <= T:
        raise ValueError(f"t must be a step between 1 and T = {T}, got {t}")
    return norms, t


def _contributions_ylim(norms, log, top):
    top = (float(norms.max()) if top is None else float(top)) or 1.0
    return (LOG_FLOOR, top * 3) if log else (0, top * 1.1)


def _show_step(ax, norms, t, log, scale):
    """Set the bars, the shading, the ratio, the title and the description for step ``t``.

    Returns the bars (all ``T``, those after ``t`` hidden) and the other artists it set.
    """
    T = norms.shape[0]
    values = norms[t - 1, :t]
    heights = np.maximum(values, LOG_FLOOR) if log else values
    bars = [p for p in ax.patches if p.get_gid() == "bar"]
    for k, bar in enumerate(bars):
        bar.set_visible(k < t)
        if k < t:
            bar.set_height(heights[k])
    # the bar chart the description reads: the t bars shown
    for old in [c for c in ax.containers if isinstance(c, BarContainer)]:
        ax.containers.remove(old)
    ax.add_container(BarContainer(bars[:t], datavalues=heights, orientation="vertical"))
    (span,) = [p for p in ax.patches if p.get_gid() == "future"]
    (no_effect,) = [x for x in ax.texts if x.get_gid() == "future"]
    (ratio,) = [x for x in ax.texts if x.get_gid() == "ratio"]
    span.set_x(t + 0.5)
    span.set_width(T - t)
    no_effect.set_x((t + T + 1) / 2)
    for artist in (span, no_effect):
        artist.set_visible(t < T)
    if t > 1 and values[-1] > 0:
        ratio.set_text(
            rf"$\|dL_{{{t}}}/dx_1\| \,/\, \|dL_{{{t}}}/dx_{{{t}}}\|$ = "
            f"{values[0] / values[-1]:.1e}"
        )
    ratio.set_visible(t > 1 and values[-1] > 0)
    where = "" if scale is None else f" (every singular value of $W_h$: {scale:.2f})"
    ax.set_title(f"Which inputs move the loss $L_{{{t}}}$?{where}")
    f = plotting.fmt
    lead = (
        f"{'Log-scale bar' if log else 'Bar'} chart of the gradient norm ||dL_t/dx_s|| of the "
        f"loss at step t = {t} against the input step s = 1 to {t}"
        + ("" if scale is None else f", every singular value of W_h equal to {f(scale)}")
        + f": the nearest input (s = {t}) gets {f(values[-1])}"
    )
    if t > 1:
        lead += f", the first (s = 1) {f(values[0])}"
        if values[-1] > 0:
            lead += f", {f(values[0] / values[-1])} times as much"
    if t < T:
        lead += f"; inputs after step {t} (up to {T}) have no effect"
    plotting.describe(ax.figure, lead)
    return bars, [span, no_effect, ratio]


def update_gradient_contributions(fig, norms, t, log=True, scale=None, top=None):
    """Move a figure of :func:`plot_gradient_contributions` to new settings, in place.

    The widget's update (:func:`rnnlib.widgets.bptt.gradient_contributions_explorer`):
    the bars, the shading of the steps after ``t``, the ratio and the title change.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn by :func:`plot_gradient_contributions` for norms of the same ``T``.
    norms, t, log, scale, top
        As for :func:`plot_gradient_contributions`.

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, or None when the y axis changed (``log``, or a
        ``norms`` with another largest value and no common ``top``): then the whole
        figure must be drawn again.
    """
    norms, t = _check_step(norms, t)
    ax = fig.axes[0]
    n_bars = sum(p.get_gid() == "bar" for p in ax.patches)
    if n_bars != norms.shape[0]:
        raise ValueError(f"the figure was drawn for T = {n_bars}, norms are for T = {len(norms)}")
    redraw = ax.get_yscale() != ("log" if log else "linear")
    if redraw:
        ax.set_yscale("log" if log else "linear")
    ylim = _contributions_ylim(norms, log, top)
    if ax.get_ylim() != ylim:
        ax.set_ylim(*ylim)
        redraw = True
    bars, (span, no_effect, ratio) = _show_step(ax, norms, t, log, scale)
    if redraw:
        return None
    # in the order a full draw takes them: patches, spines, then texts
    return [*bars, span, *ax.spines.values(), no_effect, ratio, ax.title]
