"""rnnlib.lm: split, evaluation, weights, n-grams, context, sampling, saliency, speed."""

import numpy as np
import pytest

from rnnlib import gradcheck, lm
from rnnlib.activations import softmax
from rnnlib.data import CharVocab, text_batches
from rnnlib.models import SequenceModel

TEXT = (
    "The quick brown fox (who was not quick) jumps over the lazy dog.\n"
    "    def f(x):\n        return [x, x + 1]\n"
) * 6
VOCAB = CharVocab(TEXT)


def _model(cell="lstm", H=8, dtype=np.float64, seed=0, V=None, num_layers=1, dropout=0.0):
    V = V or VOCAB.size
    return SequenceModel(
        V,
        H,
        V,
        cell=cell,
        embedding=True,
        embed_size=5,
        task="many_to_many",
        loss="cross_entropy",
        seed=seed,
        dtype=dtype,
        num_layers=num_layers,
        dropout=dropout,
    )


# --------------------------------------------------------------------- data and weights


def test_train_val_split_is_a_contiguous_cut():
    ids = np.arange(1000)
    train, val = lm.train_val_split(ids)
    assert len(train) == 900 and len(val) == 100
    assert np.array_equal(np.concatenate([train, val]), ids)
    with pytest.raises(ValueError, match="val_fraction"):
        lm.train_val_split(ids, 1.5)


def test_save_and_load_round_trip(tmp_path):
    model = _model("rnn", dtype=np.float32)
    path = tmp_path / "m.npz"
    lm.save_charlm(path, model, VOCAB, {"steps": 3, "loss": [4.0, 3.5]})
    loaded, vocab, info = lm.load_charlm(path)
    assert vocab.chars == VOCAB.chars and info == {"steps": 3, "loss": [4.0, 3.5]}
    for k, p in model.params.items():
        assert np.array_equal(loaded.params[k], p)
    assert SequenceModel.load(path).config == model.config  # readable by the core loader


def test_load_rejects_a_vocabulary_of_the_wrong_size(tmp_path):
    path = tmp_path / "m.npz"
    lm.save_charlm(path, _model(V=VOCAB.size + 1), VOCAB)
    with pytest.raises(ValueError, match="characters but a model"):
        lm.load_charlm(path)


def test_the_shipped_weights_still_load():
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "data"
    counts = []
    for cell, H in (("lstm", 256), ("gru", 295), ("rnn", 510)):
        model, vocab, info = lm.load_charlm(data / f"charlm-{cell}.npz")
        assert (model.cell, model.hidden_size, model.num_layers, vocab.size) == (cell, H, 2, 96)
        assert info["steps"] == 1500 and len(info["loss"]) == 1500
        # ten checkpoints and the end, each with its validation loss and sample
        assert [c["step"] for c in info["checkpoints"]] == list(range(0, 1501, 150))
        assert all(len(c["sample"]) == info["sample_settings"]["n"] for c in info["checkpoints"])
        assert info["val_nats"] == info["checkpoints"][-1]["val_nats"]
        counts.append(model.param_count())
    assert max(counts) / min(counts) < 1.03  # matched sizes
    assert sum(f.stat().st_size for f in data.glob("charlm-*.npz")) < 10e6  # under 10 MB


# ----------------------------------------------------------------------- bits per char


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_evaluate_is_the_loss_of_one_long_stateful_read(cell):
    model = _model(cell)
    ids = VOCAB.encode(TEXT)
    one_window = lm.evaluate(model, ids, batch_size=2, seq_len=10_000)
    many_windows = lm.evaluate(model, ids, batch_size=2, seq_len=7)  # state carried
    assert abs(one_window - many_windows) < 1e-10
    n = (len(ids) - 1) // 2
    x, y = ids[: 2 * n].reshape(2, n), ids[1 : 2 * n + 1].reshape(2, n)
    assert abs(one_window - model.loss(x, y)[0]) < 1e-10
    # without the carried state the later windows would start blind: a different number
    fresh = np.mean([model.loss(xb, yb)[0] for xb, yb in text_batches(ids, 2, 7)])
    assert abs(fresh - many_windows) > 1e-4


