"""Every checker of notebook 06 against the solution (PASS), wrong answers (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import data, exercises, layers
from rnnlib.exercises import memory as ex
from solutions import memory as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


# ------------------------------------------------------------ the references are right


def test_solution_target_matches_the_data_generator():
    x, y = data.adding_problem(20, 13, np.random.default_rng(0))
    assert np.allclose(sol.adding_target(x), y, rtol=0, atol=1e-15)


def test_solution_success_rate_matches_adding_solved():
    rng = np.random.default_rng(1)
    _, y = data.adding_problem(200, 6, rng)
    pred = y + 0.05 * rng.standard_normal(y.shape)
    assert sol.success_rate(pred, y) == pytest.approx(data.adding_solved(pred, y).mean())


def test_solution_chance_levels_match_rnnlib():
    assert sol.CHANCE_LEVELS[0] == pytest.approx(data.adding_baseline_mse(), rel=1e-12)
    assert sol.CHANCE_LEVELS[1] == pytest.approx(data.adding_baseline_success(), rel=1e-12)


@pytest.mark.parametrize("H_lstm", [1, 2, 5, 16, 33, 100])
@pytest.mark.parametrize(("D", "out"), [(2, 1), (10, 10), (1, 50)])
def test_solution_matching_size_is_the_closest_by_brute_force(H_lstm, D, out):
    target = layers.lstm_param_count(D, H_lstm, out)
    best = min(
        range(1, 10 * H_lstm + 10),
        key=lambda H: (abs(layers.rnn_param_count(D, H, out) - target), H),
    )
    assert sol.matching_rnn_size(H_lstm, D, out) == best
    assert ex._closest_rnn_size(H_lstm, D, out) == best


def test_the_notebook_sizes_are_a_matching_pair():
    assert sol.matching_rnn_size(16, 2, 1) == 33


# ----------------------------------------------------------------- adding target


def test_adding_target_pass_fail_stub():
    assert exercises.check_adding_target(sol.adding_target).status == "PASS"
    assert exercises.check_adding_target(_stub).status == "not attempted"
    no_shift = lambda x: sol.adding_target(x) - 0.5  # noqa: E731
    assert exercises.check_adding_target(no_shift).status == "FAIL"
    flat = lambda x: sol.adding_target(x)[:, 0]  # noqa: E731
    assert exercises.check_adding_target(flat).status == "FAIL"
    assert exercises.check_adding_target(lambda x: 1 / 0).status == "FAIL"


def test_adding_target_hints_name_the_mistake(capsys):
    exercises.check_adding_target(lambda x: 0.5 + x[:, :, 0].sum(axis=1, keepdims=True) / 4)
    assert "only the values whose marker is 1" in capsys.readouterr().out
    exercises.check_adding_target(lambda x: sol.adding_target(x)[:, 0])
    assert "keepdims" in capsys.readouterr().out


def test_adding_target_does_not_let_the_learner_change_the_data():
    def mutating(x):
        x[:, :, 0] = 0
        return 0.5 + 0 * x[:, :1, 0]

    assert exercises.check_adding_target(mutating).status == "FAIL"
    assert exercises.check_adding_target(sol.adding_target).status == "PASS"


# ------------------------------------------------------------------ success rate


def test_success_rate_pass_fail_stub():
    assert exercises.check_success_rate(sol.success_rate).status == "PASS"
    assert exercises.check_success_rate(_stub).status == "not attempted"
    percent = lambda p, y: 100 * sol.success_rate(p, y)  # noqa: E731
    assert exercises.check_success_rate(percent).status == "FAIL"
    signed = lambda p, y: float(np.mean(p - y < 0.04))  # noqa: E731
    assert exercises.check_success_rate(signed).status == "FAIL"
    assert exercises.check_success_rate(lambda p, y: "high").status == "FAIL"


def test_success_rate_hints(capsys):
    exercises.check_success_rate(lambda p, y: float(np.sum(np.abs(p - y) < 0.04)))
    assert "a fraction, not a count" in capsys.readouterr().out
    exercises.check_success_rate(lambda p, y: float(np.mean((p - y) ** 2 < 0.04)))
    assert "not on the squared error" in capsys.readouterr().out


# ------------------------------------------------------------------ chance levels


def test_chance_levels_pass_fail_not_attempted(capsys):
    assert exercises.check_chance_levels(sol.CHANCE_LEVELS).status == "PASS"
    assert exercises.check_chance_levels((None, None)).status == "not attempted"
    assert exercises.check_chance_levels(None).status == "not attempted"
    assert exercises.check_chance_levels((1 / 24, 0.154)).status == "FAIL"  # a simulation
    capsys.readouterr()
    assert exercises.check_chance_levels((1 / 24, 0.16)).status == "FAIL"
    assert "triangle" in capsys.readouterr().out
    assert exercises.check_chance_levels((1 / 3, 0.1536)).status == "FAIL"
    assert "variance by 16" in capsys.readouterr().out
    assert exercises.check_chance_levels(("a", "b")).status == "FAIL"
    assert exercises.check_chance_levels(0.04).status == "FAIL"


# ----------------------------------------------------------------- matching size


def test_matching_rnn_size_pass_fail_stub(capsys):
    assert exercises.check_matching_rnn_size(sol.matching_rnn_size).status == "PASS"
    assert exercises.check_matching_rnn_size(_stub).status == "not attempted"
    capsys.readouterr()
    assert exercises.check_matching_rnn_size(lambda H, D, out: 2 * H).status == "FAIL"
    assert "count every term" in capsys.readouterr().out
    off_by_one = lambda H, D, out: sol.matching_rnn_size(H, D, out) + 1  # noqa: E731
    assert exercises.check_matching_rnn_size(off_by_one).status == "FAIL"
    assert exercises.check_matching_rnn_size(lambda H, D, out: None).status == "FAIL"


# ------------------------------------------------------------------ lag prediction


LAGS = (5, 20, 80)
RUN = {
    "rnn": np.array([[0.9, 0.8, 0.5], [0.2, 0.3, 0.1], [0.1, 0.2, 0.1]]),
    "lstm": np.array([[1.0, 1.0, 1.0], [0.9, 0.9, 0.8], [0.9, 0.1, 0.6]]),
}  # 80: mean .53


def test_lag_prediction_reads_the_run(capsys):
    right = {5: "both", 80: "lstm"}
    assert exercises.check_lag_prediction(right, LAGS, RUN).status == "PASS"
    assert "the run says 'lstm'" in capsys.readouterr().out
    assert (
        exercises.check_lag_prediction({5: "both", 20: "lstm", 80: "lstm"}, LAGS, RUN).status
        == "PASS"
    )
    assert exercises.check_lag_prediction({5: "rnn", 80: "lstm"}, LAGS, RUN).status == "FAIL"
    assert exercises.check_lag_prediction({5: "both", 80: "neither"}, LAGS, RUN).status == "FAIL"
    # the same answer against a run where the LSTM failed at 80
    failed = {"rnn": RUN["rnn"], "lstm": RUN["lstm"] * np.array([[1], [1], [0.5]])}
    assert exercises.check_lag_prediction({5: "both", 80: "neither"}, LAGS, failed).status == "PASS"


def test_lag_prediction_not_attempted_and_bad_answers():
    assert exercises.check_lag_prediction({5: None, 80: None}, LAGS, RUN).status == "not attempted"
    assert exercises.check_lag_prediction(None, LAGS, RUN).status == "not attempted"
    assert exercises.check_lag_prediction({5: "LSTM!", 80: "lstm"}, LAGS, RUN).status == "FAIL"
    assert exercises.check_lag_prediction({7: "both"}, LAGS, RUN).status == "FAIL"


def test_module_exports_exist():
    for name in ex.__all__:
        assert hasattr(exercises, name), name
