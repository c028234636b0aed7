"""Notebook 07's figures: training curves, saliency and context of the character model.

What is drawn is computed by :mod:`rnnlib.lm` (evaluation, saliency, n-gram
baselines, context); this module only draws:

* :func:`plot_loss_curves`: the training loss with the baselines as lines (also
  redrawn live by :class:`rnnlib.widgets.charlm.LiveTraining`);
* saliency: :func:`saliency_html` (coloured text), :func:`saliency_comparison_html`
  (models side by side), :func:`plot_saliency_by_lag`;
* context: :func:`plot_context_bits` (bits per character against the number of
  characters the model may read).
"""

from __future__ import annotations

import functools
import html

import matplotlib as mpl
import numpy as np

from rnnlib import lm, plotting
from rnnlib.plotting.text import text_color

__all__ = [
    "BASELINE_STYLES",
    "SALIENCY_CMAP",
    "SALIENCY_LEVELS",
    "plot_checkpoints",
    "plot_context_bits",
    "plot_loss_curves",
    "plot_saliency_by_lag",
    "saliency_comparison_html",
    "saliency_html",
]


#: number of colour levels of the saliency text (rounded, so the HTML is reproducible)
SALIENCY_LEVELS = 8
#: a light-to-dark single-hue map: readable text on every level, colour-blind safe
SALIENCY_CMAP = "Purples"
LN2 = lm.LN2
#: line styles of the baselines drawn by :func:`plot_loss_curves`, in order
BASELINE_STYLES = ("--", "-.", ":", (0, (10, 3)))


# ------------------------------------------------------------------ training display


def _smooth(values, window):
    """Trailing mean over ``window`` values (shorter at the start); same length."""
    values = np.asarray(values, dtype=np.float64)
    if window <= 1 or len(values) == 0:
        return values
    c = np.cumsum(np.insert(values, 0, 0.0))
    k = np.arange(1, len(values) + 1)
    lo = np.maximum(k - window, 0)
    return (c[k] - c[lo]) / (k - lo)


def _baselines(baseline_bits):
    """``{label: bits}`` from a number (the unigram model) or a dict (any baselines)."""
    if baseline_bits is None:
        return {}
    if isinstance(baseline_bits, dict):
        return dict(baseline_bits)
    return {"unigram": float(baseline_bits)}


def _draw_baselines(ax, baseline_bits, label, below=None):
    """Grey horizontal lines, each baseline in its own style (the same in every figure).

    ``label`` is formatted with ``name`` and ``bits``; baselines at ``below`` bits or
    more are left out (they would squash the curves), keeping the others' styles.
    """
    for k, (name, bits) in enumerate(_baselines(baseline_bits).items()):
        if below is not None and bits >= below:
            continue
        ax.axhline(
            bits,
            color=plotting.COLORS["bound"],
            lw=1.5,
            ls=BASELINE_STYLES[k % len(BASELINE_STYLES)],
            label=label.format(name=name, bits=bits),
        )


