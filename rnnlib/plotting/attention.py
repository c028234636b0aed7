"""Notebook 09's figures: the encoder-decoder and attention.

- :func:`plot_alignment`: the attention weights of one decoded example, output
  characters (rows) against source characters (columns); :func:`plot_example`
  decodes one example (with :func:`rnnlib.seq2seq.translate`) and draws it, and
  :func:`update_example` moves a drawn figure to another example in place (the
  widget's update);
- :func:`plot_accuracy_by_length`: exact-match accuracy against the source length,
  with and without attention, one dot per seed;
- :func:`plot_first_errors`: where in the output free-running decoding goes wrong;
- :func:`plot_copy_accuracy`: the bottleneck experiment, exact matches and right
  characters against the length of the copied digit string, with and without attention.
"""

from __future__ import annotations

import numpy as np

from rnnlib import plotting
from rnnlib.seq2seq import translate

__all__ = [
    "plot_accuracy_by_length",
    "plot_alignment",
    "plot_copy_accuracy",
    "plot_example",
    "plot_first_errors",
    "update_example",
]


_WITH, _WITHOUT = plotting.COLORS["gru"], plotting.COLORS["bound"]


def _show(c):
    return "␣" if c == " " else c


def plot_alignment(source, output, alpha, ax=None, title=None, columns=None):
    """Where does the decoder look? Attention weights, output characters x source characters.

    Parameters
    ----------
    source : str
        The source, S characters.
    output : str
        The decoded output (without ``</s>``).
    alpha : numpy.ndarray, shape (len(output) + 1, S)
        Weights of every emitted character, ``</s>`` last (as :func:`translate` gives);
        (len(output), S) if decoding stopped before ``</s>``.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    columns : int, optional
        Make a new figure as wide as for this many source characters (or for S, if
        more): a widget that shows sources of several lengths in one figure passes the
        longest. Default: S.

    Returns
    -------
    matplotlib.figure.Figure
    """
    alpha, rows = _alignment_rows(source, output, alpha)
    fig, ax = plotting.figure_axes(ax, figsize=_alignment_size(len(source), columns))
    plotting.heatmap(
        alpha,
        ax=ax,
        xlabel="source character",
        ylabel="output character",
        title=title or f"{source!r} -> {output!r}",
        cmap="viridis",
        vmin=0,
        vmax=1,
        colorbar_label=r"weight $\alpha$",
    )
    _alignment_ticks(ax, source, rows)
    ax.invert_yaxis()  # first output character at the top, reading down
    plotting.describe(fig, _alignment_lead(source, output, alpha, rows))
    return fig


def _alignment_rows(source, output, alpha):
    """``alpha`` as an array, checked, and the row labels: the output's characters, ``</s>``."""
    alpha = np.asarray(alpha)
    rows = [_show(c) for c in output] + ["</s>"]
    if alpha.shape == (len(output), len(source)):  # stopped before emitting </s>
        rows = rows[:-1]
    if alpha.shape != (len(rows), len(source)):
        raise ValueError(
            f"alpha must have shape (len(output) + 1, len(source)) = "
            f"({len(rows)}, {len(source)}), got {alpha.shape}"
        )
    return alpha, rows


def _alignment_size(S, columns=None):
    """The size in inches of a new alignment figure for S source characters (or ``columns``)."""
    width = S if columns is None else max(S, int(columns))
    return (max(5.0, 0.28 * width + 2), 4.2)


def _alignment_ticks(ax, source, rows):
    ax.set_xticks(range(len(source)), [_show(c) for c in source])
    ax.set_yticks(range(len(rows)), rows)


def _alignment_lead(source, output, alpha, rows):
    """The description of :func:`plot_alignment`'s figure, in numbers."""
    f = plotting.fmt
    src = [_show(c) for c in source]
    looks = ", ".join(
        f"{row} at {src[int(np.argmax(a))]} (position {int(np.argmax(a)) + 1}, {f(np.max(a))})"
        for row, a in zip(rows, alpha, strict=True)
    )
    return (
        f"Heatmap of attention weights from 0 to 1, {len(rows)} output characters (rows) "
        f"against {len(source)} source characters (columns), for the source {source!r} "
        f"decoded as {output!r}. Where each output character looks most (source character, "
        f"position, weight): {looks}"
    )


