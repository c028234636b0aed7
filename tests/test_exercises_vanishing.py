"""Every checker of notebook 04 against the solution (PASS), a wrong answer (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import analysis, exercises
from rnnlib.optim import clip_grad_norm as library_clip_grad_norm
from solutions import vanishing as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


@pytest.fixture(autouse=True)
def _fresh_attempts():
    exercises.reset_attempts()


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


@pytest.mark.parametrize(
    "wrong, words",
    [
        (bound_with_spectral_radius, "spectral radius"),
        (bound_in_reverse, "backwards"),
        (bound_one_step_too_many, "off by one"),
    ],
)
def test_pascanu_bound_wrong_answers_fail_with_their_hint(wrong, words, capsys):
    res = exercises.check_pascanu_bound(wrong)
    assert res.status == "FAIL"
    out = capsys.readouterr().out
    assert words in out and "the bound (relative error" in out


def test_pascanu_bound_none_return(capsys):
    assert exercises.check_pascanu_bound(lambda Wh, gamma, T: None).status == "FAIL"
    assert "did you forget `return`?" in capsys.readouterr().out


def test_pascanu_bound_wrong_shape_fails(capsys):
    res = exercises.check_pascanu_bound(lambda Wh, gamma, T: 1.0)
    assert res.status == "FAIL" and "shape" in capsys.readouterr().out


def test_pascanu_bound_stub_is_not_attempted(capsys):
    assert exercises.check_pascanu_bound(_stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


# ------------------------------------------------------------------ sigmoid gamma


def test_sigmoid_gamma_solution_passes():
    assert exercises.check_sigmoid_gamma(sol.sigmoid_gamma).status == "PASS"


def _grid_gamma(a):
    s = 1 / (1 + np.exp(-a))
    d = s * (1 - s)
    k = int(np.argmax(d))
    return float(d[k]), float(a[k])


@pytest.mark.parametrize(
    "grid",
    [
        np.linspace(-10, 10, 1000),  # step 0.02, misses 0
        np.linspace(-10, 10, 401),  # step 0.05, through 0
        np.arange(-10.025, 10, 0.05),  # step 0.05, 0.025 from 0
        np.linspace(-5, 5, 100001),
    ],
)
def test_sigmoid_gamma_any_grid_of_the_stated_step_passes(grid):
    assert np.max(np.diff(grid)) <= exercises.GAMMA_GRID_STEP + 1e-12
    assert exercises.check_sigmoid_gamma(lambda: _grid_gamma(grid)).status == "PASS"


def test_sigmoid_gamma_the_issue_case_passes(capsys):
    # a 1000-point grid gives gamma = 0.249994 at a = -0.01: right for that grid
    gamma, a_star = _grid_gamma(np.linspace(-10, 10, 1000))
    assert round(gamma, 6) == 0.249994 and round(a_star, 2) == -0.01
    assert exercises.check_sigmoid_gamma(lambda: (gamma, a_star)).status == "PASS"


def test_sigmoid_gamma_coarser_grid_fails(capsys):
    coarse = np.arange(-10.05, 10, 0.1)  # step 0.1, nearest point 0.05 from 0
    assert exercises.check_sigmoid_gamma(lambda: _grid_gamma(coarse)).status == "FAIL"
    assert "finer grid" in capsys.readouterr().out


def test_sigmoid_gamma_none_and_order(capsys):
    assert exercises.check_sigmoid_gamma(lambda: None).status == "FAIL"
    assert "did you forget" in capsys.readouterr().out
    assert exercises.check_sigmoid_gamma(lambda: (0.0, 0.25)).status == "FAIL"
    assert "wrong order: return (gamma, a_star)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer", [(1.0, 0.0), (0.25, 1.0), (0.2, 0.0), 0.25, "1/4", (float("nan"), 0.0)]
)
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
    # B and C are the traps: gamma * sigma_max > 1 allows exploding, yet they vanish
    for key in "BC":
        c = exercises.REGIME_CASES[key]
        Wh = c["scale"] * analysis.orthogonal(32, 0)
        assert analysis.pascanu_regime(Wh, c["activation"]) == analysis.EXPLODING


def test_regime_cases_are_not_the_cases_the_notebook_shows():
    # section 3 of notebook 04 prints sigmoid 3 Q (inputs 1) and tanh 2 Q (inputs 3 and 0.5)
    shown = {("sigmoid", 3.0, 1.0), ("tanh", 2.0, 3.0), ("tanh", 2.0, 0.5), ("linear", 1.0, 1.0)}
    for c in exercises.REGIME_CASES.values():
        assert (c["activation"], c["scale"], c["input_scale"]) not in shown


def test_regime_prediction_from_the_bound_alone_fails(capsys):
    # "above the boundary means explodes" gets B and C wrong
    naive = {"A": "explodes", "B": "explodes", "C": "explodes", "D": "explodes"}
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
    assert "not attempted yet (replace the Nones" in capsys.readouterr().out


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


@pytest.mark.parametrize(
    "wrong, words",
    [
        (clip_each_array, "with a gradient above max_norm: wrong: grads['Wx']"),
        (clip_by_value, "with a gradient above max_norm: wrong: grads['Wx']"),
        (returns_norm_after, "wrong: the returned norm (relative error"),
        (not_in_place, "right: the returned norm"),
        (always_scales, "with a gradient below max_norm: wrong: grads['Wx']"),
    ],
)
def test_clip_grad_norm_wrong_answers_fail_naming_the_array(wrong, words, capsys):
    assert exercises.check_clip_grad_norm(wrong).status == "FAIL"
    assert words in capsys.readouterr().out


def test_clip_grad_norm_none_return(capsys):
    def no_return(grads, max_norm):
        sol.clip_grad_norm(grads, max_norm)

    assert exercises.check_clip_grad_norm(no_return).status == "FAIL"
    assert "did you forget `return norm`" in capsys.readouterr().out


def test_clip_grad_norm_returning_the_dict_fails(capsys):
    def returns_dict(grads, max_norm):
        sol.clip_grad_norm(grads, max_norm)
        return grads

    assert exercises.check_clip_grad_norm(returns_dict).status == "FAIL"
    assert "return the norm" in capsys.readouterr().out


def test_clip_grad_norm_stub_is_not_attempted():
    assert exercises.check_clip_grad_norm(_stub).status == "not attempted"
