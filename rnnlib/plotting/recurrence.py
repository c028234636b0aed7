"""Notebook 01's figures: feed-forward vs recurrent.

The central picture is one RNN cell stepping through a time series,

    a_t = x_t Wx + h_{t-1} Wh + b,    h_t = tanh(a_t),

drawn three ways at once by :func:`plot_hidden_state_step`: the input with a
marker at step t, the hidden state of every unit as a heatmap revealed up to t,
and the terms of the equation at step t as bars. The widget
:func:`rnnlib.widgets.recurrence.hidden_state_explorer` puts sliders over it. The
other plot functions draw the notebook's static figures.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from rnnlib import plotting
from rnnlib.analysis import matrix_with_spectral_radius
from rnnlib.data import noisy_sine
from rnnlib.sequence import rnn_forward

__all__ = [
    "plot_dWh_contributions",
    "plot_hidden_heatmap",
    "plot_hidden_state_step",
    "plot_param_counts",
    "plot_time_vs_length",
    "update_hidden_state_step",
]


def plot_param_counts(windows, mlp_counts, rnn_count, ax=None):
    """How many parameters does a window MLP need as its window grows, next to an RNN?

    Log axes, so that the RNN's flat line and the crossover at a short window stay
    visible next to the MLP's tens of thousands; the first window at which the MLP
    has at least as many parameters as the RNN is marked (a tie, if the counts are
    equal there).

    Parameters
    ----------
    windows : array_like of int, shape (K,)
        Window lengths ``w`` (steps the MLP sees at once), increasing.
    mlp_counts : array_like of int, shape (K,)
        Parameters of the window MLP for each ``w``
        (:func:`rnnlib.layers.window_mlp_param_count`).
    rnn_count : int
        Parameters of the RNN (:func:`rnnlib.layers.rnn_param_count`), the same for
        every sequence length.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax)
    windows, mlp_counts = np.asarray(windows), np.asarray(mlp_counts)
    ax.loglog(
        windows,
        mlp_counts,
        color=plotting.COLORS["mlp"],
        label="window MLP: sees exactly $w$ steps",
    )
    ax.loglog(
        windows,
        np.full(windows.shape, rnn_count),
        color=plotting.COLORS["rnn"],
        label="RNN: reads any length",
    )
    ticks = [
        t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if windows.min() <= t <= windows.max()
    ]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.minorticks_off()
    reached = np.flatnonzero(mlp_counts >= rnn_count)
    if reached.size:
        k = int(reached[0])
        w_meet = int(windows[k])
        tie = mlp_counts[k] == rnn_count
        text = (
            f"tie at $w = {w_meet}$; the MLP is larger from $w = {w_meet + 1}$"
            if tie
            else f"the MLP is larger from $w = {w_meet}$"
        )
        ax.plot(
            [w_meet],
            [mlp_counts[k]],
            "o",
            ms=8,
            mfc="none",
            mew=1.8,
            color=plotting.COLORS["target"],
            label=text,
        )
        ax.axvline(w_meet, color=plotting.COLORS["bound"], lw=0.8, ls=":")
    ax.legend(loc="lower right")
    plotting.label(
        ax,
        "window length $w$ (time steps seen, log scale)",
        "parameters (log scale)",
        "Parameters as the window grows",
    )
    lead = (
        f"Log-log line plot of the parameter count against the window length w from "
        f"{int(windows[0])} to {int(windows[-1])}: the window MLP grows from "
        f"{int(mlp_counts[0]):,} to {int(mlp_counts[-1]):,} parameters, the RNN has "
        f"{int(rnn_count):,} at every length"
    )
    if reached.size:
        lead += f"; the MLP has at least as many from w = {int(windows[reached[0]])}"
    plotting.describe(fig, lead)
    return fig