def test_surprisal_is_evaluate_position_by_position():
    model = _model("lstm")
    ids = VOCAB.encode(TEXT)  # 630 ids, 629 predictions: 3 streams of 209, 2 dropped
    bits, context = lm.surprisal(model, ids, batch_size=3, seq_len=50)
    assert bits.shape == context.shape == (len(ids) - 1,)
    n = (len(ids) - 1) // 3
    assert np.isnan(bits[3 * n :]).all() and not np.isnan(bits[: 3 * n]).any()
    assert np.nanmean(bits) * lm.LN2 == pytest.approx(lm.evaluate(model, ids, 3, 50), rel=1e-12)
    assert context[0] == 1 and context[n - 1] == n and context[n] == 1  # a new stream
    # one position by hand: the stream's first t + 1 characters, read from zeros
    t = n + 20
    logits, _ = model.forward(ids[None, n : t + 1])
    want = -np.log2(softmax(logits[0, -1])[ids[t + 1]])
    assert bits[t] == pytest.approx(want, rel=1e-10)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_context_bits_reads_exactly_the_last_k_characters(cell):
    model = _model(cell)
    ids = VOCAB.encode(TEXT)
    positions = np.array([9, 40, 41, 300])
    for k in (1, 4, 10):
        got = lm.context_bits(model, ids, k, positions)
        for t, b in zip(positions, got, strict=True):
            logits, _ = model.forward(ids[None, t - k + 1 : t + 1])
            assert b == pytest.approx(-np.log2(softmax(logits[0, -1])[ids[t + 1]]), rel=1e-9)
    # the characters before the window change nothing
    other = ids.copy()
    other[:36] = ids[100:136]
    assert np.allclose(
        lm.context_bits(model, other, 4, positions[1:]),
        lm.context_bits(model, ids, 4, positions[1:]),
    )


def test_context_cuts_is_surprisal_and_context_bits_at_random_long_past_positions():
    models = {"RNN": _model("rnn"), "LSTM": _model("lstm", seed=1)}
    ids = VOCAB.encode(TEXT)  # 630 ids: 8 streams of 78 characters
    ks = [2, 8, 16]
    positions, full, cut = lm.context_cuts(models, ids, ks, size=20, min_context=30, seed=3)
    assert positions.shape == (20,) and np.all(np.diff(positions) > 0)
    for name, model in models.items():
        bits, context = lm.surprisal(model, ids)
        assert np.all(context[positions] >= 30)
        assert np.array_equal(full[name], bits[positions])
        assert cut[name].shape == (3, 20)
        for j, k in enumerate(ks):
            assert np.array_equal(cut[name][j], lm.context_bits(model, ids, k, positions))
    want = np.sort(np.random.default_rng(3).choice(np.flatnonzero(context >= 30), 20, False))
    assert np.array_equal(positions, want)  # the notebook's draw
    with pytest.raises(ValueError, match="only"):
        lm.context_cuts(models, ids, ks, size=10_000, min_context=30)
    with pytest.raises(ValueError, match="ks"):
        lm.context_cuts(models, ids, [64], min_context=30)


def test_context_reach_is_the_shortest_cut_from_which_every_cut_is_free():
    ks = np.array([4, 8, 16, 32, 64])
    cut = np.array([2.5, 1.9, 1.705, 1.702, 1.699])  # costs 0.8, 0.2, 0.005, 0.002, -0.001
    assert lm.context_reach(ks, cut, 1.7, tol=0.01) == 16
    assert lm.context_reach(ks, cut, 1.7, tol=0.003) == 32
    assert lm.context_reach(ks, cut, 1.7, tol=1.0) == 4  # every cut is free
    assert lm.context_reach([4, 8, 16, 32, 64], cut, 1.7) == 16  # a list of ks
    assert lm.context_reach(ks, cut, 1.7, tol=1e-4) == 64  # a negative cost counts as free
    # a costly cut after a free one: the reach starts after the last costly cut
    assert lm.context_reach(ks, [2.5, 1.7, 1.8, 1.7, 1.7], 1.7, tol=0.01) == 32
    assert lm.context_reach(ks, cut + 1.0, 1.7) is None  # even the longest cut costs


