"""Tests for rnnlib.losses: known answers, gradient checks, masks, extremes, bad input."""

import numpy as np
import pytest

from rnnlib.gradcheck import numerical_gradient
from rnnlib.gradcheck import rel_error as rel_err
from rnnlib.losses import mse, softmax_cross_entropy

TOL = 1e-7


def num_grad_scalar(f, x):
    """Central differences of a scalar ``f()`` w.r.t. ``x`` (rnnlib.gradcheck with df = 1)."""
    return numerical_gradient(f, x, np.ones(()))


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# ------------------------------------------------------------ cross-entropy


def test_cross_entropy_uniform_logits_is_log_V():
    logits = np.zeros((2, 3, 7))
    targets = np.array([[0, 3, 6], [1, 1, 2]])
    loss, dlogits = softmax_cross_entropy(logits, targets)
    assert loss == pytest.approx(np.log(7))
    # gradient: (p - onehot) / (N*T), p = 1/7 everywhere
    expected = np.full((2, 3, 7), 1 / 7)
    expected[0, 0, 0] -= 1
    np.testing.assert_allclose(dlogits[0, 0], expected[0, 0] / 6)


def test_cross_entropy_known_answer_2d():
    logits = np.array([[2.0, 0.0], [0.0, 0.0]])
    targets = np.array([0, 1])
    loss, _ = softmax_cross_entropy(logits, targets)
    p0 = np.exp(2) / (np.exp(2) + 1)
    assert loss == pytest.approx((-np.log(p0) + np.log(2)) / 2)


@pytest.mark.parametrize("shape", [(3, 4, 5), (6, 5)])
def test_cross_entropy_gradcheck(rng, shape):
    logits = rng.standard_normal(shape)
    targets = rng.integers(0, shape[-1], size=shape[:-1])
    mask = rng.random(shape[:-1]) < 0.7
    mask.flat[0] = True
    for m in (None, mask):
        _, dlogits = softmax_cross_entropy(logits, targets, m)
        num = num_grad_scalar(lambda m=m: softmax_cross_entropy(logits, targets, m)[0], logits)
        assert rel_err(dlogits, num) < TOL


def test_cross_entropy_mask_averages_over_unmasked_only(rng):
    logits = rng.standard_normal((2, 4, 5))
    targets = rng.integers(0, 5, size=(2, 4))
    mask = np.array([[1, 1, 0, 0], [1, 0, 0, 0]], dtype=bool)
    loss, dlogits = softmax_cross_entropy(logits, targets, mask)
    sub_loss, _ = softmax_cross_entropy(logits[mask], targets[mask])  # (3, V) form
    assert loss == pytest.approx(sub_loss)
    np.testing.assert_array_equal(dlogits[~mask], 0.0)
    # a float mask of ones is the same as no mask
    full, _ = softmax_cross_entropy(logits, targets, np.ones((2, 4)))
    assert full == pytest.approx(softmax_cross_entropy(logits, targets)[0])


def test_cross_entropy_huge_logits_are_finite():
    logits = np.array([[[1e4, -1e4, 0.0], [-1e300, 1e300, 0.0]]])
    targets = np.array([[1, 0]])
    loss, dlogits = softmax_cross_entropy(logits, targets)  # RuntimeWarnings are errors
    assert np.isfinite(loss) and np.all(np.isfinite(dlogits))
    assert loss == pytest.approx((2e4 + 2e300) / 2)


def test_cross_entropy_float32_follows_input(rng):
    logits = rng.standard_normal((2, 3, 4)).astype(np.float32)
    _, dlogits = softmax_cross_entropy(logits, np.zeros((2, 3), dtype=np.int64))
    assert dlogits.dtype == np.float32


