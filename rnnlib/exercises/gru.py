"""Self-checks for notebook 08, the GRU.

=============================  =================================================
checker                        the learner's answer
=============================  =================================================
check_gru_step_forward         ``fn(x, h_prev, Wx, Wh, bx, bh) -> h_next`` (a cache
                               may follow), PyTorch's form, gates stacked r, z, n
check_gru_step_backward        ``fn(dh_next, cache) -> (dx, dh_prev, dWx, dWh, dbx,
                               dbh)`` with ``cache`` a :class:`rnnlib.cells.GRUStepCache`
check_update_half_life         a number: the half-life, in steps, of a GRU state
                               whose update gate sits at ``sigmoid(HALF_LIFE_BIAS)``
=============================  =================================================

The reference is :mod:`rnnlib.cells` itself (``gru_step_forward`` and
``gru_step_backward``, gradient-checked in ``tests/test_cells.py``)::

    r = sigmoid(x @ Wx_r + bx_r + h_prev @ Wh_r + bh_r)
    z = sigmoid(x @ Wx_z + bx_z + h_prev @ Wh_z + bh_z)
    n = tanh(x @ Wx_n + bx_n + r * (h_prev @ Wh_n + bh_n))
    h_next = (1 - z) * n + z * h_prev

Each checker prints ``not attempted yet``, ``PASS`` or ``FAIL`` (with the error,
the tolerance and a hint that names the wrong output) and returns a
:class:`~rnnlib.exercises.CheckResult`; none of them raises.
"""

from __future__ import annotations

import numpy as np

from rnnlib import analysis, cells
from rnnlib.activations import sigmoid
from rnnlib.gradcheck import rel_error

from ._core import CheckResult, Hint, as_number, check_outputs, verdict

__all__ = [
    "HALF_LIFE_BIAS",
    "check_gru_step_backward",
    "check_gru_step_forward",
    "check_update_half_life",
]

TOL = 1e-7  # relative error of a step, as in the gradient checks

#: Exercise 3: the update-gate bias whose half-life is asked for.
HALF_LIFE_BIAS = 3.0


def _gru_problem(seed=801):
    """Seeded inputs of one GRU step: x (3, 4), h_prev (3, 5), weights, both biases."""
    rng = np.random.default_rng(seed)
    N, D, H = 3, 4, 5
    x = rng.standard_normal((N, D))
    h_prev = rng.standard_normal((N, H))
    Wx = rng.standard_normal((D, 3 * H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, 3 * H)) / np.sqrt(H)
    bx = 0.5 * rng.standard_normal(3 * H)
    bh = 0.5 * rng.standard_normal(3 * H)
    return x, h_prev, Wx, Wh, bx, bh


def _gru_variant(x, h_prev, Wx, Wh, bx, bh, variant):
    """A classic mistake in the GRU step forward (for the hints)."""
    H = h_prev.shape[1]
    ax, ah = x @ Wx + bx, h_prev @ Wh + bh
    jr, jz = (1, 0) if variant == "order_zr" else (0, 1)
    r = sigmoid(ax[:, jr * H : (jr + 1) * H] + ah[:, jr * H : (jr + 1) * H])
    z = sigmoid(ax[:, jz * H : (jz + 1) * H] + ah[:, jz * H : (jz + 1) * H])
    if variant == "cho":  # reset before the matmul (Cho et al. 2014)
        n = np.tanh(ax[:, 2 * H :] + (r * h_prev) @ Wh[:, 2 * H :] + bh[2 * H :])
    elif variant == "bias_outside":  # bh_n added outside r * (...)
        n = np.tanh(ax[:, 2 * H :] + r * (h_prev @ Wh[:, 2 * H :]) + bh[2 * H :])
    else:
        n = np.tanh(ax[:, 2 * H :] + r * ah[:, 2 * H :])
    if variant == "swap_z":
        return z * n + (1 - z) * h_prev
    return (1 - z) * n + z * h_prev


def check_gru_step_forward(fn):
    """Check one GRU step forward (PyTorch's form, gates stacked r, z, n).

    Parameters
    ----------
    fn : callable
        ``fn(x, h_prev, Wx, Wh, bx, bh) -> h_next`` with x (N, D), h_prev (N, H),
        Wx (D, 3H), Wh (H, 3H), bx and bh (3H,); ``(h_next, cache)`` is fine too.

    Returns
    -------
    CheckResult
    """
    args = _gru_problem()
    expected, _ = cells.gru_step_forward(*args)
    wrong = [
        (
            _gru_variant(*args, "swap_z"),
            "h_next: z = 1 KEEPS the old state here (and in PyTorch): "
            "h_next = (1 - z) * n + z * h_prev",
        ),
        (
            _gru_variant(*args, "cho"),
            "n: that is Cho et al.'s original form, reset applied before the matmul; "
            "PyTorch's form multiplies after it: n = tanh(ax_n + r * (h_prev @ Wh_n + bh_n))",
        ),
        (
            _gru_variant(*args, "bias_outside"),
            "n: the hidden bias bh_n sits INSIDE the reset gate's product, "
            "r * (h_prev @ Wh_n + bh_n)",
        ),
        (
            _gru_variant(*args, "order_zr"),
            "r and z: the blocks are in the order r, z, n; the reset gate comes first",
        ),
    ]
    hint = Hint(
        "h_next: check the order of the blocks (r, z, n), where the reset gate acts, and "
        "which of n and h_prev the update gate z keeps",
        "h_next: ax = x @ Wx + bx, ah = h_prev @ Wh + bh; r, z = sigmoid of blocks 0, 1 of "
        "ax + ah; n = tanh(ax_n + r * ah_n); h_next = (1 - z) * n + z * h_prev",
    )
    return check_outputs(
        "gru_step_forward", fn, args, expected, ("h_next",), TOL, hint, mistakes=wrong
    )


