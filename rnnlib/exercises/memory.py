"""Self-checks for notebook 06, long-term memory: RNN vs LSTM on the adding problem.

=============================  =================================================
checker                        the learner's answer
=============================  =================================================
check_adding_target            ``fn(x) -> y``: x (N, T, 2) values and markers,
                               y (N, 1) = 0.5 + (X1 + X2) / 4
check_success_rate             ``fn(pred, y) -> float``: the fraction of sequences
                               with ``|pred - y| < 0.04``
check_chance_levels            two numbers: the MSE and the success rate of always
                               predicting 0.5, derived exactly
check_matching_rnn_size        ``fn(H_lstm, D, out) -> int``: the RNN hidden size
                               whose parameter count is closest to the LSTM's
check_lag_prediction           a dict ``{5: ..., 80: ...}`` of "rnn", "lstm",
                               "both" or "neither", compared with the measured run
=============================  =================================================

Each checker prints ``not attempted yet``, ``PASS`` or ``FAIL`` (with a hint aimed
at the usual mistake) and returns a :class:`~rnnlib.exercises.CheckResult`; none
of them raises.
"""

from __future__ import annotations

import numpy as np

from rnnlib.data import ADDING_TOL, adding_problem
from rnnlib.gradcheck import rel_error
from rnnlib.layers import lstm_param_count, rnn_param_count

from ._core import CheckResult, Hint, attempt, verdict

__all__ = [
    "LAG_CHOICES",
    "check_adding_target",
    "check_chance_levels",
    "check_lag_prediction",
    "check_matching_rnn_size",
    "check_success_rate",
]

#: The answers :func:`check_lag_prediction` accepts for each lag.
LAG_CHOICES = ("rnn", "lstm", "both", "neither")


def _not_answered(name):
    """The "not attempted" verdict of an exercise answered with a value, not a function."""
    print(f"{name}: not attempted yet (replace None with your answer)")
    return CheckResult(name, "not attempted")


def _call(name, fn, *args):
    """``(ok, value or CheckResult)``: call the learner's function, turn failures into verdicts."""
    ok, got = attempt(fn, *(np.copy(a) if isinstance(a, np.ndarray) else a for a in args))
    if ok:
        return True, got
    if got is None:
        return False, verdict(name, "not attempted")
    return False, verdict(name, "FAIL", detail=f"your code raised {got}")


# ------------------------------------------------------- exercise 1: the task's two rules


def _adding_data(seed=601, N=8, T=15):
    return adding_problem(N, T, np.random.default_rng(seed))


def check_adding_target(fn):
    """Check the target of the adding problem computed from the inputs.

    Parameters
    ----------
    fn : callable
        ``fn(x) -> y`` with ``x`` (N, T, 2) (channel 0 values, channel 1 markers,
        exactly two ones per sequence) and ``y`` (N, 1).

    Returns
    -------
    CheckResult
    """
    name = "adding target"
    x, y = _adding_data()
    ok, got = _call(name, fn, x)
    if not ok:
        return got
    hint = "y = 0.5 + (X1 + X2) / 4, where X1, X2 are the values at the two marked steps"
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return verdict(name, "FAIL", hint=hint, detail=f"expected an array, got {got!r}")
    if got.shape != y.shape:
        detail = f"the output has shape {got.shape}, expected {y.shape}"
        if got.shape == (len(y),):
            detail += " (keep a column: keepdims=True, or [:, None])"
        return verdict(name, "FAIL", hint=hint, detail=detail)
    marked_sum = (x[:, :, 0] * x[:, :, 1]).sum(axis=1, keepdims=True)  # X1 + X2
    wrong = [
        (marked_sum / 4, "the target is shifted by 0.5 so that it lies in [0, 1]"),
        (0.5 + marked_sum, "divide the sum of the two marked values by 4"),
        (
            0.5 + x[:, :, 0].sum(axis=1, keepdims=True) / 4,
            "add only the values whose marker is 1, not all the values",
        ),
    ]
    err = rel_error(got, y)
    if err <= 1e-12:
        return verdict(name, "PASS", err, 1e-12)
    for w, w_hint in wrong:
        if rel_error(got, w) <= 1e-12:
            hint = w_hint
            break
    return verdict(name, "FAIL", err, 1e-12, hint=hint)


