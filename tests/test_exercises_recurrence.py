"""Every checker of notebook 01 against the solution (PASS), a wrong answer (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import exercises
from solutions import recurrence as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


def test_rnn_step_forward(capsys):
    assert exercises.check_rnn_step_forward(sol.rnn_step_forward).status == "PASS"
    # a cell that returns (h_next, cache), like rnnlib.cells, is accepted
    from rnnlib.cells import rnn_step_forward

    assert exercises.check_rnn_step_forward(rnn_step_forward).status == "PASS"
    assert exercises.check_rnn_step_forward(_stub).status == "not attempted"
    capsys.readouterr()


@pytest.mark.parametrize(
    "wrong",
    [
        lambda x, h, Wx, Wh, b: x @ Wx + h @ Wh + b,  # no tanh
        lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + b),  # no recurrence
        lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh.T + b),  # column-vector habit
        lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh),  # no bias
    ],
)
def test_rnn_step_forward_wrong_answers_fail(wrong):
    assert exercises.check_rnn_step_forward(wrong).status == "FAIL"


def test_rnn_step_forward_recognised_slip_gets_its_fix_at_once(capsys):
    exercises.reset_attempts()
    exercises.check_rnn_step_forward(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh))
    out = capsys.readouterr().out
    assert "add the bias b" in out and "still stuck" not in out


def test_rnn_forward_loop(capsys):
    assert exercises.check_rnn_forward_loop(sol.rnn_forward_loop).status == "PASS"
    assert exercises.check_rnn_forward_loop(_stub).status == "not attempted"
    capsys.readouterr()


def _only_last(*args):
    return sol.rnn_forward_loop(*args)[:, -1]


def _one_step_late(x, h0, Wx, Wh, b):
    h = sol.rnn_forward_loop(x, h0, Wx, Wh, b)
    return np.concatenate([h0[:, None], h[:, :-1]], axis=1)


def _h0_every_step(x, h0, Wx, Wh, b):
    return np.stack(
        [sol.rnn_step_forward(x[:, t], h0, Wx, Wh, b) for t in range(x.shape[1])], axis=1
    )


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_only_last, "one state"),
        (_one_step_late, "one step late"),
        (_h0_every_step, "relative error"),
    ],
)
def test_rnn_forward_loop_wrong_answers_fail_with_a_pointed_message(wrong, words, capsys):
    assert exercises.check_rnn_forward_loop(wrong).status == "FAIL"
    assert words in capsys.readouterr().out


def test_param_count_prediction(capsys):
    exercises.reset_attempts()
    p = exercises.PARAM_COUNT_PROBLEM
    assert sol.PARAM_COUNT_T1000 == 583
    assert sol.PARAM_COUNT_T1000 != 1345  # section 1's network, printed above the question
    assert exercises.check_param_count_prediction(sol.PARAM_COUNT_T1000).status == "PASS"
    # the window-MLP intuition: parameters grow with the length
    grown = sol.PARAM_COUNT_T1000 * p["T_long"] // p["T_short"]
    assert exercises.check_param_count_prediction(grown).status == "FAIL"
    assert "T appears in none" in capsys.readouterr().out
    no_output_layer = p["D"] * p["H"] + p["H"] ** 2 + p["H"]
    assert exercises.check_param_count_prediction(no_output_layer).status == "FAIL"
    assert "output layer" in capsys.readouterr().out
    exercises.check_param_count_prediction(7)  # unrecognised: a nudge, then the recipe
    assert "still stuck" in capsys.readouterr().out
    exercises.check_param_count_prediction(7)
    assert "D*H + H*H + H + H*out + out" in capsys.readouterr().out
    assert exercises.check_param_count_prediction("many").status == "FAIL"
    assert exercises.check_param_count_prediction(None).status == "not attempted"


@pytest.mark.parametrize(
    "guess, status",
    [
        (sol.ZERO_INPUT_PREDICTION, "PASS"),
        ("Shrinks ", "PASS"),
        ("grows", "FAIL"),
        ("stays", "FAIL"),
        ("vanishes?", "FAIL"),
        (None, "not attempted"),
    ],
)
def test_zero_input_prediction(guess, status):
    assert exercises.check_zero_input_prediction(guess).status == status


def test_zero_input_really_shrinks():
    norms = exercises.zero_input_norms()
    assert norms[0] == 1.0 and norms[-1] < 1e-6
    assert np.all(np.diff(norms[:20]) < 0) and np.all(np.diff(norms) <= 0)
