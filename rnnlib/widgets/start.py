"""Widget for notebook 00: the first slider, over :func:`rnnlib.plotting.start.plot_one_unit_rnn`.

If moving the slider of :func:`first_slider` redraws the plot, the course's setup works.
"""

from __future__ import annotations

from rnnlib.plotting.start import plot_one_unit_rnn, update_one_unit_rnn

from ._core import interactive_plot

__all__ = ["first_slider"]


def first_slider(T=30):
    """The course's first widget: a slider for ``w`` that redraws :func:`plot_one_unit_rnn`.

    Returns
    -------
    ipywidgets.interactive
        One control, ``w`` (FloatSlider, -1.5 to 1.5, default 0.5).
    """
    import ipywidgets

    w = ipywidgets.FloatSlider(
        value=0.5, min=-1.5, max=1.5, step=0.05, description="weight $w$", continuous_update=True
    )
    return interactive_plot(
        plot_one_unit_rnn, update=update_one_unit_rnn, w=w, T=ipywidgets.fixed(T)
    )
