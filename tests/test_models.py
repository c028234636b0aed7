"""Tests for rnnlib.models.SequenceModel: full-model gradient checks, training, state, sampling."""

import numpy as np
import pytest

from rnnlib.activations import softmax_temperature
from rnnlib.data import adding_baseline_mse, adding_problem, text_batches
from rnnlib.gradcheck import numerical_gradient, rel_error
from rnnlib.layers import embedding_backward, lstm_param_count, rnn_param_count
from rnnlib.models import SequenceModel, init_recurrent
from rnnlib.optim import SGD, Adam

TOL = 1e-6  # full model, float64, central differences


def num_grad_scalar(f, x):
    """Central differences of the scalar loss f() w.r.t. x, with the course's referee."""
    return numerical_gradient(f, x, np.float64(1.0), h=1e-5)


def make(cell, task, embedding, seed=0, **kw):
    """A small model and a matching batch (N=3, T=5)."""
    rng = np.random.default_rng(seed)
    N, T, D, H, V = 3, 5, 3, 4, 6
    if embedding:
        model = SequenceModel(
            V,
            H,
            V,
            cell,
            embedding=True,
            embed_size=D,
            task=task,
            loss="cross_entropy",
            rng=rng,
            **kw,
        )
        x = rng.integers(0, V, size=(N, T))
        y = rng.integers(0, V, size=(N, T) if task == "many_to_many" else (N,))
    else:
        model = SequenceModel(D, H, 2, cell, task=task, loss="mse", rng=rng, **kw)
        x = rng.standard_normal((N, T, D))
        y = rng.standard_normal((N, T, 2) if task == "many_to_many" else (N, 2))
    return model, x, y


CASES = [
    (c, t, e)
    for c in ("rnn", "lstm")
    for t in ("many_to_one", "many_to_many")
    for e in (False, True)
]


@pytest.mark.parametrize("cell, task, embedding", CASES)
def test_full_model_gradcheck(cell, task, embedding):
    model, x, y = make(cell, task, embedding, forget_bias=0.5)
    # a random state too: the carried-state path must give the same gradients
    rng = np.random.default_rng(1)
    state = tuple(0.5 * rng.standard_normal((3, 4)) for _ in range(1 if cell == "rnn" else 2))
    _, grads, _ = model.loss(x, y, state)
    assert set(grads) == set(model.params) | {"x"}

    def f():
        return model.loss(x, y, state)[0]

    for k, p in model.params.items():
        err = rel_error(grads[k], num_grad_scalar(f, p))
        assert err < TOL, f"{k}: {err:.1e}"
    if embedding:
        # grads["x"] is w.r.t. the embedded vectors: scattering it back gives dW_embed
        np.testing.assert_allclose(
            embedding_backward(grads["x"], model.forward(x, state)[1].embed), grads["W_embed"]
        )
    else:
        err = rel_error(grads["x"], num_grad_scalar(f, x))
        assert err < TOL, f"x: {err:.1e}"


def test_cross_entropy_many_to_many_with_mask_gradcheck():
    model, x, y = make("lstm", "many_to_many", True)
    mask = np.ones((3, 5), dtype=bool)
    mask[0, 3:] = False  # padding at the end of the first sequence
    _, grads, _ = model.loss(x, y, mask=mask)
    num = num_grad_scalar(lambda: model.loss(x, y, mask=mask)[0], model.params["Wh"])
    assert rel_error(grads["Wh"], num) < TOL


# --------------------------------------------------------------- construction


def test_params_shapes_and_counts():
    rnn = SequenceModel(3, 8, 2, "rnn", seed=0)
    lstm = SequenceModel(3, 8, 2, "lstm", seed=0)
    assert list(rnn.params) == ["Wx", "Wh", "b", "Wy", "by"]
    assert lstm.params["Wx"].shape == (3, 32) and lstm.params["Wh"].shape == (8, 32)
    assert rnn.param_count() == rnn_param_count(3, 8, 2)
    assert lstm.param_count() == lstm_param_count(3, 8, 2)
    emb = SequenceModel(
        10,
        8,
        10,
        "lstm",
        embedding=True,
        embed_size=4,
        task="many_to_many",
        loss="cross_entropy",
        seed=0,
    )
    assert emb.params["W_embed"].shape == (10, 4)
    assert emb.param_count() == 10 * 4 + lstm_param_count(4, 8, 10)


