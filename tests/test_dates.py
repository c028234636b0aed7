"""Tests of rnnlib.dates: the dates task of notebook 09."""

import datetime

import numpy as np
import pytest

from rnnlib.dates import (
    END,
    FORMATS,
    PAD,
    START,
    DateVocab,
    encode_batch,
    format_date,
    make_dates,
)


def test_formats_of_one_date():
    d = datetime.date(2026, 11, 25)
    written = {format_date(d, f) for f in FORMATS}
    for s in (
        "25 November 2026",
        "Nov 25, 26",
        "2026/11/25",
        "25.11.2026",
        "20261125",
        "Wednesday, 25 November 2026",
    ):
        assert s in written


def test_pairs_are_the_same_date():
    src, tgt = make_dates(300, np.random.default_rng(0))
    for s, t in zip(src, tgt, strict=True):
        d = datetime.date.fromisoformat(t)
        assert s in {format_date(d, f) for f in FORMATS}
        assert len(t) == 10


def test_seeded():
    a = make_dates(50, np.random.default_rng(1))
    assert a == make_dates(50, np.random.default_rng(1))
    assert a != make_dates(50, np.random.default_rng(2))


def test_every_format_is_drawn():
    src, _ = make_dates(2000, np.random.default_rng(3))
    assert len(set(src)) > 1900
    lengths = {len(s) for s in src}
    assert min(lengths) == 6 and max(lengths) >= 25  # 6: "1/5/26"


def test_vocab_round_trip():
    v = DateVocab()
    assert (v.chars[PAD], v.chars[START], v.chars[END]) == ("<pad>", "<s>", "</s>")
    s = "Wednesday, 25 November 2026"
    assert v.decode(v.encode(s) + [END, 5, 6]) == s
    with pytest.raises(ValueError, match="outside the vocabulary"):
        v.encode("25 Nov 2026 ?")


def test_encode_batch():
    v = DateVocab()
    src, src_mask, tgt_in, tgt_out, tgt_mask = encode_batch(
        v, ["1 May 26", "2026/11/25"], ["2026-05-01", "2026-11-25"]
    )
    assert src.shape == (2, 10) and src_mask.sum(axis=1).tolist() == [8, 10]
    assert np.all(src[0, 8:] == PAD)
    assert tgt_in.shape == tgt_out.shape == (2, 11) and tgt_mask.all()
    assert np.all(tgt_in[:, 0] == START) and np.all(tgt_out[:, -1] == END)
    np.testing.assert_array_equal(tgt_in[:, 1:], tgt_out[:, :-1])
    with pytest.raises(ValueError, match="non-empty"):
        encode_batch(v, [""])


def test_bad_input():
    assert make_dates(3, 0) == make_dates(3, np.random.default_rng(0))  # a seed, as elsewhere
    with pytest.raises(ValueError, match="rng must be"):
        make_dates(3, "0")
    with pytest.raises(ValueError, match="n must be"):
        make_dates(-1, np.random.default_rng(0))


def test_accuracy_by_length():
    from rnnlib.dates import LENGTH_BINS, accuracy_by_length

    sources = ["1/5/26", "25.11.2026", "Wednesday, 25 November 2026"]
    targets = ["2026-01-05", "2026-11-25", "2026-11-25"]
    correct, total = accuracy_by_length(
        ["2026-01-05", "2026-11-24", "2026-11-25"], targets, sources
    )
    assert total.tolist() == [2, 0, 0, 0, 1] and correct.tolist() == [1, 0, 0, 0, 1]
    assert len(LENGTH_BINS) == 5
    with pytest.raises(ValueError, match="same length"):
        accuracy_by_length([], targets, sources)
    with pytest.raises(ValueError, match="sources must be a list of str"):
        accuracy_by_length(targets, targets, "1/5/26")
