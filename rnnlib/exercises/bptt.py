"""Self-checks for notebook 03, backpropagation through time.

=============================  =================================================
checker                        the learner's answer
=============================  =================================================
check_sigmoid_step_backward    ``fn(dh_next, cache) -> (dx, dh_prev, dWx, dWh, db)``
                               for a step ``h_next = sigmoid(x Wx + h_prev Wh + b)``
check_rnn_backward             ``fn(dh, x, h0, h, Wx, Wh) -> (dx, dh0, dWx, dWh, db)``,
                               full BPTT of a tanh RNN from its arrays
check_missing_stream           ``"immediate"`` (the output stream) or ``"carried"``:
                               which stream :func:`mystery_rnn_backward` forgets
check_dL_dh1                   a number: ``dL/dh_1`` of :func:`tiny_rnn_T3`
=============================  =================================================

Each checker prints ``not attempted yet``, ``PASS`` or ``FAIL`` (naming the
wrong output, with a hint aimed at the usual mistake, recognised by comparing
with known wrong answers; hints come in two tiers, see :class:`~rnnlib.exercises.Hint`)
and returns a :class:`~rnnlib.exercises.CheckResult`; none of them raises.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rnnlib import cells
from rnnlib.activations import sigmoid

from ._core import Hint, check_outputs, check_value, verdict

__all__ = [
    "TinyRNN",
    "check_dL_dh1",
    "check_missing_stream",
    "check_rnn_backward",
    "check_sigmoid_step_backward",
    "mystery_rnn_backward",
    "tiny_rnn_T3",
]


# ------------------------------------------------------ exercise 1: one step


def _sigmoid_step_problem():
    rng = np.random.default_rng(301)
    N, D, H = 3, 4, 5
    x = rng.standard_normal((N, D))
    h_prev = rng.standard_normal((N, H))
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, H)) / np.sqrt(H)
    b = 0.1 * rng.standard_normal(H)
    h_next = sigmoid(x @ Wx + h_prev @ Wh + b)
    dh_next = rng.standard_normal((N, H))
    return dh_next, cells.RNNStepCache(x, h_prev, h_next, Wx, Wh)


def _step_backward_with(dh_next, cache, deriv):
    da = dh_next * deriv
    return (da @ cache.Wx.T, da @ cache.Wh.T, cache.x.T @ da, cache.h_prev.T @ da, da.sum(axis=0))


#: The course's names of the outputs of a step backward, in order.
STEP_GRAD_NAMES = ("dx", "dh_prev", "dWx", "dWh", "db")
#: The course's names of the outputs of a sequence backward, in order.
SEQUENCE_GRAD_NAMES = ("dx", "dh0", "dWx", "dWh", "db")


def check_sigmoid_step_backward(fn):
    """Check a backward pass of one step of a *sigmoid* RNN.

    The forward step is ``h_next = sigmoid(a)``, ``a = x @ Wx + h_prev @ Wh + b``;
    its cache is a :class:`rnnlib.cells.RNNStepCache` (``x, h_prev, h_next, Wx, Wh``).

    Parameters
    ----------
    fn : callable
        ``fn(dh_next, cache) -> (dx, dh_prev, dWx, dWh, db)`` with shapes
        (N, D), (N, H), (D, H), (H, H), (H,).

    Returns
    -------
    CheckResult
    """
    dh_next, cache = _sigmoid_step_problem()
    y = cache.h_next
    expected = _step_backward_with(dh_next, cache, y * (1 - y))
    mistakes = [
        (
            _step_backward_with(dh_next, cache, 1 - y**2),
            Hint(
                "1 - h_next**2 is the derivative of tanh, not of the sigmoid",
                "1 - h_next**2 is the derivative of tanh; the sigmoid's, from its output, is "
                "h_next * (1 - h_next)",
            ),
        ),
        (
            _step_backward_with(dh_next, cache, 1.0),
            Hint(
                "dh_next must pass through the sigmoid before the dense part sees it",
                "multiply dh_next by the sigmoid's derivative h_next * (1 - h_next) first: "
                "da = dL/da is what the dense part sees",
            ),
        ),
    ]
    hint = Hint(
        "only the activation changed: which line of rnn_step_backward uses tanh's "
        "derivative, and what is the sigmoid's, written with its output?",
        "da = dh_next * h_next * (1 - h_next); dx = da @ Wx.T; dh_prev = da @ Wh.T; "
        "dWx = x.T @ da; dWh = h_prev.T @ da; db = da.sum(axis=0)",
    )
    transposed = {
        "dWh": "dWh = h_prev.T @ da, shape (H, H): the rows of h_prev pair with the "
        "rows of da; da.T @ h_prev is its transpose",
        "dWx": "dWx = x.T @ da, shape (D, H)",
    }
    return check_outputs(
        "sigmoid step backward",
        fn,
        (dh_next, cache),
        expected,
        STEP_GRAD_NAMES,
        1e-7,
        hint,
        mistakes=mistakes,
        transposed_hints=transposed,
        extra_ok=False,
    )


# ------------------------------------------------- exercise 2: the sequence loop


def _rnn_forward_arrays(x, h0, Wx, Wh, b):
    h_t, hs = h0, []
    for t in range(x.shape[1]):
        h_t, _ = cells.rnn_step_forward(x[:, t], h_t, Wx, Wh, b)
        hs.append(h_t)
    return np.stack(hs, axis=1)  # (N, T, H)


def _rnn_backward_variant(dh, x, h0, h, Wx, Wh, drop=None, dWh_uses_h_t=False):
    """Full BPTT, or one of its classic bugs (for hints and the mystery function).

    ``drop="carried"``: the gradient from step t+1 is never added.
    ``drop="output"``: only the last step's output gradient enters; earlier
    steps get only what is carried back. ``dWh_uses_h_t``: pairs ``da_t`` with
    ``h_t`` instead of ``h_{t-1}``.
    """
    N, T, H = h.shape
    dx = np.zeros_like(x)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H, dtype=h.dtype)
    carried = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, t - 1]  # (N, H)
        if drop == "carried":
            dh_t = dh[:, t]
        elif drop == "output":
            dh_t = dh[:, t] if t == T - 1 else carried
        else:
            dh_t = dh[:, t] + carried
        da = dh_t * (1 - h[:, t] ** 2)  # (N, H)
        dx[:, t] = da @ Wx.T
        dWx += x[:, t].T @ da
        dWh += (h[:, t] if dWh_uses_h_t else h_prev).T @ da
        db += da.sum(axis=0)
        carried = da @ Wh.T
    return dx, carried, dWx, dWh, db


def _sequence_problem(seed=302, N=3, T=5, D=3, H=4):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, H)) / np.sqrt(H)
    b = 0.1 * rng.standard_normal(H)
    h = _rnn_forward_arrays(x, h0, Wx, Wh, b)
    dh = rng.standard_normal((N, T, H))
    return dh, x, h0, h, Wx, Wh


def check_rnn_backward(fn):
    """Check a full BPTT for a tanh RNN written from its arrays.

    Parameters
    ----------
    fn : callable
        ``fn(dh, x, h0, h, Wx, Wh) -> (dx, dh0, dWx, dWh, db)`` where ``h`` (N, T, H)
        is the hidden sequence of ``h_t = tanh(x_t Wx + h_{t-1} Wh + b)`` (``h[:, t]``
        is the state after reading ``x[:, t]``), ``dh[:, t]`` the immediate gradient
        of the loss at that step. Returns shapes (N, T, D), (N, H), (D, H), (H, H), (H,).

    Returns
    -------
    CheckResult
    """
    args = _sequence_problem()
    expected = _rnn_backward_variant(*args)
    mistakes = [
        (
            _rnn_backward_variant(*args, drop="carried"),
            "the gradient reaching h_t has two streams: add dh[:, t] AND what step t+1 "
            "sends back (da_{t+1} @ Wh.T)",
        ),
        (
            _rnn_backward_variant(*args, drop="output"),
            "every step's own loss counts: add dh[:, t] at every t, not only at the last one",
        ),
        (
            _rnn_backward_variant(*args, dWh_uses_h_t=True),
            "step t reads h_{t-1}: dWh sums h_{t-1}.T @ da_t, with h0 at the first step",
        ),
    ]
    hint = Hint(
        "walk back with reversed(range(T)): at each step the gradient reaching h_t is "
        "the sum of two streams; then through tanh, then the step's gradients",
        "carried = zeros like h0; for t in reversed(range(T)): dh_total = dh[:, t] + "
        "carried; da = dh_total * (1 - h[:, t]**2); dx[:, t] = da @ Wx.T; "
        "dWx += x[:, t].T @ da; dWh += h_prev.T @ da (h_prev = h[:, t-1], or h0 when "
        "t == 0); db += da.sum(axis=0); carried = da @ Wh.T. At the end dh0 = carried",
    )
    return check_outputs(
        "rnn_backward",
        fn,
        args,
        expected,
        SEQUENCE_GRAD_NAMES,
        1e-7,
        hint,
        mistakes=mistakes,
        transposed_hints={
            "dWh": "dWh sums h_{t-1}.T @ da_t, shape (H, H)",
            "dWx": "dWx sums x_t.T @ da_t, shape (D, H)",
        },
        extra_ok=False,
    )


# ------------------------------------------------ exercise 3: the missing stream


def mystery_rnn_backward(dh, x, h0, h, Wx, Wh):
    """A sequence backward of a tanh RNN with one bug: which stream does it forget?

    Same signature and returns as the function of :func:`check_rnn_backward`:
    ``(dx, dh0, dWx, dWh, db)``. Run it on losses placed at different steps and
    compare with a correct BPTT; answer with :func:`check_missing_stream`.
    """
    return _rnn_backward_variant(dh, x, h0, h, Wx, Wh, drop="output")


#: Words a learner may use for each stream (compared after dropping "the", "stream",
#: "gradient" and punctuation): the course's own names come first.
_STREAM_WORDS = {
    "immediate": (
        "immediate",
        "output",
        "outputs",
        "local",
        "own",
        "loss",
        "direct",
        "dh",
        "dh[:, t]",
        "dl_t/dh_t",
        "dlt/dht",
    ),
    "carried": (
        "carried",
        "carry",
        "recurrent",
        "future",
        "backward",
        "from t+1",
        "from step t+1",
        "from the next step",
        "next",
        "dh_next",
        "later",
    ),
}
_FILLER = ("the ", " stream", " gradient", " one", "'", '"', ".")


def _stream_said(prediction):
    """Which stream a free-text answer names, or None."""
    word = " " + str(prediction).strip().lower() + " "
    for filler in _FILLER:
        word = word.replace(filler, " ")
    word = " ".join(word.split())
    for stream, words in _STREAM_WORDS.items():
        if word in words or word.split(" ")[0] in words:
            return stream
    return None


def check_missing_stream(prediction):
    """Check the answer to "which stream does :func:`mystery_rnn_backward` forget?".

    Parameters
    ----------
    prediction : str or None
        ``"immediate"`` (the output stream, the loss's own gradient ``dh[:, t]`` at
        each step) or ``"carried"`` (what flows back from step t+1); the course's
        other names for them ("output", "the output stream", "the carried
        gradient", ...) are read too. None means not attempted yet.

    Returns
    -------
    CheckResult
    """
    name = "missing stream"
    if prediction is None:
        return verdict(name, "not attempted", detail="replace None with your answer")
    said = _stream_said(prediction)
    if said is None:
        return verdict(
            name,
            "FAIL",
            detail=f"answer 'immediate' (the output stream) or 'carried', got {prediction!r}",
        )
    if said == "immediate":
        result = verdict(name, "PASS")
        print(
            "  the immediate gradient dh[:, t] = dL_t/dh_t is dropped at every step but the "
            "last: a loss only at the last step still gets exact gradients, a loss only at "
            "the first step gets none"
        )
        return result
    return verdict(
        name,
        "FAIL",
        hint=Hint(
            "a forgotten carried stream is harmless when the loss sits only at the FIRST step: "
            "which placement left the mystery function exact?",
            "a forgotten carried stream is harmless when the loss sits only at the FIRST step "
            "(nothing comes back from later steps). The experiment found the opposite: exact for "
            "a loss at the LAST step, where only the carried stream is needed below it",
        ),
    )


# --------------------------------------------------- exercise 4: T = 3 by hand


class TinyRNN(NamedTuple):
    """A scalar RNN (D = H = N = 1) over T = 3 steps, for a computation by hand.

    ``h_t = tanh(wx * x_t + wh * h_{t-1} + b)``, ``L = sum_t (h_t - y_t)**2 / 2``,
    so the immediate gradient is ``dL_t/dh_t = h_t - y_t``.
    """

    x: tuple  # (x_1, x_2, x_3)
    y: tuple  # targets (y_1, y_2, y_3)
    h0: float
    wx: float
    wh: float
    b: float
    h: tuple  # (h_1, h_2, h_3), from the forward pass


def tiny_rnn_T3():
    """The fixed scalar example of exercise 4 (see :class:`TinyRNN`)."""
    x, y, h0, wx, wh, b = (1.0, 0.5, -0.5), (0.5, 0.0, 0.5), 0.0, 1.0, 0.8, 0.1
    hs, h_t = [], h0
    for x_t in x:
        h_t = float(np.tanh(wx * x_t + wh * h_t + b))
        hs.append(h_t)
    return TinyRNN(x, y, h0, wx, wh, b, tuple(hs))


def _dL_dh1_variants(p):
    h1, h2, h3 = p.h
    e1, e2, e3 = (h - y for h, y in zip(p.h, p.y, strict=True))
    right = e1 + e2 * (1 - h2**2) * p.wh + e3 * (1 - h3**2) * p.wh * (1 - h2**2) * p.wh
    wrong = [
        (e1, "that is only the immediate dL_1/dh_1: h_1 also moves L_2 and L_3 through h_2, h_3"),
        (
            e1 + e2 * (1 - h2**2) * p.wh,
            "you have the paths to L_1 and L_2; h_1 reaches L_3 too, through h_2 and then h_3",
        ),
        (
            e1 + e2 * p.wh + e3 * p.wh**2,
            "each step back also multiplies by tanh'(a) = 1 - h**2 of the step it passes through",
        ),
        (
            e1 + e2 * (1 - h1**2) * p.wh + e3 * (1 - h2**2) * p.wh * (1 - h1**2) * p.wh,
            "index: going back through step s (h_{s-1} -> h_s) multiplies by (1 - h_s**2) * wh, "
            "with the OUTPUT h_s of that step",
        ),
    ]
    return right, wrong


def check_dL_dh1(value):
    """Check ``dL/dh_1``, the *total* derivative, for :func:`tiny_rnn_T3`.

    Parameters
    ----------
    value : float, str or None
        Your number (None: not attempted). Values computed from the printed,
        rounded ``h_t`` pass: the tolerance on the relative error is 1e-3.

    Returns
    -------
    CheckResult
    """
    right, wrong = _dL_dh1_variants(tiny_rnn_T3())
    hint = Hint(
        "dL/dh_1 has three paths, one into each of L_1, L_2, L_3; each step back "
        "multiplies by (1 - h**2) * wh of the step it passes through",
        "dL/dh_1 = dL_1/dh_1 + dL_2/dh_2 (1 - h_2**2) wh "
        "+ dL_3/dh_3 (1 - h_3**2) wh (1 - h_2**2) wh",
    )
    return check_value("dL/dh_1 for T = 3", value, right, 1e-3, hint, wrong)