def plot_loss_curves(
    losses,
    baseline_bits=None,
    val_bits=None,
    smooth=10,
    total_steps=None,
    ax=None,
    title="Training loss: below the baselines?",
):
    """Does the training loss fall below the baselines, and for which model first?

    Parameters
    ----------
    losses : dict of str -> sequence of float
        Training loss per step **in nats per character**, by model name
        (``"LSTM"``, ``"RNN"``: their colours are the course's).
    baseline_bits : float or dict of str -> float, optional
        Bits per character of models without training, each drawn as a grey line
        of its own style: a number is the unigram model; a dict names them
        (``{"unigram": 4.66, "trigram": 2.47, "5-gram": 1.90}``).
    val_bits : dict of str -> float, optional
        Validation bits per character, drawn as a marker after the last step.
    smooth : int
        Trailing-mean window drawn on top of the raw (faint) curve.
    total_steps : int, optional
        Fix the x range (for a curve that is still growing).
    ax : matplotlib.axes.Axes, optional
    title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax, figsize=(9.5, 3.6))
    for name, loss in losses.items():
        bits = np.asarray(loss, dtype=np.float64) / LN2
        color = plotting.COLORS.get(name.lower(), None)
        steps = np.arange(1, len(bits) + 1)
        ax.plot(steps, bits, color=color, alpha=0.25, lw=1)
        label = f"{name} (mean of last {smooth} steps)" if smooth > 1 else name
        ax.plot(steps, _smooth(bits, smooth), color=color, label=label)
        if val_bits and name in val_bits:
            ax.plot(
                [len(bits)],
                [val_bits[name]],
                "D",
                color=color,
                ms=7,
                label=f"{name} validation: {val_bits[name]:.2f}",
            )
    _draw_baselines(ax, baseline_bits, "{name} baseline: {bits:.2f}")
    if total_steps:
        ax.set_xlim(0, total_steps + 1)
    # outside the axes, on the right: inside, it would sit on the baselines' lines
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    plotting.label(ax, "training step", "loss (bits per character)", title)
    f = plotting.fmt
    parts = []
    for name, loss in losses.items():
        bits = _smooth(np.asarray(loss, dtype=np.float64) / LN2, smooth)
        if bits.size:
            part = f"{name} from {f(bits[0])} to {f(bits[-1])} bits over {bits.size} steps"
            if val_bits and name in val_bits:
                part += f" (validation {f(val_bits[name])})"
            parts.append(part)
    lead = (
        "Line plot of the training loss in bits per character against the training step"
        + (f", a trailing mean of {smooth} steps over the raw curve" if smooth > 1 else "")
        + ": "
        + ("; ".join(parts) or "no steps yet")
    )
    if baseline_bits is not None:
        lead += ". Baselines: " + ", ".join(
            f"{name} {f(b)}" for name, b in _baselines(baseline_bits).items()
        )
    plotting.describe(fig, lead)
    return fig


def plot_checkpoints(checkpoints, baseline_bits=None, ax=None, title=None):
    """Validation bits per character at each checkpoint of a run, one line per model.

    Parameters
    ----------
    checkpoints : dict of str -> list of dict
        By model name (``"LSTM"``, ``"GRU"``, ``"RNN"``: the course's colours), the
        checkpoints as ``tools/train_charlm.py`` stores them: dicts with ``"step"``
        and ``"val_nats"``.
    baseline_bits : dict of str -> float, optional
        Counting baselines (``{"5-gram": 1.90}``), drawn as grey lines.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax, figsize=(9.5, 3.6))
    top = 0.0
    for name, points in checkpoints.items():
        steps = np.array([p["step"] for p in points])
        bits = np.array([p["val_nats"] for p in points]) / LN2
        keep = steps > 0  # the untrained model (about log2 V bits) would flatten the rest
        color = plotting.COLORS.get(name.lower())
        ax.plot(steps[keep], bits[keep], "o-", color=color, ms=4, label=f"{name}: {bits[-1]:.2f}")
        top = max(top, bits[keep].max())
    _draw_baselines(ax, baseline_bits, "{name}: {bits:.2f}", below=top + 0.5)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title="validation bits/char")
    plotting.label(
        ax,
        "training step",
        "validation loss (bits per character)",
        title or "Validation loss at the checkpoints of the run",
    )
    f = plotting.fmt
    parts = []
    for name, points in checkpoints.items():
        steps = np.array([p["step"] for p in points])
        bits = np.array([p["val_nats"] for p in points]) / LN2
        keep = steps > 0
        if keep.any():
            parts.append(
                f"{name} from {f(bits[keep][0])} at step {steps[keep][0]:,} to {f(bits[-1])} at "
                f"step {steps[-1]:,}"
            )
    lead = (
        "Line plot of the validation loss in bits per character at the checkpoints of a "
        "training run: " + "; ".join(parts)
    )
    if baseline_bits:
        lead += ". Counting baselines: " + ", ".join(
            f"{name} {f(b)}" for name, b in _baselines(baseline_bits).items()
        )
    plotting.describe(fig, lead)
    return fig


# ------------------------------------------------------------------------ saliency


