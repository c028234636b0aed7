"""rnnlib.bottleneck: the digit-copy task of notebook 09, its splits, training and scores."""

import numpy as np
import pytest

from rnnlib import bottleneck
from rnnlib.bottleneck import (
    BINS,
    EXPERIMENT,
    DigitVocab,
    copy_batches,
    decode,
    model_sizes,
    random_digits,
    scores_by_length,
    train_model,
    training_sources,
    validation_sources,
)
from rnnlib.seq2seq import Seq2Seq

VOCAB = DigitVocab()


def test_vocab_round_trip_and_end():
    ids = VOCAB.encode("40718")
    assert VOCAB.decode(np.array(ids)) == "40718"
    assert VOCAB.decode(np.array([1, *ids, 2, *ids])) == "40718"  # stops at </s>
    assert len(VOCAB) == 13
    with pytest.raises(ValueError, match="only the digits"):
        VOCAB.encode("4a")


def test_random_digits_lengths_and_seed():
    a = random_digits(np.array([1, 5, 60]), 3)
    assert [len(s) for s in a] == [1, 5, 60] and all(s.isdigit() for s in a)
    assert a == random_digits(np.array([1, 5, 60]), 3)
    assert random_digits(np.array([], dtype=int), 0) == []


def test_splits_are_disjoint_and_cover_every_length():
    test, val = bottleneck.test_sources(), validation_sources()  # no test_ name: pytest
    lengths = range(EXPERIMENT["low"], EXPERIMENT["high"] + 1)
    assert [len(s) for s in test] == [
        L for L in lengths for _ in range(EXPERIMENT["test_per_length"])
    ]
    assert len(set(test)) == len(test) and len(set(val)) == len(val)
    assert not set(test) & set(val)
    pool = training_sources(0)
    assert len(pool) == EXPERIMENT["n_train"]
    assert not (set(test) | set(val)) & set(pool)
    assert min(map(len, pool)) == EXPERIMENT["low"] and max(map(len, pool)) == EXPERIMENT["high"]
    assert pool == training_sources(0) and pool != training_sources(1)


def test_copy_batches_hold_one_length_and_copy_it():
    pool = random_digits(np.repeat([3, 4, 9], 5), 0)
    for src, src_mask, tgt_in, tgt_out, tgt_mask in copy_batches(VOCAB, pool, 4, 6, 1):
        assert src_mask.all() and src.shape[0] == 4  # one length: no padding
        assert np.array_equal(tgt_out[:, :-1], src) and np.all(tgt_out[:, -1] == 2)
        assert np.array_equal(tgt_in[:, 1:], src) and tgt_mask.all()
    with pytest.raises(ValueError, match="batch_size"):
        copy_batches(VOCAB, pool, 6, 1, 0)


def test_model_sizes_match_within_ten_percent():
    sizes, V, E = model_sizes(), len(VOCAB), EXPERIMENT["E"]
    with_att = Seq2Seq.count(V, E, sizes["attention"], attention=EXPERIMENT["attention"])
    without = Seq2Seq.count(V, E, sizes["none"], attention=None)
    assert sizes["none"] >= sizes["attention"]
    assert abs(without - with_att) < 0.1 * with_att


def test_train_model_is_reproducible_bit_for_bit():
    a, la = train_model("none", 0.01, 0, steps=2)
    b, lb = train_model("none", 0.01, 0, steps=2)
    assert np.array_equal(la, lb)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert a.attention is None and a.H == model_sizes()["none"]
    with pytest.raises(ValueError, match="kind"):
        train_model("bahdanau", 0.01, 0, steps=1)
    for bad in (0.0, 2.0, float("nan")):
        with pytest.raises(ValueError, match="lr"):
            train_model("none", bad, 0, steps=1)


def test_decode_and_scores_by_length():
    model = Seq2Seq(len(VOCAB), 3, 4, np.random.default_rng(0), attention="dot")
    sources = ["12345", "987654321012"]
    outs = decode(model, sources, chunk=1)
    assert len(outs) == 2 and all(set(o) <= set("0123456789") for o in outs)
    assert all(len(o) <= len(s) + 1 for o, s in zip(outs, sources, strict=True))
    s = scores_by_length(["12345", "9876543", "111"], ["12345", "987654321012", "12"], BINS)
    assert s["exact"].tolist() == [1, 0, 0, 0, 0, 0]  # "111" vs "12": not exact
    assert s["examples"].tolist() == [1, 1, 0, 0, 0, 0]  # "12" is shorter than every bin
    assert s["chars_right"].tolist() == [5, 7, 0, 0, 0, 0]
    assert s["chars"].tolist() == [5, 12, 0, 0, 0, 0]
    with pytest.raises(ValueError, match="same length"):
        scores_by_length(["1"], ["1", "2"])


def test_bins_cover_the_lengths():
    assert BINS[0][0] == EXPERIMENT["low"] and BINS[-1][1] == EXPERIMENT["high"]
    assert all(b[0] == a[1] + 1 for a, b in zip(BINS, BINS[1:], strict=False))
