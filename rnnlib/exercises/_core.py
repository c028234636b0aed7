"""The self-check machinery behind every exercise of the course.

A learner's exercise cell holds a function whose body is
``raise NotImplementedError  # your code here`` (or, for an answer given as a
value, a variable set to ``None``). The next cell calls a checker from
:mod:`rnnlib.exercises`, which prints one of three verdicts and never raises,
so that ``Run All`` always runs to the end:

- ``not attempted yet`` when the function still raises ``NotImplementedError``
  (or the answer is still ``None``);
- ``PASS`` with the relative error and the tolerance;
- ``FAIL`` with what is wrong (which output, by name, and its relative error)
  and a hint.

Every error is :func:`rnnlib.gradcheck.rel_error`, ``max|a - b| / max(|a| + |b|)``
over the whole array (for two numbers, ``|a - b| / (|a| + |b|)``), the same
definition notebook 02 teaches.

One rule for hints: a recognised mistake (an entry of ``mistakes``) gets its own
hint, which names the slip and its fix, at once and every time. Any other failure
gets the checker's general hint; when that is a :class:`Hint`, it comes in two
tiers: the first failure of the checker gets a nudge, a later one the full recipe
(write the general hint of a longer exercise as a :class:`Hint`, so that the
recipe is not given away at once). A failure that needs no
hint (a forgotten ``return``, outputs in the wrong order, a wrong shape: the
message says what to fix) shows none and is not counted. The count is kept per
checker name in this module; :func:`reset_attempts` clears it (tests do, a
fresh kernel does).

The API a checker is built from:

- :func:`check_outputs` for an implement-it exercise: calls the learner's
  function on copies of the arguments and compares each output, by name;
- :func:`diagnose` the comparison alone, without printing (for checkers that
  run several problems);
- :func:`check_value` for a number answered by hand, :func:`as_number` and
  :func:`as_whole_number` to parse one (the one rule: ``None`` is not attempted,
  numbers and strings such as ``"0.001"`` are read);
- :func:`verdict` to print any verdict; :func:`attempt` to call learner code.
"""

from __future__ import annotations

import numbers
import traceback
from typing import NamedTuple

import numpy as np

from rnnlib.gradcheck import rel_error

__all__ = [
    "CheckResult",
    "Diagnosis",
    "Hint",
    "as_number",
    "as_whole_number",
    "attempt",
    "check_outputs",
    "check_value",
    "diagnose",
    "reset_attempts",
    "verdict",
]

#: What a "not attempted" verdict says about a value answer still set to None.
NONE_PLACEHOLDER = "replace None with your answer"
_STUB_PLACEHOLDER = "replace `raise NotImplementedError` with your code"


class CheckResult(NamedTuple):
    """The outcome of a self-check: ``status`` is "PASS", "FAIL" or "not attempted"."""

    name: str
    status: str
    error: float | None = None
    tol: float | None = None

    @property
    def passed(self):
        return self.status == "PASS"

    def _ipython_display_(self):
        # The checker already printed its verdict; show nothing more in the notebook.
        pass


class Hint(NamedTuple):
    """A hint in two tiers: ``nudge`` on a checker's first failure, ``recipe`` on later ones."""

    nudge: str
    recipe: str


# Failures per checker name since the kernel started (or the last reset_attempts).
_FAILURES: dict[str, int] = {}


def reset_attempts(name=None):
    """Forget the failures counted for checker ``name`` (all checkers if None).

    The next failure then gets the first-tier hint (the nudge) again.
    """
    if name is None:
        _FAILURES.clear()
    else:
        _FAILURES.pop(name, None)


def _tiered(name, hint):
    """The tier of ``hint`` due now; counts the failures of ``name`` that showed a tiered hint."""
    if not isinstance(hint, Hint):
        return hint
    _FAILURES[name] = _FAILURES.get(name, 0) + 1
    if _FAILURES[name] == 1:
        return f"{hint.nudge}\n  (still stuck? check again: the next failure shows the full recipe)"
    return hint.recipe


def _fmt_tol(tol):
    short = f"{tol:.0e}"
    return short if float(short) == tol else f"{tol:.1e}"


