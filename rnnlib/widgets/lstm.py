"""Widgets for notebook 05: the LSTM's gates, and how gradients cross it.

- :func:`lstm_gate_playground` over :func:`rnnlib.plotting.lstm.plot_gate_playground`:
  sliders set the gate biases and the candidate weight of a one-unit LSTM; the unit
  writes, keeps, forgets and reads.
- :func:`lstm_vs_rnn_gradient_flow` over :func:`rnnlib.plotting.lstm.plot_gradient_flow`:
  sliders for the LSTM's forget-gate bias and the scale of the recurrent weights.
"""

from __future__ import annotations

import numpy as np

from rnnlib.gradient_flow import FLOW_H, FLOW_N, FLOW_T, rnn_gradient_curve
from rnnlib.plotting.lstm import (
    plot_gate_playground,
    plot_gradient_flow,
    update_gate_playground,
    update_gradient_flow,
)

from ._core import interactive_plot

__all__ = ["FLOW_SCALES", "lstm_gate_playground", "lstm_vs_rnn_gradient_flow"]

#: The recurrent scales the widget's slider offers: 2**k for k = -2, -1.5, ..., 3.
FLOW_SCALES = tuple(float(2.0**k) for k in np.arange(-2.0, 3.01, 0.5))


def lstm_gate_playground():
    """Sliders for the gate biases ``b_i, b_f, b_o`` and the candidate weight ``w_g``.

    Try ``b_f = 5`` (keeps), ``b_f = 0`` (halves every step), ``b_f = -5`` (forgets at
    once); ``b_i = 5`` (writes every step, not only at the markers); ``b_o = 5`` (shows
    the memory all the time, not only at the read cues).

    Returns
    -------
    ipywidgets.interactive
        Controls ``b_i``, ``b_f``, ``b_o``, ``w_g`` (in that order), then the output.
    """
    import ipywidgets as W

    style = {"description_width": "initial"}
    layout = W.Layout(width="420px")

    def bias(value, text):
        return W.FloatSlider(
            value=value,
            min=-8.0,
            max=8.0,
            step=0.5,
            description=text,
            readout_format=".1f",
            style=style,
            layout=layout,
        )

    widget = interactive_plot(
        plot_gate_playground,
        update=update_gate_playground,
        b_i=bias(-5.0, "input-gate bias b_i"),
        b_f=bias(5.0, "forget-gate bias b_f"),
        b_o=bias(-5.0, "output-gate bias b_o"),
        w_g=W.FloatSlider(
            value=2.0,
            min=-3.0,
            max=3.0,
            step=0.25,
            description="candidate weight w_g",
            readout_format=".2f",
            style=style,
            layout=layout,
        ),
    )
    widget.live.prepare_blit(**widget.kwargs)  # the first move is quick too
    return widget


def lstm_vs_rnn_gradient_flow():
    """Sliders for the LSTM's forget-gate bias and the scale of the recurrent weights.

    ``b_f = 0`` puts the forget gates near 0.5 (the cell path halves every step);
    1 or 2 (Jozefowicz et al. 2015) keeps much more; a scale of 8 makes even the
    LSTM's gradient explode.

    Returns
    -------
    ipywidgets.interactive
        Controls ``forget_bias``, ``scale``, then the output.
    """
    import ipywidgets as W

    for scale in FLOW_SCALES:  # the RNN curve of every slider position, once (about 0.1 s)
        rnn_gradient_curve(FLOW_T, FLOW_H, FLOW_N, scale, 0)
    style = {"description_width": "initial"}
    layout = W.Layout(width="420px")
    widget = interactive_plot(
        plot_gradient_flow,
        update=update_gradient_flow,
        forget_bias=W.FloatSlider(
            value=1.0,
            min=-2.0,
            max=5.0,
            step=0.25,
            description="forget-gate bias b_f",
            readout_format=".2f",
            continuous_update=False,
            style=style,
            layout=layout,
        ),
        scale=W.FloatLogSlider(
            value=1.0,
            base=2,
            min=-2,
            max=3,
            step=0.5,
            description="recurrent scale",
            readout_format=".2f",
            continuous_update=False,
            style=style,
            layout=layout,
        ),
    )
    widget.live.prepare_blit(**widget.kwargs)  # the first move is quick too
    return widget