def test_context_reach_rejects_unordered_or_mismatched_input():
    with pytest.raises(ValueError, match="strictly increasing"):
        lm.context_reach(np.array([8, 4]), [1.0, 1.0], 1.0)
    with pytest.raises(ValueError, match="cut_bits must have shape"):
        lm.context_reach(np.array([4, 8]), [1.0, 1.0, 1.0], 1.0)
    with pytest.raises(ValueError, match="tol must be > 0"):
        lm.context_reach(np.array([4, 8]), [1.0, 1.0], 1.0, tol=0.0)


def test_context_bits_rejects_what_it_cannot_read():
    model, ids = _model(), VOCAB.encode(TEXT)
    with pytest.raises(ValueError, match="positions must lie in"):
        lm.context_bits(model, ids, 8, np.array([3]))  # only 4 characters before
    with pytest.raises(ValueError, match="positions must lie in"):
        lm.context_bits(model, ids, 1, np.array([len(ids) - 1]))  # nothing to predict
    with pytest.raises(ValueError, match="k must be a positive int"):
        lm.context_bits(model, ids, 0, np.array([5]))


def _witten_bell_by_dicts(train, ids, order, V):
    """The same model, one prediction at a time with Python dicts: the referee."""
    from collections import Counter, defaultdict

    uni = np.bincount(train, minlength=V) + 1.0
    c_hw, c_h, follow = Counter(), Counter(), defaultdict(set)
    for k in range(1, order):
        for i in range(k, len(train)):
            h = tuple(train[i - k : i])
            c_hw[h, train[i]] += 1
            c_h[h] += 1
            follow[h].add(train[i])
    out = []
    for t in range(1, len(ids)):
        p = uni[ids[t]] / uni.sum()
        for k in range(1, min(order - 1, t) + 1):
            h = tuple(ids[t - k : t])
            if c_h[h]:
                m = len(follow[h])
                p = (c_hw[h, ids[t]] + m * p) / (c_h[h] + m)
        out.append(-np.log2(p))
    return np.array(out)


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_ngram_surprisal_matches_a_dictionary_implementation(order):
    rng = np.random.default_rng(order)
    V = 5
    train = rng.integers(0, V, size=300) * (rng.random(300) < 0.7)  # skewed, some 0-runs
    ids = rng.integers(0, V, size=80)
    got = lm.ngram_surprisal(train, ids, order, V)
    assert got.shape == (79,)
    assert np.allclose(got, _witten_bell_by_dicts(train, ids, order, V), rtol=1e-12)


def test_ngram_probabilities_sum_to_one_in_every_context():
    rng = np.random.default_rng(3)
    V = 6
    train = rng.integers(0, V, size=500)
    train[100:140] = 2  # a context seen with only one follower
    for context in ([2, 2, 2], [0, 5, 1], [5, 5, 5]):
        total = sum(
            2.0 ** -lm.ngram_surprisal(train, np.array(context + [w]), 4, V)[-1] for w in range(V)
        )
        assert total == pytest.approx(1.0, abs=1e-12)


def test_ngram_order_1_is_the_add_one_unigram_and_bad_orders_fail():
    train = np.array([0, 0, 1, 2, 0])
    ids = np.array([1, 0, 3])
    p = (np.bincount(train, minlength=4) + 1) / 9
    assert np.allclose(lm.ngram_surprisal(train, ids, 1, 4), -np.log2(p[[0, 3]]))
    with pytest.raises(ValueError, match="order must be a positive int"):
        lm.ngram_surprisal(train, ids, 0, 4)
    with pytest.raises(ValueError, match="overflow"):
        lm.ngram_surprisal(train, ids, 10, 96)


def test_longer_contexts_predict_a_repetitive_text_better():
    ids = VOCAB.encode(TEXT)
    train, val = ids[:500], ids[500:]
    bits = [lm.ngram_surprisal(train, val, n, VOCAB.size).mean() for n in (1, 2, 3, 5)]
    assert bits[0] > bits[1] > bits[2] > bits[3]


# ------------------------------------------------------------------------- writing


