"""rnnlib.plotting.gru: notebook 08's figures draw what they are given, fast."""

import matplotlib.pyplot as plt
import numpy as np

from rnnlib.plotting.gru import plot_learning_rate_sweep, plot_success_by_cell, plot_update_gate
from rnnlib.timing import best_time


def test_static_figure_has_two_labelled_panels_and_answers_fast():
    fig = plot_update_gate(1.0)
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    plt.close(fig)
    plot_update_gate(3.5)  # fill the cache once
    plt.close("all")
    assert best_time(plot_update_gate, 3.5) < 2.0  # a guard 10x the 0.2 s target


def test_comparison_plots_draw_every_cell():
    lags, lrs = (5, 10, 20), (0.01, 0.1)
    rng = np.random.default_rng(0)
    rates = {cell: rng.uniform(size=(3, 2, 4)) for cell in ("rnn", "gru", "lstm")}
    fig = plot_learning_rate_sweep(lags, lrs, rates)
    assert [ax.get_title() for ax in fig.axes] == ["RNN", "GRU", "LSTM"]
    assert all(len(ax.get_lines()) == len(lrs) + 1 for ax in fig.axes)  # + the threshold
    plt.close(fig)
    success = {cell: r[:, 0] for cell, r in rates.items()}
    fig = plot_success_by_cell(lags, success, chance=0.15)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels == [f"{c} (mean of 4 runs)" for c in ("RNN", "GRU", "LSTM")]
    plt.close(fig)
