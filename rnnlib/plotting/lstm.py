"""Notebook 05's figures: what the LSTM's gates do, and how gradients cross it.

- :func:`plot_gate_playground` (and :func:`plot_gate_presets`, :func:`plot_lstm_unit`):
  a one-unit LSTM with hand-set weights (:mod:`rnnlib.one_unit_lstm`) reads a
  sequence with *write* markers and *read* cues; the plot shows the input, the gate
  values and the states ``c_t``, ``h_t``.
- :func:`plot_gradient_flow`: the norm of ``dL/dx_{T-k}`` against the lag ``k`` for a
  random tanh RNN and a random LSTM on the same inputs, the LSTM's ``dL/dc_{T-k}``
  along the cell state alone and along all paths, and the forget gates' product
  (:func:`rnnlib.gradient_flow.gradient_flow_curves`).

The widgets over the first and the last are in :mod:`rnnlib.widgets.lstm`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection

from rnnlib import one_unit_lstm, plotting
from rnnlib.activations import sigmoid
from rnnlib.gradient_flow import FLOW_H, FLOW_N, FLOW_T, gradient_flow_curves

__all__ = [
    "plot_gate_playground",
    "plot_gate_presets",
    "plot_gradient_flow",
    "plot_lstm_unit",
]


def _mark_events(ax, write, read):
    """Shade the steps with a write marker (input-gate colour) or a read cue (output-gate).

    One collection of rectangles per kind, spanning the axes' full height (not one
    ``axvspan`` per marker): it keeps the widget's redraw fast.
    """
    for mask, key in ((write, "i"), (read, "o")):
        steps = np.flatnonzero(np.asarray(mask))
        if steps.size:
            boxes = [[(t - 0.5, 0), (t + 0.5, 0), (t + 0.5, 1), (t - 0.5, 1)] for t in steps]
            ax.add_collection(
                PolyCollection(
                    boxes,
                    facecolors=plotting.GATE_COLORS[key],
                    alpha=0.2,
                    lw=0,
                    transform=ax.get_xaxis_transform(),
                ),
                autolim=False,
            )


def plot_lstm_unit(
    v, i, f, g, o, c, h, write=None, read=None, axes=None, title=None, input_label="value $v_t$"
):
    """One LSTM unit over time: its input, its gate values, its cell and hidden state.

    Three rows sharing the time axis: (1) the input and the candidate ``g_t``;
    (2) the gates ``i_t, f_t, o_t`` in [0, 1]; (3) the states ``c_t`` and ``h_t``.
    Write markers and read cues, if given, are shaded in every row.

    Parameters
    ----------
    v : numpy.ndarray, shape (T,)
        The input channel to show.
    i, f, g, o, c, h : numpy.ndarray, shape (T,)
        Gate values, candidate, cell state and hidden state of the unit.
    write, read : numpy.ndarray, shape (T,), optional
        Marker channels (nonzero where a marker is).
    axes : array of three Axes, optional
    title : str, optional
    input_label : str
        Legend label of ``v``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(
        axes, 3, 1, sharex=True, figsize=(7.0, 5.6), height_ratios=(1, 1, 1.3)
    )
    ax_in, ax_gate, ax_state = np.ravel(axes)
    T = len(v)
    t = np.arange(T)
    C = plotting.GATE_COLORS
    for ax in (ax_in, ax_gate, ax_state):
        if write is not None or read is not None:
            _mark_events(
                ax, np.zeros(T) if write is None else write, np.zeros(T) if read is None else read
            )
        ax.axhline(0, color=plotting.COLORS["bound"], lw=0.8)

    ax_in.plot(t, v, "o-", ms=3.5, lw=0.8, color=plotting.COLORS["bound"], label=input_label)
    ax_in.plot(t, g, lw=1.8, color=C["g"], label="candidate $g_t$")
    ax_in.set_ylim(-1.15, 1.15)
    ax_in.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    plotting.label(ax_in, ylabel="input", title=title)

    # i drawn wide underneath, o dashed on top: where both are shut they overlap
    for k, y, name, lw, ls in (
        (("i", i, "input gate $i_t$", 3.2, "-")),
        ("f", f, "forget gate $f_t$", 2.0, "-"),
        ("o", o, "output gate $o_t$", 1.6, "--"),
    ):
        ax_gate.plot(t, y, lw=lw, ls=ls, color=C[k], label=name, drawstyle="steps-mid")
    ax_gate.set_ylim(-0.05, 1.05)
    ax_gate.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    plotting.label(ax_gate, ylabel="gate value")

    ax_state.plot(t, c, lw=2.2, color=C["c"], label="cell state $c_t$")
    ax_state.plot(t, h, lw=1.8, color=C["h"], label="hidden state $h_t$")
    top = max(1.05, 1.1 * float(np.max(np.abs(c))))
    ax_state.set_ylim(-top, top)
    ax_state.set_xlim(-0.5, T - 0.5)
    ax_state.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    if write is not None and read is not None:
        ax_state.text(
            1.02,
            0.02,
            "shaded:\ngreen = write\npink = read",
            fontsize=8.5,
            transform=ax_state.transAxes,
            va="bottom",
        )
    plotting.label(ax_state, "time step $t$", "state")
    return fig