def _example(model, vocab, source, decoded=None):
    """``((output, alpha), None)`` for a source the model reads, ``(None, message)`` if not."""
    if decoded is not None and source in decoded:
        return decoded[source]
    try:
        outputs, alphas = translate(model, vocab, [source])
        found = (outputs[0], alphas[0]), None
    except ValueError as err:
        found = None, str(err)
    if decoded is not None:
        decoded[source] = found
    return found


def _example_title(source, output, targets, index, typed):
    if typed.strip():
        return f"{source!r} -> {output!r} (typed)"
    mark = "correct" if output == targets[index] else f"wrong, target {targets[index]!r}"
    return f"{source!r} -> {output!r} ({mark})"


_UNREADABLE_SIZE = (6, 1.5)


def _draw_unreadable(ax, source, err):
    ax.axis("off")
    ax.text(0, 0.5, f"cannot read {source!r}: {err}", va="center", wrap=True)


def plot_example(
    model, vocab, sources, targets, index=0, typed="", ax=None, columns=None, decoded=None
):
    """The alignment of test example ``index``, or of ``typed`` if it is not empty.

    Parameters
    ----------
    model : rnnlib.seq2seq.Seq2Seq
        With attention.
    vocab : rnnlib.dates.DateVocab
    sources, targets : list of str
        Test examples.
    index : int
        Which test example.
    typed : str
        A date of the learner's own, shown instead of the test example when not blank.
    ax : matplotlib.axes.Axes, optional
    columns : int, optional
        As for :func:`plot_alignment`.
    decoded : dict, optional
        Sources already decoded by ``model``, ``{source: what _example found}``, filled
        as sources are decoded: pass the same dict to every call (while the model's
        weights stay the same) to decode each source once.

    Returns
    -------
    matplotlib.figure.Figure
    """
    source = typed.strip() or sources[index]
    found, err = _example(model, vocab, source, decoded)
    if err is not None:
        fig, ax = plotting.figure_axes(ax, figsize=_UNREADABLE_SIZE)
        _draw_unreadable(ax, source, err)
        return fig
    output, alpha = found
    title = _example_title(source, output, targets, index, typed)
    return plot_alignment(source, output, alpha, ax=ax, title=title, columns=columns)


def update_example(
    fig, model, vocab, sources, targets, index=0, typed="", columns=None, decoded=None
):
    """Move a figure of :func:`plot_example` to another example, in place.

    The widget's update (:func:`rnnlib.widgets.attention.alignment_explorer`). Between
    two readable sources of at most ``columns`` characters, the heatmap's values and
    shape, its limits, tick labels and title change over the same figure, colour bar
    and size: only the heatmap's panel is drawn again. From or to a text that cannot be
    read (or a source wider than the figure), the same figure is cleared and drawn as
    :func:`plot_example` draws it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Drawn by :func:`plot_example` (without ``ax``).
    model, vocab, sources, targets, index, typed, columns, decoded
        As for :func:`plot_example`.

    Returns
    -------
    list of matplotlib.artist.Artist or None
        The artists that changed, or None when the figure was drawn anew (then the
        whole figure must be drawn again).
    """
    source = typed.strip() or sources[index]
    found, err = _example(model, vocab, source, decoded)
    if err is None:
        output, alpha = found
        alpha, rows = _alignment_rows(source, output, alpha)
        size = _alignment_size(len(source), columns)
    else:
        size = _UNREADABLE_SIZE
    ax = fig.axes[0] if fig.axes else None
    if err is None and ax is not None and ax.images and np.allclose(fig.get_size_inches(), size):
        (im,) = ax.images
        S, R = len(source), len(rows)
        im.set_data(alpha)
        im.set_extent((-0.5, S - 0.5, -0.5, R - 0.5))  # as imshow's, origin "lower"
        ax.set_xlim(-0.5, S - 0.5)
        ax.set_ylim(R - 0.5, -0.5)  # inverted: first output character at the top
        _alignment_ticks(ax, source, rows)
        ax.set_title(_example_title(source, output, targets, index, typed))
        plotting.describe(fig, _alignment_lead(source, output, alpha, rows))
        # in the order a full draw takes them: the spines lie on the image's edges
        return [im, *ax.spines.values(), ax.xaxis, ax.yaxis, ax.title]
    # a text that cannot be read, or back from one: draw the figure anew, in place
    fig.clear()
    fig.set_size_inches(size)
    fig.set_layout_engine("constrained")  # lay the new content out once
    ax = fig.add_subplot()
    if err is not None:
        _draw_unreadable(ax, source, err)
        if hasattr(fig, plotting.DESCRIPTION_ATTR):
            delattr(fig, plotting.DESCRIPTION_ATTR)  # as a fresh figure: no lead sentence
        return None
    title = _example_title(source, output, targets, index, typed)
    plot_alignment(source, output, alpha, ax=ax, title=title)
    return None


