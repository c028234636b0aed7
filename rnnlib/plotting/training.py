"""How a long training run went: validation loss at checkpoints, against the baselines."""

from __future__ import annotations

import numpy as np

from rnnlib import plotting

__all__ = ["plot_checkpoints"]

LN2 = float(np.log(2.0))
BASELINE_STYLES = ("--", "-.", ":", (0, (6, 2, 1, 2, 1, 2)))


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
    for k, (name, bits) in enumerate((baseline_bits or {}).items()):
        if bits < top + 0.5:  # the unigram baseline would squash the curves
            ax.axhline(
                bits,
                color=plotting.COLORS["bound"],
                lw=1.5,
                ls=BASELINE_STYLES[k % len(BASELINE_STYLES)],
                label=f"{name}: {bits:.2f}",
            )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title="validation bits/char")
    plotting.label(
        ax,
        "training step",
        "validation loss (bits per character)",
        title or "Validation loss at the checkpoints of the run",
    )
    return fig