def plot_gate_playground(b_i=-5.0, b_f=5.0, b_o=-5.0, w_g=2.0, axes=None):
    """Does the unit write at the markers, keep its memory, and show it only at the cues?

    Runs :func:`rnnlib.one_unit_lstm.run` and draws it with :func:`plot_lstm_unit`. The
    title gives each gate's value away from the markers, ``sigmoid(b)``.

    Parameters
    ----------
    b_i, b_f, b_o, w_g : float
        See :func:`rnnlib.one_unit_lstm.weights`.
    axes : array of three Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    r = one_unit_lstm.run(b_i, b_f, b_o, w_g)
    title = (
        f"between markers: $i$ = {sigmoid(b_i):.3f}, $f$ = {sigmoid(b_f):.3f}, "
        f"$o$ = {sigmoid(b_o):.3f};  $w_g$ = {w_g:g}"
    )
    return plot_lstm_unit(
        r["v"],
        r["i"],
        r["f"],
        r["g"],
        r["o"],
        r["c"],
        r["h"],
        r["write"],
        r["read"],
        axes=axes,
        title=title,
    )


def plot_gate_presets(axes=None):
    """Four settings of the gate biases, four behaviours: the states ``c_t`` and ``h_t``.

    One small panel per entry of :data:`rnnlib.one_unit_lstm.PRESETS`, same inputs as the
    playground.

    Parameters
    ----------
    axes : array of four Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(axes, 2, 2, sharex=True, sharey=True, figsize=(7.0, 4.6))
    C = plotting.GATE_COLORS
    for ax, (name, p) in zip(np.ravel(axes), one_unit_lstm.PRESETS.items(), strict=True):
        r = one_unit_lstm.run(**p)
        _mark_events(ax, r["write"], r["read"])
        ax.axhline(0, color=plotting.COLORS["bound"], lw=0.8)
        ax.plot(r["c"], lw=2.2, color=C["c"], label="$c_t$")
        ax.plot(r["h"], lw=1.6, color=C["h"], label="$h_t$")
        ax.set_title(name, fontsize=10)
        ax.set_ylim(-2.6, 2.6)
    flat = np.ravel(axes)
    flat[0].legend(loc="lower left", fontsize=9, ncols=2)
    for ax in flat[2:]:
        ax.set_xlabel("time step $t$")
    for ax in flat[::2]:
        ax.set_ylabel("state")
    return fig


# ------------------------------------------------------------- gradient flow


