"""The self-check machinery behind every exercise of the course.

A learner's exercise cell holds a function whose body is
``raise NotImplementedError  # your code here``. The next cell calls a checker
from :mod:`rnnlib.exercises`, which prints one of three verdicts and never
raises, so that ``Run All`` always runs to the end:

- ``not attempted yet`` when the function still raises ``NotImplementedError``;
- ``PASS`` with the relative error and the tolerance;
- ``FAIL`` with the error (or the exception) and a hint.
"""

from __future__ import annotations

import traceback
from typing import NamedTuple

import numpy as np

__all__ = ["CheckResult", "attempt", "compare", "judge", "matches", "verdict"]


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


def rel_error(a, b):
    """Worst elementwise relative error ``|a - b| / max(|a| + |b|, 1e-12)``."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


def verdict(name, status, error=None, tol=None, hint=None, detail=None):
    """Print the one-line verdict of a check and return a :class:`CheckResult`.

    ``detail`` says what went wrong with a FAIL; with "not attempted" it
    replaces the default advice (for example "set my_prediction to ...").
    """
    if status == "not attempted":
        print(f"{name}: not attempted yet ("
              f"{detail or 'replace `raise NotImplementedError` with your code'})")
    elif status == "PASS":
        print(f"{name}: PASS (relative error {error:.1e} <= tolerance {tol:.0e})"
              if error is not None else f"{name}: PASS")
    else:
        msg = f"{name}: FAIL"
        if error is not None:
            msg += f" (relative error {error:.1e} > tolerance {tol:.0e})"
        if detail:
            msg += f"\n  {detail}"
        if hint:
            msg += f"\n  hint: {hint}"
        print(msg)
    return CheckResult(name, status, error, tol)


class _NotAttempted(Exception):
    pass


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


def compare(name, fn, args, expected, tol=1e-7, hint=None, kwargs=None):
    """Run ``fn(*args)`` and compare its result with ``expected``.

    Parameters
    ----------
    name : str
        What is checked, as the learner knows it (``"rnn_step_forward"``).
    fn : callable
        The learner's function.
    args : tuple
        Arguments; arrays are copied first so that the learner's code cannot
        change the reference inputs.
    expected : array or tuple of arrays
        The reference result (same structure as what ``fn`` returns).
    tol : float
        Largest relative error accepted.
    hint : str, optional
        Printed with a FAIL.

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
    want = expected if isinstance(expected, tuple) else (expected,)
    got = got if isinstance(got, tuple) else (got,)
    # Compare only as many outputs as the reference has (a cache may follow).
    got = got[: len(want)]
    if len(got) != len(want):
        return verdict(name, "FAIL", hint=hint,
                       detail=f"expected {len(want)} outputs, got {len(got)}")
    for k, (g, w) in enumerate(zip(got, want, strict=True)):
        g = np.asarray(g)
        if g.shape != np.shape(w):
            where = f"output {k}" if len(want) > 1 else "the output"
            return verdict(name, "FAIL", hint=hint,
                           detail=f"{where} has shape {g.shape}, expected {np.shape(w)}")
    err = max(rel_error(g, w) for g, w in zip(got, want, strict=True))
    if not np.isfinite(err):
        return verdict(name, "FAIL", hint=hint, detail="your result holds NaN or inf")
    return verdict(name, "PASS" if err <= tol else "FAIL", err, tol, hint=hint)


def matches(got, want, tol=1e-6):
    """True if ``got`` has the structure of ``want`` and matches it within ``tol``.

    Used to recognise a known wrong answer, so that its hint can be given.
    """
    got = got if isinstance(got, tuple) else (got,)
    want = want if isinstance(want, tuple) else (want,)
    if len(got) < len(want):
        return False
    try:
        pairs = [(np.asarray(g, dtype=np.float64), w) for g, w in zip(got, want, strict=False)]
    except (TypeError, ValueError):
        return False
    if any(g.shape != np.shape(w) for g, w in pairs):
        return False
    return max(rel_error(g, w) for g, w in pairs) <= tol


def judge(name, fn, args, expected, tol, hint, wrong_answers=()):
    """Call ``fn`` once, compare with ``expected``, and pick the hint of a known wrong answer.

    Parameters
    ----------
    name, fn, args, expected, tol, hint
        As for :func:`compare`; array arguments are copied first.
    wrong_answers : sequence of (result, hint)
        If the learner's result matches one of these results, its hint replaces
        the generic one.

    Returns
    -------
    CheckResult
    """
    args = tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in args)
    ok, got = attempt(fn, *args)
    if not ok:
        if got is None:
            return verdict(name, "not attempted")
        return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
    n_want = len(expected) if isinstance(expected, tuple) else 1
    if isinstance(got, tuple) and n_want == 1:
        got = got[0]  # a single wanted output, possibly followed by a cache
    for wrong, wrong_hint in wrong_answers:
        if matches(got, wrong):
            hint = wrong_hint
            break
    return compare(name, lambda: got, (), expected, tol=tol, hint=hint)
