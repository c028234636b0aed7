"""Tests for rnnlib.layers: known answers, gradient checks, bad input, parameter counts."""

import numpy as np
import pytest

from rnnlib.gradcheck import numerical_gradient as num_grad
from rnnlib.gradcheck import rel_error as rel_err
from rnnlib.layers import (
    dense_backward,
    dense_forward,
    embedding_backward,
    embedding_forward,
    lstm_param_count,
    mlp_backward,
    mlp_forward,
    mlp_init,
    mlp_param_count,
    rnn_param_count,
    temporal_dense_backward,
    temporal_dense_forward,
    window_mlp_param_count,
)

TOL = 1e-7  # relative error for a single layer, float64, central differences


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# --------------------------------------------------------------------- dense


def test_dense_known_answer():
    x = np.array([[1.0, 2.0]])
    W = np.array([[1.0, 0.0, -1.0], [0.5, 1.0, 2.0]])
    b = np.array([0.0, 1.0, -1.0])
    y, _ = dense_forward(x, W, b)
    np.testing.assert_allclose(y, [[2.0, 3.0, 2.0]])


def test_dense_gradcheck(rng):
    x, W, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal(5)
    dy = rng.standard_normal((4, 5))
    _, cache = dense_forward(x, W, b)
    dx, dW, db = dense_backward(dy, cache)
    for arr, grad in ((x, dx), (W, dW), (b, db)):
        num = num_grad(lambda: dense_forward(x, W, b)[0], arr, dy)
        assert rel_err(grad, num) < TOL


def test_dense_bad_input(rng):
    x, W, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal(5)
    with pytest.raises(ValueError, match=r"x must have shape \(N, D\) = \(\?, 3\), got \(4, 2\)"):
        dense_forward(x[:, :2], W, b)
    with pytest.raises(ValueError, match=r"b must have shape \(M\)"):
        dense_forward(x, W, b[:4])
    with pytest.raises(ValueError, match="floating dtype"):
        dense_forward(x.astype(int), W, b)
    _, cache = dense_forward(x, W, b)
    with pytest.raises(ValueError, match="dy must have shape"):
        dense_backward(np.ones((4, 4)), cache)


def test_dense_float32_and_no_mutation(rng):
    x = rng.standard_normal((4, 3)).astype(np.float32)
    W = rng.standard_normal((3, 5)).astype(np.float32)
    b = np.zeros(5, np.float32)
    copies = [a.copy() for a in (x, W, b)]
    y, cache = dense_forward(x, W, b)
    assert y.dtype == np.float32
    grads = dense_backward(np.ones_like(y), cache)
    assert all(g.dtype == np.float32 for g in grads)
    for a, c in zip((x, W, b), copies, strict=True):
        np.testing.assert_array_equal(a, c)


# ---------------------------------------------------------- temporal dense


def test_temporal_dense_equals_loop_over_time(rng):
    h, Wy, by = rng.standard_normal((2, 5, 3)), rng.standard_normal((3, 4)), rng.standard_normal(4)
    y, _ = temporal_dense_forward(h, Wy, by)
    assert y.shape == (2, 5, 4)
    for t in range(5):
        np.testing.assert_allclose(y[:, t], dense_forward(h[:, t], Wy, by)[0], rtol=1e-12)


def test_temporal_dense_gradcheck(rng):
    h, Wy, by = rng.standard_normal((2, 5, 3)), rng.standard_normal((3, 4)), rng.standard_normal(4)
    dy = rng.standard_normal((2, 5, 4))
    _, cache = temporal_dense_forward(h, Wy, by)
    dh, dWy, dby = temporal_dense_backward(dy, cache)
    for arr, grad in ((h, dh), (Wy, dWy), (by, dby)):
        num = num_grad(lambda: temporal_dense_forward(h, Wy, by)[0], arr, dy)
        assert rel_err(grad, num) < TOL


def test_temporal_dense_bad_input(rng):
    Wy, by = rng.standard_normal((3, 4)), rng.standard_normal(4)
    with pytest.raises(ValueError, match=r"h must have shape \(N, T, H\)"):
        temporal_dense_forward(rng.standard_normal((2, 3)), Wy, by)
    with pytest.raises(ValueError, match=r"by must have shape \(V\) = \(4,\)"):
        temporal_dense_forward(rng.standard_normal((2, 5, 3)), Wy, by[:3])


# ------------------------------------------------------------------ embedding


def test_embedding_is_onehot_matmul(rng):
    W = rng.standard_normal((6, 3))
    idx = np.array([[0, 5, 2], [2, 2, 1]])
    x, _ = embedding_forward(idx, W)
    onehot = np.eye(6)[idx]  # (N, T, V)
    np.testing.assert_allclose(x, onehot @ W)
    x[0, 0] = 100.0  # the output is a copy, not a view of the table
    assert W[0, 0] != 100.0


