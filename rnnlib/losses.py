"""Losses: softmax cross-entropy over a sequence of logits, and mean squared error.

Each loss returns ``(loss, dout)``: the scalar loss and its gradient with respect
to the network's output, ready to be fed into the output layer's backward pass.
"""

from __future__ import annotations

import numpy as np

from rnnlib._validate import INPUT_HINT, check_array, check_finite, check_int_array

__all__ = ["mse", "softmax_cross_entropy"]


def softmax_cross_entropy(logits, targets, mask=None):
    """Mean negative log-likelihood of the targets under ``softmax(logits)``.

    ``L = (1 / sum m) * sum_{n,t} m[n,t] * (-log p[n, t, targets[n, t]])``, with
    ``p = softmax(logits)`` and ``m`` the mask (all ones if not given).
    Its gradient is ``dL/dlogits = m * (p - onehot(targets)) / sum m``.

    Parameters
    ----------
    logits : numpy.ndarray, shape (N, T, V) or (N, V)
        Unnormalised scores.
    targets : numpy.ndarray of int, shape (N, T) or (N,)
        Correct class per position, in ``[0, V)``.
    mask : numpy.ndarray of bool or float, shape (N, T) or (N,), optional
        Which positions count (1/True) and which are padding (0/False). Float
        values act as non-negative weights.

    Returns
    -------
    loss : float
        Mean over the unmasked positions.
    dlogits : numpy.ndarray, same shape and dtype as ``logits``

    Raises
    ------
    ValueError
        On wrong shapes or dtypes, targets out of range, a negative mask or a mask
        that is all zero (the mean would be 0 / 0).
    FloatingPointError
        If the logits hold NaN, or a position where the softmax is undefined:
        two +inf logits (inf / inf) or -inf for every class (0 / 0).

    Notes
    -----
    Infinite logits are read as limits, without a warning: a +inf logit takes
    all the probability. On the target class that costs nothing (loss 0 at that
    position, gradient 0); on another class the target's probability is 0 and the
    loss is +inf (returned as ``inf``, a correct value, not an error), with the
    finite gradient ``p - onehot(targets)`` of the limit. A -inf logit is a
    probability of exactly 0: harmless on another class, loss +inf on the target.

    ``log(softmax(z))`` is computed as ``z - max z - log(sum(exp(z - max z)))``
    (log-sum-exp). Taking ``log`` of the probabilities instead gives ``log(0) = -inf``
    as soon as one probability underflows.
    """
    if np.ndim(logits) == 2:
        check_array("logits", logits, "N, V", (None, None))
    else:
        check_array("logits", logits, "N, T, V", (None, None, None))
    V = logits.shape[-1]
    lead = logits.shape[:-1]
    dims = "N, T" if len(lead) == 2 else "N"
    check_int_array("targets", targets, dims, lead, high=V)
    if mask is None:
        m = np.ones(lead, dtype=logits.dtype)
    else:
        if not isinstance(mask, np.ndarray) or mask.shape != lead:
            got = mask.shape if isinstance(mask, np.ndarray) else type(mask).__name__
            raise ValueError(f"mask must be an array of shape ({dims}) = {lead}, got {got}")
        if mask.dtype.kind not in "biuf":
            raise ValueError(f"mask must hold bools or real weights, got dtype {mask.dtype}")
        m = mask.astype(logits.dtype)
        if np.any(m < 0) or not np.all(np.isfinite(m)):
            raise ValueError("mask must hold finite values >= 0 (1 = counts, 0 = padding)")
    with np.errstate(over="ignore"):
        total = m.sum()
    if not np.isfinite(total):
        raise ValueError(f"mask must sum to a finite number, got {total} (weights too large)")
    if total == 0:
        raise ValueError("mask is all zero: there is no position to average the loss over")

    # Log-sum-exp: every exponent is <= 0, so nothing overflows. (A logit range wider
    # than the dtype's maximum gives z = -inf, whose exp is an exact 0.)
    pos_inf = _check_logits_limits(logits)
    with np.errstate(over="ignore", invalid="ignore"):  # inf - inf where a +inf logit sits
        z = logits - logits.max(axis=-1, keepdims=True)
    if pos_inf is not None:  # the limit: all the probability on the +inf class
        rows = pos_inf.any(axis=-1, keepdims=True)
        z = np.where(rows, np.where(pos_inf, 0.0, -np.inf), z).astype(logits.dtype)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    nll = -np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]  # lead
    # A padded position (m = 0) counts for nothing, even where its nll is inf.
    loss = float((np.where(m > 0, nll, 0) * m).sum() / total)

    dlogits = np.exp(log_probs)  # the probabilities p
    np.put_along_axis(
        dlogits,
        targets[..., None],
        np.take_along_axis(dlogits, targets[..., None], axis=-1) - 1,
        axis=-1,
    )  # p - onehot(targets)
    dlogits *= (m / total)[..., None]
    return loss, dlogits


def _check_logits_limits(logits):
    """NaN -> error; return the mask of +inf logits (None if every logit is finite).

    One pass over the logits in the usual, all-finite case.
    """
    if np.all(np.isfinite(logits)):
        return None
    n_nan = int(np.isnan(logits).sum())
    if n_nan:
        raise FloatingPointError(
            f"logits holds {n_nan} NaN of {logits.size} values: the loss is undefined "
            "(look upstream for an overflow or 0/0 in the network's output)"
        )
    pos_inf = np.isposinf(logits)
    if np.any(pos_inf.sum(axis=-1) > 1):
        raise FloatingPointError(
            "logits has two or more +inf at one position: the softmax there is inf / inf, undefined"
        )
    if np.any(np.isneginf(logits).all(axis=-1)):
        raise FloatingPointError(
            "logits is -inf for every class at one position: the softmax there is 0 / 0, undefined"
        )
    return pos_inf


def mse(pred, target):
    """Mean squared error over all elements: ``L = mean((pred - target)**2)``.

    The mean runs over every element (batch, time and feature), so
    ``dL/dpred = 2 * (pred - target) / pred.size``.

    Parameters
    ----------
    pred : numpy.ndarray, any shape
        Predictions.
    target : numpy.ndarray, same shape as ``pred``
        Targets.

    Returns
    -------
    loss : float
    dpred : numpy.ndarray, same shape and dtype as ``pred``

    Raises
    ------
    ValueError
        On a shape mismatch or a non-float dtype (broadcasting a (N,) target
        against (N, 1) predictions would silently give an (N, N) error matrix).
    FloatingPointError
        If ``pred`` or ``target`` holds NaN or inf, or the loss overflows.
    """
    check_array("pred", pred, "...", (None,) * np.ndim(pred))
    check_array("target", target, "same as pred", pred.shape)
    if pred.size == 0:
        raise ValueError("pred is empty: the mean squared error of no element is undefined")
    check_finite("pred", pred, hint=INPUT_HINT)
    check_finite("target", target, hint=INPUT_HINT)
    diff = pred - target.astype(pred.dtype, copy=False)
    with np.errstate(over="ignore"):
        loss = float(np.mean(diff * diff))
    if not np.isfinite(loss):
        raise FloatingPointError(
            "loss overflowed: pred and target differ by more than about 1e154 "
            f"(largest |pred - target| = {np.max(np.abs(diff)):.3g})"
        )
    return loss, (2.0 / pred.size) * diff
