"""Tests for rnnlib.memory: who learned which lag, recall weights, inside a trained LSTM."""

from types import SimpleNamespace

import numpy as np
import pytest

from rnnlib import data, memory, models


def _x1_x2(x):
    first, second = data.marker_steps(x)
    rows = np.arange(len(x))
    return x[rows, first, 0], x[rows, second, 0]


# ------------------------------------------------------------------ who learned which lag


def test_best_learning_rate_picks_the_highest_mean_per_lag():
    # 2 lags, 3 learning rates, 2 seeds
    success = np.array([[[0.9, 0.7], [1.0, 0.9], [0.2, 1.0]], [[0.1, 0.2], [0.2, 0.1], [0.5, 0.0]]])
    best, runs = memory.best_learning_rate(success)
    np.testing.assert_array_equal(best, [1, 2])  # means .8 .95 .6 and .15 .15 .25
    np.testing.assert_array_equal(runs, [[1.0, 0.9], [0.5, 0.0]])
    tie = np.array([[[0.5, 0.5], [0.6, 0.4]]])
    assert memory.best_learning_rate(tie)[0][0] == 0  # the first one on a tie


def test_best_learning_rate_can_choose_on_validation_scores():
    test = np.array([[[0.9, 0.7], [1.0, 0.9], [0.2, 1.0]]])
    val = np.array([[[0.9, 0.9], [0.1, 0.2], [0.3, 0.3]]])  # the first rate wins here
    best, runs = memory.best_learning_rate(test, select=val)
    np.testing.assert_array_equal(best, [0])
    np.testing.assert_array_equal(runs, [[0.9, 0.7]])  # reported on the test scores
    with pytest.raises(ValueError, match="select must have the shape"):
        memory.best_learning_rate(test, select=val[:, :2])


