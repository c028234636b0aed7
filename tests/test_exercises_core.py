"""The checker machinery of rnnlib.exercises._core: outputs by name, tiers, one relative error."""

import numpy as np
import pytest

from rnnlib import exercises, gradcheck
from rnnlib.exercises import _core

NAMES = ("dx", "dW", "db")


@pytest.fixture(autouse=True)
def _fresh_attempts():
    exercises.reset_attempts()
    yield
    exercises.reset_attempts()


def _problem():
    rng = np.random.default_rng(0)
    return rng.standard_normal((3, 4)), rng.standard_normal((4, 5)), rng.standard_normal(5)


def _check(fn, **kw):
    expected = _problem()
    return exercises.check_outputs(
        "demo", fn, (), expected, NAMES, 1e-7, exercises.Hint("a nudge", "step by step"), **kw
    )


def test_one_relative_error_everywhere():
    # _core has no definition of its own: it uses gradcheck's
    assert _core.rel_error is gradcheck.rel_error
    assert not hasattr(exercises, "rel_error")
    assert gradcheck.rel_error(0.5**9, 0.5**10) == pytest.approx(1 / 3)
    assert gradcheck.rel_error(np.array([1.0, 1e-20]), np.array([1.0, 2e-20])) < 1e-19


def test_pass_reports_error_and_tolerance(capsys):
    res = _check(lambda: _problem())
    assert res.status == "PASS" and res.error == 0.0
    assert "demo: PASS (relative error 0.0e+00 <= tolerance 1e-07)" in capsys.readouterr().out


def test_a_cache_after_the_outputs_is_fine_unless_forbidden(capsys):
    assert _check(lambda: (*_problem(), "cache")).status == "PASS"
    assert _check(lambda: (*_problem(), "cache"), extra_ok=False).status == "FAIL"
    assert "returned 4 values, expected 3: (dx, dW, db)" in capsys.readouterr().out


def test_stub_and_crash(capsys):
    def stub():
        raise NotImplementedError

    assert _check(stub).status == "not attempted"
    assert "not attempted yet (replace `raise NotImplementedError`" in capsys.readouterr().out
    assert _check(lambda: 1 / 0).status == "FAIL"
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_none_return_asks_about_return(capsys):
    assert _check(lambda: None).status == "FAIL"
    assert "returned None: did you forget `return`?" in capsys.readouterr().out


def test_too_few_outputs_and_a_single_array(capsys):
    assert _check(lambda: _problem()[:2]).status == "FAIL"
    assert "you returned 2 values, expected 3: (dx, dW, db)" in capsys.readouterr().out
    assert _check(lambda: _problem()[0]).status == "FAIL"
    assert "as a tuple" in capsys.readouterr().out


def test_wrong_order_is_named(capsys):
    dx, dW, db = _problem()
    res = exercises.check_outputs(
        "pair", lambda: (dW, dx), (), (dx, dW), ("h_next", "c_next"), 1e-7, "hint"
    )
    assert res.status == "FAIL"
    out = capsys.readouterr().out
    assert "wrong order" in out and "what you return as h_next (output 1) is c_next" in out
    # same shapes too: swapped values are still caught
    a, b = np.ones((2, 3)), np.zeros((2, 3))
    exercises.check_outputs("pair", lambda: (b, a), (), (a, b), ("h_next", "c_next"), 1e-7, "h")
    assert "what you return as h_next (output 1) is c_next" in capsys.readouterr().out


def test_wrong_value_is_named_with_its_error(capsys):
    dx, dW, db = _problem()
    res = _check(lambda: (dx, dW, 2 * db))
    out = capsys.readouterr().out
    assert res.status == "FAIL"
    assert res.error == pytest.approx(gradcheck.rel_error(2 * db, db))
    assert f"wrong: db (relative error {res.error:.1e}); right: dx, dW" in out


def test_wrong_shape_is_named_and_a_transpose_recognised(capsys):
    dx, dW, db = _problem()
    _check(lambda: (dx, dW.T, db))
    out = capsys.readouterr().out
    assert "dW has shape (5, 4), expected (4, 5): it is the transpose" in out
    _check(lambda: (dx, dW, db[None]))
    assert "db has shape (1, 5), expected (5,)" in capsys.readouterr().out
    # a wrong output with the shape of another one: ask about the order
    _check(lambda: (2 * db, dW, db))
    assert "the shape of db: are the outputs in the right order?" in capsys.readouterr().out


def test_square_transpose_is_recognised_by_value(capsys):
    W = np.arange(9.0).reshape(3, 3)
    exercises.check_outputs(
        "sq",
        lambda: (W.T,),
        (),
        (W,),
        ("dWh",),
        1e-7,
        "generic",
        transposed_hints={"dWh": "use h_prev.T @ da"},
    )
    out = capsys.readouterr().out
    assert "dWh is the transpose of the right answer" in out and "use h_prev.T @ da" in out
    assert "generic" not in out


