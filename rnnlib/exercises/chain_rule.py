"""Self-checks for notebook 02: central differences, an MLP backward pass, a deep tanh chain.

Every checker prints ``not attempted yet``, ``PASS`` or ``FAIL`` (with a hint),
never raises, and returns a :class:`~rnnlib.exercises._core.CheckResult`.
"""

from __future__ import annotations

import numbers

import numpy as np

from rnnlib.chain_rule import tanh_chain
from rnnlib.layers import mlp_backward, mlp_forward

from ._core import attempt, rel_error, verdict

__all__ = [
    "CHAIN_PREDICTION_SETUP",
    "SATURATION_PREDICTION_SETUP",
    "check_central_difference",
    "check_chain_prediction",
    "check_mlp_backward",
    "check_saturation_prediction",
]

#: The chain of the predict-then-run exercise: ``x_k = tanh(w x_{k-1})``.
CHAIN_PREDICTION_SETUP = {"w": 0.5, "x0": 0.1, "n": 10}
#: The chain of the vanish-or-explode exercise.
SATURATION_PREDICTION_SETUP = {"w": 3.0, "x0": 1.0, "n": 20}


def _test_function(x):
    """``f(x) = sum(sin(x) * x**2)``: smooth, with a gradient far from zero on [0.5, 1.5]."""
    return float(np.sum(np.sin(x) * x**2))


def _test_gradient(x):
    return np.cos(x) * x**2 + 2 * x * np.sin(x)


def check_central_difference(fn, tol=1e-7):
    """Check ``fn(f, x, h)``: the central-difference gradient of a scalar function ``f`` at ``x``.

    ``grad[j] = (f(x + h e_j) - f(x - h e_j)) / (2 h)`` for every entry ``j`` of ``x``.

    Parameters
    ----------
    fn : callable
        The learner's ``my_central_difference(f, x, h=1e-5)``; ``f`` takes an array
        shaped like ``x`` and returns a float; the result is shaped like ``x``.
    tol : float
        Largest relative error accepted against the exact gradient.

    Returns
    -------
    CheckResult
    """
    name = "central_difference"
    hint = ("perturb one entry at a time by +h and by -h, evaluate f at both, divide the "
            "difference by 2h, and put the entry back; a forward difference (f(x+h) - f(x)) / h "
            "is only accurate to about h")
    x = np.random.default_rng(2).uniform(0.5, 1.5, size=(2, 3))
    x_given = x.copy()
    ok, got = attempt(fn, _test_function, x_given, 1e-5)
    if not ok:
        if got is None:
            return verdict(name, "not attempted")
        return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
    if not np.array_equal(x_given, x):
        return verdict(name, "FAIL", hint="restore each entry after perturbing it",
                       detail="your function left x changed")
    got = np.asarray(got, dtype=float) if got is not None else np.array(np.nan)
    if got.shape != x.shape:
        return verdict(name, "FAIL", hint=hint,
                       detail=f"the gradient has shape {got.shape}, expected {x.shape}")
    err = rel_error(got, _test_gradient(x))
    if not np.isfinite(err):
        return verdict(name, "FAIL", hint=hint, detail="your result holds NaN or inf")
    return verdict(name, "PASS" if err <= tol else "FAIL", err, tol, hint=hint)


def _mlp_problem():
    """A seeded 2-layer tanh MLP, its cache and an upstream gradient ``dy``."""
    rng = np.random.default_rng(20)
    N, D, H, M = 4, 3, 5, 2
    params = {"W1": rng.normal(0, 0.7, (D, H)), "b1": rng.normal(0, 0.2, H),
              "W2": rng.normal(0, 0.7, (H, M)), "b2": rng.normal(0, 0.2, M)}
    x = rng.normal(size=(N, D))
    _, cache = mlp_forward(x, params, "tanh")
    dy = rng.normal(size=(N, M))
    h1 = cache.dense[1].x  # the hidden layer's output, post-activation
    dx, grads = mlp_backward(dy, cache)
    expected = (dx, grads["W1"], grads["b1"], grads["W2"], grads["b2"])
    return (dy, x, h1, params["W1"], params["W2"]), expected


