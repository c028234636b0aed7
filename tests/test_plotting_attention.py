"""rnnlib.plotting.attention: notebook 09's figures draw what they are given, fast."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib.dates import LENGTH_BINS, DateVocab, make_dates
from rnnlib.plotting import description
from rnnlib.plotting.attention import (
    plot_accuracy_by_length,
    plot_alignment,
    plot_copy_accuracy,
    plot_example,
    plot_first_errors,
    update_example,
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


def alignment_state(fig):
    """What a figure of plot_example shows: size, description, and per panel its title,
    limits, tick labels, images (values and extent) and texts."""
    state = [tuple(fig.get_size_inches()), description(fig), len(fig.axes)]
    for ax in fig.axes:
        state.append((ax.get_title(), ax.get_xlim(), ax.get_ylim(), ax.axison))
        for axis in (ax.xaxis, ax.yaxis) if ax.axison else ():  # (hidden ticks: not shown)
            state.append([(t.get_text(), t.get_position()) for t in axis.get_ticklabels()])
            state.append(list(axis.get_ticklocs()))
        state += [(np.asarray(im.get_array()).tolist(), im.get_extent()) for im in ax.images]
        state += [t.get_text() for t in ax.texts]
    return state


def test_plot_example_fits_the_figure_to_the_widest_source(model):
    src, tgt = ["1/5/26", "Wednesday, 25 November 2026"], ["2026-05-01", "2026-11-25"]
    narrow = plot_example(model, VOCAB, src, tgt, index=0)
    wide = plot_example(model, VOCAB, src, tgt, index=0, columns=27)
    assert narrow.get_size_inches()[0] == 5.0 and wide.get_size_inches()[0] == 0.28 * 27 + 2
    assert description(narrow) == description(wide)  # the same data, only wider
    plt.close("all")


def test_plot_example_decodes_each_source_once_with_a_memo(model, monkeypatch):
    from rnnlib.plotting import attention as pa

    calls = []
    translate = pa.translate
    monkeypatch.setattr(pa, "translate", lambda *a, **k: calls.append(a[2]) or translate(*a, **k))
    src, tgt = make_dates(3, np.random.default_rng(1))
    decoded = {}
    for index in (0, 1, 0, 1, 2):
        plot_example(model, VOCAB, src, tgt, index=index, decoded=decoded)
    plot_example(model, VOCAB, src, tgt, typed="14 März 1992", decoded=decoded)
    plot_example(model, VOCAB, src, tgt, typed="14 März 1992", decoded=decoded)
    assert calls == [[s] for s in src] + [["14 März 1992"]]
    assert set(decoded) == {*src, "14 März 1992"}
    plt.close("all")


def test_update_example_gives_the_figure_a_fresh_draw_gives(model):
    src, tgt = make_dates(6, np.random.default_rng(3))
    src[2] = "1/5/26"  # a short source in a figure made for the longest
    columns = max(len(s) for s in src)
    fig = plot_example(model, VOCAB, src, tgt, index=0, columns=columns)
    colorbar = fig.axes[1]
    moves = [
        (1, "", True),
        (2, "", True),
        (3, "Mar 14, 1992", True),
        (3, "14 März 1992", False),  # cannot be read: drawn anew, in place
        (4, "", False),  # and back
        (5, "", True),
        (5, "Wednesday, 25 November 2026, a Wednesday", False),  # wider than the figure
        (0, "", False),
    ]
    for index, typed, blit in moves:
        changed = update_example(
            fig, model, VOCAB, src, tgt, index=index, typed=typed, columns=columns
        )
        assert (changed is not None) == blit, (index, typed)
        fresh = plot_example(model, VOCAB, src, tgt, index=index, typed=typed, columns=columns)
        assert alignment_state(fig) == alignment_state(fresh), (index, typed)
        plt.close(fresh)
    assert fig.axes[1] is not colorbar and len(fig.axes) == 2  # one colour bar, drawn anew
    plt.close("all")


def test_accuracy_and_first_error_plots():
    total = np.array([10, 10, 10, 10, 10])
    fig = plot_accuracy_by_length(LENGTH_BINS, np.full((2, 5), 10), np.zeros((2, 5), int), total)
    assert "source length" in fig.axes[0].get_xlabel()
    plt.close(fig)
    fig = plot_first_errors({"greedy": [5, 6, None], "beam": [None, 8]}, 10, labels="YYYY-MM-DD")
    assert len(fig.axes[0].patches) == 22
    plt.close(fig)


def test_copy_accuracy_plot_draws_means_and_describes_them():
    bins = ((5, 10), (11, 20), (21, 30))
    common = dict(examples=np.array([10, 10, 10]), chars=np.array([80, 150, 250]))
    with_att = dict(
        exact=np.full((3, 3), 10), chars_right=np.tile([80, 150, 250], (3, 1)), **common
    )
    without = dict(
        exact=np.array([[9, 1, 0]] * 3), chars_right=np.array([[76, 60, 25]] * 3), **common
    )
    fig = plot_copy_accuracy(bins, with_att, without)
    assert len(fig.axes) == 2 and "source length" in fig.axes[0].get_xlabel()
    assert np.allclose(fig.axes[0].lines[1].get_ydata(), [90, 10, 0])
    text = description(fig)
    assert "without attention it goes from 90 % at 5-10 digits to 0 % at 21-30" in text
    assert "with attention it goes from 100 %" in text
    plt.close(fig)


def test_descriptions_of_the_dates_figures_state_their_data():
    alpha = np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.0, 0.0, 1.0]])
    text = description(plot_alignment("a b", "xy", alpha))
    assert "3 output characters (rows) against 3 source characters" in text
    assert "x at a (position 1, 0.9), y at ␣ (position 2, 0.7), </s> at b (position 3, 1)" in text
    bins = [(1, 5), (6, 10)]
    correct = np.array([[10, 5], [8, 3]])
    text = description(plot_accuracy_by_length(bins, correct, correct // 2, np.array([10, 10])))
    assert "2 seeds" in text and "with attention 1-5: 90%, 6-10: 40%" in text
    assert "without attention 1-5: 45%, 6-10: 15%" in text
    text = description(plot_first_errors([0, 3, 3, None], 4, labels="ab-c"))
    assert "3 of 4 examples go wrong" in text and "are 3 (c): 2, 0 (a): 1" in text
    plt.close("all")
