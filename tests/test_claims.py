"""rnnlib.claims: a claim prints what it checked, raises when false, refuses non-truths."""

import numpy as np
import pytest

import rnnlib
from rnnlib.claims import ClaimError, claim


def test_a_true_claim_prints_what_it_checked(capsys):
    claim(0.22 > 0.2, "the LSTM beats the 5-gram by 0.22 bits")
    assert capsys.readouterr().out == "claim holds: the LSTM beats the 5-gram by 0.22 bits\n"


def test_because_is_printed_after_the_statement(capsys):
    claim(np.bool_(True), "every seed ends below 1e-3", because="3 seeds")
    assert capsys.readouterr().out == "claim holds: every seed ends below 1e-3 (3 seeds)\n"


def test_a_false_claim_raises_with_the_statement_and_prints_nothing(capsys):
    with pytest.raises(ClaimError, match="the GRU leads at every lag.*median of 3 seeds"):
        claim(np.float64(1.0) < 0.5, "the GRU leads at every lag", because="median of 3 seeds")
    assert capsys.readouterr().out == ""


def test_a_claim_error_is_an_assertion_error():
    # Tools that treat a failed assert as a failed check treat a failed claim the same way.
    assert issubclass(ClaimError, AssertionError)


@pytest.mark.parametrize("condition", [1, 0.5, np.float64(1.0), None, "yes", [True]])
def test_a_condition_that_is_not_a_truth_value_is_refused(condition):
    with pytest.raises(TypeError, match="condition must be True or False"):
        claim(condition, "something")


def test_an_array_condition_names_the_reduction_to_use():
    with pytest.raises(TypeError, match=r"shape \(3,\).*\.all\(\) or \.any\(\)"):
        claim(np.array([True, True, False]), "all three pass")


@pytest.mark.parametrize("statement", [None, 3, b"bytes"])
def test_a_statement_must_be_a_string(statement):
    with pytest.raises(TypeError, match="statement must be a string"):
        claim(True, statement)


def test_an_empty_statement_is_refused():
    with pytest.raises(ValueError, match="statement must say what is claimed"):
        claim(True, "  ")


def test_because_must_be_a_string():
    with pytest.raises(TypeError, match="because must be a string"):
        claim(True, "x", because=3)


def test_claim_is_exported_at_the_top_of_the_package():
    assert rnnlib.claim is claim and rnnlib.ClaimError is ClaimError


def test_a_claim_that_is_not_strict_reports_and_goes_on(capsys):
    claim(False, "the LSTM learns lag 160", strict=False)
    out = capsys.readouterr().out
    assert out.startswith("claim does not hold in this run: the LSTM learns lag 160;")
    claim(True, "the LSTM learns lag 40", strict=False)
    assert capsys.readouterr().out == "claim holds: the LSTM learns lag 40\n"


def test_strict_must_be_a_truth_value():
    with pytest.raises(TypeError, match="strict must be True or False"):
        claim(True, "x", strict="no")
