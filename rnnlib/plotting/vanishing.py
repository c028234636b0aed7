"""Notebook 04's figures: vanishing and exploding gradients.

:func:`plot_gradient_explorer` draws ``||dL/dh_t||`` over ``t`` on a log scale next
to the Pascanu et al. (2013) bound ``(gamma * sigma_max(Wh))^(T - t)``, as computed
by :func:`rnnlib.gradient_flow.gradient_vs_bound`; it is the figure of the course's
central widget, :func:`rnnlib.widgets.vanishing.gradient_explorer`, which starts at
:data:`EXPLORER_DEFAULTS`. The other plot functions draw the notebook's static
figures (training against the lag, clipping, initialisation).

Conventions (those of :mod:`rnnlib.analysis`): row vectors,
``a_t = x_t @ Wx + h_{t-1} @ Wh + b``, ``h_t = f(a_t)`` for ``t = 1..T``; arrays over
time hold step ``t`` at index ``t - 1``.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np

from rnnlib import analysis, plotting
from rnnlib.gradient_flow import gradient_vs_bound, observed_trend

__all__ = [
    "EXPLORER_DEFAULTS",
    "plot_clipping_2d",
    "plot_clipping_runs",
    "plot_gradient_explorer",
    "plot_init_comparison",
    "plot_lag_experiment",
    "plot_lstm_paths",
    "plot_norm_curves",
    "update_gradient_explorer",
]


#: The explorer's default settings: the static figure and the widget both start here.
EXPLORER_DEFAULTS = dict(
    radius=1.0, activation="tanh", T=100, input_scale=1.0, kind="orthogonal", H=32, seed=0
)

# Plain Unicode (no mathtext) in the explorer's title and tick labels: mathtext parsing
# was most of the time of a widget update, and the title changes at every update.
_REGIME_TEXT = {
    analysis.VANISHING: "γσₘₐₓ < 1: vanishing guaranteed",
    analysis.EXPLODING: "γσₘₐₓ > 1: exploding possible, not guaranteed",
    analysis.BOUNDARY: "γσₘₐₓ = 1: cannot explode, need not vanish",
}
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value, _pos=None):
    """Tick label ``10ⁿ`` for exact powers of ten, nothing for other ticks."""
    if value <= 0:
        return ""
    exponent = np.log10(value)
    if abs(exponent - round(exponent)) > 1e-6:
        return ""
    return "10" + str(int(round(exponent))).translate(_SUPERSCRIPT)


def _clipped_power(log10_values, lo, hi):
    """``10**v`` for plotting, with v clipped a little beyond the axis (no under/overflow)."""
    return 10.0 ** np.clip(log10_values, lo - 1, hi + 1)


def plot_gradient_explorer(
    radius=1.0, activation="tanh", T=100, input_scale=1.0, kind="orthogonal", H=32, seed=0, ax=None
):
    """Does ``||dL/dh_t||`` die out, stay, or blow up as ``t`` moves back from ``T``?

    Draws the batch mean of ``||dL/dh_t||`` (thick), each sequence (thin), and the
    Pascanu bound ``(gamma * sigma_max)^(T - t)`` (dashed) on a log axis; the title
    states ``gamma``, ``rho`` and ``sigma_max`` of ``Wh``, what Pascanu's condition
    says and what was observed. Parameters as for
    :func:`rnnlib.gradient_flow.gradient_vs_bound`, which computes what is drawn.

    Returns
    -------
    matplotlib.figure.Figure
    """
    res = gradient_vs_bound(radius, activation, T, input_scale, kind, H, seed)
    fig, ax = plotting.figure_axes(ax, figsize=(7.0, 4.0))
    t = np.arange(1, int(T) + 1)
    lo, hi = _explorer_range(res)
    color = plotting.COLORS["gradient"]
    for row in res.log_norms:
        ax.plot(t, _clipped_power(row, lo, hi), color=color, lw=0.8, alpha=0.3)
    ax.plot(
        t,
        _clipped_power(res.log_mean, lo, hi),
        color=color,
        lw=2.5,
        label="‖∂L/∂hₜ‖, mean of 8 sequences (thin: each one)",
    )
    ax.plot(
        t,
        _clipped_power(res.log_bound, lo, hi),
        color=plotting.COLORS["bound"],
        ls="--",
        lw=2,
        label="bound (γσₘₐₓ)ᵀ⁻ᵗ",
    )
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(_power_of_ten))
    ax.yaxis.set_minor_formatter(mticker.NullFormatter())
    ax.set_ylim(10.0**lo, 10.0**hi)
    ax.set_xlim(1, int(T))
    title, lead = _explorer_text(res, activation, T, kind, H)
    ax.set_title(title, fontsize=10.5)
    plotting.label(ax, "time step t", "‖∂L/∂hₜ‖  (equals 1 at t = T)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize=9)
    plotting.describe(fig, lead)
    return fig


def _explorer_range(res):
    """The explorer's y range as log10 ``(lo, hi)``: from the measured mean, so that the
    whole curve is always visible (the bound may leave the axis). 1e-3 .. 1e3 unless the
    mean, with a decade to spare, leaves it; then each end moves in steps of 5 decades,
    so that most moves of the widget's sliders keep the axis and only redraw the curves."""
    finite = res.log_mean[np.isfinite(res.log_mean)]
    if not finite.size:
        return -3.0, 3.0
    lo, hi = float(finite.min()) - 1, float(finite.max()) + 1
    lo = -3.0 if lo >= -3 else 5.0 * float(np.floor(lo / 5))
    hi = 3.0 if hi <= 3 else 5.0 * float(np.ceil(hi / 5))
    return lo, hi


