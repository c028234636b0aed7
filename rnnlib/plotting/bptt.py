"""Notebook 03's figure: how much each earlier input contributes to the gradient of one loss.

The norms ``||dL_t/dx_s||`` are computed by :func:`rnnlib.bptt.input_gradient_norms`;
:func:`plot_gradient_contributions` draws them as bars.
"""

from __future__ import annotations

import numpy as np

from rnnlib import plotting

__all__ = ["LOG_FLOOR", "plot_gradient_contributions"]


#: the log-scale floor of the bar chart: contributions below it are drawn at the floor
LOG_FLOOR = 1e-12


def plot_gradient_contributions(norms, t, log=True, scale=None, ax=None):
    """Bar chart of ``||dL_t/dx_s||`` over ``s = 1..t``: which inputs move the loss at t?

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

    Returns
    -------
    matplotlib.figure.Figure
    """
    norms = np.asarray(norms)
    T = norms.shape[0]
    if not 1 <= t <= T:
        raise ValueError(f"t must be a step between 1 and T = {T}, got {t}")
    fig, ax = plotting.figure_axes(ax, figsize=(7, 3.4))
    s = np.arange(1, t + 1)
    values = norms[t - 1, :t]
    top = float(norms.max()) or 1.0
    if log:
        ax.set_yscale("log")
        ax.bar(s, np.maximum(values, LOG_FLOOR), color=plotting.COLORS["gradient"], width=0.8)
        ax.set_ylim(LOG_FLOOR, top * 3)
    else:
        ax.bar(s, values, color=plotting.COLORS["gradient"], width=0.8)
        ax.set_ylim(0, top * 1.1)
    if t < T:  # later inputs cannot change L_t: shade them
        ax.axvspan(t + 0.5, T + 0.5, color=plotting.COLORS["bound"], alpha=0.15, lw=0)
        ax.text(
            (t + T + 1) / 2,
            0.5,
            "$s > t$:\nno effect",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="center",
            color=plotting.COLORS["bound"],
        )
    ax.set_xlim(0.5, T + 0.5)
    if t > 1 and values[-1] > 0:
        ax.text(
            0.02,
            0.95,
            rf"$\|dL_{{{t}}}/dx_1\| \,/\, \|dL_{{{t}}}/dx_{{{t}}}\|$ = "
            f"{values[0] / values[-1]:.1e}",
            transform=ax.transAxes,
            ha="left",
            va="top",
        )
    where = "" if scale is None else f" (every singular value of $W_h$: {scale:.2f})"
    plotting.label(
        ax, "input step $s$", r"$\|dL_t/dx_s\|$", f"Which inputs move the loss $L_{{{t}}}$?{where}"
    )
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
    plotting.describe(fig, lead)
    return fig