def test_sample_text_same_seed_same_text_and_length():
    model = _model()
    a = lm.sample_text(model, VOCAB, "The ", n=40, temperature=1.0, seed=3)
    b = lm.sample_text(model, VOCAB, "The ", n=40, temperature=1.0, seed=3)
    c = lm.sample_text(model, VOCAB, "The ", n=40, temperature=1.0, seed=4)
    assert a == b and len(a) == 40 and a != c


def test_low_temperature_samples_the_likeliest_character():
    model = _model()
    logits, _ = model.forward(VOCAB.encode("The ")[None])
    best = VOCAB.chars[int(np.argmax(logits[0, -1]))]
    # untrained logits differ by ~0.01: a tiny temperature still separates them
    firsts = {lm.sample_text(model, VOCAB, "The ", 1, 1e-6, seed=s) for s in range(10)}
    assert firsts == {best}


def _stack(cell, dtype, num_layers=2, H=8, seed=0):
    """A character model of ``num_layers`` layers (dropout only while training)."""
    dropout = 0.5 if num_layers > 1 else 0.0
    return _model(cell, H, dtype, seed, num_layers=num_layers, dropout=dropout)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sample_text_writes_what_model_sample_writes_bit_for_bit(cell, dtype):
    # sample_text steps the model with its own lean loop: the same arithmetic as
    # model.step and the same draws as Generator.choice, so the very same text
    for layers in (1, 2):
        model = _stack(cell, dtype, layers, H=16, seed=layers)
        for temperature in (1e-6, 0.3, 1.0, 3.0):
            for seed in range(3):
                ids = model.sample(
                    VOCAB.encode("def f"), 60, np.random.default_rng(seed), temperature
                )
                text = lm.sample_text(model, VOCAB, "def f", 60, temperature, seed)
                assert text == VOCAB.decode(ids), (layers, temperature, seed)


def test_sample_text_at_the_shipped_size_is_model_sample_bit_for_bit():
    # float32, two layers, H = 256 and V = 96 as the shipped LSTM: the sums of its
    # matrix products run in BLAS's vector kernels, not in the small-matrix code
    V = 96
    vocab = CharVocab("".join(chr(32 + k) for k in range(V)))
    for cell, H in (("lstm", 256), ("rnn", 510)):
        model = SequenceModel(
            V, H, V, cell=cell, embedding=True, embed_size=32, task="many_to_many",
            loss="cross_entropy", seed=1, dtype=np.float32, num_layers=2, dropout=0.5,
        )  # fmt: skip
        for temperature, seed in ((0.5, 0), (1.0, 1), (2.0, 2)):
            ids = model.sample(vocab.encode("The "), 200, np.random.default_rng(seed), temperature)
            assert lm.sample_text(model, vocab, "The ", 200, temperature, seed) == vocab.decode(ids)


def test_repetition_and_real_words():
    assert lm.repetition("abcabcabcabc", n=3) == 1.0
    assert lm.repetition("abcdefghij", n=3) == 0.0
    assert lm.repetition("ab", n=3) == 0.0
    known = {"the", "dog", "cat", "xq"}
    assert lm.real_word_fraction("The dog, the cat; xqz!", known) == 0.8
    assert lm.real_word_fraction("The dog, the cat; xq!", known, min_len=2) == 1.0
    assert lm.real_word_fraction("123 ... a b", {"the"}) == 0.0
    assert lm.word_set("The dog_2, the DOG; x") == {"the", "dog", "x"}


# ------------------------------------------------------------------------- saliency


def test_saliency_matches_finite_differences():
    model = _model("lstm", H=6)
    ids = VOCAB.encode("The quick brown")  # 't' is read once at most before t = 8
    t = 8
    assert len(set(ids[: t + 1])) == t + 1  # each row of W_embed feeds exactly one input
    S = lm.saliency(model, ids, t)
    assert S.shape == (t + 1,)

    def log_p():
        logits, _ = model.forward(ids[None, : t + 1])
        z = logits[0, -1] - logits[0, -1].max()
        return np.array(z[ids[t + 1]] - np.log(np.exp(z).sum()))

    W = model.params["W_embed"]
    for s in (0, 4, t):
        g = gradcheck.numerical_gradient(log_p, W, np.float64(1.0))[ids[s]]
        assert gradcheck.rel_error(np.linalg.norm(g), S[s]) < 1e-6


