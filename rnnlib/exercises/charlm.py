"""Self-checks for notebook 07, the character-level language model.

=============================  =================================================
checker                        the learner's answer
=============================  =================================================
check_softmax_temperature      ``fn(logits, temperature) -> probs``: the
                               distribution sampled at a temperature
check_bits_and_perplexity      ``fn(loss_nats) -> (bits_per_char, perplexity)``
check_initial_loss             a number: the loss (nats per character) of an
                               untrained model with ``V`` characters
=============================  =================================================

Each checker prints ``not attempted yet``, ``PASS`` or ``FAIL`` (with a hint aimed
at the usual mistake, recognised by comparing with known wrong answers) and
returns a :class:`~rnnlib.exercises.CheckResult`; none of them raises.
"""

from __future__ import annotations

import numbers

import numpy as np

from rnnlib.activations import softmax_temperature
from rnnlib.gradcheck import rel_error

from ._core import Hint, attempt, verdict

__all__ = [
    "check_bits_and_perplexity",
    "check_initial_loss",
    "check_softmax_temperature",
]


def _temperature_cases():
    """(logits, temperature) pairs: ordinary, sharp, flat, and huge logits at a tiny T."""
    rng = np.random.default_rng(707)
    logits = 2.0 * rng.standard_normal(12)
    big = np.array([1000.0, 998.0, 990.0, -1000.0])
    return [(logits, 1.0), (logits, 0.5), (logits, 2.5), (big, 0.05)]


