"""Activation functions and their derivatives.

Each derivative is written in terms of the function's *output* ``y``, because
that is what a forward pass caches and what the equations of the course use:
``tanh'(a) = 1 - y**2`` and ``sigmoid'(a) = y * (1 - y)``.

``gamma`` is the largest value the derivative can take (Pascanu et al. 2013):
1 for tanh, 1/4 for sigmoid, 1 for linear and relu. It enters the bound on the
Jacobian product in notebook 04.

Every function is elementwise and accepts any real array_like (ints and bools are
computed in float64 where the result would otherwise be rounded). Like numpy's own
functions they map a NaN input to a NaN output, at the same place, and check
nothing else: they sit inside every time loop. Non-real input (complex, object,
strings, ``None``) raises ``TypeError`` naming the argument.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from rnnlib._validate import as_real_array, check_number

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


def _real(name, a, as_float=False):
    """``a`` as an array of a real dtype (bool, int or float); TypeError otherwise.

    ``as_float=True`` turns bools and ints into float64 (the output is a float).
    """
    a = np.asarray(a) if not isinstance(a, np.ndarray) else a
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real-valued array, got dtype {a.dtype}")
    if as_float and a.dtype.kind != "f":
        a = a.astype(np.float64)
    return a


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
    a = _real("a", a, as_float=True)  # an int dtype would round every output to 0 or 1
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-a))


def sigmoid_deriv(y):
    """Derivative of the sigmoid from its output: ``y * (1 - y)``; at most 1/4."""
    y = _real("y", y)
    with np.errstate(over="ignore"):  # |y| > 1e154 is no sigmoid output; -inf is its value
        return y * (1 - y)


def tanh(a):
    """Hyperbolic tangent, values in [-1, 1]; same shape and dtype as ``a``."""
    return np.tanh(_real("a", a, as_float=True))


def tanh_deriv(y):
    """Derivative of tanh from its output: ``1 - y**2``; at most 1."""
    y = _real("y", y)
    with np.errstate(over="ignore"):  # |y| > 1e154 is no tanh output; -inf is its value
        return 1 - y * y


def relu(a):
    """Rectified linear unit, ``max(a, 0)``; same shape and dtype as ``a``."""
    return np.maximum(_real("a", a), 0)


def relu_deriv(y):
    """Derivative of relu from its output: 1 where ``y > 0``, else 0 (0 at the kink)."""
    y = _real("y", y)
    return (y > 0).astype(y.dtype)


def linear(a):
    """Identity activation, ``y = a`` (a linear RNN)."""
    return _real("a", a)


def linear_deriv(y):
    """Derivative of the identity: ones shaped like ``y``."""
    return np.ones_like(_real("y", y))


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

    Notes
    -----
    Infinite logits are limits: a +inf takes all the probability (shared equally
    if there are several), a -inf gets exactly 0. A slice of -inf only, or with a
    NaN, is undefined and comes out NaN.
    """
    logits = _real("logits", logits, as_float=True)
    # A logit range wider than the dtype's maximum gives z = -inf, whose exp is an
    # exact 0; the subtraction's overflow warning is expected there.
    with np.errstate(over="ignore", invalid="ignore"):
        z = logits - np.max(logits, axis=axis, keepdims=True)
    pos_inf = np.isposinf(logits)
    if pos_inf.any():  # the limit: all the probability on the +inf entries, shared
        z = np.where(pos_inf.any(axis=axis, keepdims=True), np.where(pos_inf, 0.0, -np.inf), z)
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
    temperature = check_number("temperature", temperature, 0, open_low=True)
    z = as_real_array("logits", logits, "V,", 1)
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
    dprobs, probs = _real("dprobs", dprobs, True), _real("probs", probs, True)
    if dprobs.shape != probs.shape:
        raise ValueError(f"dprobs must have the shape of probs, {probs.shape}, got {dprobs.shape}")
    if not np.all(np.isfinite(dprobs)):
        raise FloatingPointError("dprobs is not finite: the upstream gradient holds NaN or inf")
    if probs.size and not (probs.min() >= 0 and probs.max() <= 1):  # also catches NaN
        raise ValueError("probs must be probabilities in [0, 1], the output of softmax")
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
    except (KeyError, TypeError):  # TypeError: an unhashable name, such as a list
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}") from None
