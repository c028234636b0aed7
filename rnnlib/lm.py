"""Character language models: split, score, sample, explain, and the n-gram baselines.

Everything notebook 07 computes about a character model lives here; the widgets in
:mod:`rnnlib.plotting.charlm` only draw it. The model itself is a
:class:`rnnlib.models.SequenceModel` with an embedding and a cross-entropy loss.

=========================  =========================================================
data and weights           :func:`train_val_split`, :func:`save_charlm`, :func:`load_charlm`
how good (bits/char)       :func:`evaluate`, :func:`surprisal`, :func:`ngram_surprisal`
                           (bigram, trigram, ... with Witten-Bell smoothing),
                           :func:`context_bits` (the model sees only the last ``k``
                           characters), :func:`context_cuts` (that for several
                           models, ``k`` and positions), :func:`context_reach` (how
                           many it uses)
writing                    :func:`sample_text`, :func:`repetition`, :func:`word_set`,
                           :func:`real_word_fraction`
how far back it looks      :func:`next_char_prob`, :func:`saliency`,
                           :func:`saliency_windows`, :func:`lag_profile`,
                           :class:`TextSaliency` (every position of one text, fast)
speed                      :func:`training_throughput` (batched ``SequenceModel``; the
                           one-stream reference is :mod:`rnnlib.min_char_rnn`)
=========================  =========================================================

Losses are in nats per character (what ``model.loss`` returns) unless a name says
bits; divide nats by ``LN2`` for bits.
"""

from __future__ import annotations

import json
import time

import numpy as np

from rnnlib._validate import (
    as_real_array,
    check_batch,
    check_int,
    check_int_array,
    check_number,
    check_rng,
)
from rnnlib.activations import softmax
from rnnlib.data import CharVocab, text_batches
from rnnlib.models import SequenceModel
from rnnlib.optim import Adagrad

__all__ = [
    "LAG_FAR",
    "LAG_NEAR",
    "LN2",
    "TextSaliency",
    "VAL_FRACTION",
    "context_bits",
    "context_cuts",
    "context_reach",
    "evaluate",
    "lag_profile",
    "load_charlm",
    "next_char_prob",
    "ngram_surprisal",
    "real_word_fraction",
    "repetition",
    "saliency",
    "saliency_windows",
    "sample_text",
    "save_charlm",
    "surprisal",
    "train_val_split",
    "training_throughput",
    "word_set",
]

#: the last 10 % of the corpus is the validation text
VAL_FRACTION = 0.1
#: "near" means at most this many characters back (lag 0 is the current input) ...
LAG_NEAR = 10
#: ... and "far" more than this many
LAG_FAR = 40
#: nats per bit: bits = nats / LN2
LN2 = float(np.log(2.0))


def _check_model(model):
    """``model`` must be a character model: a SequenceModel with an embedding."""
    if not isinstance(model, SequenceModel) or not model.embedding:
        raise TypeError(
            f"model must be a SequenceModel with embedding=True (a character "
            f"model), got {type(model).__name__}"
        )
    return model


def _check_ids(name, ids, model, dims="L,", shape=(None,)):
    """``ids`` as character ids the model can read: integers in [0, V)."""
    return check_int_array(name, ids, dims, shape, high=model.config["input_size"])


def _check_text(name, text):
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {type(text).__name__}")
    return text