def _explorer_text(res, activation, T, kind, H):
    """The explorer's title and its figure's description, in numbers."""
    ratio = res.gamma * res.sigma_max
    trend, per_step = observed_trend(res.log_mean[0], int(T) - 1)
    if trend == "exactly 0":
        seen = "observed: exactly 0 (every relu unit is off: try input scale > 0)"
    else:
        seen = f"observed: {trend} (×{per_step:.2f} per step on average)"
    title = (
        f"{activation}: γ = {res.gamma:g}, ρ(Wₕ) = {res.rho:.2f}, σₘₐₓ(Wₕ) = "
        f"{res.sigma_max:.2f}, γσₘₐₓ = {ratio:.2f}\nPascanu: {_REGIME_TEXT[res.regime]}\n"
        f"{seen}"
    )
    f, f10 = plotting.fmt, plotting.fmt_log10
    regime = _REGIME_TEXT[res.regime].replace("γσₘₐₓ", "gamma sigma_max")
    lead = (
        f"Log-scale line plot of the gradient norm ||dL/dh_t|| against the time step t = 1 to "
        f"{int(T)} for a {activation} RNN with {H} units and {kind} W_h: gamma = {f(res.gamma)}, "
        f"spectral radius {f(res.rho)}, largest singular value {f(res.sigma_max)}, "
        f"gamma sigma_max = {f(ratio)} ({regime}). The mean over 8 sequences goes from 1 at "
        f"t = {int(T)} to {f10(res.log_mean[0])} at t = 1 ({seen.replace('×', 'times ')}); "
        f"the bound there is {f10(res.log_bound[0])}"
    )
    return title, lead


