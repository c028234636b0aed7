"""Every checker of notebook 04 against the solution (PASS), a wrong answer (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import analysis, exercises
from rnnlib.optim import clip_grad_norm as library_clip_grad_norm
from solutions import vanishing as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


# ------------------------------------------------------------------ pascanu bound


def bound_with_spectral_radius(Wh, gamma, T):
    rho = np.max(np.abs(np.linalg.eigvals(Wh)))
    return (gamma * rho) ** (T - np.arange(1, T + 1))


def bound_in_reverse(Wh, gamma, T):
    return sol.pascanu_bound(Wh, gamma, T)[::-1]


def bound_one_step_too_many(Wh, gamma, T):
    return sol.pascanu_bound(Wh, gamma, T + 1)[:-1]


def test_pascanu_bound_solution_passes(capsys):
    res = exercises.check_pascanu_bound(sol.pascanu_bound)
    assert res.status == "PASS" and res.error < 1e-12
    assert "PASS" in capsys.readouterr().out


@pytest.mark.parametrize("wrong", [bound_with_spectral_radius, bound_in_reverse,
                                   bound_one_step_too_many])
def test_pascanu_bound_wrong_answers_fail(wrong, capsys):
    res = exercises.check_pascanu_bound(wrong)
    assert res.status == "FAIL"
    assert "hint" in capsys.readouterr().out


def test_pascanu_bound_wrong_shape_fails(capsys):
    res = exercises.check_pascanu_bound(lambda Wh, gamma, T: 1.0)
    assert res.status == "FAIL" and "shape" in capsys.readouterr().out


def test_pascanu_bound_stub_is_not_attempted(capsys):
    assert exercises.check_pascanu_bound(_stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


# ------------------------------------------------------------------ sigmoid gamma


def test_sigmoid_gamma_solution_passes():
    assert exercises.check_sigmoid_gamma(sol.sigmoid_gamma).status == "PASS"


@pytest.mark.parametrize("answer", [(1.0, 0.0), (0.25, 1.0), (0.2, 0.0), 0.25, "1/4",
                                    (float("nan"), 0.0)])
def test_sigmoid_gamma_wrong_answers_fail(answer):
    assert exercises.check_sigmoid_gamma(lambda: answer).status == "FAIL"


def test_sigmoid_gamma_error_is_reported(capsys):
    def broken():
        return 1 / 0

    assert exercises.check_sigmoid_gamma(broken).status == "FAIL"
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_sigmoid_gamma_stub_is_not_attempted():
    assert exercises.check_sigmoid_gamma(_stub).status == "not attempted"


# ------------------------------------------------------------------ regime predictions


def test_regime_solution_passes_and_matches_the_measurements(capsys):
    assert exercises.check_regime_predictions(sol.REGIME_PREDICTIONS).status == "PASS"
    out = capsys.readouterr().out
    assert out.count("ok") == len(exercises.REGIME_CASES)


def test_regime_cases_cover_both_outcomes_and_the_trap():
    gains = {k: exercises.regime_case_log_gain(c) for k, c in exercises.REGIME_CASES.items()}
    assert gains["A"] > 2 and gains["D"] > 2  # explode
    assert gains["B"] < -2 and gains["C"] < -2  # vanish
    # C is the trap: gamma * sigma_max = 2 > 1 allows exploding, yet it vanishes
    c = exercises.REGIME_CASES["C"]
    Wh = c["scale"] * analysis.orthogonal(32, 0)
    assert analysis.pascanu_regime(Wh, c["activation"]) == analysis.EXPLODING


def test_regime_prediction_from_the_bound_alone_fails(capsys):
    # "above the boundary means explodes" gets C wrong
    naive = {"A": "explodes", "B": "vanishes", "C": "explodes", "D": "explodes"}
    res = exercises.check_regime_predictions(naive)
    assert res.status == "FAIL"
    assert "C: you said 'explodes', measured vanishes" in capsys.readouterr().out


def test_regime_predictions_partial_or_malformed_fail():
    assert exercises.check_regime_predictions({"A": "explodes"}).status == "FAIL"
    assert exercises.check_regime_predictions("vanishes").status == "FAIL"
    bad_word = dict(sol.REGIME_PREDICTIONS, A="grows")
    assert exercises.check_regime_predictions(bad_word).status == "FAIL"


def test_regime_predictions_accept_variants_of_the_words():
    loose = {"A": "Explode", "B": "vanish", "C": " VANISHES ", "D": "explodes!"}
    assert exercises.check_regime_predictions(loose).status == "PASS"


def test_regime_predictions_none_is_not_attempted(capsys):
    empty = {"A": None, "B": None, "C": None, "D": None}
    assert exercises.check_regime_predictions(empty).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


# ------------------------------------------------------------------ clip_grad_norm


def clip_each_array(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    for g in grads.values():
        n = np.linalg.norm(g)
        if n >= max_norm:
            g *= max_norm / n
    return norm


def clip_by_value(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    for g in grads.values():
        np.clip(g, -max_norm, max_norm, out=g)
    return norm


def returns_norm_after(grads, max_norm):
    sol.clip_grad_norm(grads, max_norm)
    return float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))


def not_in_place(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    scale = min(1.0, max_norm / norm)
    {k: g * scale for k, g in grads.items()}  # a new dict, thrown away
    return norm


def always_scales(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    for g in grads.values():
        g *= max_norm / norm
    return norm


def test_clip_grad_norm_solution_and_library_pass():
    assert exercises.check_clip_grad_norm(sol.clip_grad_norm).status == "PASS"
    assert exercises.check_clip_grad_norm(library_clip_grad_norm).status == "PASS"


@pytest.mark.parametrize("wrong", [clip_each_array, clip_by_value, returns_norm_after,
                                   not_in_place, always_scales])
def test_clip_grad_norm_wrong_answers_fail(wrong):
    assert exercises.check_clip_grad_norm(wrong).status == "FAIL"


def test_clip_grad_norm_returning_the_dict_fails(capsys):
    def returns_dict(grads, max_norm):
        sol.clip_grad_norm(grads, max_norm)
        return grads

    assert exercises.check_clip_grad_norm(returns_dict).status == "FAIL"
    assert "return the norm" in capsys.readouterr().out


def test_clip_grad_norm_stub_is_not_attempted():
    assert exercises.check_clip_grad_norm(_stub).status == "not attempted"
