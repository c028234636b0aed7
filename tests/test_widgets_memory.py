"""Measurements, plots and the widget of notebook 06 (RNN vs LSTM on the adding problem)."""

from types import SimpleNamespace

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib import data, models, widgets
from rnnlib.timing import best_time
from rnnlib.widgets import memory as wm


def _lines_data(fig):
    return [np.asarray(line.get_ydata(), dtype=float) for ax in fig.axes for line in ax.lines]


def _changed(a, b):
    return len(a) != len(b) or any(
        x.shape != y.shape or not np.allclose(x, y) for x, y in zip(a, b, strict=True))


def _x1_x2(x):
    first, second = widgets.marker_steps(x)
    rows = np.arange(len(x))
    return x[rows, first, 0], x[rows, second, 0]


# --------------------------------------------------------------------- the task and scores


@pytest.mark.parametrize(("T", "k"), [(2, 1), (5, 1), (19, 1), (20, 2), (80, 8), (160, 16)])
def test_first_marker_window_is_a_tenth(T, k):
    assert widgets.first_marker_window(T) == k
    x, _ = data.adding_problem(200, T, np.random.default_rng(0), first_within=k)
    assert widgets.marker_steps(x)[0].max() < k  # accepted by adding_problem


@pytest.mark.parametrize("T", [1, 0, 2.5])
def test_first_marker_window_rejects_bad_lengths(T):
    with pytest.raises(ValueError, match="T must be"):
        widgets.first_marker_window(T)


def test_marker_steps_find_both_markers():
    x, y = data.adding_problem(50, 12, np.random.default_rng(1))
    first, second = widgets.marker_steps(x)
    assert np.all(first < second)
    assert np.all(x[np.arange(50), first, 1] == 1) and np.all(x[np.arange(50), second, 1] == 1)
    X1, X2 = _x1_x2(x)
    assert np.allclose(0.5 + (X1 + X2) / 4, y[:, 0])


def test_marker_steps_reject_a_sequence_without_two_markers():
    x, _ = data.adding_problem(3, 8, np.random.default_rng(2))
    x[1, :, 1] = 0
    with pytest.raises(ValueError, match="exactly two markers"):
        widgets.marker_steps(x)


def test_adding_scores_of_known_predictions():
    y = np.array([[0.5], [0.6], [0.2], [0.9]])
    pred = y + np.array([[0.0], [0.039], [-0.05], [0.2]])
    success, mse_ratio = widgets.adding_scores(pred, y)
    assert success == pytest.approx(0.5)
    want = np.mean([0.0, 0.039**2, 0.05**2, 0.2**2]) * 24
    assert mse_ratio == pytest.approx(want)
    assert widgets.adding_scores(y, y) == (1.0, 0.0)


def test_adding_scores_check_shapes():
    with pytest.raises(ValueError, match="pred"):
        widgets.adding_scores(np.zeros(4), np.zeros((4, 1)))


def test_chance_success_is_exact_and_matches_a_simulation():
    assert widgets.adding_chance_success() == pytest.approx(0.1536, abs=1e-12)
    _, y = data.adding_problem(100_000, 4, np.random.default_rng(3))
    simulated, mse_ratio = widgets.adding_scores(np.full_like(y, 0.5), y)
    assert simulated == pytest.approx(0.1536, abs=0.004)
    assert mse_ratio == pytest.approx(1.0, abs=0.02)
    with pytest.raises(ValueError):
        widgets.adding_chance_success(tol=0.6)


def test_first_failing_lag_uses_the_mean_over_runs():
    lags = (5, 10, 20, 40)
    success = np.array([[0.9, 0.8], [0.6, 0.3], [0.2, 0.9], [0.1, 0.1]])  # means .85 .45 .55 .1
    assert widgets.first_failing_lag(lags, success) == 10
    assert widgets.first_failing_lag(lags, success, threshold=0.4) == 40
    assert widgets.first_failing_lag(lags, np.ones(4)) is None
    assert widgets.first_failing_lag(lags, [0.2, 1, 1, 1]) == 5


def test_recall_weights_of_the_exact_and_the_half_solution():
    x, y = data.adding_problem(500, 10, np.random.default_rng(4))
    w1, w2 = widgets.recall_weights(x, y)
    assert (w1, w2) == (pytest.approx(0.25), pytest.approx(0.25))
    _, X2 = _x1_x2(x)
    w1, w2 = widgets.recall_weights(x, (0.5 + X2 / 4)[:, None])
    assert abs(w1) < 1e-12 and w2 == pytest.approx(0.25)


# ------------------------------------------------------------- inside the (fake) LSTM


def _fake_cache(x, unit=2, H=4, seed=5):
    """A cache where ``unit`` stores -X1 from the first marker on, with known gate values."""
    N, T, _ = x.shape
    rng = np.random.default_rng(seed)
    first, _ = widgets.marker_steps(x)
    X1, _ = _x1_x2(x)
    c = 0.3 * rng.standard_normal((N, T, H))
    after = np.arange(T)[None, :] >= first[:, None]  # (N, T)
    c[:, :, unit] = np.where(after, -X1[:, None], 0.0) + 0.01 * rng.standard_normal((N, T))
    marked = x[:, :, 1:] > 0.5  # (N, T, 1)
    i = np.where(marked, 0.9, 0.1) * np.ones((1, 1, H))
    f = np.full((N, T, H), 0.95)
    return SimpleNamespace(c=c, i=i, f=f)


