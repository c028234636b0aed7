"""Self-checks for notebook 02: central differences, an MLP backward pass, a deep tanh chain.

Every checker prints ``not attempted yet``, ``PASS`` or ``FAIL`` (with a hint),
never raises, and returns a :class:`~rnnlib.exercises._core.CheckResult`.
"""

from __future__ import annotations

import numpy as np

from rnnlib.chain_rule import tanh_chain
from rnnlib.layers import mlp_backward, mlp_forward

from ._core import Hint, attempt, check_outputs, check_value, verdict

__all__ = [
    "CHAIN_PREDICTION_SETUP",
    "SATURATION_PREDICTION_SETUP",
    "check_central_difference",
    "check_chain_prediction",
    "check_mlp_backward",
    "check_saturation_prediction",
]

#: The chain of the predict-then-run exercise: ``h_k = tanh(w h_{k-1})``. The notebook's
#: table shows w = 0.5, 1, 2, 3 from h_0 = 1; this one is not shown before the question.
CHAIN_PREDICTION_SETUP = {"w": 0.8, "h0": 0.05, "n": 15}
#: The chain of the vanish-or-explode exercise: it starts inside the band where a step
#: amplifies (|h| < sqrt(1 - 1/w) = 0.577), grows for about 10 steps, then saturates.
SATURATION_PREDICTION_SETUP = {"w": 1.5, "h0": 0.01, "n": 30}


def _test_function(x):
    """``f(x) = sum(sin(x) * x**2)``: smooth, with a gradient far from zero on [0.5, 1.5]."""
    return float(np.sum(np.sin(x) * x**2))


def _test_gradient(x):
    return np.cos(x) * x**2 + 2 * x * np.sin(x)


def _forward_difference(f, x, h):
    """The classic mistake, a one-sided difference (for its hint)."""
    grad, f0 = np.zeros_like(x), f(x)
    for j in np.ndindex(x.shape):
        xp = x.copy()
        xp[j] += h
        grad[j] = (f(xp) - f0) / h
    return grad


def check_central_difference(fn, tol=1e-7):
    """Check ``fn(f, x, h)``: the central-difference gradient of a scalar function ``f`` at ``x``.

    ``grad[j] = (f(x + h e_j) - f(x - h e_j)) / (2 h)`` for every entry ``j`` of ``x``.

    Parameters
    ----------
    fn : callable
        The learner's ``my_central_difference(f, x, h=1e-5)``; ``f`` takes an array
        shaped like ``x`` and returns a float (call it as ``f(x)``); the result is
        shaped like ``x``.
    tol : float
        Largest relative error accepted against the exact gradient.

    Returns
    -------
    CheckResult
    """
    name = "central_difference"
    hint = Hint(
        "nudge one entry x[j] by +h and by -h, evaluate f(x) at both, and put x[j] back",
        "grad = np.zeros_like(x); for j in np.ndindex(x.shape): old = x[j]; x[j] = old + h; "
        "plus = f(x); x[j] = old - h; minus = f(x); x[j] = old; "
        "grad[j] = (plus - minus) / (2 * h); return grad",
    )
    x = np.random.default_rng(2).uniform(0.5, 1.5, size=(2, 3))
    x_given = x.copy()
    ok, got = attempt(fn, _test_function, x_given, 1e-5)
    if not ok:
        if got is None:
            return verdict(name, "not attempted")
        if got.startswith("TypeError") and "argument" in got:
            hint = (
                "f takes the array x: call f(x) (section 5's numerical_gradient calls f() "
                "because its f reads x by reference; this f does not)"
            )
        return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
    if not np.array_equal(x_given, x):
        return verdict(
            name,
            "FAIL",
            hint="restore each entry after nudging it: x[j] = old",
            detail="your function left x changed",
        )
    forward = _forward_difference(_test_function, x.copy(), 1e-5)
    mistakes = [
        (
            forward,
            "that is the forward difference (f(x + h) - f(x)) / h, accurate "
            "only to about h: evaluate f at x - h too and divide by 2h",
        )
    ]
    return check_outputs(
        name, lambda: got, (), _test_gradient(x), ("the gradient",), tol, hint, mistakes=mistakes
    )


