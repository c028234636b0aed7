"""Notebook 06's figures: long-term memory, RNN vs LSTM, on the adding problem.

What the runs mean is computed in :mod:`rnnlib.memory` (and the scores in
:mod:`rnnlib.data`); this module draws it:

- :func:`plot_adding_sequence`: one example of the task;
- :func:`plot_success_vs_lag`: the result, at each model's best learning rate;
- :func:`plot_success_by_learning_rate`: the same at every learning rate of the sweep;
- :func:`plot_lstm_gates`: a trained LSTM's gates on one sequence;
- :func:`plot_adding_frame`: what both trained models predict on one test sequence
  (the figure of :func:`rnnlib.widgets.memory.adding_problem_explorer`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FixedLocator, NullLocator, PercentFormatter

from rnnlib import plotting
from rnnlib.data import ADDING_TOL, adding_baseline_success
from rnnlib.memory import LEARNED_THRESHOLD

__all__ = [
    "plot_adding_frame",
    "plot_adding_sequence",
    "plot_lstm_gates",
    "plot_success_by_learning_rate",
    "plot_success_vs_lag",
    "update_adding_frame",
]


_MODEL_NAMES = {"rnn": "RNN", "lstm": "LSTM"}


# ----------------------------------------------------------------------------- figures


def plot_adding_sequence(x, y, n=0, ax=None, title=None):
    """One sequence of the adding problem: the values, the two marked ones, the target.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
    y : numpy.ndarray, shape (N, 1)
    n : int
        Which sequence.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
        Default: the target computed from the two marked values.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax)
    v, m = x[n, :, 0], x[n, :, 1]
    T = len(v)
    t = np.arange(T)
    marked = np.flatnonzero(m > 0.5)
    for k, s in enumerate(marked):
        ax.axvspan(
            s - 0.5,
            s + 0.5,
            color=plotting.COLORS["bound"],
            alpha=0.25,
            lw=0,
            label="marker $= 1$" if k == 0 else None,
        )
    ax.vlines(t, 0, v, color=plotting.COLORS["data"], lw=2 if T <= 40 else 1.2)
    ax.plot(
        t,
        v,
        "o",
        ms=3 if T <= 40 else 1.5,
        color=plotting.COLORS["data"],
        label="value (marker $= 0$)",
    )
    ax.vlines(marked, 0, v[marked], color=plotting.COLORS["target"], lw=2.5)
    ax.plot(
        marked,
        v[marked],
        "o",
        ms=6,
        color=plotting.COLORS["target"],
        label="marked values $X_1, X_2$",
    )
    for k, s in enumerate(marked):
        text, offset, ha = _marked_label(k, s, v[s], T)
        ax.annotate(text, (s, v[s]), xytext=offset, textcoords="offset points", fontsize=9, ha=ha)
    ax.axhline(0, color=plotting.COLORS["bound"], lw=0.8)
    ax.set_xlim(-0.8, T - 0.2)
    ax.set_ylim(-1.25, 1.25)
    if title is None:
        title = _sequence_title(v, marked, float(y[n, 0]))
    plotting.label(ax, "time step $t$", "value", title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5)
    plotting.describe(fig, _sequence_lead(v, marked, float(y[n, 0])))
    return fig


def _marked_label(k, s, value, T):
    """The label of the marked value ``X_{k+1}`` at step ``s``: text, offset (points), ``ha``."""
    left = s > 0.8 * T  # near the right edge: write the label to the left of the dot
    offset = (-4 if left else 4, 6 if value >= 0 else -14)
    return f"$X_{k + 1} = {value:.2f}$", offset, "right" if left else "left"


def _sequence_title(v, marked, y):
    """The title of :func:`plot_adding_sequence`: the target computed from the marked values."""
    x1, x2 = v[marked]
    sign = "+" if x2 >= 0 else "-"
    return f"$y = 0.5 + (X_1 + X_2)/4 = 0.5 + ({x1:.2f} {sign} {abs(x2):.2f})/4 = {y:.3f}$"


def _sequence_lead(v, marked, y):
    """Describe one adding-problem sequence in numbers: its marked values and target."""
    f = plotting.fmt
    held = ", ".join(f"X_{k + 1} = {f(v[s])} at t = {s}" for k, s in enumerate(marked))
    return (
        f"Stem plot of one adding-problem sequence of {len(v)} steps, values from "
        f"{f(np.min(v))} to {f(np.max(v))}; the marked values are {held}; target "
        f"y = 0.5 + (X_1 + X_2)/4 = {f(y)}"
    )


