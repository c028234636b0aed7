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