def _mlp_problem():
    """A seeded 2-layer tanh MLP, its cache and an upstream gradient ``dy``."""
    rng = np.random.default_rng(20)
    N, D, H, M = 4, 3, 5, 2
    params = {
        "W1": rng.normal(0, 0.7, (D, H)),
        "b1": rng.normal(0, 0.2, H),
        "W2": rng.normal(0, 0.7, (H, M)),
        "b2": rng.normal(0, 0.2, M),
    }
    x = rng.normal(size=(N, D))
    _, cache = mlp_forward(x, params, "tanh")
    dy = rng.normal(size=(N, M))
    h1 = cache.dense[1].x  # the hidden layer's output, post-activation
    dx, grads = mlp_backward(dy, cache)
    expected = (dx, grads["W1"], grads["b1"], grads["W2"], grads["b2"])
    return (dy, x, h1, params["W1"], params["W2"]), expected


def _mlp_backward_with(dy, x, h1, W1, W2, deriv):
    """The backward pass with ``deriv`` in place of tanh's derivative (for hints)."""
    da1 = (dy @ W2.T) * deriv
    return da1 @ W1.T, x.T @ da1, da1.sum(axis=0), h1.T @ dy, dy.sum(axis=0)


#: The course's names of the outputs of the MLP backward exercise, in order.
MLP_GRAD_NAMES = ("dx", "dW1", "db1", "dW2", "db2")


def check_mlp_backward(fn, tol=1e-7):
    """Check ``fn(dy, x, h1, W1, W2) -> (dx, dW1, db1, dW2, db2)`` for a 2-layer tanh MLP.

    The network is ``a1 = x @ W1 + b1``, ``h1 = tanh(a1)``, ``y = h1 @ W2 + b2``;
    ``dy`` is ``dL/dy``. The reference is :func:`rnnlib.layers.mlp_backward`.

    Parameters
    ----------
    fn : callable
        The learner's backward pass. Shapes: ``dy (N, M)``, ``x (N, D)``,
        ``h1 (N, H)``, ``W1 (D, H)``, ``W2 (H, M)``; returns ``dx (N, D)``,
        ``dW1 (D, H)``, ``db1 (H,)``, ``dW2 (H, M)``, ``db2 (M,)``.
    tol : float

    Returns
    -------
    CheckResult
    """
    hint = Hint(
        "go from the top: the gradients of layer 2 first, then dh1 = dy @ W2.T, then "
        "through tanh (h1 is its OUTPUT), then layer 1",
        "dW2 = h1.T @ dy; db2 = dy.sum(axis=0); dh1 = dy @ W2.T; da1 = dh1 * (1 - h1**2); "
        "dW1 = x.T @ da1; db1 = da1.sum(axis=0); dx = da1 @ W1.T",
    )
    args, expected = _mlp_problem()
    dy, x, h1, W1, W2 = args
    mistakes = [
        (
            _mlp_backward_with(*args, 1.0),
            "dh1 must pass through tanh before layer 1: da1 = dh1 * tanh'(a1)",
        ),
        (_mlp_backward_with(*args, 1 - h1), "tanh'(a) = 1 - tanh(a)**2: square h1"),
        (
            _mlp_backward_with(*args, 1 - np.tanh(h1) ** 2),
            "h1 is already tanh(a1): tanh'(a1) = 1 - h1**2, no second tanh",
        ),
    ]
    transposed = {
        nm: f"{nm} = (the layer's input).T @ (the gradient at its output), shape {w.shape}"
        for nm, w in (("dW1", W1), ("dW2", W2))
    }
    return check_outputs(
        "mlp_backward",
        fn,
        args,
        expected,
        MLP_GRAD_NAMES,
        tol,
        hint,
        mistakes=mistakes,
        transposed_hints=transposed,
        extra_ok=False,
    )


