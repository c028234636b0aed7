"""Reference solutions to the exercises of notebook 03, backpropagation through time.

Each one passes its checker in :mod:`rnnlib.exercises.bptt`; ``tests/test_exercises_bptt.py``
runs them. Math steps are numbered 1..T; in code ``x[:, t]`` and ``h[:, t]`` are step t+1.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MISSING_STREAM", "dL_dh1", "rnn_backward", "sigmoid_step_backward"]


def sigmoid_step_backward(dh_next, cache):
    """Exercise 1: backward through ``h_next = sigmoid(x @ Wx + h_prev @ Wh + b)``.

    Only the activation differs from the tanh step: sigmoid'(a) = h_next * (1 - h_next).
    """
    x, h_prev, h_next, Wx, Wh = cache
    da = dh_next * h_next * (1 - h_next)  # (N, H)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def rnn_backward(dh, x, h0, h, Wx, Wh):
    """Exercise 2: full BPTT of a tanh RNN from its arrays.

    The loop carries the total gradient back; the parameter gradients are summed
    over time after it, as single matmuls over the stacked N*T rows.
    """
    N, T, H = h.shape
    da = np.zeros_like(h)  # (N, T, H) dL/da_t for every step
    carried = np.zeros_like(h0)  # dL/dh_t arriving from step t+1: none after the last step
    for t in reversed(range(T)):
        dh_total = dh[:, t] + carried  # two streams: the loss at t, and the future
        da[:, t] = dh_total * (1 - h[:, t] ** 2)
        carried = da[:, t] @ Wh.T  # becomes dL/dh_{t-1} from this step (dh0 at the end)
    h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)  # (N, T, H): h_{t-1}
    rows = da.reshape(N * T, H)
    dx = (rows @ Wx.T).reshape(x.shape)
    dWx = x.reshape(N * T, -1).T @ rows
    dWh = h_prev.reshape(N * T, H).T @ rows
    return dx, carried, dWx, dWh, rows.sum(axis=0)


#: Exercise 3: the mystery function forgets the immediate gradient dh[:, t] (except
#: at the last step): a loss only at the last step is exact, one only at the first gets 0.
MISSING_STREAM = "immediate"


def dL_dh1(p):
    """Exercise 4: the total dL/dh_1 of the scalar T = 3 example ``p`` (a ``TinyRNN``).

    Three paths: straight into L_1, through h_2 into L_2, through h_2 and h_3 into L_3.
    """
    h1, h2, h3 = p.h
    e1, e2, e3 = h1 - p.y[0], h2 - p.y[1], h3 - p.y[2]  # immediate dL_t/dh_t
    back2 = (1 - h2**2) * p.wh  # dh_2/dh_1
    back3 = (1 - h3**2) * p.wh  # dh_3/dh_2
    return e1 + e2 * back2 + e3 * back3 * back2