def _as_vector(value, n):
    try:
        a = np.asarray(value, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        return None
    return a if a.shape == (n,) else None


def check_softmax_temperature(fn):
    """Check ``fn(logits, temperature) -> p = softmax(logits / temperature)``.

    Four cases: random logits at ``T = 1, 0.5, 2.5``, and logits near 1000 at
    ``T = 0.05``, where computing ``exp`` before subtracting the maximum overflows.

    Parameters
    ----------
    fn : callable
        ``fn(logits (V,), temperature float) -> probabilities (V,)``.

    Returns
    -------
    CheckResult
    """
    name = "softmax_temperature"
    hint = Hint(
        "the temperature scales the logits before the softmax; the result must sum to 1",
        "divide the logits by the temperature, subtract their max, exponentiate, normalise",
    )
    worst = 0.0
    for logits, T in _temperature_cases():
        ok, got = attempt(fn, logits.copy(), T)
        if not ok:
            if got is None:
                return verdict(name, "not attempted")
            return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
        p = _as_vector(got, logits.size)
        if p is None:
            return verdict(
                name,
                "FAIL",
                hint=hint,
                detail=f"expected {logits.size} probabilities, got {got!r:.60}",
            )
        if not np.all(np.isfinite(p)):
            return verdict(
                name,
                "FAIL",
                detail=f"NaN or inf for logits near 1000 at T = {T}",
                hint="exp(1000) overflows: subtract the largest logit first "
                "(it cancels in the normalisation)",
            )
        want = softmax_temperature(logits, T)
        if T != 1.0 and rel_error(p, softmax_temperature(logits, 1.0)) < 1e-6:
            return verdict(
                name,
                "FAIL",
                detail=f"the temperature T = {T} changed nothing",
                hint="use logits / temperature",
            )
        if T != 1.0 and rel_error(p, softmax_temperature(logits, 1.0 / T)) < 1e-6:
            return verdict(
                name,
                "FAIL",
                detail="higher temperature made it sharper",
                hint="divide by the temperature; multiplying inverts its effect",
            )
        if abs(p.sum() - 1) > 1e-6:
            return verdict(
                name,
                "FAIL",
                detail=f"the probabilities sum to {p.sum():.4g}",
                hint="normalise: p / p.sum()",
            )
        worst = max(worst, rel_error(p, want))
    tol = 1e-7
    return verdict(name, "PASS" if worst <= tol else "FAIL", worst, tol, hint=hint)


def check_bits_and_perplexity(fn):
    """Check ``fn(loss_nats) -> (bits_per_char, perplexity)``.

    ``bits = loss / ln 2`` and ``perplexity = exp(loss) = 2 ** bits``.

    Parameters
    ----------
    fn : callable
        Takes a float (a mean cross-entropy in nats per character).

    Returns
    -------
    CheckResult
    """
    name = "bits_and_perplexity"
    hint = Hint(
        "the loss is in nats (natural log): change the base of the log to get bits",
        "the loss uses the natural log: bits = loss / ln(2), perplexity = exp(loss)",
    )
    losses = (4.564, 2.0, 1.0, 0.25)
    worst = 0.0
    for loss in losses:
        ok, got = attempt(fn, loss)
        if not ok:
            if got is None:
                return verdict(name, "not attempted")
            return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
        try:
            bits, ppl = (float(v) for v in got)
        except (TypeError, ValueError):
            return verdict(
                name,
                "FAIL",
                hint=hint,
                detail=f"return two numbers (bits, perplexity), got {got!r:.60}",
            )
        want_bits, want_ppl = loss / np.log(2), np.exp(loss)
        if abs(bits - loss * np.log(2)) < 1e-9 * max(1, loss):
            return verdict(name, "FAIL", detail="bits = loss * ln 2 is upside down", hint=hint)
        if abs(bits - loss / np.log(10)) < 1e-9:
            return verdict(name, "FAIL", detail="that converts to base 10, not base 2", hint=hint)
        if abs(ppl - 2.0**loss) < 1e-9 * 2.0**loss:
            return verdict(
                name,
                "FAIL",
                detail="2 ** loss mixes bases: the loss is in nats",
                hint="perplexity = exp(loss in nats) = 2 ** (loss in bits)",
            )
        worst = max(worst, rel_error(bits, want_bits), rel_error(ppl, want_ppl))
    tol = 1e-9
    return verdict(name, "PASS" if worst <= tol else "FAIL", worst, tol, hint=hint)


def check_initial_loss(prediction, vocab_size):
    """Check a predicted loss (nats per character) of an *untrained* character model.

    With small random output weights the logits are nearly equal, so the model
    predicts nearly uniformly over the ``V`` characters: ``-log(1/V) = ln V``.
    A prediction within 3 % of ``ln V`` passes.

    Parameters
    ----------
    prediction : float or None
        ``None`` means not attempted yet.
    vocab_size : int
        ``V``.

    Returns
    -------
    CheckResult
    """
    name = "initial loss"
    if prediction is None:
        return verdict(
            name,
            "not attempted",
            detail="set my_initial_loss to a number, e.g. 3.0, then run this cell",
        )
    if not isinstance(prediction, numbers.Real):
        return verdict(name, "FAIL", detail=f"expected a number, got {prediction!r:.40}")
    want, tol = float(np.log(vocab_size)), 0.03
    err = abs(float(prediction) - want) / want
    hint = (
        "an untrained model spreads its bets evenly over the V characters; what is "
        "-log p for p = 1/V?"
    )
    if abs(prediction - np.log2(vocab_size)) < 0.03 * np.log2(vocab_size):
        hint = f"{prediction:g} is log2(V), in bits; the loss is in nats (natural log)"
    elif abs(prediction - vocab_size) < 0.5 or abs(prediction - 1 / vocab_size) < 1e-3:
        hint = "that is the perplexity or the probability; the loss is -log p"
    if err <= tol:
        print(
            f"{name}: PASS (ln {vocab_size} = {want:.3f} nats = {np.log2(vocab_size):.2f} "
            f"bits per character; you said {prediction:g})"
        )
        from ._core import CheckResult

        return CheckResult(name, "PASS", err, tol)
    return verdict(name, "FAIL", err, tol, hint=hint, detail=f"{prediction:g} is not it")
