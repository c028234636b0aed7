"""Losses: softmax cross-entropy over a sequence of logits, and mean squared error.

Each loss returns ``(loss, dout)``: the scalar loss and its gradient with respect
to the network's output, ready to be fed into the output layer's backward pass.
"""

from __future__ import annotations

import numpy as np

from rnnlib._validate import check_array, check_finite, check_int_array

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
        If the loss is NaN or inf (for example NaN in the logits).

    Notes
    -----
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
        m = mask.astype(logits.dtype)
        if np.any(m < 0) or not np.all(np.isfinite(m)):
            raise ValueError("mask must hold finite values >= 0 (1 = counts, 0 = padding)")
    total = m.sum()
    if total == 0:
        raise ValueError("mask is all zero: there is no position to average the loss over")

    # Log-sum-exp: every exponent is <= 0, so nothing overflows.
    with np.errstate(over="ignore"):  # an inf logit gives NaN below, reported by check_finite
        z = logits - logits.max(axis=-1, keepdims=True)
        log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    nll = -np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]  # lead
    loss = float((m * nll).sum() / total)
    check_finite("loss", loss)

    dlogits = np.exp(log_probs)  # the probabilities p
    np.put_along_axis(
        dlogits, targets[..., None],
        np.take_along_axis(dlogits, targets[..., None], axis=-1) - 1, axis=-1,
    )  # p - onehot(targets)
    dlogits *= (m / total)[..., None]
    return loss, dlogits


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
        If the loss is NaN or inf.
    """
    check_array("pred", pred, "...", (None,) * np.ndim(pred))
    check_array("target", target, "same as pred", pred.shape)
    if pred.size == 0:
        raise ValueError("pred is empty: the mean squared error of no element is undefined")
    diff = pred - target.astype(pred.dtype, copy=False)
    loss = float(np.mean(diff * diff))
    check_finite("loss", loss)
    return loss, (2.0 / pred.size) * diff