def test_forget_bias_and_gate_order():
    H = 5
    model = SequenceModel(2, H, 1, "lstm", forget_bias=1.0, seed=0)
    b = model.params["b"]
    np.testing.assert_array_equal(b[H : 2 * H], 1.0)  # gates i, f, g, o: f is block 1
    np.testing.assert_array_equal(np.delete(b, np.s_[H : 2 * H]), 0.0)
    # with zero inputs and state, the forget gate is sigmoid(bias)
    _, cache = model.forward(np.zeros((1, 1, 2)))
    np.testing.assert_allclose(cache.seq.f[0, 0], 1 / (1 + np.exp(-1.0)))
    _, cache0 = SequenceModel(2, H, 1, "lstm", forget_bias=0.0, seed=0).forward(np.zeros((1, 1, 2)))
    np.testing.assert_allclose(cache0.seq.f[0, 0], 0.5)  # memory halves every step


@pytest.mark.parametrize("init", ["xavier", "orthogonal", "identity", "small"])
def test_recurrent_inits(init):
    rng = np.random.default_rng(0)
    W = init_recurrent(64, init, rng)
    s = np.linalg.svd(W, compute_uv=False)
    if init == "orthogonal":
        np.testing.assert_allclose(s, 1.0, atol=1e-10)
        np.testing.assert_allclose(W.T @ W, np.eye(64), atol=1e-10)
    elif init == "identity":
        np.testing.assert_array_equal(W, np.eye(64))
    elif init == "small":
        assert W.std() == pytest.approx(0.01, rel=0.05)
    else:
        assert W.std() == pytest.approx(1 / 8, rel=0.05)
        assert 1.5 < s.max() < 2.5  # largest singular value of a Gaussian: ~2
    scaled = SequenceModel(2, 6, 1, "rnn", init="orthogonal", init_scale=1.5, seed=0)
    np.testing.assert_allclose(np.linalg.svd(scaled.params["Wh"], compute_uv=False), 1.5)


def test_lstm_inits_each_gate_block():
    H = 4
    model = SequenceModel(2, H, 1, "lstm", init="identity", seed=0)
    for k in range(4):
        np.testing.assert_array_equal(model.params["Wh"][:, k * H : (k + 1) * H], np.eye(H))


def test_bad_config_and_input():
    with pytest.raises(ValueError, match="cell must be one of"):
        SequenceModel(2, 4, 1, "transformer")  # "gru" is a cell since notebook 08
    with pytest.raises(ValueError, match="init must be one of"):
        SequenceModel(2, 4, 1, init="he")
    with pytest.raises(ValueError, match="needs embed_size"):
        SequenceModel(5, 4, 5, embedding=True)
    model, x, y = make("rnn", "many_to_one", False)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D\) = \(\?, \?, 3\)"):
        model.forward(x[..., :2])
    with pytest.raises(ValueError, match="mask is only supported"):
        model.loss(x, y, mask=np.ones((3, 5)))
    with pytest.raises(ValueError, match="y must have shape"):
        model.loss(x, y[:, :1])
    with pytest.raises(ValueError, match=r"state must be \(h,\)"):
        model.forward(x, state=(np.zeros((3, 4)), np.zeros((3, 4))))
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) = \(3, 4\)"):
        model.forward(x, state=(np.zeros((2, 4)),))


def test_float32_model_stays_float32():
    model, x, y = make("lstm", "many_to_many", False, dtype=np.float32)
    out, _ = model.forward(x)  # float64 input is cast to the model's dtype
    loss, grads, state = model.loss(x, y)
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())
    assert all(s.dtype == np.float32 for s in state)