@functools.cache
def _level_colors():
    cmap = mpl.colormaps[SALIENCY_CMAP]
    # levels 0..L-1 -> colours from white-ish to dark; level 0 is "no colour"
    return tuple(mpl.colors.to_hex(cmap(k / (SALIENCY_LEVELS - 1))) for k in range(SALIENCY_LEVELS))


_SHOWN = {"\n": "\u21b5\n"}  # a newline is shown as a return arrow, then kept


@functools.cache
def _level_spans():
    """The opening ``<span>`` of every level: its shade, and black or white text on it
    (whichever contrasts more: at least 4.5:1 on every level)."""
    return tuple(
        f'<span style="background-color:{c};color:{text_color(c)}">' for c in _level_colors()
    )


def saliency_html(text, norms, title=""):
    """The text with each character's background coloured by its saliency.

    Colours are ``SALIENCY_LEVELS`` rounded levels of the ``Purples`` map (light to
    dark, one hue: readable and colour-blind safe), so the HTML is reproducible.
    Levels follow ``sqrt(S / max S)``, which keeps small but real influences
    visible. The predicted character follows the text, boxed.

    Parameters
    ----------
    text : str
        The characters read, ``len(text) == len(norms)``, then the predicted one:
        pass ``len(norms) + 1`` characters.
    norms : numpy.ndarray, shape (L,)
        From :func:`saliency`.
    title : str
        Shown above the text.

    Returns
    -------
    str
        An HTML fragment.
    """
    norms = np.asarray(norms, dtype=np.float64)
    if len(text) != len(norms) + 1:
        raise ValueError(
            f"text must hold len(norms) + 1 = {len(norms) + 1} characters "
            f"(those read, then the predicted one), got {len(text)}"
        )
    spans = _level_spans()
    top = norms.max() if norms.size and norms.max() > 0 else 1.0
    levels = np.minimum((np.sqrt(norms / top) * SALIENCY_LEVELS).astype(int), SALIENCY_LEVELS - 1)
    parts = [
        f"{spans[lv]}{_SHOWN.get(ch) or html.escape(ch)}</span>"
        for ch, lv in zip(text[:-1], levels.tolist(), strict=True)
    ]
    target = "\u21b5" if text[-1] == "\n" else html.escape(text[-1])
    parts.append(f'<span style="outline:2px solid #D55E00">{target}</span>')
    head = f"<div><b>{html.escape(title)}</b></div>" if title else ""
    return (
        f'<div style="flex:1;min-width:280px">{head}<div style="font-family:monospace;'
        f'white-space:pre-wrap;line-height:1.5;font-size:13px">{"".join(parts)}</div></div>'
    )


def _legend_html():
    colors = _level_colors()
    cells = "".join(f'<span style="background-color:{c}">&nbsp;&nbsp;&nbsp;</span>' for c in colors)
    return (
        f'<div style="font-size:12px">weak {cells} strong influence '
        f"(&radic; of the gradient norm, relative to its largest value); "
        f'<span style="outline:2px solid #D55E00">boxed</span>: the character to predict'
        f"</div>"
    )


