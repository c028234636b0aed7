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


def test_descriptions_state_each_figure_in_numbers():
    from rnnlib.gradient_flow import update_gate_curves
    from rnnlib.plotting import description, fmt, fmt_log10

    d = update_gate_curves(2.0, 0)
    text = description(plot_update_gate(update_bias=2.0))
    assert f"b_z = 2, so z = {fmt(d['z'])}" in text and f"half-life {fmt(d['half_life'])}" in text
    assert f"GRU {fmt_log10(d['gru'][-1])}" in text
    lags = [5, 10]
    success = {"rnn": np.array([[1.0, 0.5], [0.0, 0.0]]), "gru": np.ones((2, 2))}
    text = description(plot_success_by_cell(lags, success, chance=0.1))
    assert "RNN (mean of 2 runs) T = 5: 75%, T = 10: 0%" in text
    assert "GRU (mean of 2 runs) T = 5: 100%" in text and "solves 10%" in text
    rates = {"lstm": np.array([[[1.0], [0.0]], [[1.0], [0.0]]])}
    text = description(plot_learning_rate_sweep(lags, [0.01, 0.1], rates))
    assert "LSTM: lr 0.01 learned up to lag 10 (100% at lag 10), lr 0.1 learned at no lag" in text
    plt.close("all")
