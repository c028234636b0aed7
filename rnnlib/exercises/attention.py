"""Self-checks for notebook 09, the encoder-decoder and attention.

==============================  ================================================
checker                         the learner's answer
==============================  ================================================
check_dot_attention_forward     ``fn(q, K, mask) -> (context, alpha)``: scaled
                                dot-product attention of one query per example,
                                padded positions masked out
check_uniform_weights           the weight (a number) that each real source
                                character gets when all scores are equal, for a
                                source of ``UNIFORM_LENGTH`` characters padded
                                to ``UNIFORM_PADDED``
check_attention_dK              ``fn(dc, q, K, alpha) -> dK``: the gradient of
                                scaled dot-product attention with respect to the
                                keys, along both of its paths
==============================  ================================================

The reference is :func:`rnnlib.attention.dot_attention_forward` (gradient-checked
in ``tests/test_attention.py``)::

    e = (K @ q) / sqrt(H)           scores, (N, S)
    alpha = softmax(e) over the real positions, exactly 0 at padding
    context = alpha @ K             (N, H)

Each checker prints ``not attempted yet``, ``PASS`` or ``FAIL`` and returns a
:class:`~rnnlib.exercises.CheckResult`; none of them raises.
"""

from __future__ import annotations

import numpy as np

from rnnlib import attention

from ._core import CheckResult, Hint, check_outputs, check_value

__all__ = [
    "UNIFORM_LENGTH",
    "UNIFORM_PADDED",
    "check_attention_dK",
    "check_dot_attention_forward",
    "check_uniform_weights",
]

TOL = 1e-7

#: Exercise 2: a source of this many real characters ...
UNIFORM_LENGTH = 8
#: ... padded to this length.
UNIFORM_PADDED = 12


def _problem(seed=901):
    """Seeded inputs: q (3, 4), K (3, 6, 4), a mask with 4, 6 and 2 real positions."""
    rng = np.random.default_rng(seed)
    N, S, H = 3, 6, 4
    q = rng.standard_normal((N, H))
    K = rng.standard_normal((N, S, H))
    mask = attention.length_mask(np.array([4, 6, 2]), S)
    return q, K, mask


def _variant(q, K, mask, variant):
    """A classic mistake in dot-product attention (for the hints)."""
    scale = 1.0 if variant == "unscaled" else 1 / np.sqrt(q.shape[1])
    e = np.einsum("nsh,nh->ns", K, q) * scale
    if variant == "no_mask":
        w = np.exp(e - e.max(axis=1, keepdims=True))
    else:
        w = np.where(mask, np.exp(e - np.where(mask, e, -np.inf).max(axis=1, keepdims=True)), 0)
    alpha = w / w.sum(axis=1, keepdims=True)
    if variant == "softmax_over_batch":
        w = np.where(mask, np.exp(e - e.max()), 0)
        alpha = w / w.sum(axis=0, keepdims=True)
    return np.einsum("ns,nsh->nh", alpha, K), alpha


def check_dot_attention_forward(fn):
    """Check scaled dot-product attention with a source mask.

    Parameters
    ----------
    fn : callable
        ``fn(q, K, mask) -> (context, alpha)`` with q (N, H), K (N, S, H), mask (N, S)
        bool; context (N, H), alpha (N, S). A cache after them is fine.

    Returns
    -------
    CheckResult
    """
    q, K, mask = _problem()
    context, alpha, _ = attention.dot_attention_forward(q, K, mask, scaled=True)
    mistakes = [
        (
            _variant(q, K, mask, "unscaled"),
            "divide the scores by sqrt(H) before the softmax: e = (K @ q) / sqrt(H)",
        ),
        (
            _variant(q, K, mask, "no_mask"),
            "padded positions must get weight exactly 0: set their exponentials to 0 "
            "(np.where(mask, ..., 0)) before normalising",
        ),
        (
            _variant(q, K, mask, "softmax_over_batch"),
            "the softmax runs over the source positions of each example (axis 1), "
            "not over the batch",
        ),
    ]
    hint = Hint(
        "three steps, each with its own array: the scores e (one per source position), "
        "the weights alpha (a masked softmax over the positions), then the context",
        "e[n, s] = K[n, s] . q[n] / sqrt(H); alpha = exp(e - max) where mask, 0 elsewhere, "
        "divided by its row sum; context[n] = sum_s alpha[n, s] K[n, s]",
    )
    return check_outputs(
        "dot_attention_forward",
        fn,
        (q, K, mask),
        (context, alpha),
        ("context", "alpha"),
        TOL,
        hint,
        mistakes,
    )


