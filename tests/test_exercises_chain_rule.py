"""Every checker of notebook 02 against the solution (PASS), a wrong answer (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import exercises
from solutions import chain_rule as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


# ------------------------------------------------------------- central difference


def forward_difference(f, x, h=1e-5):
    """The classic mistake: a one-sided difference, accurate only to O(h)."""
    grad = np.zeros_like(x)
    f0 = f(x)
    for j in np.ndindex(x.shape):
        old = x[j].copy()
        x[j] = old + h
        grad[j] = (f(x) - f0) / h
        x[j] = old
    return grad


def no_restore(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for j in np.ndindex(x.shape):
        x[j] += h
        plus = f(x)
        x[j] -= 2 * h
        grad[j] = (plus - f(x)) / (2 * h)
    return grad


def test_central_difference_solution_passes(capsys):
    res = exercises.check_central_difference(sol.central_difference)
    assert res.status == "PASS" and res.error < 1e-9
    assert "PASS" in capsys.readouterr().out


def test_forward_difference_fails():
    res = exercises.check_central_difference(forward_difference)
    assert res.status == "FAIL" and res.error > 1e-7


def test_central_difference_that_moves_x_fails(capsys):
    res = exercises.check_central_difference(no_restore)
    assert res.status == "FAIL"
    assert "x changed" in capsys.readouterr().out


def test_central_difference_stub_is_not_attempted(capsys):
    assert exercises.check_central_difference(_stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


def test_central_difference_crash_is_a_fail(capsys):
    def crash(f, x, h=1e-5):
        return f(x, h)  # TypeError
    assert exercises.check_central_difference(crash).status == "FAIL"
    assert "TypeError" in capsys.readouterr().out


# ------------------------------------------------------------------ mlp backward


def backward_with_wrong_tanh(dy, x, h1, W1, W2):
    """Uses 1 - h1 instead of 1 - h1**2: only the first layer's gradients go wrong."""
    dW2 = h1.T @ dy
    db2 = dy.sum(axis=0)
    da1 = (dy @ W2.T) * (1 - h1)
    return da1 @ W1.T, x.T @ da1, da1.sum(axis=0), dW2, db2


def test_mlp_backward_solution_passes():
    res = exercises.check_mlp_backward(sol.mlp_backward_by_hand)
    assert res.status == "PASS" and res.error < 1e-12


def test_mlp_backward_wrong_derivative_fails_and_names_the_gradients(capsys):
    res = exercises.check_mlp_backward(backward_with_wrong_tanh)
    assert res.status == "FAIL"
    out = capsys.readouterr().out
    assert "dW1" in out and "dW2" not in out.split("wrong:")[1].split("\n")[0]


def test_mlp_backward_wrong_shape_and_count_fail(capsys):
    def transposed(dy, x, h1, W1, W2):
        dx, dW1, db1, dW2, db2 = sol.mlp_backward_by_hand(dy, x, h1, W1, W2)
        return dx, dW1.T, db1, dW2, db2
    assert exercises.check_mlp_backward(transposed).status == "FAIL"
    assert "shape" in capsys.readouterr().out
    four = exercises.check_mlp_backward(lambda *a: sol.mlp_backward_by_hand(*a)[:4])
    assert four.status == "FAIL"


def test_mlp_backward_stub_is_not_attempted():
    assert exercises.check_mlp_backward(_stub).status == "not attempted"


# ------------------------------------------------------------------ predictions


def test_chain_prediction():
    assert exercises.check_chain_prediction(sol.CHAIN_PREDICTION).status == "PASS"
    assert exercises.check_chain_prediction(None).status == "not attempted"
    assert exercises.check_chain_prediction(0.5).status == "FAIL"  # one factor, not ten
    assert exercises.check_chain_prediction(0.5**9).status == "FAIL"
    assert exercises.check_chain_prediction("small").status == "FAIL"


def test_chain_prediction_answer_is_the_chain_rule_product():
    setup = exercises.CHAIN_PREDICTION_SETUP
    x = setup["x0"]
    prod = 1.0
    for _ in range(setup["n"]):
        x = np.tanh(setup["w"] * x)
        prod *= setup["w"] * (1 - x**2)
    assert prod == pytest.approx(sol.CHAIN_PREDICTION, rel=0.01)


@pytest.mark.parametrize("answer", ["vanishes", "Vanish", " vanishing "])
def test_saturation_prediction_passes(answer):
    assert exercises.check_saturation_prediction(answer).status == "PASS"


@pytest.mark.parametrize("answer", ["explodes", "grows", 3.0])
def test_saturation_prediction_fails(answer):
    assert exercises.check_saturation_prediction(answer).status == "FAIL"


def test_saturation_prediction_stub():
    assert exercises.check_saturation_prediction(None).status == "not attempted"
    assert sol.SATURATION_PREDICTION == "vanishes"
