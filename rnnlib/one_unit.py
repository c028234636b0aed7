"""The smallest recurrent network: one hidden unit fed a single pulse (notebook 00).

    h_t = tanh(w h_{t-1} + x_t),    h_0 = 0,

with the input ``x_1 = 1`` followed by zeros. Everything ``h`` does after step 1
it does from memory, and the weight ``w`` decides how long that memory lasts:
``w = 0`` forgets at once, ``|w| < 1`` forgets gradually, ``w > 1`` settles on a
non-zero fixed point of ``h = tanh(w h)`` (it keeps the pulse's sign, not its
size), a negative ``w`` flips the sign every step.
"""

from __future__ import annotations

import numpy as np

from rnnlib._validate import as_real_array, check_int, check_number

__all__ = ["one_unit_rnn", "pulse_input"]


def one_unit_rnn(w, x):
    """Run ``h_t = tanh(w h_{t-1} + x_t)`` from ``h_0 = 0``.

    Parameters
    ----------
    w : float
        The recurrent weight.
    x : array_like, shape (T,)
        Inputs ``x_1, ..., x_T``.

    Returns
    -------
    h : numpy.ndarray, shape (T,)
        ``h_1, ..., h_T`` (``h[t-1]`` is ``h_t``).
    """
    w = check_number("w", w)
    x = as_real_array("x", x, "T,", 1)
    h = np.empty_like(x)
    h_prev = 0.0
    for t in range(len(x)):
        h_prev = np.tanh(w * h_prev + x[t])
        h[t] = h_prev
    return h


def pulse_input(T, size=1.0):
    """A single pulse: ``x_1 = size``, then ``T - 1`` zeros.

    Parameters
    ----------
    T : int
        Length, ``>= 1``.
    size : float
        Height of the pulse.

    Returns
    -------
    numpy.ndarray, shape (T,)
    """
    T = check_int("T", T)
    size = check_number("size", size)
    x = np.zeros(T)
    x[0] = size
    return x