def check_uniform_weights(value) -> CheckResult:
    """Check the weight of each real character when every score is equal.

    Parameters
    ----------
    value : float, str or None
        Your answer, a number such as ``0.25`` (None: not attempted). Relative
        tolerance 1e-3.

    Returns
    -------
    CheckResult
    """
    return check_value(
        "uniform attention weight",
        value,
        1 / UNIFORM_LENGTH,
        1e-3,
        hint="equal scores give equal weights; the weights sum to 1 over the positions that count",
        mistakes=[
            (
                1 / UNIFORM_PADDED,
                "padded positions get weight exactly 0: only the "
                f"{UNIFORM_LENGTH} real characters share the weight",
            )
        ],
    )


def _dK_problem():
    """Seeded inputs of the keys' gradient: dc (3, 4), q, K, alpha from the forward."""
    q, K, mask = _problem()
    context, alpha, cache = attention.dot_attention_forward(q, K, mask, scaled=True)
    dc = np.random.default_rng(902).standard_normal(context.shape)
    return dc, q, K, alpha, cache


def _dK_variant(dc, q, K, alpha, variant):
    """The keys' gradient, right (``"right"``) or with a classic mistake (for the hints)."""
    scale = 1.0 if variant == "unscaled" else 1 / np.sqrt(q.shape[1])
    dalpha = np.einsum("nsh,nh->ns", K, dc)  # (N, S): the average's weights
    centre = 0 if variant == "no_centring" else (alpha * dalpha).sum(axis=1, keepdims=True)
    de = alpha * (dalpha - centre) * scale  # (N, S)
    as_values = alpha[:, :, None] * dc[:, None, :]  # (N, S, H)
    as_keys = de[:, :, None] * q[:, None, :]  # (N, S, H)
    if variant == "values_only":
        return as_values
    if variant == "keys_only":
        return as_keys
    return as_values + as_keys


def check_attention_dK(fn):
    """Check the gradient of scaled dot-product attention with respect to the keys.

    ``e_j = q . k_j / sqrt(H)``, ``alpha = softmax(e)`` over the real positions,
    ``c = sum_j alpha_j k_j``; given ``dc``, every key gets gradient as a value
    (``alpha_j dc``) and through its score (``de_j q / sqrt(H)``).

    Parameters
    ----------
    fn : callable
        ``fn(dc, q, K, alpha) -> dK`` with dc, q (N, H), K (N, S, H), alpha (N, S)
        (zero at padded positions); dK (N, S, H).

    Returns
    -------
    CheckResult
    """
    dc, q, K, alpha, cache = _dK_problem()
    _, dK = attention.dot_attention_backward(dc, None, cache)
    mistakes = [
        (
            _dK_variant(dc, q, K, alpha, "values_only"),
            "this is only the path through the average (alpha_j dc); k_j is also in the "
            "score e_j, so add de_j q / sqrt(H)",
        ),
        (
            _dK_variant(dc, q, K, alpha, "keys_only"),
            "this is only the path through the scores; k_j is also a value of the "
            "average c = sum_j alpha_j k_j, so add alpha_j dc",
        ),
        (
            _dK_variant(dc, q, K, alpha, "unscaled"),
            "the scores were divided by sqrt(H): so is their gradient, de_j q / sqrt(H)",
        ),
        (
            _dK_variant(dc, q, K, alpha, "no_centring"),
            "the softmax's backward subtracts the weighted mean: "
            "de_j = alpha_j (dalpha_j - sum_j' alpha_j' dalpha_j')",
        ),
    ]
    hint = Hint(
        "each key k_j is used twice, in the context (weighted by alpha_j) and in its score "
        "e_j: add the two paths",
        "dalpha_j = dc . k_j; de_j = alpha_j (dalpha_j - sum_j' alpha_j' dalpha_j') / sqrt(H); "
        "dK[n, j] = alpha[n, j] dc[n] + de[n, j] q[n]",
    )
    return check_outputs("attention_dK", fn, (dc, q, K, alpha), dK, ("dK",), TOL, hint, mistakes)
