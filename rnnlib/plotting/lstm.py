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
    "update_gate_playground",
    "update_gradient_flow",
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
    top = _state_top(c)
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
    plotting.describe(fig, _unit_lead(v, i, f, g, o, c, h, write, read))
    return fig


def _state_top(c):
    """The state panel's y range is ``(-top, top)``: 1.05, or 10% above ``max |c|`` rounded
    up to a multiple of 0.5, so that most moves of the playground's sliders keep the axis."""
    top = 1.1 * float(np.max(np.abs(c)))
    return 1.05 if top <= 1.05 else 0.5 * float(np.ceil(2 * top))


def _unit_lead(v, i, f, g, o, c, h, write, read):
    """Describe a one-unit LSTM's run in numbers: where the markers are, gates, states."""
    fm = plotting.fmt

    def span(y):
        return f"{fm(np.min(y))} to {fm(np.max(y))}"

    lead = f"Three panels over {len(v)} steps (t = 0 to {len(v) - 1}) of one LSTM unit"
    for mask, name in ((write, "write markers"), (read, "read cues")):
        if mask is not None and np.any(mask):
            lead += f", {name} at t = {', '.join(str(s) for s in np.flatnonzero(mask))}"
    return (
        f"{lead}. Top: the input, {span(v)}, and the candidate g_t, {span(g)}. Middle: "
        f"the gates: input i_t {span(i)}, forget f_t {span(f)}, output o_t {span(o)}. Bottom: "
        f"the cell state c_t, {span(c)}, ends at {fm(c[-1])}; the hidden state h_t, "
        f"{span(h)}, ends at {fm(h[-1])}"
    )


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
    title = _playground_title(b_i, b_f, b_o, w_g)
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


def _playground_title(b_i, b_f, b_o, w_g):
    return (
        f"between markers: $i$ = {sigmoid(b_i):.3f}, $f$ = {sigmoid(b_f):.3f}, "
        f"$o$ = {sigmoid(b_o):.3f};  $w_g$ = {w_g:g}"
    )


#: The playground's lines that a slider moves, by their legend label.
_PLAYGROUND_LINES = {
    "candidate $g_t$": "g",
    "input gate $i_t$": "i",
    "forget gate $f_t$": "f",
    "output gate $o_t$": "o",
    "cell state $c_t$": "c",
    "hidden state $h_t$": "h",
}


def update_gate_playground(fig, b_i=-5.0, b_f=5.0, b_o=-5.0, w_g=2.0):
    """Move a figure of :func:`plot_gate_playground` to new biases, in place.

    The widget's update (:func:`rnnlib.widgets.lstm.lstm_gate_playground`): the gates,
    the candidate, the states and the title change; the input and the markers stay.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn by :func:`plot_gate_playground`.
    b_i, b_f, b_o, w_g : float

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, or None when the state axis had to be rescaled
        (then the whole figure must be drawn again).
    """
    r = one_unit_lstm.run(b_i, b_f, b_o, w_g)
    ax_in, _, ax_state = fig.axes[:3]
    changed = []
    for ax in fig.axes[:3]:
        for line in ax.lines:
            key = _PLAYGROUND_LINES.get(line.get_label())
            if key is not None:
                line.set_ydata(r[key])
                changed.append(line)
    ax_in.set_title(_playground_title(b_i, b_f, b_o, w_g))
    keys = ("v", "i", "f", "g", "o", "c", "h", "write", "read")
    plotting.describe(fig, _unit_lead(*(r[k] for k in keys)))
    top = _state_top(r["c"])
    if ax_state.get_ylim() != (-top, top):
        ax_state.set_ylim(-top, top)
        return None
    return [*changed, ax_in.title]


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
    fm = plotting.fmt
    parts = []
    for name, p in one_unit_lstm.PRESETS.items():
        r = one_unit_lstm.run(**p)
        parts.append(
            f"{name}: c_t from {fm(np.min(r['c']))} to {fm(np.max(r['c']))}, ends at "
            f"{fm(r['c'][-1])}; h_t from {fm(np.min(r['h']))} to {fm(np.max(r['h']))}"
        )
    plotting.describe(
        fig,
        f"Four panels, one per setting of the gate biases, each the cell state c_t and hidden "
        f"state h_t of one LSTM unit over {len(r['c'])} steps. " + ". ".join(parts),
    )
    return fig


# ------------------------------------------------------------- gradient flow


