"""Tests for rnnlib.data: seeded tasks, the adding problem's facts, vocab, text batches."""

import numpy as np
import pytest

from rnnlib.data import (
    ADDING_TOL,
    CharVocab,
    adding_baseline_mse,
    adding_baseline_success,
    adding_problem,
    adding_relative_mse,
    adding_solved,
    first_marker_window,
    marker_steps,
    noisy_sine,
    text_batches,
)

# ---------------------------------------------------------------- noisy sine


def test_noisy_sine_shapes_and_next_step_target():
    x, y = noisy_sine(4, 30, np.random.default_rng(0))
    assert x.shape == y.shape == (4, 30, 1)
    np.testing.assert_array_equal(y[:, :-1], x[:, 1:])  # y_t is x_{t+1}


def test_noisy_sine_is_seeded():
    a = noisy_sine(3, 10, np.random.default_rng(1))
    b = noisy_sine(3, 10, np.random.default_rng(1))
    c = noisy_sine(3, 10, np.random.default_rng(2))
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.allclose(a[0], c[0])


def test_noisy_sine_frequency_range_and_noise_level():
    N, T = 50, 200
    clean, _ = noisy_sine(N, T, np.random.default_rng(3), noise=0.0)
    noisy, _ = noisy_sine(N, T, np.random.default_rng(3), noise=0.1)
    s = clean[:, :, 0]
    assert np.abs(s).max() <= 1.0
    # a pure sine obeys s_{t+1} + s_{t-1} = 2 cos(w) s_t: recover w per series
    cos_w = np.sum((s[:, 2:] + s[:, :-2]) * s[:, 1:-1], axis=1) / np.sum(2 * s[:, 1:-1] ** 2, 1)
    f = np.arccos(cos_w) / (2 * np.pi)
    assert np.all((f > 1 / 40 - 1e-9) & (f < 1 / 10 + 1e-9))
    # the same seed draws the same waves, so the difference is the noise alone
    assert np.std(noisy - clean) == pytest.approx(0.1, rel=0.05)


def test_noisy_sine_dtype_and_bad_input():
    x, _ = noisy_sine(2, 5, np.random.default_rng(0), dtype=np.float32)
    assert x.dtype == np.float32
    with pytest.raises(ValueError, match="T must be a positive int"):
        noisy_sine(2, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="noise must be >= 0"):
        noisy_sine(2, 5, np.random.default_rng(0), noise=-1)


# ------------------------------------------------------------ adding problem