def update_gradient_explorer(
    fig, radius=1.0, activation="tanh", T=100, input_scale=1.0, kind="orthogonal", H=32, seed=0
):
    """Move a figure of :func:`plot_gradient_explorer` to new settings, in place.

    The widget's update (:func:`rnnlib.widgets.vanishing.gradient_explorer`): the
    curves and the title change; the legend stays.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn by :func:`plot_gradient_explorer`.
    radius, activation, T, input_scale, kind, H, seed
        As for :func:`plot_gradient_explorer`.

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, or None when an axis changed (``T``, or the y range
        the curves need): then the whole figure must be drawn again.
    """
    res = gradient_vs_bound(radius, activation, T, input_scale, kind, H, seed)
    ax = fig.axes[0]
    t = np.arange(1, int(T) + 1)
    lo, hi = _explorer_range(res)
    curves = [*res.log_norms, res.log_mean, res.log_bound]
    for line, logs in zip(ax.lines, curves, strict=True):
        line.set_data(t, _clipped_power(logs, lo, hi))
    title, lead = _explorer_text(res, activation, T, kind, H)
    ax.set_title(title, fontsize=10.5)
    plotting.describe(fig, lead)
    rescaled = ax.get_xlim() != (1, int(T))
    if rescaled:
        ax.set_xlim(1, int(T))
    if not np.allclose(ax.get_ylim(), (10.0**lo, 10.0**hi), rtol=1e-9, atol=0):
        ax.set_ylim(10.0**lo, 10.0**hi)
        rescaled = True
    if rescaled:
        return None
    # in the order a full draw takes them: the spines lie on top of the lines
    return [*ax.lines, *ax.spines.values(), ax.title]


def plot_norm_curves(curves, bounds=None, ax=None, title=None, ylim=(1e-30, 1e30)):
    """``||dL/dh_t||`` over ``t`` for a few cases, each with its bound, on a log axis.

    Parameters
    ----------
    curves : dict of str -> numpy.ndarray, shape (T,)
        Label -> log10 of the norm at t = 1..T (index t-1).
    bounds : dict of str -> numpy.ndarray, shape (T,), optional
        Same labels -> log10 of the bound; drawn dashed in the curve's colour.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    ylim : (float, float)
        The y range; values beyond it are drawn at its edge.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax)
    lo, hi = np.log10(ylim[0]), np.log10(ylim[1])
    for k, (name, logs) in enumerate(curves.items()):
        color = plotting.OKABE_ITO[k % 6]
        t = np.arange(1, len(logs) + 1)
        ax.plot(t, _clipped_power(np.asarray(logs), lo, hi), color=color, label=name)
        if bounds and name in bounds:
            ax.plot(
                t, _clipped_power(np.asarray(bounds[name]), lo, hi), color=color, ls="--", lw=1.2
            )
    ax.set_yscale("log")
    ax.set_ylim(*ylim)
    plotting.label(ax, "time step $t$", r"$\|\partial L/\partial h_t\|$", title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    f10 = plotting.fmt_log10
    cases = []
    for name, logs in curves.items():
        logs = np.asarray(logs, dtype=float)
        case = f"{name}: {f10(logs[-1])} at t = {len(logs)}, {f10(logs[0])} at t = 1"
        if bounds and name in bounds:
            case += f" (bound {f10(np.asarray(bounds[name], dtype=float)[0])})"
        cases.append(case)
    plotting.describe(
        fig,
        f"Log-scale line plot of the gradient norm ||dL/dh_t|| against the time step t for "
        f"{len(cases)} case{'s' if len(cases) != 1 else ''}: " + "; ".join(cases),
    )
    return fig


def plot_lag_experiment(lags, errors, grad_ratios, ax=None):
    """Does training fail as the lag grows, and is the gradient from the first step to blame?

    Left: the final test error (MSE divided by the MSE of always predicting 0) against
    the lag, one dot per run and the mean. Right: at initialisation, how much of the
    gradient reaches the first input, ``||dL/dx_1|| / ||dL/dx_T||``, on a log axis.

    Parameters
    ----------
    lags : sequence of int, length L
    errors : numpy.ndarray, shape (S, L)
        Relative test error of each of S runs at each lag.
    grad_ratios : numpy.ndarray, shape (S, L)
        The gradient ratio at initialisation of the same runs.
    ax : array of two Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(ax, 1, 2, figsize=(7.0, 3.4))
    ax_err, ax_grad = np.ravel(axes)
    lags = np.asarray(lags)
    color = plotting.COLORS["rnn"]
    S = len(errors)
    for s in range(S):
        jitter = (s - (S - 1) / 2) * 0.03
        ax_err.plot(
            lags * 10**jitter,
            errors[s],
            "o",
            color=color,
            alpha=0.6,
            ms=5,
            label="one run" if s == 0 else None,
        )
        ax_grad.plot(lags, grad_ratios[s], "o", color=plotting.COLORS["gradient"], alpha=0.6, ms=5)
    ax_err.plot(lags, np.mean(errors, axis=0), color=color, label=f"mean of {S} runs")
    ax_err.axhline(1.0, color=plotting.COLORS["bound"], ls="--", lw=1.2)
    ax_err.text(
        lags[0], 1.03, "learned nothing", fontsize=9, color=plotting.COLORS["bound"], va="bottom"
    )
    ax_err.set_xscale("log")
    ax_err.xaxis.set_minor_locator(mticker.NullLocator())  # only the lags as ticks
    ax_err.set_xticks(lags, [str(v) for v in lags])
    ax_err.set_ylim(-0.03, 1.25)
    plotting.label(
        ax_err,
        "lag $T$ (steps to remember)",
        "test MSE / baseline MSE",
        "final error after training",
    )
    ax_err.legend(loc="center left", fontsize=9)
    ax_grad.plot(
        lags, np.exp(np.mean(np.log(grad_ratios), axis=0)), color=plotting.COLORS["gradient"]
    )
    ax_grad.set_xscale("log")
    ax_grad.set_yscale("log")
    ax_grad.xaxis.set_minor_locator(mticker.NullLocator())
    ax_grad.set_xticks(lags, [str(v) for v in lags])
    plotting.label(
        ax_grad,
        "lag $T$",
        r"$\|\partial L/\partial x_1\|\ /\ \|\partial L/"
        r"\partial x_T\|$",
        "gradient reaching step 1, at init",
    )
    f = plotting.fmt
    mean_err = np.mean(errors, axis=0)
    geo = np.exp(np.mean(np.log(grad_ratios), axis=0))
    plotting.describe(
        fig,
        f"Two panels against the lag T (steps to remember), {S} runs per lag. Left: final test "
        f"error relative to a model that learned nothing (1), mean per lag: "
        + ", ".join(f"T = {lag}: {f(e)}" for lag, e in zip(lags, mean_err, strict=True))
        + ". Right, log scale: the share of the gradient that reaches step 1 at "
        "initialisation, ||dL/dx_1|| / ||dL/dx_T||, geometric mean: "
        + ", ".join(f"T = {lag}: {f(g)}" for lag, g in zip(lags, geo, strict=True)),
    )
    return fig


