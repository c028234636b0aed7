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


def test_plot_describes_the_nearest_and_the_first_input_in_numbers():
    from rnnlib.plotting import description

    norms = np.zeros((6, 6))
    norms[3, :4] = [1e-6, 1e-4, 1e-2, 1.0]
    text = description(plot_gradient_contributions(norms, t=4, log=True, scale=0.5))
    assert text.startswith("Log-scale bar chart of the gradient norm ||dL_t/dx_s||")
    assert "every singular value of W_h equal to 0.5" in text
    assert "the nearest input (s = 4) gets 1, the first (s = 1) 1e-6, 1e-6 times as much" in text
    assert "inputs after step 4 (up to 6) have no effect" in text
    assert "4 bars (unlabelled)" in text  # the generic part lists the bars
    plt.close("all")