def test_saliency_windows_equals_one_window_at_a_time():
    model = _model("rnn")
    ids = VOCAB.encode(TEXT)
    windows = np.stack([ids[s : s + 12] for s in (0, 5, 30)])
    S = lm.saliency_windows(model, windows)
    assert S.shape == (3, 11)
    for row, w in zip(S, windows, strict=True):
        assert np.allclose(row, lm.saliency(model, w, 10))
    np.testing.assert_allclose(lm.saliency_windows(model, windows, chunk=2), S, rtol=1e-12)
    with pytest.raises(ValueError, match="must be in"):
        lm.saliency(model, ids[:5], 4)  # no character left to predict


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_text_saliency_is_saliency_and_next_char_prob_at_every_position(cell):
    # one forward pass over the text, then only the input gradient's backward pass:
    # the same numbers as the per-position functions, to float64 round-off
    model = _stack(cell, np.float64, num_layers=2)
    ids = VOCAB.encode(TEXT[:40])
    along = lm.TextSaliency(model, ids)
    for t in [0, 1, 2, 17, 38, 21, 20]:  # both halves of a pair, the last position
        S = along.saliency(t)
        assert S.shape == (t + 1,)
        np.testing.assert_allclose(S, lm.saliency(model, ids, t), rtol=1e-10, atol=1e-14)
        assert along.prob(t) == pytest.approx(lm.next_char_prob(model, ids, t), rel=1e-12)
    assert along.saliency(21) is along.saliency(21)  # kept, not computed again
    if cell != "gru":  # 16 and 17 come in one backward pass (a GRU computes each alone)
        assert 16 in along._saliency
    with pytest.raises(ValueError, match="must be in"):
        along.saliency(39)  # no character left to predict
    with pytest.raises(ValueError, match="at least 2 ids"):
        lm.TextSaliency(model, ids[:1])


def test_text_saliency_in_float32_is_saliency_to_round_off():
    model = _stack("lstm", np.float32, num_layers=2, H=32)
    ids = VOCAB.encode(TEXT[:120])
    along = lm.TextSaliency(model, ids)
    for t in (5, 60, 118):
        ref = lm.saliency(model, ids, t)
        assert np.abs(along.saliency(t) - ref).max() < 1e-5 * ref.max()


def test_next_char_prob_is_the_softmax_of_the_last_logits():
    model = _model("rnn")
    ids = VOCAB.encode(TEXT[:30])
    logits, _ = model.forward(ids[None, :13])
    assert lm.next_char_prob(model, ids, 12) == pytest.approx(
        softmax(logits[0, -1])[ids[13]], rel=1e-12
    )
    with pytest.raises(ValueError, match="must be in"):
        lm.next_char_prob(model, ids, 29)


def test_lag_profile_of_known_masses():
    norms = np.array([[1.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3.0]])  # lags 13 and 0
    prof = lm.lag_profile(norms, near=10, far=12)
    assert prof["profile"][0] == 0.75 and prof["profile"][13] == 0.25
    assert prof["mean_lag"] == pytest.approx(13 * 0.25)
    assert prof["far_share"] == pytest.approx(0.25) and prof["tail_share"] == pytest.approx(0.25)
    assert lm.lag_profile(norms, near=10, far=13)["tail_share"] == 0
    both = lm.lag_profile(np.array([[0, 1.0], [10.0, 0]]), near=0)  # rows count equally
    assert both["far_share"] == pytest.approx(0.5)


# ---------------------------------------------------------------------------- speed


def test_training_throughput_is_a_positive_rate():
    ids = VOCAB.encode(TEXT)
    cps = lm.training_throughput(
        "rnn", 8, VOCAB.size, ids, batch_size=2, seq_len=5, steps=2, repeat=2
    )
    assert np.isfinite(cps) and cps > 0
    # more steps than one pass over the text: the batches start again
    cps = lm.training_throughput("rnn", 8, VOCAB.size, ids, batch_size=64, seq_len=5, steps=5)
    assert np.isfinite(cps) and cps > 0
