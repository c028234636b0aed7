"""Input checks shared by every public function.

Errors speak the learner's language: a wrong shape names the argument, the
shape it got and the shape it expected, with the symbols of the course
(``"Wh must have shape (H, H) = (16, 16), got (16, 32)"``).
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np

__all__ = [
    "as_real_array",
    "check_array",
    "check_batch",
    "check_finite",
    "check_int",
    "check_int_array",
    "check_number",
    "check_rng",
    "check_strings",
    "GRADIENT_HINT",
    "INPUT_HINT",
]


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
        raise ValueError(f"{name} must be a numpy array of shape ({dims}), got {type(a).__name__}")
    if not np.issubdtype(a.dtype, np.floating):
        raise ValueError(f"{name} must have a floating dtype (float32 or float64), got {a.dtype}")
    _check_shape(name, a, dims, shape)
    return a


def as_real_array(name, a, dims, ndim):
    """Turn array_like ``a`` (a list, an int array) into finite float64 of ``ndim`` dims.

    For the functions documented to take ``array_like``: ``None``, a str, a bool, an
    object or complex array or a wrong number of dimensions raise ``ValueError``
    naming ``name``; NaN or inf raise ``FloatingPointError`` (:func:`check_finite`).
    """
    arr = np.asarray(a) if not isinstance(a, str | bytes) else np.asarray(None)
    if arr.dtype.kind not in "iuf" or arr.ndim != ndim:
        raise ValueError(
            f"{name} must be real numbers of shape ({dims}), got {type(a).__name__}"
            f" of dtype {arr.dtype} and shape {arr.shape}"
        )
    return check_finite(name, arr.astype(np.float64), hint=INPUT_HINT)


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


def check_int(name, v, low=1):
    """Check that ``v`` is an integer >= ``low`` (an int, a numpy int or a whole float).

    Returns ``int(v)``; raises ``ValueError`` naming ``name`` otherwise (``None``, a
    str, a bool, 2.5, NaN, an array).
    """
    whole = isinstance(v, Integral) or (isinstance(v, float) and v.is_integer())
    if isinstance(v, bool) or not whole or v < low:
        need = "a positive int" if low == 1 else f"an int >= {low}"
        raise ValueError(f"{name} must be {need}, got {v!r}")
    return int(v)


def check_number(name, v, low=None, high=None, *, open_low=False):
    """Check that ``v`` is a finite real number in ``[low, high]``; return ``float(v)``.

    ``open_low=True`` excludes ``low`` itself (``lr > 0``). ``None``, a str, a bool, a
    complex number, an array, NaN and inf raise ``ValueError`` naming ``name``.
    """
    ok = isinstance(v, Real) and not isinstance(v, bool) and np.isfinite(v)
    if ok and low is not None:
        ok = v > low if open_low else v >= low
    if ok and high is not None:
        ok = v <= high
    if not ok:
        bounds = []
        if low is not None:
            bounds.append(f"{'>' if open_low else '>='} {low:g}")
        if high is not None:
            bounds.append(f"<= {high:g}")
        need = " and ".join(bounds) if bounds else "a finite number"
        raise ValueError(f"{name} must be {need}, got {v!r}")
    return float(v)


def check_batch(name, a):
    """Raise ``ValueError`` if ``a`` (batch first) holds no sequence (N = 0); return ``a``.

    An empty batch is almost always a slicing mistake (``x[:0]``), and every mean
    over it is 0 / 0: it is reported where it enters instead.
    """
    if a.shape[0] == 0:
        raise ValueError(
            f"{name} holds an empty batch, shape {tuple(a.shape)}: N must be at least 1"
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


GRADIENT_HINT = "the gradient exploded or the learning rate is too high; try clipping"
INPUT_HINT = "inputs and parameters must be finite; look upstream for an overflow or 0/0"


def check_finite(name, a, hint=GRADIENT_HINT):
    """Raise ``FloatingPointError`` if ``a`` holds NaN or inf; return ``a``.

    Used on gradients and losses so that a blow-up is reported where it
    happens instead of turning a plot into an empty frame, and on the inputs
    of the forward passes (with ``hint=INPUT_HINT``) so that a NaN is caught
    before it spreads through every hidden state. One pass over ``a``.

    Parameters
    ----------
    name : str
        The argument's name as the learner wrote it.
    a : array_like
        The values to check.
    hint : str
        What probably went wrong, appended to the message in parentheses.
    """
    a = np.asarray(a)
    if not np.all(np.isfinite(a)):
        n_nan = int(np.isnan(a).sum())
        n_inf = int(np.isinf(a).sum())
        raise FloatingPointError(
            f"{name} is not finite: {n_nan} NaN and {n_inf} inf of {a.size} values ({hint})"
        )
    return a


def check_rng(name, rng):
    """Turn ``rng`` into a ``numpy.random.Generator``, as ``np.random.default_rng`` does.

    Parameters
    ----------
    name : str
        The argument's name (``"rng"``).
    rng : numpy.random.Generator, int >= 0, numpy.random.SeedSequence or None
        A Generator is returned as it is (it is *not* copied: drawing from the
        result advances the caller's generator). An int seeds a new Generator,
        so the same int gives the same numbers. ``None`` seeds from the operating
        system: fresh numbers on every call, not reproducible.

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    ValueError
        For anything else (a float, a bool, a negative int, an array, the legacy
        ``numpy.random.RandomState``).
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence | np.random.BitGenerator):
        return np.random.default_rng(rng)
    if isinstance(rng, Integral) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise ValueError(
        f"{name} must be a numpy.random.Generator, an int seed >= 0 or None, got {rng!r}"
    )


def check_strings(name, texts):
    """``texts`` as a list of str, or a ValueError naming ``name``.

    Parameters
    ----------
    name : str
        The argument's name (``"sources"``).
    texts : list or tuple of str
        A str itself is refused (it would be read as a list of characters).

    Returns
    -------
    list of str
    """
    if isinstance(texts, str | bytes) or not isinstance(texts, list | tuple):
        raise ValueError(f"{name} must be a list of str, got {type(texts).__name__}")
    bad = next((t for t in texts if not isinstance(t, str)), None)
    if bad is not None:
        raise ValueError(f"{name} must hold only str, got a {type(bad).__name__}")
    return list(texts)