def verdict(name, status, error=None, tol=None, hint=None, detail=None):
    """Print the verdict of a check and return a :class:`CheckResult`.

    Parameters
    ----------
    name : str
        The checker's name, as the learner knows it.
    status : {"PASS", "FAIL", "not attempted"}
    error, tol : float, optional
        The relative error and its tolerance (printed when given).
    hint : str or Hint, optional
        Printed with a FAIL; a :class:`Hint` gives its nudge the first time it
        is shown for ``name`` and its recipe on later failures.
    detail : str, optional
        With a FAIL: what went wrong. With "not attempted": replaces the default
        advice (to replace ``raise NotImplementedError``).
    """
    if status == "not attempted":
        print(f"{name}: not attempted yet ({detail or _STUB_PLACEHOLDER})")
    elif status == "PASS":
        print(
            f"{name}: PASS (relative error {error:.1e} <= tolerance {_fmt_tol(tol)})"
            if error is not None
            else f"{name}: PASS"
        )
    else:
        msg = f"{name}: FAIL"
        if error is not None and tol is not None:
            msg += f" (relative error {error:.1e} > tolerance {_fmt_tol(tol)})"
        if detail:
            msg += f"\n  {detail}"
        hint = _tiered(name, hint)
        if hint:
            msg += f"\n  hint: {hint}"
        print(msg)
    return CheckResult(name, status, error, tol)


def attempt(fn, *args, **kwargs):
    """Call the learner's ``fn``; turn ``NotImplementedError`` into a marker.

    Returns
    -------
    (ok, value_or_message)
        ``(True, value)`` on success; ``(False, None)`` when not attempted;
        ``(False, "TypeError: ...")`` when the code raised something else.
    """
    try:
        return True, fn(*args, **kwargs)
    except NotImplementedError:
        return False, None
    except Exception as e:  # noqa: BLE001 - any learner error becomes a FAIL message
        last = traceback.extract_tb(e.__traceback__)[-1]
        return False, f"{type(e).__name__}: {e} (line {last.lineno})"


# --------------------------------------------------------------- answers given as values


def as_number(name, value):
    """``(ok, float or CheckResult)``: a learner's answer as one float, or the verdict.

    One rule for every value answer: ``None`` is "not attempted"; a number, a
    one-element array or a string that ``float()`` reads (``"0.001"``) is
    accepted; anything else is a FAIL that says what was expected.
    """
    if value is None:
        return False, verdict(name, "not attempted", detail=NONE_PLACEHOLDER)
    if isinstance(value, bool):
        return False, verdict(name, "FAIL", detail=f"expected a number, got {value!r}")
    if isinstance(value, str):
        try:
            return True, float(value.strip())
        except ValueError:
            return False, verdict(name, "FAIL", detail=f"expected a number, got {value!r}")
    if isinstance(value, numbers.Real):
        return True, float(value)
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False, verdict(name, "FAIL", detail=f"expected a number, got {value!r}")
    if arr.size != 1:
        return False, verdict(name, "FAIL", detail=f"expected one number, got shape {arr.shape}")
    return True, float(arr.item())


def as_whole_number(name, value):
    """``(ok, int or CheckResult)``: like :func:`as_number`, for a count (``7``, ``7.0``, ``"7"``).

    A number with a fractional part is a FAIL, not silently truncated.
    """
    ok, got = as_number(name, value)
    if not ok:
        return False, got
    if not np.isfinite(got) or got != int(got):
        return False, verdict(name, "FAIL", detail=f"expected a whole number, got {value!r}")
    return True, int(got)


def check_value(name, value, right, tol, hint=None, mistakes=()):
    """Check a number answered by hand against ``right``.

    Parameters
    ----------
    name : str
    value : number, str or None
        The learner's answer, parsed by :func:`as_number`.
    right : float
    tol : float
        Largest relative error ``|a - b| / (|a| + |b|)`` accepted.
    hint : str or Hint, optional
    mistakes : sequence of (float, str)
        Known wrong answers and the hint each gets (matched within ``tol``).

    Returns
    -------
    CheckResult
    """
    ok, got = as_number(name, value)
    if not ok:
        return got
    err = rel_error(got, right)
    if not np.isfinite(err):
        return verdict(name, "FAIL", hint=hint, detail="your answer is NaN or inf")
    if err <= tol:
        return verdict(name, "PASS", err, tol)
    for wrong, wrong_hint in mistakes:
        if rel_error(got, wrong) <= tol:
            hint = wrong_hint
            break
    return verdict(name, "FAIL", err, tol, hint=hint)


