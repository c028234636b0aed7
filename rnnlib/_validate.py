"""Input checks shared by every public function.

Errors speak the learner's language: a wrong shape names the argument, the
shape it got and the shape it expected, with the symbols of the course
(``"Wh must have shape (H, H) = (16, 16), got (16, 32)"``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_array", "check_finite", "check_int_array"]


def check_array(name, a, dims, shape):
    """Check that ``a`` is a float ndarray of a given shape; return it.

    Parameters
    ----------
    name : str
        The argument's name as the learner wrote it (``"Wh"``).
    a : object
        The value to check.
    dims : str
        The shape in symbols, without parentheses (``"H, H"``).
    shape : tuple of int or None
        The expected shape; ``None`` in a slot accepts any size there.

    Returns
    -------
    numpy.ndarray
        ``a`` itself (never copied).

    Raises
    ------
    ValueError
        If ``a`` is not an ndarray, not of a floating dtype, or of a wrong shape.
    """
    if not isinstance(a, np.ndarray):
        raise ValueError(
            f"{name} must be a numpy array of shape ({dims}), got {type(a).__name__}"
        )
    if not np.issubdtype(a.dtype, np.floating):
        raise ValueError(
            f"{name} must have a floating dtype (float32 or float64), got {a.dtype}"
        )
    _check_shape(name, a, dims, shape)
    return a


def check_int_array(name, a, dims, shape, high=None):
    """Check that ``a`` is an integer ndarray of a given shape, values in [0, high).

    Parameters
    ----------
    name, dims, shape
        As for :func:`check_array`.
    a : object
        The value to check.
    high : int, optional
        Exclusive upper bound of the values (for example the vocabulary size V).

    Returns
    -------
    numpy.ndarray
        ``a`` itself.
    """
    if not isinstance(a, np.ndarray) or not np.issubdtype(a.dtype, np.integer):
        got = a.dtype if isinstance(a, np.ndarray) else type(a).__name__
        raise ValueError(f"{name} must be an integer array of shape ({dims}), got {got}")
    _check_shape(name, a, dims, shape)
    if a.size and (a.min() < 0 or (high is not None and a.max() >= high)):
        raise ValueError(
            f"{name} must hold indices in [0, {high}), got values from {a.min()} to {a.max()}"
        )
    return a


def _check_shape(name, a, dims, shape):
    fits = a.ndim == len(shape) and all(
        want is None or got == want for got, want in zip(a.shape, shape, strict=True)
    )
    if not fits:
        want = "(" + ", ".join("?" if s is None else str(s) for s in shape)
        want += ",)" if len(shape) == 1 else ")"
        raise ValueError(f"{name} must have shape ({dims}) = {want}, got {tuple(a.shape)}")


def check_finite(name, a):
    """Raise ``FloatingPointError`` if ``a`` holds NaN or inf; return ``a``.

    Used on gradients and losses so that a blow-up is reported where it
    happens instead of turning a plot into an empty frame.
    """
    a = np.asarray(a)
    if not np.all(np.isfinite(a)):
        n_nan = int(np.isnan(a).sum())
        n_inf = int(np.isinf(a).sum())
        raise FloatingPointError(
            f"{name} is not finite: {n_nan} NaN and {n_inf} inf of {a.size} values "
            "(the gradient exploded or the learning rate is too high; try clipping)"
        )
    return a