def test_forward_does_not_mutate_inputs():
    model, x, y = make("lstm", "many_to_many", False)
    x0, params0 = x.copy(), {k: v.copy() for k, v in model.params.items()}
    model.loss(x, y)
    np.testing.assert_array_equal(x, x0)
    for k in params0:
        np.testing.assert_array_equal(model.params[k], params0[k])


# ------------------------------------------------------------- state carrying


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_carried_state_continues_the_sequence(cell):
    rng = np.random.default_rng(0)
    model = SequenceModel(3, 4, 2, cell, task="many_to_many", rng=rng)
    x = rng.standard_normal((2, 8, 3))
    full, _ = model.forward(x)
    first, cache = model.forward(x[:, :5])
    second, _ = model.forward(x[:, 5:], state=cache.final_state)
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), full, rtol=1e-12)
    # without the carried state the second chunk starts from zeros: different numbers
    fresh, _ = model.forward(x[:, 5:])
    assert not np.allclose(fresh, full[:, 5:])
    # step() over the same inputs gives the same outputs as forward()
    state = None
    for t in range(8):
        out_t, state = model.step(x[:, t], state)
        np.testing.assert_allclose(out_t, full[:, t], rtol=1e-10, atol=1e-12)


def test_final_state_is_a_copy():
    model, x, y = make("lstm", "many_to_many", False)
    _, cache = model.forward(x)
    h_T, c_T = cache.final_state
    np.testing.assert_array_equal(h_T, cache.h[:, -1])
    np.testing.assert_array_equal(c_T, cache.seq.c[:, -1])
    h_T[:] = 99.0  # the caller may change it without touching the cache
    assert not np.any(cache.h == 99.0)


def test_train_carry_state_matches_a_manual_loop():
    ids = np.random.default_rng(0).integers(0, 6, size=200)
    batches = list(text_batches(ids, batch_size=4, seq_len=6))  # last batch shorter
    assert batches[-1][0].shape == (4, 1)

    def fresh():
        return SequenceModel(
            6,
            5,
            6,
            "lstm",
            embedding=True,
            embed_size=3,
            task="many_to_many",
            loss="cross_entropy",
            seed=3,
        )

    carried = fresh()
    history = carried.train(batches, SGD(0.5), carry_state=True)
    manual, opt, state, losses = fresh(), SGD(0.5), None, []
    for x, y in batches:
        loss, grads, state = manual.loss(x, y, state)
        opt.step(manual.params, {k: grads[k] for k in manual.params})
        losses.append(loss)
    np.testing.assert_allclose(history["loss"], losses, rtol=1e-12)
    for k in manual.params:
        np.testing.assert_allclose(carried.params[k], manual.params[k], rtol=1e-12)
    reset = fresh()
    assert not np.allclose(reset.train(batches, SGD(0.5))["loss"][1:], losses[1:])


def test_train_history_clip_steps_and_callback():
    model = SequenceModel(2, 6, 1, "rnn", seed=0)
    calls = []

    def batches(step):
        return adding_problem(8, 6, np.random.default_rng(step))

    history = model.train(
        batches,
        Adam(1e-2),
        steps=5,
        clip=1e-3,
        callback=lambda step, loss, m: calls.append((step, loss)),
    )
    assert len(history["loss"]) == len(history["grad_norm"]) == 5
    assert [s for s, _ in calls] == list(range(5))
    assert all(n > 1e-3 for n in history["grad_norm"])  # norms are recorded *before* clipping
    stopped = model.train(batches, Adam(1e-2), steps=5, callback=lambda step, loss, m: step == 1)
    assert len(stopped["loss"]) == 2  # a callback returning True stops training
    with pytest.raises(ValueError, match="steps is required"):
        model.train(batches, Adam(1e-2))


