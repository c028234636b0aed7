"""Reference solutions to the exercises of notebook 01 (Feed-forward vs recurrent)."""

import numpy as np

__all__ = ["PARAM_COUNT_T1000", "ZERO_INPUT_PREDICTION", "rnn_forward_loop", "rnn_step_forward"]


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    """One RNN step: ``h_next = tanh(x @ Wx + h_prev @ Wh + b)``; x (N, D), h_prev (N, H)."""
    return np.tanh(x @ Wx + h_prev @ Wh + b)


def rnn_forward_loop(x, h0, Wx, Wh, b):
    """The step at every t: ``h[:, t]`` is the state after reading ``x[:, t]``; h (N, T, H)."""
    N, T, _ = x.shape
    h = np.empty((N, T, h0.shape[1]), dtype=np.result_type(x, h0))
    h_prev = h0
    for t in range(T):
        h_prev = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
    return h


#: D = 5, H = 20, three outputs: D*H + H*H + H + H*3 + 3, whatever T is.
PARAM_COUNT_T1000 = 5 * 20 + 20 * 20 + 20 + 20 * 3 + 3

#: Zero input, zero bias, spectral radius 0.5: the state decays to 0.
ZERO_INPUT_PREDICTION = "shrinks"
