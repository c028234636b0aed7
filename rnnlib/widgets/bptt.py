"""Widget for notebook 03: :func:`gradient_contributions_explorer`.

Sliders on the step ``t`` and the scale of ``Wh`` of the RNN of
:func:`rnnlib.bptt.scaled_orthogonal_rnn`, over
:func:`rnnlib.plotting.bptt.plot_gradient_contributions`; a move updates the figure in
place (:func:`rnnlib.plotting.bptt.update_gradient_contributions`).
"""

from __future__ import annotations

import numpy as np

from rnnlib.bptt import input_gradient_norms, scaled_orthogonal_rnn
from rnnlib.plotting.bptt import plot_gradient_contributions, update_gradient_contributions

from ._core import interactive_plot

__all__ = ["gradient_contributions_explorer"]


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

    # On a log axis every scale shares one y range, so that moving the scale moves the bars
    # and not the axis; on a linear axis each scale gets its own (the small ones would be
    # flat under the largest).
    top = max(float(norms.max()) for norms in table.values())

    def settings(t, scale, log):
        key = min(table, key=lambda k: abs(np.log(k) - np.log(scale)))
        return dict(norms=table[key], t=t, log=log, scale=key, top=top if log else None)

    def plot(t, scale, log):
        return plot_gradient_contributions(**settings(t, scale, log))

    def update(fig, t, scale, log):
        return update_gradient_contributions(fig, **settings(t, scale, log))

    return interactive_plot(
        plot,
        update=update,
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
