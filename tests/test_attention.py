"""Tests of rnnlib.attention: masks, attention forward/backward pairs, self-attention."""

import numpy as np
import pytest

from rnnlib.attention import (
    additive_attention_backward,
    additive_attention_forward,
    dot_attention_backward,
    dot_attention_forward,
    length_mask,
    masked_softmax,
    self_attention,
)
from rnnlib.gradcheck import check_backward

N, S, H, A, T = 3, 5, 4, 6, 2


@pytest.fixture
def setup():
    rng = np.random.default_rng(0)
    mask = length_mask(np.array([3, 5, 4]), S)
    K = rng.standard_normal((N, S, H))
    Wq, Wk, v = rng.standard_normal((H, A)), rng.standard_normal((H, A)), rng.standard_normal(A)
    return rng, mask, K, Wq, Wk, v


def test_length_mask():
    m = length_mask(np.array([1, 3]), 4)
    assert m.tolist() == [[True, False, False, False], [True, True, True, False]]
    with pytest.raises(ValueError, match="lengths must be in"):
        length_mask(np.array([0, 2]), 4)


@pytest.mark.parametrize("q_shape", [(N, H), (N, T, H)], ids=["one query", "T queries"])
def test_dot_attention_gradients(setup, q_shape):
    rng, mask, K, *_ = setup
    q = rng.standard_normal(q_shape)
    for scaled in (False, True):
        errors = check_backward(dot_attention_forward, dot_attention_backward, (q, K, mask, scaled))
        assert set(errors) == {"dq", "dK"}
        assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("q_shape", [(N, H), (N, T, H)], ids=["one query", "T queries"])
def test_additive_attention_gradients(setup, q_shape):
    rng, mask, K, Wq, Wk, v = setup
    q = rng.standard_normal(q_shape)
    errors = check_backward(
        additive_attention_forward, additive_attention_backward, (q, K, Wq, Wk, v, mask)
    )
    assert set(errors) == {"dq", "dK", "dWq", "dWk", "dv"}
    assert max(errors.values()) < 1e-7, errors


def test_uniform_scores_give_mean_of_unmasked_states(setup):
    _, mask, K, Wq, Wk, _ = setup
    # q = 0 gives equal dot scores; v = 0 equal additive scores
    c, alpha, _ = dot_attention_forward(np.zeros((N, H)), K, mask)
    lengths = mask.sum(axis=1)
    expected = np.stack([K[n, : lengths[n]].mean(axis=0) for n in range(N)])
    np.testing.assert_allclose(c, expected, rtol=1e-12)
    np.testing.assert_allclose(alpha, mask / lengths[:, None], rtol=1e-12)
    c2, alpha2, _ = additive_attention_forward(np.ones((N, H)), K, Wq, Wk, np.zeros(A), mask)
    np.testing.assert_allclose(c2, expected, rtol=1e-12)


def test_masked_positions_get_weight_exactly_zero(setup):
    rng, mask, K, *_ = setup
    K_big = K.copy()
    K_big[~mask] = 1e6  # huge values at padded positions must change nothing
    q = rng.standard_normal((N, H))
    c, alpha, _ = dot_attention_forward(q, K_big, mask)
    assert np.all(alpha[~mask] == 0)
    c_ref, _, _ = dot_attention_forward(q, K, mask)
    np.testing.assert_allclose(c, c_ref, rtol=1e-12)
    np.testing.assert_allclose(alpha.sum(axis=1), 1, rtol=1e-12)
    # and the gradient reaching a padded state is exactly 0
    _, dK = dot_attention_backward(
        rng.standard_normal((N, H)),
        rng.standard_normal((N, S)),
        dot_attention_forward(q, K, mask)[2],
    )
    assert np.all(dK[~mask] == 0)


def test_softmax_of_huge_scores_is_finite():
    e = np.array([[1000.0, -1000.0, 0.0]])
    a = masked_softmax(e, np.array([[True, True, False]]))
    assert np.all(np.isfinite(a)) and a[0, 0] == 1 and a[0, 2] == 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_follows_input(setup, dtype):
    _, mask, K, Wq, Wk, v = setup
    args = [a.astype(dtype) for a in (np.ones((N, H)), K, Wq, Wk, v)]
    c, alpha, cache = additive_attention_forward(*args, mask)
    assert c.dtype == alpha.dtype == dtype
    assert all(g.dtype == dtype for g in additive_attention_backward(c, None, cache))
    c, alpha, cache = dot_attention_forward(args[0], args[1], mask)
    assert c.dtype == alpha.dtype == dtype
    assert all(g.dtype == dtype for g in dot_attention_backward(c, alpha, cache))


def test_bad_input_is_named(setup):
    _, mask, K, Wq, Wk, v = setup
    with pytest.raises(ValueError, match=r"q must have shape \(N, H\) = \(3, 4\), got \(3, 5\)"):
        dot_attention_forward(np.zeros((N, H + 1)), K)
    with pytest.raises(ValueError, match="Wk must have shape"):
        additive_attention_forward(np.zeros((N, H)), K, Wq, Wk[:, :2], v)
    with pytest.raises(ValueError, match="mask must be a bool array"):
        dot_attention_forward(np.zeros((N, H)), K, mask.astype(float))
    with pytest.raises(ValueError, match="at least one source position"):
        dot_attention_forward(np.zeros((N, H)), K, np.zeros((N, S), bool))
    with pytest.raises(ValueError, match="dcontext must have shape"):
        dot_attention_backward(
            np.zeros((N, H + 1)), None, dot_attention_forward(np.zeros((N, H)), K)[2]
        )


def test_self_attention_matches_a_loop():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 4, 3))
    Wq, Wk, Wv = (rng.standard_normal((3, 5)) for _ in range(3))
    Y, alpha = self_attention(X, Wq, Wk, Wv)
    for n in range(2):
        for t in range(4):
            e = (X[n, t] @ Wq) @ (X[n] @ Wk).T / np.sqrt(5)
            a = np.exp(e - e.max()) / np.exp(e - e.max()).sum()
            np.testing.assert_allclose(alpha[n, t], a, rtol=1e-12)
            np.testing.assert_allclose(Y[n, t], a @ (X[n] @ Wv), rtol=1e-12)