# ------------------------------------------------------- answers given as functions


class Diagnosis(NamedTuple):
    """What :func:`diagnose` found: ``ok``; the worst relative ``error`` (None when the
    outputs could not be compared); ``detail`` naming what is wrong; a specific ``hint``."""

    ok: bool
    error: float | None = None
    detail: str | None = None
    hint: str | Hint | None = None


def _as_tuple(result, n):
    if n == 1 and not isinstance(result, tuple):
        return (result,)
    return tuple(result)[:n]


def diagnose(got, expected, names, tol, mistakes=(), transposed_hints=None, extra_ok=True):
    """Compare a learner's outputs with the reference, output by output, by name.

    Recognises, in this order: a function that returned ``None`` (a forgotten
    ``return``); too few outputs, or too many when ``extra_ok`` is false;
    outputs in the wrong order (each compared with every reference output);
    wrong shapes, including a transposed matrix; NaN or inf; then wrong values,
    each named with its relative error, a square matrix returned transposed,
    and known mistakes.

    Parameters
    ----------
    got : object
        What the learner's function returned. With one expected output, a
        tuple whose first element is that output (a cache follows) is fine.
    expected : array or tuple of arrays
        The reference outputs.
    names : sequence of str
        The course's name of each output, in order (``("dx", "dh_prev", ...)``).
    tol : float
        Largest relative error accepted per output.
    mistakes : sequence of (result, hint)
        Known wrong results (same structure as ``expected``). A mistake is
        recognised when every wrong output equals the mistake's version of it.
    transposed_hints : dict, optional
        ``{name: hint}`` for an output returned transposed.
    extra_ok : bool
        Whether outputs after the expected ones (a cache) are allowed.

    Returns
    -------
    Diagnosis
    """
    names = tuple(names)
    n = len(names)
    want = tuple(np.asarray(w, dtype=np.float64) for w in _as_tuple(expected, n))
    listing = f"({', '.join(names)})" if n > 1 else names[0]
    if got is None:
        return Diagnosis(False, detail="your function returned None: did you forget `return`?")
    if n == 1:
        got = got[:1] if isinstance(got, tuple) and len(got) > 0 else (got,)
    elif not isinstance(got, tuple | list):
        return Diagnosis(
            False,
            detail=f"return the {n} outputs {listing} as a tuple, got one {type(got).__name__}",
        )
    elif len(got) < n or (len(got) > n and not extra_ok):
        return Diagnosis(False, detail=f"you returned {len(got)} values, expected {n}: {listing}")
    got = tuple(got[:n])
    arrays = []
    for nm, g in zip(names, got, strict=True):
        if g is None:
            return Diagnosis(False, detail=f"{nm} is None: did you forget to compute it?")
        try:
            arrays.append(np.asarray(g, dtype=np.float64))
        except (TypeError, ValueError):
            return Diagnosis(
                False, detail=f"{nm} is not an array of numbers (got a {type(g).__name__})"
            )

    def same(g, w):
        return g.shape == w.shape and rel_error(g, w) <= tol

    def known_mistake():
        # A recognised mistake can make one output equal another's reference value (a GRU
        # backward without r on the hidden side gives dbh == dbx): its own hint says more.
        for result, _ in mistakes:
            result = _as_tuple(result, n)
            if all(
                g.shape == np.shape(r) and same(g, np.asarray(r, dtype=np.float64))
                for g, r in zip(arrays, result, strict=True)
            ):
                return True
        return False

    # Outputs in the wrong order: a wrong output that equals ANOTHER reference output.
    if n > 1 and not known_mistake():
        moved = [
            (k, j)
            for k, g in enumerate(arrays)
            if not same(g, want[k])
            for j in range(n)
            if j != k and same(g, want[j])
        ]
        if moved:
            said = "; ".join(
                f"what you return as {names[k]} (output {k + 1}) is {names[j]}" for k, j in moved
            )
            return Diagnosis(
                False, detail=f"outputs in the wrong order: {said}. Return {listing} in this order."
            )
    hints = dict(transposed_hints or {})
    problems, hint = [], None
    for nm, g, w in zip(names, arrays, want, strict=True):
        if g.shape == w.shape:
            continue
        if g.ndim == 2 and g.shape == w.shape[::-1] and rel_error(g.T, w) <= tol:
            problems.append(
                f"{nm} has shape {g.shape}, expected {w.shape}: it is the "
                "transpose of the right answer"
            )
            hint = hint or hints.get(
                nm,
                "swap the two factors of the product (and transpose "
                "each): the result must have the shape of the array "
                "it is the gradient of",
            )
        else:
            also = [m for m, v in zip(names, want, strict=True) if m != nm and v.shape == g.shape]
            problems.append(
                f"{nm} has shape {g.shape}, expected {w.shape}"
                + (
                    f" (the shape of {also[0]}: are the outputs in the right order?)"
                    if also
                    else ""
                )
            )
    if problems:
        return Diagnosis(False, detail="; ".join(problems), hint=hint)
    bad = [nm for nm, g in zip(names, arrays, strict=True) if not np.all(np.isfinite(g))]
    if bad:
        return Diagnosis(False, detail=f"{', '.join(bad)} holds NaN or inf")
    errors = {nm: rel_error(g, w) for nm, g, w in zip(names, arrays, want, strict=True)}
    worst = max(errors.values())
    if worst <= tol:
        return Diagnosis(True, worst)
    wrong = [nm for nm, e in errors.items() if e > tol]
    detail = "wrong: " + ", ".join(f"{nm} (relative error {errors[nm]:.1e})" for nm in wrong)
    right = [nm for nm in names if nm not in wrong]
    if right:
        detail += f"; right: {', '.join(right)}"
    for nm, g, w in zip(names, arrays, want, strict=True):
        if nm in wrong and g.ndim == 2 and g.shape[0] == g.shape[1] and rel_error(g.T, w) <= tol:
            detail += (
                f"\n  {nm} is the transpose of the right answer (a square matrix, so its "
                "shape looked fine)"
            )
            hint = hints.get(nm, "swap the two factors of the product (and transpose each)")
            return Diagnosis(False, worst, detail, hint)
    index = {nm: k for k, nm in enumerate(names)}
    for result, mistake_hint in mistakes:
        result = _as_tuple(result, n)
        if all(
            same(arrays[index[nm]], np.asarray(result[index[nm]], dtype=np.float64)) for nm in wrong
        ):
            return Diagnosis(False, worst, detail, mistake_hint)
    return Diagnosis(False, worst, detail, None)


