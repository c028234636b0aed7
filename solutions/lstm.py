"""Reference solutions to the exercises of notebook 05 (LSTM gates); the GRU: notebook 08."""

from __future__ import annotations

import numpy as np

__all__ = [
    "CELL_STATE_PREDICTION",
    "MEMORY_LIFETIME",
    "lstm_step_forward",
]


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    """One LSTM step, gates stacked i, f, g, o.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D)
    h_prev, c_prev : numpy.ndarray, shape (N, H)
    Wx : numpy.ndarray, shape (D, 4H)
    Wh : numpy.ndarray, shape (H, 4H)
    b : numpy.ndarray, shape (4H,)

    Returns
    -------
    h_next, c_next : numpy.ndarray, shape (N, H)
    """
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b  # (N, 4H)
    i = _sigmoid(a[:, :H])
    f = _sigmoid(a[:, H : 2 * H])
    g = np.tanh(a[:, 2 * H : 3 * H])
    o = _sigmoid(a[:, 3 * H :])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next


#: c_1 = 0 * 2 + 1 * 0.8 = 0.8; c_2 = 0.9 * 0.8 + 0.5 * (-0.4) = 0.52; c_3 = 0.5 * 0.52 + 0 = 0.26
CELL_STATE_PREDICTION = 0.26

#: Smallest k with sigmoid(b_f)**k < 0.01 for b_f = 0, 1, 2: 0.5**7 = 0.0078,
#: 0.731**15 = 0.0091, 0.881**37 = 0.0093.
MEMORY_LIFETIME = (7, 15, 37)
