"""Notebook 08's figures: the GRU's update gate as a leaky integrator, and the three cells compared.

- :func:`plot_update_gate`: left, the memory of a GRU state with the gate held at
  ``z = sigmoid(b_z)`` and nothing new written, ``h_{t+k} = z**k h_t``, with its
  half-life; right, the gradient reaching the input ``k`` steps back in random GRU,
  LSTM (forget bias ``b_z``) and tanh RNN on the same inputs. The numbers come from
  :func:`rnnlib.gradient_flow.update_gate_curves`.
- :func:`plot_success_by_cell`: success rate on the adding problem against the lag,
  one dot per run; :func:`plot_learning_rate_sweep`: what each cell did at each
  learning rate.
"""

from __future__ import annotations

import numpy as np

from rnnlib import plotting
from rnnlib.gradient_flow import FLOW_T, MEMORY_K, update_gate_curves

__all__ = [
    "plot_learning_rate_sweep",
    "plot_success_by_cell",
    "plot_update_gate",
    "update_update_gate",
]


def plot_update_gate(update_bias=1.0, axes=None, seed=0):
    """How long does a GRU remember with its update gate at ``sigmoid(b_z)``, and does its gradient?

    Left: ``z**k``, the part of a state left after k steps with nothing new
    written, and its half-life. Right: ``||dL/dx_{T-k}||`` for random GRU, LSTM
    (forget bias = ``b_z``) and RNN on the same inputs, log scale.

    Parameters
    ----------
    update_bias : float
        The update-gate bias ``b_z``.
    axes : array of two Axes, optional
    seed : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(axes, 1, 2, figsize=(7.6, 3.6))
    ax_m, ax_g = np.ravel(axes)
    d = update_gate_curves(update_bias, seed)
    z, half = d["z"], d["half_life"]
    ax_m.plot(d["k"], d["memory"], color=plotting.COLORS["gru"], label=rf"$z^k = {z:.3f}^k$")
    ax_m.axhline(0.5, color=plotting.COLORS["bound"], lw=0.8, ls=":")
    if half <= MEMORY_K:
        ax_m.axvline(
            half,
            color=plotting.COLORS["bound"],
            lw=1.0,
            ls="--",
            label=_half_life_label(half),
            gid="half-life",
        )
    else:
        ax_m.plot([], [], " ", label=_half_life_label(half), gid="half-life")
    ax_m.plot([], [], " ", label=_write_label(z), gid="write")  # gids: for update_update_gate
    ax_m.set_ylim(0, 1.05)
    ax_m.set_xlim(0, MEMORY_K)
    ax_m.legend(loc="center right", fontsize=8.5)
    plotting.label(
        ax_m,
        "steps $k$ since the write",
        r"$h_{t+k} / h_t$",
        f"memory with $z = \\sigma({update_bias:g})$",
    )

    lag = d["lag"]
    for cell, name in (
        ("rnn", "RNN (tanh)"),
        ("gru", rf"GRU, $b_z = {update_bias:g}$"),
        ("lstm", rf"LSTM, $b_f = {update_bias:g}$"),
    ):
        ax_g.semilogy(
            lag, 10.0 ** np.maximum(d[cell], -300), color=plotting.COLORS[cell], label=name
        )
    with np.errstate(under="ignore"):
        ref = z ** lag.astype(float)
    ax_g.semilogy(
        lag,
        np.maximum(ref, 1e-300),
        ls="--",
        lw=1.2,
        color=plotting.COLORS["bound"],
        label=r"$z^k$ (direct path, gate fixed)",
    )
    lo = min(-20.0, *(float(np.min(d[c])) for c in ("rnn", "gru", "lstm")))
    ax_g.set_ylim(10.0 ** max(lo, -300), 10.0)
    ax_g.set_xlim(0, FLOW_T - 1)
    ax_g.legend(loc="lower left", fontsize=8.5)
    plotting.label(
        ax_g,
        "lag $k$ (steps back from the last input $x_T$)",
        r"$\|\partial L / \partial x_{T-k}\|$",
        "gradient reaching the input",
    )
    plotting.describe(fig, _update_gate_lead(update_bias, d, ref))
    return fig


def _update_gate_lead(update_bias, d, ref):
    """The description of :func:`plot_update_gate`'s figure, in numbers."""
    f, f10, last = plotting.fmt, plotting.fmt_log10, int(d["lag"][-1])
    return (
        f"Two panels for an update-gate bias b_z = {f(update_bias)}, so z = {f(d['z'])}. Left: "
        f"the part of a GRU state left after k steps with nothing new written, z^k, falls to "
        f"{f(d['memory'][-1])} at k = {f(d['k'][-1])}; half-life {f(d['half_life'])} steps. "
        f"Right, log scale: the gradient reaching the input k steps back, at lag {last}: tanh "
        f"RNN {f10(d['rnn'][-1])}, GRU {f10(d['gru'][-1])}, LSTM with forget bias "
        f"{f(update_bias)} {f10(d['lstm'][-1])}; z^{last} = {f(ref[-1])}"
    )


