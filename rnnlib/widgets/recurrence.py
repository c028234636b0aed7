"""Widget for notebook 01: :func:`hidden_state_explorer`, one RNN cell stepping through time.

Sliders on the step t and on the spectral radius of Wh (how strongly the past is
fed back), over :func:`rnnlib.plotting.recurrence.plot_hidden_state_step`.
"""

from __future__ import annotations

from rnnlib.plotting.recurrence import plot_hidden_state_step, update_hidden_state_step

from ._core import interactive_plot

__all__ = ["hidden_state_explorer"]


def hidden_state_explorer(T=40, H=8, seed=0):
    """Step through time and watch ``h_t`` update: sliders for ``t`` and ``rho(Wh)``.

    Returns
    -------
    ipywidgets.interactive
        Controls ``t`` (IntSlider, 1..T) and ``radius`` (FloatSlider, 0..1.5).
    """
    import ipywidgets

    style = {"description_width": "170px"}  # one width: the two sliders line up
    layout = ipywidgets.Layout(width="520px")
    t = ipywidgets.IntSlider(
        value=12,
        min=1,
        max=T,
        step=1,
        description="step $t$",
        style=style,
        layout=layout,
        continuous_update=False,
    )
    radius = ipywidgets.FloatSlider(
        value=0.9,
        min=0.0,
        max=1.5,
        step=0.05,
        description="spectral radius $\\rho(W_h)$",
        style=style,
        layout=layout,
        continuous_update=False,
    )
    widget = interactive_plot(
        plot_hidden_state_step,
        update=update_hidden_state_step,
        t=t,
        radius=radius,
        T=ipywidgets.fixed(T),
        H=ipywidgets.fixed(H),
        seed=ipywidgets.fixed(seed),
    )
    widget.live.prepare_blit(**widget.kwargs)  # the first move is quick too
    return widget
