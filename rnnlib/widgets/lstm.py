"""Widgets and plots for notebook 05: what the LSTM's gates do, and how gradients cross it.

Two widgets, each over a pure plot function that also draws the static figure
placed just before it:

- :func:`lstm_gate_playground` over :func:`plot_gate_playground`: a one-unit LSTM
  with hand-set weights reads a sequence with *write* markers and *read* cues;
  sliders set the gate biases and the candidate weight, and the plot shows the
  input, the gate values and the states ``c_t``, ``h_t``: the unit writes, keeps,
  forgets and reads.
- :func:`lstm_vs_rnn_gradient_flow` over :func:`plot_gradient_flow`: the norm of
  ``dL/dx_{T-k}`` against the lag ``k`` for a random tanh RNN and a random LSTM on
  the same inputs, with sliders for the LSTM's forget-gate bias and the scale of
  the recurrent weights.

The playground's unit (gates stacked i, f, g, o as everywhere in the course) has
three input channels ``x_t = (v_t, w_t, r_t)``: a value ``v_t``, a write marker
``w_t`` and a read cue ``r_t`` (each 0 or 1). Its weights are set by hand, its
recurrent weights are zero (so every gate depends on the current input only)::

    i_t = sigmoid(10 w_t + b_i)       the input gate opens at a write marker
    f_t = sigmoid(-10 w_t + b_f)      ... where the forget gate closes: a write replaces
    g_t = tanh(w_g v_t)               the candidate is the (scaled) value
    o_t = sigmoid(10 r_t + b_o)       the output gate opens at a read cue
    c_t = f_t c_{t-1} + i_t g_t,      h_t = o_t tanh(c_t)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.collections import PolyCollection

from rnnlib import analysis, plotting, sequence
from rnnlib.activations import sigmoid

from ._core import interactive_plot

__all__ = [
    "FLOW_SCALES",
    "GATE_PRESETS",
    "PLAYGROUND_READS",
    "PLAYGROUND_WRITES",
    "gate_playground_params",
    "gradient_flow_curves",
    "lstm_gate_playground",
    "lstm_vs_rnn_gradient_flow",
    "plot_gate_playground",
    "plot_gate_presets",
    "plot_gradient_flow",
    "plot_lstm_unit",
    "playground_inputs",
    "run_gate_playground",
]

#: Length of the playground's input sequence.
PLAYGROUND_T = 40
#: Steps (0-based) with a write marker, and the values written there.
PLAYGROUND_WRITES = (4, 21)
_WRITE_VALUES = (0.9, -0.7)
#: Steps (0-based) with a read cue.
PLAYGROUND_READS = (14, 33)
#: Weight from a marker to the gate it drives: large, so a marker flips the gate.
MARKER_WEIGHT = 10.0

#: Settings of (b_i, b_f, b_o, w_g) that show one behaviour each.
GATE_PRESETS = {
    "write, keep, read": dict(b_i=-5.0, b_f=5.0, b_o=-5.0, w_g=2.0),
    "forget at once ($b_f = -5$)": dict(b_i=-5.0, b_f=-5.0, b_o=-5.0, w_g=2.0),
    "leak: $f \\approx 0.5$ ($b_f = 0$)": dict(b_i=-5.0, b_f=0.0, b_o=-5.0, w_g=2.0),
    "always write, always read ($b_i = b_o = 5$)": dict(b_i=5.0, b_f=5.0, b_o=5.0, w_g=2.0),
}


# ----------------------------------------------------------------- the one-unit LSTM


def playground_inputs(T=PLAYGROUND_T, seed=5):
    """The playground's input sequence: values, write markers and read cues.

    Parameters
    ----------
    T : int
        Length; the markers sit at :data:`PLAYGROUND_WRITES` and :data:`PLAYGROUND_READS`,
        so ``T`` must be larger than the last of them.
    seed : int
        Seed of the values between the markers.

    Returns
    -------
    numpy.ndarray, shape (1, T, 3)
        Channel 0: value ``v_t``, uniform in [-1, 1] (the written values at the write
        markers); channel 1: write marker (1 at a write, else 0); channel 2: read cue.
    """
    x = np.zeros((1, T, 3))
    x[0, :, 0] = np.random.default_rng(seed).uniform(-1, 1, T)
    for t, v in zip(PLAYGROUND_WRITES, _WRITE_VALUES, strict=True):
        x[0, t, 0], x[0, t, 1] = v, 1.0
    x[0, list(PLAYGROUND_READS), 2] = 1.0
    return x


def gate_playground_params(b_i=-5.0, b_f=5.0, b_o=-5.0, w_g=2.0):
    """Hand-set weights of the playground's one-unit LSTM (D = 3, H = 1, gates i, f, g, o).

    Parameters
    ----------
    b_i, b_f, b_o : float
        Biases of the input, forget and output gates: the gate's value when no
        marker is present is ``sigmoid(b)``.
    w_g : float
        Weight from the value channel to the candidate: ``g_t = tanh(w_g v_t)``.

    Returns
    -------
    Wx : numpy.ndarray, shape (3, 4)
        Rows: value, write marker, read cue; columns: gates i, f, g, o.
    Wh : numpy.ndarray, shape (1, 4)
        Zeros: the gates read only the current input.
    b : numpy.ndarray, shape (4,)
        ``(b_i, b_f, 0, b_o)``.
    """
    Wx = np.zeros((3, 4))
    Wx[0, 2] = w_g  # value -> candidate g
    Wx[1, 0] = MARKER_WEIGHT  # write marker opens the input gate i ...
    Wx[1, 1] = -MARKER_WEIGHT  # ... and closes the forget gate f: a write replaces
    Wx[2, 3] = MARKER_WEIGHT  # read cue opens the output gate o
    return Wx, np.zeros((1, 4)), np.array([b_i, b_f, 0.0, b_o], dtype=float)


def run_gate_playground(b_i=-5.0, b_f=5.0, b_o=-5.0, w_g=2.0, x=None):
    """Run the one-unit LSTM over the playground's inputs with :func:`rnnlib.sequence.lstm_forward`.

    Parameters
    ----------
    b_i, b_f, b_o, w_g : float
        See :func:`gate_playground_params`.
    x : numpy.ndarray, shape (1, T, 3), optional
        Inputs; default :func:`playground_inputs`.

    Returns
    -------
    dict of numpy.ndarray, each shape (T,)
        ``"v"`` (the value channel), ``"write"``, ``"read"`` (the markers), and
        ``"i"``, ``"f"``, ``"g"``, ``"o"``, ``"c"``, ``"h"``, starting from ``c = h = 0``.
    """
    x = playground_inputs() if x is None else x
    Wx, Wh, b = gate_playground_params(b_i, b_f, b_o, w_g)
    zero = np.zeros((1, 1))
    h, cache = sequence.lstm_forward(x, zero, zero.copy(), Wx, Wh, b)
    out = {"v": x[0, :, 0], "write": x[0, :, 1], "read": x[0, :, 2], "h": h[0, :, 0]}
    for k in "ifgoc":
        out[k] = getattr(cache, k)[0, :, 0]
    return out


# ----------------------------------------------------------------------- plots


def _mark_events(ax, write, read):
    """Shade the steps with a write marker (input-gate colour) or a read cue (output-gate).

    One collection of rectangles per kind, spanning the axes' full height (not one
    ``axvspan`` per marker): it keeps the widget's redraw fast.
    """
    for mask, key in ((write, "i"), (read, "o")):
        steps = np.flatnonzero(np.asarray(mask))
        if steps.size:
            boxes = [[(t - 0.5, 0), (t + 0.5, 0), (t + 0.5, 1), (t - 0.5, 1)] for t in steps]
            ax.add_collection(PolyCollection(boxes, facecolors=plotting.GATE_COLORS[key],
                                             alpha=0.2, lw=0, transform=ax.get_xaxis_transform()),
                              autolim=False)


def plot_lstm_unit(v, i, f, g, o, c, h, write=None, read=None, axes=None, title=None,
                   input_label="value $v_t$"):
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
    fig, axes = plotting.figure_axes(axes, 3, 1, sharex=True, figsize=(7.0, 5.6),
                                     height_ratios=(1, 1, 1.3))
    ax_in, ax_gate, ax_state = np.ravel(axes)
    T = len(v)
    t = np.arange(T)
    C = plotting.GATE_COLORS
    for ax in (ax_in, ax_gate, ax_state):
        if write is not None or read is not None:
            _mark_events(ax, np.zeros(T) if write is None else write,
                         np.zeros(T) if read is None else read)
        ax.axhline(0, color=plotting.COLORS["bound"], lw=0.8)

    ax_in.plot(t, v, "o-", ms=3.5, lw=0.8, color=plotting.COLORS["bound"], label=input_label)
    ax_in.plot(t, g, lw=1.8, color=C["g"], label="candidate $g_t$")
    ax_in.set_ylim(-1.15, 1.15)
    ax_in.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    plotting.label(ax_in, ylabel="input", title=title)

    # i drawn wide underneath, o dashed on top: where both are shut they overlap
    for k, y, name, lw, ls in ((("i", i, "input gate $i_t$", 3.2, "-")),
                               ("f", f, "forget gate $f_t$", 2.0, "-"),
                               ("o", o, "output gate $o_t$", 1.6, "--")):
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
        ax_state.text(1.02, 0.02, "shaded:\ngreen = write\npink = read", fontsize=8.5,
                      transform=ax_state.transAxes, va="bottom")
    plotting.label(ax_state, "time step $t$", "state")
    return fig


def plot_gate_playground(b_i=-5.0, b_f=5.0, b_o=-5.0, w_g=2.0, axes=None):
    """Does the unit write at the markers, keep its memory, and show it only at the cues?

    Runs :func:`run_gate_playground` and draws it with :func:`plot_lstm_unit`. The
    title gives each gate's value away from the markers, ``sigmoid(b)``.

    Parameters
    ----------
    b_i, b_f, b_o, w_g : float
        See :func:`gate_playground_params`.
    axes : array of three Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    r = run_gate_playground(b_i, b_f, b_o, w_g)
    title = (f"between markers: $i$ = {sigmoid(b_i):.3f}, $f$ = {sigmoid(b_f):.3f}, "
             f"$o$ = {sigmoid(b_o):.3f};  $w_g$ = {w_g:g}")
    return plot_lstm_unit(r["v"], r["i"], r["f"], r["g"], r["o"], r["c"], r["h"],
                          r["write"], r["read"], axes=axes, title=title)


