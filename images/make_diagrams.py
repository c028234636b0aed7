"""Draw the course's diagrams as SVG files next to this script.

Usage::

    python images/make_diagrams.py              # (re)write every images/*.svg
    python images/make_diagrams.py --png DIR    # also write PNG previews into DIR

One style for all of them: the colours of :mod:`rnnlib.plotting` (Okabe-Ito,
colour-blind safe; ``GATE_COLORS`` for the LSTM), text kept as text
(``svg.fonttype = "none"``: small files, searchable, sharp at any zoom), a
white background so they read in dark themes too. The output is deterministic
(a fixed ``svg.hashsalt`` and no date in the metadata): running the script
twice changes no byte, so ``git diff`` only shows real changes.

=========================  ======================================================
feedforward-vs-rnn.svg     a window MLP next to an RNN cell with its loop (01)
rnn-unrolled.svg           the RNN unrolled over T steps, shared weights (01)
chain-rule-graph.svg       a computational graph, forward and backward (02)
bptt-two-streams.svg       the two gradient streams that sum into h_t (03)
lstm-cell.svg              the LSTM cell: cell state, gates i, f, g, o (05)
gru-cell.svg               the GRU cell: one state, gates r, z and candidate n (08)
=========================  ======================================================
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # a script: never open a window

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch  # noqa: E402

from rnnlib import plotting  # noqa: E402
from rnnlib.plotting import COLORS, GATE_COLORS  # noqa: E402

HERE = Path(__file__).resolve().parent
INK = "#222222"  # text and forward arrows
MUTED = "#8C8C8C"  # context that is not the point of the figure
UNIT = 0.4  # inches per drawing unit: every diagram is drawn in these units
FONT = 12  # points


# ------------------------------------------------------------------ drawing kit


def canvas(width, height):
    """A blank figure ``width`` x ``height`` drawing units, origin at the bottom left."""
    fig = plt.figure(figsize=(width * UNIT, height * UNIT), layout="none")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def tint(color, amount):
    """``color`` mixed with white: ``amount`` = 0 is white, 1 is the colour itself."""
    r, g, b = to_rgb(color)
    return tuple(1 - amount * (1 - c) for c in (r, g, b))


def text(ax, x, y, s, color=INK, size=FONT, ha="center", va="center", **kw):
    return ax.text(x, y, s, color=color, fontsize=size, ha=ha, va=va, zorder=5, **kw)


def box(ax, x, y, w, h, label=None, color=INK, fill=0.15, size=FONT, lw=1.6, r=0.18):
    """A rounded box centred at ``(x, y)``, tinted with ``color``."""
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle=f"round,pad=0,rounding_size={r}",
            fc=tint(color, fill),
            ec=color,
            lw=lw,
            zorder=3,
            clip_on=False,
        )
    )
    if label is not None:
        text(ax, x, y, label, size=size)


def node(ax, x, y, label, color=INK, r=0.32, size=FONT + 2, fill=0.0):
    """A small circle with an operator (+, ×, ⊙) or a variable name."""
    ax.add_patch(Circle((x, y), r, fc=tint(color, fill), ec=color, lw=1.6, zorder=3, clip_on=False))
    text(ax, x, y, label, size=size)


def arrow(ax, start, end, color=INK, lw=1.6, rad=0.0, ls="-", head=14, zorder=2):
    """A straight (``rad`` = 0) or curved arrow from ``start`` to ``end``."""
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=head,
            lw=lw,
            color=color,
            linestyle=ls,
            shrinkA=0,
            shrinkB=0,
            connectionstyle=f"arc3,rad={rad}",
            zorder=zorder,
            clip_on=False,
        )
    )


def polyline(ax, points, color=INK, lw=1.6, head=True, zorder=2):
    """Right-angled wiring: straight segments through ``points``, an arrowhead at the end."""
    xs, ys = zip(*points, strict=True)
    last = len(points) - 1 if head else len(points)
    ax.plot(
        xs[:last],
        ys[:last],
        color=color,
        lw=lw,
        solid_capstyle="round",
        solid_joinstyle="round",
        zorder=zorder,
        clip_on=False,
    )
    if head:
        arrow(ax, points[-2], points[-1], color=color, lw=lw, zorder=zorder)


def dot(ax, x, y, color=INK):
    ax.add_patch(Circle((x, y), 0.09, fc=color, ec=color, zorder=4, clip_on=False))


def save(fig, name, png_dir=None):
    """Write ``images/name`` (deterministic SVG) and, if asked, a PNG preview."""
    fig.savefig(HERE / name, format="svg", metadata={"Date": None}, facecolor="white")
    if png_dir is not None:
        fig.savefig(Path(png_dir) / name.replace(".svg", ".png"), dpi=150, facecolor="white")
    plt.close(fig)
    return HERE / name


# ------------------------------------------------------------------ the diagrams


def feedforward_vs_rnn(png_dir=None):
    """A window MLP (fixed input size) next to an RNN cell with its recurrent loop."""
    fig, ax = canvas(19, 9)
    rnn, mlp, data = COLORS["rnn"], COLORS["mlp"], COLORS["data"]

    # Left: the feed-forward network reads a window of exactly w = 4 steps.
    text(ax, 4.4, 8.4, "Feed-forward: a fixed window", weight="bold")
    xs = [1.4, 3.4, 5.4, 7.4]
    hs = [2.4, 4.4, 6.4]
    for k, x in enumerate(xs):
        for hx in hs:
            ax.plot([x, hx], [2.0, 4.2], color=MUTED, lw=0.9, zorder=1)
        box(ax, x, 1.6, 1.3, 0.8, f"$x_{k + 1}$", color=data)
    for hx in hs:
        ax.plot([hx, 4.4], [4.9, 6.4], color=MUTED, lw=0.9, zorder=1)
        node(ax, hx, 4.55, "", color=mlp, r=0.38, fill=0.25)
    box(ax, 4.4, 6.8, 1.3, 0.8, "$y$", color=COLORS["target"], fill=0.05)
    text(ax, 7.3, 3.6, "$W_1$", size=FONT - 1, ha="left")
    text(ax, 5.6, 5.9, "$W_2$", size=FONT - 1, ha="left")
    text(ax, 4.4, 0.55, "exactly $w$ = 4 steps in: $W_1$ has $w \\cdot D$ rows", size=FONT - 1)

    # Right: the RNN applies one cell at every step and feeds its hidden state back.
    cx, cy = 13.8, 4.4
    text(ax, cx + 0.6, 8.4, "Recurrent: one cell and a loop", weight="bold")
    box(ax, cx, 1.6, 1.3, 0.8, "$x_t$", color=data)
    box(ax, cx, cy, 3.0, 1.4, "$h_t = \\tanh(\\ldots)$", color=rnn, size=FONT - 1)
    box(ax, cx, 7.2, 1.3, 0.8, "$y_t$", color=COLORS["target"], fill=0.05)
    arrow(ax, (cx, 2.0), (cx, cy - 0.7))
    arrow(ax, (cx, cy + 0.7), (cx, 6.8))
    text(ax, cx - 0.2, 2.8, "$W_x$", color=rnn, ha="right")
    text(ax, cx - 0.2, 6.1, "$W_y$", color=rnn, ha="right")
    # The loop: h_t leaves the cell and comes back in as h_{t-1} of the next step.
    right, loop_x = cx + 1.5, cx + 3.7
    polyline(
        ax,
        [(right, cy + 0.4), (loop_x, cy + 0.4), (loop_x, cy - 0.4), (right, cy - 0.4)],
        color=rnn,
    )
    text(ax, right + 1.1, cy + 0.75, "$h_t$", size=FONT - 1)
    text(ax, right + 1.1, cy - 0.8, "$h_{t-1}$", size=FONT - 1)
    text(ax, loop_x + 0.2, cy, "$W_h$", color=rnn, ha="left")
    text(ax, cx + 0.6, 0.55, "the same $W_x$, $W_h$, $W_y$ at every step $t$", size=FONT - 1)
    ax.plot([9.6, 9.6], [0.4, 8.6], color=MUTED, lw=0.8, ls=(0, (4, 4)), zorder=1)
    return save(fig, "feedforward-vs-rnn.svg", png_dir)


def rnn_unrolled(png_dir=None):
    """The RNN unrolled over T steps, with the same weights at every step."""
    fig, ax = canvas(19, 8.6)
    rnn, data = COLORS["rnn"], COLORS["data"]
    cols = [(3.4, "1"), (7.0, "2"), (10.6, "3"), (15.8, "T")]
    y_x, y_h, y_y = 1.6, 4.2, 6.8
    bw = 1.7
    text(ax, 0.9, y_h, "$h_0$", size=FONT + 1)
    for k, (x, t) in enumerate(cols):
        box(ax, x, y_x, 1.2, 0.8, f"$x_{t}$", color=data)
        box(ax, x, y_h, bw, 1.1, "tanh", color=rnn)
        box(ax, x, y_y, 1.2, 0.8, f"$y_{t}$", color=COLORS["target"], fill=0.05)
        arrow(ax, (x, y_x + 0.4), (x, y_h - 0.55))
        arrow(ax, (x, y_h + 0.55), (x, y_y - 0.4))
        text(ax, x + 0.15, (y_x + y_h) / 2 - 0.1, "$W_x$", color=rnn, ha="left", size=FONT - 1)
        text(ax, x + 0.15, (y_h + y_y) / 2 + 0.1, "$W_y$", color=rnn, ha="left", size=FONT - 1)
        text(ax, x, 8.1, f"$t = {t}$", color=MUTED, size=FONT - 1)
        # The hidden state into this step: from h_0, from the previous cell, or from "...".
        if k == 0:
            start, h_in = 1.35, "$h_0$"
        elif t == "T":
            start, h_in = 13.8, "$h_{T-1}$"
        else:
            start, h_in = cols[k - 1][0] + bw / 2, f"$h_{k}$"
        arrow(ax, (start, y_h), (x - bw / 2, y_h))
        if k > 0:
            mid = (start + x - bw / 2) / 2
            text(ax, mid, y_h + 0.35, h_in, size=FONT - 1)
            text(ax, mid, y_h - 0.35, "$W_h$", color=rnn, size=FONT - 1)
    # The gap between step 3 and step T.
    arrow(ax, (cols[2][0] + bw / 2, y_h), (12.7, y_h))
    text(ax, 13.25, y_h, "$\\cdots$", size=FONT + 2)
    text(ax, 12.15, y_h + 0.35, "$h_3$", size=FONT - 1)
    text(ax, 12.15, y_h - 0.35, "$W_h$", color=rnn, size=FONT - 1)
    arrow(ax, (cols[3][0] + bw / 2, y_h), (18.6, y_h))
    text(ax, 18.1, y_h + 0.35, "$h_T$", size=FONT - 1)
    text(
        ax,
        9.5,
        0.45,
        "shared: the same $W_x$, $W_h$, $W_y$ (and $b$, $b_y$) at every step",
        size=FONT - 1,
    )
    return save(fig, "rnn-unrolled.svg", png_dir)


def chain_rule_graph(png_dir=None):
    """x, w -> a = w x -> h = tanh(a) -> L = (h - y)^2 / 2, forward and backward."""
    fig, ax = canvas(19, 9.4)
    grad = COLORS["gradient"]
    yf = 6.0  # the forward lane
    pos = {"x": (1.2, 7.6), "w": (1.2, 4.4), "a": (6.6, yf), "h": (11.6, yf), "L": (16.6, yf)}
    for name, (x, y) in pos.items():
        node(ax, x, y, f"${name}$", color=COLORS["rnn"] if name != "L" else INK, r=0.45, fill=0.15)
    r = 0.45
    text(ax, 6.6, yf - 0.85, "$a = w\\,x$", size=FONT - 1)
    text(ax, 11.6, yf - 0.85, "$h = \\tanh(a)$", size=FONT - 1)
    text(ax, 16.6, yf - 0.85, "$L = \\frac{1}{2}(h - y)^2$", size=FONT - 1)
    # Forward edges, each labelled with its local derivative.
    arrow(ax, (1.2 + r, 7.45), (6.6 - r, yf + 0.15))
    arrow(ax, (1.2 + r, 4.55), (6.6 - r, yf - 0.15))
    arrow(ax, (6.6 + r, yf), (11.6 - r, yf))
    arrow(ax, (11.6 + r, yf), (16.6 - r, yf))
    text(ax, 3.9, 7.55, "$\\partial a/\\partial x = w$", size=FONT - 1)
    text(ax, 3.9, 4.45, "$\\partial a/\\partial w = x$", size=FONT - 1)
    text(ax, 9.1, yf + 0.4, "$\\partial h/\\partial a = 1 - h^2$", size=FONT - 1)
    text(ax, 14.1, yf + 0.4, "$\\partial L/\\partial h = h - y$", size=FONT - 1)
    text(ax, 0.3, 8.9, "forward: values, left to right", ha="left", size=FONT - 1)

    # Backward: each gradient is the one to its right times the local derivative.
    yb = 2.9
    arrow(ax, (16.6, yf - 1.25), (11.9, yb + 0.05), color=grad, lw=2.0, rad=-0.15)
    arrow(ax, (11.3, yb - 0.05), (6.9, yb - 0.05), color=grad, lw=2.0)
    arrow(ax, (6.3, yb - 0.05), (1.55, 4.0), color=grad, lw=2.0, rad=-0.25)
    text(ax, 14.4, yb - 0.55, "$dL/dh = h - y$", color=grad)
    text(ax, 9.1, yb - 0.55, "$dL/da = dL/dh \\cdot (1 - h^2)$", color=grad)
    text(ax, 3.6, 2.2, "$dL/dw = dL/da \\cdot x$", color=grad)
    text(
        ax,
        0.3,
        0.6,
        "backward: gradients, right to left, each = the one before it "
        "$\\times$ the local derivative",
        ha="left",
        color=grad,
        size=FONT - 1,
    )
    return save(fig, "chain-rule-graph.svg", png_dir)


def bptt_two_streams(png_dir=None):
    """The gradient reaching h_t is the sum of two streams: from L_t and from h_{t+1}."""
    fig, ax = canvas(20, 9.6)
    rnn, grad = COLORS["rnn"], COLORS["gradient"]
    yh, yl, yp = 2.8, 7.8, 5.6  # rows: hidden states, losses, the "+" nodes
    xs = {"t-1": 3.0, "t": 9.4, "t+1": 15.8}
    bw, bh = 1.8, 1.0
    for t, x in xs.items():
        box(ax, x, yh, bw, bh, f"$h_{{{t}}}$", color=rnn)
        box(ax, x, yl, bw, 0.8, f"$L_{{{t}}}$", color=INK, fill=0.05)
        arrow(ax, (x - 0.45, yh + bh / 2), (x - 0.45, yl - 0.4), color=MUTED, lw=1.2)
    arrow(ax, (0.5, yh), (3.0 - bw / 2, yh), color=MUTED, lw=1.2)
    arrow(ax, (3.0 + bw / 2, yh), (9.4 - bw / 2, yh), color=MUTED, lw=1.2)
    arrow(ax, (9.4 + bw / 2, yh), (15.8 - bw / 2, yh), color=MUTED, lw=1.2)
    arrow(ax, (15.8 + bw / 2, yh), (19.5, yh), color=MUTED, lw=1.2)
    text(
        ax,
        0.4,
        8.9,
        "forward (grey): $h_{t-1} \\to h_t \\to L_t$",
        color=MUTED,
        size=FONT - 1,
        ha="left",
    )

    # Backward, drawn at every step; highlighted at step t.
    for t, x in xs.items():
        main = t == "t"
        lw, alpha = (2.4, 1.0) if main else (1.6, 0.55)
        px = x + 0.9
        node(ax, px, yp, "+", color=grad, r=0.3)
        arrow(ax, (x + 0.45, yl - 0.4), (px, yp + 0.3), color=grad, lw=lw)  # from L_t
        arrow(ax, (px, yp - 0.3), (x + 0.45, yh + bh / 2), color=grad, lw=lw)  # into h_t
        nxt = x + 6.4  # the stream from step t+1 arrives from the right
        start = (nxt - bw / 2, yh + 0.2) if nxt < 19 else (19.5, yp - 0.9)
        arrow(ax, start, (px + 0.3, yp - 0.1), color=grad, lw=lw)
        if not main:
            for patch in ax.patches[-4:]:
                patch.set_alpha(alpha)
    x = xs["t"]
    text(ax, x + 1.1, 6.7, "$\\partial L_t/\\partial h_t$", color=grad, ha="left")
    text(ax, x + 1.1, 6.15, "from the output at $t$", color=grad, ha="left", size=FONT - 2)
    text(
        ax,
        x + 3.7,
        5.3,
        "$\\frac{dL}{dh_{t+1}}\\,\\frac{\\partial h_{t+1}}{\\partial h_t}$",
        color=grad,
        ha="left",
        size=FONT + 3,
    )
    text(ax, x + 3.7, 4.45, "from step $t+1$", color=grad, ha="left", size=FONT - 2)
    text(ax, x + 1.0, 4.3, "$dL/dh_t$", color=grad, ha="left")
    text(ax, x + 1.0, 3.75, "= the sum", color=grad, ha="left", size=FONT - 2)
    text(
        ax,
        10.0,
        0.9,
        "$\\frac{dL}{dh_t} = \\frac{\\partial L_t}{\\partial h_t} + "
        "\\frac{dL}{dh_{t+1}}\\,\\frac{\\partial h_{t+1}}{\\partial h_t}$",
        size=FONT + 2,
    )
    text(
        ax,
        19.6,
        8.9,
        "$d$: total (all later steps)   $\\partial$: one edge only",
        color=MUTED,
        size=FONT - 1,
        ha="right",
    )
    return save(fig, "bptt-two-streams.svg", png_dir)


def lstm_cell(png_dir=None):
    """The LSTM cell: the cell-state line on top, gates below, inputs at the bottom."""
    fig, ax = canvas(20, 11.4)
    G = GATE_COLORS
    yc, yg, ybus = 9.0, 4.6, 2.4  # rows: cell state, gates, input bus
    ax.add_patch(
        FancyBboxPatch(
            (1.6, 1.5),
            15.6,
            8.6,
            boxstyle="round,pad=0,rounding_size=0.4",
            fc="#F5F5F5",
            ec=MUTED,
            lw=1.2,
            zorder=0,
        )
    )

    # The cell state runs straight across: one multiply (forget), one add (write).
    xf, xadd = 5.2, 9.6
    polyline(ax, [(0.3, yc), (xf - 0.32, yc)], color=G["c"], lw=3.0, head=False)
    polyline(ax, [(xf + 0.32, yc), (xadd - 0.32, yc)], color=G["c"], lw=3.0, head=False)
    arrow(ax, (xadd + 0.32, yc), (19.6, yc), color=G["c"], lw=3.0)
    node(ax, xf, yc, "$\\odot$", color=G["f"])
    node(ax, xadd, yc, "$+$", color=G["i"])
    text(ax, 0.3, yc + 0.5, "$c_{t-1}$", ha="left")
    text(ax, 19.6, yc + 0.5, "$c_t$", ha="right")
    text(ax, 11.6, yc + 0.45, "cell state", color=G["c"], size=FONT - 1)

    # Input bus: x_t and h_{t-1} reach every gate.
    polyline(ax, [(0.3, ybus), (12.4, ybus)], color=G["h"], head=False)
    polyline(ax, [(3.2, 0.3), (3.2, ybus)], color=COLORS["data"], head=False)
    dot(ax, 3.2, ybus, G["h"])
    text(ax, 0.3, ybus + 0.45, "$h_{t-1}$", ha="left")
    text(ax, 3.5, 0.55, "$x_t$", ha="left")
    text(ax, 5.1, 1.9, "$a = x_t W_x + h_{t-1} W_h + b$", ha="left", size=FONT - 1)

    # The four gates, left to right as the signal uses them: f, i, g, o.
    gates = [
        ("f", xf, "$\\sigma$", "forget"),
        ("i", 7.6, "$\\sigma$", "input"),
        ("g", xadd, "tanh", "candidate"),
        ("o", 12.4, "$\\sigma$", "output"),
    ]
    for name, x, act, word in gates:
        dot(ax, x, ybus, G["h"])
        arrow(ax, (x, ybus), (x, yg - 0.5), color=G["h"])
        box(ax, x, yg, 1.4, 1.0, act, color=G[name], fill=0.3)
        text(ax, x + 0.3, yg - 0.85, word, color=INK, size=FONT - 2, ha="left")
        text(ax, x - 0.15, yg + 1.0, f"${name}_t$", color=INK, size=FONT - 1, ha="right")
    # f_t multiplies the old cell state.
    arrow(ax, (xf, yg + 0.5), (xf, yc - 0.32), color=G["f"])
    # i_t * g_t is what gets written.
    ymul = 6.9
    node(ax, xadd, ymul, "$\\odot$", color=G["i"])
    polyline(ax, [(7.6, yg + 0.5), (7.6, ymul), (xadd - 0.32, ymul)], color=G["i"])
    arrow(ax, (xadd, yg + 0.5), (xadd, ymul - 0.32), color=G["g"])
    arrow(ax, (xadd, ymul + 0.32), (xadd, yc - 0.32), color=G["i"])
    text(ax, xadd + 0.4, 7.95, "$i_t \\odot g_t$", ha="left", size=FONT - 1)
    text(ax, xf + 0.4, 7.95, "$f_t \\odot c_{t-1}$", ha="left", size=FONT - 1)
    # h_t = o_t * tanh(c_t): read out of the cell state.
    ytanh = 7.6
    dot(ax, 16.0, yc, G["c"])
    arrow(ax, (16.0, yc), (16.0, ytanh + 0.35), color=G["c"])
    box(ax, 16.0, ytanh, 1.3, 0.7, "tanh", color=G["c"], fill=0.15, size=FONT - 1)
    node(ax, 16.0, ymul - 0.6, "$\\odot$", color=G["o"])
    arrow(ax, (16.0, ytanh - 0.35), (16.0, ymul - 0.28), color=G["c"])
    polyline(ax, [(12.4, yg + 0.5), (12.4, ymul - 0.6), (15.68, ymul - 0.6)], color=G["o"])
    polyline(ax, [(16.0, ymul - 0.92), (16.0, ybus), (19.6, ybus)], color=G["h"], lw=2.2)
    text(ax, 19.6, ybus + 0.45, "$h_t$", ha="right")
    text(ax, 16.2, 5.0, "$o_t \\odot \\tanh(c_t)$", ha="left", size=FONT - 1)
    text(
        ax,
        10.0,
        10.9,
        "gates in code are stacked $i, f, g, o$: $W_x$ $(D, 4H)$, $W_h$ $(H, 4H)$, $b$ $(4H,)$",
        color=MUTED,
        size=FONT - 1,
    )
    return save(fig, "lstm-cell.svg", png_dir)


def gru_cell(png_dir=None):
    """The GRU cell (PyTorch's form): the state line on top, r and z below, the candidate right."""
    fig, ax = canvas(20, 11.4)
    G = GATE_COLORS
    state, z_col, r_col, n_col = COLORS["gru"], G["f"], G["o"], G["g"]
    yh, yg, ybus = 9.0, 4.6, 2.4  # rows: state, gates, input bus
    ax.add_patch(
        FancyBboxPatch(
            (1.6, 1.5),
            15.6,
            8.6,
            boxstyle="round,pad=0,rounding_size=0.4",
            fc="#F5F5F5",
            ec=MUTED,
            lw=1.2,
            zorder=0,
        )
    )
    # The state runs straight across: multiplied by z (keep), then the write is added.
    xz, xr, xn = 6.0, 9.0, 12.0  # columns: update gate, reset gate, candidate
    polyline(ax, [(0.3, yh), (xz - 0.32, yh)], color=state, lw=3.0, head=False)
    polyline(ax, [(xz + 0.32, yh), (xn - 0.32, yh)], color=state, lw=3.0, head=False)
    arrow(ax, (xn + 0.32, yh), (19.6, yh), color=state, lw=3.0)
    node(ax, xz, yh, "$\\odot$", color=z_col)
    node(ax, xn, yh, "$+$", color=n_col)
    text(ax, 0.3, yh + 0.5, "$h_{t-1}$", ha="left")
    text(ax, 19.6, yh + 0.5, "$h_t$", ha="right")
    text(ax, 15.4, yh + 0.45, "the only state", color=state, size=FONT - 1)
    text(ax, xz + 0.4, yh - 0.6, "$z_t \\odot h_{t-1}$", ha="left", size=FONT - 1)

    # Input bus: h_{t-1} (branched off the state line) and x_t reach every block.
    polyline(ax, [(1.0, yh), (1.0, ybus), (15.2, ybus)], color=G["h"], head=False)
    dot(ax, 1.0, yh, state)
    polyline(ax, [(3.0, 0.3), (3.0, ybus)], color=COLORS["data"], head=False)
    dot(ax, 3.0, ybus, G["h"])
    text(ax, 3.3, 0.55, "$x_t$", ha="left")
    text(
        ax,
        5.0,
        1.9,
        "$x_t W_x + b_x$ and $h_{t-1} W_h + b_h$, blocks $r, z, n$",
        ha="left",
        size=FONT - 1,
    )

    # The two gates.
    for name, x, color, word in (("z", xz, z_col, "update"), ("r", xr, r_col, "reset")):
        dot(ax, x, ybus, G["h"])
        arrow(ax, (x, ybus), (x, yg - 0.5), color=G["h"])
        box(ax, x, yg, 1.4, 1.0, "$\\sigma$", color=color, fill=0.3)
        text(ax, x + 0.3, yg - 0.85, word, size=FONT - 2, ha="left")
        text(ax, x - 0.15, yg + 1.0, f"${name}_t$", size=FONT - 1, ha="right")
    arrow(ax, (xz, yg + 0.5), (xz, yh - 0.32), color=z_col)  # z keeps the old state
    # 1 - z scales the write.
    yw = 7.9
    dot(ax, xz, yw, z_col)
    node(ax, xr, yw, "$1 - z$", color=z_col, r=0.5, size=FONT - 2)
    arrow(ax, (xz, yw), (xr - 0.5, yw), color=z_col)
    arrow(ax, (xr + 0.5, yw), (xn - 0.32, yw), color=z_col)

    # The candidate: the reset gate scales the hidden part, bias b_hn included.
    node(ax, xn, yg, "$\\odot$", color=r_col)
    arrow(ax, (xr + 0.7, yg), (xn - 0.32, yg), color=r_col)
    box(ax, xn, 3.35, 3.4, 0.7, "$h_{t-1} W_{hn} + b_{hn}$", color=G["h"], fill=0.1, size=FONT - 1)
    dot(ax, xn, ybus, G["h"])
    arrow(ax, (xn, ybus), (xn, 3.0), color=G["h"])
    arrow(ax, (xn, 3.7), (xn, yg - 0.32), color=G["h"])
    ya = 5.7
    node(ax, xn, ya, "$+$", color=n_col)
    arrow(ax, (xn, yg + 0.32), (xn, ya - 0.32), color=r_col)
    box(
        ax,
        15.2,
        ya,
        2.6,
        0.7,
        "$x_t W_{xn} + b_{xn}$",
        color=COLORS["data"],
        fill=0.1,
        size=FONT - 1,
    )
    dot(ax, 15.2, ybus, G["h"])
    arrow(ax, (15.2, ybus), (15.2, ya - 0.35), color=G["h"])
    arrow(ax, (15.2 - 1.3, ya), (xn + 0.32, ya), color=COLORS["data"])
    ytanh = 6.75
    box(ax, xn, ytanh, 1.3, 0.6, "tanh", color=n_col, fill=0.3, size=FONT - 1)
    arrow(ax, (xn, ya + 0.32), (xn, ytanh - 0.3), color=n_col)
    node(ax, xn, yw, "$\\odot$", color=n_col)
    arrow(ax, (xn, ytanh + 0.3), (xn, yw - 0.32), color=n_col)
    arrow(ax, (xn, yw + 0.32), (xn, yh - 0.32), color=n_col)
    text(ax, xn + 0.75, ytanh, "$n_t$  candidate", ha="left", size=FONT - 1)
    text(ax, xn + 0.45, yw + 0.05, "$(1 - z_t) \\odot n_t$", ha="left", size=FONT - 1)
    text(ax, xn - 0.4, yg + 0.45, "$r_t \\odot (\\ldots)$", ha="right", size=FONT - 2)
    text(
        ax,
        10.0,
        10.9,
        "gates in code are stacked $r, z, n$: $W_x$ $(D, 3H)$, "
        "$W_h$ $(H, 3H)$, $b_x$, $b_h$ $(3H,)$",
        color=MUTED,
        size=FONT - 1,
    )
    return save(fig, "gru-cell.svg", png_dir)


DIAGRAMS = [
    feedforward_vs_rnn,
    rnn_unrolled,
    chain_rule_graph,
    bptt_two_streams,
    lstm_cell,
    gru_cell,
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", metavar="DIR", help="also write PNG previews into DIR")
    args = parser.parse_args(argv)
    plotting.setup()
    # Text as text: small files, and the SVG stays deterministic with the fixed hash salt.
    plt.rcParams["svg.fonttype"] = "none"
    # Diagrams place everything in drawing units themselves: no automatic layout.
    plt.rcParams["figure.constrained_layout.use"] = False
    if args.png:
        Path(args.png).mkdir(parents=True, exist_ok=True)
    for draw in DIAGRAMS:
        path = draw(args.png)
        print(f"wrote {path.relative_to(HERE.parent)} ({path.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