def test_memory_units_find_the_unit_that_holds_x1():
    x, _ = data.adding_problem(300, 20, np.random.default_rng(6), first_within=2)
    cache = _fake_cache(x, unit=2)
    units, corr = widgets.memory_units(x, cache, n_units=2)
    assert units[0] == 2 and corr[2] < -0.99
    assert len(units) == 2 and units[1] != 2 and abs(corr[units[1]]) < 0.3


def test_gate_stats_of_known_gates():
    x, _ = data.adding_problem(100, 20, np.random.default_rng(7), first_within=2)
    cache = _fake_cache(x)
    st = widgets.gate_stats(x, cache)
    assert st["i_markers"] == pytest.approx(0.9) and st["i_elsewhere"] == pytest.approx(0.1)
    assert st["f_hold"] == pytest.approx(0.95)
    first, _ = widgets.marker_steps(x)
    after = 20 - 1 - first  # steps after the first marker, the second one included
    assert st["f_product"] == pytest.approx(np.mean(0.95**after))
    one = widgets.gate_stats(x, cache, units=[1])
    assert one["i_markers"] == pytest.approx(0.9)


def test_gate_stats_and_memory_units_on_a_real_lstm_cache():
    x, _ = data.adding_problem(30, 12, np.random.default_rng(8))
    model = models.SequenceModel(2, 5, 1, cell="lstm", seed=0)
    cache = model.forward(x)[1].seq
    units, corr = widgets.memory_units(x, cache, n_units=3)
    assert units.shape == (3,) and corr.shape == (5,) and np.all(np.abs(corr) <= 1 + 1e-12)
    st = widgets.gate_stats(x, cache, units=units)
    assert all(0 < v < 1 for v in st.values())


# ------------------------------------------------------------------------------- plots


def test_plot_adding_sequence_shows_the_marked_values():
    x, y = data.adding_problem(3, 15, np.random.default_rng(9))
    fig = widgets.plot_adding_sequence(x, y, n=1)
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
    fig = widgets.plot_success_vs_lag(lags, success, mse)
    ax_s, ax_m = fig.axes
    means = [line for line in ax_s.lines if line.get_marker() == "D"]
    assert len(means) == 2
    assert np.allclose(means[0].get_ydata(), 100 * success["rnn"].mean(axis=1))
    dots = [line for line in ax_m.lines if line.get_marker() == "o"]
    assert np.allclose(dots[1].get_ydata(), mse["lstm"].ravel())
    assert ax_m.get_yscale() == "log" and ax_s.get_xscale() == "log"
    plt.close(fig)


def test_plot_lstm_gates_highlights_the_units():
    x, _ = data.adding_problem(4, 16, np.random.default_rng(11))
    cache = models.SequenceModel(2, 6, 1, cell="lstm", seed=1).forward(x)[1].seq
    fig = widgets.plot_lstm_gates(x, cache, n=2, units=[4, 1])
    assert len(fig.axes) == 5
    ax_f = fig.axes[2]
    unit4 = [line for line in ax_f.lines if line.get_label() == "unit 4"][0]
    assert np.allclose(unit4.get_ydata(), cache.f[2, :, 4])
    plt.close(fig)


# ------------------------------------------------------------------------------ widget


def _frames(lags=(5, 20), n_examples=6, N=30):
    test_sets, trained = {}, {}
    for T in lags:
        test_sets[T] = data.adding_problem(N, T, np.random.default_rng(T),
                                           first_within=widgets.first_marker_window(T))
        trained[T] = {cell: models.SequenceModel(2, H, 1, cell=cell, seed=T)
                      for cell, H in (("rnn", 9), ("lstm", 4))}
    return widgets.adding_explorer_frames(test_sets, trained, n_examples=n_examples), trained, \
        test_sets


def test_explorer_frames_hold_the_models_outputs():
    frames, trained, test_sets = _frames()
    fr = frames[20]
    x, _ = test_sets[20]
    assert fr["x"].shape == (6, 20, 2) and fr["y"].shape == (6, 1) and fr["c"].shape == (6, 20)
    assert np.allclose(fr["pred"]["rnn"], trained[20]["rnn"].predict(x[:6]))
    assert np.allclose(fr["pred"]["lstm"], trained[20]["lstm"].predict(x[:6]))
    cache = trained[20]["lstm"].forward(x)[1].seq
    assert np.allclose(fr["c"], cache.c[:6, :, fr["unit"]])


def test_plot_adding_frame_follows_the_example_and_the_lag():
    frames, _, _ = _frames()
    a = _lines_data(widgets.plot_adding_frame(frames, lag=20, example=0))
    b = _lines_data(widgets.plot_adding_frame(frames, lag=20, example=3))
    c = _lines_data(widgets.plot_adding_frame(frames, lag=5, example=3))
    assert _changed(a, b) and _changed(b, c)
    plt.close("all")


def test_adding_problem_explorer_has_the_expected_controls():
    frames, _, _ = _frames()
    w = widgets.adding_problem_explorer(frames)
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.ValueWidget)]
    assert [c.description for c in controls] == ["test sequence", "lag T"]
    example, lag = controls
    assert isinstance(lag, ipywidgets.SelectionSlider) and list(lag.options) == [5, 20]
    assert lag.value == 20 and (example.min, example.max) == (0, 5)
    assert not lag.continuous_update and not example.continuous_update
    plt.close("all")


def test_explorer_update_is_fast_at_the_largest_settings():
    # the full-size run's longest lag, 160 steps, and the last stored example
    frames, _, _ = _frames(lags=(160,), n_examples=40, N=40)
    seconds = best_time(widgets.plot_adding_frame, frames, lag=160, example=39)
    assert seconds < 0.2, f"one update took {seconds:.3f} s"
    plt.close("all")


def test_module_exports_exist():
    for name in wm.__all__:
        assert hasattr(widgets, name), name
