"""Notebook 09's bottleneck experiment: copy a digit string, with and without attention.

The task is the plainest one that needs the whole source: read a string of 5 to 60
random digits, then write it back (``"40718" -> "40718"``). Without attention the
decoder knows the source only through the encoder's last state ``h_S``, one vector
of ``H`` numbers, which must hold every digit; with attention it can look each digit
up. Random digits cannot be guessed from their neighbours, so nothing but memory
(or a look-up) gets them right.

The experiment's settings are :data:`EXPERIMENT`. Its data, all seeded:

- :func:`test_sources` and :func:`validation_sources`: fixed sets, the same number of
  strings at every length, disjoint from each other;
- :func:`training_sources`: the pool of one seed, which never holds a test or a
  validation string;
- :func:`copy_batches`: mini-batches from the pool, all strings of a batch of one
  length (no padding, and half the steps of a padded batch on average).

:func:`train_model` trains one model; ``tools/train_copy.py`` runs the learning-rate
sweep and the seeds and ships the weights; :func:`decode` and
:func:`scores_by_length` score a model as notebook 09 does.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from rnnlib._validate import check_int, check_number, check_rng, check_strings
from rnnlib.dates import DateVocab, encode_batch
from rnnlib.seq2seq import Seq2Seq, matched_hidden_size, train

__all__ = [
    "BINS",
    "EXPERIMENT",
    "DigitVocab",
    "copy_batches",
    "decode",
    "model_sizes",
    "random_digits",
    "scores_by_length",
    "test_sources",
    "train_model",
    "training_sources",
    "validation_sources",
]

#: Settings of the experiment (``tools/train_copy.py`` ships its weights): source
#: lengths ``low`` to ``high``, embedding size ``E``, the attention model's hidden size
#: ``H`` and its kind of attention (the model without attention gets the ``H`` that
#: matches its parameter count), batch size, training steps, the learning rates of the
#: sweep, the pool of training strings per seed, and test / validation strings per length.
EXPERIMENT = dict(
    low=5,
    high=60,
    E=16,
    H=64,
    attention="dot",
    batch=64,
    steps=4000,
    rates=(0.003, 0.01, 0.03),
    n_train=60000,
    test_per_length=20,
    val_per_length=8,
)

#: Source lengths grouped for the accuracy table (inclusive ranges).
BINS = ((5, 10), (11, 20), (21, 30), (31, 40), (41, 50), (51, 60))

_TEST_SEED, _VAL_SEED = 9090, 9191


class DigitVocab(DateVocab):
    """Digits <-> token ids, with ``<pad>`` = 0, ``<s>`` = 1, ``</s>`` = 2 as in the dates task.

    A :class:`rnnlib.dates.DateVocab` of the ten digits only: ``decode`` is the dates
    task's; ``encode`` says which characters are not digits.
    """

    def __init__(self):
        self.chars = ["<pad>", "<s>", "</s>", *"0123456789"]
        self.index = {c: i for i, c in enumerate(self.chars)}

    def encode(self, text):
        """Token ids of a digit string (no start or end symbol)."""
        if not isinstance(text, str):
            raise ValueError(f"text must be a str of digits, got {type(text).__name__}")
        bad = sorted(set(text) - set("0123456789"))
        if bad:
            raise ValueError(f"text must hold only the digits 0-9, got {bad}")
        return [self.index[c] for c in text]


def random_digits(lengths, rng):
    """One random digit string per entry of ``lengths`` (digits uniform in 0-9).

    Parameters
    ----------
    lengths : array_like of int, shape (n,)
        Length of every string, each at least 1.
    rng : numpy.random.Generator or int

    Returns
    -------
    list of str
    """
    lengths = np.asarray(lengths) if not isinstance(lengths, str | bytes) else np.asarray(None)
    if lengths.ndim != 1 or lengths.dtype.kind not in "iu":
        raise ValueError(f"lengths must be a 1-d array of int, got {lengths.dtype} {lengths.shape}")
    if lengths.size and (lengths.min() < 1 or lengths.max() > 1000):
        raise ValueError(
            f"lengths must be in [1, 1000], got values from {lengths.min()} to {lengths.max()}"
        )
    rng = check_rng("rng", rng)
    if not lengths.size:
        return []
    digits = rng.integers(0, 10, size=(lengths.size, int(lengths.max())))
    chars = np.array(list("0123456789"))[digits]
    return ["".join(row[:L]) for row, L in zip(chars, lengths, strict=True)]


def _per_length(per_length, seed, exclude=()):
    """``per_length`` distinct strings of every length low..high, none in ``exclude``."""
    e = EXPERIMENT
    rng = np.random.default_rng(seed)
    exclude, out = set(exclude), []
    for L in range(e["low"], e["high"] + 1):
        got = []
        while len(got) < per_length:
            for s in random_digits(np.full(per_length, L), rng):
                if s not in exclude and s not in got and len(got) < per_length:
                    got.append(s)
        out += got
    return out


@lru_cache(maxsize=4)
def _fixed(which):
    test = tuple(_per_length(EXPERIMENT["test_per_length"], _TEST_SEED))
    if which == "test":
        return test
    return tuple(_per_length(EXPERIMENT["val_per_length"], _VAL_SEED, exclude=test))


def test_sources():
    """The test strings: ``EXPERIMENT["test_per_length"]`` at every length, seeded and fixed.

    Returns
    -------
    list of str
        Grouped by length, shortest first.
    """
    return list(_fixed("test"))


def validation_sources():
    """The validation strings that choose each model's learning rate (none is a test string).

    Returns
    -------
    list of str
    """
    return list(_fixed("validation"))


def training_sources(seed):
    """The training pool of seed ``seed``: ``EXPERIMENT["n_train"]`` strings, lengths uniform.

    Strings that are test or validation strings are drawn again, so the pool never
    holds one (only short strings can collide: there are 10^5 strings of length 5).
    The pools, test and validation strings are computed once per process and kept:
    change :data:`EXPERIMENT` only in a new process.

    Parameters
    ----------
    seed : int

    Returns
    -------
    list of str
    """
    return list(_pool(check_int("seed", seed, low=0)))


@lru_cache(maxsize=3)
def _pool(seed):
    e = EXPERIMENT
    rng = np.random.default_rng([seed, 0])
    banned = set(test_sources()) | set(validation_sources())
    lengths = rng.integers(e["low"], e["high"] + 1, size=e["n_train"])
    pool = random_digits(lengths, rng)
    for k, s in enumerate(pool):
        while s in banned:
            s = random_digits(np.array([len(s)]), rng)[0]
        pool[k] = s
    return tuple(pool)


def copy_batches(vocab, sources, batch_size, steps, rng):
    """``steps`` mini-batches of (source, copy) pairs, each of strings of one length.

    Each batch picks a length uniformly among the pool's lengths, then ``batch_size``
    strings of that length (with replacement across batches).

    Parameters
    ----------
    vocab : DigitVocab
    sources : list of str
        The pool (:func:`training_sources`).
    batch_size, steps : int
    rng : numpy.random.Generator or int

    Returns
    -------
    generator of tuple
        What :func:`rnnlib.dates.encode_batch` returns with targets equal to sources.
    """
    sources = check_strings("sources", sources)
    batch_size, steps = check_int("batch_size", batch_size), check_int("steps", steps, low=0)
    rng = check_rng("rng", rng)
    by_length = {}
    for s in sources:
        by_length.setdefault(len(s), []).append(s)
    lengths = sorted(L for L, group in by_length.items() if len(group) >= batch_size)
    if not lengths:
        raise ValueError(f"sources must hold at least batch_size = {batch_size} of one length")
    encode_batch(vocab, sources[:1], sources[:1])  # checks vocab at the call

    def batches():
        for _ in range(steps):
            group = by_length[lengths[rng.integers(len(lengths))]]
            idx = rng.choice(len(group), size=batch_size, replace=False)
            chosen = [group[i] for i in idx]
            yield encode_batch(vocab, chosen, chosen)

    return batches()


def model_sizes():
    """Hidden sizes of the two models, ``{"attention": H, "none": H'}``, at matched counts."""
    e, V = EXPERIMENT, len(DigitVocab())
    target = Seq2Seq.count(V, e["E"], e["H"], attention=e["attention"])
    return {"attention": e["H"], "none": matched_hidden_size(target, V, e["E"])}


def train_model(kind, lr, seed, steps=None, dtype=np.float32):
    """Train one model of the experiment: ``kind`` "attention" or "none", at rate ``lr``.

    The initial weights come from ``[seed, 1]`` and the batches from ``[seed, 2]``, so
    both kinds of one seed see the same batches of :func:`training_sources`.

    Parameters
    ----------
    kind : {"attention", "none"}
    lr : float
        Adam's learning rate, in (0, 1].
    seed : int
    steps : int, optional
        Default ``EXPERIMENT["steps"]``.
    dtype : numpy dtype

    Returns
    -------
    model : Seq2Seq
    losses : numpy.ndarray, shape (steps,)
    """
    if kind not in ("attention", "none"):
        raise ValueError(f"kind must be 'attention' or 'none', got {kind!r}")
    lr = check_number("lr", lr, 0, 1, open_low=True)  # Adam's rates are far below 1
    seed = check_int("seed", seed, low=0)
    e = EXPERIMENT
    steps = e["steps"] if steps is None else check_int("steps", steps, low=0)
    vocab = DigitVocab()
    att = e["attention"] if kind == "attention" else None
    H = model_sizes()[kind]
    model = Seq2Seq(len(vocab), e["E"], H, np.random.default_rng([seed, 1]), att, dtype=dtype)
    batches = copy_batches(
        vocab, training_sources(seed), e["batch"], steps, np.random.default_rng([seed, 2])
    )
    return model, train(model, batches, lr=lr)


def decode(model, sources, chunk=500):
    """Greedy outputs of ``model`` for digit strings ``sources`` (in chunks of ``chunk``).

    Returns
    -------
    list of str
    """
    if not isinstance(model, Seq2Seq):
        raise ValueError(f"model must be a Seq2Seq, got {type(model).__name__}")
    sources = check_strings("sources", sources)
    chunk = check_int("chunk", chunk)
    vocab, out = DigitVocab(), []
    max_len = max((len(s) for s in sources), default=0) + 1
    for k in range(0, len(sources), chunk):
        src, mask = encode_batch(vocab, sources[k : k + chunk])
        ids, _ = model.greedy(src, mask, max_len=max_len)
        out += [vocab.decode(i) for i in ids]
    return out


def scores_by_length(outputs, targets, bins=BINS):
    """Exact matches and right characters, counted per range of target length.

    A character is right when the output holds the target's character at the same
    position (a missing one is wrong; characters past the target's end are not
    counted, but they make the output not an exact match).

    Parameters
    ----------
    outputs, targets : list of str, same length
    bins : sequence of (int, int)
        Inclusive ranges of length.

    Returns
    -------
    dict of numpy.ndarray of int, each shape (len(bins),)
        ``exact`` (outputs equal to their target), ``examples``, ``chars_right``,
        ``chars`` (target characters).
    """
    outputs, targets = check_strings("outputs", outputs), check_strings("targets", targets)
    if len(outputs) != len(targets):
        raise ValueError(
            f"outputs and targets must have the same length, got {len(outputs)} and {len(targets)}"
        )
    L = np.array([len(t) for t in targets])
    exact = np.array([o == t for o, t in zip(outputs, targets, strict=True)])
    right = np.array(
        [
            sum(a == b for a, b in zip(o, t, strict=False))
            for o, t in zip(outputs, targets, strict=True)
        ]
    )
    inside = [(L >= a) & (L <= b) for a, b in bins]
    return {
        "exact": np.array([int(exact[i].sum()) for i in inside]),
        "examples": np.array([int(i.sum()) for i in inside]),
        "chars_right": np.array([int(right[i].sum()) for i in inside]),
        "chars": np.array([int(L[i].sum()) for i in inside]),
    }
