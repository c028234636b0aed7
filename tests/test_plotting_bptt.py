"""rnnlib.plotting.bptt: notebook 03's figures draw what they are given, fast."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib.bptt import input_gradient_norms, scaled_orthogonal_rnn
from rnnlib.plotting.bptt import LOG_FLOOR, plot_gradient_contributions


def _bar_heights(fig):
    return np.array([p.get_height() for p in fig.axes[0].patches if p.get_width() < 1])


@pytest.mark.parametrize("log", [True, False])
def test_plot_draws_t_bars_and_shades_the_future(log):
    norms = input_gradient_norms(*scaled_orthogonal_rnn(1.0, T=12))
    fig = plot_gradient_contributions(norms, t=5, log=log, scale=1.0)
    heights = _bar_heights(fig)
    assert len(heights) == 5
    expected = np.maximum(norms[4, :5], LOG_FLOOR) if log else norms[4, :5]
    assert np.allclose(heights, expected)
    assert fig.axes[0].get_yscale() == ("log" if log else "linear")
    assert "L_{5}" in fig.axes[0].get_title()
    plt.close(fig)
    with pytest.raises(ValueError, match="between 1 and T"):
        plot_gradient_contributions(norms, t=13)
