"""Self-checks for notebook 05, the LSTM's gates.

=============================  =================================================
checker                        the learner's answer
=============================  =================================================
check_lstm_step_forward        ``fn(x, h_prev, c_prev, Wx, Wh, b) -> (h_next, c_next)``
                               (a cache may follow), gates stacked i, f, g, o
check_cell_state_prediction    a number: ``c_3`` of :data:`CELL_STATE_PROBLEM`
check_memory_lifetime          three ints: steps until a kept memory falls below 1 %
                               with forget bias 0, 1 and 2
=============================  =================================================

The GRU and its exercises are in notebook 08 (:mod:`rnnlib.exercises.gru`).

Each checker prints ``not attempted yet``, ``PASS`` or ``FAIL`` (with a hint
aimed at the usual mistake, recognised by comparing with known wrong answers)
and returns a :class:`~rnnlib.exercises.CheckResult`; none of them raises.
"""

from __future__ import annotations

import numpy as np

from rnnlib import cells
from rnnlib.activations import sigmoid

from ._core import Hint, as_whole_number, check_outputs, check_value, verdict

__all__ = [
    "CELL_STATE_PROBLEM",
    "LIFETIME_BIASES",
    "check_cell_state_prediction",
    "check_lstm_step_forward",
    "check_memory_lifetime",
]


# ------------------------------------------------ exercise 1: the LSTM step forward


def _lstm_problem():
    rng = np.random.default_rng(501)
    N, D, H = 3, 4, 5
    x = rng.standard_normal((N, D))
    h_prev = rng.standard_normal((N, H))
    c_prev = rng.standard_normal((N, H))
    Wx = rng.standard_normal((D, 4 * H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, 4 * H)) / np.sqrt(H)
    b = 0.5 * rng.standard_normal(4 * H)
    return x, h_prev, c_prev, Wx, Wh, b


def _lstm_variant(x, h_prev, c_prev, Wx, Wh, b, order="ifgo", no_tanh_c=False, no_i=False):
    """The LSTM step, or a classic mistake in it (for the hints)."""
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    blocks = {k: a[:, j * H : (j + 1) * H] for j, k in enumerate(order)}
    i, f, o = sigmoid(blocks["i"]), sigmoid(blocks["f"]), sigmoid(blocks["o"])
    g = np.tanh(blocks["g"])
    c_next = f * c_prev + (g if no_i else i * g)
    h_next = o * (c_next if no_tanh_c else np.tanh(c_next))
    return h_next, c_next


def check_lstm_step_forward(fn):
    """Check one LSTM step forward (gates stacked i, f, g, o, PyTorch's order).

    Parameters
    ----------
    fn : callable
        ``fn(x, h_prev, c_prev, Wx, Wh, b) -> (h_next, c_next)`` with x (N, D),
        h_prev and c_prev (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,); a cache may
        follow the two states.

    Returns
    -------
    CheckResult
    """
    args = _lstm_problem()
    h_next, c_next, _ = cells.lstm_step_forward(*args)
    mistakes = [
        (
            _lstm_variant(*args, order="ifog"),
            Hint(
                "check the order of the four blocks of a: i, f, g, o",
                "the blocks are in the order i, f, g, o (PyTorch's): g is the THIRD block "
                "a[:, 2H:3H], o the fourth (cs231n stacks i, f, o, g; this course does not)",
            ),
        ),
        (
            _lstm_variant(*args, no_tanh_c=True),
            "the output is h_next = o * tanh(c_next): the cell state is squashed before it "
            "is shown",
        ),
        (
            _lstm_variant(*args, no_i=True),
            "the input gate scales what is written: c_next = f * c_prev + i * g",
        ),
    ]
    hint = Hint(
        "one matmul gives all four pre-activations a (N, 4H); split it into blocks "
        "i, f, g, o of H columns each; three sigmoids and one tanh; then c, then h",
        "a = x @ Wx + h_prev @ Wh + b; i, f, o = sigmoid of blocks 0, 1, 3; "
        "g = tanh of block 2; c_next = f * c_prev + i * g; h_next = o * tanh(c_next)",
    )
    return check_outputs(
        "lstm_step_forward",
        fn,
        args,
        (h_next, c_next),
        ("h_next", "c_next"),
        1e-7,
        hint,
        mistakes=mistakes,
    )


