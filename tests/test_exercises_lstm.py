"""Every checker of notebook 05 against the solution (PASS), wrong answers (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import cells, exercises, gradcheck
from rnnlib.exercises import lstm as ex
from solutions import lstm as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


# ------------------------------------------------------------ the references are right


def test_lstm_solution_matches_rnnlib():
    args = ex._lstm_problem()
    h, c, _ = cells.lstm_step_forward(*args)
    mine = sol.lstm_step_forward(*args)
    assert gradcheck.rel_error(mine[0], h) < 1e-14 and gradcheck.rel_error(mine[1], c) < 1e-14


def test_gru_reference_known_answers():
    x, h_prev, Wx, Wh, b = ex._gru_problem()
    # z saturated at 1 (huge bias on block z) keeps the old state exactly
    H = h_prev.shape[1]
    b_keep = b.copy()
    b_keep[H : 2 * H] = 50.0
    assert np.allclose(ex._gru_forward(x, h_prev, Wx, Wh, b_keep)[0], h_prev, atol=1e-12)
    # z at 0 and r at 0: the state is replaced by tanh(x @ Wx_n + b_n), h_prev ignored
    b_new = b.copy()
    b_new[: 2 * H] = -50.0
    want = np.tanh(x @ Wx[:, 2 * H :] + b[2 * H :])
    assert np.allclose(ex._gru_forward(x, h_prev, Wx, Wh, b_new)[0], want, atol=1e-12)


def test_gru_reference_backward_matches_finite_differences():
    x, h_prev, Wx, Wh, b = ex._gru_problem(seed=7)
    dh = np.random.default_rng(8).standard_normal(h_prev.shape)
    grads = ex._gru_backward(dh, x, h_prev, Wx, Wh, b)
    for k, arr in enumerate((x, h_prev, Wx, Wh, b)):
        num = gradcheck.numerical_gradient(lambda: ex._gru_forward(x, h_prev, Wx, Wh, b)[0],
                                           arr, dh)
        assert gradcheck.rel_error(grads[k], num) < 1e-8, k


def test_gru_solution_backward_matches_finite_differences():
    x, h_prev, Wx, Wh, b = ex._gru_problem(seed=9)
    dh = np.random.default_rng(10).standard_normal(h_prev.shape)
    grads = sol.gru_step_backward(dh, x, h_prev, Wx, Wh, b)
    for k, arr in enumerate((x, h_prev, Wx, Wh, b)):
        num = gradcheck.numerical_gradient(lambda: sol.gru_step_forward(x, h_prev, Wx, Wh, b),
                                           arr, dh)
        assert gradcheck.rel_error(grads[k], num) < 1e-8, k


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
        h, c, _ = cells.lstm_step_forward(np.zeros((1, 1)), h, c, np.zeros((1, 4)),
                                          np.zeros((1, 4)), b)
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


@pytest.mark.parametrize("mistake, hint_word", [
    ({"order": "ifog"}, "order"), ({"no_tanh_c": True}, "squashed"), ({"no_i": True}, "i * g"),
])
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


def test_lstm_checker_does_not_let_the_learner_change_its_inputs():
    def vandal(x, h_prev, c_prev, Wx, Wh, b):
        Wx *= 0
        return sol.lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)

    assert exercises.check_lstm_step_forward(vandal).status == "FAIL"
    assert exercises.check_lstm_step_forward(sol.lstm_step_forward).status == "PASS"


def test_cell_state_checker(capsys):
    assert exercises.check_cell_state_prediction(sol.CELL_STATE_PREDICTION).status == "PASS"
    assert exercises.check_cell_state_prediction(np.float32(0.2600001)).status == "PASS"
    assert exercises.check_cell_state_prediction(None).status == "not attempted"
    capsys.readouterr()
    assert exercises.check_cell_state_prediction(2.6).status == "FAIL"  # no forget gate
    assert "1997" in capsys.readouterr().out
    assert exercises.check_cell_state_prediction(1.06).status == "FAIL"  # g without i
    assert "input gate" in capsys.readouterr().out
    assert exercises.check_cell_state_prediction("big").status == "FAIL"
    assert exercises.check_cell_state_prediction([0.26, 0.5]).status == "FAIL"


def test_memory_lifetime_checker(capsys):
    assert exercises.check_memory_lifetime(sol.MEMORY_LIFETIME).status == "PASS"
    assert exercises.check_memory_lifetime(None).status == "not attempted"
    capsys.readouterr()
    assert exercises.check_memory_lifetime((6, 14, 36)).status == "FAIL"
    assert "round up" in capsys.readouterr().out
    assert exercises.check_memory_lifetime((7, 15)).status == "FAIL"
    assert exercises.check_memory_lifetime((7, 10, 20)).status == "FAIL"
    assert exercises.check_memory_lifetime("soon").status == "FAIL"


def test_gru_step_forward_checker(capsys):
    assert exercises.check_gru_step_forward(sol.gru_step_forward).status == "PASS"
    assert exercises.check_gru_step_forward(
        lambda *a: (sol.gru_step_forward(*a), "cache")).status == "PASS"
    assert exercises.check_gru_step_forward(_stub).status == "not attempted"
    for variant, word in (("swap_z", "KEEPS"), ("cho", "Cho"), ("order_zr", "r, z, n")):
        capsys.readouterr()
        r = exercises.check_gru_step_forward(lambda *a, v=variant: ex._gru_forward(*a, v)[0])
        assert r.status == "FAIL"
        assert word in capsys.readouterr().out


def test_gru_step_backward_checker(capsys):
    assert exercises.check_gru_step_backward(sol.gru_step_backward).status == "PASS"
    assert exercises.check_gru_step_backward(_stub).status == "not attempted"

    def no_direct_path(dh, x, h_prev, Wx, Wh, b):
        dx, dh_prev, dWx, dWh, db = sol.gru_step_backward(dh, x, h_prev, Wx, Wh, b)
        _, (_, z, _, _) = ex._gru_forward(x, h_prev, Wx, Wh, b)
        return dx, dh_prev - dh * z, dWx, dWh, db

    capsys.readouterr()
    assert exercises.check_gru_step_backward(no_direct_path).status == "FAIL"
    assert "directly" in capsys.readouterr().out

    def wrong_db(*args):
        dx, dh_prev, dWx, dWh, db = sol.gru_step_backward(*args)
        return dx, dh_prev, dWx, dWh, 2 * db

    assert exercises.check_gru_step_backward(wrong_db).status == "FAIL"
