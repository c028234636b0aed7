"""Self-checks for notebook 04: the Pascanu bound, gamma of the sigmoid, clipping, predictions.

Every checker prints ``not attempted yet``, ``PASS`` or ``FAIL`` (with a hint),
never raises, and returns a :class:`~rnnlib.exercises._core.CheckResult`.
"""

from __future__ import annotations

import numbers

import numpy as np

from rnnlib import analysis
from rnnlib.gradcheck import rel_error
from rnnlib.gradient_flow import observed_trend

from ._core import Hint, attempt, diagnose, verdict

__all__ = [
    "GAMMA_GRID_STEP",
    "REGIME_CASES",
    "check_clip_grad_norm",
    "check_pascanu_bound",
    "check_regime_predictions",
    "check_sigmoid_gamma",
    "regime_case_log_gain",
]

#: The cases of the predict-then-run exercise. Each is a vanilla RNN
#: ``h_t = f(x_t + h_{t-1} @ Wh)`` with ``Wh = scale * Q`` (``Q`` a random orthogonal
#: 32 x 32 matrix, so ``sigma_max(Wh) = scale``), inputs ``x_t ~ input_scale * Normal(0, I)``,
#: ``h_0 = 0``, and a loss on ``h_T`` only. B and C are not the cases of the notebook's
#: section 3 (sigmoid 3 Q, tanh 2 Q with inputs 3), so the section does not answer them.
REGIME_CASES = {
    "A": dict(activation="linear", scale=1.1, input_scale=1.0, T=60),
    "B": dict(activation="sigmoid", scale=5.0, input_scale=1.0, T=60),
    "C": dict(activation="tanh", scale=1.5, input_scale=2.0, T=60),
    "D": dict(activation="tanh", scale=3.0, input_scale=0.5, T=60),
}

_ANSWERS = ("vanishes", "explodes", "neither")


def regime_case_log_gain(case, H=32, N=8, seed=0):
    """``log10(||dL/dh_1|| / ||dL/dh_T||)`` for one case of :data:`REGIME_CASES` (batch mean).

    Parameters
    ----------
    case : dict
        ``activation``, ``scale``, ``input_scale``, ``T``.
    H, N, seed : int
        Hidden size, sequences, seed of ``Q``, the inputs and ``dL/dh_T``.

    Returns
    -------
    float
    """
    rng = np.random.default_rng(seed)
    Wh = case["scale"] * analysis.orthogonal(H, rng)
    x = case["input_scale"] * rng.standard_normal((N, case["T"], H))
    logs = analysis.hidden_gradient_norms(
        x, np.zeros((N, H)), np.eye(H), Wh, np.zeros(H), case["activation"], rng=rng, log10=True
    )
    return float(logs[0])


def check_regime_predictions(predictions):
    """Check predictions "vanishes" / "explodes" / "neither" for the cases of :data:`REGIME_CASES`.

    The truth is measured: the gradient "vanishes" if ``||dL/dh_1||`` ends below 1/100
    of ``||dL/dh_T||``, "explodes" above 100 times, otherwise "neither".

    Parameters
    ----------
    predictions : dict of str -> str or None
        ``{"A": "vanishes", ...}``; all ``None`` means not attempted.

    Returns
    -------
    CheckResult
    """
    name = "regime predictions"
    hint = (
        "first compute gamma * sigma_max (sigma_max = scale here; gamma = 1/4 for sigmoid): "
        "below 1 it must vanish. Above 1 it only *may* explode: ask whether f'(a) stays "
        "near gamma along the way (small inputs) or collapses (saturated tanh)"
    )
    if not isinstance(predictions, dict):
        return verdict(
            name,
            "FAIL",
            hint=hint,
            detail=f"give a dict like {{'A': 'vanishes', ...}}, got {predictions!r}",
        )
    if all(predictions.get(k) is None for k in REGIME_CASES):
        return verdict(name, "not attempted", detail="replace the Nones with your answers")
    lines, wrong = [], 0
    for key, case in REGIME_CASES.items():
        said = predictions.get(key)
        word = str(said).strip().lower() if said is not None else ""
        said_norm = next((a for a in _ANSWERS if word.startswith(a[:5])), None)
        log_gain = regime_case_log_gain(case)
        truth, per_step = observed_trend(log_gain, case["T"] - 1)
        ok = said_norm is not None and said_norm == truth.split()[0]
        wrong += not ok
        lines.append(
            f"{key}: you said {said!r}, measured {truth} "
            f"(||dL/dh_1|| = {10.0**log_gain:.1e}, ×{per_step:.2f} per step) "
            f"{'ok' if ok else '<- no'}"
        )
    print("\n".join(lines))
    if wrong:
        return verdict(
            name,
            "FAIL",
            hint=hint,
            detail=f"{wrong} of {len(REGIME_CASES)} predictions differ from the run",
        )
    return verdict(name, "PASS")


