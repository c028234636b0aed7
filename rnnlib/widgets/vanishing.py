"""Widget for notebook 04: :func:`gradient_explorer`, the course's central widget.

Sliders for the recurrent matrix ``Wh``, the activation, the sequence length, the
input scale and the seed, over :func:`rnnlib.plotting.vanishing.plot_gradient_explorer`
(``||dL/dh_t||`` over ``t`` next to the Pascanu et al. (2013) bound).
"""

from __future__ import annotations

from rnnlib.gradient_flow import GAIN_T_MAX
from rnnlib.plotting.vanishing import (
    EXPLORER_DEFAULTS,
    plot_gradient_explorer,
    update_gradient_explorer,
)

from ._core import interactive_plot

__all__ = ["gradient_explorer"]


def gradient_explorer():
    """The course's central widget: watch ``||dL/dh_t||`` vanish or explode as you move ``Wh``.

    Controls: the spectral radius of ``Wh`` (log slider, 0.5 to 4), the activation,
    the sequence length ``T`` (10 to 200), the input scale (0 to 3), the kind of
    ``Wh`` (scaled orthogonal or Gaussian), the hidden size and the seed. Each
    update computes in a few milliseconds (drawing takes the rest, well under 0.2 s).

    Returns
    -------
    ipywidgets.interactive
    """
    import ipywidgets as w

    d = EXPLORER_DEFAULTS
    style = {"description_width": "initial"}
    slider = dict(continuous_update=False, style=style)
    controls = dict(
        radius=w.FloatLogSlider(
            value=d["radius"],
            base=2,
            min=-1,
            max=2,
            step=0.05,
            readout_format=".2f",
            description="spectral radius ρ(W_h)",
            **slider,
        ),
        activation=w.Dropdown(
            options=["tanh", "sigmoid", "linear", "relu"],
            value=d["activation"],
            description="activation f",
            style=style,
        ),
        T=w.IntSlider(
            value=d["T"], min=10, max=GAIN_T_MAX, step=10, description="length T", **slider
        ),
        input_scale=w.FloatSlider(
            value=d["input_scale"], min=0.0, max=3.0, step=0.1, description="input scale", **slider
        ),
        kind=w.Dropdown(
            options=[
                ("scaled orthogonal (σ_max = ρ)", "orthogonal"),
                ("random Gaussian (σ_max > ρ)", "gaussian"),
            ],
            value=d["kind"],
            description="W_h",
            style=style,
        ),
        H=w.Dropdown(
            options=[8, 16, 32, 64], value=d["H"], description="hidden size H", style=style
        ),
        seed=w.IntSlider(value=d["seed"], min=0, max=9, description="seed", **slider),
    )
    widget = interactive_plot(plot_gradient_explorer, update=update_gradient_explorer, **controls)
    # Controls side by side in rows that wrap, the plot below them at full width.
    widget.layout = w.Layout(
        width="100%", display="flex", flex_flow="row wrap", align_items="center"
    )
    for control in widget.children[:-1]:
        control.layout = w.Layout(width="49%", min_width="300px")
    widget.children[-1].layout = w.Layout(width="100%")
    widget.live.prepare_blit(**widget.kwargs)  # the first move is quick too
    return widget
