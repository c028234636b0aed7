"""rnnlib.plotting.start: notebook 00's figures draw what they are given, fast."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib.one_unit import one_unit_rnn, pulse_input
from rnnlib.plotting.start import plot_one_unit_rnn
from rnnlib.timing import best_time


def test_plot_draws_the_state_and_moves_with_w():
    fig_a = plot_one_unit_rnn(w=0.2)
    fig_b = plot_one_unit_rnn(w=1.2)
    ya = fig_a.axes[0].lines[0].get_ydata()
    yb = fig_b.axes[0].lines[0].get_ydata()
    assert len(ya) == 30 and not np.allclose(ya, yb)
    assert "0.20" in fig_a.axes[0].get_title()
    assert np.array_equal(ya, one_unit_rnn(0.2, pulse_input(30)))
    plt.close("all")


@pytest.mark.parametrize("w", [-1.5, 1.5])
def test_plot_is_not_pathologically_slow_at_the_slider_ends(w):
    # a guard 10x the 0.2 s target, which load cannot trip; speed is measured in benchmarks/
    assert best_time(plot_one_unit_rnn, w=w, repeat=2) < 2.0