def saliency_comparison_html(models, vocab, text, t, context=None, explained=None):
    """RNN and LSTM side by side: which earlier characters move the prediction at ``t``?

    Parameters
    ----------
    models : dict of str -> SequenceModel
        For example ``{"RNN": rnn, "LSTM": lstm}``.
    vocab : rnnlib.data.CharVocab
    text : str
        The text read from its first character.
    t : int
        The model has read ``text[0..t]`` and predicts ``text[t + 1]``.
    context : int, optional
        Show only the last ``context`` characters read (the saliency is still
        computed from the start of ``text``).
    explained : dict of str -> rnnlib.lm.TextSaliency, optional
        ``lm.TextSaliency(model, vocab.encode(text))`` of each model, built once by a
        caller that shows many positions of one text (the explorer widget): each
        position's saliency is then computed once. Default: built here.

    Returns
    -------
    str
        HTML: a caption per model (probability of the right character, share of
        the gradient mass more than ``lm.LAG_NEAR`` characters back), the coloured
        texts, a legend.

    Notes
    -----
    The numbers come from ``lm.TextSaliency`` (one forward pass over ``text``,
    then the backward pass of the input gradient only), which equals
    :func:`rnnlib.lm.saliency` and :func:`rnnlib.lm.next_char_prob` to float
    round-off; the explorer widget uses the same, so it shows what this shows.
    """
    if explained is None:
        ids = vocab.encode(text)
        explained = {name: lm.TextSaliency(model, ids) for name, model in models.items()}
    start = 0 if context is None else max(0, t + 1 - context)
    blocks, notes = [], []
    for name, explainer in explained.items():
        norms = explainer.saliency(t)
        prof = lm.lag_profile(norms)
        p = explainer.prob(t)
        title = (
            f"{name}: p({text[t + 1]!r}) = {p:.2f}, "
            f"{prof['far_share']:.0%} of the mass > {lm.LAG_NEAR} back"
        )
        blocks.append(saliency_html(text[start : t + 2], norms[start:], title))
        notes.append(title)
    caption = (
        f"<div>Position {t}: after reading "
        f"<code>{html.escape(text[max(0, t - 11) : t + 1])!r}</code>, "
        f"predict <code>{html.escape(text[t + 1])!r}</code></div>"
    )
    body = f'<div style="display:flex;gap:24px;flex-wrap:wrap">{"".join(blocks)}</div>'
    return caption + body + _legend_html()


def plot_saliency_by_lag(profiles, max_lag=None, ax=None):
    """Does the LSTM's prediction depend on characters further back than the RNN's?

    Parameters
    ----------
    profiles : dict of str -> dict
        ``{name: lag_profile(...)}``.
    max_lag : int, optional
        Last lag drawn (default: all).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        Mean share of the saliency mass at each lag (log scale), one line per model,
        with dotted lines at ``lm.LAG_NEAR`` and ``lm.LAG_FAR``.
    """
    fig, ax = plotting.figure_axes(ax)
    for name, prof in profiles.items():
        share = prof["profile"] if max_lag is None else prof["profile"][: max_lag + 1]
        ax.semilogy(
            np.arange(share.size),
            share,
            color=plotting.COLORS.get(name.lower()),
            label=f"{name}: {prof['far_share']:.0%} beyond lag {lm.LAG_NEAR}, "
            f"{prof['tail_share']:.1%} beyond lag {lm.LAG_FAR}",
        )
    for lag in (lm.LAG_NEAR, lm.LAG_FAR):
        ax.axvline(lag + 0.5, color=plotting.COLORS["bound"], ls=":", lw=1.5)
    ax.legend(loc="upper right")
    plotting.label(
        ax,
        "lag $k = t - s$ (characters back)",
        "mean share of saliency",
        "How far back does the next-character prediction look?",
    )
    f = plotting.fmt
    parts = []
    for name, prof in profiles.items():
        share = prof["profile"] if max_lag is None else prof["profile"][: max_lag + 1]
        parts.append(
            f"{name} {f(share[0])} at lag 0 and {f(share[-1])} at lag {share.size - 1}, "
            f"{f(100 * prof['far_share'])}% of the mass beyond lag {lm.LAG_NEAR} and "
            f"{f(100 * prof['tail_share'])}% beyond lag {lm.LAG_FAR}"
        )
    plotting.describe(
        fig,
        "Log-scale line plot of the mean share of the saliency (the gradient of the "
        "prediction) on each earlier character, against the lag k: " + "; ".join(parts),
    )
    return fig


# ------------------------------------------------------------------------- context