def test_training_solves_a_short_adding_problem():
    rng = np.random.default_rng(0)
    model = SequenceModel(2, 16, 1, "lstm", rng=rng)
    # about 0.7 s on an idle core (300 steps of N=32, T=10); no timing assert, to stay robust
    history = model.train(lambda step: adding_problem(32, 10, rng), Adam(1e-2), steps=300, clip=1.0)
    x, y = adding_problem(500, 10, np.random.default_rng(123))
    test_mse = float(np.mean((model.predict(x) - y) ** 2))
    baseline = adding_baseline_mse()
    assert test_mse < 0.1 * baseline, f"test MSE {test_mse:.4f} vs baseline {baseline:.4f}"
    assert np.mean(history["loss"][-20:]) < 0.2 * np.mean(history["loss"][:20])


# ----------------------------------------------------------------- sampling


def char_model(seed=0):
    return SequenceModel(
        7,
        8,
        7,
        "lstm",
        embedding=True,
        embed_size=4,
        task="many_to_many",
        loss="cross_entropy",
        seed=seed,
    )


def test_sampling_is_deterministic_for_a_given_rng():
    model = char_model()
    a = model.sample([1, 2, 3], 20, np.random.default_rng(5))
    b = model.sample([1, 2, 3], 20, np.random.default_rng(5))
    c = model.sample([1, 2, 3], 20, np.random.default_rng(6))
    assert a.shape == (20,) and a.dtype == np.int64
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.min() >= 0 and a.max() < 7


def test_low_temperature_sampling_is_argmax():
    model = char_model()
    model.params["Wy"] *= 5  # sharper logits, so the greedy path is unambiguous
    ids = model.sample([0, 4], 15, np.random.default_rng(0), temperature=1e-4)
    # greedy decoding by hand
    out, cache = model.forward(np.array([[0, 4]]))
    logits, state, greedy = out[:, -1], cache.final_state, []
    for _ in range(15):
        greedy.append(int(np.argmax(logits[0])))
        logits, state = model.step(np.array([greedy[-1]]), state)
    np.testing.assert_array_equal(ids, greedy)


def test_temperature_shapes_the_distribution():
    logits = np.array([2.0, 1.0, 0.0, -1.0])
    np.testing.assert_allclose(
        softmax_temperature(logits, 1.0), np.exp(logits) / np.exp(logits).sum()
    )
    np.testing.assert_allclose(softmax_temperature(logits, 1e-12), [1, 0, 0, 0])
    np.testing.assert_allclose(softmax_temperature(logits, 1e6), 0.25, atol=1e-5)
    # higher temperature, higher entropy
    ent = [-(p * np.log(p)).sum() for p in (softmax_temperature(logits, T) for T in (0.5, 1, 2))]
    assert ent[0] < ent[1] < ent[2]


def test_sampling_bad_input():
    with pytest.raises(ValueError, match="temperature must be > 0"):
        char_model().sample([1], 3, np.random.default_rng(0), temperature=0)
    with pytest.raises(ValueError, match="sample needs embedding=True"):
        SequenceModel(2, 4, 1, seed=0).sample([1], 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match="prefix_ids must hold at least one id"):
        char_model().sample([], 3, np.random.default_rng(0))


# ------------------------------------------------------------- persistence


def test_save_and_load_round_trip(tmp_path):
    model = SequenceModel(
        7,
        8,
        7,
        "lstm",
        embedding=True,
        embed_size=4,
        task="many_to_many",
        loss="cross_entropy",
        init="orthogonal",
        forget_bias=2.0,
        seed=1,
        dtype=np.float32,
    )
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = SequenceModel.load(path)
    assert loaded.config == model.config
    for k, p in model.params.items():
        assert loaded.params[k].dtype == np.float32
        np.testing.assert_array_equal(loaded.params[k], p)
    x = np.array([[1, 2, 3, 4]])
    np.testing.assert_array_equal(loaded.forward(x)[0], model.forward(x)[0])


# ----------------------------------------------------------------- GRU

GRU_CASES = [("gru", t, e) for t in ("many_to_one", "many_to_many") for e in (False, True)]


