"""rnnlib.widgets.attention: notebook 09's explorers build controls that redraw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnnlib.dates import DateVocab, make_dates  # noqa: E402
from rnnlib.seq2seq import Seq2Seq  # noqa: E402
from rnnlib.widgets import attention as w  # noqa: E402

VOCAB = DateVocab()


@pytest.fixture
def model():
    return Seq2Seq(len(VOCAB), 4, 6, np.random.default_rng(0))


def test_explorer_moves(model):
    src, tgt = make_dates(4, np.random.default_rng(2))
    ui = w.alignment_explorer(model, VOCAB, src, tgt)
    slider, text = ui.children[:2]
    slider.value = 3
    text.value = "2001/02/03"
    plt.close("all")
    with pytest.raises(ValueError, match="must use attention"):
        w.alignment_explorer(
            Seq2Seq(len(VOCAB), 4, 6, np.random.default_rng(0), attention=None), VOCAB, src, tgt
        )


def test_moving_the_slider_updates_the_same_figure_in_place(model):
    from test_plotting_attention import alignment_state

    from rnnlib.plotting.attention import plot_example

    plt.close("all")
    src, tgt = make_dates(5, np.random.default_rng(2))
    columns = max(len(s) for s in src)
    ui = w.alignment_explorer(model, VOCAB, src, tgt)
    live = ui.live
    fig = live.fig
    slider, text = ui.children[:2]
    slider.value = 3
    slider.value = 1
    assert live.fig is fig and plt.get_fignums() == []  # same figure, none left to pyplot
    assert live.draws == {"full": 2, "blit": 1, "new": 0}  # the first move sets the background
    fresh = plot_example(model, VOCAB, src, tgt, index=1, columns=columns)
    assert alignment_state(fig) == alignment_state(fresh)
    text.value = "14 März 1992"  # cannot be read: the same figure, drawn anew
    assert live.fig is fig and live.draws == {"full": 3, "blit": 1, "new": 0}
    fresh = plot_example(model, VOCAB, src, tgt, index=1, typed="14 März 1992", columns=columns)
    assert alignment_state(fig) == alignment_state(fresh)
    text.value = ""
    assert alignment_state(fig) == alignment_state(
        plot_example(model, VOCAB, src, tgt, index=1, columns=columns)
    )
    assert live.draws["new"] == 0
    plt.close("all")