def test_cross_entropy_bad_input(rng):
    logits = rng.standard_normal((2, 3, 4))
    targets = np.zeros((2, 3), dtype=np.int64)
    with pytest.raises(ValueError, match="mask is all zero"):
        softmax_cross_entropy(logits, targets, np.zeros((2, 3), dtype=bool))
    with pytest.raises(ValueError, match=r"targets must hold indices in \[0, 4\)"):
        softmax_cross_entropy(logits, targets + 4)
    with pytest.raises(ValueError, match=r"targets must have shape \(N, T\) = \(2, 3\)"):
        softmax_cross_entropy(logits, targets[:, :2])
    with pytest.raises(ValueError, match="targets must be an integer array"):
        softmax_cross_entropy(logits, targets.astype(float))
    with pytest.raises(ValueError, match=r"mask must be an array of shape \(N, T\)"):
        softmax_cross_entropy(logits, targets, np.ones(3))
    with pytest.raises(ValueError, match="mask must hold finite values >= 0"):
        softmax_cross_entropy(logits, targets, -np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"logits must have shape \(N, T, V\)"):
        softmax_cross_entropy(np.ones(4), targets)
    bad = logits.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(FloatingPointError, match="logits holds 1 NaN of 24 values"):
        softmax_cross_entropy(bad, targets)


def test_cross_entropy_infinite_logits_are_limits_without_warnings():
    # pyproject turns RuntimeWarning into an error, so a warning fails this test too
    targets = np.array([0, 0, 0, 0])
    logits = np.array(
        [
            [np.inf, 0.0, 1.0],  # +inf on the target: p_target = 1, loss 0
            [0.0, np.inf, 1.0],  # +inf elsewhere: p_target = 0, loss inf
            [0.0, -np.inf, 1.0],  # -inf elsewhere: probability exactly 0
            [0.0, 2.0, 1.0],
        ]
    )
    per_row = [softmax_cross_entropy(logits[k : k + 1], targets[:1]) for k in range(4)]
    assert per_row[0][0] == 0.0 and np.all(per_row[0][1] == 0)
    assert per_row[1][0] == np.inf
    np.testing.assert_array_equal(per_row[1][1], [[-1.0, 1.0, 0.0]])  # p - onehot, the limit
    finite_ref = softmax_cross_entropy(np.array([[0.0, 1.0]]), targets[:1])
    assert per_row[2][0] == pytest.approx(finite_ref[0], rel=1e-15)
    np.testing.assert_allclose(per_row[2][1][:, [0, 2]], finite_ref[1], rtol=1e-15)
    assert per_row[2][1][0, 1] == 0.0
    # a padded position costs nothing, even with an infinite loss there
    mask = np.array([1.0, 0.0, 1.0, 1.0])
    loss, dlogits = softmax_cross_entropy(logits, targets, mask)
    assert np.isfinite(loss) and np.all(np.isfinite(dlogits))
    assert np.all(dlogits[1] == 0)
    # and a -inf logit on the target is an infinite loss
    assert softmax_cross_entropy(np.array([[-np.inf, 0.0]]), targets[:1])[0] == np.inf


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ([np.inf, np.inf, 0.0], "two or more \\+inf"),
        ([-np.inf, -np.inf, -np.inf], "-inf for every class"),
        ([np.nan, 0.0, 0.0], "logits holds 1 NaN"),
    ],
)
def test_cross_entropy_undefined_softmax_is_a_named_error(row, message):
    with pytest.raises(FloatingPointError, match=message):
        softmax_cross_entropy(np.array([row]), np.array([0]))


# ------------------------------------------------------------------------ mse


def test_mse_known_answer():
    pred = np.array([[1.0], [3.0]])
    target = np.array([[0.0], [1.0]])
    loss, dpred = mse(pred, target)
    assert loss == pytest.approx((1 + 4) / 2)
    np.testing.assert_allclose(dpred, 2 * (pred - target) / 2)


def test_mse_gradcheck(rng):
    pred, target = rng.standard_normal((3, 4, 2)), rng.standard_normal((3, 4, 2))
    _, dpred = mse(pred, target)
    assert rel_err(dpred, num_grad_scalar(lambda: mse(pred, target)[0], pred)) < TOL


def test_mse_bad_input(rng):
    pred = rng.standard_normal((4, 1))
    # (N,) against (N, 1) would broadcast to (N, N): refuse it
    with pytest.raises(ValueError, match=r"target must have shape \(same as pred\) = \(4, 1\)"):
        mse(pred, np.zeros(4))
    with pytest.raises(ValueError, match="floating dtype"):
        mse(pred, np.zeros((4, 1), dtype=int))
    with pytest.raises(FloatingPointError, match="(pred|target) is not finite"):
        mse(pred, np.full((4, 1), np.inf))