def _half_life_label(half):
    return f"half-life {half:.1f} steps" if half <= MEMORY_K else f"half-life {half:.0f} steps"


def _write_label(z):
    return f"a write adds $(1 - z)\\,n$ = {1 - z:.3f} $n$"


def update_update_gate(fig, update_bias=1.0, seed=0):
    """Move a figure of :func:`plot_update_gate` to the bias ``update_bias``, in place.

    The widget's update (:func:`rnnlib.widgets.gru.update_gate_explorer`): the curves,
    the legends' numbers and the half-life line change; the RNN's curve stays.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn by :func:`plot_update_gate` with the same ``seed``.
    update_bias : float
    seed : int

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, or None when an axis or a legend changed its layout
        (then the whole figure must be drawn again).
    """
    ax_m, ax_g = fig.axes[:2]
    d = update_gate_curves(update_bias, seed)
    z, half = d["z"], d["half_life"]
    shown = half <= MEMORY_K
    redraw = False
    memory = ax_m.lines[0]
    memory.set_ydata(d["memory"])
    (half_line,) = [line for line in ax_m.lines if line.get_gid() == "half-life"]
    (write,) = [line for line in ax_m.lines if line.get_gid() == "write"]
    legend = ax_m.get_legend()
    if shown and half_line.get_linestyle() == "None":  # drawn without the line: add it
        half_line.remove()
        half_line = ax_m.axvline(0, color=plotting.COLORS["bound"], lw=1.0, ls="--")
        half_line.set_gid("half-life")
        write.remove()
        ax_m.add_line(write)  # after the half-life line, as plot_update_gate has them
        legend = ax_m.legend(handles=[memory, half_line, write], loc="center right", fontsize=8.5)
        redraw = True
    if half_line.get_linestyle() != "None":
        # off the axis: no points, as the figure drawn at this bias has
        half_line.set_data(([half, half], [0, 1]) if shown else ([], []))
        half_line.set_visible(shown)
        legend.legend_handles[1].set_visible(shown)
    labels = (rf"$z^k = {z:.3f}^k$", _half_life_label(half), _write_label(z))
    entries = (memory, half_line, write)
    for line, text, label in zip(entries, legend.get_texts(), labels, strict=True):
        line.set_label(label)  # what the figure's description reads
        text.set_text(label)
    ax_m.set_title(f"memory with $z = \\sigma({update_bias:g})$")
    lines = ax_g.lines
    for line, cell in zip(lines[1:3], ("gru", "lstm"), strict=True):
        line.set_ydata(10.0 ** np.maximum(d[cell], -300))
    with np.errstate(under="ignore"):
        ref = z ** d["lag"].astype(float)
    lines[3].set_ydata(np.maximum(ref, 1e-300))
    g_texts = ax_g.get_legend().get_texts()
    for k, label in ((1, rf"GRU, $b_z = {update_bias:g}$"), (2, rf"LSTM, $b_f = {update_bias:g}$")):
        lines[k].set_label(label)
        g_texts[k].set_text(label)
    lo = min(-20.0, *(float(np.min(d[c])) for c in ("rnn", "gru", "lstm")))
    ylim = (10.0 ** max(lo, -300), 10.0)
    if not np.allclose(ax_g.get_ylim(), ylim, rtol=1e-9, atol=0):
        ax_g.set_ylim(*ylim)
        redraw = True
    plotting.describe(fig, _update_gate_lead(update_bias, d, ref))
    if redraw:
        return None
    # in the order a full draw takes them: the spines and legends lie on top of the lines
    return [
        *ax_m.lines,
        *ax_m.spines.values(),
        legend,
        ax_m.title,
        *lines,
        *ax_g.spines.values(),
        ax_g.get_legend(),
    ]


_CELL_NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}