def plot_gate_presets(axes=None):
    """Four settings of the gate biases, four behaviours: the states ``c_t`` and ``h_t``.

    One small panel per entry of :data:`GATE_PRESETS`, same inputs as the playground.

    Parameters
    ----------
    axes : array of four Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(axes, 2, 2, sharex=True, sharey=True, figsize=(7.0, 4.6))
    C = plotting.GATE_COLORS
    for ax, (name, p) in zip(np.ravel(axes), GATE_PRESETS.items(), strict=True):
        r = run_gate_playground(**p)
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


#: Sequence length, hidden size and batch size of the gradient-flow comparison.
FLOW_T, FLOW_H, FLOW_N = 100, 16, 8
#: The recurrent scales the widget's slider offers: 2**k for k = -2, -1.5, ..., 3.
FLOW_SCALES = tuple(float(2.0**k) for k in np.arange(-2.0, 3.01, 0.5))


@lru_cache(maxsize=32)
def _rnn_curve(T, H, N, scale, seed):
    """||dL/dx_{T-k}|| of the random tanh RNN: it does not depend on the forget bias."""
    curve = analysis.gradient_norm_vs_lag("rnn", H, T, seed, N=N, scale=scale, log10=True)
    curve.flags.writeable = False  # shared by the cache: nobody may change it
    return curve


def gradient_flow_curves(forget_bias=1.0, scale=1.0, T=FLOW_T, H=FLOW_H, N=FLOW_N, seed=0):
    """Gradient norms against the lag for a random RNN and a random LSTM on the same inputs.

    Both networks come from :func:`rnnlib.analysis.random_setup` with the same seed
    (same inputs ``x`` and the same unit vector ``dL/dh_T``); the loss is
    ``L = dL/dh_T . h_T``.

    Parameters
    ----------
    forget_bias : float
        The LSTM's forget-gate bias ``b_f`` (all other biases 0).
    scale : float
        Recurrent weights have entries of standard deviation ``scale / sqrt(H)``.
    T, H, N : int
        Sequence length, hidden size, batch size.
    seed : int

    Returns
    -------
    dict
        ``"lag"`` (T,): 0 .. T-1. ``"rnn"``, ``"lstm"`` (T,): ``log10`` of the batch
        mean of ``||dL/dx_{T-k}||`` at lag k. ``"forget_product"`` (T,): the mean over
        units and sequences of ``prod_{s=T-k+1}^{T} f_s``, the cell path's factor
        ``dc_T/dc_{T-k}`` (1 at lag 0).
    """
    p = analysis.random_setup("lstm", H, T, seed, N=N, scale=scale, forget_bias=forget_bias)
    # lstm_cell_gradient_flow renormalises the gradient at every step: no overflow, and
    # no subnormal numbers (which make arithmetic many times slower) when it vanishes
    flow = analysis.lstm_cell_gradient_flow(p["x"], p["h0"], p["c0"], p["Wx"], p["Wh"], p["b"],
                                            dhT=p["dhT"], log10=True)
    return {
        "lag": np.arange(T),
        # rounded: the slider's 2**k computed in the browser may differ in the last bit
        "rnn": np.array(_rnn_curve(T, H, N, round(float(scale), 9), seed)),
        "lstm": flow["dx"][::-1].copy(),  # index t-1 holds step t: reverse to order by lag
        "forget_product": flow["forget_product_mean"][::-1].copy(),
    }


def plot_gradient_flow(forget_bias=1.0, scale=1.0, axes=None, T=FLOW_T, H=FLOW_H, N=FLOW_N,
                       seed=0):
    """Does the gradient reach inputs far back? A random RNN against a random LSTM.

    Left: ``||dL/dx_{T-k}||`` against the lag k on a log axis, RNN and LSTM on the
    same inputs. Right: the cell path's factor ``dc_T/dc_{T-k} = prod f`` (mean over
    units), with ``sigmoid(b_f)^k``, what it would be if every forget gate sat at
    ``sigmoid(b_f)``.

    Parameters
    ----------
    forget_bias : float
        The LSTM's forget-gate bias.
    scale : float
        Scale of the recurrent weights (both networks).
    axes : array of two Axes, optional
    T, H, N, seed
        See :func:`gradient_flow_curves`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(axes, 1, 2, figsize=(7.0, 3.6))
    ax_g, ax_f = np.ravel(axes)
    d = gradient_flow_curves(forget_bias, scale, T, H, N, seed)
    lag = d["lag"]
    ax_g.semilogy(lag, 10.0 ** d["rnn"], color=plotting.COLORS["rnn"], label="RNN (tanh)")
    ax_g.semilogy(lag, 10.0 ** d["lstm"], color=plotting.COLORS["lstm"], label="LSTM")
    lo = min(-25.0, float(np.min(d["rnn"])), float(np.min(d["lstm"])))
    hi = max(2.0, float(np.max(d["rnn"])), float(np.max(d["lstm"]))) + 1
    ax_g.set_ylim(10.0 ** max(lo, -300), 10.0 ** min(hi, 300))
    ax_g.set_xlim(0, T - 1)
    ax_g.legend(loc="lower left", fontsize=9)
    plotting.label(ax_g, "lag $k = T - t$ (steps)", r"$\|\partial L / \partial x_{T-k}\|$",
                   "gradient reaching the input")

    with np.errstate(under="ignore"):
        ref = sigmoid(forget_bias) ** lag.astype(float)
    ax_f.semilogy(lag, np.maximum(d["forget_product"], 1e-300), color=plotting.GATE_COLORS["f"],
                  label=r"mean of $\prod f$")
    ax_f.semilogy(lag, np.maximum(ref, 1e-300), ls="--", lw=1.3, color=plotting.COLORS["bound"],
                  label=rf"$\sigma(b_f)^k = {sigmoid(forget_bias):.2f}^k$")
    ax_f.set_ylim(1e-25, 3)
    ax_f.set_xlim(0, T - 1)
    ax_f.legend(loc="lower left", fontsize=9)
    plotting.label(ax_f, "lag $k$ (steps)", r"$\partial c_T / \partial c_{T-k}$ (cell path)",
                   f"forget bias $b_f$ = {forget_bias:g}, scale = {scale:.3g}")
    return fig