def _log_softmax(logits):
    """``log softmax`` along the last axis, in float64 (any float input)."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


# ----------------------------------------------------------------- data and weights


def train_val_split(ids, val_fraction=VAL_FRACTION):
    """Cut an id stream in two: the first part to train on, the last to validate.

    Parameters
    ----------
    ids : numpy.ndarray of int, shape (L,)
    val_fraction : float
        Share of the stream, taken from its end, held out for validation.

    Returns
    -------
    train_ids : numpy.ndarray, shape (L - L_val,)
    val_ids : numpy.ndarray, shape (L_val,)

    Notes
    -----
    A contiguous cut, not a random one: shuffled characters would leak the same
    sentences into both parts, and the validation loss would flatter the model.
    """
    ids = check_int_array("ids", ids, "L,", (None,))
    val_fraction = check_number("val_fraction", val_fraction, 0, 1, open_low=True)
    if val_fraction == 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    cut = int(round(len(ids) * (1 - val_fraction)))
    return ids[:cut], ids[cut:]


def save_charlm(path, model, vocab, info=None):
    """Save a character model with its vocabulary; :func:`load_charlm` reads it back.

    The file is what :meth:`SequenceModel.save` writes (``__config__`` and one array
    per parameter), plus ``__chars__`` (the vocabulary, one string) and ``__info__``
    (JSON: how the weights were made). ``SequenceModel.load`` reads it too. The
    arrays are compressed (``np.savez_compressed``), which ``np.load`` undoes.

    Parameters
    ----------
    path : str or pathlib.Path
        Ends with ``.npz``.
    model : SequenceModel
    vocab : rnnlib.data.CharVocab
    info : dict, optional
        JSON-serialisable notes (command, steps, losses).
    """
    np.savez_compressed(
        path,
        __config__=np.array(json.dumps(model.config)),
        __chars__=np.array("".join(vocab.chars)),
        __info__=np.array(json.dumps(info or {})),
        **model.params,
    )


def load_charlm(path):
    """Load a model saved by :func:`save_charlm` (the files in ``data/`` included).

    Returns
    -------
    model : SequenceModel
    vocab : rnnlib.data.CharVocab
        Built from the saved characters: the same ids as when it was trained.
    info : dict
    """
    model = SequenceModel.load(path)
    with np.load(path, allow_pickle=False) as f:
        vocab = CharVocab(str(f["__chars__"]))
        info = json.loads(str(f["__info__"])) if "__info__" in f.files else {}
    if vocab.size != model.config["input_size"]:
        raise ValueError(
            f"{path}: {vocab.size} characters but a model for {model.config['input_size']}"
        )
    return model, vocab, info


# ---------------------------------------------------------------- how good: bits/char


def evaluate(model, ids, batch_size=16, seq_len=256):
    """Mean cross-entropy of ``model`` on an id stream, in nats per character.

    The stream is read as :func:`rnnlib.data.text_batches` lays it out, carrying
    the state from batch to batch, so every character after the first few of each
    row is predicted with a long context. Forward passes only: no gradients.

    Parameters
    ----------
    model : SequenceModel
        A character model (``embedding=True``, ``loss="cross_entropy"``).
    ids : numpy.ndarray of int, shape (L,)
    batch_size, seq_len : int
        Layout of the reading; they change the result only through the context
        each row starts without.

    Returns
    -------
    float
        ``-mean log p(next char)`` over the ``batch_size * ((L - 1) // batch_size)``
        predictions. Divide by ``ln 2`` for bits per character.
    """
    _check_model(model)
    ids = _check_ids("ids", ids, model)
    total, count, state = 0.0, 0, None
    for x, y in text_batches(ids, batch_size, seq_len):
        logits, cache = model.forward(x, state)  # (N, T, V)
        log_p = _log_softmax(logits)
        total -= np.take_along_axis(log_p, y[..., None], axis=-1).sum()
        count += y.size
        state = cache.final_state
    return total / count


def surprisal(model, ids, batch_size=8, seq_len=256):
    """Bits of surprise of every prediction of a stateful read, and the context it had.

    The same reading as :func:`evaluate` (``batch_size`` streams, the state carried
    from window to window), but kept position by position.

    Parameters
    ----------
    model : SequenceModel
    ids : numpy.ndarray of int, shape (L,)
    batch_size, seq_len : int
        Layout of the reading (see :func:`rnnlib.data.text_batches`).

    Returns
    -------
    bits : numpy.ndarray of float64, shape (L - 1,)
        ``bits[t] = -log2 p(ids[t + 1] | what the stream read up to ids[t])``; NaN for
        the few positions at the end that the layout drops.
    context : numpy.ndarray of int, shape (L - 1,)
        Characters the model had read when it made prediction ``t`` (counted from
        the start of its stream, ``ids[t]`` included); 0 where ``bits`` is NaN.
    """
    _check_model(model)
    ids = _check_ids("ids", ids, model)
    batch_size, seq_len = check_int("batch_size", batch_size), check_int("seq_len", seq_len)
    if len(ids) < batch_size + 1:
        raise ValueError(
            f"ids has {len(ids)} ids: too short for batch_size={batch_size} "
            f"(need at least batch_size + 1)"
        )
    n = (len(ids) - 1) // batch_size  # characters per stream
    bits = np.full(len(ids) - 1, np.nan)
    context = np.zeros(len(ids) - 1, dtype=np.int64)
    col, state = 0, None
    for x, y in text_batches(ids, batch_size, seq_len):
        logits, cache = model.forward(x, state)  # (B, T, V)
        log_p = np.take_along_axis(_log_softmax(logits), y[..., None], axis=-1)[..., 0]
        read = col + np.arange(x.shape[1])  # (T,) columns of the streams
        t = np.arange(batch_size)[:, None] * n + read  # (B, T) positions in ids
        bits[t] = -log_p / LN2
        context[t] = read + 1
        col, state = col + x.shape[1], cache.final_state
    return bits, context


def context_bits(model, ids, k, positions):
    """Bits per character when the model sees only the last ``k`` characters.

    For each position ``t``, the model reads ``ids[t - k + 1 .. t]`` from a zero
    state and predicts ``ids[t + 1]``: nothing further back can influence that
    prediction, whatever the model learned. Comparing ``k = 16`` with ``k = 256``
    measures directly how much the characters between them are worth to it.

    Parameters
    ----------
    model : SequenceModel
        A character model.
    ids : numpy.ndarray of int, shape (L,)
    k : int
        Characters read, ``>= 1``.
    positions : numpy.ndarray of int, shape (P,)
        The positions ``t`` to score; each needs ``k - 1 <= t <= L - 2``.

    Returns
    -------
    numpy.ndarray of float64, shape (P,)
        ``-log2 p(ids[t + 1] | ids[t - k + 1 .. t])`` for every ``t`` in ``positions``.

    Notes
    -----
    The cost is ``k`` steps of a batch of ``P`` rows (one :meth:`SequenceModel.step`
    per character, no cache kept), so memory does not grow with ``k``.
    """
    _check_model(model)
    ids = _check_ids("ids", ids, model)
    positions = check_int_array("positions", positions, "P", (None,))
    k = check_int("k", k)
    if positions.size and (positions.min() < k - 1 or positions.max() > len(ids) - 2):
        raise ValueError(
            f"positions must lie in [k - 1, L - 2] = [{k - 1}, {len(ids) - 2}] "
            f"(k characters to read, one to predict), got "
            f"[{positions.min()}, {positions.max()}]"
        )
    state = None
    for j in range(k):  # step j reads ids[t - k + 1 + j] for every t at once
        logits, state = model.step(ids[positions - k + 1 + j], state)  # (P, V)
    log_p = _log_softmax(logits)[np.arange(positions.size), ids[positions + 1]]
    return -log_p / LN2


def context_cuts(models, ids, ks, size=500, min_context=512, seed=0):
    """Each model's bits with its whole past and with only the last ``k`` characters.

    The measurement of notebook 07's section 10 (and of ``tools/cut_context.py``,
    which ships its result): every model reads ``ids`` as :func:`surprisal` does
    (8 streams, windows of 256, the state carried), which gives the surprise of
    every prediction with the whole past of its stream; ``size`` positions with at
    least ``min_context`` characters read are drawn at random (``seed``), and at each
    of them every model is scored again by :func:`context_bits` for every ``k``.

    Parameters
    ----------
    models : dict of str -> SequenceModel
        Character models with the same vocabulary.
    ids : numpy.ndarray of int, shape (L,)
    ks : list or numpy.ndarray of int, shape (K,)
        Context lengths, each in ``[1, min_context]``.
    size : int
        Positions to score, ``P``.
    min_context : int
        Characters a position's stream must have read before it.
    seed : int or numpy.random.Generator
        Draws the positions, as ``numpy.random.default_rng(seed)`` does.

    Returns
    -------
    positions : numpy.ndarray of int64, shape (P,)
        Sorted positions ``t`` (the prediction of ``ids[t + 1]``).
    full_bits : dict of str -> numpy.ndarray, shape (P,)
        Bits of surprise at each position with the whole past.
    cut_bits : dict of str -> numpy.ndarray, shape (K, P)
        Bits of surprise reading only the last ``ks[j]`` characters.
    """
    if not isinstance(models, dict) or not models:
        raise TypeError(
            f"models must be a non-empty dict of name -> model, got {type(models).__name__}"
        )
    for model in models.values():
        _check_model(model)
    ks = np.asarray(ks) if isinstance(ks, list | tuple) else ks  # a list of ints is fine
    ks = check_int_array("ks", ks, "K,", (None,))
    size, min_context = check_int("size", size), check_int("min_context", min_context)
    rng = check_rng("seed", seed)
    if ks.size == 0 or ks.min() < 1 or ks.max() > min_context:
        raise ValueError(
            f"ks must be non-empty, each in [1, min_context] = [1, {min_context}], "
            f"got {ks.tolist()}"
        )
    whole = {name: surprisal(model, ids) for name, model in models.items()}  # (bits, context)
    context = next(iter(whole.values()))[1]  # the same reading layout for every model
    long_past = np.flatnonzero(context >= min_context)
    if size > long_past.size:
        raise ValueError(
            f"size={size} positions asked, but only {long_past.size} have read at least "
            f"min_context={min_context} characters"
        )
    positions = np.sort(rng.choice(long_past, size=size, replace=False))
    full_bits = {name: bits[positions] for name, (bits, _) in whole.items()}
    cut_bits = {
        name: np.stack([context_bits(model, ids, int(k), positions) for k in ks])
        for name, model in models.items()
    }
    return positions, full_bits, cut_bits


def context_reach(ks, cut_bits, full_bits, tol=0.01):
    """How much context a model uses: the shortest cut that costs it less than ``tol``.

    The cost of reading only the last ``k`` characters is
    ``cost_k = cut_bits_k - full_bits`` (bits per character lost against the whole
    past). The reach is the smallest ``k`` in ``ks`` from which every cut, that one
    and all longer ones, costs less than ``tol``: characters further back than the
    reach are worth less than ``tol`` bits to the model.

    Parameters
    ----------
    ks : numpy.ndarray or list of int, shape (K,)
        Context lengths, strictly increasing (``[4, 8, 16, ...]``).
    cut_bits : array_like of float, shape (K,)
        Bits per character reading only the last ``ks[j]`` characters
        (the mean of :func:`context_bits` over the same positions).
    full_bits : float
        Bits per character with the whole past, on the same positions.
    tol : float
        Cost below which a cut counts as free, in bits per character, ``> 0``.

    Returns
    -------
    int or None
        The reach, one of ``ks``; ``None`` if even the longest cut costs ``tol`` or more.

    Notes
    -----
    A cut can cost slightly less than nothing (a few thousandths on a few hundred
    positions, noise): that counts as free, like a cost of zero.
    """
    ks = np.asarray(ks) if isinstance(ks, list | tuple) else ks  # a list of ints is fine
    ks = check_int_array("ks", ks, "K,", (None,))
    if ks.size == 0 or np.any(ks < 1) or np.any(np.diff(ks) <= 0):
        raise ValueError(f"ks must be positive and strictly increasing, got {ks.tolist()}")
    cut_bits = as_real_array("cut_bits", cut_bits, "K,", 1)
    if cut_bits.shape != ks.shape:
        raise ValueError(
            f"cut_bits must have shape (K,) = {ks.shape} like ks, got {cut_bits.shape}"
        )
    full_bits = check_number("full_bits", full_bits)
    tol = check_number("tol", tol, low=0, open_low=True)
    costly = np.flatnonzero(cut_bits - full_bits >= tol)  # the cuts that are not free
    if costly.size == 0:
        return int(ks[0])
    return int(ks[costly[-1] + 1]) if costly[-1] + 1 < ks.size else None


def ngram_surprisal(train_ids, ids, order, vocab_size):
    """Bits of surprise of an ``order``-gram model with Witten-Bell smoothing.

    The model counts, in ``train_ids``, how often each character followed each
    context of ``order - 1`` characters. Its probability mixes the counts of the
    longest context with the (recursively smoothed) probability of the context one
    character shorter, down to add-one unigram frequencies:

        p(w | h) = (c(h, w) + m(h) * p(w | h')) / (c(h) + m(h)),

    where ``h'`` is ``h`` without its oldest character, ``c(h, w)`` counts ``h``
    followed by ``w``, ``c(h)`` counts ``h``, and ``m(h)`` is the number of
    *different* characters seen after ``h`` (Witten & Bell 1991): a context
    followed by many different characters keeps more weight for the shorter one.
    A context never seen in training falls back to the shorter one entirely.

    Parameters
    ----------
    train_ids : numpy.ndarray of int, shape (L_train,)
        The text the counts come from.
    ids : numpy.ndarray of int, shape (L,)
        The text to score; its first character is read, not predicted.
    order : int
        ``1`` unigram, ``2`` bigram, ``3`` trigram, ...; ``vocab_size ** order``
        must fit in an int64 (order <= 9 for 96 characters).
    vocab_size : int
        ``V``; every id is in ``[0, V)``.

    Returns
    -------
    numpy.ndarray of float64, shape (L - 1,)
        ``-log2 p(ids[t + 1] | ids[t - order + 2 .. t])``; the first predictions use
        the shorter contexts that exist. Its mean is the model's bits per character.
    """
    vocab_size, order = check_int("vocab_size", vocab_size), check_int("order", order)
    train_ids = check_int_array("train_ids", train_ids, "L_train", (None,), high=vocab_size)
    ids = check_int_array("ids", ids, "L", (None,), high=vocab_size)
    if vocab_size**order >= 2**63:
        raise ValueError(
            f"order={order} is too large for V={vocab_size}: the n-gram keys would overflow int64"
        )
    counts = np.bincount(train_ids, minlength=vocab_size) + 1.0  # add-one unigram
    t = np.arange(1, len(ids))  # predict ids[t] from the characters before it
    p = (counts / counts.sum())[ids[t]]  # (L - 1,)
    for k in range(1, int(order)):  # context length k: counts, then mix into p
        ctx = _ngram_keys(train_ids, k, vocab_size)  # context before train_ids[k:]
        keys, c_hw = np.unique(ctx * vocab_size + train_ids[k:], return_counts=True)
        contexts, c_h = np.unique(ctx, return_counts=True)
        _, m = np.unique(keys // vocab_size, return_counts=True)  # distinct followers
        has = t >= k  # positions with k characters before them
        q_ctx = _ngram_keys(ids, k, vocab_size)[t[has] - k]  # the k ids before ids[t]
        c_hw_q = _lookup(keys, c_hw, q_ctx * vocab_size + ids[t[has]])
        c_h_q, m_q = _lookup(contexts, c_h, q_ctx), _lookup(contexts, m, q_ctx)
        seen = c_h_q > 0
        mixed = (c_hw_q + m_q * p[has]) / np.maximum(c_h_q + m_q, 1)
        p[has] = np.where(seen, mixed, p[has])
    return -np.log2(p)


def _ngram_keys(ids, k, V):
    """The ``k`` ids before ``ids[i + k]`` as one base-``V`` integer, for every ``i``.

    Returns shape ``(len(ids) - k,)``: entry ``i`` encodes ``ids[i : i + k]``, the
    context of the character ``ids[i + k]``.
    """
    n = len(ids) - k
    key = np.zeros(n, dtype=np.int64)
    for j in range(k):
        key = key * V + ids[j : j + n]
    return key


def _lookup(sorted_keys, values, queries):
    """``values`` of ``queries`` in ``sorted_keys``; 0 for a key that is not there."""
    i = np.minimum(np.searchsorted(sorted_keys, queries), len(sorted_keys) - 1)
    return np.where(sorted_keys[i] == queries, values[i], 0)


# -------------------------------------------------------------------------- writing


def sample_text(model, vocab, prompt, n=300, temperature=1.0, seed=0):
    """Let the model write ``n`` characters after ``prompt``.

    ``p = softmax(logits / temperature)``, next character ``~ p``, fed back in.

    Parameters
    ----------
    model : SequenceModel
    vocab : rnnlib.data.CharVocab
    prompt : str
        At least one character, all in the vocabulary.
    n : int
    temperature : float
        > 0; below 1 sharpens the distribution, above 1 flattens it.
    seed : int
        The same seed (and the same model) gives the same text.

    Returns
    -------
    str
        The ``n`` new characters (without the prompt).

    Notes
    -----
    The text is exactly what ``model.sample(vocab.encode(prompt), n, rng,
    temperature)`` writes, in about a third of its time (benchmarks/bench_widgets.py,
    row "07 sampler"): a step without the checks of ``model.step``, doing the same
    arithmetic in the same order (see ``_sample_ids``). Notebook 07's cells and its
    sampler widget both call it, so the widget shows what the text quotes.
    """
    _check_model(model)
    if not isinstance(vocab, CharVocab):
        raise TypeError(f"vocab must be a CharVocab, got {type(vocab).__name__}")
    if not _check_text("prompt", prompt) or set(prompt) - set(vocab.chars):
        raise ValueError(
            f"prompt must be a non-empty str of the vocabulary's characters, got {prompt!r}"
        )
    n = check_int("n", n, low=0)
    temperature = check_number("temperature", temperature, 0, open_low=True)
    rng = check_rng("seed", seed)
    return vocab.decode(_sample_ids(model, vocab.encode(prompt), n, rng, temperature))


def _sample_ids(model, prefix_ids, n, rng, temperature):
    """``model.sample(prefix_ids, n, rng, temperature)``, bit for bit, several times faster.

    The prompt is read by the same ``model.forward``. Each new character then takes a
    lean step: the arithmetic of ``model.step`` and of ``softmax_temperature``, in the
    same order on the same float32 and float64 arrays (so the same values), without
    their checks; and the draw ``Generator.choice(V, p=p)`` makes (one uniform, searched
    in the cumulative sum normalised by its last entry), without its checks of ``p``.
    tests/test_lm.py checks that the ids equal ``model.sample``'s. A GRU, or a model
    that cannot sample, goes to ``model.sample`` itself.
    """
    lean = model.cell in ("rnn", "lstm") and model.loss_name == "cross_entropy"
    if not lean or model.config["output_size"] != model.config["input_size"]:
        return model.sample(prefix_ids, n, rng, temperature)
    prefix = np.asarray(prefix_ids, dtype=np.int64).reshape(1, -1)  # (1, T0)
    out, cache = model.forward(prefix)  # read the prompt in one pass, as model.sample
    logits, state = out[:, -1], list(cache.final_state)  # (1, V); (h, c) per layer
    p, H, lstm = model.params, model.hidden_size, model.cell == "lstm"
    V = model.config["input_size"]
    Wy, by = p["Wy"], p["by"]
    layers = [model._layer_params(k) for k in range(model.num_layers)]  # (Wx, Wh, b)
    # x @ Wx of the first layer for every character, each row computed as model.step
    # computes it (the same (1, E) @ (E, G*H) product, so the same float32 values)
    first = np.stack([p["W_embed"][np.array([[v]])][:, 0] @ layers[0][0] for v in range(V)])
    ids = np.empty(int(n), dtype=np.int64)
    with np.errstate(over="ignore"):  # exp(-a) may overflow to inf: sigmoid 0, as it should
        for k in range(int(n)):
            z = logits[0].astype(np.float64)  # softmax_temperature(logits[0], temperature)
            z = (z - z.max()) / temperature
            q = np.exp(z)
            cdf = (q / q.sum()).cumsum()  # Generator.choice(V, p=q / q.sum())
            cdf /= cdf[-1]
            ids[k] = cdf.searchsorted(rng.random(), side="right")
            x = None  # the first layer reads its row of `first`
            for layer, (Wx, Wh, b) in enumerate(layers):
                xWx = first[ids[k]] if x is None else x @ Wx  # (1, G*H)
                if lstm:  # cells.lstm_step_forward
                    h_prev, c_prev = state[2 * layer], state[2 * layer + 1]
                    a = xWx + h_prev @ Wh + b  # (1, 4H): gates i, f, g, o
                    s = 1 / (1 + np.exp(-a))  # the sigmoid of every block (g's is unused)
                    c = s[:, H : 2 * H] * c_prev + s[:, :H] * np.tanh(a[:, 2 * H : 3 * H])
                    x = s[:, 3 * H :] * np.tanh(c)
                    state[2 * layer], state[2 * layer + 1] = x, c
                else:  # cells.rnn_step_forward
                    x = np.tanh(xWx + state[layer] @ Wh + b)
                    state[layer] = x
            logits = x @ Wy + by  # (1, V)
    return ids


def repetition(text, n=20):
    """Share of the ``n``-character windows of ``text`` that occur in it more than once.

    A model stuck in a loop (low temperature) scores near 1; varied text near 0.

    Returns
    -------
    float in [0, 1]
    """
    _check_text("text", text)
    n = check_int("n", n)
    grams = [text[k : k + n] for k in range(len(text) - n + 1)]
    if not grams:
        return 0.0
    counts = {}
    for g in grams:
        counts[g] = counts.get(g, 0) + 1
    return sum(counts[g] > 1 for g in grams) / len(grams)


def _words(text):
    return "".join(ch if ch.isalpha() else " " for ch in text.lower()).split()


def word_set(text):
    """The words of ``text``: its runs of letters, lower-cased, as a set."""
    return set(_words(_check_text("text", text)))


def real_word_fraction(text, known_words, min_len=3):
    """Share of the words of ``text`` that are in ``known_words``.

    Parameters
    ----------
    text : str
        Its words are its runs of letters, lower-cased.
    known_words : set of str
        Lower-case words, for example ``word_set(training_text)``.
    min_len : int
        Shorter words are ignored: one- and two-letter strings ("x", "i", "ab")
        are names or words so often that even random letters would count.

    Returns
    -------
    float in [0, 1] (0 for a text without such words)
    """
    _check_text("text", text)
    if not isinstance(known_words, set | frozenset):
        raise TypeError(f"known_words must be a set of str, got {type(known_words).__name__}")
    min_len = check_int("min_len", min_len)
    words = [w for w in _words(text) if len(w) >= min_len]
    return sum(w in known_words for w in words) / len(words) if words else 0.0


# ------------------------------------------------------------- how far back it looks


def next_char_prob(model, ids, t):
    """The probability the model gives ``ids[t + 1]`` after reading ``ids[0..t]``.

    Parameters
    ----------
    model : SequenceModel
    ids : numpy.ndarray of int, shape (L,)
    t : int
        ``0 <= t <= L - 2``.

    Returns
    -------
    float
    """
    _check_model(model)
    ids = _check_ids("ids", ids, model)
    t = check_int("t", t, low=0)
    if not t <= len(ids) - 2:
        raise ValueError(
            f"t must be in [0, {len(ids) - 2}] (the next character must exist), got {t}"
        )
    logits, _ = model.forward(ids[None, : t + 1])  # (1, t + 1, V)
    return float(softmax(logits[0, -1].astype(np.float64))[ids[t + 1]])


def saliency(model, ids, t):
    """How strongly each input character moves the log-probability of the next one.

    For the prediction made after reading ``ids[0..t]`` (its target is
    ``ids[t + 1]``), the saliency of position ``s <= t`` is

        S_s = || d log p(ids[t+1] | ids[0..t]) / d e_s ||,

    the norm of the gradient with respect to the *embedded* input ``e_s``
    (``W_embed[ids[s]]``): one forward pass and one backward pass from a
    gradient that is non-zero only at the output of step ``t``.

    Parameters
    ----------
    model : SequenceModel
        A character model (embedding, cross-entropy).
    ids : numpy.ndarray of int, shape (L,)
        The text, with ``L >= t + 2``; the state starts from zeros at ``ids[0]``.
    t : int
        Position of the last character read (``0 <= t <= L - 2``).

    Returns
    -------
    numpy.ndarray, shape (t + 1,)
        ``S_0 .. S_t``; ``S_t`` is the current input (lag 0).
    """
    _check_model(model)
    ids = _check_ids("ids", ids, model)
    t = check_int("t", t, low=0)
    if not t <= len(ids) - 2:
        raise ValueError(
            f"t must be in [0, {len(ids) - 2}] (the next character must exist), got {t}"
        )
    return saliency_windows(model, ids[None, : t + 2])[0]


def saliency_windows(model, windows, chunk=50):
    """:func:`saliency` of the last prediction of every row of ``windows``, batched.

    Parameters
    ----------
    model : SequenceModel
    windows : numpy.ndarray of int, shape (N, L + 1)
        Each row is read up to its second-to-last id; the last id is the target.
    chunk : int
        Rows per forward and backward pass: the caches of a pass grow with it (a
        two-layer LSTM of H = 256 keeps about 1.6 MB per row of 100 characters).

    Returns
    -------
    numpy.ndarray, shape (N, L)
        Row ``n``, column ``s``: the saliency of ``windows[n, s]``; the last column
        is lag 0.
    """
    _check_model(model)
    windows = _check_ids("windows", windows, model, "N, L + 1", (None, None))
    check_batch("windows", windows)
    if windows.shape[1] < 2:
        raise ValueError(f"windows must hold at least 2 ids per row, got shape {windows.shape}")
    chunk = check_int("chunk", chunk)
    norms = []
    for start in range(0, windows.shape[0], chunk):
        x, target = windows[start : start + chunk, :-1], windows[start : start + chunk, -1]
        logits, cache = model.forward(x)  # (n, L, V)
        p = softmax(logits[:, -1].astype(np.float64))  # (n, V)
        # d log p_y / d logits = onehot(y) - p, at the last step only
        dlogits = np.zeros_like(logits)
        dlogits[:, -1] = -p
        dlogits[np.arange(len(target)), -1, target] += 1
        grads = model.backward(dlogits, cache)
        norms.append(np.linalg.norm(grads["x"].astype(np.float64), axis=-1))  # (n, L)
    return np.concatenate(norms)


class TextSaliency:
    """:func:`saliency` and :func:`next_char_prob` of every prediction along one text, fast.

    For the explorer of notebook 07, which shows them for one position after another.
    One forward pass over ``ids`` when built (every prediction's probability is read
    from it); :meth:`saliency` then runs only the backward pass of the input gradient
    from output ``t``, over the activations kept, with the local derivatives of every
    step computed once: no weight gradients, no new forward pass. The values equal
    :func:`saliency` and :func:`next_char_prob` to float round-off (the prefix
    ``ids[0..t]`` is read as part of the whole text, the same products are summed in
    another order); tests/test_lm.py checks it. A GRU uses :func:`saliency`.

    Parameters
    ----------
    model : SequenceModel
        A character model.
    ids : numpy.ndarray of int, shape (L,)
        The text, ``L >= 2``; the state starts from zeros at ``ids[0]``.
    """

    def __init__(self, model, ids):
        self.model, self.ids = _check_model(model), _check_ids("ids", ids, model)
        if len(ids) < 2:
            raise ValueError(
                f"ids must hold at least 2 ids (read one, predict one), got {len(ids)}"
            )
        logits, cache = model.forward(ids[None, :-1])  # (1, L - 1, V)
        self._p = softmax(logits[0].astype(np.float64))  # (L - 1, V), as next_char_prob
        self._saliency = {}  # t -> (t + 1,) norms, filled as asked
        self._layers = []  # per layer, bottom first: (WxT, WhT, local derivatives)
        if model.cell not in ("rnn", "lstm"):
            return
        for k, layer in enumerate(cache.layers):
            Wx, Wh = model._layer_params(k)[:2]
            if model.cell == "rnn":  # da = dh * (1 - h^2)
                h = layer.h[0]  # (L - 1, H)
                local = (1 - h * h,)
            else:
                i, f, g, o, tanh_c = (
                    a[0] for a in (layer.i, layer.f, layer.g, layer.o, layer.tanh_c)
                )
                c_prev = np.concatenate([layer.c0, layer.c[0, :-1]])  # (L - 1, H)
                local = (
                    o * (1 - tanh_c * tanh_c),  # dh -> dc, through h = o * tanh(c)
                    np.stack([g * i * (1 - i), c_prev * f * (1 - f), i * (1 - g * g)], axis=1),
                    tanh_c * o * (1 - o),  # dh -> da_o
                    f,  # dc -> dc_prev
                )
            self._layers.append((Wx.T, Wh.T, local))

    def prob(self, t):
        """``next_char_prob(model, ids, t)``: the probability of ``ids[t + 1]``."""
        return float(self._p[t, self.ids[t + 1]])

    def saliency(self, t):
        """``saliency(model, ids, t)``, shape ``(t + 1,)``; kept for the next call.

        Positions are computed in pairs, ``2k`` and ``2k + 1`` in one backward pass of
        two rows (about the cost of one: the same weights are read once per step), so
        a move to the neighbouring position is often free.
        """
        t = check_int("t", t, low=0)
        if not t <= len(self.ids) - 2:
            raise ValueError(
                f"t must be in [0, {len(self.ids) - 2}] (the next character must exist), got {t}"
            )
        if t not in self._saliency:
            pair = [u for u in (t - t % 2, t - t % 2 + 1) if u <= len(self.ids) - 2]
            self._saliency.update(zip(pair, self._backward(pair), strict=True))
        return self._saliency[t]

    def _backward(self, ts):
        """The saliency of each position of ``ts`` (increasing), one row each."""
        model, dtype, H = self.model, self.model.dtype, self.model.hidden_size
        if not self._layers:  # a GRU
            return [saliency(model, self.ids, t) for t in ts]
        T, M, rows = ts[-1] + 1, len(ts), np.arange(len(ts))
        # d log p(ids[t+1]) / d logits_t = onehot - p, into the top layer's h_t; row m
        # of every (T, M, .) array below is position ts[m] (zero after it)
        dlogits = (-self._p[ts]).astype(dtype)  # (M, V)
        dlogits[rows, self.ids[np.add(ts, 1)]] += 1
        dh_in = np.zeros((T, M, H), dtype)  # gradient from above, at every step
        dh_in[ts, rows] = dlogits @ model.params["Wy"].T
        for WxT, WhT, local in reversed(self._layers):
            dA = np.empty((T, M, WhT.shape[0]), dtype)  # pre-activation gradients
            dh = np.zeros((M, H), dtype)  # carried back from step s + 1
            if len(local) == 1:  # RNN
                (tanh_deriv,) = local
                for s in range(T - 1, -1, -1):
                    np.multiply(dh_in[s] + dh, tanh_deriv[s], out=dA[s])
                    dh = dA[s] @ WhT
            else:  # LSTM: gates i, f, g, o
                to_c, ifg, to_o, forget = local
                dc = np.zeros((M, H), dtype)
                for s in range(T - 1, -1, -1):
                    dh_total = dh_in[s] + dh
                    dc_total = dc + dh_total * to_c[s]
                    np.multiply(dc_total[:, None], ifg[s], out=dA[s, :, : 3 * H].reshape(M, 3, H))
                    np.multiply(dh_total, to_o[s], out=dA[s, :, 3 * H :])
                    dc = dc_total * forget[s]
                    dh = dA[s] @ WhT
            dh_in = dA @ WxT  # (T, M, D): the layer's input gradient, for the one below
        norms = np.linalg.norm(dh_in.astype(np.float64), axis=-1)  # (T, M)
        return [norms[: t + 1, m] for m, t in enumerate(ts)]


def lag_profile(norms, near=LAG_NEAR, far=LAG_FAR):
    """Summaries of saliency by lag: where does the gradient mass sit?

    Parameters
    ----------
    norms : numpy.ndarray, shape (N, L) or (L,)
        From :func:`saliency_windows` (last column = lag 0).
    near, far : int
        Two lags to report the mass beyond.

    Returns
    -------
    dict
        ``"profile"``: (L,) mean share of the mass at lag ``k`` (each row normalised
        to sum 1 first, so every prediction counts equally); ``"mean_lag"``: the
        mass-weighted mean lag; ``"far_share"``: the share of the mass at lags
        ``> near``; ``"tail_share"``: at lags ``> far``.
    """
    ndim = np.ndim(norms) if np.ndim(norms) in (1, 2) else 2
    norms = np.atleast_2d(as_real_array("norms", norms, "N, L", ndim))
    check_batch("norms", norms)
    if norms.shape[1] == 0 or np.any(norms < 0) or np.any(norms.sum(axis=1) == 0):
        raise ValueError("norms must be >= 0, with a positive sum in every row")
    if np.any(np.isinf(norms.sum(axis=1))):
        raise FloatingPointError("norms overflow when summed: rescale them")
    near, far = check_int("near", near, low=0), check_int("far", far, low=0)
    norms = norms[:, ::-1]  # column k = lag k
    share = norms / norms.sum(axis=1, keepdims=True)
    profile = share.mean(axis=0)
    lags = np.arange(profile.size)
    return {
        "profile": profile,
        "mean_lag": float(profile @ lags),
        "far_share": float(profile[near + 1 :].sum()),
        "tail_share": float(profile[far + 1 :].sum()),
    }


# ---------------------------------------------------------------------------- speed


def training_throughput(
    cell,
    hidden_size,
    vocab_size,
    ids,
    batch_size,
    seq_len=25,
    steps=10,
    embed_size=32,
    seed=0,
    repeat=1,
):
    """Training speed in characters per second at one batch size (Adagrad, clip 5).

    Builds a fresh float32 model, trains one warm-up step, then times ``steps``
    steps of :meth:`SequenceModel.train` on :func:`rnnlib.data.text_batches`,
    ``repeat`` times, and keeps the fastest.

    Parameters
    ----------
    cell : {"rnn", "lstm"}
    hidden_size, vocab_size : int
    ids : numpy.ndarray of int, shape (L,)
    batch_size, seq_len, steps, embed_size, seed, repeat : int

    Returns
    -------
    float
        ``batch_size * seq_len * steps / seconds`` for the fastest of the repeats.
    """
    vocab_size = check_int("vocab_size", vocab_size)
    batch_size, seq_len = check_int("batch_size", batch_size), check_int("seq_len", seq_len)
    steps, repeat = check_int("steps", steps), check_int("repeat", repeat)
    ids = check_int_array("ids", ids, "L,", (None,), high=vocab_size)
    if len(ids) < batch_size * seq_len + 1:
        raise ValueError(
            f"ids has {len(ids)} ids: too short for one batch of batch_size * "
            f"seq_len = {batch_size * seq_len} (plus one target)"
        )
    model = SequenceModel(
        vocab_size,
        hidden_size,
        vocab_size,
        cell=cell,
        embedding=True,
        embed_size=embed_size,
        task="many_to_many",
        loss="cross_entropy",
        seed=seed,
        dtype=np.float32,
    )
    batches = (b for _ in range(10**6) for b in text_batches(ids, batch_size, seq_len))
    opt = Adagrad(0.1)
    model.train(batches, opt, steps=1, clip=5.0, carry_state=True)  # warm-up
    best = float("inf")
    for _ in range(max(int(repeat), 1)):
        start = time.perf_counter()
        model.train(batches, opt, steps=steps, clip=5.0, carry_state=True)
        best = min(best, time.perf_counter() - start)
    return batch_size * seq_len * steps / best
