"""Widgets and plots of notebook 00: known answers, fast updates, a slider that moves the plot."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib import widgets


def test_one_unit_rnn_known_answers():
    x = widgets.pulse_input(5)
    assert x.tolist() == [1, 0, 0, 0, 0]
    # w = 0: no memory, the state is zero once the pulse has passed
    h = widgets.one_unit_rnn(0.0, x)
    assert h[0] == np.tanh(1.0) and np.all(h[1:] == 0)
    # small values decay by about w per step; a negative w flips the sign every step
    h = widgets.one_unit_rnn(-0.5, widgets.pulse_input(6))
    assert np.all(np.sign(h) == [1, -1, 1, -1, 1, -1])
    assert h[2] == pytest.approx(np.tanh(-0.5 * h[1]), rel=1e-15)


def test_w_above_one_keeps_a_memory_forever():
    h = widgets.one_unit_rnn(1.2, widgets.pulse_input(200))
    # tanh(1.2 h) = h has a non-zero fixed point: the pulse is never forgotten
    assert h[-1] > 0.5 and h[-1] == pytest.approx(np.tanh(1.2 * h[-1]), rel=1e-9)
    assert abs(widgets.one_unit_rnn(0.8, widgets.pulse_input(200))[-1]) < 1e-12


def test_plot_draws_the_state_and_moves_with_w():
    fig_a = widgets.plot_one_unit_rnn(w=0.2)
    fig_b = widgets.plot_one_unit_rnn(w=1.2)
    ya = fig_a.axes[0].lines[0].get_ydata()
    yb = fig_b.axes[0].lines[0].get_ydata()
    assert len(ya) == 30 and not np.allclose(ya, yb)
    assert "0.20" in fig_a.axes[0].get_title()
    plt.close("all")


@pytest.mark.parametrize("w", [-1.5, 1.5])
def test_plot_is_fast_at_the_slider_ends(w):
    assert widgets.time_call(widgets.plot_one_unit_rnn, w=w) < 0.2


def test_first_slider_is_one_weight_slider():
    w = widgets.first_slider()
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.FloatSlider)]
    assert len(controls) == 1
    slider = controls[0]
    assert (slider.min, slider.max, slider.value) == (-1.5, 1.5, 0.5)
    plt.close("all")