def plot_context_bits(ks, bits, full_bits=None, ngram_bits=None, zoom_from=16, ax=None):
    """How many characters back does each model use? Bits per character against ``k``.

    Parameters
    ----------
    ks : sequence of int
        The context lengths measured (characters the model may read), drawn on a
        log-2 axis.
    bits : dict of str -> sequence of float
        ``{"LSTM": [...], "RNN": [...]}``: bits per character at each ``k``, from
        :func:`rnnlib.lm.context_bits` (averaged over the same positions).
    full_bits : dict of str -> float, optional
        The same models with their whole past (a stateful read), drawn as a dotted
        line in the model's colour. With it, a second panel zooms in on the bits
        lost by the cut, ``bits - full_bits``, for ``k >= zoom_from``.
    ngram_bits : dict of int -> float, optional
        ``{n: bits}`` of n-gram models on the same positions, drawn as grey markers
        at ``k = n - 1`` (the characters an n-gram reads).
    zoom_from : int
        First ``k`` of the zoomed panel.
    ax : matplotlib.axes.Axes, or a pair of them with ``full_bits``, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    two = full_bits is not None
    fig, axes = plotting.figure_axes(ax, 1, 2 if two else 1, figsize=(11.0, 3.8) if two else None)
    axes = np.atleast_1d(axes)
    ks = np.asarray(ks)
    main = axes[0]
    for name, values in bits.items():
        color = plotting.COLORS.get(name.lower())
        main.plot(ks, values, "o-", color=color, label=f"{name}, last $k$ characters only")
        if two and name in full_bits:
            main.axhline(
                full_bits[name],
                color=color,
                ls=":",
                lw=1.5,
                label=f"{name}, whole past: {full_bits[name]:.2f}",
            )
    if ngram_bits:
        n = np.array(sorted(ngram_bits))
        main.plot(
            n - 1,
            [ngram_bits[m] for m in n],
            "s",
            color=plotting.COLORS["bound"],
            ms=7,
            label="n-gram (Witten-Bell), $k = n - 1$",
        )
        for m in n:
            main.annotate(
                f"{m}-gram",
                (m - 1, ngram_bits[m]),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                va="bottom",
                fontsize=9,
                color=plotting.COLORS["bound"],
            )
    main.set_xscale("log", base=2)
    main.margins(y=0.12)  # room above the highest marker for its label
    main.legend(loc="upper right")
    plotting.label(
        main,
        "context $k$ (characters the model may read)",
        "bits per character",
        "How far back does each model's prediction reach?",
    )
    if two:
        zoom = axes[1]
        keep = ks >= zoom_from
        for name, values in bits.items():
            if name in full_bits:
                lost = np.asarray(values, dtype=np.float64)[keep] - full_bits[name]
                zoom.plot(ks[keep], lost, "o-", color=plotting.COLORS.get(name.lower()), label=name)
        zoom.axhline(0.0, color=plotting.COLORS["bound"], lw=1)
        zoom.set_xscale("log", base=2)
        zoom.legend(loc="upper right")
        plotting.label(
            zoom,
            "context $k$ (characters the model may read)",
            "bits lost against the whole past",
            f"Zoom, $k \\geq {zoom_from}$: what the cut costs",
        )
    f = plotting.fmt
    parts = []
    for name, values in bits.items():
        v = np.asarray(values, dtype=np.float64)
        part = f"{name} from {f(v[0])} at k = {ks[0]} to {f(v[-1])} at k = {ks[-1]}"
        if two and name in full_bits:
            part += f" (whole past {f(full_bits[name])})"
        parts.append(part)
    lead = (
        f"{'Two panels. Left: l' if two else 'L'}ine plot of bits per character against the "
        "context k, the characters a model may read (log-2 scale): " + "; ".join(parts)
    )
    if ngram_bits:
        grams = [f"{m}-gram {f(ngram_bits[m])}" for m in sorted(ngram_bits)]
        lead += "; n-grams: " + ", ".join(grams)
    if two and keep.any():
        lost = {
            name: np.asarray(values, dtype=np.float64)[keep] - full_bits[name]
            for name, values in bits.items()
            if name in full_bits
        }
        cut = [
            f"{n} {f(v[0])} at k = {ks[keep][0]}, {f(v[-1])} at k = {ks[-1]}"
            for n, v in lost.items()
        ]
        lead += f". Right: the bits lost against the whole past, for k from {zoom_from}: "
        lead += "; ".join(cut)
    plotting.describe(fig, lead)
    return fig
