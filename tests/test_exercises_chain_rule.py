"""Every checker of notebook 02 against the solution (PASS), a wrong answer (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import exercises
from rnnlib.chain_rule import tanh_chain
from solutions import chain_rule as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


@pytest.fixture(autouse=True)
def _fresh_attempts():
    exercises.reset_attempts()


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


def test_forward_difference_fails_with_its_hint(capsys):
    res = exercises.check_central_difference(forward_difference)
    assert res.status == "FAIL" and res.error > 1e-7
    assert "forward difference" in capsys.readouterr().out


def test_central_difference_calling_f_without_x_is_told_f_takes_x(capsys):
    def like_the_notebook(f, x, h=1e-5):
        grad = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            x[j] += h
            plus = f()  # section 5's numerical_gradient calls f() with no argument
            x[j] -= h
            grad[j] = plus
        return grad

    assert exercises.check_central_difference(like_the_notebook).status == "FAIL"
    out = capsys.readouterr().out
    assert "TypeError" in out and "f takes the array x: call f(x)" in out


def test_central_difference_none_return(capsys):
    assert exercises.check_central_difference(lambda f, x, h=1e-5: None).status == "FAIL"
    assert "did you forget `return`?" in capsys.readouterr().out


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
    assert "wrong: dx (relative error" in out and "dW1 (relative error" in out
    assert "right: dW2, db2" in out
    assert "square h1" in out  # the mistake is recognised


def test_mlp_backward_names_a_single_wrong_gradient_and_gives_tiered_hints(capsys):
    def bad_db1(*args):
        dx, dW1, db1, dW2, db2 = sol.mlp_backward_by_hand(*args)
        return dx, dW1, db1.mean() * np.ones_like(db1), dW2, db2

    assert exercises.check_mlp_backward(bad_db1).status == "FAIL"
    out = capsys.readouterr().out
    assert "wrong: db1 (relative error" in out and "right: dx, dW1, dW2, db2" in out
    assert "go from the top" in out and "dW2 = h1.T @ dy" not in out  # the nudge first
    exercises.check_mlp_backward(bad_db1)
    assert "dW2 = h1.T @ dy" in capsys.readouterr().out  # then the recipe


def test_mlp_backward_none_and_order(capsys):
    assert exercises.check_mlp_backward(lambda *a: None).status == "FAIL"
    assert "did you forget `return`?" in capsys.readouterr().out

    def swapped(*args):
        dx, dW1, db1, dW2, db2 = sol.mlp_backward_by_hand(*args)
        return dx, dW1, db1, db2, dW2

    assert exercises.check_mlp_backward(swapped).status == "FAIL"
    assert "wrong order" in capsys.readouterr().out


def test_mlp_backward_wrong_shape_and_count_fail(capsys):
    def transposed(dy, x, h1, W1, W2):
        dx, dW1, db1, dW2, db2 = sol.mlp_backward_by_hand(dy, x, h1, W1, W2)
        return dx, dW1.T, db1, dW2, db2

    assert exercises.check_mlp_backward(transposed).status == "FAIL"
    out = capsys.readouterr().out
    assert "dW1 has shape (5, 3), expected (3, 5): it is the transpose" in out
    four = exercises.check_mlp_backward(lambda *a: sol.mlp_backward_by_hand(*a)[:4])
    assert four.status == "FAIL"


def test_mlp_backward_stub_is_not_attempted():
    assert exercises.check_mlp_backward(_stub).status == "not attempted"


# ------------------------------------------------------------------ predictions


def test_chain_prediction(capsys):
    w, n = exercises.CHAIN_PREDICTION_SETUP["w"], exercises.CHAIN_PREDICTION_SETUP["n"]
    right = sol.CHAIN_PREDICTION
    assert exercises.check_chain_prediction(right).status == "PASS"
    assert exercises.check_chain_prediction("0.035").status == "PASS"  # a string is a number
    assert exercises.check_chain_prediction(1.04 * right).status == "PASS"  # about 5 % off passes
    assert exercises.check_chain_prediction(None).status == "not attempted"
    assert "replace None with your answer" in capsys.readouterr().out
    assert exercises.check_chain_prediction(w).status == "FAIL"  # one factor, not n
    assert "one step's factor" in capsys.readouterr().out
    res = exercises.check_chain_prediction(w ** (n - 1))
    assert res.status == "FAIL" and res.error == pytest.approx(0.11, abs=0.005)  # not 1.0
    out = capsys.readouterr().out
    assert "relative error 1.1e-01" in out and f"{n} steps" in out
    assert exercises.check_chain_prediction(1.2 * right).status == "FAIL"  # 20 % off
    assert exercises.check_chain_prediction("small").status == "FAIL"


def test_chain_prediction_is_not_a_chain_the_notebook_shows():
    # notebook 02's table runs w = 0.5, 1, 2, 3 from h_0 = 1: the question must be new
    assert exercises.CHAIN_PREDICTION_SETUP["w"] not in (0.5, 1.0, 2.0, 3.0)
    assert exercises.SATURATION_PREDICTION_SETUP["w"] not in (0.5, 1.0, 2.0, 3.0)


def test_chain_prediction_answer_is_the_chain_rule_product():
    setup = exercises.CHAIN_PREDICTION_SETUP
    x = setup["h0"]
    prod = 1.0
    for _ in range(setup["n"]):
        x = np.tanh(setup["w"] * x)
        prod *= setup["w"] * (1 - x**2)
    assert prod == pytest.approx(sol.CHAIN_PREDICTION, rel=0.01)


@pytest.mark.parametrize("answer", ["vanishes", "Vanish", " vanishing ", "it shrinks"[3:]])
def test_saturation_prediction_passes(answer):
    assert exercises.check_saturation_prediction(answer).status == "PASS"


@pytest.mark.parametrize("answer", ["explodes", "grows", 3.0])
def test_saturation_prediction_fails(answer):
    assert exercises.check_saturation_prediction(answer).status == "FAIL"


def test_saturation_prediction_stub():
    assert exercises.check_saturation_prediction(None).status == "not attempted"
    assert sol.SATURATION_PREDICTION == "vanishes"


def test_saturation_prediction_grows_first_then_vanishes():
    # the chain of the question is tempting: it amplifies for a while before it vanishes
    setup = exercises.SATURATION_PREDICTION_SETUP
    _, _, grad = tanh_chain(setup["h0"], setup["w"], setup["n"])
    assert grad.max() > 10 and abs(grad[-1]) < 1e-3


def test_saturation_prediction_hints_come_in_two_tiers(capsys):
    exercises.check_saturation_prediction("explodes")
    first = capsys.readouterr().out
    exercises.check_saturation_prediction("explodes")
    second = capsys.readouterr().out
    assert "still stuck" in first and "fixed point" not in first
    assert "fixed point" in second and "0.394" in second