def check_pascanu_bound(fn, tol=1e-10):
    """Check ``fn(Wh, gamma, T)``: the bound ``(gamma * sigma_max(Wh))^(T - t)`` for t = 1..T.

    Parameters
    ----------
    fn : callable
        The learner's ``my_pascanu_bound(Wh, gamma, T)`` returning an array of shape
        ``(T,)`` whose index ``t - 1`` holds the bound for step ``t`` (so the last
        entry is 1).
    tol : float

    Returns
    -------
    CheckResult
    """
    name = "pascanu_bound"
    hint = Hint(
        "sigma_max is the largest SINGULAR value of Wh; entry t - 1 has the exponent T - t",
        "sigma_max = np.linalg.svd(Wh, compute_uv=False)[0] (not the largest "
        "eigenvalue modulus, not the largest entry); return (gamma * sigma_max) ** "
        "(T - np.arange(1, T + 1)), exponents T-1, T-2, ..., 0",
    )
    rng = np.random.default_rng(4)
    # Non-symmetric matrices: their spectral radius differs from sigma_max.
    problems = [
        (rng.standard_normal((5, 5)) / np.sqrt(5) * 1.3, 0.25, 7),
        (rng.standard_normal((3, 3)) * 0.6, 1.0, 9),
    ]
    worst = 0.0
    for Wh, gamma, T in problems:
        ok, got = attempt(fn, Wh.copy(), gamma, T)
        if not ok:
            if got is None:
                return verdict(name, "not attempted")
            return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
        sigma_max = np.linalg.svd(Wh, compute_uv=False)[0]
        expected = (gamma * sigma_max) ** np.arange(T - 1, -1, -1.0)
        rho = np.max(np.abs(np.linalg.eigvals(Wh)))
        mistakes = [
            (
                (gamma * rho) ** np.arange(T - 1, -1, -1.0),
                "that used the spectral radius (largest |eigenvalue|): the bound needs the "
                "largest SINGULAR value, np.linalg.svd(Wh, compute_uv=False)[0]",
            ),
            (
                (gamma * sigma_max) ** np.arange(T),
                "the exponents run backwards: entry t - 1 "
                "holds (gamma * sigma_max)**(T - t), so the LAST entry is 1",
            ),
            (
                (gamma * sigma_max) ** np.arange(T, 0, -1.0),
                "off by one: the exponent at t = T is 0, so the last entry is 1",
            ),
        ]
        diag = diagnose(got, expected, ("the bound",), tol, mistakes)
        if not diag.ok:
            return verdict(
                name,
                "FAIL",
                diag.error,
                tol,
                hint=diag.hint or hint,
                detail=f"with T = {T}: {diag.detail}",
            )
        worst = max(worst, diag.error)
    return verdict(name, "PASS", worst, tol)


#: The grid step exercise 2 asks for, at most; the checker's tolerances follow from it.
GAMMA_GRID_STEP = 0.05


