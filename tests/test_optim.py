"""Tests for rnnlib.optim: every optimizer descends, exact first steps, clipping."""

import numpy as np
import pytest

from rnnlib.optim import (
    SGD,
    Adagrad,
    Adam,
    Momentum,
    clip_grad_norm,
    clip_grad_value,
    global_norm,
)

# A badly scaled quadratic: L = 0.5 * sum(a * (p - p_star)**2), curvatures 0.2 to 5.
A = {"W": np.array([[0.2, 1.0], [5.0, 2.0]]), "b": np.array([0.5, 3.0])}
P_STAR = {"W": np.array([[1.0, -2.0], [0.5, 3.0]]), "b": np.array([-1.0, 2.0])}


def quadratic(params):
    loss = sum(0.5 * np.sum(A[k] * (params[k] - P_STAR[k]) ** 2) for k in params)
    grads = {k: A[k] * (params[k] - P_STAR[k]) for k in params}
    return loss, grads


def fresh_params(dtype=np.float64):
    return {"W": np.zeros((2, 2), dtype), "b": np.zeros(2, dtype)}


@pytest.mark.parametrize(
    "opt",
    [SGD(0.1), Momentum(0.05, beta=0.9), Adagrad(0.5), Adam(0.05)],
    ids=["sgd", "momentum", "adagrad", "adam"],
)
def test_every_optimizer_minimises_a_quadratic(opt):
    params = fresh_params()
    loss0, _ = quadratic(params)
    for _ in range(300):
        _, grads = quadratic(params)
        opt.step(params, grads)
    loss, _ = quadratic(params)
    assert loss < 1e-3 * loss0


def test_sgd_step_is_exact_and_in_place():
    params = {"W": np.ones((2, 2))}
    W = params["W"]
    grads = {"W": np.array([[1.0, -2.0], [0.0, 4.0]])}
    g_copy = grads["W"].copy()
    SGD(0.5).step(params, grads)
    assert params["W"] is W  # the same array, updated in place
    np.testing.assert_allclose(W, [[0.5, 2.0], [1.0, -1.0]])
    np.testing.assert_array_equal(grads["W"], g_copy)  # grads untouched


def test_momentum_accumulates_velocity():
    params = {"p": np.zeros(1)}
    opt = Momentum(0.1, beta=0.5)
    opt.step(params, {"p": np.ones(1)})  # v = 1
    opt.step(params, {"p": np.ones(1)})  # v = 0.5 + 1 = 1.5
    np.testing.assert_allclose(params["p"], [-0.1 - 0.15])


def test_adagrad_and_adam_first_step_is_lr_times_sign():
    # Adagrad: g / sqrt(g^2); Adam: bias correction makes m_hat = g, v_hat = g^2
    g = {"p": np.array([1e-3, -50.0, 2.0])}
    for opt in (Adagrad(0.1), Adam(0.1)):
        params = {"p": np.zeros(3)}
        opt.step(params, g)
        np.testing.assert_allclose(params["p"], -0.1 * np.sign(g["p"]), rtol=1e-4)


def test_optimizers_keep_float32():
    for opt in (SGD(0.1), Momentum(0.1), Adagrad(0.1), Adam(0.1)):
        params = fresh_params(np.float32)
        _, grads = quadratic({k: v.astype(np.float64) for k, v in params.items()})
        opt.step(params, grads)  # float64 grads: the update still keeps float32
        assert all(p.dtype == np.float32 for p in params.values())
        assert all(s.dtype == np.float32 for slot in opt.state.values() for s in slot.values())


def test_step_rejects_mismatched_grads():
    params = fresh_params()
    grads = {k: np.ones_like(v) for k, v in params.items()}
    with pytest.raises(ValueError, match=r"grads has no entry for the parameters \['b'\]"):
        SGD(0.1).step(params, {"W": grads["W"]})
    with pytest.raises(ValueError, match=r"not parameters: \['x'\]"):
        SGD(0.1).step(params, {**grads, "x": np.ones(3)})
    with pytest.raises(ValueError, match=r"grads\['b'\] must have the shape"):
        SGD(0.1).step(params, {**grads, "b": np.ones(3)})
    with pytest.raises(FloatingPointError, match=r"grads\['W'\] is not finite"):
        SGD(0.1).step(params, {**grads, "W": np.full((2, 2), np.nan)})
    with pytest.raises(ValueError, match="lr must be > 0"):
        Adam(lr=0)


# ------------------------------------------------------------------- clipping


def test_global_norm_known_answer_and_float32_overflow():
    assert global_norm({"a": np.array([3.0]), "b": np.array([[4.0]])}) == pytest.approx(5.0)
    big = {"a": np.full(4, 1e20, dtype=np.float32)}  # (1e20)**2 overflows float32
    assert global_norm(big) == pytest.approx(2e20, rel=1e-6)


def test_clip_grad_norm_rescales_and_keeps_direction():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[0.0, -4.0]])}
    before = np.concatenate([g.ravel() for g in grads.values()])
    norm = clip_grad_norm(grads, 1.0)
    after = np.concatenate([g.ravel() for g in grads.values()])
    assert norm == pytest.approx(5.0)  # the norm *before* clipping
    assert global_norm(grads) == pytest.approx(1.0)
    cos = after @ before / (np.linalg.norm(after) * np.linalg.norm(before))
    assert cos == pytest.approx(1.0)
    np.testing.assert_allclose(after, before / 5.0)


def test_clip_grad_norm_below_threshold_changes_nothing():
    grads = {"a": np.array([0.3, -0.4])}
    a = grads["a"]
    norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(0.5)
    assert grads["a"] is a
    np.testing.assert_array_equal(a, [0.3, -0.4])


def test_clip_grad_norm_refuses_nan():
    with pytest.raises(FloatingPointError):
        clip_grad_norm({"a": np.array([np.inf, 1.0])}, 1.0)
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        clip_grad_norm({"a": np.ones(2)}, 0.0)


def test_clip_grad_value_clamps_and_changes_direction():
    grads = {"a": np.array([10.0, 1.0, -0.5, -7.0])}
    before = grads["a"].copy()
    clip_grad_value(grads, 1.0)
    np.testing.assert_array_equal(grads["a"], [1.0, 1.0, -0.5, -1.0])
    cos = grads["a"] @ before / (np.linalg.norm(grads["a"]) * np.linalg.norm(before))
    assert cos < 0.95  # the direction moved: this is not a rescaling
    with pytest.raises(ValueError, match="clip_value must be > 0"):
        clip_grad_value(grads, -1.0)
