"""Claims: the sentences of a notebook that rest on its own experiments, checked in place.

A notebook that says "the LSTM beats the 5-gram by 0.22 bits" or "every seed ends below
1e-3" makes a claim that a retrain, another seed or another CPU can break. ``claim``
checks it in the cell that computes the numbers, right under the sentence, prints what it
checked, and raises ``ClaimError`` when it no longer holds, so that strict CI fails until
the text follows the numbers::

    claim(lstm_bits < ngram_bits - 0.2, f"the LSTM beats the 5-gram by {gap:.2f} bits")

prints ``claim holds: the LSTM beats the 5-gram by 0.22 bits``.

Write the condition with a margin that matches the words (a claim of "about 4 times"
checks a range, not an equality) and, for a result over seeds, on the robust aggregate
that the text quotes, not on one run.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["ClaimError", "claim"]


class ClaimError(AssertionError):
    """A notebook's text says something that its own run no longer shows."""


def claim(condition, statement, *, because=None, strict=True):
    """Check one claim of the text against this run's numbers; print it, or raise.

    Parameters
    ----------
    condition : bool or numpy.bool_
        Whether the claim holds in this run: a single truth value, computed from the
        numbers the cell printed (``gap > 0.2``, ``np.all(rates > 0.9)``). An array, a
        number or ``None`` is refused, so that an accidental ``claim(x, ...)`` cannot
        pass by being non-zero.
    statement : str
        The claim in the words of the text, with the numbers that the text quotes
        (format them from the same variables: ``f"{gap:.2f} bits"``).
    because : str, optional
        What the condition measured, printed after the statement and shown in the
        error when the claim fails ("median of 3 seeds").
    strict : bool
        ``True`` (the default): a claim that does not hold raises. ``False``: it is
        reported and the notebook goes on, for a run the text was not written for (a
        learner's ``FULL_SIZE = True``): ``claim(..., strict=not FULL_SIZE)``.

    Returns
    -------
    None
        Prints ``claim holds: <statement>`` (and `` (<because>)``), or, when the claim
        fails with ``strict=False``, ``claim does not hold in this run: <statement>``.

    Raises
    ------
    ClaimError
        When ``condition`` is false and ``strict``: the text must change, or the
        experiment.
    TypeError
        When ``condition`` is not a single truth value or ``statement`` is not a string.
    ValueError
        When ``statement`` is empty.
    """
    if isinstance(condition, np.ndarray):
        raise TypeError(
            f"condition must be a single True or False, got an array of shape "
            f"{condition.shape}; reduce it with .all() or .any() first"
        )
    if not isinstance(condition, (bool, np.bool_)):
        kind = "a number" if isinstance(condition, numbers.Number) else type(condition).__name__
        raise TypeError(f"condition must be True or False (a comparison), got {kind} {condition!r}")
    if not isinstance(statement, str):
        raise TypeError(f"statement must be a string, got {type(statement).__name__}")
    if not statement.strip():
        raise ValueError("statement must say what is claimed, got an empty string")
    if because is not None and not isinstance(because, str):
        raise TypeError(f"because must be a string or None, got {type(because).__name__}")
    if not isinstance(strict, (bool, np.bool_)):
        raise TypeError(f"strict must be True or False, got {strict!r}")
    detail = f" ({because})" if because else ""
    if not bool(condition) and not strict:
        print(
            f"claim does not hold in this run: {statement}{detail}; the text describes "
            "the default run, not this one"
        )
        return
    if not bool(condition):
        raise ClaimError(
            f"the text claims: {statement}{detail}, and this run does not show it. "
            "Read the numbers printed above and correct the text (or the experiment)."
        )
    print(f"claim holds: {statement}{detail}")
