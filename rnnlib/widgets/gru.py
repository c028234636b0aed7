"""Widget for notebook 08: :func:`update_gate_explorer`, the GRU's update gate.

A slider for the update-gate bias ``b_z`` over :func:`rnnlib.plotting.gru.plot_update_gate`.
"""

from __future__ import annotations

import numpy as np

from rnnlib.gradient_flow import update_gate_curves
from rnnlib.plotting.gru import plot_update_gate, update_update_gate

from ._core import interactive_plot

__all__ = ["update_gate_explorer"]


def update_gate_explorer():
    """A slider for the GRU's update-gate bias ``b_z`` over :func:`plot_update_gate`.

    ``b_z = 0`` halves the state at every step; 2 keeps half for about 5.5 steps,
    4 for about 38; the right panel shows the gradient following suit, next to an
    LSTM whose forget bias has the same value.

    Returns
    -------
    ipywidgets.interactive
        Controls ``update_bias``, then the output.
    """
    import ipywidgets as W

    for b_z in np.arange(-2.0, 5.01, 0.5):  # every slider position's curves, once (about 0.3 s)
        update_gate_curves(float(b_z), 0)
    return interactive_plot(
        plot_update_gate,
        update=update_update_gate,
        update_bias=W.FloatSlider(
            value=1.0,
            min=-2.0,
            max=5.0,
            step=0.5,
            description="update-gate bias b_z",
            readout_format=".1f",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=W.Layout(width="420px"),
        ),
        seed=W.fixed(0),
    )
