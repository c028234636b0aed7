"""Tests of rnnlib.seq2seq: the masked GRU encoder, the encoder-decoder and decoding."""

import numpy as np
import pytest

from rnnlib.attention import length_mask
from rnnlib.dates import END, DateVocab, date_batches, encode_batch, make_dates
from rnnlib.gradcheck import check_backward, rel_error
from rnnlib.seq2seq import (
    Seq2Seq,
    beam_score,
    masked_gru_backward,
    masked_gru_forward,
    matched_hidden_size,
    train,
    training_pairs,
)
from rnnlib.sequence import gru_forward

VOCAB = DateVocab()
PAIRS = (["1 May 26", "2026/11/25", "Sun, Jan 3, 2001"], ["2026-05-01", "2026-11-25", "2001-01-03"])


def gru_args(rng, N=3, T=5, D=3, H=4):
    return (
        rng.standard_normal((N, T, D)),
        rng.standard_normal((N, H)),
        rng.standard_normal((D, 3 * H)),
        rng.standard_normal((H, 3 * H)),
        rng.standard_normal(3 * H),
        rng.standard_normal(3 * H),
    )


def test_masked_gru_gradients():
    args = gru_args(np.random.default_rng(0))
    mask = length_mask(np.array([2, 5, 4]), 5)
    errors = check_backward(masked_gru_forward, masked_gru_backward, (*args, mask))
    assert set(errors) == {"dx", "dh0", "dWx", "dWh", "dbx", "dbh"}
    assert max(errors.values()) < 1e-6, errors


def test_masked_gru_all_real_is_the_plain_gru():
    args = gru_args(np.random.default_rng(1))
    h, _ = masked_gru_forward(*args, np.ones((3, 5), bool))
    np.testing.assert_allclose(h, gru_forward(*args)[0], rtol=1e-12, atol=1e-14)