def _lag_axis(ax, lags):
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_locator(FixedLocator(list(lags)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([str(lag) for lag in lags])
    ax.set_xlim(min(lags) / 1.3, max(lags) * 1.3)


def _learned_and_chance_lines(ax, lags, threshold):
    ax.axhline(100 * threshold, ls="--", lw=1.2, color=plotting.COLORS["bound"])
    ax.text(
        min(lags) / 1.25, 100 * threshold + 2, "learned", fontsize=9, color=plotting.COLORS["bound"]
    )
    chance = 100 * adding_baseline_success()
    ax.axhline(chance, ls=":", lw=1.2, color=plotting.COLORS["bound"])
    ax.text(min(lags) / 1.25, chance + 2, "always 0.5", fontsize=9, color=plotting.COLORS["bound"])
    ax.set_ylim(0, 104)
    ax.yaxis.set_major_formatter(PercentFormatter())


def plot_success_vs_lag(lags, success, mse, threshold=LEARNED_THRESHOLD, best_lr=None, axes=None):
    """Success rate and relative MSE against the lag, for every run of both models.

    Dots are single runs (seeds), lines join the means over runs. In notebook 06
    the runs are those at each model's best learning rate for that lag
    (:func:`rnnlib.memory.best_learning_rate`).

    Parameters
    ----------
    lags : sequence of int, length L
    success, mse : dict
        ``{"rnn": array (L, S), "lstm": array (L, S)}``: success rates in [0, 1]
        and MSE divided by the baseline 1/24.
    threshold : float
        The success rate that counts as "learned" (drawn as a dashed line).
    best_lr : dict, optional
        ``{"rnn": (L,), "lstm": (L,)}``: the learning rate of each mean, written
        next to it.
    axes : two Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(axes, 1, 2, figsize=(7.2, 3.9))
    ax_s, ax_m = np.ravel(axes)
    lags = list(lags)
    shift = {"rnn": 0.95, "lstm": 1.05}  # nudge the two models apart on the log axis
    for name in ("rnn", "lstm"):
        color, label = plotting.COLORS[name], _MODEL_NAMES[name]
        for ax, values, scale in ((ax_s, success, 100.0), (ax_m, mse, 1.0)):
            v = np.asarray(values[name], dtype=np.float64).reshape(len(lags), -1) * scale
            xs = np.repeat(np.asarray(lags, dtype=float) * shift[name], v.shape[1])
            ax.plot(xs, v.ravel(), "o", ms=4.5, alpha=0.45, color=color, mec="none")
            ax.plot(
                np.asarray(lags) * shift[name],
                v.mean(axis=1),
                "-",
                color=color,
                marker="D",
                ms=5,
                label=f"{label} (mean of {v.shape[1]} runs)",
            )
            if best_lr is not None and ax is ax_s:
                for lag, m, lr in zip(lags, v.mean(axis=1), best_lr[name], strict=True):
                    below = name == "rnn"
                    ax.annotate(
                        f"{lr:g}",
                        (lag * shift[name], m),
                        fontsize=7.5,
                        color=color,
                        xytext=(-3 if below else 3, -11 if below else 5),
                        textcoords="offset points",
                        ha="right" if below else "left",
                    )
    _learned_and_chance_lines(ax_s, lags, threshold)
    title = "Success rate on test sequences"
    plotting.label(
        ax_s,
        "lag $T$ (steps)",
        "solved ($|\\hat y - y| < 0.04$)",
        title if best_lr is None else title + "\n(numbers: learning rate)",
    )
    ax_m.set_yscale("log")
    for level, text in ((1.0, "always 0.5"), (0.5, "only $X_2$ kept")):
        ax_m.axhline(
            level, ls="--" if level == 0.5 else ":", lw=1.2, color=plotting.COLORS["bound"]
        )
        ax_m.text(min(lags) / 1.25, level * 1.12, text, fontsize=9, color=plotting.COLORS["bound"])
    plotting.label(ax_m, "lag $T$ (steps)", "test MSE / (1/24)", "Error relative to the baseline")
    for ax in (ax_s, ax_m):
        _lag_axis(ax, lags)
    top = max(2.0, 1.5 * max(float(np.max(mse[k])) for k in mse))
    ax_m.set_ylim(None, top)
    handles, labels = ax_s.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=2, fontsize=9.5)
    f = plotting.fmt

    def means(values, name, scale, unit):
        v = np.asarray(values[name], dtype=np.float64).reshape(len(lags), -1).mean(axis=1)
        return ", ".join(f"T = {lag}: {f(scale * m)}{unit}" for lag, m in zip(lags, v, strict=True))

    runs = np.asarray(success["rnn"]).reshape(len(lags), -1).shape[1]
    plotting.describe(
        fig,
        f"Two panels against the lag T (log scale), dots for single runs, lines for the mean of "
        f"{runs} runs. Left: the share of test sequences solved (learned from "
        f"{f(100 * threshold)}%, always answering 0.5 solves {f(100 * adding_baseline_success())}%)"
        f", RNN {means(success, 'rnn', 100, '%')}; LSTM {means(success, 'lstm', 100, '%')}. "
        f"Right, log scale: the test MSE divided by that of always answering 0.5, RNN "
        f"{means(mse, 'rnn', 1, '')}; LSTM {means(mse, 'lstm', 1, '')}",
    )
    return fig


def plot_success_by_learning_rate(lags, success, lrs, threshold=LEARNED_THRESHOLD, axes=None):
    """Mean success rate against the lag at every learning rate of the sweep, one panel per model.

    Parameters
    ----------
    lags : sequence of int, length L
    success : dict
        ``{"rnn": array (L, R, S), "lstm": array (L, R, S)}``: success rates in [0, 1]
        of ``S`` runs at each of the ``R`` learning rates.
    lrs : sequence of float, length R
    threshold : float
    axes : two Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(axes, 1, 2, figsize=(7.2, 3.5), sharey=True)
    lags, lrs = list(lags), list(lrs)
    styles = (("-", "o"), ("--", "s"), (":", "^"), ("-.", "v"))
    for ax, name in zip(np.ravel(axes), ("rnn", "lstm"), strict=True):
        v = np.asarray(success[name], dtype=np.float64)
        if v.shape[:2] != (len(lags), len(lrs)):
            raise ValueError(
                f"success[{name!r}] must be (L, R, S) = ({len(lags)}, {len(lrs)}, S), got {v.shape}"
            )
        for r, lr in enumerate(lrs):
            ls, marker = styles[r % len(styles)]
            ax.plot(
                lags,
                100 * v[:, r].mean(axis=1),
                ls=ls,
                marker=marker,
                ms=5,
                color=plotting.COLORS[name],
                alpha=0.55 + 0.45 * r / max(1, len(lrs) - 1),
                label=f"lr {lr:g}",
            )
        _learned_and_chance_lines(ax, lags, threshold)
        _lag_axis(ax, lags)
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.2), fontsize=8.5)
        plotting.label(
            ax, "lag $T$ (steps)", None, f"{_MODEL_NAMES[name]}: mean of {v.shape[2]} runs per rate"
        )
    np.ravel(axes)[0].set_ylabel("solved ($|\\hat y - y| < 0.04$)")
    f = plotting.fmt
    parts = []
    for name in ("rnn", "lstm"):
        mean = 100 * np.asarray(success[name], dtype=np.float64).mean(axis=2)  # (L, R)
        reach = plotting.sweep_reach(lags, mean, lrs, threshold)
        parts.append(f"{_MODEL_NAMES[name]}: {reach}")
    plotting.describe(
        fig,
        f"Two panels, RNN and LSTM: the mean share of test sequences solved against the lag T "
        f"= {lags[0]} to {lags[-1]}, one line per learning rate (learned from "
        f"{f(100 * threshold)}%). " + ". ".join(parts),
    )
    return fig