def plot_clipping_runs(runs, max_norm, baseline=None, top=1e8, ax=None):
    """Does clipping by norm rescue runs whose gradients explode? Loss and gradient norm.

    Parameters
    ----------
    runs : dict of str -> dict or list of dict
        Label -> one run or a list of runs, each ``{"loss": list, "grad_norm": list}``
        (the norm *before* clipping), as returned by ``SequenceModel.train`` or a
        hand-written loop. The first label is drawn in the "fail" colour, the second in
        the "pass" colour; several runs of one label are drawn as thin lines.
    max_norm : float
        The clipping threshold, drawn on the gradient-norm panel.
    baseline : float, optional
        The loss of a model that learned nothing, drawn dashed on the loss panel.
    top : float
        Upper end of both log axes. A run that leaves the axis ran away; the legend
        says how many did.
    ax : array of two Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(ax, 1, 2, figsize=(7.0, 3.6), sharex=True)
    ax_loss, ax_norm = np.ravel(axes)
    colors = [plotting.COLORS["fail"], plotting.COLORS["pass"]]
    handles = []
    for k, (name, hists) in enumerate(runs.items()):
        hists = [hists] if isinstance(hists, dict) else list(hists)
        color = colors[k % 2]
        lw = 1.5 if len(hists) == 1 else 0.9
        for hist in hists:
            steps = np.arange(1, len(hist["loss"]) + 1)
            with np.errstate(invalid="ignore"):
                ax_norm.plot(steps, hist["grad_norm"], color=color, lw=lw, alpha=0.8)
                (line,) = ax_loss.plot(steps, hist["loss"], color=color, lw=lw, alpha=0.8)
        gone = sum(not np.all(np.asarray(h["loss"], dtype=float) <= top) for h in hists)
        label = name if len(hists) == 1 else f"{name} ({len(hists)} runs)"
        if gone:
            label += f", {gone} off the top"
        line.set_label(label)
        handles.append(line)
    if baseline is not None:
        handles.append(
            ax_loss.axhline(
                baseline,
                color=plotting.COLORS["bound"],
                ls="--",
                lw=1.2,
                label="baseline: learned nothing",
            )
        )
    threshold = ax_norm.axhline(
        max_norm, color=plotting.COLORS["bound"], ls="--", lw=1.2, label=f"threshold {max_norm:g}"
    )
    ax_norm.legend(handles=[threshold], loc="upper right", fontsize=9)
    for a in (ax_loss, ax_norm):
        a.set_yscale("log")
        a.set_ylim(top=top)
    ax_loss.set_ylim(bottom=1e-2)
    ax_norm.set_ylim(bottom=1e-2)
    plotting.label(ax_loss, "training step", "loss (MSE)", "loss")
    plotting.label(ax_norm, "training step", r"$\|g\|$ before clipping", "gradient norm")
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 2), fontsize=9)
    f = plotting.fmt
    parts = []
    for name, hists in runs.items():
        hists = [hists] if isinstance(hists, dict) else list(hists)
        with np.errstate(invalid="ignore"):
            final = [float(np.asarray(h["loss"], dtype=float)[-1]) for h in hists]
            peak = max(float(np.nanmax(np.asarray(h["grad_norm"], dtype=float))) for h in hists)
        gone = sum(not np.all(np.asarray(h["loss"], dtype=float) <= top) for h in hists)
        parts.append(
            f"{name} ({len(hists)} run{'s' if len(hists) != 1 else ''}): final loss "
            f"{'median ' if len(hists) > 1 else ''}{f(np.median(final))}, largest gradient "
            f"norm {f(peak)}" + (f", {gone} off the top of the axis" if gone else "")
        )
    lead = (
        "Two log-scale panels against the training step: the loss (left) and the gradient "
        f"norm before clipping (right, threshold {f(max_norm)}). " + "; ".join(parts)
    )
    if baseline is not None:
        lead += f". A model that learned nothing has loss {f(baseline)}"
    plotting.describe(fig, lead)
    return fig


def plot_clipping_2d(g, threshold, ax=None):
    """Where do clipping by norm and clipping by value send a 2-D gradient?

    Draws ``g``, ``g`` clipped by norm (``threshold * g / ||g||``, on the circle of
    radius ``threshold``, same direction) and ``g`` clipped by value (each entry into
    ``[-threshold, threshold]``, on the square, a new direction).

    Parameters
    ----------
    g : array_like, shape (2,)
    threshold : float
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    g = np.asarray(g, dtype=float)
    by_norm = g * min(1.0, threshold / np.linalg.norm(g))
    by_value = np.clip(g, -threshold, threshold)
    fig, ax = plotting.figure_axes(ax, figsize=(7.0, 3.6))
    angle = np.linspace(0, 2 * np.pi, 200)
    ax.plot(
        threshold * np.cos(angle),
        threshold * np.sin(angle),
        color=plotting.COLORS["pass"],
        lw=1,
        ls=":",
        label=r"$\|g\| = \theta$",
    )
    c = threshold
    ax.plot(
        [-c, c, c, -c, -c],
        [-c, -c, c, c, -c],
        color=plotting.COLORS["fail"],
        lw=1,
        ls=":",
        label=r"$|g_i| = \theta$",
    )
    for vec, color, name in (
        (g, plotting.COLORS["gradient"], "gradient g"),
        (by_norm, plotting.COLORS["pass"], "clipped by norm"),
        (by_value, plotting.COLORS["fail"], "clipped by value"),
    ):
        ax.annotate(
            "",
            xy=vec,
            xytext=(0, 0),
            arrowprops=dict(arrowstyle="-|>", color=color, lw=2.2, shrinkA=0, shrinkB=0),
        )
        ax.plot([], [], color=color, lw=2.2, label=f"{name} ({vec[0]:.2f}, {vec[1]:.2f})")
    span = max(np.abs(g).max(), threshold) * 1.15
    ax.set_xlim(-0.3 * span, span)
    ax.set_ylim(-0.3 * span, 0.6 * span)
    ax.set_aspect("equal")
    plotting.label(ax, "$g_1$", "$g_2$", "clipping by norm keeps the direction, by value does not")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    f = plotting.fmt

    def angle_of(v):
        return np.degrees(np.arctan2(v[1], v[0]))

    turn = abs(angle_of(by_value) - angle_of(g))
    plotting.describe(
        fig,
        f"Arrows in the plane: the gradient g = ({f(g[0])}, {f(g[1])}), norm "
        f"{f(np.linalg.norm(g))}, clipped at threshold {f(threshold)}. Clipped by norm it "
        f"becomes ({f(by_norm[0])}, {f(by_norm[1])}), on the circle of radius {f(threshold)}, "
        f"same direction; clipped by value ({f(by_value[0])}, {f(by_value[1])}), on the "
        f"square, its direction turned by {f(turn)} degrees",
    )
    return fig