def _draw_input(ax, x, t):
    """The input series ``x`` (T,) with the steps up to ``t`` solid, the rest faded."""
    T = len(x)
    steps = np.arange(1, T + 1)
    color = plotting.COLORS["data"]
    ax.plot(steps, x, color=color, alpha=0.3, lw=1.5)
    ax.plot(steps[:t], x[:t], color=color, lw=2.0)
    ax.plot([t], [x[t - 1]], "o", color=plotting.COLORS["target"], ms=7, zorder=3)
    ax.set_xlim(0.5, T + 0.5)
    plotting.label(ax, None, "$x_t$")


def _draw_heatmap(ax, h, t, colorbar_axes=None):
    """Hidden states ``h`` (T, H) as an (H, T) heatmap, shown up to step ``t``.

    The colour bar spans ``colorbar_axes`` (the input panel too) so that the time
    axes of the panels stay aligned.
    """
    T, H = h.shape
    shown = np.full((H, T), np.nan)
    shown[:, :t] = h[:t].T
    im = ax.imshow(
        shown,
        aspect="auto",
        cmap=plotting.DIVERGING_CMAP,
        vmin=-1,
        vmax=1,
        interpolation="nearest",
        origin="lower",
        extent=(0.5, T + 0.5, 0.5, H + 0.5),
    )
    ax.axvline(t + 0.5, color=plotting.COLORS["target"], lw=1.2)
    ax.figure.colorbar(
        im,
        ax=colorbar_axes if colorbar_axes is not None else ax,
        label="$h_t$",
        ticks=[-1, 0, 1],
        pad=0.01,
        shrink=0.6 if colorbar_axes is not None else 1.0,
        anchor=(0.0, 0.0),
    )
    ax.set_facecolor("#F2F2F2")  # steps not read yet
    plotting.label(ax, "time step $t$", "unit $j$")
    ax.set_yticks(np.arange(1, H + 1, max(1, H // 4)))
    ax.grid(False)  # last: setting ticks after grid(False) can bring grid lines back


def plot_hidden_heatmap(x, h, t=None, axes=None):
    """How does the hidden state evolve as the RNN reads a series?

    Top: the input ``x_t``; bottom: every unit of ``h_t`` over time, shown up to
    step ``t`` (all steps by default).

    Parameters
    ----------
    x : array_like, shape (T,)
        One input series (D = 1).
    h : array_like, shape (T, H)
        The hidden states of that series, ``h[t-1]`` is ``h_t``.
    t : int, optional
        Last step shown, ``1 <= t <= T``.
    axes : sequence of two Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    x, h = np.asarray(x), np.asarray(h)
    t = len(x) if t is None else int(t)
    if axes is None:
        fig, axes = plotting.figure_axes(
            nrows=2, figsize=(7.0, 4.2), sharex=True, height_ratios=(1, 2)
        )
    fig = axes[0].figure
    _draw_input(axes[0], x, t)
    axes[0].set_title("The input (top) and the hidden state of every unit (bottom)")
    _draw_heatmap(axes[1], h, t, colorbar_axes=list(axes[:2]))
    plotting.describe(fig, _heatmap_lead(x, h, t))
    return fig


def _heatmap_lead(x, h, t):
    """Describe the input and the hidden-state heatmap up to step ``t``, in numbers."""
    f = plotting.fmt
    seen = h[:t]
    return (
        f"Top: line plot of the input x_t over {len(x)} steps, from {f(np.min(x))} to "
        f"{f(np.max(x))}, read up to step {t} (x_{t} = {f(x[t - 1])}). Bottom: heatmap of the "
        f"hidden state of {h.shape[1]} units over steps 1 to {t}, colour scale -1 to 1: values "
        f"from {f(seen.min())} to {f(seen.max())}, mean |h_t| {f(np.mean(np.abs(seen)))}"
    )


def plot_time_vs_length(lengths, times, ax=None):
    """Does the wall time of a forward pass grow with the sequence length T?

    Parameters
    ----------
    lengths : array_like, shape (K,)
        Sequence lengths T.
    times : dict of str to array_like, shape (K,)
        Seconds per forward pass, keyed ``"rnn"`` and ``"mlp"`` (any subset).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax)
    names = {
        "rnn": "RNN: $T$ steps, one after another",
        "mlp": "window MLP: all $T$ positions in one matmul",
    }
    for key, secs in times.items():
        ax.plot(lengths, 1e3 * np.asarray(secs), "o-", color=plotting.COLORS[key], label=names[key])
    ax.legend(loc="upper left")
    ax.set_ylim(0, None)
    plotting.label(ax, "sequence length $T$", "forward time (ms)", "Wall time of one forward pass")
    f = plotting.fmt
    grows = [
        f"the {key.upper()}'s from {f(1e3 * secs[0])} ms to {f(1e3 * secs[-1])} ms "
        f"({f(secs[-1] / secs[0])} times)"
        for key, secs in ((k, np.asarray(v, dtype=float)) for k, v in times.items())
        if secs.size and secs[0] > 0
    ]
    plotting.describe(
        fig,
        f"Line plot of the wall time of one forward pass against the sequence length T from "
        f"{f(lengths[0])} to {f(lengths[-1])}: " + "; ".join(grows),
    )
    return fig


def plot_dWh_contributions(contrib_norms, total_norm, ax=None):
    """Which steps contribute to the gradient of the one shared ``Wh``?

    Parameters
    ----------
    contrib_norms : array_like, shape (T,)
        Frobenius norm of step t's term ``h_{t-1}^T da_t`` (``contrib_norms[t-1]``),
        with ``da_t = dL/da_t`` the total gradient of the step's pre-activation.
    total_norm : float
        Norm of their sum, ``||dL/dWh||``.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax)
    steps = np.arange(1, len(contrib_norms) + 1)
    ax.bar(
        steps,
        contrib_norms,
        color=plotting.COLORS["gradient"],
        label="step $t$: $\\|h_{t-1}^\\top\\, da_t\\|$",
    )
    ax.axhline(
        total_norm,
        color=plotting.COLORS["target"],
        lw=1.5,
        ls="--",
        label="the sum over all steps: $\\|dL/dW_h\\|$",
    )
    ax.legend(loc="upper left")
    plotting.label(
        ax,
        "time step $t$",
        "Frobenius norm",
        "One shared $W_h$: its gradient is a sum of one term per step",
    )
    ax.set_ylim(0, 1.25 * max(total_norm, float(np.max(contrib_norms))))
    f = plotting.fmt
    c = np.asarray(contrib_norms, dtype=float)
    plotting.describe(
        fig,
        f"Bar chart of the norm of each step's term in the gradient of the shared W_h, over "
        f"{len(c)} steps: from {f(c.min())} at step {int(np.argmin(c)) + 1} to {f(c.max())} at "
        f"step {int(np.argmax(c)) + 1}; the norm of their sum, ||dL/dW_h||, is {f(total_norm)} "
        f"(a dashed line)",
    )
    return fig


# ------------------------------------------------------- the explorer's figure


@lru_cache(maxsize=8)
def _explorer_problem(T=40, H=8, seed=0):
    """The explorer's fixed series and weights (cached: the sliders never recompute them).

    Parameters
    ----------
    T, H : int
        Sequence length and hidden units.
    seed : int

    Returns
    -------
    x : numpy.ndarray, shape (1, T, 1)
        One noisy sine wave (:func:`rnnlib.data.noisy_sine`).
    Wx : numpy.ndarray, shape (1, H)
    Wh1 : numpy.ndarray, shape (H, H)
        Recurrent weights with spectral radius 1: the explorer uses ``radius * Wh1``.
    b : numpy.ndarray, shape (H,)

    Notes
    -----
    The arrays are shared by every call: treat them as read-only.
    """
    rng = np.random.default_rng(seed)
    x, _ = noisy_sine(1, T, rng, noise=0.1)
    Wx = rng.normal(0.0, 1.0, size=(1, H))
    Wh1 = matrix_with_spectral_radius(H, 1.0, rng)
    b = rng.normal(0.0, 0.1, size=H)
    for a in (x, Wx, Wh1, b):
        a.flags.writeable = False
    return x, Wx, Wh1, b


def plot_hidden_state_step(t=12, radius=0.9, T=40, H=8, seed=0, axes=None):
    """What happens inside the cell at step t? Input, hidden-state history, and the step's terms.

    ``a_t = x_t Wx + h_{t-1} Wh + b`` and ``h_t = tanh(a_t)``, with ``Wh`` scaled to
    spectral radius ``radius`` (0: no memory, the state is a function of ``x_t`` alone).

    Parameters
    ----------
    t : int
        The step shown, ``1 <= t <= T`` (the math counts from 1: ``x_t`` is ``x[:, t-1]``).
    radius : float
        Spectral radius of ``Wh``, >= 0.
    T, H, seed : int
        Size and seed of :func:`_explorer_problem`.
    axes : sequence of three Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    t = int(t)
    x, h, from_x, from_h, b = _step_terms(t, radius, T, H, seed)
    ylim = _terms_ylim(radius, T, H, seed)
    if axes is None:
        fig, axes = plotting.figure_axes(nrows=3, figsize=(7.0, 6.6), height_ratios=(1, 1.5, 1.7))
    fig = axes[0].figure
    _draw_input(axes[0], x[0, :, 0], t)
    axes[0].set_title(_step_title(t, T, radius))
    _draw_heatmap(axes[1], h, t, colorbar_axes=list(axes[:2]))
    ax = axes[2]
    units = np.arange(1, H + 1)
    # vlines instead of bar(): one collection per term keeps a redraw fast; above the grid
    # (zorder 1.6), as they are when the widget draws them alone over the rest
    terms = [(from_x, "data", "$x_t W_x$"), (from_h, "rnn", "$h_{t-1} W_h$"), (b, "bound", "$b$")]
    for k, (term, color, name) in enumerate(terms):
        ax.vlines(
            units + 0.22 * (k - 1),
            0,
            term,
            color=plotting.COLORS[color],
            lw=7,
            label=name,
            zorder=1.6,
        )
    ax.plot(
        units, h[t - 1], "D", color=plotting.COLORS["target"], ms=7, label="$h_t = \\tanh(a_t)$"
    )
    ax.axhline(0, color="k", lw=0.8)
    ax.set_ylim(*ylim)  # the same at every step t; headroom for the legend
    ax.set_xlim(0.4, H + 0.6)
    ax.set_xticks(units)
    ax.legend(loc="upper center", ncol=4, handlelength=1.0, columnspacing=1.2)
    plotting.label(
        ax, "unit $j$", "value", "The terms of $a_t = x_t W_x + h_{t-1} W_h + b$ at this step"
    )
    plotting.describe(fig, _step_lead(t, radius, x, h, terms))
    return fig


def _step_terms(t, radius, T, H, seed):
    """What :func:`plot_hidden_state_step` draws: ``x`` (1, T, 1), ``h`` (T, H) and the terms."""
    if not 1 <= t <= T:
        raise ValueError(f"t must be in 1..T = 1..{T}, got {t}")
    x, Wx, Wh1, b = _explorer_problem(T, H, seed)
    Wh = radius * Wh1
    h, _ = rnn_forward(x, np.zeros((1, H)), Wx, Wh, b)
    h = h[0]  # (T, H)
    h_prev = h[t - 2] if t > 1 else np.zeros(H)  # h_0 = 0
    from_x = x[0, t - 1] @ Wx  # (H,) the input's term
    from_h = h_prev @ Wh  # (H,) the recurrent term
    return x, h, from_x, from_h, b


def _step_title(t, T, radius):
    return f"Step $t = {t}$ of {T}, spectral radius $\\rho(W_h) = {radius:.2f}$"


@lru_cache(maxsize=64)
def _terms_ylim(radius, T, H, seed):
    """The terms panel's y range: the same for every step ``t`` (moving ``t`` keeps the
    axis), 10% beyond the largest term of any step rounded up to a multiple of 0.5 (at
    least 1.5), and 35% more on top for the legend."""
    x, Wx, Wh1, b = _explorer_problem(T, H, seed)
    Wh = radius * Wh1
    h, _ = rnn_forward(x, np.zeros((1, H)), Wx, Wh, b)
    h_prev = np.vstack([np.zeros((1, H)), h[0, :-1]])  # (T, H): h_{t-1} for t = 1..T
    largest = max(np.max(np.abs(x[0] @ Wx)), np.max(np.abs(h_prev @ Wh)), np.max(np.abs(b)))
    lim = max(1.5, 0.5 * float(np.ceil(2 * 1.1 * largest)))
    return -lim, 1.35 * lim


def _step_lead(t, radius, x, h, terms):
    """The description of :func:`plot_hidden_state_step`'s figure, in numbers."""
    f = plotting.fmt
    T, H = h.shape
    spans = "; ".join(
        f"{name.strip('$')} from {f(term.min())} to {f(term.max())}"
        for term, _, name in terms + [(h[t - 1], "", "h_t")]
    )
    return (
        f"Three panels at step t = {t} of {T}, W_h at spectral radius {f(radius)}. "
        + _heatmap_lead(x[0, :, 0], h, t)
        + f". Last panel: bars of the three terms of a_t for each of the {H} units, and h_t: "
        + spans
    )


def update_hidden_state_step(fig, t=12, radius=0.9, T=40, H=8, seed=0):
    """Move a figure of :func:`plot_hidden_state_step` to step ``t`` and ``radius``, in place.

    The widget's update (:func:`rnnlib.widgets.recurrence.hidden_state_explorer`): the
    input's marker, the revealed heatmap, the step's terms and the title change; the
    colour bar, the axes and ``T, H, seed`` stay.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn by ``plot_hidden_state_step(t0, radius0, T, H, seed)``.
    t, radius
        As for :func:`plot_hidden_state_step`.
    T, H, seed : int
        Those the figure was drawn with.

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, or None when the new ``radius`` needs another range
        of the terms' panel (then the whole figure must be drawn again).
    """
    t = int(t)
    x, h, from_x, from_h, b = _step_terms(t, radius, T, H, seed)
    ax_x, ax_h, ax = fig.axes[:3]
    _, solid, marker = ax_x.lines[:3]
    steps, x1 = np.arange(1, T + 1), x[0, :, 0]
    solid.set_data(steps[:t], x1[:t])
    marker.set_data([t], [x1[t - 1]])
    ax_x.set_title(_step_title(t, T, radius))
    (im,) = ax_h.images
    shown = np.full((H, T), np.nan)
    shown[:, :t] = h[:t].T
    im.set_data(shown)
    now = ax_h.lines[0]
    now.set_xdata([t + 0.5, t + 0.5])
    terms = [(from_x, "", "$x_t W_x$"), (from_h, "", "$h_{t-1} W_h$"), (b, "", "$b$")]
    for coll, (term, _, _) in zip(ax.collections[:3], terms, strict=True):
        segments = coll.get_segments()
        for seg, value in zip(segments, term, strict=True):
            seg[1, 1] = value  # each segment runs from (j, 0) to (j, term_j)
        coll.set_segments(segments)
    (dots,) = [line for line in ax.lines if line.get_marker() == "D"]
    dots.set_ydata(h[t - 1])
    plotting.describe(fig, _step_lead(t, radius, x, h, terms))
    ylim = _terms_ylim(radius, T, H, seed)
    if ax.get_ylim() != ylim:  # a new radius that needs another range: draw all
        ax.set_ylim(*ylim)
        return None
    # in the order a full draw takes them: the heatmap, the line at t, the spines on top;
    # in the terms' panel the bars, then the dots and the zero line, the spines. Not the
    # legend: it sits in the headroom above 1.1 times the tallest bar, which no bar reaches
    zero = [line for line in ax.lines if line is not dots]
    return [
        solid,
        marker,
        ax_x.title,
        im,
        now,
        *ax_h.spines.values(),
        *ax.collections[:3],
        dots,
        *zero,
        *ax.spines.values(),
    ]
