"""A one-unit LSTM with hand-set weights that writes, keeps, forgets and reads (notebook 05).

The unit (gates stacked i, f, g, o as everywhere in the course) has three input
channels ``x_t = (v_t, w_t, r_t)``: a value ``v_t``, a write marker ``w_t`` and a
read cue ``r_t`` (each 0 or 1). Its weights are set by hand, its recurrent weights
are zero (so every gate depends on the current input only)::

    i_t = sigmoid(10 w_t + b_i)       the input gate opens at a write marker
    f_t = sigmoid(-10 w_t + b_f)      ... where the forget gate closes: a write replaces
    g_t = tanh(w_g v_t)               the candidate is the (scaled) value
    o_t = sigmoid(10 r_t + b_o)       the output gate opens at a read cue
    c_t = f_t c_{t-1} + i_t g_t,      h_t = o_t tanh(c_t)

:func:`run` returns every gate and state over time; the gate playground widget
(:func:`rnnlib.widgets.lstm_gate_playground`) draws it.
"""

from __future__ import annotations

import numpy as np

from rnnlib import sequence
from rnnlib._validate import as_real_array, check_int, check_number, check_rng

__all__ = [
    "LENGTH",
    "MARKER_WEIGHT",
    "PRESETS",
    "READS",
    "WRITES",
    "WRITE_VALUES",
    "inputs",
    "run",
    "weights",
]

#: Length of the unit's input sequence.
LENGTH = 40
#: Steps (0-based) with a write marker, and the values written there.
WRITES = (4, 21)
WRITE_VALUES = (0.9, -0.7)
#: Steps (0-based) with a read cue.
READS = (14, 33)
#: Weight from a marker to the gate it drives: large, so a marker flips the gate.
MARKER_WEIGHT = 10.0

#: Settings of (b_i, b_f, b_o, w_g) that show one behaviour each (labels in mathtext).
PRESETS = {
    "write, keep, read": dict(b_i=-5.0, b_f=5.0, b_o=-5.0, w_g=2.0),
    "forget at once ($b_f = -5$)": dict(b_i=-5.0, b_f=-5.0, b_o=-5.0, w_g=2.0),
    "leak: $f \\approx 0.5$ ($b_f = 0$)": dict(b_i=-5.0, b_f=0.0, b_o=-5.0, w_g=2.0),
    "always write, always read ($b_i = b_o = 5$)": dict(b_i=5.0, b_f=5.0, b_o=5.0, w_g=2.0),
}


def inputs(T=LENGTH, seed=5):
    """The unit's input sequence: values, write markers and read cues.

    Parameters
    ----------
    T : int
        Length; the markers sit at :data:`WRITES` and :data:`READS`, so ``T`` must be
        larger than the last of them.
    seed : int
        Seed of the values between the markers.

    Returns
    -------
    numpy.ndarray, shape (1, T, 3)
        Channel 0: value ``v_t``, uniform in [-1, 1] (the written values at the write
        markers); channel 1: write marker (1 at a write, else 0); channel 2: read cue.
    """
    T = check_int("T", T)
    if T <= max(WRITES + READS):
        raise ValueError(f"T must be > {max(WRITES + READS)} (the last marker), got {T}")
    x = np.zeros((1, T, 3))
    x[0, :, 0] = check_rng("seed", seed).uniform(-1, 1, T)
    for t, v in zip(WRITES, WRITE_VALUES, strict=True):
        x[0, t, 0], x[0, t, 1] = v, 1.0
    x[0, list(READS), 2] = 1.0
    return x


def weights(b_i=-5.0, b_f=5.0, b_o=-5.0, w_g=2.0):
    """Hand-set weights of the one-unit LSTM (D = 3, H = 1, gates i, f, g, o).

    Parameters
    ----------
    b_i, b_f, b_o : float
        Biases of the input, forget and output gates: the gate's value when no
        marker is present is ``sigmoid(b)``.
    w_g : float
        Weight from the value channel to the candidate: ``g_t = tanh(w_g v_t)``.

    Returns
    -------
    Wx : numpy.ndarray, shape (3, 4)
        Rows: value, write marker, read cue; columns: gates i, f, g, o.
    Wh : numpy.ndarray, shape (1, 4)
        Zeros: the gates read only the current input.
    b : numpy.ndarray, shape (4,)
        ``(b_i, b_f, 0, b_o)``.
    """
    b_i, b_f, b_o = check_number("b_i", b_i), check_number("b_f", b_f), check_number("b_o", b_o)
    w_g = check_number("w_g", w_g)
    Wx = np.zeros((3, 4))
    Wx[0, 2] = w_g  # value -> candidate g
    Wx[1, 0] = MARKER_WEIGHT  # write marker opens the input gate i ...
    Wx[1, 1] = -MARKER_WEIGHT  # ... and closes the forget gate f: a write replaces
    Wx[2, 3] = MARKER_WEIGHT  # read cue opens the output gate o
    return Wx, np.zeros((1, 4)), np.array([b_i, b_f, 0.0, b_o], dtype=float)


def run(b_i=-5.0, b_f=5.0, b_o=-5.0, w_g=2.0, x=None):
    """Run the one-unit LSTM with :func:`rnnlib.sequence.lstm_forward`, from ``c = h = 0``.

    Parameters
    ----------
    b_i, b_f, b_o, w_g : float
        See :func:`weights`.
    x : numpy.ndarray, shape (1, T, 3), optional
        Inputs; default :func:`inputs`.

    Returns
    -------
    dict of numpy.ndarray, each shape (T,)
        ``"v"`` (the value channel), ``"write"``, ``"read"`` (the markers), and
        ``"i"``, ``"f"``, ``"g"``, ``"o"``, ``"c"``, ``"h"``.
    """
    Wx, Wh, b = weights(b_i, b_f, b_o, w_g)  # checks the four numbers
    x = inputs() if x is None else as_real_array("x", x, "1, T, 3", 3)
    if x.shape[0] != 1 or x.shape[2] != 3:
        raise ValueError(f"x must have shape (1, T, 3), got {x.shape}")
    zero = np.zeros((1, 1))
    h, cache = sequence.lstm_forward(x, zero, zero.copy(), Wx, Wh, b)
    out = {"v": x[0, :, 0], "write": x[0, :, 1], "read": x[0, :, 2], "h": h[0, :, 0]}
    for k in "ifgoc":
        out[k] = getattr(cache, k)[0, :, 0]
    return out