def plot_lstm_gates(x, cache, n=0, units=None, axes=None):
    """A trained LSTM on one sequence: the input, the gates ``i, f, o`` and the cell state.

    The chosen units (the ones that store ``X1``, from :func:`rnnlib.memory.memory_units`) are
    drawn in the gate's colour; every other unit is a thin grey line; the dotted
    black line is the mean over all units. Dashed verticals mark the two markers.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
    cache : rnnlib.sequence.LSTMCache
        From ``lstm_forward`` on ``x``.
    n : int
        Which sequence.
    units : sequence of int, optional
        At most two units to highlight (solid, then dashed); none if None.
    axes : five Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(
        axes, 5, 1, sharex=True, figsize=(7.0, 8.4), height_ratios=(1.2, 1, 1, 1, 1.2)
    )
    axes = np.ravel(axes)
    units = [] if units is None else [int(u) for u in units][:2]
    plot_adding_sequence(
        x,
        np.zeros((len(x), 1)),
        n=n,
        ax=axes[0],
        title=f"What a trained LSTM does on one sequence (T = {x.shape[1]})",
    )
    axes[0].set_xlabel("")
    t = np.arange(x.shape[1])
    marked = np.flatnonzero(x[n, :, 1] > 0.5)
    styles = ("-", "--")
    rows = (
        ("i", "input gate $i_t$"),
        ("f", "forget gate $f_t$"),
        ("o", "output gate $o_t$"),
        ("c", "cell state $c_t$"),
    )
    for ax, (key, ylabel) in zip(axes[1:], rows, strict=True):
        values = getattr(cache, key)[n]  # (T, H)
        others = np.delete(values, units, axis=1)
        ax.plot(t, others, lw=0.7, color=plotting.COLORS["bound"], alpha=0.35)
        if key != "c":
            ax.plot(t, values.mean(axis=1), ":", lw=1.6, color="black", label="mean of all units")
        for u, ls in zip(units, styles, strict=False):
            ax.plot(t, values[:, u], ls, lw=2.2, color=plotting.GATE_COLORS[key], label=f"unit {u}")
        for s in marked:
            ax.axvline(s, ls="--", lw=1, color=plotting.COLORS["target"])
        if key != "c":
            ax.set_ylim(-0.04, 1.04)
        elif units:  # the highlighted cells set the scale; the other units may leave it
            top = 1.5 * max(float(np.max(np.abs(values[:, units]))), 0.1)
            ax.set_ylim(-top, top)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5)
        plotting.label(ax, ylabel=ylabel)
    axes[-1].set_xlabel("time step $t$")
    f = plotting.fmt
    lead = (
        f"Five panels over {x.shape[1]} steps of a trained LSTM with {cache.c.shape[-1]} units "
        f"on one sequence, markers at t = {', '.join(str(s) for s in marked)}: the sequence, "
        f"then the input, forget and output gates and the cell state of every unit"
    )
    for u in units:
        i, fg, o, c = (getattr(cache, k)[n][:, u] for k in ("i", "f", "o", "c"))
        at = ", ".join(f"{f(i[s])} at t = {s}" for s in marked)
        lead += (
            f". Unit {u}: input gate {at}, between {f(i.min())} and {f(i.max())}; forget gate "
            f"from {f(fg.min())} to {f(fg.max())}; output gate from {f(o.min())} to "
            f"{f(o.max())}; cell state from {f(c.min())} to {f(c.max())}, ends at {f(c[-1])}"
        )
    plotting.describe(fig, lead)
    return fig


# ------------------------------------------------------------- the explorer's figure


def plot_adding_frame(frames, lag, example=0, axes=None):
    """One test sequence at one lag, and what the trained RNN and LSTM predict for it.

    Three rows: the sequence; the cell state of the LSTM unit that best keeps what it
    wrote at the first marker (:func:`rnnlib.memory.kept_units`);
    the target with its +-0.04 band and both predictions. :func:`update_adding_frame`
    moves a drawn figure to another example or lag in place (the widget's update).

    Parameters
    ----------
    frames : dict
        From :func:`rnnlib.memory.example_predictions`.
    lag : int
        A key of ``frames``.
    example : int
        Which of the stored test sequences.
    axes : three Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fr = frames[lag]
    fig, axes = plotting.figure_axes(axes, 3, 1, figsize=(7.0, 5.8), height_ratios=(1.3, 1, 0.9))
    ax_x, ax_c, ax_p = np.ravel(axes)
    plot_adding_sequence(fr["x"], fr["y"], n=example, ax=ax_x)
    T = fr["x"].shape[1]
    marked = np.flatnonzero(fr["x"][example, :, 1] > 0.5)
    ax_c.plot(np.arange(T), fr["c"][example], color=plotting.GATE_COLORS["c"], lw=2)
    for s in marked:
        ax_c.axvline(s, ls="--", lw=1, color=plotting.COLORS["target"])
    ax_c.set_xlim(ax_x.get_xlim())
    ax_c.set_ylim(*_cell_ylim(fr))
    plotting.label(ax_c, "time step $t$", "$c_t$", _cell_title(fr))

    y = float(fr["y"][example, 0])
    ax_p.axvspan(
        y - ADDING_TOL,
        y + ADDING_TOL,
        color=plotting.COLORS["pass"],
        alpha=0.25,
        lw=0,
        label="solved band $y \\pm 0.04$",
    )
    ax_p.axvline(y, color=plotting.COLORS["target"], lw=2, label=_target_label(y))
    for row, name in enumerate(_PREDICTION_ROWS):
        p = float(fr["pred"][name][example, 0])
        ax_p.plot([p], [row], "o", ms=10, color=plotting.COLORS[name])
        text, at, offset, ha = _prediction_label(p, y)
        ax_p.annotate(text, (at, row), xytext=offset, textcoords="offset points", fontsize=9, ha=ha)
    ax_p.set_yticks([0, 1], [_MODEL_NAMES[name] for name in _PREDICTION_ROWS])
    ax_p.set_ylim(-0.7, 1.7)
    ax_p.set_xlim(-0.05, 1.05)
    ax_p.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5)
    plotting.label(ax_p, "prediction $\\hat y$", None, _predictions_title(lag))
    plotting.describe(fig, _frame_lead(fr, lag, example))
    return fig