def check_outputs(
    name,
    fn,
    args,
    expected,
    names,
    tol,
    hint,
    mistakes=(),
    transposed_hints=None,
    extra_ok=True,
    kwargs=None,
):
    """Run the learner's ``fn(*args)`` and judge its outputs by name (see :func:`diagnose`).

    Parameters
    ----------
    name : str
        What is checked, as the learner knows it (``"rnn_backward"``).
    fn : callable
        The learner's function.
    args : tuple
        Arguments; arrays are copied first so that the learner's code cannot
        change the reference inputs.
    expected : array or tuple of arrays
        The reference outputs.
    names : sequence of str
        The course's name of each output (``("dx", "dh0", "dWx", "dWh", "db")``).
    tol : float
        Largest relative error accepted.
    hint : str or Hint
        The generic hint of a FAIL (a :class:`Hint` is given in two tiers).
    mistakes, transposed_hints, extra_ok
        As for :func:`diagnose`: the hints of recognised mistakes replace ``hint``.
    kwargs : dict, optional
        Keyword arguments for ``fn``.

    Returns
    -------
    CheckResult
    """
    args = tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in args)
    ok, got = attempt(fn, *args, **(kwargs or {}))
    if not ok:
        if got is None:
            return verdict(name, "not attempted")
        return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
    diag = diagnose(got, expected, names, tol, mistakes, transposed_hints, extra_ok)
    if diag.ok:
        return verdict(name, "PASS", diag.error, tol)
    if diag.error is None:  # a forgotten return, a wrong order or shape: the detail says it all
        hint = None
    return verdict(name, "FAIL", diag.error, tol, hint=diag.hint or hint, detail=diag.detail)
