"""What every widget of the course shares: a pure plot function behind sliders.

A widget here is ``ipywidgets.interactive`` over a function that draws and
returns a figure. The function is the same one the notebook calls once with
the default values just before the widget, so the notebook reads well on
GitHub and in CI, where no widget frontend runs.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from rnnlib.timing import best_time as time_call  # moved to rnnlib.timing; old name kept

__all__ = ["interactive_plot", "time_call"]


def interactive_plot(plot_fn, **controls):
    """Build an ``ipywidgets.interactive`` that redraws ``plot_fn`` when a control moves.

    Parameters
    ----------
    plot_fn : callable
        A pure plot function: keyword arguments in, ``matplotlib.figure.Figure`` out.
    **controls
        ``ipywidgets`` controls (or ``interact`` abbreviations) by keyword name;
        fixed values can be passed with ``ipywidgets.fixed``.

    Returns
    -------
    ipywidgets.interactive
        Display it (or return it from a cell). Its ``.children`` are the controls
        followed by the output area.
    """
    import ipywidgets

    def show(**kwargs):
        plot_fn(**kwargs)
        plt.show()

    show.__name__ = getattr(plot_fn, "__name__", "plot")
    w = ipywidgets.interactive(show, **controls)
    w.layout = ipywidgets.Layout(width="100%")
    return w
