"""rnnlib.plotting.training: the validation loss at the checkpoints of a run."""

import matplotlib.pyplot as plt
import numpy as np

from rnnlib.plotting.training import plot_checkpoints


def test_plot_checkpoints_draws_one_line_per_model():
    runs = {
        "LSTM": [
            dict(step=0, val_nats=4.5),
            dict(step=10, val_nats=1.2),
            dict(step=20, val_nats=1.1),
        ],
        "RNN": [
            dict(step=0, val_nats=4.5),
            dict(step=10, val_nats=1.3),
            dict(step=20, val_nats=1.25),
        ],
    }
    fig = plot_checkpoints(runs, baseline_bits={"unigram": 4.7, "5-gram": 1.9})
    ax = fig.axes[0]
    assert len(ax.lines) == 3  # two models (step 0 left out), the 5-gram (not the unigram)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.array([1.2, 1.1]) / np.log(2))
    assert ax.get_xlabel() == "training step"
    plt.close(fig)
