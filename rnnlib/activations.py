"""Activation functions and their derivatives.

Each derivative is written in terms of the function's *output* ``y``, because
that is what a forward pass caches and what the equations of the course use:
``tanh'(a) = 1 - y**2`` and ``sigmoid'(a) = y * (1 - y)``.

``gamma`` is the largest value the derivative can take (Pascanu et al. 2013):
1 for tanh, 1/4 for sigmoid, 1 for linear and relu. It enters the bound on the
Jacobian product in notebook 04.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "linear",
    "linear_deriv",
    "relu",
    "relu_deriv",
    "sigmoid",
    "sigmoid_deriv",
    "softmax",
    "softmax_backward",
    "softmax_temperature",
    "tanh",
    "tanh_deriv",
]


def sigmoid(a):
    """Logistic sigmoid, ``1 / (1 + exp(-a))``, finite and warning-free for any input.

    Parameters
    ----------
    a : array_like, any shape
        Pre-activations. Integers are converted to float64.

    Returns
    -------
    numpy.ndarray, same shape and dtype as ``a`` (float64 for integer input)
        Values in [0, 1].

    Notes
    -----
    ``exp(-a)`` overflows to ``inf`` for ``a < -709`` in float64 (``-88`` in
    float32). That is harmless: ``1 / (1 + inf)`` is exactly 0, the correct limit,
    so the overflow warning is silenced rather than avoided. One exponential, no
    branch, full relative precision in both tails (``sigmoid(-40)`` is 4.2e-18,
    not 0), and several times faster than branching on the sign with ``np.where``.
    (``0.5 * (1 + tanh(a / 2))`` is overflow-free too, but it rounds every value
    below about 1e-17 to 0, and float64 ``tanh`` is slower than ``exp``.)
    """
    a = np.asarray(a)
    if not np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float64)  # an integer dtype would round every output to 0 or 1
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-a))


def sigmoid_deriv(y):
    """Derivative of the sigmoid from its output: ``y * (1 - y)``; at most 1/4."""
    return y * (1 - y)


def tanh(a):
    """Hyperbolic tangent, values in [-1, 1]; same shape and dtype as ``a``."""
    return np.tanh(a)


def tanh_deriv(y):
    """Derivative of tanh from its output: ``1 - y**2``; at most 1."""
    return 1 - y * y


def relu(a):
    """Rectified linear unit, ``max(a, 0)``; same shape and dtype as ``a``."""
    return np.maximum(a, 0)


def relu_deriv(y):
    """Derivative of relu from its output: 1 where ``y > 0``, else 0 (0 at the kink)."""
    return (y > 0).astype(np.asarray(y).dtype)


def linear(a):
    """Identity activation, ``y = a`` (a linear RNN)."""
    return a


def linear_deriv(y):
    """Derivative of the identity: ones shaped like ``y``."""
    return np.ones_like(y)


def softmax(logits, axis=-1):
    """Softmax along ``axis``, stable for huge logits.

    ``softmax(z)_k = exp(z_k - max z) / sum_j exp(z_j - max z)``: subtracting the
    maximum changes nothing mathematically and keeps every exponent <= 0.

    Parameters
    ----------
    logits : numpy.ndarray, shape (..., V)
    axis : int
        The axis that sums to one.

    Returns
    -------
    numpy.ndarray, same shape as ``logits``
        Probabilities, each slice along ``axis`` sums to 1.
    """
    # A logit range wider than the dtype's maximum gives z = -inf, whose exp is an
    # exact 0; the subtraction's overflow warning is expected there.
    with np.errstate(over="ignore"):
        z = logits - np.max(logits, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_temperature(logits, temperature):
    """The distribution a model samples from at a temperature: ``softmax(logits / T)``.

    ``p_i = exp(z_i / T) / sum_j exp(z_j / T)``. Below 1 the temperature sharpens
    the distribution (towards the argmax), above 1 it flattens it (towards uniform).

    Parameters
    ----------
    logits : array_like, shape (V,)
    temperature : float
        > 0.

    Returns
    -------
    numpy.ndarray of float64, shape (V,)
        Sums to 1 in float64 (what ``Generator.choice`` checks).

    Notes
    -----
    The maximum is subtracted *before* dividing: every entry is then <= 0, so a tiny
    temperature gives large negative numbers (``exp`` -> 0), never ``inf - inf``.
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    z = np.asarray(logits, dtype=np.float64)
    with np.errstate(over="ignore"):
        z = (z - z.max()) / temperature
    p = np.exp(z)
    return p / p.sum()


def softmax_backward(dprobs, probs, axis=-1):
    """Gradient through the softmax: ``p * (dp - sum(dp * p))``.

    Parameters
    ----------
    dprobs : numpy.ndarray, shape (..., V)
        Upstream gradient with respect to the probabilities.
    probs : numpy.ndarray, shape (..., V)
        The softmax output.

    Returns
    -------
    numpy.ndarray, shape (..., V)
        Gradient with respect to the logits.
    """
    return probs * (dprobs - np.sum(dprobs * probs, axis=axis, keepdims=True))


class Activation(NamedTuple):
    """An activation with its derivative (from the output) and its gamma."""

    name: str
    f: Callable
    deriv: Callable
    gamma: float


ACTIVATIONS = {
    "tanh": Activation("tanh", tanh, tanh_deriv, 1.0),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_deriv, 0.25),
    "linear": Activation("linear", linear, linear_deriv, 1.0),
    "relu": Activation("relu", relu, relu_deriv, 1.0),
}


def get_activation(name):
    """Look up an :class:`Activation` by name: tanh, sigmoid, linear or relu.

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.
    """
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}"
        ) from None