def _running_mean(values, window):
    """Mean over the last ``window`` entries at each position (shorter at the start)."""
    c = np.cumsum(np.insert(np.asarray(values, dtype=float), 0, 0.0))
    k = np.arange(1, len(values) + 1)
    lo = np.maximum(k - window, 0)
    return (c[k] - c[lo]) / (k - lo)


def plot_init_comparison(grad_curves, loss_curves, baseline=None, smooth=10, ax=None):
    """Which initialisation lets the gradient reach back, and which one trains?

    Left: ``||dL/dh_t||`` over ``t`` at initialisation (log axis), one line per
    initialisation. Right: the training loss, a running mean over ``smooth`` steps,
    mean of the runs (thick) and each run (thin).

    Parameters
    ----------
    grad_curves : dict of str -> numpy.ndarray, shape (T,)
        Initialisation name -> log10 ``||dL/dh_t||`` at t = 1..T.
    loss_curves : dict of str -> numpy.ndarray, shape (S, steps)
        Same names -> the loss of S runs.
    baseline : float, optional
        The loss of a model that learned nothing, drawn dashed.
    smooth : int
        Window of the running mean (1: raw losses).
    ax : array of two Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(ax, 1, 2, figsize=(7.0, 3.4))
    ax_g, ax_l = np.ravel(axes)
    for k, name in enumerate(grad_curves):
        color = plotting.OKABE_ITO[k % 6]
        logs = np.asarray(grad_curves[name])
        ax_g.plot(
            np.arange(1, len(logs) + 1), _clipped_power(logs, -30, 1), color=color, label=name
        )
        if name in loss_curves:
            runs = np.array([_running_mean(r, smooth) for r in loss_curves[name]])
            steps = np.arange(1, runs.shape[1] + 1)
            for r in runs:
                ax_l.plot(steps, r, color=color, lw=0.7, alpha=0.35)
            ax_l.plot(steps, runs.mean(axis=0), color=color, lw=2.2, label=name)
    if baseline is not None:
        ax_l.axhline(
            baseline,
            color=plotting.COLORS["bound"],
            ls="--",
            lw=1.2,
            label="baseline: learned nothing",
        )
        ax_l.legend(handles=ax_l.lines[-1:], loc="upper right", fontsize=9)
    ax_g.set_yscale("log")
    ax_g.set_ylim(1e-30, 10)
    plotting.label(ax_g, "time step $t$", r"$\|\partial L/\partial h_t\|$", "at initialisation")
    plotting.label(ax_l, "training step", f"loss (MSE, mean of {smooth} steps)", "training")
    ax_l.set_ylim(bottom=0)
    ax_g.legend(loc="lower right", fontsize=9)
    f, f10 = plotting.fmt, plotting.fmt_log10
    grads = "; ".join(
        f"{name}: {f10(np.asarray(logs, dtype=float)[0])} at t = 1"
        for name, logs in grad_curves.items()
    )
    losses = "; ".join(
        f"{name}: from {f(np.mean([r[0] for r in loss_curves[name]]))} to "
        f"{f(np.mean([_running_mean(r, smooth)[-1] for r in loss_curves[name]]))}"
        for name in grad_curves
        if name in loss_curves
    )
    lead = (
        "Two panels, one colour per initialisation. Left, log scale: the gradient norm "
        f"||dL/dh_t|| at initialisation against t (1 at the last step): {grads}. Right: the "
        f"training loss (running mean over {smooth} steps, mean of the runs) {losses}"
    )
    if baseline is not None:
        lead += f"; a model that learned nothing has loss {f(baseline)}"
    plotting.describe(fig, lead)
    return fig


def plot_lstm_paths(paths, rnn=None, ax=None, title=None):
    """Which path carries an LSTM's gradient back: the cell state alone, or all paths?

    For each LSTM (one colour each), ``||dL/dc_{T-k}||`` along all paths (solid) and
    along the cell state alone, ``||dL/dc_T * prod f||`` (dashed), against the lag
    ``k`` on a log axis; optionally a vanilla RNN's ``||dL/dh_{T-k}||`` for scale.

    Parameters
    ----------
    paths : dict of str -> (numpy.ndarray, numpy.ndarray), each of shape (T,)
        Label -> ``(all_paths, cell_path)``, both log10 norms ordered by lag (index
        ``k`` holds lag ``k``), as ``gradient_flow_curves`` returns them in
        ``"lstm_dc"`` and ``"lstm_dc_cell_path"``.
    rnn : numpy.ndarray, shape (T,), optional
        log10 ``||dL/dh_{T-k}||`` of an RNN, ordered by lag.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax, figsize=(7.0, 3.8))
    colors = [plotting.COLORS["lstm"], plotting.GATE_COLORS["f"], plotting.COLORS["gru"]]
    lowest = 0.0
    if rnn is not None:
        rnn = np.asarray(rnn, dtype=float)
        ax.plot(np.arange(len(rnn)), 10.0**rnn, color=plotting.COLORS["rnn"], label="tanh RNN")
        lowest = min(lowest, float(np.min(rnn)))
    for k, (name, (total, cell)) in enumerate(paths.items()):
        total, cell = np.asarray(total, dtype=float), np.asarray(cell, dtype=float)
        color = colors[k % len(colors)] if k < len(colors) else plotting.OKABE_ITO[k % 6]
        lag = np.arange(len(total))
        ax.plot(lag, 10.0**total, color=color, label=f"{name}: all paths")
        ax.plot(lag, 10.0**cell, color=color, ls="--", lw=1.4, label=f"{name}: cell state alone")
        lowest = min(lowest, float(np.min(total)), float(np.min(cell)))
    ax.set_yscale("log")
    ax.set_ylim(10.0 ** (np.floor(max(lowest, -300.0)) - 1), 10.0)
    plotting.label(
        ax,
        "lag $k = T - t$ (steps)",
        r"$\|\partial L/\partial c_{T-k}\|$ (LSTM), $\|\partial L/\partial h_{T-k}\|$ (RNN)",
        title,
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    f10 = plotting.fmt_log10
    parts = [
        f"{name}: {f10(np.asarray(total)[-1])} along all paths and {f10(np.asarray(cell)[-1])} "
        f"along the cell state alone at lag {len(total) - 1}"
        for name, (total, cell) in paths.items()
    ]
    if rnn is not None:
        parts.append(f"tanh RNN: {f10(rnn[-1])} at lag {len(rnn) - 1}")
    plotting.describe(
        fig,
        "Log-scale line plot of the gradient norm that reaches back k steps, against the lag "
        "k (1 at lag 0): " + "; ".join(parts),
    )
    return fig
