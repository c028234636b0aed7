"""Widget for notebook 03: how much each earlier input contributes to the gradient of one loss.

The norms ``||dL_t/dx_s||`` are computed by :func:`rnnlib.bptt.input_gradient_norms`
for the RNN of :func:`rnnlib.bptt.scaled_orthogonal_rnn`; this module draws them as
bars, and :func:`gradient_contributions_explorer` puts sliders on the step ``t`` and
the scale of ``Wh``.
"""

from __future__ import annotations

import numpy as np

from rnnlib import plotting
from rnnlib.bptt import input_gradient_norms, scaled_orthogonal_rnn

from ._core import interactive_plot

__all__ = [
    "gradient_contributions_explorer",
    "plot_gradient_contributions",
]

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
    return fig


def gradient_contributions_explorer(T=40, D=4, H=16, seed=0):
    """Widget: for a chosen step t, how much each earlier input x_s moves the loss L_t.

    Sliders: the step ``t`` (1..T, starting at 3T/4 so that later inputs show as
    "no effect"), the scale of ``Wh`` (every singular value, 1/4 to 2), and a log-scale
    switch. The gradients for every scale on the slider are computed
    once, here, so that each update only draws.

    Returns
    -------
    ipywidgets.interactive
    """
    import ipywidgets

    scales = 2.0 ** np.arange(-2, 1.01, 0.25)  # the values the log slider can take
    table = {
        round(float(sc), 6): input_gradient_norms(*scaled_orthogonal_rnn(sc, T, D, H, seed))
        for sc in scales
    }

    def plot(t, scale, log):
        key = min(table, key=lambda k: abs(np.log(k) - np.log(scale)))
        return plot_gradient_contributions(table[key], t, log=log, scale=key)

    return interactive_plot(
        plot,
        t=ipywidgets.IntSlider(
            value=max(1, 3 * T // 4), min=1, max=T, step=1, description="step t"
        ),
        scale=ipywidgets.FloatLogSlider(
            value=1.0,
            base=2,
            min=-2,
            max=1,
            step=0.25,
            description="scale of Wh",
            readout_format=".2f",
        ),
        log=ipywidgets.Checkbox(value=True, description="log scale"),
    )