# -------------------------------------------- exercise 2: predict the cell state

#: Exercise 2: the starting cell state and the gate values ``(f, i, g)`` of three steps.
CELL_STATE_PROBLEM = {
    "c0": 2.0,
    "steps": ((0.0, 1.0, 0.8), (0.9, 0.5, -0.4), (0.5, 0.0, 0.9)),
}


def _cell_state_variants():
    c_right = c_no_f = c_no_i = CELL_STATE_PROBLEM["c0"]
    for f, i, g in CELL_STATE_PROBLEM["steps"]:
        c_right = f * c_right + i * g
        c_no_f = c_no_f + i * g
        c_no_i = f * c_no_i + g
    wrong = [
        (
            c_no_f,
            "c_t = c_{t-1} + i_t g_t is the 1997 LSTM without a forget gate: today's "
            "cell multiplies the old state by f_t first (f = 0 at step 1 wipes c0 out)",
        ),
        (c_no_i, "the candidate g_t is scaled by the input gate: add i_t * g_t, not g_t"),
    ]
    return c_right, wrong


def check_cell_state_prediction(value):
    """Check your prediction of ``c_3`` for :data:`CELL_STATE_PROBLEM`.

    Parameters
    ----------
    value : float, str or None
        Your ``c_3`` (None: not attempted). Tolerance 1e-3 on the relative error.

    Returns
    -------
    CheckResult
    """
    right, wrong = _cell_state_variants()
    hint = Hint(
        "apply the cell-state update once per step, starting from c_0 = 2",
        "apply c_t = f_t * c_{t-1} + i_t * g_t three times, starting from c_0 = 2",
    )
    return check_value("cell state c_3", value, right, 1e-3, hint, wrong)


# ------------------------------------------ exercise 3: how long does memory last?

#: Exercise 3: the forget-gate biases asked about.
LIFETIME_BIASES = (0.0, 1.0, 2.0)


def _memory_lifetime(forget_bias, fraction=0.01):
    """Smallest k with ``sigmoid(forget_bias)**k < fraction``: steps until a kept value fades."""
    return int(np.floor(np.log(fraction) / np.log(sigmoid(forget_bias)))) + 1


def check_memory_lifetime(steps):
    """Check the number of steps until a memory falls below 1 % of its value.

    With the input gate shut and every forget gate at ``sigmoid(b_f)``, the cell
    state after k steps is ``sigmoid(b_f)**k`` times what was written.

    Parameters
    ----------
    steps : tuple of three ints (or strings such as "7"), or None
        The smallest k with ``sigmoid(b_f)**k < 0.01`` for ``b_f = 0, 1, 2``.

    Returns
    -------
    CheckResult
    """
    name = "memory lifetime"
    if steps is None:
        return verdict(name, "not attempted", detail="replace None with your answer")
    want = tuple(_memory_lifetime(b) for b in LIFETIME_BIASES)
    if isinstance(steps, str) or not hasattr(steps, "__len__") or len(steps) != len(want):
        return verdict(
            name, "FAIL", detail=f"expected three numbers (b_f = 0, 1, 2), got {steps!r}"
        )
    got = []
    for s in steps:
        ok, value = as_whole_number(name, s)
        if not ok:
            return value
        got.append(value)
    got = tuple(got)
    if got == want:
        result = verdict(name, "PASS")
        print(
            f"  sigmoid(b_f) = {', '.join(f'{sigmoid(b):.3f}' for b in LIFETIME_BIASES)}: "
            "a bias of 0 forgets within a handful of steps; memory over hundreds of steps "
            "needs forget gates that training pushes towards 1"
        )
        return result
    hint = Hint(
        "the memory after k steps is sigmoid(b_f)**k: solve sigmoid(b_f)**k < 0.01 "
        "for the smallest whole k",
        "k = log(0.01) / log(sigmoid(b_f)), rounded UP; sigmoid(0) = 0.5, "
        "sigmoid(1) = 0.731, sigmoid(2) = 0.881",
    )
    if tuple(_memory_lifetime(b) - 1 for b in LIFETIME_BIASES) == got:
        hint = "one step short: at that k the memory is still at or above 1 %; round up"
    return verdict(name, "FAIL", detail=f"got {got}", hint=hint)
