"""Widgets for notebook 03: how much each earlier input contributes to the gradient of one loss.

For a tanh RNN reading one sequence ``x_1, ..., x_T`` and a loss term at every step,
``L_t = h_t . u`` (a fixed unit read-out ``u``), the contribution of input ``x_s`` to
the gradient of ``L_t`` is the total derivative

    dL_t/dx_s = u^T J_t J_{t-1} ... J_{s+1} diag(1 - h_s**2) Wx^T,    s <= t,

with ``J_k = diag(1 - h_k**2) Wh^T`` (row-vector convention), and zero for ``s > t``:
an input that comes later cannot change an earlier loss. Its norm shrinks roughly
geometrically with the lag ``t - s`` when the recurrence is contractive.

Math steps are numbered 1..T here (``x_s`` is ``x[:, s - 1]`` in code).
"""

from __future__ import annotations

import numpy as np

from rnnlib import plotting, sequence
from rnnlib._validate import check_array
from rnnlib.analysis import orthogonal

from ._core import interactive_plot

__all__ = [
    "example_rnn",
    "gradient_contributions",
    "input_gradient_norms",
    "plot_gradient_contributions",
]

#: the log-scale floor of the bar chart: contributions below it are drawn at the floor
LOG_FLOOR = 1e-12


def example_rnn(scale=1.0, T=40, D=4, H=16, seed=0):
    """A random tanh RNN and one input sequence for the contribution widget.

    ``Wh = scale * Q`` with ``Q`` orthogonal, so every singular value of ``Wh`` is
    ``scale``: below 1 the recurrence is contractive, above 1 it can amplify.

    Parameters
    ----------
    scale : float
        Largest (and every) singular value of ``Wh``.
    T, D, H : int
        Sequence length, input size, hidden size.
    seed : int
        The same seed gives the same ``x``, ``Wx``, ``Q`` and ``u`` for every scale.

    Returns
    -------
    x : numpy.ndarray, shape (1, T, D)
        One input sequence, entries Normal(0, 1).
    Wx : numpy.ndarray, shape (D, H)
        Normal(0, 1/D) entries.
    Wh : numpy.ndarray, shape (H, H)
    b : numpy.ndarray, shape (H,)
        Zeros.
    u : numpy.ndarray, shape (H,)
        Unit read-out vector: ``L_t = h_t . u``.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((1, T, D))
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Q = orthogonal(H, rng)
    u = rng.standard_normal(H)
    return x, Wx, float(scale) * Q, np.zeros(H), u / np.linalg.norm(u)


def input_gradient_norms(x, Wx, Wh, b, u):
    """``C[t-1, s-1] = ||dL_t/dx_s||`` for every pair of steps, with ``L_t = h_t . u``.

    One forward and one backward pass do all T losses at once: the sequence is
    copied T times into a batch, and copy ``n`` receives a loss only at step ``n``
    (``dh[n, n] = u``). Copies do not interact, so row ``n`` of the input gradient
    is the gradient of that single loss term.

    Parameters
    ----------
    x : numpy.ndarray, shape (1, T, D) or (T, D)
        One input sequence.
    Wx : numpy.ndarray, shape (D, H)
    Wh : numpy.ndarray, shape (H, H)
    b : numpy.ndarray, shape (H,)
    u : numpy.ndarray, shape (H,)
        Read-out of the loss at every step.

    Returns
    -------
    numpy.ndarray, shape (T, T)
        Row ``t - 1`` holds ``||dL_t/dx_s||`` for ``s = 1..T``; zero for ``s > t``.
    """
    x = x[None] if np.ndim(x) == 2 else x
    check_array("x", x, "1, T, D", (1, None, None))
    T, D = x.shape[1:]
    check_array("u", u, "H,", (Wh.shape[0],))
    xs = np.repeat(x, T, axis=0)  # (T, T, D): copy n serves the loss L_{n+1}
    H = u.shape[0]
    h, cache = sequence.rnn_forward(xs, np.zeros((T, H), xs.dtype), Wx, Wh, b)
    dh = np.zeros_like(h)  # (T, T, H)
    dh[np.arange(T), np.arange(T)] = u  # copy n: immediate gradient only at its own step
    dx = sequence.rnn_backward(dh, cache)[0]  # (T, T, D)
    return np.linalg.norm(dx, axis=2)


def plot_gradient_contributions(norms, t, log=True, scale=None, ax=None):
    """Bar chart of ``||dL_t/dx_s||`` over ``s = 1..t``: which inputs move the loss at t?

    Parameters
    ----------
    norms : numpy.ndarray, shape (T, T)
        From :func:`input_gradient_norms`.
    t : int
        The loss term, 1..T.
    log : bool
        Log scale on the y axis (geometric decay becomes a straight line).
    scale : float, optional
        The scale of ``Wh``, shown in the title.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    norms = np.asarray(norms)
    T = norms.shape[0]
    if not 1 <= t <= T:
        raise ValueError(f"t must be a step between 1 and T = {T}, got {t}")
    fig, ax = plotting.figure_axes(ax, figsize=(7, 3.4))
    s = np.arange(1, t + 1)
    values = norms[t - 1, :t]
    top = float(norms.max()) or 1.0
    if log:
        ax.set_yscale("log")
        ax.bar(s, np.maximum(values, LOG_FLOOR), color=plotting.COLORS["gradient"],
               width=0.8)
        ax.set_ylim(LOG_FLOOR, top * 3)
    else:
        ax.bar(s, values, color=plotting.COLORS["gradient"], width=0.8)
        ax.set_ylim(0, top * 1.1)
    if t < T:  # later inputs cannot change L_t: shade them
        ax.axvspan(t + 0.5, T + 0.5, color=plotting.COLORS["bound"], alpha=0.15, lw=0)
        ax.text((t + T + 1) / 2, 0.5, "$s > t$:\nno effect", transform=ax.get_xaxis_transform(),
                ha="center", va="center", color=plotting.COLORS["bound"])
    ax.set_xlim(0.5, T + 0.5)
    if t > 1 and values[-1] > 0:
        ax.text(0.02, 0.95, rf"$\|dL_{{{t}}}/dx_1\| \,/\, \|dL_{{{t}}}/dx_{{{t}}}\|$ = "
                f"{values[0] / values[-1]:.1e}", transform=ax.transAxes, ha="left", va="top")
    where = "" if scale is None else f" (every singular value of $W_h$: {scale:.2f})"
    plotting.label(ax, "input step $s$", r"$\|dL_t/dx_s\|$",
                   f"Which inputs move the loss $L_{{{t}}}$?{where}")
    return fig


def gradient_contributions(T=40, D=4, H=16, seed=0):
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
    table = {round(float(sc), 6): input_gradient_norms(*example_rnn(sc, T, D, H, seed))
             for sc in scales}

    def plot(t, scale, log):
        key = min(table, key=lambda k: abs(np.log(k) - np.log(scale)))
        return plot_gradient_contributions(table[key], t, log=log, scale=key)

    return interactive_plot(
        plot,
        t=ipywidgets.IntSlider(value=max(1, 3 * T // 4), min=1, max=T, step=1,
                               description="step t"),
        scale=ipywidgets.FloatLogSlider(value=1.0, base=2, min=-2, max=1, step=0.25,
                                        description="scale of Wh", readout_format=".2f"),
        log=ipywidgets.Checkbox(value=True, description="log scale"),
    )
