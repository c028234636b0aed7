"""Tests for rnnlib.activations: values, extreme inputs, derivatives from outputs."""

import warnings

import numpy as np
import pytest

from rnnlib.activations import (
    ACTIVATIONS,
    get_activation,
    sigmoid,
    sigmoid_deriv,
    softmax,
    softmax_backward,
    tanh,
)
from rnnlib.gradcheck import numerical_gradient, rel_error

FLOATS = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", FLOATS)
def test_sigmoid_of_huge_inputs_is_finite_and_silent(dtype):
    a = np.array([-1000.0, -100.0, 0.0, 100.0, 1000.0], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow warning fails the test
        y = sigmoid(a)
    assert y.dtype == dtype
    assert np.all(np.isfinite(y))
    np.testing.assert_array_equal(y[[0, 2, 4]], np.array([0.0, 0.5, 1.0], dtype))


def test_sigmoid_known_values_and_tail_precision():
    a = np.array([-40.0, -3.0, 0.0, 2.0])
    expected = 1 / (1 + np.exp(-a))  # no overflow for these inputs
    np.testing.assert_allclose(sigmoid(a), expected, rtol=1e-15)
    # the left tail keeps its relative precision (it is not rounded to 0)
    assert sigmoid(-40.0) == pytest.approx(4.248354255291589e-18, rel=1e-14)
    np.testing.assert_allclose(sigmoid(-a), 1 - sigmoid(a), rtol=1e-15, atol=1e-16)


def test_sigmoid_of_integers_is_float():
    # an integer dtype once rounded sigmoid(0) to 0 and sigmoid(2) to 0
    np.testing.assert_allclose(sigmoid(np.array([0, 2])), [0.5, 0.8807970779778823], rtol=1e-15)
    assert sigmoid(0) == 0.5


@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax_of_huge_logits_is_finite_and_sums_to_one(dtype):
    big = np.finfo(dtype).max
    logits = np.array([[1000.0, 0.0, -1000.0], [big, -big, 0.0], [3.0, 3.0, 3.0]], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(logits)
    assert p.dtype == dtype
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=-1), 1, rtol=1e-6)
    np.testing.assert_allclose(p[0], [1, 0, 0], atol=1e-30)
    np.testing.assert_allclose(p[2], [1 / 3] * 3, rtol=1e-6)


def test_softmax_is_shift_invariant_and_respects_axis():
    z = np.random.default_rng(0).standard_normal((4, 5))
    np.testing.assert_allclose(softmax(z), softmax(z + 123.0), rtol=1e-12)
    np.testing.assert_allclose(softmax(z, axis=0).sum(axis=0), 1, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_from_output_matches_finite_differences(name):
    act = get_activation(name)
    a = np.random.default_rng(1).uniform(-3, 3, 50)
    a = a[np.abs(a) > 1e-3]  # away from relu's kink
    h = 1e-6
    numeric = (act.f(a + h) - act.f(a - h)) / (2 * h)
    np.testing.assert_allclose(act.deriv(act.f(a)), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_gamma_bounds_the_derivative_and_is_reached(name):
    act = get_activation(name)
    a = np.linspace(-5, 5, 1001)
    d = act.deriv(act.f(a))
    assert d.max() <= act.gamma + 1e-12
    assert d.max() == pytest.approx(act.gamma, rel=1e-6)


def test_sigmoid_and_tanh_keep_float32():
    a = np.linspace(-3, 3, 7, dtype=np.float32)
    assert sigmoid(a).dtype == np.float32
    assert tanh(a).dtype == np.float32
    assert sigmoid_deriv(sigmoid(a)).dtype == np.float32


def test_softmax_backward_matches_finite_differences():
    rng = np.random.default_rng(2)
    z = rng.standard_normal((3, 5))
    dp = rng.standard_normal((3, 5))
    numeric = numerical_gradient(lambda: softmax(z), z, dp)
    assert rel_error(softmax_backward(dp, softmax(z)), numeric) < 1e-8


def test_unknown_activation_names_the_known_ones():
    with pytest.raises(ValueError, match="tanh"):
        get_activation("swish")