def plot_success_by_cell(lags, success, threshold=0.5, chance=None, labels=None, ax=None):
    """Which cell learns which lag? Success rate against the lag, one line per cell.

    Dots are single runs (seeds), lines join the means over runs.

    Parameters
    ----------
    lags : sequence of int, length L
    success : dict
        ``{cell: array (L, S)}`` for cells among "rnn", "gru", "lstm": success rates
        in [0, 1], one column per run.
    threshold : float
        The mean success rate that counts as "learned" (dashed line).
    chance : float, optional
        The success rate of always predicting 0.5 (dotted line).
    labels : dict, optional
        ``{cell: str}`` legend text replacing the cell's name.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax, figsize=(6.4, 3.9))
    lags = np.asarray(lags, dtype=float)
    cells = list(success)
    shifts = np.linspace(0.94, 1.06, len(cells)) if len(cells) > 1 else [1.0]
    for cell, shift in zip(cells, shifts, strict=True):
        v = 100 * np.asarray(success[cell], dtype=np.float64).reshape(len(lags), -1)
        color = plotting.COLORS[cell]
        ax.plot(
            np.repeat(lags * shift, v.shape[1]),
            v.ravel(),
            "o",
            ms=4.5,
            alpha=0.45,
            color=color,
            mec="none",
        )
        name = (labels or {}).get(cell, _CELL_NAMES.get(cell, cell))
        ax.plot(
            lags * shift,
            v.mean(axis=1),
            "-",
            marker="D",
            ms=5,
            color=color,
            label=f"{name} (mean of {v.shape[1]} runs)",
        )
    ax.axhline(100 * threshold, ls="--", lw=1.2, color=plotting.COLORS["bound"])
    ax.text(
        lags.min() / 1.2, 100 * threshold + 2, "learned", fontsize=9, color=plotting.COLORS["bound"]
    )
    if chance is not None:
        ax.axhline(100 * chance, ls=":", lw=1.2, color=plotting.COLORS["bound"])
        ax.text(
            lags.min() / 1.2,
            100 * chance + 2,
            "always 0.5",
            fontsize=9,
            color=plotting.COLORS["bound"],
        )
    ax.set_xscale("log", base=2)
    ax.set_xticks(lags, [str(int(v)) for v in lags])
    ax.minorticks_off()
    ax.set_xlim(lags.min() / 1.3, lags.max() * 1.3)
    ax.set_ylim(0, 104)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncols=len(cells), fontsize=9)
    plotting.label(
        ax,
        "lag $T$ (steps)",
        r"solved, % ($|\hat y - y| < 0.04$)",
        "Success rate on test sequences, best learning rate per cell",
    )
    f = plotting.fmt
    parts = []
    for cell in cells:
        v = 100 * np.asarray(success[cell], dtype=np.float64).reshape(len(lags), -1)
        name = (labels or {}).get(cell, _CELL_NAMES.get(cell, cell))
        means = ", ".join(
            f"T = {int(lag)}: {f(m)}%" for lag, m in zip(lags, v.mean(axis=1), strict=True)
        )
        parts.append(f"{name} (mean of {v.shape[1]} runs) {means}")
    lead = (
        "Line plot of the share of test sequences solved against the lag T (log-2 scale), dots "
        f"for single runs, learned from {f(100 * threshold)}%: " + "; ".join(parts)
    )
    if chance is not None:
        lead += f". Always answering 0.5 solves {f(100 * chance)}%"
    plotting.describe(fig, lead)
    return fig


def plot_learning_rate_sweep(lags, lrs, rates, threshold=0.5, axes=None):
    """How much did the learning rate matter? One panel per cell, one line per learning rate.

    Parameters
    ----------
    lags : sequence of int, length L
    lrs : sequence of float, length R
    rates : dict
        ``{cell: array (L, R, S)}``: success rates in [0, 1] per lag, learning rate
        and run; the lines are the means over runs.
    threshold : float
        The mean success rate that counts as "learned" (dashed line).
    axes : array of len(rates) Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    cells = list(rates)
    fig, axes = plotting.figure_axes(
        axes, 1, len(cells), figsize=(2.6 * len(cells), 3.2), sharey=True
    )
    axes = np.ravel(axes)
    lags = np.asarray(lags, dtype=float)
    styles = ["-", "--", ":", "-."]
    for ax, cell in zip(axes, cells, strict=True):
        mean = 100 * np.asarray(rates[cell], dtype=np.float64).mean(axis=2)  # (L, R)
        for j, lr in enumerate(lrs):
            ax.plot(
                lags,
                mean[:, j],
                styles[j % len(styles)],
                marker="o",
                ms=4,
                color=plotting.COLORS[cell],
                alpha=0.45 + 0.55 * (j + 1) / len(lrs),
                label=f"lr {lr:g}",
            )
        ax.axhline(100 * threshold, ls="--", lw=1.0, color=plotting.COLORS["bound"])
        ax.set_xscale("log", base=2)
        ax.set_xticks(lags, [str(int(v)) for v in lags])
        ax.minorticks_off()
        ax.set_ylim(0, 104)
        ax.legend(loc="best", fontsize=8)
        plotting.label(
            ax,
            "lag $T$ (steps)",
            "mean solved, %" if ax is axes[0] else None,
            _CELL_NAMES.get(cell, cell),
        )
    f = plotting.fmt
    parts = []
    for cell in cells:
        mean = 100 * np.asarray(rates[cell], dtype=np.float64).mean(axis=2)
        reach = plotting.sweep_reach(lags, mean, lrs, threshold)
        parts.append(f"{_CELL_NAMES.get(cell, cell)}: {reach}")
    plotting.describe(
        fig,
        f"{len(cells)} panels, one per cell: the mean share of test sequences solved against "
        f"the lag T = {int(lags[0])} to {int(lags[-1])}, one line per learning rate (learned "
        f"from {f(100 * threshold)}%). " + ". ".join(parts),
    )
    return fig