def check_sigmoid_gamma(fn):
    """Check ``fn() -> (gamma, a_star)``: the largest value of the sigmoid's derivative and where.

    Expected: ``gamma = 1/4`` at ``a_star = 0``, found on a grid whose step is at
    most :data:`GAMMA_GRID_STEP`. Such a grid has a point within half a step of 0,
    where ``sigma'(a) ~ 1/4 - a**2/16``, so the tolerances follow from the step:
    ``|a_star| <= GAMMA_GRID_STEP / 2``, and a relative error of gamma of at most
    1e-4 (``sigma'(GAMMA_GRID_STEP / 2)`` is off by 7.8e-5).

    Parameters
    ----------
    fn : callable
        The learner's ``my_sigmoid_gamma()``.

    Returns
    -------
    CheckResult
    """
    name = "sigmoid gamma"
    half = GAMMA_GRID_STEP / 2
    tol = 1e-4  # above the worst error a grid of that step can give, 7.8e-05 (tested)
    hint = Hint(
        f"evaluate s'(a) = s * (1 - s) with s = sigmoid(a) on a grid of step at most "
        f"{GAMMA_GRID_STEP} and take the largest value and where it is",
        "a = np.linspace(-10, 10, 2001); s = 1 / (1 + np.exp(-a)); d = s * (1 - s); "
        "k = np.argmax(d); return d[k], a[k]",
    )
    ok, got = attempt(fn)
    if not ok:
        if got is None:
            return verdict(name, "not attempted")
        return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
    if got is None:
        return verdict(
            name,
            "FAIL",
            detail="your function returned None: did you forget `return gamma, a_star`?",
        )
    try:
        gamma, a_star = (float(np.asarray(v).item()) for v in got)
    except (TypeError, ValueError):
        return verdict(
            name, "FAIL", hint=hint, detail=f"return two numbers (gamma, a_star), got {got!r}"
        )
    if abs(gamma) <= half and rel_error(a_star, 0.25) <= tol:
        return verdict(
            name,
            "FAIL",
            detail="outputs in the wrong order: return (gamma, a_star), "
            "the largest value first, then where it is",
        )
    err = rel_error(gamma, 0.25)
    if not np.isfinite(err):
        return verdict(name, "FAIL", hint=hint, detail="your gamma is NaN or inf")
    if err > tol:
        return verdict(
            name,
            "FAIL",
            err,
            tol,
            hint=hint,
            detail=f"gamma = {gamma:.6f}; a finer grid, or one through a = 0?",
        )
    if abs(a_star) > half:
        return verdict(
            name,
            "FAIL",
            hint=hint,
            detail=f"gamma is right but the maximum is not at a = {a_star:g}",
        )
    return verdict(name, "PASS", err, tol)


def _clip_problems():
    """Two gradient dicts: one far above the threshold, one below it."""
    rng = np.random.default_rng(7)
    big = {
        "Wx": rng.standard_normal((3, 4)) * 2.0,
        "Wh": rng.standard_normal((4, 4)) * 3.0,
        "b": rng.standard_normal(4),
    }
    small = {k: v * 0.01 for k, v in big.items()}
    return [(big, 1.0), (small, 1.0)]


def check_clip_grad_norm(fn, tol=1e-10):
    """Check ``fn(grads, max_norm)``: clipping by global norm, in place, returning the norm before.

    If ``||g|| >= max_norm`` with ``||g||`` the norm of all arrays taken together,
    every array is multiplied by ``max_norm / ||g||``; otherwise nothing changes.

    Parameters
    ----------
    fn : callable
        The learner's ``my_clip_grad_norm(grads, max_norm)``; ``grads`` is a dict of
        arrays, scaled in place.
    tol : float

    Returns
    -------
    CheckResult
    """
    name = "clip_grad_norm"
    hint = Hint(
        "one norm for ALL the arrays together, and one factor max_norm / norm for all "
        "of them, applied in place and only when norm >= max_norm",
        "norm = sqrt(sum of every squared entry of every array); if norm >= max_norm: "
        "for g in grads.values(): g *= max_norm / norm (in place: `g = g * s` makes a "
        "new array and leaves the dict unchanged); return norm",
    )
    worst = 0.0
    for grads, max_norm in _clip_problems():
        given = {k: v.copy() for k, v in grads.items()}
        ok, got = attempt(fn, given, max_norm)
        if not ok:
            if got is None:
                return verdict(name, "not attempted")
            return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
        norm = np.sqrt(sum(np.sum(v**2) for v in grads.values()))
        scale = min(1.0, max_norm / norm)
        case = "a gradient above max_norm" if scale < 1 else "a gradient below max_norm"
        if got is None:
            return verdict(
                name,
                "FAIL",
                detail="your function returned None: did you forget "
                "`return norm` (the norm before clipping)?",
            )
        if isinstance(got, dict) or not isinstance(got, numbers.Real | np.floating):
            return verdict(
                name,
                "FAIL",
                hint=hint,
                detail=f"return the norm before clipping (a number), got {type(got)}",
            )
        names = ("the returned norm",) + tuple(f"grads[{k!r}]" for k in grads)
        diag = diagnose(
            (float(got),) + tuple(given[k] for k in grads),
            (norm,) + tuple(v * scale for v in grads.values()),
            names,
            tol,
        )
        if not diag.ok:
            return verdict(
                name, "FAIL", diag.error, tol, hint=hint, detail=f"with {case}: {diag.detail}"
            )
        worst = max(worst, diag.error)
    return verdict(name, "PASS", worst, tol)
