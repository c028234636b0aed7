"""Reference solutions to the exercises of notebook 05 (LSTM gates)."""

from __future__ import annotations

import numpy as np

__all__ = [
    "CELL_STATE_PREDICTION",
    "MEMORY_LIFETIME",
    "gru_step_backward",
    "gru_step_forward",
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


def gru_step_forward(x, h_prev, Wx, Wh, b):
    """One GRU step, gates stacked r, z, n (PyTorch's form; one bias, on the input side).

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D)
    h_prev : numpy.ndarray, shape (N, H)
    Wx : numpy.ndarray, shape (D, 3H)
    Wh : numpy.ndarray, shape (H, 3H)
    b : numpy.ndarray, shape (3H,)

    Returns
    -------
    h_next : numpy.ndarray, shape (N, H)
    """
    H = h_prev.shape[1]
    ax = x @ Wx + b  # (N, 3H)
    ah = h_prev @ Wh  # (N, 3H): kept apart, because the reset gate scales only its n block
    r = _sigmoid(ax[:, :H] + ah[:, :H])
    z = _sigmoid(ax[:, H : 2 * H] + ah[:, H : 2 * H])
    n = np.tanh(ax[:, 2 * H :] + r * ah[:, 2 * H :])
    return (1 - z) * n + z * h_prev


def gru_step_backward(dh_next, x, h_prev, Wx, Wh, b):
    """Backward pass of :func:`gru_step_forward` (recomputes the forward values).

    Returns
    -------
    dx : (N, D), dh_prev : (N, H), dWx : (D, 3H), dWh : (H, 3H), db : (3H,)
    """
    H = h_prev.shape[1]
    ax = x @ Wx + b
    ah = h_prev @ Wh
    r = _sigmoid(ax[:, :H] + ah[:, :H])
    z = _sigmoid(ax[:, H : 2 * H] + ah[:, H : 2 * H])
    ah_n = ah[:, 2 * H :]
    n = np.tanh(ax[:, 2 * H :] + r * ah_n)

    dn = dh_next * (1 - z)  # h_next = (1 - z) n + z h_prev
    dz = dh_next * (h_prev - n)
    da_n = dn * (1 - n**2)  # through tanh
    dr = da_n * ah_n  # n's argument holds r * ah_n
    da_r = dr * r * (1 - r)
    da_z = dz * z * (1 - z)
    dax = np.concatenate([da_r, da_z, da_n], axis=1)
    dah = np.concatenate([da_r, da_z, da_n * r], axis=1)
    dx = dax @ Wx.T
    dh_prev = dh_next * z + dah @ Wh.T
    dWx = x.T @ dax
    dWh = h_prev.T @ dah
    db = dax.sum(axis=0)
    return dx, dh_prev, dWx, dWh, db
