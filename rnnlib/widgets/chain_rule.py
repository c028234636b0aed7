"""Widget for notebook 02: :func:`chain_depth_explorer`, where vanishing gradients first appear.

Sliders on the depth ``n``, the weight ``w`` and the start ``h0`` over
:func:`rnnlib.plotting.chain_rule.plot_chain_depth`; a move updates the figure in place
(:func:`rnnlib.plotting.chain_rule.update_chain_depth`).
"""

from __future__ import annotations

from rnnlib.plotting.chain_rule import plot_chain_depth, update_chain_depth

from ._core import interactive_plot

__all__ = ["chain_depth_explorer"]


def chain_depth_explorer():
    """Sliders for the depth ``n``, the weight ``w`` and the start ``h0`` of the tanh chain.

    Try ``w = 0.5`` (vanishes like ``0.5**n``), ``w = 1`` (vanishes slowly), ``w = 3``
    (tanh saturates, ``f' -> 0``: vanishes fast), and ``w = 2`` with ``h0 = 1e-5``
    (grows while the unit is unsaturated, then vanishes).

    Returns
    -------
    ipywidgets.interactive
        Controls ``n``, ``w``, ``h0`` (in that order), then the output.
    """
    import ipywidgets as W

    style = {"description_width": "initial"}
    layout = W.Layout(width="420px")
    return interactive_plot(
        plot_chain_depth,
        update=update_chain_depth,
        n=W.IntSlider(
            value=30, min=1, max=100, step=1, description="depth n", style=style, layout=layout
        ),
        w=W.FloatSlider(
            value=0.5,
            min=0.1,
            max=4.0,
            step=0.1,
            description="weight w",
            readout_format=".1f",
            style=style,
            layout=layout,
        ),
        h0=W.FloatLogSlider(
            value=1.0,
            base=10,
            min=-6,
            max=0.3,
            step=0.1,
            description="start h\u2080",
            readout_format=".1e",
            style=style,
            layout=layout,
        ),
    )
