"""Every checker of notebook 03 against the solution (PASS), wrong answers (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import cells, exercises, gradcheck, sequence
from rnnlib.activations import sigmoid
from rnnlib.exercises import bptt as ex
from solutions import bptt as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


@pytest.fixture(autouse=True)
def _fresh_attempts():
    exercises.reset_attempts()


# ------------------------------------------------------------ the references are right


def test_sigmoid_step_reference_matches_finite_differences():
    rng = np.random.default_rng(0)
    x, h_prev = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    Wx, Wh, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 4)), rng.standard_normal(4)

    def forward(x, h_prev, Wx, Wh, b):
        h_next = sigmoid(x @ Wx + h_prev @ Wh + b)
        return h_next, cells.RNNStepCache(x, h_prev, h_next, Wx, Wh)

    errors = gradcheck.check_backward(forward, sol.sigmoid_step_backward, (x, h_prev, Wx, Wh, b))
    assert max(errors.values()) < 1e-7, errors


def test_rnn_backward_reference_matches_rnnlib():
    dh, x, h0, h, Wx, Wh = ex._sequence_problem()
    cache = sequence.RNNCache(x, h0, h, Wx, Wh)  # what rnn_forward would have stored
    for mine, lib in zip(
        sol.rnn_backward(dh, x, h0, h, Wx, Wh), sequence.rnn_backward(dh, cache), strict=True
    ):
        assert gradcheck.rel_error(mine, lib) < 1e-12
    for mine, ref in zip(
        sol.rnn_backward(dh, x, h0, h, Wx, Wh),
        ex._rnn_backward_variant(dh, x, h0, h, Wx, Wh),
        strict=True,
    ):
        assert gradcheck.rel_error(mine, ref) < 1e-12


def test_dL_dh1_reference_matches_finite_differences():
    p = ex.tiny_rnn_T3()
    h1 = np.array(p.h[0])

    def loss():
        h, L = h1, (h1 - p.y[0]) ** 2 / 2
        for x_t, y_t in zip(p.x[1:], p.y[1:], strict=True):
            h = np.tanh(p.wx * x_t + p.wh * h + p.b)
            L = L + (h - y_t) ** 2 / 2
        return L

    num = gradcheck.numerical_gradient(loss, h1, np.float64(1.0))
    assert abs(num - sol.dL_dh1(p)) < 1e-8


# ----------------------------------------------------------------- exercise 1


def test_sigmoid_step_solution_passes(capsys):
    res = exercises.check_sigmoid_step_backward(sol.sigmoid_step_backward)
    assert res.status == "PASS" and res.error < 1e-12
    assert "PASS" in capsys.readouterr().out


def test_sigmoid_step_with_tanh_derivative_fails_with_hint(capsys):
    res = exercises.check_sigmoid_step_backward(cells.rnn_step_backward)
    assert res.status == "FAIL"
    assert "derivative of tanh" in capsys.readouterr().out


def test_sigmoid_step_wrong_shape_fails(capsys):
    def transposed(dh_next, cache):
        dx, dh_prev, dWx, dWh, db = sol.sigmoid_step_backward(dh_next, cache)
        return dx, dh_prev, dWx.T, dWh, db

    assert exercises.check_sigmoid_step_backward(transposed).status == "FAIL"
    assert "dWx has shape (5, 4), expected (4, 5): it is the transpose" in capsys.readouterr().out


def test_sigmoid_step_transposed_square_dWh_is_caught_and_hinted(capsys):
    def transposed(dh_next, cache):
        x, h_prev, h_next, Wx, Wh = cache
        da = dh_next * h_next * (1 - h_next)
        return da @ Wx.T, da @ Wh.T, x.T @ da, da.T @ h_prev, da.sum(axis=0)

    assert exercises.check_sigmoid_step_backward(transposed).status == "FAIL"
    out = capsys.readouterr().out
    assert "wrong: dWh (relative error" in out and "right: dx, dh_prev, dWx, db" in out
    assert "dWh is the transpose of the right answer" in out
    assert "h_prev.T @ da" in out and "activation" not in out


def test_sigmoid_step_none_and_order(capsys):
    assert exercises.check_sigmoid_step_backward(lambda d, c: None).status == "FAIL"
    assert "did you forget `return`?" in capsys.readouterr().out

    def swapped(dh_next, cache):
        dx, dh_prev, dWx, dWh, db = sol.sigmoid_step_backward(dh_next, cache)
        return dx, dh_prev, dWh, dWx, db

    assert exercises.check_sigmoid_step_backward(swapped).status == "FAIL"
    out = capsys.readouterr().out
    assert "wrong order: what you return as dWx (output 3) is dWh" in out
    assert "Return (dx, dh_prev, dWx, dWh, db) in this order" in out


def test_sigmoid_step_hints_come_in_tiers(capsys):
    def wrong_db(dh_next, cache):
        dx, dh_prev, dWx, dWh, db = sol.sigmoid_step_backward(dh_next, cache)
        return dx, dh_prev, dWx, dWh, 0 * db

    exercises.check_sigmoid_step_backward(wrong_db)
    out = capsys.readouterr().out
    assert "wrong: db" in out and "only the activation changed" in out
    assert "da.sum(axis=0)" not in out
    exercises.check_sigmoid_step_backward(wrong_db)
    assert "db = da.sum(axis=0)" in capsys.readouterr().out


def test_sigmoid_step_stub_and_crash(capsys):
    assert exercises.check_sigmoid_step_backward(_stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out

    def crash(dh_next, cache):
        return cache.missing

    assert exercises.check_sigmoid_step_backward(crash).status == "FAIL"
    assert "AttributeError" in capsys.readouterr().out


# ----------------------------------------------------------------- exercise 2


def test_rnn_backward_solution_passes(capsys):
    res = exercises.check_rnn_backward(sol.rnn_backward)
    assert res.status == "PASS" and res.error < 1e-12
    assert "PASS" in capsys.readouterr().out


@pytest.mark.parametrize(
    "kw, words",
    [
        ({"drop": "carried"}, "two streams"),
        ({"drop": "output"}, "every step's own loss"),
        ({"dWh_uses_h_t": True}, "h_{t-1}"),
    ],
)
def test_rnn_backward_classic_bugs_fail_with_their_hint(capsys, kw, words):
    def buggy(dh, x, h0, h, Wx, Wh):
        return ex._rnn_backward_variant(dh, x, h0, h, Wx, Wh, **kw)

    res = exercises.check_rnn_backward(buggy)
    assert res.status == "FAIL" and res.error > 1e-3
    assert words in capsys.readouterr().out


def test_rnn_backward_names_the_wrong_gradient(capsys):
    def bad_dh0(*args):
        dx, dh0, dWx, dWh, db = sol.rnn_backward(*args)
        return dx, 0 * dh0, dWx, dWh, db

    res = exercises.check_rnn_backward(bad_dh0)
    out = capsys.readouterr().out
    assert res.status == "FAIL" and "wrong: dh0 (relative error 1.0e+00)" in out
    assert "right: dx, dWx, dWh, db" in out

    def bad_dWh(*args):
        dx, dh0, dWx, dWh, db = sol.rnn_backward(*args)
        return dx, dh0, dWx, 1.1 * dWh, db

    exercises.check_rnn_backward(bad_dWh)
    out = capsys.readouterr().out
    assert "wrong: dWh (relative error 4.8e-02); right: dx, dh0, dWx, db" in out


def test_rnn_backward_none_order_and_tiers(capsys):
    assert exercises.check_rnn_backward(lambda *a: None).status == "FAIL"
    assert "did you forget `return`?" in capsys.readouterr().out

    def swapped(*args):
        dx, dh0, dWx, dWh, db = sol.rnn_backward(*args)
        return dx, dh0, dWh, dWx, db

    assert exercises.check_rnn_backward(swapped).status == "FAIL"
    out = capsys.readouterr().out
    assert "shape of dWh" in out or "wrong order" in out
    exercises.reset_attempts()

    def bad_db(*args):
        dx, dh0, dWx, dWh, db = sol.rnn_backward(*args)
        return dx, dh0, dWx, dWh, 2 * db

    exercises.check_rnn_backward(bad_db)
    assert "reversed(range(T))" in capsys.readouterr().out.split("hint:")[1][:60]
    exercises.check_rnn_backward(bad_db)
    assert "dh_total = dh[:, t] + carried" in capsys.readouterr().out


def test_rnn_backward_stub_is_not_attempted(capsys):
    assert exercises.check_rnn_backward(_stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


# ----------------------------------------------------------------- exercise 3


def test_mystery_function_is_exact_only_for_a_loss_at_the_last_step():
    dh, x, h0, h, Wx, Wh = ex._sequence_problem()
    right = sol.rnn_backward
    last, first = np.zeros_like(dh), np.zeros_like(dh)
    last[:, -1], first[:, 0] = dh[:, -1], dh[:, 0]
    for a, b in zip(
        ex.mystery_rnn_backward(last, x, h0, h, Wx, Wh), right(last, x, h0, h, Wx, Wh), strict=True
    ):
        assert gradcheck.rel_error(a, b) < 1e-12
    dWh_mystery = ex.mystery_rnn_backward(first, x, h0, h, Wx, Wh)[3]
    assert np.all(dWh_mystery == 0)
    assert gradcheck.rel_error(dWh_mystery, right(first, x, h0, h, Wx, Wh)[3]) == 1.0


@pytest.mark.parametrize(
    "answer",
    [
        sol.MISSING_STREAM,
        " Output ",
        "immediate",
        "the output stream",
        "the immediate gradient",
        "Immediate.",
        "dh[:, t]",
    ],
)
def test_missing_stream_accepts_the_course_names(answer, capsys):
    assert exercises.check_missing_stream(answer).status == "PASS"
    assert "immediate gradient" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer", ["carried", "the carried stream", "from step t+1", "the carried gradient"]
)
def test_missing_stream_carried_fails_with_hint(answer, capsys):
    assert exercises.check_missing_stream(answer).status == "FAIL"
    assert "FIRST step" in capsys.readouterr().out


def test_missing_stream_other_answers(capsys):
    assert exercises.check_missing_stream("both").status == "FAIL"
    assert "answer 'immediate' (the output stream) or 'carried'" in capsys.readouterr().out
    assert exercises.check_missing_stream(None).status == "not attempted"
    out = capsys.readouterr().out
    assert "replace None with your answer" in out and "NotImplementedError" not in out


# ----------------------------------------------------------------- exercise 4


def test_dL_dh1_solution_passes_also_from_rounded_values(capsys):
    p = exercises.tiny_rnn_T3()
    assert exercises.check_dL_dh1(sol.dL_dh1(p)).status == "PASS"
    rounded = p._replace(h=tuple(round(v, 4) for v in p.h))
    assert exercises.check_dL_dh1(sol.dL_dh1(rounded)).status == "PASS"
    assert exercises.check_dL_dh1(np.array([sol.dL_dh1(p)])).status == "PASS"
    assert "PASS" in capsys.readouterr().out


def test_dL_dh1_immediate_only_fails_with_hint(capsys):
    p = exercises.tiny_rnn_T3()
    res = exercises.check_dL_dh1(p.h[0] - p.y[0])
    assert res.status == "FAIL"
    assert "only the immediate" in capsys.readouterr().out


def test_dL_dh1_wrong_index_fails_with_hint(capsys):
    p = exercises.tiny_rnn_T3()
    e = [h - y for h, y in zip(p.h, p.y, strict=True)]
    # the tanh' factors taken one step too early: (1 - h_{s-1}**2) instead of (1 - h_s**2)
    wrong = (
        e[0]
        + e[1] * (1 - p.h[0] ** 2) * p.wh
        + e[2] * (1 - p.h[1] ** 2) * p.wh * (1 - p.h[0] ** 2) * p.wh
    )
    assert exercises.check_dL_dh1(wrong).status == "FAIL"
    assert "OUTPUT h_s" in capsys.readouterr().out


def test_dL_dh1_not_attempted_and_nonsense(capsys):
    assert exercises.check_dL_dh1(None).status == "not attempted"
    out = capsys.readouterr().out
    assert "replace None with your answer" in out and "NotImplementedError" not in out
    assert exercises.check_dL_dh1(f"{sol.dL_dh1(exercises.tiny_rnn_T3()):.4f}").status == "PASS"
    assert exercises.check_dL_dh1("half").status == "FAIL"
    assert exercises.check_dL_dh1(np.ones(3)).status == "FAIL"
    assert "one number" in capsys.readouterr().out
