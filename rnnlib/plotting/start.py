"""Notebook 00's figure: a one-unit RNN fed one pulse.

The network and its input are computed by :mod:`rnnlib.one_unit`
(``h_t = tanh(w h_{t-1} + x_t)`` from ``h_0 = 0``, one pulse ``x_1 = 1``);
:func:`plot_one_unit_rnn` only draws them. The slider over it is
:func:`rnnlib.widgets.start.first_slider`.
"""

from __future__ import annotations

import numpy as np

from rnnlib import plotting
from rnnlib.one_unit import one_unit_rnn, pulse_input

__all__ = ["plot_one_unit_rnn", "update_one_unit_rnn"]


def plot_one_unit_rnn(w=0.5, T=30, ax=None):
    """How long does one recurrent unit remember a single pulse?

    Parameters
    ----------
    w : float
        Recurrent weight of ``h_t = tanh(w h_{t-1} + x_t)``.
    T : int
        Number of steps.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax)
    x = pulse_input(T)
    h = one_unit_rnn(w, x)
    steps = np.arange(1, T + 1)
    ax.bar(
        steps,
        x,
        width=0.5,
        color=plotting.COLORS["data"],
        alpha=0.6,
        label="input $x_t$ (one pulse)",
    )
    ax.plot(steps, h, "o-", color=plotting.COLORS["rnn"], ms=4, label="hidden state $h_t$", gid="h")
    ax.axhline(0, color="k", lw=0.8)
    for level in (-0.1, 0.1):  # reading marks for the exercise: "when does |h_t| < 0.1?"
        ax.axhline(level, color=plotting.COLORS["bound"], lw=0.8, ls=":")
    ax.set_xlim(0, T + 1)
    ax.set_ylim(-1.1, 1.1)
    ax.legend(loc="lower right")
    plotting.label(ax, "time step $t$", "value", _title(w))
    plotting.describe(fig, _lead(w, h))
    return fig


def _title(w):
    return f"$h_t = \\tanh(w\\, h_{{t-1}} + x_t)$ with $w = {w:.2f}$"


def _lead(w, h):
    """The figure's description: what the hidden state does after the pulse, in numbers."""
    f = plotting.fmt
    sign = " and changes sign every step" if w < 0 and abs(h[-1]) > 0 else ""
    return (
        f"Line plot of the hidden state h_t of a one-unit RNN with w = {f(w)} over "
        f"{len(h)} steps, after one input pulse of 1 at t = 1: h_1 = {f(h[0])}, "
        f"h_{len(h)} = {f(h[-1])}{sign}; largest |h_t| after the pulse "
        f"{f(np.max(np.abs(h[1:])) if len(h) > 1 else 0.0)}"
    )


def update_one_unit_rnn(fig, w=0.5, T=30):
    """Move a figure of :func:`plot_one_unit_rnn` to the weight ``w``, in place.

    The widget's update (:func:`rnnlib.widgets.start.first_slider`): only the hidden
    state and the title change; the pulse, the axes and ``T`` stay.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn by ``plot_one_unit_rnn(w0, T)``.
    w : float
    T : int
        The ``T`` the figure was drawn with.

    Returns
    -------
    list of matplotlib.artist.Artist
        The artists that changed.
    """
    ax = fig.axes[0]
    (line,) = [a for a in ax.lines if a.get_gid() == "h"]
    line.set_ydata(one_unit_rnn(w, pulse_input(T)))
    ax.set_title(_title(w))
    plotting.describe(fig, _lead(w, np.asarray(line.get_ydata())))
    return [line, ax.title]
