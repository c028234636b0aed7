"""The course's look: one style, fixed colours, and small helpers for pure plot functions.

Every plot function in the course takes ``ax=None`` (or ``axes=None``), draws,
and returns the figure. It never calls ``plt.show()``: a notebook cell ends
with ``plt.show()`` or a ``;``, and a widget shows the figure it gets back.
The same function draws the static figure and the widget's figure.

The plot functions live in one module per notebook topic, named like the widget
modules: ``start`` (00), ``recurrence`` (01), ``chain_rule`` (02), ``bptt`` (03),
``vanishing`` (04), ``lstm`` (05), ``memory`` (06), ``charlm`` (07), ``gru`` (08),
``attention`` (09). Import them from there: ``from rnnlib.plotting.vanishing import
plot_clipping_runs``. :mod:`rnnlib.widgets` only puts controls over them.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common kinds of colour blindness, and mean the same thing in every notebook:
``COLORS["rnn"]`` is always the vanilla RNN, ``COLORS["lstm"]`` the LSTM,
``COLORS["gradient"]`` a gradient, ``COLORS["target"]`` a target.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "COLORS",
    "GATE_COLORS",
    "OKABE_ITO",
    "figure_axes",
    "heatmap",
    "label",
    "setup",
]

#: The Okabe-Ito palette (Okabe & Ito 2008), safe for colour-blind readers.
OKABE_ITO = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow (use on dark or with markers only)
    "#000000",  # black
]

#: One meaning, one colour, across the course.
COLORS = {
    "rnn": "#0072B2",
    "lstm": "#D55E00",
    "gru": "#009E73",
    "mlp": "#E69F00",
    "gradient": "#CC79A7",
    "data": "#56B4E9",
    "target": "#000000",
    "bound": "#7F7F7F",
    "pass": "#009E73",
    "fail": "#D55E00",
}

#: The LSTM's gates and states: input, forget, candidate, output, cell, hidden.
GATE_COLORS = {
    "i": "#009E73",
    "f": "#E69F00",
    "g": "#56B4E9",
    "o": "#CC79A7",
    "c": "#D55E00",
    "h": "#0072B2",
}

#: Diverging and sequential colour maps that are colour-blind safe.
DIVERGING_CMAP = "RdBu_r"
SEQUENTIAL_CMAP = "viridis"


def setup():
    """Set the course style for matplotlib; call once in a notebook's setup cell.

    Readable font sizes, no top/right spines, a light grid, the Okabe-Ito colour
    cycle, and the constrained layout so that titles and labels are never
    clipped. Idempotent.
    """
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.constrained_layout.use": True,
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.fontsize": 10,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
            "image.cmap": SEQUENTIAL_CMAP,
            "lines.linewidth": 2.0,
            "svg.hashsalt": "rnn-course",
        }
    )


def figure_axes(ax=None, nrows=1, ncols=1, **subplots_kw):
    """Return ``(fig, ax)``: the figure of a given ``ax``, or a new figure.

    Parameters
    ----------
    ax : matplotlib.axes.Axes or array of Axes, optional
        Where to draw. When given, its figure is returned with it.
    nrows, ncols : int
        Grid for a new figure.
    **subplots_kw
        Passed to :func:`matplotlib.pyplot.subplots` (``figsize``, ``sharex``, ...).

    Returns
    -------
    fig : matplotlib.figure.Figure
    ax : Axes or numpy array of Axes
    """
    if ax is None:
        return plt.subplots(nrows, ncols, **subplots_kw)
    first = np.ravel(ax)[0] if isinstance(ax, np.ndarray) else ax
    return first.figure, ax


def label(ax, xlabel=None, ylabel=None, title=None):
    """Set axis labels and a title in one call; return ``ax``."""
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    return ax


def heatmap(
    values,
    ax=None,
    xlabel="time step $t$",
    ylabel="unit",
    title=None,
    cmap=DIVERGING_CMAP,
    vmin=None,
    vmax=None,
    colorbar_label=None,
):
    """Draw a 2-D array as a heatmap (rows on the y axis); return the figure.

    Parameters
    ----------
    values : numpy.ndarray, shape (R, C)
        For example a hidden-state history transposed to (H, T).
    ax : matplotlib.axes.Axes, optional
    cmap : str
        Diverging by default, centred on 0 (``vmin = -vmax``) when no limits are given.

    Returns
    -------
    matplotlib.figure.Figure
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"values must be 2-D (R, C), got shape {values.shape}")
    fig, ax = figure_axes(ax)
    if vmin is None and vmax is None and cmap == DIVERGING_CMAP:
        vmax = float(np.max(np.abs(values))) or 1.0
        vmin = -vmax
    im = ax.imshow(
        values,
        aspect="auto",
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        interpolation="nearest",
        origin="lower",
    )
    ax.grid(False)
    cb = fig.colorbar(im, ax=ax)
    if colorbar_label:
        cb.set_label(colorbar_label)
    label(ax, xlabel, ylabel, title)
    return fig