def test_best_learning_rate_rejects_bad_input():
    with pytest.raises(ValueError, match="3 dimensions"):
        memory.best_learning_rate(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        memory.best_learning_rate(np.full((1, 2, 2), 1.5))


@pytest.mark.parametrize(
    ("runs", "verdict"),
    [
        ([0.9, 0.6, 0.7], "learned"),  # mean .73 >= .5 + .1
        ([0.55, 0.58, 0.6], "partly learned"),  # mean above .5 but within the margin
        ([0.48, 0.31, 0.49], "partly learned"),  # below .5, but well above chance
        ([0.15, 0.16, 0.36], "partly learned"),  # one run clearly above chance
        ([0.13, 0.15, 0.2], "at chance"),  # every run below chance + .1
    ],
)
def test_learning_verdict_has_margins_on_both_sides(runs, verdict):
    assert memory.learning_verdict(runs, chance=0.15) == verdict
    assert verdict in memory.VERDICTS


def test_learning_verdict_rejects_bad_input():
    with pytest.raises(ValueError, match="margin"):
        memory.learning_verdict([0.5], chance=0.15, margin=0.6)
    with pytest.raises(ValueError, match="runs"):
        memory.learning_verdict([[0.5]], chance=0.15)


def test_recall_weights_of_the_exact_and_the_half_solution():
    x, y = data.adding_problem(500, 10, np.random.default_rng(4))
    w1, w2 = memory.recall_weights(x, y)
    assert (w1, w2) == (pytest.approx(0.25), pytest.approx(0.25))
    _, X2 = _x1_x2(x)
    w1, w2 = memory.recall_weights(x, (0.5 + X2 / 4)[:, None])
    assert abs(w1) < 1e-12 and w2 == pytest.approx(0.25)


# ------------------------------------------------------------- inside a (fake) LSTM


def _fake_cache(x, unit=2, H=4, seed=5):
    """A cache where ``unit`` stores -X1 from the first marker on, with known gate values."""
    N, T, _ = x.shape
    rng = np.random.default_rng(seed)
    first, _ = data.marker_steps(x)
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
    units, corr = memory.memory_units(x, cache, n_units=2)
    assert units[0] == 2 and corr[2] < -0.99
    assert len(units) == 2 and units[1] != 2 and abs(corr[units[1]]) < 0.3


def test_kept_units_tell_a_kept_value_from_a_rebuilt_one():
    x, _ = data.adding_problem(300, 20, np.random.default_rng(6), first_within=2)
    cache = _fake_cache(x, unit=2)
    N, T, _ = x.shape
    first, second = data.marker_steps(x)
    rows = np.arange(N)
    # unit 0 holds X1 before the second marker too, but it wrote noise at the first one
    noise = np.random.default_rng(9).standard_normal(N)
    cache.c[:, :, 0] = np.where(np.arange(T) > first[:, None], cache.c[:, :, 2], 0.0)
    cache.c[rows, first, 0] = noise
    units, kept = memory.kept_units(x, cache, n_units=2)
    assert units[0] == 2 and kept[2] > 0.99 and abs(kept[0]) < 0.3
    by_x1, corr = memory.memory_units(x, cache, n_units=2)
    assert set(by_x1) == {0, 2} and abs(corr[0]) > 0.99  # both hold X1 at the end
    np.testing.assert_allclose(
        kept[1], np.corrcoef(cache.c[rows, first, 1], cache.c[rows, second - 1, 1])[0, 1]
    )


def test_gate_stats_of_known_gates():
    x, _ = data.adding_problem(100, 20, np.random.default_rng(7), first_within=2)
    cache = _fake_cache(x)
    st = memory.gate_stats(x, cache)
    assert st["i_markers"] == pytest.approx(0.9) and st["i_elsewhere"] == pytest.approx(0.1)
    assert st["f_hold"] == pytest.approx(0.95)
    first, _ = data.marker_steps(x)
    after = 20 - 1 - first  # steps after the first marker, the second one included
    assert st["f_product"] == pytest.approx(np.mean(0.95**after))
    one = memory.gate_stats(x, cache, units=[1])
    assert one["i_markers"] == pytest.approx(0.9)


def test_gate_stats_and_memory_units_on_a_real_lstm_cache():
    x, _ = data.adding_problem(30, 12, np.random.default_rng(8))
    model = models.SequenceModel(2, 5, 1, cell="lstm", seed=0)
    cache = model.forward(x)[1].seq
    units, corr = memory.memory_units(x, cache, n_units=3)
    assert units.shape == (3,) and corr.shape == (5,) and np.all(np.abs(corr) <= 1 + 1e-12)
    st = memory.gate_stats(x, cache, units=units)
    assert all(0 < v < 1 for v in st.values())


# ---------------------------------------------------------------- example predictions


def _trained(lags=(5, 20), N=30):
    test_sets, trained = {}, {}
    for T in lags:
        test_sets[T] = data.adding_problem(
            N, T, np.random.default_rng(T), first_within=data.first_marker_window(T)
        )
        trained[T] = {
            cell: models.SequenceModel(2, H, 1, cell=cell, seed=T)
            for cell, H in (("rnn", 9), ("lstm", 4))
        }
    return test_sets, trained


def test_example_predictions_hold_the_models_outputs():
    test_sets, trained = _trained()
    frames = memory.example_predictions(test_sets, trained, n_examples=6)
    assert sorted(frames) == [5, 20]
    fr = frames[20]
    x, _ = test_sets[20]
    assert fr["x"].shape == (6, 20, 2) and fr["y"].shape == (6, 1) and fr["c"].shape == (6, 20)
    np.testing.assert_allclose(fr["pred"]["rnn"], trained[20]["rnn"].predict(x[:6]))
    np.testing.assert_allclose(fr["pred"]["lstm"], trained[20]["lstm"].predict(x[:6]))
    cache = trained[20]["lstm"].forward(x)[1].seq
    units, kept = memory.kept_units(x, cache, n_units=1)
    assert fr["unit"] == units[0] and fr["kept"] == kept[units[0]]
    assert fr["f_product"] == memory.gate_stats(x, cache, units=units)["f_product"]
    np.testing.assert_allclose(fr["c"], cache.c[:6, :, fr["unit"]])
    with pytest.raises(ValueError, match="n_examples"):
        memory.example_predictions(test_sets, trained, n_examples=0)


# ---------------------------------------------------------- training and shipping runs


def test_held_out_sequences_are_seeded_and_hold_the_first_marker_early():
    x, y = memory.held_out_sequences(20, 1020, n=50)
    x2, y2 = memory.held_out_sequences(20, 1020, n=50)
    assert x.shape == (50, 20, 2) and y.shape == (50, 1)
    np.testing.assert_array_equal(x, x2)
    assert data.marker_steps(x)[0].max() < data.first_marker_window(20)
    with pytest.raises(ValueError, match="T"):
        memory.held_out_sequences(0, 1)


def test_train_adding_is_the_seeded_training_with_scores_at_the_checkpoints():
    test, val = memory.held_out_sequences(6, 1, n=40), memory.held_out_sequences(6, 2, n=40)
    kw = dict(hidden=5, steps=6, checkpoints=(3, 6), batch=8)
    model, scores = memory.train_adding("lstm", 6, 0.01, 0, test, val, **kw)
    again, _ = memory.train_adding("lstm", 6, 0.01, 0, test, val, **kw)
    for k in model.params:  # the same seed: the same weights, bit for bit
        np.testing.assert_array_equal(model.params[k], again.params[k])
    assert sorted(scores) == [3, 6]
    assert scores[6] == memory.adding_scores(model, test, val)  # the final weights' scores
    nudged, _ = memory.train_adding("lstm", 6, 0.01, 0, test, val, nudge=True, **kw)
    assert any(not np.array_equal(model.params[k], nudged.params[k]) for k in model.params)
    start = models.SequenceModel(2, 5, 1, cell="lstm", forget_bias=2.0, seed=0)
    assert model.config == start.config  # forget bias 2 by default
    with pytest.raises(TypeError, match="test"):
        memory.train_adding("lstm", 6, 0.01, 0, None, val, **kw)
    with pytest.raises(TypeError, match="model"):
        memory.adding_scores("not a model", test, val)


def test_train_adding_without_test_sets_trains_the_same_weights_and_scores_nothing():
    # notebook 08 and tools/train_adding_cells.py: no scoring during training, float32
    test, val = memory.held_out_sequences(6, 1, n=40), memory.held_out_sequences(6, 2, n=40)
    kw = dict(hidden=4, steps=5, batch=8, dtype=np.float32)
    model, scores = memory.train_adding("gru", 6, 0.01, 1, **kw)
    scored, with_scores = memory.train_adding("gru", 6, 0.01, 1, test, val, checkpoints=(2,), **kw)
    assert scores == {} and sorted(with_scores) == [2]
    for k in model.params:  # scoring reads the weights, never changes them
        assert model.params[k].dtype == np.float32
        np.testing.assert_array_equal(model.params[k], scored.params[k])
    start = models.SequenceModel(
        2, 4, 1, cell="gru", forget_bias=2.0, update_bias=2.0, seed=1, dtype=np.float32
    )
    assert model.config == start.config  # update-gate bias 2 by default, like the forget bias
    one, _ = memory.train_adding("gru", 6, 0.01, 1, update_bias=1.0, **dict(kw, steps=1))
    assert one.config["update_bias"] == 1.0
    with pytest.raises(TypeError, match="val"):  # scoring needs both sets
        memory.train_adding("gru", 6, 0.01, 1, test, **kw)


def test_adding_run_name():
    assert memory.adding_run_name("lstm", 40, 0.02, 0) == "lstm-T40-lr0.02-seed0"
    assert memory.adding_run_name("lstm", 80, 0.02, 1, forget_bias=1.0) == (
        "lstm-T80-lr0.02-seed1-bias1"
    )
    assert memory.adding_run_name("rnn", 20, 0.005, 2, nudge=True) == "rnn-T20-lr0.005-seed2-nudged"


def test_save_and_load_adding_runs_round_trip_with_the_same_bytes(tmp_path):
    runs = {
        "rnn-a": models.SequenceModel(2, 3, 1, cell="rnn", seed=1),
        "lstm-b": models.SequenceModel(2, 2, 1, cell="lstm", forget_bias=2.0, seed=2),
    }
    scores = np.arange(6.0).reshape(2, 3)
    paths = [tmp_path / "a.npz", tmp_path / "b.npz"]
    for p in paths:
        memory.save_adding_runs(p, runs, {"scores": scores}, {"command": "test"})
    assert paths[0].read_bytes() == paths[1].read_bytes()  # no time stamps in the zip
    loaded, arrays, info = memory.load_adding_runs(paths[0])
    assert info == {"command": "test"} and sorted(loaded) == sorted(runs)
    np.testing.assert_array_equal(arrays["scores"], scores)
    for name, m in runs.items():
        assert loaded[name].config == m.config
        for k in m.params:
            np.testing.assert_array_equal(loaded[name].params[k], m.params[k])
