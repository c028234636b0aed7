"""Self-checks for notebook 00: the setup, reading shapes, reading the first widget.

``check_tanh_deriv`` is the worked example that shows the three verdicts
(not attempted yet, PASS, FAIL) on a one-line function.
"""

from __future__ import annotations

import sys

import numpy as np

from rnnlib.gradcheck import rel_error
from rnnlib.one_unit import one_unit_rnn, pulse_input

from ._core import Hint, as_whole_number, attempt, verdict

__all__ = [
    "SHAPE_PROBLEM",
    "check_pulse_steps",
    "check_setup",
    "check_shapes",
    "check_tanh_deriv",
]


def check_setup(min_python=(3, 11)):
    """Check that the kernel runs a recent Python and imports everything the course uses.

    Parameters
    ----------
    min_python : tuple of int
        Oldest Python version accepted.

    Returns
    -------
    CheckResult
    """
    name = "setup"
    if sys.version_info[:2] < tuple(min_python):
        want = ".".join(map(str, min_python))
        return verdict(
            name,
            "FAIL",
            detail=f"this kernel runs Python {sys.version.split()[0]}, "
            f"the course needs {want} or newer",
            hint="pick the kernel of the course's .venv (Kernel > Change Kernel), "
            "or start with `make course`",
        )
    missing = []
    for module in ("numpy", "matplotlib", "ipywidgets", "rnnlib"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        return verdict(
            name,
            "FAIL",
            detail=f"cannot import {', '.join(missing)}",
            hint="run `make course` from the repository's folder: it installs "
            "requirements.txt into .venv",
        )
    return verdict(name, "PASS")


def check_tanh_deriv(fn, tol=1e-12):
    """Check ``fn(y)``: the derivative of tanh, written in terms of its OUTPUT ``y = tanh(a)``.

    Parameters
    ----------
    fn : callable
        Takes an array ``y`` of tanh outputs, returns ``dy/da`` elementwise.
    tol : float

    Returns
    -------
    CheckResult
    """
    name = "tanh_deriv"
    hint = Hint(
        "write the derivative of tanh in terms of tanh itself, then use that y is tanh(a)",
        "d tanh(a)/da = 1 - tanh(a)**2, and y is tanh(a): return 1 - y**2, no tanh is needed",
    )
    mistakes = {  # recognised slips: their fix at once
        "forgot the square": (
            lambda y: 1 - y,
            "d tanh(a)/da = 1 - tanh(a)**2: square y (return 1 - y**2)",
        ),
        "tanh applied twice": (
            lambda y: 1 - np.tanh(y) ** 2,
            "y is already tanh(a): return 1 - y**2, no second tanh",
        ),
    }
    y = np.tanh(np.linspace(-3.0, 3.0, 13))
    ok, got = attempt(fn, y.copy())
    if not ok:
        if got is None:
            return verdict(name, "not attempted")
        return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
    got = np.asarray(got, dtype=np.float64)
    if got.shape != y.shape:
        return verdict(
            name, "FAIL", hint=hint, detail=f"the result has shape {got.shape}, expected {y.shape}"
        )
    err = rel_error(got, 1 - y**2)
    if err > tol:
        for wrong, wrong_hint in mistakes.values():
            if rel_error(got, wrong(y)) <= tol:
                hint = wrong_hint
                break
    return verdict(name, "PASS" if err <= tol else "FAIL", err, tol, hint=hint)


#: The shape-reading exercise: a batch of N = 4 sequences of T = 25 steps, D = 3
#: features per step, H = 16 hidden units, V = 10 outputs per step.
SHAPE_PROBLEM = {"N": 4, "T": 25, "D": 3, "H": 16, "V": 10}


def _expected_shapes(N, T, D, H, V):
    return {
        "Wx": (D, H),
        "Wh": (H, H),
        "b": (H,),
        "h": (N, T, H),
        "h_last": (N, H),
        "Wy": (H, V),
        "logits": (N, T, V),
    }


def check_shapes(my_shapes):
    """Check a dict of shapes for the RNN of :data:`SHAPE_PROBLEM`.

    Parameters
    ----------
    my_shapes : dict
        Keys ``"Wx", "Wh", "b", "h", "h_last", "Wy", "logits"``; values tuples of
        ints (``None`` where not filled in yet).

    Returns
    -------
    CheckResult
    """
    name = "shapes"
    want = _expected_shapes(**SHAPE_PROBLEM)
    if not isinstance(my_shapes, dict) or all(v is None for v in my_shapes.values()):
        return verdict(name, "not attempted", detail="replace None with your answer")
    wrong = []
    for key, shape in want.items():
        got = my_shapes.get(key)
        try:
            ok = got is not None and tuple(int(s) for s in got) == shape
        except TypeError:
            ok = False
        if not ok:
            wrong.append(f"{key}: you wrote {got}")
    if wrong:
        return verdict(
            name,
            "FAIL",
            detail="; ".join(wrong),
            hint="batch first and row vectors: x_t (N, D) @ Wx gives (N, H); "
            "a bias has one number per unit; a shape of one number is (H,)",
        )
    return verdict(name, "PASS")


def _pulse_answer(w=0.9, threshold=0.1, T=60):
    h = one_unit_rnn(w, pulse_input(T))
    return int(np.argmax(np.abs(h) < threshold)) + 1


def check_pulse_steps(my_steps, w=0.9, threshold=0.1, slack=1):
    """Check the step ``t`` at which ``|h_t|`` of the first slider first drops below 0.1.

    Parameters
    ----------
    my_steps : int or None
        The learner's reading of the plot (``None``: not attempted).
    w : float
        The weight the exercise asks for.
    threshold : float
    slack : int
        How many steps off a reading may be.

    Returns
    -------
    CheckResult
    """
    name = "pulse_steps"
    ok, steps = as_whole_number(name, my_steps)
    if not ok:
        return steps
    answer = _pulse_answer(w, threshold)
    off = abs(steps - answer)
    if off <= slack:
        result = verdict(name, "PASS")
        print(
            f"  h_t first drops below {threshold} at t = {answer}: each step multiplies the "
            f"small values by about w = {w}"
        )
        return result
    return verdict(
        name,
        "FAIL",
        detail=f"{my_steps} is {off} steps off",
        hint=f"set the slider to w = {w} and count the steps until the dots stay below {threshold}",
    )
