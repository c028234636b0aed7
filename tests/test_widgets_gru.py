"""Widget and plot of notebook 08: the numbers drawn come from analysis, and the slider redraws."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib import analysis, widgets
from rnnlib.timing import best_time
from rnnlib.widgets import gru as wg


def test_curves_are_analysis_numbers():
    d = widgets.update_gate_curves(2.0)
    z = 1 / (1 + np.exp(-2.0))
    assert d["z"] == pytest.approx(z)
    np.testing.assert_allclose(d["memory"], z ** np.arange(wg.MEMORY_K + 1))
    assert d["half_life"] == pytest.approx(np.log(0.5) / np.log(z))
    want = analysis.gradient_norm_vs_lag(
        "gru", wg.FLOW_H, wg.FLOW_T, 0, N=wg.FLOW_N, update_bias=2.0, log10=True
    )
    np.testing.assert_array_equal(d["gru"], want)
    assert d["rnn"].shape == d["lstm"].shape == (wg.FLOW_T,)


def test_a_larger_update_bias_keeps_memory_and_gradient_longer():
    low, high = widgets.update_gate_curves(0.0), widgets.update_gate_curves(4.0)
    assert high["half_life"] > 30 * low["half_life"]
    assert high["gru"][-1] > low["gru"][-1] + 10  # log10 units, at the longest lag


def test_static_figure_has_two_labelled_panels_and_answers_fast():
    fig = widgets.plot_update_gate(1.0)
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    plt.close(fig)
    widgets.plot_update_gate(3.5)  # fill the cache once
    plt.close("all")
    assert best_time(widgets.plot_update_gate, 3.5) < 2.0  # a guard 10x the 0.2 s target


def test_slider_moves_the_plot():
    w = widgets.update_gate_explorer()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    slider = w.children[0]
    assert isinstance(slider, ipywidgets.FloatSlider) and slider.value == 1.0
    slider.value = 3.0  # the interactive callback redraws without error
    plt.close("all")


def test_comparison_plots_draw_every_cell():
    lags, lrs = (5, 10, 20), (0.01, 0.1)
    rng = np.random.default_rng(0)
    rates = {cell: rng.uniform(size=(3, 2, 4)) for cell in ("rnn", "gru", "lstm")}
    fig = widgets.plot_learning_rate_sweep(lags, lrs, rates)
    assert [ax.get_title() for ax in fig.axes] == ["RNN", "GRU", "LSTM"]
    assert all(len(ax.get_lines()) == len(lrs) + 1 for ax in fig.axes)  # + the threshold
    plt.close(fig)
    success = {cell: r[:, 0] for cell, r in rates.items()}
    fig = widgets.plot_success_by_cell(lags, success, chance=0.15)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels == [f"{c} (mean of 4 runs)" for c in ("RNN", "GRU", "LSTM")]
    plt.close(fig)