def test_adding_problem_layout_and_target():
    N, T = 500, 20
    x, y = adding_problem(N, T, np.random.default_rng(0))
    assert x.shape == (N, T, 2) and y.shape == (N, 1)
    values, markers = x[..., 0], x[..., 1]
    assert values.min() >= -1 and values.max() <= 1
    assert set(np.unique(markers)) == {0.0, 1.0}
    np.testing.assert_array_equal(markers.sum(axis=1), 2)  # exactly two per sequence
    pos = np.sort(np.nonzero(markers)[1].reshape(N, 2), axis=1)
    assert np.all(pos[:, 0] < T // 2) and np.all(pos[:, 1] >= T // 2)
    # both halves are used, not one fixed position
    assert len(np.unique(pos[:, 0])) == T // 2 and len(np.unique(pos[:, 1])) == T - T // 2
    np.testing.assert_allclose(y[:, 0], 0.5 + (values * markers).sum(axis=1) / 4)
    assert y.min() >= 0 and y.max() <= 1


def test_adding_problem_first_within_controls_the_lag():
    N, T = 300, 50
    x, _ = adding_problem(N, T, np.random.default_rng(1), first_within=3)
    first = np.argmax(x[..., 1], axis=1)
    assert first.max() < 3 and len(np.unique(first)) == 3
    assert np.all(T - first > T - 3)  # the first value must be kept for > T - 3 steps
    with pytest.raises(ValueError, match=r"first_within must be an int in \[1, T // 2\]"):
        adding_problem(N, T, np.random.default_rng(1), first_within=26)
    with pytest.raises(ValueError, match="T must be >= 2"):
        adding_problem(N, 1, np.random.default_rng(1))


def test_adding_problem_is_seeded_and_typed():
    a = adding_problem(5, 8, np.random.default_rng(7), dtype=np.float32)
    b = adding_problem(5, 8, np.random.default_rng(7), dtype=np.float32)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[0].dtype == a[1].dtype == np.float32


@pytest.mark.parametrize("make", [adding_problem, noisy_sine])
def test_seeded_functions_take_a_generator_an_int_seed_or_none(make):
    # an int seed is the same as a Generator made from it, on every call
    from_int = make(4, 6, 3)
    from_rng = make(4, 6, np.random.default_rng(3))
    for a, b in zip(from_int, from_rng, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(make(4, 6, np.int64(3))[0], from_int[0])
    # None: fresh numbers from the operating system, valid all the same
    x, y = make(4, 6, None)
    assert x.shape == from_int[0].shape and np.all(np.isfinite(x))
    # a Generator is used, not copied: it advances
    rng = np.random.default_rng(3)
    first, second = make(4, 6, rng)[0], make(4, 6, rng)[0]
    assert not np.array_equal(first, second)
    for bad in (1.5, True, -1, "0", np.random.RandomState(0)):
        with pytest.raises(ValueError, match="^rng must be a numpy.random.Generator, an int seed"):
            make(4, 6, bad)


def test_adding_baseline_is_one_over_24_and_matches_sampling():
    assert adding_baseline_mse() == pytest.approx(1 / 24, rel=1e-12)
    _, y = adding_problem(40_000, 10, np.random.default_rng(0))
    assert np.mean((y - 0.5) ** 2) == pytest.approx(1 / 24, rel=0.03)
    assert np.mean(y) == pytest.approx(0.5, abs=0.005)


def test_adding_solved_uses_the_tolerance():
    y = np.array([[0.2], [0.5], [0.9]])
    pred = y + np.array([[0.039], [-0.041], [0.0]])
    solved = adding_solved(pred, y)
    assert ADDING_TOL == 0.04
    np.testing.assert_array_equal(solved, [True, False, True])
    np.testing.assert_array_equal(adding_solved(pred, y, tol=0.05), [True, True, True])
    with pytest.raises(ValueError, match=r"y must have shape \(same as pred\)"):
        adding_solved(pred, y[:, 0])


def test_adding_relative_mse_of_known_predictions():
    y = np.array([[0.5], [0.6], [0.2], [0.9]])
    pred = y + np.array([[0.0], [0.039], [-0.05], [0.2]])
    want = np.mean([0.0, 0.039**2, 0.05**2, 0.2**2]) * 24
    assert adding_relative_mse(pred, y) == pytest.approx(want, rel=1e-12)
    assert adding_relative_mse(y, y) == 0.0
    with pytest.raises(ValueError, match="pred"):
        adding_relative_mse(np.zeros(4), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="y must have shape"):
        adding_relative_mse(np.zeros((4, 1)), np.zeros((3, 1)))


def test_adding_baseline_success_is_exact_and_matches_a_simulation():
    assert adding_baseline_success() == pytest.approx(0.1536, abs=1e-12)
    assert adding_baseline_success(tol=0.5) == pytest.approx(1.0)  # |X1 + X2| < 2 always
    _, y = adding_problem(100_000, 4, np.random.default_rng(3))
    constant = np.full_like(y, 0.5)
    assert adding_solved(constant, y).mean() == pytest.approx(0.1536, abs=0.004)
    assert adding_relative_mse(constant, y) == pytest.approx(1.0, abs=0.02)
    with pytest.raises(ValueError, match="tol must be"):
        adding_baseline_success(tol=0.6)


@pytest.mark.parametrize(("T", "k"), [(2, 1), (5, 1), (19, 1), (20, 2), (80, 8), (160, 16)])
def test_first_marker_window_is_a_tenth(T, k):
    assert first_marker_window(T) == k
    x, _ = adding_problem(200, T, np.random.default_rng(0), first_within=k)
    assert marker_steps(x)[0].max() < k  # accepted by adding_problem


@pytest.mark.parametrize("T", [1, 0, 2.5])
def test_first_marker_window_rejects_bad_lengths(T):
    with pytest.raises(ValueError, match="T must be"):
        first_marker_window(T)


def test_marker_steps_find_both_markers():
    x, y = adding_problem(50, 12, np.random.default_rng(1))
    first, second = marker_steps(x)
    rows = np.arange(50)
    assert np.all(first < second)
    assert np.all(x[rows, first, 1] == 1) and np.all(x[rows, second, 1] == 1)
    np.testing.assert_allclose(0.5 + (x[rows, first, 0] + x[rows, second, 0]) / 4, y[:, 0])


def test_marker_steps_reject_a_sequence_without_two_markers():
    x, _ = adding_problem(3, 8, np.random.default_rng(2))
    x[1, :, 1] = 0
    with pytest.raises(ValueError, match="exactly two markers"):
        marker_steps(x)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, 2\)"):
        marker_steps(x[:, :, :1])


# ---------------------------------------------------------------------- text


def test_char_vocab_round_trip():
    vocab = CharVocab("hello world")
    assert vocab.chars == sorted(set("hello world")) and vocab.size == 8 == len(vocab)
    ids = vocab.encode("low red")
    assert ids.dtype == np.int64 and ids.tolist() == [vocab.chars.index(c) for c in "low red"]
    assert vocab.decode(ids) == "low red"
    assert vocab.decode(ids.tolist()) == "low red"


def test_char_vocab_errors():
    vocab = CharVocab("abc")
    with pytest.raises(ValueError, match=r"not in the vocabulary: \['x', 'z'\]"):
        vocab.encode("abzx")
    with pytest.raises(ValueError, match=r"ids must hold indices in \[0, 3\)"):
        vocab.decode([0, 3])
    with pytest.raises(ValueError, match="non-empty str"):
        CharVocab("")


def test_text_batches_layout_for_stateful_bptt():
    ids = np.arange(30)  # ids equal positions, so the layout is visible
    batches = list(text_batches(ids, batch_size=3, seq_len=4))
    # n = (30 - 1) // 3 = 9 columns per row: windows of 4, 4 and a last one of 1
    assert [x.shape for x, _ in batches] == [(3, 4), (3, 4), (3, 1)]
    xs = np.concatenate([x for x, _ in batches], axis=1)
    np.testing.assert_array_equal(xs, np.arange(27).reshape(3, 9))  # contiguous rows
    for x, y in batches:
        np.testing.assert_array_equal(y, x + 1)  # the target is the next id
    # batch k + 1 continues each row exactly where batch k stopped
    for (x0, _), (x1, _) in zip(batches, batches[1:], strict=False):
        np.testing.assert_array_equal(x1[:, 0], x0[:, -1] + 1)


def test_text_batches_checks_eagerly():
    with pytest.raises(ValueError, match="too short for batch_size=5"):
        text_batches(np.arange(5), batch_size=5, seq_len=2)  # raises at the call
    with pytest.raises(ValueError, match="ids must be an integer array"):
        text_batches(np.arange(10.0), batch_size=2, seq_len=2)
    with pytest.raises(ValueError, match="seq_len must be a positive int"):
        text_batches(np.arange(10), batch_size=2, seq_len=0)


def test_save_npz_reads_back_and_writes_the_same_bytes_twice(tmp_path):
    import json
    import time

    from rnnlib.data import save_npz

    arrays = {
        "w": np.arange(6.0).reshape(2, 3),
        "ids": np.array([3, 1, 2], dtype=np.int64),
        "__info__": np.array(json.dumps({"command": "x"})),
    }
    save_npz(tmp_path / "a.npz", arrays)
    time.sleep(2.1)  # a zip stamps times to 2 s: np.savez_compressed would differ now
    save_npz(tmp_path / "b.npz", arrays)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    with np.load(tmp_path / "a.npz") as f:
        assert sorted(f.files) == sorted(arrays)
        for k, a in arrays.items():
            assert f[k].dtype == a.dtype and np.array_equal(f[k], a)