def plot_accuracy_by_length(bins, correct_with, correct_without, total, ax=None):
    """Does accuracy fall with the source's length? With and without attention.

    Parameters
    ----------
    bins : sequence of (int, int)
        Ranges of source length (inclusive).
    correct_with, correct_without : numpy.ndarray of int, shape (seeds, len(bins))
        Exact matches per seed and bin.
    total : numpy.ndarray of int, shape (len(bins),)
        Examples per bin.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax, figsize=(6.5, 3.8))
    x = np.arange(len(bins))
    for counts, name, color, dx in (
        (correct_with, "with attention", _WITH, -0.08),
        (correct_without, "without attention", _WITHOUT, 0.08),
    ):
        acc = 100 * np.asarray(counts) / total
        for k, row in enumerate(acc):
            ax.plot(x + dx, row, "o", color=color, alpha=0.7, label=name if k == 0 else None)
        ax.plot(x + dx, acc.mean(axis=0), "-", color=color, lw=2)
    ax.set_xticks(x, [f"{a}-{b}" for a, b in bins])
    ax.set_ylim(-5, 105)
    plotting.label(
        ax,
        "source length (characters)",
        "exact match (%)",
        "Exact-match accuracy by source length (dots: seeds)",
    )
    ax.legend(loc="center right")
    f = plotting.fmt
    parts = []
    for counts, name in ((correct_with, "with attention"), (correct_without, "without attention")):
        acc = (100 * np.asarray(counts) / total).mean(axis=0)
        means = ", ".join(f"{a}-{b}: {f(m)}%" for (a, b), m in zip(bins, acc, strict=True))
        parts.append(f"{name} {means}")
    plotting.describe(
        fig,
        f"Exact-match accuracy against the source length in characters, dots for each of "
        f"{len(np.asarray(correct_with))} seeds and a line for their mean: " + "; ".join(parts),
    )
    return fig


def plot_first_errors(first, length, ax=None, labels=None):
    """Where does free-running decoding first go wrong? Count of first errors per position.

    Parameters
    ----------
    first : sequence of int or None, or a dict of such sequences
        Position of the first wrong character per example (None: no error).
    length : int
        Characters of the target (10 for an ISO date).
    labels : str, optional
        The target's characters, written under the positions (e.g. ``"YYYY-MM-DD"``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    groups = first if isinstance(first, dict) else {"": first}
    fig, ax = plotting.figure_axes(ax, figsize=(6.5, 3.4))
    width = 0.8 / len(groups)
    colors = [_WITHOUT, _WITH, plotting.COLORS["lstm"]]
    for k, (name, pos) in enumerate(groups.items()):
        counts = np.bincount([p for p in pos if p is not None], minlength=length + 1)[: length + 1]
        ax.bar(
            np.arange(length + 1) + (k - (len(groups) - 1) / 2) * width,
            counts,
            width,
            color=colors[k % len(colors)],
            label=name or None,
        )
    ticks = [f"{k}" for k in range(length + 1)]
    if labels is not None:
        ticks = [f"{k}\n{c}" for k, c in enumerate([*labels, "</s>"])]
    ax.set_xticks(range(length + 1), ticks)
    plotting.label(
        ax,
        "position of the first wrong output character",
        "examples",
        "Where the first error falls",
    )
    if len(groups) > 1:
        ax.legend()
    names = ["</s>" if k == length else str(k) for k in range(length + 1)]
    if labels is not None:
        names = [f"{k} ({c})" for k, c in enumerate([*labels, "</s>"])]
    parts = []
    for name, pos in groups.items():
        counts = np.bincount([p for p in pos if p is not None], minlength=length + 1)[: length + 1]
        wrong = int(counts.sum())
        top = ", ".join(f"{names[k]}: {counts[k]}" for k in np.argsort(-counts, kind="stable")[:3])
        parts.append(
            f"{name + ': ' if name else ''}{wrong} of {len(pos)} examples go wrong; the "
            f"positions with the most first errors (position: examples) are {top}"
        )
    plotting.describe(
        fig,
        "Bar chart of the number of examples whose first wrong output character is at each "
        f"position 0 to {length}: " + "; ".join(parts),
    )
    return fig