def test_padded_steps_change_nothing():
    rng = np.random.default_rng(2)
    x, h0, *w = gru_args(rng)
    lengths = np.array([2, 5, 4])
    h, cache = masked_gru_forward(x, h0, *w, length_mask(lengths, 5))
    dh = rng.standard_normal(h.shape)
    dh[~length_mask(lengths, 5)] = 0  # nothing downstream reads a padded state ...
    dhT = rng.standard_normal(h0.shape)  # ... except through the final one
    grads = masked_gru_backward(dh, cache, dhT=dhT)
    total = [np.zeros_like(g) for g in grads[2:]]
    for n, L in enumerate(lengths):
        one = slice(n, n + 1)
        h1, c1 = masked_gru_forward(x[one, :L], h0[one], *w, np.ones((1, L), bool))
        np.testing.assert_allclose(h[n, :L], h1[0], rtol=1e-12)
        np.testing.assert_array_equal(h[n, L:], np.repeat(h[n : n + 1, L - 1], 5 - L, axis=0))
        g1 = masked_gru_backward(dh[one, :L], c1, dhT=dhT[one])
        np.testing.assert_allclose(grads[0][n, :L], g1[0][0], rtol=1e-10, atol=1e-13)
        assert np.all(grads[0][n, L:] == 0)  # a padded input gets no gradient
        np.testing.assert_allclose(grads[1][n], g1[1][0], rtol=1e-10, atol=1e-13)
        for t, g in zip(total, g1[2:], strict=True):
            t += g
    for g, t in zip(grads[2:], total, strict=True):
        np.testing.assert_allclose(g, t, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("attention", ["additive", "dot", None])
def test_padded_batch_equals_sequences_one_by_one(attention):
    model = Seq2Seq(len(VOCAB), 3, 4, np.random.default_rng(3), attention=attention)
    batch = encode_batch(VOCAB, *PAIRS)
    assert not batch[1].all()  # the sources really are padded
    loss, grads = model.loss(*batch)
    counts = batch[4].sum(axis=1)
    loss_sum, grad_sum = 0.0, {k: np.zeros_like(g) for k, g in grads.items()}
    for n in range(3):
        one = encode_batch(VOCAB, [PAIRS[0][n]], [PAIRS[1][n]])
        l1, g1 = model.loss(*one)
        loss_sum += l1 * counts[n]
        for k in grads:
            grad_sum[k] += g1[k] * counts[n]
    np.testing.assert_allclose(loss, loss_sum / counts.sum(), rtol=1e-12)
    for k in grads:
        assert rel_error(grads[k], grad_sum[k] / counts.sum()) < 1e-12, k


@pytest.mark.parametrize("attention", ["additive", "dot", None])
def test_full_model_gradient_check(attention):
    model = Seq2Seq(len(VOCAB), 3, 4, np.random.default_rng(4), attention=attention, A=3)
    for k, p in model.params.items():  # larger weights: gradients well above round-off
        p *= 3 if k in ("Wq", "Wk", "v") else 1
    batch = encode_batch(VOCAB, *PAIRS)
    _, grads = model.loss(*batch)
    rng = np.random.default_rng(0)
    for k, p in model.params.items():
        # central differences of 12 random entries per parameter (all would take long)
        picks = [tuple(rng.integers(p.shape)) for _ in range(12)]
        num = []
        for idx in picks:
            old = p[idx]
            p[idx] = old + 1e-5
            plus = model.loss(*batch)[0]
            p[idx] = old - 1e-5
            minus = model.loss(*batch)[0]
            p[idx] = old
            num.append((plus - minus) / 2e-5)
        got = np.array([grads[k][idx] for idx in picks])
        assert rel_error(got, np.array(num)) < 1e-6, k


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_follows_the_model(dtype):
    model = Seq2Seq(len(VOCAB), 3, 4, np.random.default_rng(5), dtype=dtype)
    _, grads = model.loss(*encode_batch(VOCAB, *PAIRS))
    assert all(g.dtype == dtype for g in grads.values())


def test_training_lowers_the_loss():
    rng = np.random.default_rng(6)
    src, tgt = make_dates(200, rng)
    model = Seq2Seq(len(VOCAB), 8, 16, rng)
    losses = train(model, date_batches(VOCAB, src, tgt, 16, 60, rng), lr=0.01)
    assert losses.shape == (60,)
    assert losses[-10:].mean() < 0.7 * losses[:10].mean()


def test_greedy_and_beam():
    model = Seq2Seq(len(VOCAB), 6, 8, np.random.default_rng(7))
    src, mask = encode_batch(VOCAB, PAIRS[0])
    ids, alphas = model.greedy(src, mask, max_len=11)
    assert ids.shape == (3, 11) and alphas.shape == (3, 11, src.shape[1])
    np.testing.assert_allclose(alphas.sum(axis=2), 1, rtol=1e-12)
    assert np.all(alphas[~np.repeat(mask[:, None], 11, axis=1)] == 0)
    one, lp1 = model.beam(src, mask, width=1, max_len=11)
    for n in range(3):  # width 1 is greedy
        g = ids[n].tolist()
        g = g[: g.index(END) + 1] if END in g else g
        assert one[n] == g
    wide, lp4 = model.beam(src, mask, width=4, max_len=11)
    assert np.all(lp4 >= lp1 - 1e-12)  # a wider beam never finds a less probable output here


def test_beam_score_known_values():
    assert beam_score(-3.0, 6) == -3.0
    assert beam_score(-3.0, 6, "mean") == -0.5
    assert beam_score(-3.0, 6, 0.0) == -3.0  # alpha = 0: the total
    assert beam_score(-3.0, 1, 1.0) == -3.0  # lp(1) = 1 for any alpha
    assert beam_score(-3.0, 7, 1.0) == -1.5  # lp(7) = 12 / 6 = 2
    np.testing.assert_allclose(beam_score(-3.0, 13, 0.5), -3.0 / np.sqrt(3.0), rtol=1e-15)
    for bad in ("max", -0.5, float("nan"), [1.0]):
        with pytest.raises(ValueError, match="length_norm"):
            beam_score(-1.0, 3, bad)
    with pytest.raises(ValueError, match="log_prob"):
        beam_score(0.5, 3)
    with pytest.raises(ValueError, match="length"):
        beam_score(-1.0, 0)


def test_beam_scores_are_the_model_log_probs():
    model = Seq2Seq(len(VOCAB), 6, 8, np.random.default_rng(11), attention="dot")
    src, mask = encode_batch(VOCAB, PAIRS[0])
    ids, lps = model.beam(src, mask, width=3, max_len=11)
    for n, seq in enumerate(ids):
        out = [i for i in seq if i != END]
        tgt_in = np.array([[1, *out]])  # <s> then the output
        tgt_out = np.array([seq if seq[-1] == END else [*out, END]])
        if seq[-1] != END:  # stopped at max_len: score the emitted tokens only
            tgt_in, tgt_out = tgt_in[:, :-1], tgt_out[:, :-1]
        lp = model.log_prob(src[n : n + 1], mask[n : n + 1], tgt_in, tgt_out, tgt_out != 0)
        np.testing.assert_allclose(lp[0], lps[n], rtol=1e-10)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_length_norm_only_changes_the_final_choice(seed):
    # the live prefixes all have one length, so the search is the same; only the ranking of
    # finished outputs differs: the normalised choice has the higher mean, the plain one
    # the higher total
    model = Seq2Seq(len(VOCAB), 6, 8, np.random.default_rng(seed), attention=None)
    src, mask = encode_batch(VOCAB, PAIRS[0])
    plain, lp_plain = model.beam(src, mask, width=4, max_len=11)
    mean, lp_mean = model.beam(src, mask, width=4, max_len=11, length_norm="mean")
    assert np.all(lp_plain >= lp_mean - 1e-12)
    per_token = [lp / len(s) for lp, s in zip(lp_plain, plain, strict=True)]
    assert np.all(lp_mean / [len(s) for s in mean] >= np.array(per_token) - 1e-12)


def test_length_normalisation_fixes_a_truncated_output():
    # the shipped model without attention, seed 1, ends "20200207" after the year when the
    # beam ranks by total log-probability (the short-output bias); per token it does not
    from pathlib import Path

    from rnnlib.seq2seq import translate

    data = Path(__file__).resolve().parent.parent / "data"
    model = Seq2Seq.load(data / "dates-none-seed1.npz", dtype=np.float64)
    (plain,), _ = translate(model, VOCAB, ["20200207"], width=4)
    (mean,), _ = translate(model, VOCAB, ["20200207"], width=4, length_norm="mean")
    (wu,), _ = translate(model, VOCAB, ["20200207"], width=4, length_norm=1.0)
    assert plain == "2020" and len(mean) == len(wu) == 10 and mean.startswith("2020-")


def test_training_pairs_are_seeded_and_differ_by_seed():
    a = training_pairs(0)
    assert len(a[0]) == 20000 and a == make_dates(20000, np.random.default_rng([0, 0]))
    assert training_pairs(1)[0][:50] != a[0][:50]


def test_save_and_load(tmp_path):
    model = Seq2Seq(len(VOCAB), 3, 4, np.random.default_rng(8), attention="additive", A=5)
    model.save(tmp_path / "m.npz", info={"steps": 0})
    back = Seq2Seq.load(tmp_path / "m.npz")
    assert back.info == {"steps": 0} and back.attention == "additive"
    for k, p in model.params.items():
        np.testing.assert_array_equal(back.params[k], p)


def test_matched_sizes():
    V, E = len(VOCAB), 16
    target = Seq2Seq.count(V, E, 32)
    H = matched_hidden_size(target, V, E)
    assert abs(Seq2Seq.count(V, E, H, attention=None) - target) < 0.03 * target
    assert Seq2Seq(V, E, H, np.random.default_rng(0), attention=None).n_params == Seq2Seq.count(
        V, E, H, attention=None
    )
    assert Seq2Seq(V, E, 32, np.random.default_rng(0)).n_params == target


def test_bad_input():
    with pytest.raises(ValueError, match="attention must be"):
        Seq2Seq(10, 3, 4, np.random.default_rng(0), attention="multi-head")
    args = gru_args(np.random.default_rng(0))
    with pytest.raises(ValueError, match="mask must be a bool array"):
        masked_gru_forward(*args, np.ones((3, 4), bool))
    model = Seq2Seq(len(VOCAB), 3, 4, np.random.default_rng(0))
    with pytest.raises(ValueError, match="width must be"):
        model.beam(*encode_batch(VOCAB, PAIRS[0]), width=0)


def test_teacher_forced_equals_greedy_when_greedy_is_right():
    # fed its own (correct) outputs, the decoder sees exactly the teacher's inputs
    rng = np.random.default_rng(9)
    model = Seq2Seq(len(VOCAB), 6, 8, rng)
    src, mask = encode_batch(VOCAB, PAIRS[0])
    ids, _ = model.greedy(src, mask, max_len=11)
    tgt_in = np.concatenate([np.full((3, 1), 1), ids[:, :-1]], axis=1)
    np.testing.assert_array_equal(model.teacher_forced(src, mask, tgt_in), ids)


def test_translate_and_first_error():
    from rnnlib.seq2seq import first_error, translate

    model = Seq2Seq(len(VOCAB), 6, 8, np.random.default_rng(10))
    outputs, alphas = translate(model, VOCAB, PAIRS[0])
    assert len(outputs) == 3
    assert all(a.shape[1] == len(s) for a, s in zip(alphas, PAIRS[0], strict=True))
    beam, none = translate(model, VOCAB, PAIRS[0], width=3)
    assert none is None and len(beam) == 3
    assert first_error("2026-11-25", "2026-11-25") is None
    assert first_error("2026-12-25", "2026-11-25") == 6
    assert first_error("2026-11", "2026-11-25") == 7


def test_bottleneck_pair_has_matched_sizes():
    from rnnlib.seq2seq import train_with_and_without_attention

    lines = []
    models = train_with_and_without_attention(0, 2, log=lines.append)
    att, plain = models["attention"], models["none"]
    assert att.attention == "additive" and plain.attention is None
    assert abs(att.n_params - plain.n_params) < 0.03 * att.n_params
    assert len(lines) == 2 and "params=" in lines[0]


def test_shipped_weights_load_and_decode():
    from pathlib import Path

    from rnnlib.seq2seq import translate

    data = Path(__file__).resolve().parent.parent / "data"
    model = Seq2Seq.load(data / "dates-attention-seed0.npz", dtype=np.float64)
    assert model.params["Wy"].dtype == np.float64 and model.info["steps"] == 3000
    src, tgt = make_dates(50, np.random.default_rng(99))
    outputs, _ = translate(model, VOCAB, src)
    assert sum(o == t for o, t in zip(outputs, tgt, strict=True)) >= 45