@pytest.mark.parametrize("cell, task, embedding", GRU_CASES)
def test_gru_full_model_gradcheck(cell, task, embedding):
    model, x, y = make(cell, task, embedding, update_bias=0.5)
    rng = np.random.default_rng(1)
    model.params["bh"] += 0.3 * rng.standard_normal(model.params["bh"].shape)  # both biases live
    state = (0.5 * rng.standard_normal((3, 4)),)
    _, grads, _ = model.loss(x, y, state)
    assert set(grads) == set(model.params) | {"x"}

    def f():
        return model.loss(x, y, state)[0]

    for k, p in model.params.items():
        err = rel_error(grads[k], num_grad_scalar(f, p))
        assert err < TOL, f"{k}: {err:.1e}"
    if not embedding:
        err = rel_error(grads["x"], num_grad_scalar(f, x))
        assert err < TOL, f"x: {err:.1e}"


def test_gru_params_count_and_update_bias():
    H, D, O = 8, 3, 2
    model = SequenceModel(D, H, O, "gru", update_bias=1.5, seed=0)
    p = model.params
    assert set(p) == {"Wx", "Wh", "bx", "bh", "Wy", "by"}
    assert p["Wx"].shape == (D, 3 * H) and p["Wh"].shape == (H, 3 * H)
    assert model.param_count() == 3 * (D * H + H * H + 2 * H) + H * O + O
    np.testing.assert_array_equal(p["bx"][H : 2 * H], 1.5)  # gates r, z, n: z is block 1
    np.testing.assert_array_equal(np.delete(p["bx"], np.s_[H : 2 * H]), 0.0)
    np.testing.assert_array_equal(p["bh"], 0.0)
    # with zero weights the update gate starts at sigmoid(update_bias)
    for k in ("Wx", "Wh"):
        p[k][:] = 0.0
    _, cache = model.forward(np.ones((2, 4, D)))
    np.testing.assert_allclose(cache.seq.z, 1 / (1 + np.exp(-1.5)), rtol=1e-15)
    assert model.zero_state(2)[0].shape == (2, H) and len(model.zero_state(2)) == 1
    with pytest.raises(ValueError, match="update_bias must be a finite number"):
        SequenceModel(D, H, O, "gru", update_bias=float("nan"))
    with pytest.raises(ValueError, match=r"state must be \(h,\) per layer for cell='gru'"):
        model.forward(np.ones((2, 4, D)), state=(np.zeros((2, H)),) * 2)


def test_gru_carried_state_continues_the_sequence_and_step_matches():
    rng = np.random.default_rng(0)
    model = SequenceModel(3, 4, 2, "gru", task="many_to_many", update_bias=1.0, rng=rng)
    x = rng.standard_normal((2, 8, 3))
    full, _ = model.forward(x)
    first, cache = model.forward(x[:, :5])
    second, _ = model.forward(x[:, 5:], state=cache.final_state)
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), full, rtol=1e-12)
    state = None
    for t in range(8):
        out_t, state = model.step(x[:, t], state)
        np.testing.assert_allclose(out_t, full[:, t], rtol=1e-10, atol=1e-12)


def test_gru_training_solves_a_short_adding_problem():
    rng = np.random.default_rng(0)
    model = SequenceModel(2, 16, 1, "gru", update_bias=1.0, rng=rng)
    model.train(lambda step: adding_problem(32, 10, rng), Adam(1e-2), steps=300, clip=1.0)
    x, y = adding_problem(500, 10, np.random.default_rng(123))
    test_mse = float(np.mean((model.predict(x) - y) ** 2))
    assert test_mse < 0.1 * adding_baseline_mse(), f"test MSE {test_mse:.4f}"


def test_gru_save_and_load_round_trip(tmp_path):
    model = SequenceModel(3, 5, 2, "gru", update_bias=2.0, seed=1, dtype=np.float32)
    path = tmp_path / "gru.npz"
    model.save(path)
    loaded = SequenceModel.load(path)
    assert loaded.config == model.config and loaded.config["update_bias"] == 2.0
    x = np.ones((1, 4, 3), np.float32)
    np.testing.assert_array_equal(loaded.forward(x)[0], model.forward(x)[0])