def plot_gradient_flow(forget_bias=1.0, scale=1.0, axes=None, T=FLOW_T, H=FLOW_H, N=FLOW_N, seed=0):
    """Does the gradient reach inputs far back, and which path carries the LSTM's?

    Left: ``||dL/dx_{T-k}||`` against the lag k on a log axis, RNN and LSTM on the
    same inputs. Middle: the LSTM's ``||dL/dc_{T-k}||`` along all paths (solid) and
    along the cell state alone, ``||dL/dc_T * prod f||`` (dashed). Right: the cell
    path's factor ``dc_T/dc_{T-k} = prod f`` (mean over units), with
    ``sigmoid(b_f)^k``, what it would be if every forget gate sat at ``sigmoid(b_f)``.

    Parameters
    ----------
    forget_bias : float
        The LSTM's forget-gate bias.
    scale : float
        Scale of the recurrent weights (both networks).
    axes : array of three Axes, optional
    T, H, N, seed
        See :func:`rnnlib.gradient_flow.gradient_flow_curves`, which computes what is drawn.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(axes, 1, 3, figsize=(10.5, 3.6))
    ax_g, ax_c, ax_f = np.ravel(axes)
    d = gradient_flow_curves(forget_bias, scale, T, H, N, seed)
    lag = d["lag"]

    def log_range(*curves):
        lo = min([-25.0] + [float(np.min(c)) for c in curves])
        hi = max([2.0] + [float(np.max(c)) for c in curves]) + 1
        return 10.0 ** max(lo, -300), 10.0 ** min(hi, 300)

    ax_g.semilogy(lag, 10.0 ** d["rnn"], color=plotting.COLORS["rnn"], label="RNN (tanh)")
    ax_g.semilogy(lag, 10.0 ** d["lstm"], color=plotting.COLORS["lstm"], label="LSTM")
    ax_g.set_ylim(*log_range(d["rnn"], d["lstm"]))
    ax_g.legend(loc="lower left", fontsize=9)
    plotting.label(
        ax_g,
        "lag $k = T - t$ (steps)",
        r"$\|\partial L / \partial x_{T-k}\|$",
        "gradient reaching the input",
    )

    ax_c.semilogy(lag, 10.0 ** d["lstm_dc"], color=plotting.COLORS["lstm"], label="all paths")
    ax_c.semilogy(
        lag,
        10.0 ** d["lstm_dc_cell_path"],
        ls="--",
        lw=1.6,
        color=plotting.GATE_COLORS["f"],
        label="cell state alone",
    )
    ax_c.set_ylim(*log_range(d["lstm_dc"], d["lstm_dc_cell_path"]))
    ax_c.legend(loc="lower left", fontsize=9)
    plotting.label(
        ax_c,
        "lag $k$ (steps)",
        r"LSTM $\|\partial L / \partial c_{T-k}\|$",
        "which path carries it?",
    )

    with np.errstate(under="ignore"):
        ref = sigmoid(forget_bias) ** lag.astype(float)
    ax_f.semilogy(
        lag,
        np.maximum(d["forget_product"], 1e-300),
        color=plotting.GATE_COLORS["f"],
        label=r"mean of $\prod f$",
    )
    ax_f.semilogy(
        lag,
        np.maximum(ref, 1e-300),
        ls="--",
        lw=1.3,
        color=plotting.COLORS["bound"],
        label=rf"$\sigma(b_f)^k = {sigmoid(forget_bias):.2f}^k$",
    )
    ax_f.set_ylim(1e-25, 3)
    ax_f.legend(loc="lower left", fontsize=9)
    plotting.label(
        ax_f,
        "lag $k$ (steps)",
        r"$\partial c_T / \partial c_{T-k}$ (cell path)",
        f"forget bias $b_f$ = {forget_bias:g}, scale = {scale:.3g}",
    )
    for ax in (ax_g, ax_c, ax_f):
        ax.set_xlim(0, T - 1)
    return fig
