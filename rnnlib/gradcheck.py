"""Numerical gradient checks: central differences are the referee of every backward pass.

Typical use, in a test or a notebook::

    errors = check_backward(rnn_step_forward, rnn_step_backward, (x, h_prev, Wx, Wh, b))
    report(errors, tol=1e-7)

Use float64: with float32 the finite differences themselves are only good to
about 1e-3, so every check looks like a failure.
"""

from __future__ import annotations

import inspect
import sys
from numbers import Real

import numpy as np

from rnnlib._validate import check_finite, check_number, check_rng

__all__ = ["check_backward", "format_report", "numerical_gradient", "rel_error", "report"]


def numerical_gradient(f, x, df, h=1e-5):
    """Central-difference gradient of ``sum(f() * df)`` with respect to the array ``x``.

    ``d/dx[j] sum(f() * df) ~ (sum(f(x + h e_j) * df) - sum(f(x - h e_j) * df)) / (2h)``;
    the error is O(h**2) from truncation plus O(eps / h) from rounding.

    Parameters
    ----------
    f : callable
        Takes no arguments, reads ``x`` (by reference) and returns an array shaped
        like ``df``.
    x : numpy.ndarray
        The input to perturb. Each entry is changed in place and restored exactly
        (even if ``f`` raises).
    df : numpy.ndarray
        Upstream gradient: the weights of the outputs in the scalar being differentiated.
    h : float
        Step size.

    Returns
    -------
    numpy.ndarray, shape of ``x``
    """
    if not callable(f):
        raise ValueError(f"f must be a function of no arguments, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise ValueError("x must be a float numpy array that f reads (it is perturbed in place)")
    check_finite("x", x, hint="the point to differentiate at must be finite")
    h = check_number("h", h, 0, open_low=True)
    if np.asarray(df).dtype.kind not in "biuf":
        raise ValueError(f"df must be real numbers shaped like f(), got {np.asarray(df).dtype}")
    check_finite("df", df, hint="the upstream gradient must be finite")
    try:
        np.broadcast_shapes(np.shape(f()), np.shape(df))
    except ValueError:
        raise ValueError(
            f"df must have the shape of f(), {np.shape(f())}, got {np.shape(df)}"
        ) from None
    grad = np.zeros(x.shape, dtype=np.result_type(x.dtype, np.float64))
    for idx in np.ndindex(x.shape):
        old = x[idx].copy()
        try:
            x[idx] = old + h
            plus = np.sum(f() * df)
            x[idx] = old - h
            minus = np.sum(f() * df)
        finally:
            x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def rel_error(a, b):
    """Relative error of two arrays: ``max|a - b| / max(|a| + |b|)``.

    Both maxima run over all elements, so an element that is (nearly) zero in both
    cannot blow the ratio up, as a per-element ratio would. Two all-zero arrays (or
    empty ones) have error 0. NaN anywhere gives NaN, which fails every tolerance.
    For two numbers it is ``|a - b| / (|a| + |b|)``: 0 when equal, 1 when of
    opposite sign or when one is 0, 1/3 when one is twice the other.

    This is the one relative error of the course: the gradient checks, notebook
    02's text and every exercise checker (``rnnlib.exercises``) use it.

    Parameters
    ----------
    a, b : array_like, same shape (numbers are 0-d arrays)

    Returns
    -------
    float
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    num = np.max(np.abs(a - b))
    den = np.max(np.abs(a) + np.abs(b))
    if den == 0:
        return 0.0
    return float(num / den)


def check_backward(forward, backward, args, names=None, h=1e-6, rng=None):
    """Compare every gradient from ``backward`` with central differences.

    The scalar checked is ``L = sum_k sum(out_k * dout_k)`` with random upstream
    gradients ``dout_k``, so ``dL/d(arg)`` is exactly what ``backward`` must return.

    Parameters
    ----------
    forward : callable
        ``forward(*args) -> (*outs, cache)``, e.g. ``lstm_step_forward`` which
        returns ``(h_next, c_next, cache)``.
    backward : callable
        ``backward(*douts, cache) -> gradients``, one per float array in ``args``,
        in order (a single array is accepted when there is one).
    args : sequence
        The inputs of ``forward``. Float arrays are checked; anything else (an
        integer index array, a setting) is passed through unchanged.
    names : sequence of str, optional
        Names of the checked float arrays; default: ``forward``'s parameter names.
    h : float
        Finite-difference step.
    rng : numpy.random.Generator or int, optional
        Source of the upstream gradients (default: seed 0).

    Returns
    -------
    dict
        ``{"d" + name: worst relative error}`` (see :func:`rel_error`), in argument order.

    Raises
    ------
    ValueError
        If ``backward`` returns the wrong number of gradients or a wrong shape.
    AssertionError
        If ``forward`` or ``backward`` changed an argument in place (restored first).
    """
    for name, fn in (("forward", forward), ("backward", backward)):
        if not callable(fn):
            raise ValueError(f"{name} must be a function, got {type(fn).__name__}")
    if not isinstance(args, tuple | list):
        raise ValueError(f"args must be a tuple of forward's inputs, got {type(args).__name__}")
    args = list(args)
    h = check_number("h", h, 0, open_low=True)
    rng = check_rng("rng", 0 if rng is None else rng)
    checked = [k for k, a in enumerate(args) if _is_float_array(a)]
    names = _arg_names(forward, len(args), checked) if names is None else list(names)
    if len(names) != len(checked):
        raise ValueError(f"got {len(names)} names for {len(checked)} float array arguments")
    saved = [args[k].copy() for k in checked]

    *outs, cache = forward(*args)
    douts = [rng.standard_normal(np.shape(o)).astype(np.result_type(o)) for o in outs]
    grads = backward(*douts, cache)
    grads = [grads] if isinstance(grads, np.ndarray) else list(grads)
    if len(grads) == len(args) != len(checked):
        grads = [grads[k] for k in checked]  # backward returned one per argument
    if len(grads) != len(checked):
        raise ValueError(
            f"backward returned {len(grads)} gradients for {len(checked)} float array arguments"
        )
    _check_unchanged(args, checked, saved, names)

    def scalar_outputs():
        *outs, _ = forward(*args)
        return np.concatenate([np.ravel(o) for o in outs])

    flat_douts = np.concatenate([np.ravel(d) for d in douts])
    errors = {}
    for name, k, grad in zip(names, checked, grads, strict=True):
        if np.shape(grad) != args[k].shape:
            raise ValueError(
                f"d{name} must have the shape of {name}, {args[k].shape}, got {np.shape(grad)}"
            )
        num = numerical_gradient(scalar_outputs, args[k], flat_douts, h=h)
        errors[f"d{name}"] = rel_error(grad, num)
    _check_unchanged(args, checked, saved, names)
    return errors


def format_report(errors, tol):
    """The lines of :func:`report` as one string (no printing).

    ``tol`` is one float for all, or a dict ``{name: tol}``.
    """
    if not isinstance(errors, dict):
        got = type(errors).__name__
        raise ValueError(f"errors must be a dict {{name: relative error}}, got {got}")
    for name, err in errors.items():  # NaN is allowed: it prints, and FAILs
        if not isinstance(err, Real) or isinstance(err, bool):
            raise ValueError(f"errors[{name!r}] must be a number, got {type(err).__name__}")
    if not isinstance(tol, dict):
        check_number("tol", tol, 0, open_low=True)
    elif set(tol) != set(errors):
        raise ValueError(f"tol must have the keys of errors, {sorted(errors)}, got {sorted(tol)}")
    width = max((len(name) for name in errors), default=0)
    lines = []
    for name, err in errors.items():
        t = tol[name] if isinstance(tol, dict) else tol
        verdict = "PASS" if err < t else "FAIL"  # NaN fails too
        lines.append(f"{name:<{width}}   rel. error {err:.1e}  (tol {t:.0e}) {verdict}")
    return "\n".join(lines)


def report(errors, tol, *, file=None):
    """Print one line per gradient: ``dWh   rel. error 3.2e-10  (tol 1e-07) PASS``.

    Parameters
    ----------
    errors : dict
        ``{name: relative error}``, as returned by :func:`check_backward`.
    tol : float or dict
        The tolerance, one for all or ``{name: tol}``. An error passes if it is below.
    file : file-like, optional
        Where to print (default ``sys.stdout``).

    Returns
    -------
    None
        Nothing, so that a notebook cell ending with ``report(...)`` shows only the
        lines. For the text use :func:`format_report`; for a verdict,
        ``all(err < tol for err in errors.values())``.
    """
    print(format_report(errors, tol), file=sys.stdout if file is None else file)


def _is_float_array(a):
    return isinstance(a, np.ndarray) and np.issubdtype(a.dtype, np.floating)


def _arg_names(forward, n_args, checked):
    try:
        params = list(inspect.signature(forward).parameters.values())
    except (TypeError, ValueError):  # some builtins have no signature
        params = []
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    all_names = positional if len(positional) >= n_args else [f"arg{k}" for k in range(n_args)]
    return [all_names[k] for k in checked]


def _check_unchanged(args, checked, saved, names):
    for name, k, old in zip(names, checked, saved, strict=True):
        if not np.array_equal(args[k], old, equal_nan=True):
            args[k][...] = old
            raise AssertionError(f"{name} was modified in place by forward or backward")