# ------------------------------------------------------------ stacked layers, dropout


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("dropout", [0.0, 0.4])
def test_stacked_model_gradcheck(cell, dropout):
    """Two layers (and dropout between them and before the output): BPTT through both.

    With dropout the masks must be the same in every evaluation of the loss, so the
    dropout generator is reset to the same seed before each one.
    """
    rng = np.random.default_rng(0)
    N, T, V, H = 3, 5, 7, 4
    model = SequenceModel(
        V, H, V, cell, embedding=True, embed_size=3, task="many_to_many",
        loss="cross_entropy", rng=rng, num_layers=2, dropout=dropout,
    )  # fmt: skip
    x, y = rng.integers(0, V, (N, T)), rng.integers(0, V, (N, T))
    state = tuple(0.5 * rng.standard_normal((N, H)) for _ in model.zero_state(N))

    def f():
        if dropout:
            model.dropout_rng = np.random.default_rng(5)
        return model.loss(x, y, state, train=True)

    loss, grads, final = f()
    assert len(final) == len(state) == (4 if cell == "lstm" else 2)
    for k, p in model.params.items():
        err = rel_error(grads[k], num_grad_scalar(lambda: f()[0], p))
        assert err < TOL, f"{k}: {err:.1e}"
    if dropout:  # the masks are on: training differs from evaluation
        assert abs(loss - model.loss(x, y, state)[0]) > 1e-6


def test_stacked_model_params_state_and_step():
    """Layer 2 reads layer 1; step() gives what forward() gives; save/load keeps it all."""
    rng = np.random.default_rng(0)
    model = SequenceModel(
        6, 5, 6, "lstm", embedding=True, embed_size=3, task="many_to_many",
        loss="cross_entropy", rng=rng, num_layers=3, dropout=0.2,
    )  # fmt: skip
    assert {"Wx2", "Wh2", "b2", "Wx3", "Wh3", "b3"} <= set(model.params)
    assert model.params["Wx2"].shape == (5, 20) and model.params["Wx"].shape == (3, 20)
    assert len(model.zero_state(2)) == 6
    ids = rng.integers(0, 6, (2, 9))
    out, cache = model.forward(ids)  # evaluation: no dropout, deterministic
    np.testing.assert_array_equal(out, model.forward(ids)[0])
    assert len(cache.layers) == 3 and cache.masks == ()
    np.testing.assert_array_equal(cache.layers[1].x, cache.layers[0].h)  # layer 2 reads 1
    state = None
    for t in range(9):
        logits, state = model.step(ids[:, t], state)
        np.testing.assert_allclose(logits, out[:, t], rtol=1e-12, atol=1e-12)
    for a, b in zip(state, cache.final_state, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match=r"a tuple of 6; got a tuple of 2"):
        model.forward(ids, state=model.zero_state(2)[:2])
    _, train_cache = model.forward(ids, train=True)
    keep = np.stack([m > 0 for m in train_cache.masks])
    assert 0.6 < keep.mean() < 0.95  # about 80 % of the units are kept
    np.testing.assert_allclose(train_cache.masks[0][keep[0]], 1 / 0.8)


def test_stacked_model_saves_and_loads(tmp_path):
    model = SequenceModel(4, 3, 2, "gru", num_layers=2, dropout=0.1, seed=1)
    model.save(tmp_path / "m.npz")
    again = SequenceModel.load(tmp_path / "m.npz")
    assert again.config == model.config and again.num_layers == 2 and again.dropout == 0.1
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    np.testing.assert_array_equal(again.forward(x)[0], model.forward(x)[0])
    # a one-layer model's config is what it was before stacking existed
    assert "num_layers" not in SequenceModel(4, 3, 2, "lstm").config


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(num_layers=0), "num_layers"),
        (dict(num_layers=1.5), "num_layers"),
        (dict(dropout=1.0), "dropout"),
        (dict(dropout=-0.1), "dropout"),
        (dict(dropout=float("nan")), "dropout"),
    ],
)
def test_stacked_model_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SequenceModel(4, 3, 2, "lstm", **kwargs)
