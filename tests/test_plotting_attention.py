"""rnnlib.plotting.attention: notebook 09's figures draw what they are given, fast."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib.dates import LENGTH_BINS, DateVocab, make_dates
from rnnlib.plotting.attention import (
    plot_accuracy_by_length,
    plot_alignment,
    plot_example,
    plot_first_errors,
)
from rnnlib.seq2seq import Seq2Seq

VOCAB = DateVocab()


@pytest.fixture
def model():
    return Seq2Seq(len(VOCAB), 4, 6, np.random.default_rng(0))


def test_plot_alignment_checks_its_shape():
    fig = plot_alignment("1 May 26", "2026", np.full((5, 8), 1 / 8))
    assert fig.axes[0].get_xlabel() == "source character"
    plt.close(fig)
    with pytest.raises(ValueError, match="alpha must have shape"):
        plot_alignment("1 May 26", "2026", np.full((3, 8), 1 / 8))


def test_plot_example_typed_and_bad_text(model):
    src, tgt = make_dates(3, np.random.default_rng(1))
    fig = plot_example(model, VOCAB, src, tgt, index=1)
    assert src[1] in fig.axes[0].get_title()
    plt.close(fig)
    fig = plot_example(model, VOCAB, src, tgt, typed="Mar 14, 1992")
    assert "(typed)" in fig.axes[0].get_title()
    plt.close(fig)
    fig = plot_example(model, VOCAB, src, tgt, typed="14 März 1992")
    assert "cannot read" in fig.axes[0].texts[0].get_text()
    plt.close(fig)


def test_accuracy_and_first_error_plots():
    total = np.array([10, 10, 10, 10, 10])
    fig = plot_accuracy_by_length(LENGTH_BINS, np.full((2, 5), 10), np.zeros((2, 5), int), total)
    assert "source length" in fig.axes[0].get_xlabel()
    plt.close(fig)
    fig = plot_first_errors({"greedy": [5, 6, None], "beam": [None, 8]}, 10, labels="YYYY-MM-DD")
    assert len(fig.axes[0].patches) == 22
    plt.close(fig)