def test_nan_and_non_numbers(capsys):
    dx, dW, db = _problem()
    _check(lambda: (dx, dW * np.nan, db))
    assert "dW holds NaN or inf" in capsys.readouterr().out
    _check(lambda: (dx, "dW", db))
    assert "dW is not an array of numbers" in capsys.readouterr().out
    _check(lambda: (dx, None, db))
    assert "dW is None" in capsys.readouterr().out


def test_known_mistake_gets_its_hint(capsys):
    dx, dW, db = _problem()
    mistake = (dx, dW, 3 * db)
    _check(lambda: (dx, dW, 3 * db), mistakes=[(mistake, "tripled db")])
    assert "hint: tripled db" in capsys.readouterr().out
    _check(lambda: (dx, dW, 4 * db), mistakes=[(mistake, "tripled db")])
    assert "tripled db" not in capsys.readouterr().out


def test_hints_come_in_tiers_and_reset(capsys):
    dx, dW, db = _problem()
    wrong = lambda: (dx, dW, 2 * db)  # noqa: E731
    _check(wrong)
    out = capsys.readouterr().out
    assert "a nudge" in out and "step by step" not in out
    assert "the next failure shows the full recipe" in out
    _check(wrong)
    out = capsys.readouterr().out
    assert "step by step" in out and "a nudge" not in out
    exercises.reset_attempts("demo")
    _check(wrong)
    assert "a nudge" in capsys.readouterr().out
    # a pass or "not attempted" does not count as a failure
    exercises.reset_attempts()
    _check(lambda: _problem())
    _check(wrong)
    assert "a nudge" in capsys.readouterr().out


@pytest.mark.parametrize(
    "value, parsed",
    [
        (0.001, 0.001),
        ("0.001", 0.001),
        (" 1e-3 ", 0.001),
        (np.float32(0.5), 0.5),
        (np.array([2.0]), 2.0),
        (3, 3.0),
    ],
)
def test_as_number_accepts_numbers_and_numeric_strings(value, parsed):
    ok, got = exercises.as_number("n", value)
    assert ok and got == pytest.approx(parsed)


@pytest.mark.parametrize(
    "value, words",
    [
        ("small", "expected a number"),
        (True, "a number"),
        (np.ones(3), "one number"),
        ([1, "a"], "a number"),
    ],
)
def test_as_number_rejects_the_rest(value, words, capsys):
    ok, res = exercises.as_number("n", value)
    assert not ok and res.status == "FAIL"
    assert words in capsys.readouterr().out


def test_check_value_uses_the_same_relative_error(capsys):
    assert exercises.check_value("v", None, 1.0, 1e-3).status == "not attempted"
    assert "replace None with your answer" in capsys.readouterr().out
    res = exercises.check_value("v", "2", 1.0, 1e-3)
    assert res.status == "FAIL" and res.error == pytest.approx(1 / 3)
    assert "relative error 3.3e-01 > tolerance 1e-03" in capsys.readouterr().out
    assert exercises.check_value("v", 1.0005, 1.0, 1e-3).status == "PASS"
    exercises.check_value("v", 2.0, 1.0, 1e-3, hint="generic", mistakes=[(2.0, "doubled")])
    assert "doubled" in capsys.readouterr().out


def test_tolerance_that_is_not_a_power_of_ten_prints_in_full(capsys):
    exercises.check_value("v", 1.0, 1.0, 0.025)
    assert "tolerance 2.5e-02" in capsys.readouterr().out


def test_a_structural_failure_shows_no_recipe_and_does_not_use_up_the_nudge(capsys):
    dx, dW, db = _problem()
    _check(lambda: None)
    _check(lambda: (dW, dx, db))
    out = capsys.readouterr().out
    assert "forget `return`" in out and "wrong order" in out
    assert "a nudge" not in out and "step by step" not in out
    _check(lambda: (dx, dW, 2 * db))  # the first value failure still gets the nudge
    out = capsys.readouterr().out
    assert "a nudge" in out and "step by step" not in out


@pytest.mark.parametrize(
    "value, ok",
    [
        (7, True),
        (7.0, True),
        ("7", True),
        (" 7.0 ", True),
        (7.5, False),
        ("seven", False),
        (float("nan"), False),
    ],
)
def test_as_whole_number(value, ok, capsys):
    good, got = exercises.as_whole_number("n", value)
    assert good == ok
    if ok:
        assert got == 7 and isinstance(got, int)
    else:
        assert got.status == "FAIL" and "expected a" in capsys.readouterr().out


def test_every_count_and_number_answer_reads_strings():
    from rnnlib.exercises import recurrence, start
    from rnnlib.layers import rnn_param_count

    p = recurrence.PARAM_COUNT_PROBLEM
    count = rnn_param_count(p["D"], p["H"], p["out"])
    assert exercises.check_param_count_prediction(str(count)).status == "PASS"
    assert exercises.check_param_count_prediction(count + 0.5).status == "FAIL"
    steps = start._pulse_answer(0.9, 0.1)
    assert exercises.check_pulse_steps(f"{steps}").status == "PASS"
    assert exercises.check_pulse_steps(steps + 0.4).status == "FAIL"  # not truncated to pass
