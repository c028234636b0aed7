"""Measurements, plots and a widget for notebook 06: long-term memory, RNN vs LSTM.

The notebook trains a vanilla RNN and an LSTM of about the same size on the
adding problem (:func:`rnnlib.data.adding_problem`) at growing lags. This module
holds what the notebook needs around that training run:

- the lag rule and the scores: :func:`first_marker_window`, :func:`adding_scores`,
  :func:`adding_chance_success`, :func:`first_failing_lag`, :func:`recall_weights`;
- a look inside the trained LSTM: :func:`marker_steps`, :func:`memory_units`,
  :func:`gate_stats`;
- the figures: :func:`plot_adding_sequence` (one example of the task),
  :func:`plot_success_vs_lag` (the result), :func:`plot_lstm_gates` (the gates on
  one sequence);
- the widget :func:`adding_problem_explorer` over :func:`plot_adding_frame`, which
  steps through test sequences and shows what both trained models predict. Its
  data is computed once by :func:`adding_explorer_frames`, so that moving a
  slider only redraws.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FixedLocator, NullLocator, PercentFormatter

from rnnlib import plotting
from rnnlib._validate import check_array
from rnnlib.data import ADDING_TOL, adding_baseline_mse

from ._core import interactive_plot

__all__ = [
    "FAIL_THRESHOLD",
    "adding_chance_success",
    "adding_explorer_frames",
    "adding_problem_explorer",
    "adding_scores",
    "first_failing_lag",
    "first_marker_window",
    "gate_stats",
    "marker_steps",
    "memory_units",
    "plot_adding_frame",
    "plot_adding_sequence",
    "plot_lstm_gates",
    "plot_success_vs_lag",
    "recall_weights",
]

#: A model "has learned" a lag when its mean success rate there is at least this.
FAIL_THRESHOLD = 0.5

_MODEL_NAMES = {"rnn": "RNN", "lstm": "LSTM"}


# ------------------------------------------------------------------ the task and the scores


def first_marker_window(T):
    """How many of the first steps may hold the first marker: ``k = max(1, T // 10)``.

    Pass it as ``first_within`` to :func:`rnnlib.data.adding_problem`. The first
    marker then lies in the first tenth of the sequence, so its value has to be
    kept for at least ``T - k >= 0.9 T`` steps: the lag grows with ``T``. (With the
    default placement, the first half, the shortest lag would be only ``T / 2``.)

    Parameters
    ----------
    T : int
        Sequence length, >= 2.

    Returns
    -------
    int
    """
    if int(T) != T or T < 2:
        raise ValueError(f"T must be an int >= 2, got {T!r}")
    return max(1, int(T) // 10)


def adding_scores(pred, y, tol=ADDING_TOL):
    """Success rate and relative MSE of predictions for the adding problem.

    ``success = mean(|pred - y| < tol)``, ``mse_ratio = mean((pred - y)**2) / (1/24)``:
    1 is what always predicting 0.5 gets, 0 is perfect.

    Parameters
    ----------
    pred, y : numpy.ndarray, shape (N, 1)
    tol : float

    Returns
    -------
    (float, float)
        ``(success, mse_ratio)``.
    """
    check_array("pred", pred, "N, 1", (None, 1))
    check_array("y", y, "N, 1", pred.shape)
    err = np.asarray(pred, dtype=np.float64) - y
    return float(np.mean(np.abs(err) < tol)), float(np.mean(err**2) / adding_baseline_mse())


def adding_chance_success(tol=ADDING_TOL):
    """Success rate of always predicting 0.5: ``P(|X1 + X2| < a) = a - a**2 / 4``, ``a = 4 tol``.

    ``S = X1 + X2`` of two independent ``Uniform[-1, 1]`` has the triangular
    density ``(2 - |s|) / 4`` on ``[-2, 2]``; integrating it over ``[-a, a]`` gives
    ``a - a**2 / 4`` (for ``a <= 2``). With ``tol = 0.04``: ``0.16 - 0.0064 = 0.1536``.

    Returns
    -------
    float
    """
    a = 4 * tol
    if not 0 <= a <= 2:
        raise ValueError(f"tol must be in [0, 0.5], got {tol}")
    return a - a**2 / 4


def first_failing_lag(lags, success, threshold=FAIL_THRESHOLD):
    """The smallest lag whose mean success rate (over runs) is below ``threshold``.

    Parameters
    ----------
    lags : sequence of int, length L, increasing
    success : array-like, shape (L,) or (L, S)
        Success rates in [0, 1], one column per run (seed).
    threshold : float

    Returns
    -------
    int or None
        None if the mean reaches the threshold at every lag.
    """
    mean = np.asarray(success, dtype=np.float64).reshape(len(lags), -1).mean(axis=1)
    failing = [lag for lag, m in zip(lags, mean, strict=True) if m < threshold]
    return min(failing) if failing else None


def marker_steps(x):
    """The steps of the first and the second marker of each sequence.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
        Channel 1 holds the markers (exactly two per sequence).

    Returns
    -------
    first, second : numpy.ndarray of int, shape (N,)
    """
    check_array("x", x, "N, T, 2", (None, None, 2))
    marked = x[:, :, 1] > 0.5  # (N, T)
    if not np.all(marked.sum(axis=1) == 2):
        raise ValueError("every sequence must have exactly two markers in x[:, :, 1]")
    T = x.shape[1]
    return marked.argmax(axis=1), T - 1 - marked[:, ::-1].argmax(axis=1)


def recall_weights(x, pred):
    """How much of each marked value reaches the prediction: fit ``pred ~ a + w1 X1 + w2 X2``.

    Least squares over the ``N`` sequences. The exact answer has ``w1 = w2 = 1/4``;
    a model that has lost the first value has ``w1`` near 0.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
    pred : numpy.ndarray, shape (N, 1)

    Returns
    -------
    (float, float)
        ``(w1, w2)``.
    """
    first, second = marker_steps(x)
    rows = np.arange(len(x))
    X = np.stack([np.ones(len(x)), x[rows, first, 0], x[rows, second, 0]], axis=1)  # (N, 3)
    coef, *_ = np.linalg.lstsq(X.astype(np.float64), np.ravel(pred).astype(np.float64),
                               rcond=None)
    return float(coef[1]), float(coef[2])


# ---------------------------------------------------------------- inside the trained LSTM


def memory_units(x, cache, n_units=2):
    """The LSTM units whose cell state holds the first marked value ``X1``.

    For each unit, the correlation (over the ``N`` sequences) between its cell
    state just before the second marker, ``c_{t2 - 1}``, and ``X1``. A unit that
    stores ``X1`` has a correlation near +1 or -1 (the sign is the network's choice).

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
    cache : rnnlib.sequence.LSTMCache
        From ``lstm_forward`` on ``x`` (``model.forward(x)[1].seq``); ``c`` is (N, T, H).
    n_units : int

    Returns
    -------
    units : numpy.ndarray of int, shape (n_units,)
        Sorted by decreasing ``|correlation|``.
    corr : numpy.ndarray, shape (H,)
        The correlation of every unit.
    """
    first, second = marker_steps(x)
    rows = np.arange(len(x))
    x1 = x[rows, first, 0].astype(np.float64)
    c = cache.c[rows, second - 1].astype(np.float64)  # (N, H), just before the 2nd marker
    c0, x0 = c - c.mean(axis=0), x1 - x1.mean()
    denom = np.sqrt((c0**2).sum(axis=0) * (x0**2).sum())
    corr = (c0 * x0[:, None]).sum(axis=0) / np.maximum(denom, 1e-300)
    return np.argsort(-np.abs(corr), kind="stable")[:n_units], corr


def gate_stats(x, cache, units=None):
    """Mean gate values where the adding problem needs them.

    - ``i_markers`` / ``i_elsewhere``: the input gate at the two marked steps, and at
      all other steps (does it open to write the marked values?);
    - ``f_hold``: the forget gate on the steps after the first marker, except the
      second marker (does it keep the stored value?);
    - ``f_product``: the product of all forget gates after the first marker (the
      second marker's included), averaged over sequences: the fraction of what was
      written at the first marker that is still in the cell at the end.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
    cache : rnnlib.sequence.LSTMCache
    units : sequence of int, optional
        The units to average over; all units if None.

    Returns
    -------
    dict of float
    """
    first, second = marker_steps(x)
    N, T = x.shape[:2]
    units = slice(None) if units is None else np.asarray(units)
    i, f = cache.i[:, :, units], cache.f[:, :, units]  # (N, T, U)
    marked = x[:, :, 1] > 0.5  # (N, T)
    t = np.arange(T)
    after = t > first[:, None]  # (N, T)
    hold = after & ~marked  # after the first marker, not at the second
    log_f = np.where(after[:, :, None], np.log(f.astype(np.float64)), 0.0)
    return {
        "i_markers": float(i[marked].mean()),
        "i_elsewhere": float(i[~marked].mean()),
        "f_hold": float(f[hold].mean()),
        "f_product": float(np.exp(log_f.sum(axis=1)).mean()),
    }


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
        ax.axvspan(s - 0.5, s + 0.5, color=plotting.COLORS["bound"], alpha=0.25, lw=0,
                   label="marker $= 1$" if k == 0 else None)
    ax.vlines(t, 0, v, color=plotting.COLORS["data"], lw=2 if T <= 40 else 1.2)
    ax.plot(t, v, "o", ms=3 if T <= 40 else 1.5, color=plotting.COLORS["data"],
            label="value (marker $= 0$)")
    ax.vlines(marked, 0, v[marked], color=plotting.COLORS["target"], lw=2.5)
    ax.plot(marked, v[marked], "o", ms=6, color=plotting.COLORS["target"],
            label="marked values $X_1, X_2$")
    for k, s in enumerate(marked):
        left = s > 0.8 * T  # near the right edge: write the label to the left of the dot
        ax.annotate(f"$X_{k + 1} = {v[s]:.2f}$", (s, v[s]), xytext=(-4 if left else 4,
                    6 if v[s] >= 0 else -14), textcoords="offset points", fontsize=9,
                    ha="right" if left else "left")
    ax.axhline(0, color=plotting.COLORS["bound"], lw=0.8)
    ax.set_xlim(-0.8, T - 0.2)
    ax.set_ylim(-1.25, 1.25)
    if title is None:
        x1, x2 = v[marked]
        sign = "+" if x2 >= 0 else "-"
        title = (f"$y = 0.5 + (X_1 + X_2)/4 = 0.5 + ({x1:.2f} {sign} {abs(x2):.2f})/4"
                 f" = {float(y[n, 0]):.3f}$")
    plotting.label(ax, "time step $t$", "value", title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5)
    return fig


def _lag_axis(ax, lags):
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_locator(FixedLocator(list(lags)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([str(lag) for lag in lags])
    ax.set_xlim(min(lags) / 1.3, max(lags) * 1.3)


def plot_success_vs_lag(lags, success, mse, threshold=FAIL_THRESHOLD, axes=None):
    """Success rate and relative MSE against the lag, for every run of both models.

    Dots are single runs (seeds), lines join the means over runs.

    Parameters
    ----------
    lags : sequence of int, length L
    success, mse : dict
        ``{"rnn": array (L, S), "lstm": array (L, S)}``: success rates in [0, 1]
        and MSE divided by the baseline 1/24.
    threshold : float
        The success rate that counts as "learned" (drawn as a dashed line).
    axes : two Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(axes, 1, 2, figsize=(7.2, 3.7))
    ax_s, ax_m = np.ravel(axes)
    lags = list(lags)
    shift = {"rnn": 0.95, "lstm": 1.05}  # nudge the two models apart on the log axis
    for name in ("rnn", "lstm"):
        color, label = plotting.COLORS[name], _MODEL_NAMES[name]
        for ax, values, scale in ((ax_s, success, 100.0), (ax_m, mse, 1.0)):
            v = np.asarray(values[name], dtype=np.float64).reshape(len(lags), -1) * scale
            xs = np.repeat(np.asarray(lags, dtype=float) * shift[name], v.shape[1])
            ax.plot(xs, v.ravel(), "o", ms=4.5, alpha=0.45, color=color, mec="none")
            ax.plot(np.asarray(lags) * shift[name], v.mean(axis=1), "-", color=color,
                    marker="D", ms=5, label=f"{label} (mean of {v.shape[1]} runs)")
    ax_s.axhline(100 * threshold, ls="--", lw=1.2, color=plotting.COLORS["bound"])
    ax_s.text(min(lags) / 1.25, 100 * threshold + 2, "learned", fontsize=9,
              color=plotting.COLORS["bound"])
    chance = 100 * adding_chance_success()
    ax_s.axhline(chance, ls=":", lw=1.2, color=plotting.COLORS["bound"])
    ax_s.text(min(lags) / 1.25, chance + 2, "always 0.5", fontsize=9,
              color=plotting.COLORS["bound"])
    ax_s.set_ylim(0, 104)
    ax_s.yaxis.set_major_formatter(PercentFormatter())
    plotting.label(ax_s, "lag $T$ (steps)", "solved ($|\\hat y - y| < 0.04$)",
                   "Success rate on test sequences")
    ax_m.set_yscale("log")
    for level, text in ((1.0, "always 0.5"), (0.5, "only $X_2$ kept")):
        ax_m.axhline(level, ls="--" if level == 0.5 else ":", lw=1.2,
                     color=plotting.COLORS["bound"])
        ax_m.text(min(lags) / 1.25, level * 1.12, text, fontsize=9,
                  color=plotting.COLORS["bound"])
    plotting.label(ax_m, "lag $T$ (steps)", "test MSE / (1/24)", "Error relative to the baseline")
    for ax in (ax_s, ax_m):
        _lag_axis(ax, lags)
    top = max(2.0, 1.5 * max(float(np.max(mse[k])) for k in mse))
    ax_m.set_ylim(None, top)
    handles, labels = ax_s.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=2, fontsize=9.5)
    return fig


def plot_lstm_gates(x, cache, n=0, units=None, axes=None):
    """A trained LSTM on one sequence: the input, the gates ``i, f, o`` and the cell state.

    The chosen units (the ones that store ``X1``, from :func:`memory_units`) are
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
    fig, axes = plotting.figure_axes(axes, 5, 1, sharex=True, figsize=(7.0, 8.4),
                                     height_ratios=(1.2, 1, 1, 1, 1.2))
    axes = np.ravel(axes)
    units = [] if units is None else [int(u) for u in units][:2]
    plot_adding_sequence(x, np.zeros((len(x), 1)), n=n, ax=axes[0],
                         title=f"What a trained LSTM does on one sequence (T = {x.shape[1]})")
    axes[0].set_xlabel("")
    t = np.arange(x.shape[1])
    marked = np.flatnonzero(x[n, :, 1] > 0.5)
    styles = ("-", "--")
    rows = (("i", "input gate $i_t$"), ("f", "forget gate $f_t$"), ("o", "output gate $o_t$"),
            ("c", "cell state $c_t$"))
    for ax, (key, ylabel) in zip(axes[1:], rows, strict=True):
        values = getattr(cache, key)[n]  # (T, H)
        others = np.delete(values, units, axis=1)
        ax.plot(t, others, lw=0.7, color=plotting.COLORS["bound"], alpha=0.35)
        if key != "c":
            ax.plot(t, values.mean(axis=1), ":", lw=1.6, color="black", label="mean of all units")
        for u, ls in zip(units, styles, strict=False):
            ax.plot(t, values[:, u], ls, lw=2.2, color=plotting.GATE_COLORS[key],
                    label=f"unit {u}")
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
    return fig


# ------------------------------------------------------------------------------ widget


def adding_explorer_frames(test_sets, models, n_examples=40):
    """Precompute what the explorer shows: inputs, targets, predictions, the memory cell.

    Parameters
    ----------
    test_sets : dict
        ``{T: (x, y)}`` with ``x`` (N, T, 2) and ``y`` (N, 1).
    models : dict
        ``{T: {"rnn": SequenceModel, "lstm": SequenceModel}}``, trained at lag ``T``.
    n_examples : int
        How many test sequences per lag to keep (the first ones).

    Returns
    -------
    dict
        ``{T: {"x", "y", "pred": {"rnn", "lstm"}, "c", "unit"}}``: ``pred`` arrays are
        (n, 1); ``c`` (n, T) is the cell state of the LSTM unit that stores ``X1``
        (found with :func:`memory_units` on the whole test set), ``unit`` its index.
    """
    frames = {}
    for T in sorted(models):
        x, y = test_sets[T]
        out, cache = models[T]["lstm"].forward(x)
        units, _ = memory_units(x, cache.seq, n_units=1)
        keep = slice(0, n_examples)
        frames[T] = {
            "x": x[keep], "y": y[keep],
            "pred": {"rnn": models[T]["rnn"].predict(x[keep]), "lstm": out[keep]},
            "c": cache.seq.c[keep, :, units[0]], "unit": int(units[0]),
        }
    return frames


def plot_adding_frame(frames, lag, example=0, axes=None):
    """One test sequence at one lag, and what the trained RNN and LSTM predict for it.

    Three rows: the sequence; the cell state of the LSTM unit that stores ``X1``;
    the target with its +-0.04 band and both predictions.

    Parameters
    ----------
    frames : dict
        From :func:`adding_explorer_frames`.
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
    fig, axes = plotting.figure_axes(axes, 3, 1, figsize=(7.0, 5.8),
                                     height_ratios=(1.3, 1, 0.9))
    ax_x, ax_c, ax_p = np.ravel(axes)
    plot_adding_sequence(fr["x"], fr["y"], n=example, ax=ax_x)
    T = fr["x"].shape[1]
    t = np.arange(T)
    marked = np.flatnonzero(fr["x"][example, :, 1] > 0.5)
    c = fr["c"][example]
    ax_c.plot(t, c, color=plotting.GATE_COLORS["c"], lw=2)
    for s in marked:
        ax_c.axvline(s, ls="--", lw=1, color=plotting.COLORS["target"])
    ax_c.set_xlim(ax_x.get_xlim())
    top = 1.1 * max(float(np.max(np.abs(fr["c"]))), 0.1)
    ax_c.set_ylim(-top, top)
    plotting.label(ax_c, "time step $t$", "$c_t$",
                   f"LSTM: cell state of unit {fr['unit']}, the unit that stores $X_1$")

    y = float(fr["y"][example, 0])
    ax_p.axvspan(y - ADDING_TOL, y + ADDING_TOL, color=plotting.COLORS["pass"], alpha=0.25,
                 lw=0, label="solved band $y \\pm 0.04$")
    ax_p.axvline(y, color=plotting.COLORS["target"], lw=2, label=f"target $y = {y:.3f}$")
    for row, name in enumerate(("lstm", "rnn")):
        p = float(fr["pred"][name][example, 0])
        verdict = "solved" if abs(p - y) < ADDING_TOL else "missed"
        ax_p.plot([p], [row], "o", ms=10, color=plotting.COLORS[name])
        # the label goes beside the dot and the band, on the side with room for it
        right = max(p, y + ADDING_TOL) < 0.7
        at = max(p, y + ADDING_TOL) if right else min(p, y - ADDING_TOL)
        ax_p.annotate(f"{p:.3f} ({verdict})", (at, row), xytext=(9 if right else -9, -4),
                      textcoords="offset points", fontsize=9, ha="left" if right else "right")
    ax_p.set_yticks([0, 1], [_MODEL_NAMES["lstm"], _MODEL_NAMES["rnn"]])
    ax_p.set_ylim(-0.7, 1.7)
    ax_p.set_xlim(-0.05, 1.05)
    ax_p.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5)
    plotting.label(ax_p, "prediction $\\hat y$", None, f"Predictions of the models trained at "
                   f"lag {lag}")
    return fig


def adding_problem_explorer(frames, example=0):
    """Step through test sequences: the trained RNN's and LSTM's predictions, and the memory.

    Parameters
    ----------
    frames : dict
        From :func:`adding_explorer_frames` (computed once; a slider move only redraws).
    example : int
        The test sequence shown first.

    Returns
    -------
    ipywidgets.interactive
        Controls ``example`` (the test sequence) and ``lag`` (a selection slider over
        the trained lags, the largest selected first), then the output.
    """
    import ipywidgets as W

    lags = sorted(frames)
    n = len(frames[lags[0]]["y"])
    style = {"description_width": "initial"}
    return interactive_plot(
        plot_adding_frame,
        frames=W.fixed(frames),
        example=W.IntSlider(value=int(example), min=0, max=n - 1, description="test sequence",
                            continuous_update=False, style=style,
                            layout=W.Layout(width="420px")),
        lag=W.SelectionSlider(options=lags, value=lags[-1], description="lag T",
                              continuous_update=False, style=style),
        axes=W.fixed(None),
    )
