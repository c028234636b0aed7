"""rnnlib.min_char_rnn: the one-stream reference loop of notebook 07 and bench_charlm."""

import numpy as np
import pytest

from rnnlib import gradcheck, min_char_rnn

V, H, T = 7, 5, 6


def _window(seed=0):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, V, size=T + 1)
    return ids[:-1], ids[1:], 0.5 * rng.standard_normal(H)


def test_loss_and_grads_pass_a_gradient_check():
    params = min_char_rnn.init_params(V, H, seed=1)
    for k in params:  # larger weights than 0.01, so that every path matters
        params[k] += 0.3 * np.random.default_rng(2).standard_normal(params[k].shape)
    x_ids, y_ids, h_prev = _window()
    loss, grads, _ = min_char_rnn.loss_and_grads(x_ids, y_ids, h_prev, params)
    for k, p in params.items():
        num = gradcheck.numerical_gradient(
            lambda: np.array(min_char_rnn.loss_and_grads(x_ids, y_ids, h_prev, params)[0]),
            p,
            np.float64(1.0),
        )
        assert gradcheck.rel_error(grads[k], num) < 1e-7, k


def test_loss_and_state_by_hand():
    params = min_char_rnn.init_params(V, H, seed=3)
    x_ids, y_ids, h = _window(4)
    loss, _, h_last = min_char_rnn.loss_and_grads(x_ids, y_ids, h, params)
    want = 0.0
    for x, y in zip(x_ids, y_ids, strict=True):
        h = np.tanh(params["Wx"][x] + h @ params["Wh"] + params["b"])
        z = h @ params["Wy"] + params["by"]
        want -= z[y] - np.log(np.exp(z).sum())
    assert loss == pytest.approx(want, rel=1e-12) and np.allclose(h_last, h)


def test_adagrad_update_clips_then_scales():
    params = {"w": np.zeros(3)}
    memory = {"w": np.zeros(3)}
    min_char_rnn.adagrad_update(params, {"w": np.array([10.0, -1.0, 0.0])}, memory)
    assert np.allclose(memory["w"], [25.0, 1.0, 0.0])  # clipped to 5 before squaring
    assert np.allclose(params["w"], [-0.1, 0.1, 0.0], atol=1e-8)


def test_train_learns_a_repeating_text_and_wraps_around():
    ids = np.tile(np.arange(V), 20)  # 140 ids: 0 1 2 ... 6 0 1 ...
    _, losses = min_char_rnn.train(ids, V, hidden_size=16, seq_len=10, steps=60)
    assert len(losses) == 60  # 60 windows of 10 wrap around the 140 ids several times
    assert losses[0] == pytest.approx(np.log(V), rel=0.05)  # near-uniform at the start
    assert np.mean(losses[-5:]) < 0.5 * losses[0]
    with pytest.raises(ValueError, match="seq_len"):
        min_char_rnn.train(ids[:5], V, seq_len=10)


def test_throughput_is_a_positive_rate():
    ids = np.tile(np.arange(V), 20)
    cps = min_char_rnn.throughput(ids, V, hidden_size=8, seq_len=5, steps=10, repeat=2)
    assert np.isfinite(cps) and cps > 0