def plot_gradient_flow(forget_bias=1.0, scale=1.0, axes=None, T=FLOW_T, H=FLOW_H, N=FLOW_N, seed=0):
    """Does the gradient reach inputs far back, and which path carries the LSTM's?

    Left: ``||dL/dx_{T-k}||`` against the lag k on a log axis, RNN and LSTM on the
    same inputs. Middle: the LSTM's ``||dL/dc_{T-k}||`` along all paths (solid) and
    along the cell state alone, ``||dL/dc_T * prod f||`` (dashed). Right: the cell
    path's factor ``dc_T/dc_{T-k} = prod f`` (mean over units), with
    ``sigmoid(b_f)^k``, what it would be if every forget gate sat at ``sigmoid(b_f)``.
    The left and middle panels share their y range (1e-25 to 1e3 unless a curve leaves
    it).

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
    ylim = _log_range(d)

    ax_g.semilogy(lag, 10.0 ** d["rnn"], color=plotting.COLORS["rnn"], label="RNN (tanh)")
    ax_g.semilogy(lag, 10.0 ** d["lstm"], color=plotting.COLORS["lstm"], label="LSTM")
    ax_g.set_ylim(*ylim)
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
    ax_c.set_ylim(*ylim)
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
        label=_forget_ref_label(forget_bias),
    )
    ax_f.set_ylim(1e-25, 3)
    ax_f.legend(loc="lower left", fontsize=9)
    plotting.label(
        ax_f,
        "lag $k$ (steps)",
        r"$\partial c_T / \partial c_{T-k}$ (cell path)",
        _flow_title(forget_bias, scale),
    )
    for ax in (ax_g, ax_c, ax_f):
        ax.set_xlim(0, T - 1)
    plotting.describe(fig, _flow_lead(forget_bias, scale, d, ref))
    return fig


def _log_range(d):
    """The y range of the left and middle panels (shared, so they compare at a glance).

    1e-25 to 1e3 unless the curves of ``d`` leave it; then it grows in steps of 25
    decades down and 15 decades up (up to 1e-300 .. 1e300), so that most moves of the
    widget's sliders keep the axes and only the curves are drawn again.
    """
    curves = [d[k] for k in ("rnn", "lstm", "lstm_dc", "lstm_dc_cell_path")]
    lo = min(float(np.min(c)) for c in curves)
    hi = max(float(np.max(c)) for c in curves) + 1
    lo = -25.0 if lo >= -25 else max(-300.0, 25.0 * np.floor(lo / 25))
    hi = 3.0 if hi <= 3 else min(300.0, 15.0 * np.ceil(hi / 15))
    return 10.0**lo, 10.0**hi


def _forget_ref_label(forget_bias):
    return rf"$\sigma(b_f)^k = {sigmoid(forget_bias):.2f}^k$"


def _flow_title(forget_bias, scale):
    return f"forget bias $b_f$ = {forget_bias:g}, scale = {scale:.3g}"


def _flow_lead(forget_bias, scale, d, ref):
    """The description of :func:`plot_gradient_flow`'s figure, in numbers."""
    f10, fm, last = plotting.fmt_log10, plotting.fmt, int(d["lag"][-1])
    return (
        f"Three log-scale panels against the lag k = 0 to {last}, forget-gate bias "
        f"{fm(forget_bias)}, recurrent weights scaled by {fm(scale)}. Left: the gradient "
        f"reaching the input k steps back falls to {f10(d['rnn'][-1])} for the tanh RNN and to "
        f"{f10(d['lstm'][-1])} for the LSTM at lag {last}. Middle: the LSTM's gradient on the "
        f"cell state is {f10(d['lstm_dc'][-1])} along all paths and "
        f"{f10(d['lstm_dc_cell_path'][-1])} along the cell state alone at lag {last}. Right: "
        f"the mean product of forget gates is {fm(d['forget_product'][-1])} at lag {last}, "
        f"against sigmoid(b_f)^{last} = {fm(ref[-1])}"
    )


def update_gradient_flow(fig, forget_bias=1.0, scale=1.0, T=FLOW_T, H=FLOW_H, N=FLOW_N, seed=0):
    """Move a figure of :func:`plot_gradient_flow` to new ``forget_bias`` and ``scale``, in place.

    The widget's update (:func:`rnnlib.widgets.lstm.lstm_vs_rnn_gradient_flow`): the
    curves, the reference's legend entry and the right panel's title change.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn by :func:`plot_gradient_flow` with the same ``T, H, N, seed``.
    forget_bias, scale : float
    T, H, N, seed : int

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, or None when the left or middle panel was rescaled
        (then the whole figure must be drawn again).
    """
    ax_g, ax_c, ax_f = fig.axes[:3]
    d = gradient_flow_curves(forget_bias, scale, T, H, N, seed)
    with np.errstate(under="ignore"):
        ref = sigmoid(forget_bias) ** d["lag"].astype(float)
    new = {
        ax_g: (10.0 ** d["rnn"], 10.0 ** d["lstm"]),
        ax_c: (10.0 ** d["lstm_dc"], 10.0 ** d["lstm_dc_cell_path"]),
        ax_f: (np.maximum(d["forget_product"], 1e-300), np.maximum(ref, 1e-300)),
    }
    for ax, ys in new.items():
        for line, y in zip(ax.lines[:2], ys, strict=True):
            line.set_ydata(y)
    label = _forget_ref_label(forget_bias)
    ax_f.lines[1].set_label(label)  # what the figure's description reads
    ax_f.get_legend().get_texts()[1].set_text(label)
    ax_f.set_title(_flow_title(forget_bias, scale))
    plotting.describe(fig, _flow_lead(forget_bias, scale, d, ref))
    ylim = _log_range(d)
    if ax_g.get_ylim() != ylim or ax_c.get_ylim() != ylim:
        ax_g.set_ylim(*ylim)
        ax_c.set_ylim(*ylim)
        return None
    # in the order a full draw takes them: the spines and legends lie on top of the lines
    changed = [ax_f.title]
    for ax in (ax_g, ax_c, ax_f):
        changed += [*ax.lines, *ax.spines.values(), ax.get_legend()]
    return changed