def test_embedding_backward_accumulates_repeated_indices(rng):
    W = rng.standard_normal((6, 3))
    idx = np.array([[2, 2, 1], [2, 0, 1]])  # id 2 three times, id 1 twice, 3-5 never
    dx = rng.standard_normal((2, 3, 3))
    _, cache = embedding_forward(idx, W)
    dW = embedding_backward(dx, cache)
    np.testing.assert_allclose(dW[2], dx[0, 0] + dx[0, 1] + dx[1, 0])
    np.testing.assert_allclose(dW[3:], 0.0)
    # the one-hot formulation gives the same: dW = onehot^T @ dx
    onehot = np.eye(6)[idx].reshape(-1, 6)
    np.testing.assert_allclose(dW, onehot.T @ dx.reshape(-1, 3))
    # the tempting fancy-index update loses repeated rows: this is what add.at fixes
    naive = np.zeros_like(W)
    naive[idx] += dx
    assert not np.allclose(naive, dW)
    num = num_grad(lambda: embedding_forward(idx, W)[0], W, dx)
    assert rel_err(dW, num) < TOL


def test_embedding_bad_input(rng):
    W = rng.standard_normal((6, 3))
    with pytest.raises(ValueError, match=r"idx must hold indices in \[0, 6\)"):
        embedding_forward(np.array([[0, 6]]), W)
    with pytest.raises(ValueError, match="idx must be an integer array"):
        embedding_forward(np.array([[0.0, 1.0]]), W)
    _, cache = embedding_forward(np.array([[0, 1]]), W)
    with pytest.raises(ValueError, match=r"dx must have shape \(N, T, D\) = \(1, 2, 3\)"):
        embedding_backward(np.ones((1, 2, 4)), cache)


# ------------------------------------------------------------------------ MLP


def test_mlp_init_shapes_and_count(rng):
    params = mlp_init([6, 5, 4, 2], rng, dtype=np.float32)
    assert list(params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert params["W2"].shape == (5, 4) and params["b3"].shape == (2,)
    assert all(p.dtype == np.float32 for p in params.values())
    assert sum(p.size for p in params.values()) == mlp_param_count([6, 5, 4, 2])
    np.testing.assert_array_equal(params["b1"], 0.0)
    # the same rng seed gives the same network
    again = mlp_init([6, 5, 4, 2], np.random.default_rng(0), dtype=np.float32)
    first = mlp_init([6, 5, 4, 2], np.random.default_rng(0), dtype=np.float32)
    np.testing.assert_array_equal(again["W1"], first["W1"])


def test_mlp_forward_known_answer():
    params = {
        "W1": np.array([[1.0, -1.0]]),
        "b1": np.array([0.0, 0.5]),
        "W2": np.array([[2.0], [1.0]]),
        "b2": np.array([0.25]),
    }
    x = np.array([[0.5]])
    y, _ = mlp_forward(x, params, activation="tanh")
    expected = 2 * np.tanh(0.5) + np.tanh(-0.5 + 0.5) + 0.25  # output layer is linear
    np.testing.assert_allclose(y, [[expected]])
    y_relu, _ = mlp_forward(x, params, activation="relu")
    np.testing.assert_allclose(y_relu, [[2 * 0.5 + 0.0 + 0.25]])


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "linear"])
def test_mlp_gradcheck(rng, activation):
    params = mlp_init([4, 5, 3, 2], rng)
    for k in ("b1", "b2", "b3"):
        # zero biases put relu exactly on its kink whenever a layer's input is all zero
        params[k] = 0.5 * rng.standard_normal(params[k].shape)
    x = rng.standard_normal((3, 4))
    dy = rng.standard_normal((3, 2))
    _, cache = mlp_forward(x, params, activation)
    dx, grads = mlp_backward(dy, cache)
    assert list(grads) == list(params)
    assert rel_err(dx, num_grad(lambda: mlp_forward(x, params, activation)[0], x, dy)) < TOL
    for k, p in params.items():
        num = num_grad(lambda: mlp_forward(x, params, activation)[0], p, dy)
        assert rel_err(grads[k], num) < TOL, k


def test_mlp_bad_input(rng):
    params = mlp_init([4, 3, 2], rng)
    with pytest.raises(ValueError, match="activation must be one of"):
        mlp_forward(np.ones((2, 4)), params, activation="swish")
    with pytest.raises(ValueError, match="params must have keys W1, b1"):
        mlp_forward(np.ones((2, 4)), {"W1": params["W1"]})
    with pytest.raises(ValueError, match=r"x must have shape \(N, D\) = \(\?, 4\)"):
        mlp_forward(np.ones((2, 5)), params)
    with pytest.raises(ValueError, match="sizes must be"):
        mlp_init([4], rng)


# --------------------------------------------------------- parameter counting


def test_param_counts_known_values():
    assert mlp_param_count([3, 4, 2]) == 3 * 4 + 4 + 4 * 2 + 2
    assert window_mlp_param_count(5, 1, 8, 1) == 5 * 8 + 8 + 8 + 1
    assert window_mlp_param_count(5, 2, [8, 4], 1) == mlp_param_count([10, 8, 4, 1])
    assert rnn_param_count(1, 8, 1) == 8 + 64 + 8 + 8 + 1
    assert lstm_param_count(1, 8, 1) == 4 * (8 + 64 + 8) + 8 + 1


def test_window_mlp_grows_with_window_rnn_does_not():
    counts = [window_mlp_param_count(w, 3, 16, 1) for w in range(1, 6)]
    assert np.all(np.diff(counts) == 3 * 16)  # one more step = D * H more weights
    # the RNN's count has no window argument at all: it is the same for every length
    assert rnn_param_count(3, 16, 1) < window_mlp_param_count(20, 3, 16, 1)
