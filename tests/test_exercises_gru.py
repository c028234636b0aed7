"""Every checker of notebook 08 against the solution (PASS), wrong answers (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import cells, exercises, gradcheck
from rnnlib.exercises import gru as ex
from solutions import gru as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


def test_package_exports_the_gru_checks_of_notebook_08():
    assert exercises.gru.check_gru_step_forward is ex.check_gru_step_forward
    assert exercises.gru.check_update_half_life is ex.check_update_half_life


def test_solutions_match_rnnlib():
    args = ex._gru_problem(seed=5)
    h, cache = cells.gru_step_forward(*args)
    assert gradcheck.rel_error(sol.gru_step_forward(*args), h) < 1e-14
    dh = np.random.default_rng(6).standard_normal(h.shape)
    for mine, ref in zip(
        sol.gru_step_backward(dh, cache), cells.gru_step_backward(dh, cache), strict=True
    ):
        assert gradcheck.rel_error(mine, ref) < 1e-14


@pytest.mark.parametrize(
    "check, solution",
    [
        (ex.check_gru_step_forward, sol.gru_step_forward),
        (ex.check_gru_step_backward, sol.gru_step_backward),
    ],
)
def test_solution_passes_and_stub_is_not_attempted(check, solution, capsys):
    assert check(solution).status == "PASS"
    assert "PASS (relative error" in capsys.readouterr().out
    assert check(_stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


def test_forward_with_cache_passes_too():
    assert ex.check_gru_step_forward(cells.gru_step_forward).passed


@pytest.mark.parametrize(
    "variant, words",
    [
        ("swap_z", "z = 1 KEEPS"),
        ("cho", "Cho et al."),
        ("bias_outside", "INSIDE"),
        ("order_zr", "order r, z, n"),
    ],
)
def test_forward_mistakes_fail_with_their_hint(variant, words, capsys):
    def wrong(*args):
        return ex._gru_variant(*args, variant)

    result = ex.check_gru_step_forward(wrong)
    out = capsys.readouterr().out
    assert result.status == "FAIL" and words in out and "tolerance 1e-07" in out


@pytest.mark.parametrize(
    "variant, words",
    [
        ("no_direct", "dh_prev: h_prev also reaches"),
        ("no_r_in_dah", "dWh, dbh, dh_prev"),
        ("dz_sign", "dz: h_next"),
    ],
)
def test_backward_mistakes_fail_with_their_hint(variant, words, capsys):
    result = ex.check_gru_step_backward(lambda d, c: ex._backward_variant(d, c, variant))
    out = capsys.readouterr().out
    assert result.status == "FAIL" and words in out


def test_backward_unknown_mistake_names_the_wrong_outputs(capsys):
    def wrong(dh_next, cache):
        grads = list(sol.gru_step_backward(dh_next, cache))
        grads[5] = 2 * grads[5]  # dbh doubled
        return tuple(grads)

    assert ex.check_gru_step_backward(wrong).status == "FAIL"
    assert "wrong: dbh (relative error" in capsys.readouterr().out


def test_code_that_raises_is_a_fail_not_a_crash(capsys):
    def broken(*args):
        return np.ones(3) @ np.ones(4)

    assert ex.check_gru_step_forward(broken).status == "FAIL"
    assert ex.check_gru_step_backward(broken).status == "FAIL"
    assert "your code raised ValueError" in capsys.readouterr().out


def test_half_life(capsys):
    assert ex.check_update_half_life(sol.UPDATE_HALF_LIFE).passed
    assert ex.check_update_half_life(None).status == "not attempted"
    z = 1 / (1 + np.exp(-ex.HALF_LIFE_BIAS))
    capsys.readouterr()
    assert ex.check_update_half_life(np.log(0.5) / np.log(1 - z)).status == "FAIL"
    assert "half-life of 1 - z" in capsys.readouterr().out
    assert ex.check_update_half_life("soon").status == "FAIL"
    assert sol.UPDATE_HALF_LIFE == pytest.approx(14.3, abs=0.05)