_GRAD_NAMES = ("dx", "dh_prev", "dWx", "dWh", "dbx", "dbh")


def _backward_variant(dh_next, cache, variant):
    """A classic mistake in the GRU step backward (for the hints)."""
    x, h_prev, r, z, n, ah_n, _, Wx, Wh = cache
    dn = dh_next * (1 - z)
    dz = dh_next * ((n - h_prev) if variant == "dz_sign" else (h_prev - n))
    dan = dn * (1 - n**2)
    da_r, da_z = dan * ah_n * r * (1 - r), dz * z * (1 - z)
    dax = np.concatenate([da_r, da_z, dan], axis=1)
    dah = dax if variant == "no_r_in_dah" else np.concatenate([da_r, da_z, dan * r], axis=1)
    dh_prev = dah @ Wh.T + (0 if variant == "no_direct" else dh_next * z)
    return dax @ Wx.T, dh_prev, x.T @ dax, h_prev.T @ dah, dax.sum(0), dah.sum(0)


def check_gru_step_backward(fn):
    """Check the backward pass of one GRU step.

    Parameters
    ----------
    fn : callable
        ``fn(dh_next, cache) -> (dx, dh_prev, dWx, dWh, dbx, dbh)``, where ``cache``
        is the :class:`rnnlib.cells.GRUStepCache` of ``cells.gru_step_forward``
        (fields ``x, h_prev, r, z, n, ah_n, h_next, Wx, Wh``); shapes (N, D), (N, H),
        (D, 3H), (H, 3H), (3H,), (3H,).

    Returns
    -------
    CheckResult
        On a FAIL the message names every output that is off.
    """
    name = "gru_step_backward"
    x, h_prev, Wx, Wh, bx, bh = _gru_problem(seed=802)
    _, cache = cells.gru_step_forward(x, h_prev, Wx, Wh, bx, bh)
    dh_next = np.random.default_rng(803).standard_normal(h_prev.shape)
    expected = cells.gru_step_backward(dh_next, cache)
    hint = Hint(
        "write the forward as a chain (ax, ah -> r, z, n -> h_next) and go back through it "
        "one line at a time; h_prev reaches h_next twice: through the gates and directly",
        "dn = dh*(1-z), dz = dh*(h_prev-n), dan = dn*(1-n**2), dr = dan*ah_n; the input side "
        "gets [dr*r(1-r), dz*z(1-z), dan], the hidden side the same with dan*r in block n; "
        "dh_prev = dh*z + dah @ Wh.T",
    )
    wrong = [
        (
            _backward_variant(dh_next, cache, "no_direct"),
            "dh_prev: h_prev also reaches h_next directly, through z * h_prev: add dh_next * z",
        ),
        (
            _backward_variant(dh_next, cache, "no_r_in_dah"),
            "dWh, dbh, dh_prev: on the hidden side block n is scaled by r "
            "(n = tanh(ax_n + r * ah_n)), so its gradient is dan * r, not dan",
        ),
        (
            _backward_variant(dh_next, cache, "dz_sign"),
            "dz: h_next = n + z * (h_prev - n), so dL/dz = dh_next * (h_prev - n)",
        ),
    ]
    return check_outputs(
        name, fn, (dh_next, cache), expected, _GRAD_NAMES, TOL, hint, mistakes=wrong, extra_ok=False
    )


def check_update_half_life(value):
    """Check your half-life, in steps, for an update gate held at ``sigmoid(HALF_LIFE_BIAS)``.

    With nothing new written, ``h_{t+k} = z**k h_t``; the half-life is the k with
    ``z**k = 1/2``, asked to one decimal place (a whole number of steps may be too coarse).

    Parameters
    ----------
    value : float or None
        Your answer (None: not attempted). Relative tolerance 1e-2.

    Returns
    -------
    CheckResult
    """
    name = "update-gate half-life"
    ok, got = as_number(name, value)
    if not ok:
        return got
    want = analysis.gate_half_life(HALF_LIFE_BIAS)
    z = float(sigmoid(np.float64(HALF_LIFE_BIAS)))
    hint = f"solve z**k = 0.5 with z = sigmoid({HALF_LIFE_BIAS:g}): k = log(0.5) / log(z)"
    if rel_error(got, np.log(0.5) / np.log(1 - z)) < 1e-2:
        hint = (
            "that is the half-life of 1 - z: the state keeps z * h_prev, "
            "so use z = sigmoid(b), not 1 - z"
        )
    elif rel_error(got, z) < 1e-2:
        hint = "that is the gate value z; the answer is a number of steps k, from z**k = 0.5"
    status = "PASS" if rel_error(got, want) <= 1e-2 else "FAIL"
    result = verdict(name, status, rel_error(got, want), 1e-2, hint=hint)
    if result.passed:
        print(
            f"  z = {z:.3f}: half of the state is left after {want:.1f} steps, "
            f"a tenth after {np.log(0.1) / np.log(z):.0f}"
        )
    return CheckResult(result.name, result.status, result.error, result.tol)