#: Errors of the predictions in :func:`check_success_rate` (none exactly at 0.04).
_ERRORS = np.array([0.0, 0.01, -0.03, 0.039, -0.0395, 0.041, -0.06, 0.15, -0.3, 0.02])


def check_success_rate(fn):
    """Check the success rate: the fraction of sequences with ``|pred - y| < 0.04``.

    Parameters
    ----------
    fn : callable
        ``fn(pred, y) -> float`` with ``pred`` and ``y`` (N, 1); a fraction in [0, 1].

    Returns
    -------
    CheckResult
    """
    name = "success rate"
    _, y = _adding_data(seed=602, N=len(_ERRORS))
    pred = y + _ERRORS[:, None]
    ok, got = _call(name, fn, pred, y)
    if not ok:
        return got
    hint = "np.mean(np.abs(pred - y) < 0.04): a fraction between 0 and 1"
    try:
        got = float(np.asarray(got, dtype=np.float64).item())
    except (TypeError, ValueError):
        return verdict(name, "FAIL", hint=hint, detail=f"expected one number, got {got!r}")
    want = float(np.mean(np.abs(_ERRORS) < ADDING_TOL))
    err = rel_error(got, want)
    if err <= 1e-9:
        return verdict(name, "PASS", err, 1e-9)
    wrong = [
        (100 * want, "return a fraction in [0, 1], not a percentage"),
        (
            float(np.sum(np.abs(_ERRORS) < ADDING_TOL)),
            "divide the count by the number of sequences: a fraction, not a count",
        ),
        (1 - want, "count the sequences that are solved (error below 0.04), not the missed ones"),
        (
            float(np.mean(_ERRORS < ADDING_TOL)),
            "take the absolute value of the error: a prediction 0.3 too low is not solved",
        ),
        (
            float(np.mean(_ERRORS**2 < ADDING_TOL)),
            "the rule is on the absolute error, |pred - y| < 0.04, not on the squared error",
        ),
    ]
    for w, w_hint in wrong:
        if abs(got - w) <= 1e-9:
            hint = w_hint
            break
    return verdict(name, "FAIL", detail=f"got {got:.4g}, expected {want:.4g}", hint=hint)


# ---------------------------------------------- exercise 2: the levels of "learned nothing"

#: (MSE, success rate) of always predicting 0.5: 1/24 and 0.16 - 0.16**2 / 4.
_CHANCE = (1 / 24, 0.16 - 0.16**2 / 4)


def check_chance_levels(answer):
    """Check the exact MSE and success rate of the constant prediction 0.5.

    Parameters
    ----------
    answer : (float, float) or None
        ``(mse, success_rate)``; each within a relative 1e-4 of the exact value
        (so a rounded simulation does not pass: derive it).

    Returns
    -------
    CheckResult
    """
    name = "chance levels"
    if answer is None or (isinstance(answer, tuple | list) and all(a is None for a in answer)):
        return _not_answered(name)
    try:
        mse, rate = (float(a) for a in answer)
    except (TypeError, ValueError):
        return verdict(
            name, "FAIL", detail=f"expected two numbers (mse, success_rate), got {answer!r}"
        )
    tol = 1e-4
    err = max(rel_error(mse, _CHANCE[0]), rel_error(rate, _CHANCE[1]))
    if err <= tol:
        return verdict(name, "PASS", err, tol)
    hints = []
    if rel_error(mse, _CHANCE[0]) > tol:
        if rel_error(mse, 1 / 3) <= tol or rel_error(mse, 2 / 3) <= tol:
            hints.append("MSE: the sum X1 + X2 is divided by 4, which divides its variance by 16")
        else:
            hints.append("MSE: predicting the mean gives MSE = Var(y); Var(Uniform[-1, 1]) = 1/3")
    if rel_error(rate, _CHANCE[1]) > tol:
        if rel_error(rate, 0.16) <= tol:
            hints.append(
                "success: X1 + X2 is not uniform, its density is the triangle "
                "(2 - |s|) / 4 on [-2, 2]: integrate it over [-0.16, 0.16]"
            )
        else:
            hints.append("success: |0.5 + (X1 + X2)/4 - 0.5| < 0.04 means |X1 + X2| < 0.16")
    return verdict(name, "FAIL", err, tol, hint="; ".join(hints))