_PREDICTION_ROWS = ("lstm", "rnn")  # bottom row first


def _cell_ylim(fr):
    """The cell-state panel's limits: the same for every example of a lag."""
    top = 1.1 * max(float(np.max(np.abs(fr["c"]))), 0.1)
    return -top, top


def _cell_title(fr):
    return f"LSTM: cell state of unit {fr['unit']}, the unit that best keeps its first write"


def _predictions_title(lag):
    return f"Predictions of the models trained at lag {lag}"


def _target_label(y):
    return f"target $y = {y:.3f}$"


def _verdict(p, y):
    return "solved" if abs(p - y) < ADDING_TOL else "missed"


def _prediction_label(p, y):
    """The label of prediction ``p`` for target ``y``: text, point, offset (points), ``ha``."""
    # the label goes beside the dot and the band, on the side with room for it
    right = max(p, y + ADDING_TOL) < 0.7
    at = max(p, y + ADDING_TOL) if right else min(p, y - ADDING_TOL)
    return f"{p:.3f} ({_verdict(p, y)})", at, (9 if right else -9, -4), "left" if right else "right"


def _frame_lead(fr, lag, example):
    """The description of :func:`plot_adding_frame`'s figure, in numbers."""
    f = plotting.fmt
    v = fr["x"][example, :, 0]
    marked = np.flatnonzero(fr["x"][example, :, 1] > 0.5)
    y = float(fr["y"][example, 0])
    c = fr["c"][example]
    said = "; ".join(
        f"the {_MODEL_NAMES[name]} predicts {f(fr['pred'][name][example, 0])} "
        f"({_verdict(float(fr['pred'][name][example, 0]), y)})"
        for name in _PREDICTION_ROWS
    )
    return (
        f"Three panels for one test sequence at lag {lag}. "
        + _sequence_lead(v, marked, y)
        + f". The cell state of LSTM unit {fr['unit']} goes from {f(c.min())} to {f(c.max())} "
        f"and ends at {f(c[-1])}. Predictions (solved within 0.04 of {f(y)}): {said}"
    )


