"""Self-checks for notebook 01: one RNN step, the loop over time, two predictions."""

from __future__ import annotations

import numpy as np

from rnnlib.analysis import matrix_with_spectral_radius
from rnnlib.gradcheck import rel_error
from rnnlib.layers import rnn_param_count
from rnnlib.sequence import rnn_forward

from ._core import Hint, as_whole_number, attempt, check_outputs, verdict

__all__ = [
    "PARAM_COUNT_PROBLEM",
    "ZERO_INPUT_CHOICES",
    "check_param_count_prediction",
    "check_rnn_forward_loop",
    "check_rnn_step_forward",
    "check_zero_input_prediction",
    "zero_input_norms",
]


def _rnn_problem(N=3, T=6, D=4, H=5, seed=11):
    """Small seeded inputs and weights with every term of the equation mattering."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, T, D))
    h0 = rng.normal(scale=0.5, size=(N, H))
    Wx = rng.normal(scale=0.4, size=(D, H))
    Wh = rng.normal(scale=0.4, size=(H, H))
    b = rng.normal(scale=0.2, size=H)
    return x, h0, Wx, Wh, b


def check_rnn_step_forward(fn, tol=1e-10):
    """Check ``fn(x, h_prev, Wx, Wh, b) -> h_next``: one step of a vanilla RNN.

    ``h_next = tanh(x @ Wx + h_prev @ Wh + b)`` with ``x`` (N, D), ``h_prev`` (N, H).
    A returned ``(h_next, cache)`` pair is accepted too.

    Returns
    -------
    CheckResult
    """
    x, h0, Wx, Wh, b = _rnn_problem()
    x1 = x[:, 0]
    expected = np.tanh(x1 @ Wx + h0 @ Wh + b)
    hint = Hint(
        "compare your line with the equation h_next = tanh(x Wx + h_prev Wh + b), term by term",
        "h_next = np.tanh(x @ Wx + h_prev @ Wh + b): rows are examples, so the input "
        "comes first in each product (x @ Wx, not Wx @ x)",
    )
    mistakes = [
        (np.tanh(x1 @ Wx + h0 @ Wh), "add the bias b inside the tanh"),
        (x1 @ Wx + h0 @ Wh + b, "apply np.tanh to the sum: h_next = tanh(a)"),
        (np.tanh(x1 @ Wx + b), "the recurrent term is missing: add h_prev @ Wh"),
    ]
    return check_outputs(
        "rnn_step_forward", fn, (x1, h0, Wx, Wh, b), expected, ("h_next",), tol, hint, mistakes
    )


def check_rnn_forward_loop(fn, tol=1e-10):
    """Check ``fn(x, h0, Wx, Wh, b) -> h``: the step applied at every t, ``h`` (N, T, H).

    The reference is :func:`rnnlib.sequence.rnn_forward`.

    Returns
    -------
    CheckResult
    """
    name = "rnn_forward_loop"
    args = _rnn_problem()
    expected, _ = rnn_forward(*args)
    hint = Hint(
        "start from h_prev = h0, call your step once per time step t, and keep every new state",
        "loop t over range(T): h_prev = step(x[:, t], h_prev, ...), starting from "
        "h_prev = h0; keep every h_prev and stack them on axis 1",
    )
    ok, got = attempt(fn, *(a.copy() for a in args))
    if not ok:
        if got is None:
            return verdict(name, "not attempted")
        return verdict(name, "FAIL", hint=hint, detail=f"your code raised {got}")
    got = got[0] if isinstance(got, tuple) else got
    got = np.asarray(got)
    if got.shape == expected.shape[::2]:  # (N, H): only the last state
        return verdict(
            name,
            "FAIL",
            hint=hint,
            detail=f"you returned one state {got.shape}: return all T of them {expected.shape}",
        )
    if got.shape == expected.shape and rel_error(got[:, 1:], expected[:, :-1]) < tol:
        return verdict(
            name,
            "FAIL",
            hint=hint,
            detail="your states are one step late: h[:, t] must be the state "
            "AFTER reading x[:, t] (h0 is not part of the output)",
        )
    if got.shape != expected.shape:
        return verdict(
            name,
            "FAIL",
            hint=hint,
            detail=f"the output has shape {got.shape}, expected {expected.shape}",
        )
    err = rel_error(got, expected)
    if not np.isfinite(err):
        return verdict(name, "FAIL", hint=hint, detail="your result holds NaN or inf")
    return verdict(name, "PASS" if err <= tol else "FAIL", err, tol, hint=hint)


#: The parameter-count prediction: an RNN with D inputs per step, H hidden units
#: and ``out`` outputs, trained on sequences of T_short steps, then run on T_long.
#: Not the network of the notebook's section 1 (D = 8, H = 32, one output), whose
#: count is printed there: the learner works this one out from the formula.
PARAM_COUNT_PROBLEM = {"D": 5, "H": 20, "out": 3, "T_short": 10, "T_long": 1000}


def check_param_count_prediction(my_count):
    """Check the predicted parameter count of the RNN of :data:`PARAM_COUNT_PROBLEM` at T_long.

    Parameters
    ----------
    my_count : int, str or None
        The learner's count (``None``: not attempted).

    Returns
    -------
    CheckResult
    """
    name = "param_count_prediction"
    ok, count = as_whole_number(name, my_count)
    if not ok:
        return count
    p = PARAM_COUNT_PROBLEM
    D, H, out = p["D"], p["H"], p["out"]
    answer = rnn_param_count(D, H, out)
    if count == answer:
        result = verdict(name, "PASS")
        print(
            f"  {answer} parameters for T = {p['T_long']}, as for T = {p['T_short']} or any T: "
            "the sequence length appears nowhere in D*H + H*H + H + H*out + out"
        )
        return result
    no_T = "the same Wx, Wh, b, Wy, by serve every step: T appears in none of their shapes"
    mistakes = {
        answer * p["T_long"]: no_T,
        answer * p["T_long"] // p["T_short"]: no_T,
        answer * p["T_short"]: no_T,
        D * H + H * H + H: "you counted the recurrent layer only: add the output layer, "
        "Wy (H, out) and by (out,)",
        D * H + H * H + H * out: "you left out the biases: b has H entries and by has out",
        D * H + H * H: "you left out the biases b (H,) and by (out,) and the output weights "
        "Wy (H, out)",
    }
    hint = mistakes.get(
        count,
        Hint(
            "write down the shape of every array: Wx, Wh, b, Wy, by, and add up their sizes",
            "Wx (D, H), Wh (H, H), b (H,), Wy (H, out), by (out,): "
            "D*H + H*H + H + H*out + out, with no T anywhere",
        ),
    )
    return verdict(name, "FAIL", detail=f"you predicted {my_count}", hint=hint)


#: Allowed answers of the zero-input prediction.
ZERO_INPUT_CHOICES = ("grows", "stays", "shrinks")


def zero_input_norms(T=60, H=16, radius=0.5, seed=0):
    """``||h_t||`` (mean over a batch) of an RNN fed zeros, with ``b = 0`` and ``rho(Wh) = radius``.

    Returns
    -------
    numpy.ndarray, shape (T + 1,)
        ``||h_0||, ..., ||h_T||``; ``h_0`` has norm 1 in every row.
    """
    rng = np.random.default_rng(seed)
    N, D = 8, 3
    h0 = rng.normal(size=(N, H))
    h0 /= np.linalg.norm(h0, axis=1, keepdims=True)
    Wx = rng.normal(size=(D, H))
    Wh = matrix_with_spectral_radius(H, radius, rng)
    h, _ = rnn_forward(np.zeros((N, T, D)), h0, Wx, Wh, np.zeros(H))
    norms = np.linalg.norm(h, axis=2).mean(axis=0)
    return np.concatenate(([1.0], norms))


def check_zero_input_prediction(my_prediction, radius=0.5):
    """Check a prediction of what ``h_t`` does when the input and bias are zero.

    Parameters
    ----------
    my_prediction : str or None
        One of :data:`ZERO_INPUT_CHOICES`.
    radius : float
        Spectral radius of ``Wh`` in the experiment.

    Returns
    -------
    CheckResult
    """
    name = "zero_input_prediction"
    if my_prediction is None:
        return verdict(name, "not attempted", detail="replace None with your answer")
    guess = str(my_prediction).strip().lower()
    if guess not in ZERO_INPUT_CHOICES:
        return verdict(
            name, "FAIL", detail=f"answer one of {ZERO_INPUT_CHOICES}, got {my_prediction!r}"
        )
    norms = zero_input_norms(radius=radius)
    below = int(np.argmax(norms < 1e-3))
    if guess == "shrinks":
        result = verdict(name, "PASS")
        print(
            f"  ||h_t|| fell from 1 to below 0.001 by step {below}: with no input, every "
            f"step multiplies by Wh (spectral radius {radius}) and tanh can only shrink"
        )
        return result
    return verdict(
        name,
        "FAIL",
        detail=f"you predicted {guess!r}",
        hint="with x_t = 0 and b = 0, h_t = tanh(h_{t-1} @ Wh), and |tanh(a)| <= |a|. "
        "A spectral radius below 1 means that Wh multiplied by itself k times goes to 0 as "
        "k grows (one product may still stretch a vector; many cannot)",
    )
