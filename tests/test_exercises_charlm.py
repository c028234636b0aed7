"""Every checker of notebook 07 against the solution (PASS), wrong answers (FAIL), a stub."""

import numpy as np
import pytest

from rnnlib import exercises
from rnnlib.activations import softmax_temperature
from solutions import charlm as sol


def _stub(*args, **kwargs):
    raise NotImplementedError  # your code here


# ------------------------------------------------------------ softmax at a temperature


def test_softmax_temperature_solution_matches_the_model_sampler():
    logits = np.array([3.0, 1.0, -2.0, 0.5])
    for T in (0.1, 1.0, 4.0):
        assert np.allclose(sol.softmax_temperature(logits, T), softmax_temperature(logits, T))


def test_softmax_temperature_solution_passes(capsys):
    res = exercises.check_softmax_temperature(sol.softmax_temperature)
    assert res.status == "PASS" and res.error < 1e-12
    assert "PASS" in capsys.readouterr().out


def _no_temperature(logits, T):
    return sol.softmax_temperature(logits, 1.0)


def _times_temperature(logits, T):
    return sol.softmax_temperature(logits * T, 1.0)


def _unstable(logits, T):
    with np.errstate(over="ignore", invalid="ignore"):
        p = np.exp(logits / T)
        return p / p.sum()


def _unnormalised(logits, T):
    return np.exp((logits - logits.max()) / T)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_no_temperature, "changed nothing"),
        (_times_temperature, "sharper"),
        (_unstable, "subtract the largest logit"),
        (_unnormalised, "sum to"),
        (lambda logits, T: logits[:2], "expected 12 probabilities"),
        (lambda logits, T: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_softmax_temperature_wrong_answers_fail(wrong, words, capsys):
    res = exercises.check_softmax_temperature(wrong)
    assert res.status == "FAIL"
    assert words in capsys.readouterr().out


def test_softmax_temperature_stub_is_not_attempted(capsys):
    assert exercises.check_softmax_temperature(_stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


# ----------------------------------------------------------------- bits and perplexity


def test_bits_and_perplexity_solution_passes(capsys):
    assert exercises.check_bits_and_perplexity(sol.bits_and_perplexity).status == "PASS"
    bits, ppl = sol.bits_and_perplexity(np.log(96))
    assert np.isclose(bits, np.log2(96)) and np.isclose(ppl, 96)
    assert "PASS" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda L: (L * np.log(2), np.exp(L)), "upside down"),
        (lambda L: (L / np.log(10), np.exp(L)), "base 10"),
        (lambda L: (L / np.log(2), 2.0**L), "mixes bases"),
        (lambda L: (L / np.log(2), np.exp(L) + 1), "FAIL"),
        (lambda L: L / np.log(2), "return two numbers"),
    ],
)
def test_bits_and_perplexity_wrong_answers_fail(wrong, words, capsys):
    assert exercises.check_bits_and_perplexity(wrong).status == "FAIL"
    assert words in capsys.readouterr().out


def test_bits_and_perplexity_stub_is_not_attempted():
    assert exercises.check_bits_and_perplexity(_stub).status == "not attempted"


# ----------------------------------------------------------------------- initial loss


def test_initial_loss_solution_passes(capsys):
    res = exercises.check_initial_loss(sol.initial_loss(96), 96)
    assert res.status == "PASS"
    assert "4.564 nats" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, words",
    [
        (np.log2(96), "in bits"),
        (96, "perplexity"),
        (1 / 96, "perplexity or the probability"),
        (1.0, "spreads its bets"),
        ("4.56", "expected a number"),
    ],
)
def test_initial_loss_wrong_answers_fail(wrong, words, capsys):
    assert exercises.check_initial_loss(wrong, 96).status == "FAIL"
    assert words in capsys.readouterr().out


def test_initial_loss_none_is_not_attempted(capsys):
    assert exercises.check_initial_loss(None, 96).status == "not attempted"
    assert "my_initial_loss" in capsys.readouterr().out


def test_an_untrained_model_really_starts_near_ln_v():
    from rnnlib.data import CharVocab
    from rnnlib.models import SequenceModel

    vocab = CharVocab("".join(chr(c) for c in range(32, 127)))  # 95 characters
    rng = np.random.default_rng(0)
    x = rng.integers(0, vocab.size, (4, 30))
    y = rng.integers(0, vocab.size, (4, 30))
    for cell, H in (("lstm", 32), ("rnn", 64)):
        model = SequenceModel(
            vocab.size,
            H,
            vocab.size,
            cell=cell,
            embedding=True,
            embed_size=16,
            task="many_to_many",
            loss="cross_entropy",
            seed=1,
        )
        loss = model.loss(x, y)[0]
        # near-uniform, plus a little from the spread of the random logits
        assert 0 < (loss - np.log(vocab.size)) / np.log(vocab.size) < 0.06, (cell, loss)
