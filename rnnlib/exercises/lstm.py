"""Self-checks for notebook 05, the LSTM's gates.

=============================  =================================================
checker                        the learner's answer
=============================  =================================================
check_lstm_step_forward        ``fn(x, h_prev, c_prev, Wx, Wh, b) -> (h_next, c_next)``
                               (a cache may follow), gates stacked i, f, g, o
check_cell_state_prediction    a number: ``c_3`` of :data:`CELL_STATE_PROBLEM`
check_memory_lifetime          three ints: steps until a kept memory falls below 1 %
                               with forget bias 0, 1 and 2
check_gru_step_forward         ``fn(x, h_prev, Wx, Wh, b) -> h_next`` (a cache may
                               follow), gates stacked r, z, n
check_gru_step_backward        ``fn(dh_next, x, h_prev, Wx, Wh, b) ->
                               (dx, dh_prev, dWx, dWh, db)`` (stretch exercise)
=============================  =================================================

The GRU of this course follows PyTorch's ``torch.nn.GRU`` (Cho et al. 2014 apply
the reset gate before the matmul instead), with a single bias added to the
input part::

    a_x = x @ Wx + b,   a_h = h_prev @ Wh              (N, 3H), blocks r, z, n
    r = sigmoid(a_x_r + a_h_r)                         reset gate
    z = sigmoid(a_x_z + a_h_z)                         update gate
    n = tanh(a_x_n + r * a_h_n)                        candidate
    h_next = (1 - z) * n + z * h_prev                  z = 1 keeps the old state

Each checker prints ``not attempted yet``, ``PASS`` or ``FAIL`` (with a hint
aimed at the usual mistake, recognised by comparing with known wrong answers)
and returns a :class:`~rnnlib.exercises.CheckResult`; none of them raises.
"""

from __future__ import annotations

import numpy as np

from rnnlib import cells
from rnnlib.activations import sigmoid

from ._core import CheckResult, compare, judge, rel_error, verdict

__all__ = [
    "CELL_STATE_PROBLEM",
    "LIFETIME_BIASES",
    "check_cell_state_prediction",
    "check_gru_step_backward",
    "check_gru_step_forward",
    "check_lstm_step_forward",
    "check_memory_lifetime",
]


def _not_answered(name):
    """The "not attempted" verdict of an exercise answered with a value, not a function."""
    print(f"{name}: not attempted yet (replace None with your answer)")
    return CheckResult(name, "not attempted")


def _number(name, value):
    """``(ok, float or CheckResult)``: the learner's answer as one float, or a verdict."""
    if value is None:
        return False, _not_answered(name)
    if np.size(value) != 1:
        return False, verdict(name, "FAIL", detail=f"expected one number, got {value!r}")
    try:
        return True, float(np.asarray(value, dtype=np.float64).item())
    except (TypeError, ValueError):
        return False, verdict(name, "FAIL", detail=f"expected a number, got {value!r}")


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
    wrong = [
        (_lstm_variant(*args, order="ifog"),
         "the blocks are in the order i, f, g, o (PyTorch's): g is the THIRD block "
         "a[:, 2H:3H], o the fourth (cs231n stacks i, f, o, g; this course does not)"),
        (_lstm_variant(*args, no_tanh_c=True),
         "the output is h_next = o * tanh(c_next): the cell state is squashed before it is shown"),
        (_lstm_variant(*args, no_i=True),
         "the input gate scales what is written: c_next = f * c_prev + i * g"),
    ]
    return judge("lstm_step_forward", fn, args, (h_next, c_next), 1e-7,
                  "a = x @ Wx + h_prev @ Wh + b; i, f, o = sigmoid of blocks 0, 1, 3; "
                  "g = tanh of block 2; c_next = f * c_prev + i * g; h_next = o * tanh(c_next)",
                  wrong)


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
        (c_no_f, "c_t = c_{t-1} + i_t g_t is the 1997 LSTM without a forget gate: today's "
                 "cell multiplies the old state by f_t first (f = 0 at step 1 wipes c0 out)"),
        (c_no_i, "the candidate g_t is scaled by the input gate: add i_t * g_t, not g_t"),
    ]
    return c_right, wrong