# ------------------------------------------- exercise 3: an RNN as big as the LSTM


def _closest_rnn_size(H_lstm, D, out):
    target = lstm_param_count(D, H_lstm, out)
    return min(
        range(1, 8 * H_lstm + 8), key=lambda H: (abs(rnn_param_count(D, H, out) - target), H)
    )


#: (H_lstm, D, out) cases for :func:`check_matching_rnn_size`.
_SIZE_CASES = ((16, 2, 1), (8, 2, 1), (32, 2, 1), (64, 10, 10), (5, 3, 2), (100, 50, 50))


def check_matching_rnn_size(fn):
    """Check the RNN hidden size whose parameter count is closest to an LSTM's.

    Parameters
    ----------
    fn : callable
        ``fn(H_lstm, D, out) -> int``: the ``H`` minimising
        ``|rnn_param_count(D, H, out) - lstm_param_count(D, H_lstm, out)|`` (the smaller
        ``H`` on a tie).

    Returns
    -------
    CheckResult
    """
    name = "matching RNN size"
    hint = Hint(
        "write each model's parameter count as a function of its H (input, recurrent and "
        "output weights, and biases), then find the RNN's H whose count is nearest",
        "count both: RNN D*H + H*H + H + H*out + out, LSTM 4*(D*H + H*H + H) + H*out + out; "
        "try every H, or solve the quadratic and check its two neighbours",
    )
    for H_lstm, D, out in _SIZE_CASES:
        ok, got = _call(name, fn, H_lstm, D, out)
        if not ok:
            return got
        want = _closest_rnn_size(H_lstm, D, out)
        try:
            got_int = int(got)
        except (TypeError, ValueError):
            return verdict(name, "FAIL", hint=hint, detail=f"expected an int, got {got!r}")
        if got_int != got or got_int != want:
            detail = (
                f"for H_lstm={H_lstm}, D={D}, out={out}: got {got!r}, expected {want} "
                f"({rnn_param_count(D, want, out)} vs the LSTM's "
                f"{lstm_param_count(D, H_lstm, out)} parameters)"
            )
            if got_int == 2 * H_lstm:
                hint = (
                    "2 H is the answer only if H*H dominates; the input and output layers "
                    "do not grow the same way: count every term"
                )
            return verdict(name, "FAIL", hint=hint, detail=detail)
    return verdict(name, "PASS")


# ---------------------------------------------- exercise 4: predict, then read the run


def check_lag_prediction(prediction, lags, success, threshold=0.5):
    """Compare a prediction of who learns each lag with the notebook's own run.

    A model "learns" a lag when its mean success rate over runs is at least
    ``threshold``.

    Parameters
    ----------
    prediction : dict or None
        ``{lag: answer}`` with each answer one of :data:`LAG_CHOICES` ("rnn", "lstm",
        "both", "neither") or None.
    lags : sequence of int, length L
    success : dict
        ``{"rnn": array (L, S), "lstm": array (L, S)}`` success rates of the run.
    threshold : float

    Returns
    -------
    CheckResult
    """
    name = "lag prediction"
    if prediction is None or all(v is None for v in dict(prediction).values()):
        return _not_answered(name)
    lags = list(lags)
    lines, wrong = [], 0
    for lag, answer in dict(prediction).items():
        if lag not in lags:
            return verdict(name, "FAIL", detail=f"lag {lag} was not trained; trained: {lags}")
        if answer not in LAG_CHOICES:
            return verdict(
                name,
                "FAIL",
                detail=f"answer for lag {lag} must be one of {LAG_CHOICES}, got {answer!r}",
            )
        k = lags.index(lag)
        means = {m: float(np.mean(success[m][k])) for m in ("rnn", "lstm")}
        learned = [m for m in ("rnn", "lstm") if means[m] >= threshold]
        truth = "both" if len(learned) == 2 else (learned[0] if learned else "neither")
        wrong += answer != truth
        lines.append(
            f"lag {lag}: you said {answer!r}, the run says {truth!r} "
            f"(mean success RNN {means['rnn']:.0%}, LSTM {means['lstm']:.0%})"
        )
    if wrong:
        return verdict(
            name, "FAIL", detail="\n  ".join(lines), hint="compare the mean success rates with 50 %"
        )
    result = verdict(name, "PASS")
    print("  " + "\n  ".join(lines))
    return result