def check_mlp_backward(fn, tol=1e-7):
    """Check ``fn(dy, x, h1, W1, W2) -> (dx, dW1, db1, dW2, db2)`` for a 2-layer tanh MLP.

    The network is ``a1 = x @ W1 + b1``, ``h1 = tanh(a1)``, ``y = h1 @ W2 + b2``;
    ``dy`` is ``dL/dy``. The reference is :func:`rnnlib.layers.mlp_backward`.

    Parameters
    ----------
    fn : callable
        The learner's backward pass. Shapes: ``dy (N, M)``, ``x (N, D)``,
        ``h1 (N, H)``, ``W1 (D, H)``, ``W2 (H, M)``.
    tol : float

    Returns
    -------
    CheckResult
    """
    name = "mlp_backward"
    hint = ("go from the top: dW2 = h1.T @ dy, db2 = sum of dy over the batch, dh1 = dy @ W2.T, "
            "then through tanh with da1 = dh1 * (1 - h1**2) (h1 is the OUTPUT of tanh), "
            "and dW1, db1, dx from da1")
    args, expected = _mlp_problem()
    ok, got = attempt(fn, *(a.copy() for a in args))
    if not ok:
        if got is None:
            return verdict(name, "not attempted")
        return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
    names = ("dx", "dW1", "db1", "dW2", "db2")
    if not isinstance(got, tuple | list) or len(got) != len(names):
        return verdict(name, "FAIL", hint=hint, detail="return the tuple (dx, dW1, db1, dW2, db2)")
    errors = {}
    for key, g, w in zip(names, got, expected, strict=True):
        g = np.asarray(g, dtype=float)
        if g.shape != w.shape:
            return verdict(name, "FAIL", hint=hint,
                           detail=f"{key} has shape {g.shape}, expected {w.shape}")
        errors[key] = rel_error(g, w)
    err = max(errors.values())
    if not np.isfinite(err):
        return verdict(name, "FAIL", hint=hint, detail="your result holds NaN or inf")
    if err <= tol:
        return verdict(name, "PASS", err, tol)
    wrong = ", ".join(k for k, e in errors.items() if not e <= tol)
    return verdict(name, "FAIL", err, tol, hint=hint, detail=f"wrong: {wrong}")


def _chain_answer(setup):
    _, _, grad = tanh_chain(setup["x0"], setup["w"], setup["n"])
    return float(grad[-1])


def check_chain_prediction(prediction, tol=0.05):
    """Check a predicted ``dx_10/dx_0`` for ``x_k = tanh(0.5 x_{k-1})`` with ``x_0 = 0.1``.

    Parameters
    ----------
    prediction : float or None
        The learner's number; ``None`` means not attempted.
    tol : float
        Largest relative difference accepted (a prediction, not a computation).

    Returns
    -------
    CheckResult
    """
    name = "depth-10 prediction"
    hint = ("each step multiplies the derivative by w * (1 - x_k**2); here x_k stays small, "
            "so every factor is close to w = 0.5, and there are 10 of them")
    if prediction is None:
        return verdict(name, "not attempted", detail="set my_prediction to a number")
    if isinstance(prediction, bool) or not isinstance(prediction, numbers.Real):
        return verdict(name, "FAIL", hint=hint,
                       detail=f"give a number, e.g. 0.01, got {prediction!r}")
    answer = _chain_answer(CHAIN_PREDICTION_SETUP)
    err = abs(float(prediction) - answer) / abs(answer)
    return verdict(name, "PASS" if err <= tol else "FAIL", err, tol, hint=hint)


def check_saturation_prediction(prediction):
    """Check "vanishes" or "explodes" for ``dx_20/dx_0`` of ``x_k = tanh(3 x_{k-1})``, ``x_0 = 1``.

    Parameters
    ----------
    prediction : str or None
        ``"vanishes"`` or ``"explodes"``; ``None`` means not attempted.

    Returns
    -------
    CheckResult
    """
    name = "w = 3 prediction"
    hint = ("w = 3 > 1, but look at x_k: tanh(3 x) pushes x towards its fixed point near 0.995, "
            "where tanh' = 1 - x**2 is about 0.01, so each step multiplies by about 3 * 0.01")
    if prediction is None:
        return verdict(name, "not attempted", detail='set my_answer to "vanishes" or "explodes"')
    word = str(prediction).strip().lower()
    if word.startswith("vanish"):
        said = "vanishes"
    elif word.startswith("explod"):
        said = "explodes"
    else:
        return verdict(name, "FAIL", hint=hint,
                       detail=f'answer "vanishes" or "explodes", got {prediction!r}')
    answer = "vanishes" if abs(_chain_answer(SATURATION_PREDICTION_SETUP)) < 1 else "explodes"
    return verdict(name, "PASS" if said == answer else "FAIL",
                   hint=None if said == answer else hint)