def _chain_answer(setup):
    _, _, grad = tanh_chain(setup["h0"], setup["w"], setup["n"])
    return float(grad[-1])


def check_chain_prediction(prediction, tol=0.025):
    """Check a predicted ``dh_n/dh_0`` for the chain of :data:`CHAIN_PREDICTION_SETUP`.

    The chain is ``h_k = tanh(w h_{k-1})`` with ``w = 0.8``, ``h_0 = 0.05``, ``n = 15``.

    Parameters
    ----------
    prediction : float, str or None
        The learner's number (``"0.001"`` is read as a number); ``None`` means
        not attempted.
    tol : float
        Largest relative error ``|a - b| / (|a| + |b|)`` accepted: 0.025 lets a
        prediction about 5 % off pass (a prediction, not a computation).

    Returns
    -------
    CheckResult
    """
    w, n = CHAIN_PREDICTION_SETUP["w"], CHAIN_PREDICTION_SETUP["n"]
    hint = Hint(
        "each step multiplies the derivative by w * (1 - h_k**2): how big is h_k here?",
        f"h_k starts small and shrinks, so every factor is close to w = {w}, and there "
        f"are {n} of them: about {w}**{n}",
    )
    right = _chain_answer(CHAIN_PREDICTION_SETUP)
    count = f"count the factors: one per step, {n} steps"
    mistakes = [
        (w ** (n - 1), count),
        (w ** (n + 1), count),
        (w, f"that is one step's factor: the chain multiplies {n} of them"),
    ]
    return check_value(f"depth-{n} prediction", prediction, right, tol, hint, mistakes)


_VANISH = ("vanish", "shrink", "decay", "small", "zero")
_EXPLODE = ("explod", "grow", "blow", "large", "big", "infinit")


def check_saturation_prediction(prediction):
    """Check "vanishes" or "explodes" for the chain of :data:`SATURATION_PREDICTION_SETUP`.

    The chain is ``h_k = tanh(1.5 h_{k-1})`` from ``h_0 = 0.01``, and the question is
    about ``dh_30/dh_0``: it grows for about 10 steps, then tanh saturates and it vanishes.

    Parameters
    ----------
    prediction : str or None
        ``"vanishes"`` or ``"explodes"`` (``"vanishing"``, ``"shrinks"``,
        ``"grows"``, ... are read too); ``None`` means not attempted.

    Returns
    -------
    CheckResult
    """
    setup = SATURATION_PREDICTION_SETUP
    w, n = setup["w"], setup["n"]
    h_star = tanh_chain(1.0, w, 1000)[0][-1]  # the fixed point h* = tanh(w h*)
    name = f"depth-{n} vanish or explode"
    climb = round(float(np.log(0.5 / setup["h0"]) / np.log(w)))  # section 9's estimate
    hint = Hint(
        f"the first steps do amplify (h_0 = {setup['h0']} is inside the band |h| < "
        f"{np.sqrt(1 - 1 / w):.3f}), but does h_k stay inside it for all {n} steps?",
        f"h_k leaves the band after about log(0.5 / h_0) / log(w) = {climb} steps and "
        f"settles at the fixed point of section 9, h* = {h_star:.3f}, where each factor is "
        f"w * (1 - h*^2) = {w * (1 - h_star**2):.3f}: the last {n - climb} or so steps "
        "each multiply by that",
    )
    if prediction is None:
        return verdict(name, "not attempted", detail="replace None with your answer")
    word = str(prediction).strip().lower()
    said = (
        "vanishes"
        if word.startswith(_VANISH)
        else "explodes"
        if word.startswith(_EXPLODE)
        else None
    )
    if said is None:
        return verdict(name, "FAIL", detail=f'answer "vanishes" or "explodes", got {prediction!r}')
    answer = "vanishes" if abs(_chain_answer(setup)) < 1 else "explodes"
    if said == answer:
        return verdict(name, "PASS")
    return verdict(name, "FAIL", hint=hint)
