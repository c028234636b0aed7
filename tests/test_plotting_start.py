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


def test_plot_describes_the_state_in_numbers_and_follows_an_update():
    from rnnlib.plotting import description, fmt
    from rnnlib.plotting.start import update_one_unit_rnn

    fig = plot_one_unit_rnn(w=0.5, T=10)
    h = one_unit_rnn(0.5, pulse_input(10))
    text = description(fig)
    assert text.startswith("Line plot of the hidden state h_t of a one-unit RNN with w = 0.5")
    assert f"h_1 = {fmt(h[0])}, h_10 = {fmt(h[-1])};" in text
    update_one_unit_rnn(fig, w=-0.9, T=10)
    h = one_unit_rnn(-0.9, pulse_input(10))
    text = description(fig)
    assert "w = -0.9 over 10 steps" in text and f"h_10 = {fmt(h[-1])} and changes sign" in text
    plt.close(fig)
