"""Every checker of notebook 09 against the solution (PASS), wrong answers (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import exercises
from rnnlib.exercises import attention as ex
from solutions import attention as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


def test_package_exports_the_checks():
    assert exercises.check_dot_attention_forward is ex.check_dot_attention_forward
    assert exercises.check_uniform_weights is ex.check_uniform_weights


def test_solution_passes_and_stub_is_not_attempted(capsys):
    assert ex.check_dot_attention_forward(sol.dot_attention_forward).status == "PASS"
    assert "PASS (relative error" in capsys.readouterr().out
    assert ex.check_dot_attention_forward(_stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    "variant, words",
    [
        ("unscaled", "sqrt(H)"),
        ("no_mask", "exactly 0"),
        ("softmax_over_batch", "axis 1"),
    ],
)
def test_mistakes_fail_with_their_hint(variant, words, capsys):
    result = ex.check_dot_attention_forward(lambda q, K, m: ex._variant(q, K, m, variant))
    out = capsys.readouterr().out
    assert result.status == "FAIL" and words in out


def test_forgotten_return_fails():
    assert ex.check_dot_attention_forward(lambda q, K, m: None).status == "FAIL"


def test_uniform_weights(capsys):
    assert ex.check_uniform_weights(sol.UNIFORM_WEIGHT).status == "PASS"
    assert ex.check_uniform_weights(None).status == "not attempted"
    capsys.readouterr()
    assert ex.check_uniform_weights(1 / 12).status == "FAIL"
    assert "exactly 0" in capsys.readouterr().out
    assert ex.check_uniform_weights(0.5).status == "FAIL"


def test_checker_does_not_change_its_problem():
    q, K, mask = ex._problem()
    ex.check_dot_attention_forward(sol.dot_attention_forward)
    q2, K2, mask2 = ex._problem()
    assert np.array_equal(q, q2) and np.array_equal(K, K2) and np.array_equal(mask, mask2)


def test_attention_dK(capsys):
    assert exercises.check_attention_dK is ex.check_attention_dK
    assert ex.check_attention_dK(sol.attention_dK).status == "PASS"
    assert ex.check_attention_dK(_stub).status == "not attempted"
    right = ex._dK_variant(*ex._dK_problem()[:4], "right")
    np.testing.assert_allclose(right, sol.attention_dK(*ex._dK_problem()[:4]), rtol=1e-12)
    capsys.readouterr()


@pytest.mark.parametrize(
    "variant, words",
    [
        ("values_only", "also in the score"),
        ("keys_only", "also a value"),
        ("unscaled", "sqrt(H)"),
        ("no_centring", "weighted mean"),
    ],
)
def test_attention_dK_mistakes_fail_with_their_hint(variant, words, capsys):
    result = ex.check_attention_dK(lambda dc, q, K, a: ex._dK_variant(dc, q, K, a, variant))
    assert result.status == "FAIL" and words in capsys.readouterr().out
