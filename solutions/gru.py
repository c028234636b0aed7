"""Reference solutions to the exercises of notebook 08 (the GRU)."""

from __future__ import annotations

import numpy as np

__all__ = ["UPDATE_HALF_LIFE", "gru_step_backward", "gru_step_forward"]


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def gru_step_forward(x, h_prev, Wx, Wh, bx, bh):
    """One GRU step in PyTorch's form, gates stacked r, z, n.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, D)
    h_prev : numpy.ndarray, shape (N, H)
    Wx : numpy.ndarray, shape (D, 3H)
    Wh : numpy.ndarray, shape (H, 3H)
    bx, bh : numpy.ndarray, shape (3H,)

    Returns
    -------
    h_next : numpy.ndarray, shape (N, H)
    """
    H = h_prev.shape[1]
    ax = x @ Wx + bx  # (N, 3H)
    ah = h_prev @ Wh + bh  # (N, 3H)
    r = _sigmoid(ax[:, :H] + ah[:, :H])
    z = _sigmoid(ax[:, H : 2 * H] + ah[:, H : 2 * H])
    n = np.tanh(ax[:, 2 * H :] + r * ah[:, 2 * H :])
    return (1 - z) * n + z * h_prev


def gru_step_backward(dh_next, cache):
    """Backward of one GRU step from rnnlib's ``GRUStepCache``.

    Returns
    -------
    dx, dh_prev, dWx, dWh, dbx, dbh
        Shapes (N, D), (N, H), (D, 3H), (H, 3H), (3H,), (3H,).
    """
    x, h_prev, r, z, n, ah_n = cache.x, cache.h_prev, cache.r, cache.z, cache.n, cache.ah_n
    dn = dh_next * (1 - z)
    dz = dh_next * (h_prev - n)
    dan = dn * (1 - n**2)
    dr = dan * ah_n
    dax = np.concatenate([dr * r * (1 - r), dz * z * (1 - z), dan], axis=1)  # (N, 3H)
    dah = np.concatenate([dr * r * (1 - r), dz * z * (1 - z), dan * r], axis=1)  # (N, 3H)
    dx = dax @ cache.Wx.T
    dh_prev = dh_next * z + dah @ cache.Wh.T
    return dx, dh_prev, x.T @ dax, h_prev.T @ dah, dax.sum(axis=0), dah.sum(axis=0)


#: log(0.5) / log(sigmoid(3)) = 0.6931 / 0.04859 = 14.3 steps
UPDATE_HALF_LIFE = float(np.log(0.5) / np.log(1 / (1 + np.exp(-3.0))))