def plot_copy_accuracy(bins, with_attention, without_attention, axes=None):
    """Does accuracy fall with the source's length? Copying digits, with and without attention.

    Two panels, exact matches and right characters (in %) against the source length:
    per model the mean over seeds (line) and the lowest to highest seed (band).

    Parameters
    ----------
    bins : sequence of (int, int)
        Ranges of source length (inclusive).
    with_attention, without_attention : dict of numpy.ndarray of int
        As :func:`rnnlib.bottleneck.scores_by_length` returns, stacked over seeds:
        ``exact`` and ``chars_right`` of shape (seeds, len(bins)), ``examples`` and
        ``chars`` of shape (len(bins),).
    axes : pair of matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = plotting.figure_axes(axes, 1, 2, figsize=(10, 3.8), sharey=True)
    x = np.array([(a + b) / 2 for a, b in bins])
    means = {}
    for ax, (key, total, what) in zip(
        axes,
        (("exact", "examples", "exact match"), ("chars_right", "chars", "right characters")),
        strict=True,
    ):
        for scores, name, color in (
            (with_attention, "with attention", _WITH),
            (without_attention, "without attention", _WITHOUT),
        ):
            pct = 100 * np.asarray(scores[key]) / np.asarray(scores[total])  # (seeds, bins)
            means[what, name] = pct.mean(axis=0)
            ax.fill_between(x, pct.min(axis=0), pct.max(axis=0), color=color, alpha=0.25, lw=0)
            ax.plot(x, means[what, name], "o-", color=color, label=f"{name} (mean of {len(pct)})")
        ax.set_xticks(x, [f"{a}-{b}" for a, b in bins])
        ax.set_ylim(-3, 103)
        plotting.label(ax, "source length (digits)", f"{what} (%)", f"{what.capitalize()}")
    axes[1].legend(loc="center right")
    fig.suptitle("Copying digit strings: does accuracy fall with length? (bands: seeds' range)")

    def trend(what, name):
        m, (a, b), (c, d) = means[what, name], bins[0], bins[-1]
        first, last = f"{a}-{b}", f"{c}-{d}"
        return f"{name} it goes from {m[0]:.0f} % at {first} digits to {m[-1]:.0f} % at {last}"

    return plotting.describe(
        fig,
        "Two line plots of accuracy against source length, mean over seeds with a band from "
        "the lowest to the highest seed. Exact match: "
        f"{trend('exact match', 'without attention')}; {trend('exact match', 'with attention')}. "
        f"Right characters: {trend('right characters', 'without attention')}; "
        f"{trend('right characters', 'with attention')}",
    )