def check_cell_state_prediction(value):
    """Check your prediction of ``c_3`` for :data:`CELL_STATE_PROBLEM`.

    Parameters
    ----------
    value : float or None
        Your ``c_3`` (None: not attempted). Relative tolerance 1e-3.

    Returns
    -------
    CheckResult
    """
    name = "cell state c_3"
    ok, got = _number(name, value)
    if not ok:
        return got
    right, wrong = _cell_state_variants()
    hint = "apply c_t = f_t * c_{t-1} + i_t * g_t three times, starting from c_0 = 2"
    for w, wrong_hint in wrong:
        if rel_error(got, w) < 1e-3:
            hint = wrong_hint
            break
    return compare(name, lambda: np.float64(got), (), np.float64(right), tol=1e-3, hint=hint)


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
    steps : tuple of three ints, or None
        The smallest k with ``sigmoid(b_f)**k < 0.01`` for ``b_f = 0, 1, 2``.

    Returns
    -------
    CheckResult
    """
    name = "memory lifetime"
    if steps is None:
        return _not_answered(name)
    want = tuple(_memory_lifetime(b) for b in LIFETIME_BIASES)
    try:
        got = tuple(int(s) for s in steps)
    except (TypeError, ValueError):
        return verdict(name, "FAIL", detail=f"expected three whole numbers, got {steps!r}")
    if len(got) != len(want):
        return verdict(name, "FAIL",
                       detail=f"expected three numbers (b_f = 0, 1, 2), got {steps!r}")
    if got == want:
        result = verdict(name, "PASS")
        print(f"  sigmoid(b_f) = {', '.join(f'{sigmoid(b):.3f}' for b in LIFETIME_BIASES)}: "
              "a bias of 0 forgets within a handful of steps; memory over hundreds of steps "
              "needs forget gates that training pushes towards 1")
        return result
    hint = ("k = log(0.01) / log(sigmoid(b_f)), rounded UP; sigmoid(0) = 0.5, "
            "sigmoid(1) = 0.731, sigmoid(2) = 0.881")
    if tuple(_memory_lifetime(b) - 1 for b in LIFETIME_BIASES) == got:
        hint = "one step short: at that k the memory is still at or above 1 %; round up"
    return verdict(name, "FAIL", detail=f"got {got}", hint=hint)


# ---------------------------------------------- exercise 4: the GRU (and backward)


def _gru_problem(seed=502):
    rng = np.random.default_rng(seed)
    N, D, H = 3, 4, 5
    x = rng.standard_normal((N, D))
    h_prev = rng.standard_normal((N, H))
    Wx = rng.standard_normal((D, 3 * H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, 3 * H)) / np.sqrt(H)
    b = 0.5 * rng.standard_normal(3 * H)
    return x, h_prev, Wx, Wh, b


def _gru_forward(x, h_prev, Wx, Wh, b, variant=None):
    """The course's GRU step (module docstring), or a classic variant of it.

    ``variant``: ``"swap_z"`` (``h = z * n + (1 - z) * h_prev``), ``"cho"`` (reset
    before the matmul: ``n = tanh(a_x_n + (r * h_prev) @ Wh_n)``), ``"order_zr"``
    (blocks read as z, r, n). Returns ``h_next`` and the values backward needs.
    """
    H = h_prev.shape[1]
    ax = x @ Wx + b  # (N, 3H)
    ah = h_prev @ Wh  # (N, 3H)
    jr, jz = (1, 0) if variant == "order_zr" else (0, 1)
    r = sigmoid(ax[:, jr * H : (jr + 1) * H] + ah[:, jr * H : (jr + 1) * H])
    z = sigmoid(ax[:, jz * H : (jz + 1) * H] + ah[:, jz * H : (jz + 1) * H])
    ah_n = ah[:, 2 * H :]
    if variant == "cho":
        n = np.tanh(ax[:, 2 * H :] + (r * h_prev) @ Wh[:, 2 * H :])
    else:
        n = np.tanh(ax[:, 2 * H :] + r * ah_n)
    if variant == "swap_z":
        return z * n + (1 - z) * h_prev, (r, z, n, ah_n)
    return (1 - z) * n + z * h_prev, (r, z, n, ah_n)


def _gru_backward(dh_next, x, h_prev, Wx, Wh, b):
    """Reference backward of :func:`_gru_forward`: ``(dx, dh_prev, dWx, dWh, db)``."""
    _, (r, z, n, ah_n) = _gru_forward(x, h_prev, Wx, Wh, b)
    dn = dh_next * (1 - z)
    dz = dh_next * (h_prev - n)
    da_n = dn * (1 - n**2)  # gradient of tanh's argument
    da_r = da_n * ah_n * r * (1 - r)
    da_z = dz * z * (1 - z)
    dax = np.concatenate([da_r, da_z, da_n], axis=1)  # (N, 3H): w.r.t. x @ Wx + b
    dah = np.concatenate([da_r, da_z, da_n * r], axis=1)  # (N, 3H): w.r.t. h_prev @ Wh
    dx = dax @ Wx.T
    dh_prev = dh_next * z + dah @ Wh.T  # the direct path through z * h_prev, plus the gates
    return dx, dh_prev, x.T @ dax, h_prev.T @ dah, dax.sum(axis=0)


def check_gru_step_forward(fn):
    """Check one GRU step forward (gates stacked r, z, n, PyTorch's form and order).

    Parameters
    ----------
    fn : callable
        ``fn(x, h_prev, Wx, Wh, b) -> h_next`` with x (N, D), h_prev (N, H),
        Wx (D, 3H), Wh (H, 3H), b (3H,); returning ``(h_next, cache)`` is fine too.

    Returns
    -------
    CheckResult
    """
    args = _gru_problem()
    expected = _gru_forward(*args)[0]
    wrong = [
        (_gru_forward(*args, variant="swap_z")[0],
         "in this course (and PyTorch) z = 1 KEEPS the old state: "
         "h_next = (1 - z) * n + z * h_prev"),
        (_gru_forward(*args, variant="cho")[0],
         "that is Cho et al.'s original form, with the reset applied before the matmul; "
         "here (as in PyTorch) it multiplies after it: n = tanh(a_x_n + r * (h_prev @ Wh_n))"),
        (_gru_forward(*args, variant="order_zr")[0],
         "the blocks are in the order r, z, n: the reset gate comes first"),
    ]
    return judge("gru_step_forward", fn, args, expected, 1e-7,
                  "a_x = x @ Wx + b, a_h = h_prev @ Wh; r, z = sigmoid of blocks 0, 1 (sum of "
                  "both parts); n = tanh(a_x_n + r * a_h_n); h_next = (1 - z) * n + z * h_prev",
                  wrong)


def check_gru_step_backward(fn):
    """Check the backward pass of one GRU step (the stretch exercise).

    Parameters
    ----------
    fn : callable
        ``fn(dh_next, x, h_prev, Wx, Wh, b) -> (dx, dh_prev, dWx, dWh, db)``
        with shapes (N, D), (N, H), (D, 3H), (H, 3H), (3H,).

    Returns
    -------
    CheckResult
    """
    x, h_prev, Wx, Wh, b = _gru_problem(seed=503)
    dh_next = np.random.default_rng(504).standard_normal(h_prev.shape)
    args = (dh_next, x, h_prev, Wx, Wh, b)
    expected = _gru_backward(*args)
    dx, dh_prev, dWx, dWh, db = expected
    _, (_, z, _, _) = _gru_forward(x, h_prev, Wx, Wh, b)
    wrong = [
        ((dx, dh_prev - dh_next * z, dWx, dWh, db),
         "h_prev reaches h_next directly too (z * h_prev): add dh_next * z to dh_prev"),
    ]
    return judge("gru_step_backward", fn, args, expected, 1e-7,
                  "go backwards: dn = dh*(1-z), dz = dh*(h_prev-n), da_n = dn*(1-n**2), "
                  "da_r = da_n * a_h_n * r(1-r), da_z = dz * z(1-z); the h-side gradient of "
                  "block n is da_n * r", wrong)
