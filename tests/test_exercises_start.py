"""Every checker of notebook 00 against the solution (PASS), a wrong answer (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import exercises
from solutions import start as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


def test_setup_passes_here_and_fails_on_a_too_old_python(capsys):
    assert exercises.check_setup().status == "PASS"
    res = exercises.check_setup(min_python=(99, 0))
    assert res.status == "FAIL"
    assert "Python" in capsys.readouterr().out


def test_tanh_deriv_three_verdicts(capsys):
    assert exercises.check_tanh_deriv(sol.tanh_deriv).status == "PASS"
    # the classic slip: the derivative written in terms of the input, or of sigmoid
    assert exercises.check_tanh_deriv(lambda y: 1 - y).status == "FAIL"
    assert exercises.check_tanh_deriv(lambda y: y * (1 - y)).status == "FAIL"
    assert exercises.check_tanh_deriv(lambda y: (1 - y**2)[:3]).status == "FAIL"
    assert exercises.check_tanh_deriv(_stub).status == "not attempted"
    out = capsys.readouterr().out
    assert "PASS" in out and "FAIL" in out and "not attempted yet" in out


def test_tanh_deriv_recognised_slips_get_their_fix_at_once(capsys):
    exercises.reset_attempts()
    for _ in range(2):  # the same named fix every time, no nudge first
        exercises.check_tanh_deriv(lambda y: 1 - y)
        out = capsys.readouterr().out
        assert "square y" in out and "still stuck" not in out
    exercises.check_tanh_deriv(lambda y: 1 - np.tanh(y) ** 2)
    assert "no second tanh" in capsys.readouterr().out
    exercises.check_tanh_deriv(lambda y: y * (1 - y))  # not recognised: a nudge, then the recipe
    assert "still stuck" in capsys.readouterr().out
    exercises.check_tanh_deriv(lambda y: y * (1 - y))
    assert "return 1 - y**2" in capsys.readouterr().out


def test_tanh_deriv_that_raises_fails_without_raising(capsys):
    res = exercises.check_tanh_deriv(lambda y: y.nope)
    assert res.status == "FAIL"
    assert "AttributeError" in capsys.readouterr().out


def test_shapes():
    assert exercises.check_shapes(dict(sol.SHAPES)).status == "PASS"
    assert exercises.check_shapes(dict(sol.SHAPES, b=[16])).status == "PASS"  # a list is fine
    assert exercises.check_shapes({k: None for k in sol.SHAPES}).status == "not attempted"
    # column-vector habits: Wx transposed, the bias as a matrix
    assert exercises.check_shapes(dict(sol.SHAPES, Wx=(16, 3))).status == "FAIL"
    assert exercises.check_shapes(dict(sol.SHAPES, b=(16, 1))).status == "FAIL"
    assert exercises.check_shapes(dict(sol.SHAPES, h=(25, 4, 16))).status == "FAIL"
    assert exercises.check_shapes(dict(sol.SHAPES, h_last=16)).status == "FAIL"


@pytest.mark.parametrize(
    "steps, status",
    [
        (sol.PULSE_STEPS, "PASS"),
        (sol.PULSE_STEPS + 1, "PASS"),
        (sol.PULSE_STEPS + 3, "FAIL"),
        (5, "FAIL"),
        ("soon", "FAIL"),
        (None, "not attempted"),
    ],
)
def test_pulse_steps(steps, status):
    assert exercises.check_pulse_steps(steps).status == status


def test_pulse_answer_is_the_first_step_below_threshold():
    from rnnlib.one_unit import one_unit_rnn, pulse_input

    h = one_unit_rnn(0.9, pulse_input(40))
    t = sol.PULSE_STEPS
    assert abs(h[t - 1]) < 0.1 <= abs(h[t - 2])