def _stems(t, v):
    """The segments of ``ax.vlines(t, 0, v)``: one from (t, 0) to (t, v) per step, (K, 2, 2)."""
    t = np.asarray(t, dtype=float)
    return np.stack([np.stack([t, np.zeros_like(t)], -1), np.stack([t, v], -1)], axis=1)


def _frame_axes(ax_x, ax_c, ax_p):
    """What stays while the lag does: the limits of the three panels and two titles."""
    limits = [(*ax.get_xlim(), *ax.get_ylim()) for ax in (ax_x, ax_c, ax_p)]
    return limits, ax_c.get_title(), ax_p.get_title()


def update_adding_frame(fig, frames, lag, example=0):
    """Move a figure of :func:`plot_adding_frame` to another ``example`` or ``lag``, in place.

    The widget's update (:func:`rnnlib.widgets.memory.adding_problem_explorer`): the
    sequence, the marked values, the cell state, the target, both predictions, their
    labels and the titles change; the limits stay while the lag does (every example of
    a lag shares them).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn by :func:`plot_adding_frame` from the same ``frames``.
    frames, lag, example
        As for :func:`plot_adding_frame`.

    Returns
    -------
    list of matplotlib.artist.Artist
        The artists that changed: the data, labels and legend of the three panels, and
        when the lag changed, the time axes, the cell state's axes and the titles that
        name the lag (nothing else depends on them, so the rest of the figure is kept).
    """
    fr = frames[lag]
    ax_x, ax_c, ax_p = fig.axes[:3]
    before = _frame_axes(ax_x, ax_c, ax_p)
    v = fr["x"][example, :, 0]
    T = len(v)
    t = np.arange(T)
    marked = np.flatnonzero(fr["x"][example, :, 1] > 0.5)
    y = float(fr["y"][example, 0])

    # the sequence, as plot_adding_sequence draws it (the adding problem marks two steps)
    spans = ax_x.patches[: len(marked)]
    for span, s in zip(spans, marked, strict=True):
        span.set_x(s - 0.5)
    stems, marked_stems = ax_x.collections[:2]
    stems.set_segments(_stems(t, v))
    stems.set_linewidth(2 if T <= 40 else 1.2)
    marked_stems.set_segments(_stems(marked, v[marked]))
    dots, marked_dots, zero = ax_x.lines[:3]
    dots.set_data(t, v)
    dots.set_markersize(3 if T <= 40 else 1.5)
    marked_dots.set_data(marked, v[marked])
    labels = ax_x.texts[: len(marked)]
    for k, (ann, s) in enumerate(zip(labels, marked, strict=True)):
        text, offset, ha = _marked_label(k, s, v[s], T)
        ann.set_text(text)
        ann.xy, ann.xyann = (s, v[s]), offset
        ann.set_horizontalalignment(ha)
    ax_x.set_xlim(-0.8, T - 0.2)
    ax_x.set_title(_sequence_title(v, marked, y))

    # the cell state
    c_line, *c_marks = ax_c.lines[: 1 + len(marked)]
    c_line.set_data(t, fr["c"][example])
    for line, s in zip(c_marks, marked, strict=True):
        line.set_xdata([s, s])
    ax_c.set_xlim(ax_x.get_xlim())
    ax_c.set_ylim(*_cell_ylim(fr))
    ax_c.set_title(_cell_title(fr))

    # the predictions
    band = ax_p.patches[0]
    band.set_bounds(y - ADDING_TOL, 0, (y + ADDING_TOL) - (y - ADDING_TOL), 1)  # as axvspan
    target, *points = ax_p.lines[: 1 + len(_PREDICTION_ROWS)]
    target.set_xdata([y, y])
    target.set_label(_target_label(y))  # what the figure's description reads
    legend = ax_p.get_legend()
    legend.get_texts()[1].set_text(_target_label(y))
    notes = ax_p.texts[: len(_PREDICTION_ROWS)]
    for row, (point, ann, name) in enumerate(zip(points, notes, _PREDICTION_ROWS, strict=True)):
        p = float(fr["pred"][name][example, 0])
        point.set_xdata([p])
        text, at, offset, ha = _prediction_label(p, y)
        ann.set_text(text)
        ann.xy, ann.xyann = (at, row), offset
        ann.set_horizontalalignment(ha)
    ax_p.set_title(_predictions_title(lag))
    plotting.describe(fig, _frame_lead(fr, lag, example))

    # Another lag changes the time axes, the cell state's scale and two titles: those are
    # drawn too. Nothing else of the figure depends on them, so no full draw is needed.
    lag_moved = _frame_axes(ax_x, ax_c, ax_p) != before
    axis_x, axes_c, titles = (
        ([ax_x.xaxis], [ax_c.xaxis, ax_c.yaxis], [ax_c.title, ax_p.title])
        if lag_moved
        else ([], [], [])
    )
    # in the order a full draw takes them: spans, then axes and grid, lines, labels on top
    return [
        *spans,
        *axis_x,
        stems,
        dots,
        marked_stems,
        marked_dots,
        zero,
        *labels,
        ax_x.title,
        *axes_c,
        c_line,
        *c_marks,
        band,
        target,
        *points,
        *notes,
        legend,
        *titles,
    ]
