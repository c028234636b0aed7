"""Every checker of notebook 05 against the solution (PASS), wrong answers (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import cells, exercises, gradcheck
from rnnlib.exercises import lstm as ex
from solutions import lstm as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


@pytest.fixture(autouse=True)
def _fresh_attempts():
    exercises.reset_attempts()


def test_the_gru_exercise_has_moved_to_notebook_08():
    for gone in ("check_gru_step_forward", "check_gru_step_backward"):
        assert not hasattr(ex, gone)
    assert not hasattr(ex, "_gru_forward") and not hasattr(ex, "_gru_backward")
    assert not hasattr(sol, "gru_step_forward") and not hasattr(sol, "gru_step_backward")


# ------------------------------------------------------------ the references are right


def test_lstm_solution_matches_rnnlib():
    args = ex._lstm_problem()
    h, c, _ = cells.lstm_step_forward(*args)
    mine = sol.lstm_step_forward(*args)
    assert gradcheck.rel_error(mine[0], h) < 1e-14 and gradcheck.rel_error(mine[1], c) < 1e-14


def _logit(q):
    """The pre-activation whose sigmoid is q (0 and 1 become saturating +-800)."""
    if q in (0.0, 1.0):
        return 800.0 if q == 1.0 else -800.0
    return float(np.log(q / (1 - q)))


def test_cell_state_answer_by_the_cell_itself():
    # the table's three steps through rnnlib's cell, with biases chosen to give the
    # table's gate values (and zero weights, so the biases are the pre-activations)
    p = ex.CELL_STATE_PROBLEM
    c, h = np.array([[p["c0"]]]), np.zeros((1, 1))
    for f, i, g in p["steps"]:
        b = np.array([_logit(i), _logit(f), np.arctanh(g), 0.0])
        h, c, _ = cells.lstm_step_forward(
            np.zeros((1, 1)), h, c, np.zeros((1, 4)), np.zeros((1, 4)), b
        )
    assert c[0, 0] == pytest.approx(sol.CELL_STATE_PREDICTION, abs=1e-12)


def test_memory_lifetime_is_the_first_step_below_one_percent():
    sig = lambda b: 1 / (1 + np.exp(-b))  # noqa: E731
    for bias, k in zip(ex.LIFETIME_BIASES, sol.MEMORY_LIFETIME, strict=True):
        assert sig(bias) ** k < 0.01 <= sig(bias) ** (k - 1)


# --------------------------------------------------------------------- the checkers


def test_lstm_step_forward_checker():
    assert exercises.check_lstm_step_forward(sol.lstm_step_forward).status == "PASS"
    # a cache after the two states is fine
    assert exercises.check_lstm_step_forward(cells.lstm_step_forward).status == "PASS"
    assert exercises.check_lstm_step_forward(_stub).status == "not attempted"


@pytest.mark.parametrize(
    "mistake, hint_word",
    [
        ({"order": "ifog"}, "order"),
        ({"no_tanh_c": True}, "squashed"),
        ({"no_i": True}, "i * g"),
    ],
)
def test_lstm_step_forward_checker_recognises_mistakes(mistake, hint_word, capsys):
    def wrong(*args):
        return ex._lstm_variant(*args, **mistake)

    assert exercises.check_lstm_step_forward(wrong).status == "FAIL"
    assert hint_word in capsys.readouterr().out


def test_lstm_step_forward_checker_reports_crashes_and_shapes(capsys):
    assert exercises.check_lstm_step_forward(lambda *a: 1 / 0).status == "FAIL"
    assert "ZeroDivisionError" in capsys.readouterr().out
    r = exercises.check_lstm_step_forward(lambda x, h, c, Wx, Wh, b: (h.T, c))
    assert r.status == "FAIL"
    assert "h_next has shape (5, 3), expected (3, 5)" in capsys.readouterr().out


def test_lstm_step_forward_none_and_wrong_order(capsys):
    assert exercises.check_lstm_step_forward(lambda *a: None).status == "FAIL"
    assert "did you forget `return`?" in capsys.readouterr().out

    def c_first(*args):
        h_next, c_next = sol.lstm_step_forward(*args)
        return c_next, h_next

    assert exercises.check_lstm_step_forward(c_first).status == "FAIL"
    out = capsys.readouterr().out
    assert "what you return as h_next (output 1) is c_next" in out
    assert "Return (h_next, c_next) in this order" in out


def test_lstm_step_forward_names_the_wrong_state_and_tiers_its_hint(capsys):
    def bad_h(*args):
        h_next, c_next = sol.lstm_step_forward(*args)
        return np.tanh(c_next), c_next  # forgot the output gate

    exercises.check_lstm_step_forward(bad_h)
    out = capsys.readouterr().out
    assert "wrong: h_next (relative error" in out and "right: c_next" in out
    assert "split it into blocks" in out and "h_next = o * tanh(c_next)" not in out
    exercises.check_lstm_step_forward(bad_h)
    assert "h_next = o * tanh(c_next)" in capsys.readouterr().out


def test_lstm_checker_does_not_let_the_learner_change_its_inputs():
    def vandal(x, h_prev, c_prev, Wx, Wh, b):
        Wx *= 0
        return sol.lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)

    assert exercises.check_lstm_step_forward(vandal).status == "FAIL"
    assert exercises.check_lstm_step_forward(sol.lstm_step_forward).status == "PASS"


def test_cell_state_checker(capsys):
    assert exercises.check_cell_state_prediction(sol.CELL_STATE_PREDICTION).status == "PASS"
    assert exercises.check_cell_state_prediction(np.float32(0.2600001)).status == "PASS"
    assert exercises.check_cell_state_prediction("0.26").status == "PASS"
    assert exercises.check_cell_state_prediction(None).status == "not attempted"
    assert "replace None with your answer" in capsys.readouterr().out
    assert exercises.check_cell_state_prediction(2.6).status == "FAIL"  # no forget gate
    assert "1997" in capsys.readouterr().out
    assert exercises.check_cell_state_prediction(1.06).status == "FAIL"  # g without i
    assert "input gate" in capsys.readouterr().out
    assert exercises.check_cell_state_prediction("big").status == "FAIL"
    assert exercises.check_cell_state_prediction([0.26, 0.5]).status == "FAIL"


def test_memory_lifetime_checker(capsys):
    assert exercises.check_memory_lifetime(sol.MEMORY_LIFETIME).status == "PASS"
    assert exercises.check_memory_lifetime(("7", "15", "37")).status == "PASS"
    assert exercises.check_memory_lifetime([7.0, 15, 37]).status == "PASS"
    assert exercises.check_memory_lifetime((7.5, 15, 37)).status == "FAIL"
    assert exercises.check_memory_lifetime(None).status == "not attempted"
    capsys.readouterr()
    assert exercises.check_memory_lifetime((6, 14, 36)).status == "FAIL"
    assert "round up" in capsys.readouterr().out
    assert exercises.check_memory_lifetime((7, 15)).status == "FAIL"
    assert exercises.check_memory_lifetime((7, 10, 20)).status == "FAIL"
    assert exercises.check_memory_lifetime("soon").status == "FAIL"
