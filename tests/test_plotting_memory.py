"""rnnlib.plotting.memory: notebook 06's figures draw what they are given, fast."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib import data, memory, models
from rnnlib.plotting.memory import (
    plot_adding_frame,
    plot_adding_sequence,
    plot_lstm_gates,
    plot_success_by_learning_rate,
    plot_success_vs_lag,
    update_adding_frame,
)
from rnnlib.timing import best_time


def _lines_data(fig):
    return [np.asarray(line.get_ydata(), dtype=float) for ax in fig.axes for line in ax.lines]


def _changed(a, b):
    return len(a) != len(b) or any(
        x.shape != y.shape or not np.allclose(x, y) for x, y in zip(a, b, strict=True)
    )


def _x1_x2(x):
    first, second = data.marker_steps(x)
    rows = np.arange(len(x))
    return x[rows, first, 0], x[rows, second, 0]


# ------------------------------------------------------------------------------- plots


def _frames(lags=(5, 20), n_examples=6, N=30):
    test_sets, trained = {}, {}
    for T in lags:
        test_sets[T] = data.adding_problem(
            N, T, np.random.default_rng(T), first_within=data.first_marker_window(T)
        )
        trained[T] = {
            cell: models.SequenceModel(2, H, 1, cell=cell, seed=T)
            for cell, H in (("rnn", 9), ("lstm", 4))
        }
    return memory.example_predictions(test_sets, trained, n_examples=n_examples)


def test_plot_adding_sequence_shows_the_marked_values():
    x, y = data.adding_problem(3, 15, np.random.default_rng(9))
    fig = plot_adding_sequence(x, y, n=1)
    X1, X2 = _x1_x2(x)
    marked_line = [line for line in fig.axes[0].lines if line.get_marker() == "o"][1]
    assert np.allclose(marked_line.get_ydata(), [X1[1], X2[1]])
    assert f"{y[1, 0]:.3f}" in fig.axes[0].get_title()
    plt.close(fig)


def test_plot_success_vs_lag_draws_every_run_and_the_means():
    lags = (5, 10, 20)
    rng = np.random.default_rng(10)
    success = {m: rng.uniform(size=(3, 4)) for m in ("rnn", "lstm")}
    mse = {m: rng.uniform(0.01, 1.2, size=(3, 4)) for m in ("rnn", "lstm")}
    fig = plot_success_vs_lag(lags, success, mse)
    ax_s, ax_m = fig.axes
    means = [line for line in ax_s.lines if line.get_marker() == "D"]
    assert len(means) == 2
    assert np.allclose(means[0].get_ydata(), 100 * success["rnn"].mean(axis=1))
    dots = [line for line in ax_m.lines if line.get_marker() == "o"]
    assert np.allclose(dots[1].get_ydata(), mse["lstm"].ravel())
    assert ax_m.get_yscale() == "log" and ax_s.get_xscale() == "log"
    plt.close(fig)


def test_plot_success_vs_lag_writes_the_best_learning_rates():
    lags = (5, 10)
    success = {"rnn": np.array([[0.9, 0.8], [0.3, 0.2]]), "lstm": np.ones((2, 2))}
    mse = {m: np.full((2, 2), 0.5) for m in ("rnn", "lstm")}
    fig = plot_success_vs_lag(
        lags, success, mse, best_lr={"rnn": [0.005, 0.002], "lstm": [0.02, 0.02]}
    )
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("0.02") == 2 and "0.005" in texts and "0.002" in texts
    plt.close(fig)


def test_plot_success_by_learning_rate_draws_one_mean_per_rate():
    lags, lrs = (5, 10, 20), (0.005, 0.02)
    rng = np.random.default_rng(12)
    success = {m: rng.uniform(size=(3, 2, 4)) for m in ("rnn", "lstm")}
    fig = plot_success_by_learning_rate(lags, success, lrs)
    ax_rnn, ax_lstm = fig.axes
    lines = [line for line in ax_lstm.lines if line.get_label().startswith("lr ")]
    assert [line.get_label() for line in lines] == ["lr 0.005", "lr 0.02"]
    np.testing.assert_allclose(lines[1].get_ydata(), 100 * success["lstm"][:, 1].mean(axis=1))
    assert ax_rnn.get_xscale() == "log"
    with pytest.raises(ValueError, match=r"success\['rnn'\] must be \(L, R, S\)"):
        plot_success_by_learning_rate(
            lags, {"rnn": np.ones((3, 3, 2)), "lstm": np.ones((3, 2, 2))}, lrs
        )
    plt.close("all")


def test_plot_lstm_gates_highlights_the_units():
    x, _ = data.adding_problem(4, 16, np.random.default_rng(11))
    cache = models.SequenceModel(2, 6, 1, cell="lstm", seed=1).forward(x)[1].seq
    fig = plot_lstm_gates(x, cache, n=2, units=[4, 1])
    assert len(fig.axes) == 5
    ax_f = fig.axes[2]
    unit4 = [line for line in ax_f.lines if line.get_label() == "unit 4"][0]
    assert np.allclose(unit4.get_ydata(), cache.f[2, :, 4])
    plt.close(fig)


# ------------------------------------------------------------------------------ widget


def test_plot_adding_frame_follows_the_example_and_the_lag():
    frames = _frames()
    a = _lines_data(plot_adding_frame(frames, lag=20, example=0))
    b = _lines_data(plot_adding_frame(frames, lag=20, example=3))
    c = _lines_data(plot_adding_frame(frames, lag=5, example=3))
    assert _changed(a, b) and _changed(b, c)
    plt.close("all")


def frame_state(fig):
    """What a figure of plot_adding_frame shows: per panel its titles, limits, lines,
    stems, spans, labels and legend, and the figure's description."""
    from rnnlib.plotting import description

    state = [description(fig), tuple(fig.get_size_inches())]
    for ax in fig.axes:
        state.append((ax.get_title(), ax.get_xlim(), ax.get_ylim()))
        state += [
            (line.get_label(), line.get_xydata().tolist(), line.get_markersize(), line.get_lw())
            for line in ax.lines
        ]
        state += [
            ([np.asarray(seg).tolist() for seg in c.get_segments()], list(c.get_linewidth()))
            for c in ax.collections
        ]
        state += [(p.get_x(), p.get_width()) for p in ax.patches]
        state += [(t.get_text(), tuple(t.xy), t.xyann, t.get_ha()) for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            state.append([t.get_text() for t in legend.get_texts()])
    return state


def test_update_adding_frame_gives_the_figure_a_fresh_draw_gives():
    frames = _frames(lags=(5, 20), n_examples=6)
    fig = plot_adding_frame(frames, lag=20, example=0)
    axes = list(fig.axes)
    moves = ((20, 3, False), (20, 5, False), (5, 5, True), (5, 1, False), (20, 1, True))
    for lag, example, other_lag in moves:
        changed = update_adding_frame(fig, frames, lag=lag, example=example)
        assert all(a.figure is fig for a in changed)
        # another lag: its time axes and titles change too, and are drawn again
        axes_drawn = {a for a in changed if a in (fig.axes[0].xaxis, fig.axes[1].yaxis)}
        assert len(axes_drawn) == (2 if other_lag else 0), (lag, example)
        fresh = plot_adding_frame(frames, lag=lag, example=example)
        assert frame_state(fig) == frame_state(fresh), (lag, example)
        plt.close(fresh)
    assert list(fig.axes) == axes  # no panel added or lost
    plt.close("all")


def test_explorer_update_stays_well_within_a_guard_at_the_largest_settings():
    # the full-size run's longest lag, 160 steps, and the last stored example. The target
    # is 0.2 s per update (benchmarks/bench_widgets.py measures it); this guard is 10x
    # that, so that a busy machine cannot fail it.
    frames = _frames(lags=(160,), n_examples=40, N=40)
    seconds = best_time(plot_adding_frame, frames, lag=160, example=39)
    assert seconds < 2.0, f"one update took {seconds:.3f} s"
    plt.close("all")


# ------------------------------------------------------------------ text descriptions


def test_descriptions_state_each_figure_in_numbers():
    from rnnlib.plotting import description, fmt

    x, y = data.adding_problem(3, 15, np.random.default_rng(9))
    X1, X2 = _x1_x2(x)
    text = description(plot_adding_sequence(x, y, n=1))
    assert f"X_1 = {fmt(X1[1])} at t = " in text and f"X_2 = {fmt(X2[1])} at t = " in text
    assert f"target y = 0.5 + (X_1 + X_2)/4 = {fmt(y[1, 0])}" in text
    lags = (5, 10)
    success = {"rnn": np.array([[0.9, 0.8], [0.3, 0.2]]), "lstm": np.ones((2, 2))}
    mse = {m: np.full((2, 2), 0.5) for m in ("rnn", "lstm")}
    text = description(plot_success_vs_lag(lags, success, mse))
    assert "mean of 2 runs" in text and "RNN T = 5: 85%, T = 10: 25%" in text
    assert "LSTM T = 5: 100%, T = 10: 100%" in text and "RNN T = 5: 0.5, T = 10: 0.5" in text
    rates = {"rnn": np.array([[[1.0]], [[0.0]]]), "lstm": np.ones((2, 1, 1))}
    text = description(plot_success_by_learning_rate(lags, rates, [0.01]))
    assert "RNN: lr 0.01 learned up to lag 5 (0% at lag 10)" in text
    assert "LSTM: lr 0.01 learned up to lag 10 (100% at lag 10)" in text
    cache = models.SequenceModel(2, 6, 1, cell="lstm", seed=1).forward(x)[1].seq
    text = description(plot_lstm_gates(x, cache, n=2, units=[4]))
    assert text.startswith("Five panels over 15 steps of a trained LSTM with 6 units")
    assert f"cell state from {fmt(cache.c[2, :, 4].min())}" in text
    frames = _frames()
    fr = frames[20]
    text = description(plot_adding_frame(frames, lag=20, example=3))
    assert text.startswith("Three panels for one test sequence at lag 20.")
    assert f"the RNN predicts {fmt(fr['pred']['rnn'][3, 0])} (" in text
    plt.close("all")
