"""Notebook 09's figures: the encoder-decoder and attention.

- :func:`plot_alignment`: the attention weights of one decoded example, output
  characters (rows) against source characters (columns); :func:`plot_example`
  decodes one example (with :func:`rnnlib.seq2seq.translate`) and draws it;
- :func:`plot_accuracy_by_length`: exact-match accuracy against the source length,
  with and without attention, one dot per seed;
- :func:`plot_first_errors`: where in the output free-running decoding goes wrong.
"""

from __future__ import annotations

import numpy as np

from rnnlib import plotting
from rnnlib.seq2seq import translate

__all__ = ["plot_accuracy_by_length", "plot_alignment", "plot_example", "plot_first_errors"]


_WITH, _WITHOUT = plotting.COLORS["gru"], plotting.COLORS["bound"]


def _show(c):
    return "␣" if c == " " else c


def plot_alignment(source, output, alpha, ax=None, title=None):
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

    Returns
    -------
    matplotlib.figure.Figure
    """
    alpha = np.asarray(alpha)
    rows = [_show(c) for c in output] + ["</s>"]
    if alpha.shape == (len(output), len(source)):  # stopped before emitting </s>
        rows = rows[:-1]
    if alpha.shape != (len(rows), len(source)):
        raise ValueError(
            f"alpha must have shape (len(output) + 1, len(source)) = "
            f"({len(rows)}, {len(source)}), got {alpha.shape}"
        )
    fig, ax = plotting.figure_axes(ax, figsize=(max(5.0, 0.28 * len(source) + 2), 4.2))
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
    ax.set_xticks(range(len(source)), [_show(c) for c in source])
    ax.set_yticks(range(len(rows)), rows)
    ax.invert_yaxis()  # first output character at the top, reading down
    return fig


def _example(model, vocab, source):
    try:
        outputs, alphas = translate(model, vocab, [source])
    except ValueError as err:
        return None, str(err)
    return (outputs[0], alphas[0]), None


def plot_example(model, vocab, sources, targets, index=0, typed="", ax=None):
    """The alignment of test example ``index``, or of ``typed`` if it is not empty."""
    source = typed.strip() or sources[index]
    found, err = _example(model, vocab, source)
    if err is not None:
        fig, ax = plotting.figure_axes(ax, figsize=(6, 1.5))
        ax.axis("off")
        ax.text(0, 0.5, f"cannot read {source!r}: {err}", va="center", wrap=True)
        return fig
    output, alpha = found
    if typed.strip():
        title = f"{source!r} -> {output!r} (typed)"
    else:
        mark = "correct" if output == targets[index] else f"wrong, target {targets[index]!r}"
        title = f"{source!r} -> {output!r} ({mark})"
    return plot_alignment(source, output, alpha, ax=ax, title=title)


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
    return fig