# ----------------------------------------------------------------------- widgets


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
        return W.FloatSlider(value=value, min=-8.0, max=8.0, step=0.5, description=text,
                             readout_format=".1f", style=style, layout=layout)

    return interactive_plot(
        plot_gate_playground,
        b_i=bias(-5.0, "input-gate bias b_i"),
        b_f=bias(5.0, "forget-gate bias b_f"),
        b_o=bias(-5.0, "output-gate bias b_o"),
        w_g=W.FloatSlider(value=2.0, min=-3.0, max=3.0, step=0.25,
                          description="candidate weight w_g", readout_format=".2f",
                          style=style, layout=layout),
        axes=W.fixed(None),
    )


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
        _rnn_curve(FLOW_T, FLOW_H, FLOW_N, round(scale, 9), 0)
    style = {"description_width": "initial"}
    layout = W.Layout(width="420px")
    return interactive_plot(
        plot_gradient_flow,
        forget_bias=W.FloatSlider(value=1.0, min=-2.0, max=5.0, step=0.25,
                                  description="forget-gate bias b_f", readout_format=".2f",
                                  continuous_update=False, style=style, layout=layout),
        scale=W.FloatLogSlider(value=1.0, base=2, min=-2, max=3, step=0.5,
                               description="recurrent scale", readout_format=".2f",
                               continuous_update=False, style=style, layout=layout),
        axes=W.fixed(None),
    )
