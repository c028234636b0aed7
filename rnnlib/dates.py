"""The dates task of notebook 09: a date written one of many ways, rewritten as ISO 8601.

``"25 November 2026"``, ``"Nov 25, 26"``, ``"2026/11/25"``, ``"25.11.2026"`` ... all
become ``"2026-11-25"``. Generated offline with :mod:`datetime` and a seeded numpy
Generator; month and day names are spelled out here, so the locale plays no part.

Every character is a token. Three symbols are added: ``<pad>`` (index 0) fills the
end of shorter sequences, ``<s>`` (1) starts the decoder's input, ``</s>`` (2) ends
the target.
"""

from __future__ import annotations

import datetime

import numpy as np

from rnnlib._validate import check_int, check_rng, check_strings

__all__ = [
    "END",
    "FORMATS",
    "LENGTH_BINS",
    "PAD",
    "START",
    "DateVocab",
    "accuracy_by_length",
    "date_batches",
    "encode_batch",
    "format_date",
    "random_dates",
    "make_dates",
]

PAD, START, END = 0, 1, 2
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FIRST, LAST = datetime.date(1950, 1, 1), datetime.date(2049, 12, 31)


def _fields(d):
    return dict(
        d=d.day,
        m=d.month,
        y=d.year,
        yy=d.year % 100,
        B=MONTHS[d.month - 1],
        b=MONTHS[d.month - 1][:3],
        A=DAYS[d.weekday()],
        a=DAYS[d.weekday()][:3],
    )


#: The ways a date is written: ``str.format`` templates over the fields
#: d (day), m (month), y (year), yy (two-digit year), B/b (month name, long/short),
#: A/a (weekday name, long/short). Two-digit years mean 1950-2049.
FORMATS = (
    "{y:04d}{m:02d}{d:02d}",
    "{d:02d}.{m:02d}.{y:04d}",
    "{y:04d}/{m:02d}/{d:02d}",
    "{m}/{d}/{yy:02d}",
    "{d} {b} {yy:02d}",
    "{b} {d}, {yy:02d}",
    "{d} {b} {y:04d}",
    "{d} {B} {y:04d}",
    "{B} {d}, {y:04d}",
    "{a} {d} {b} {y:04d}",
    "{A}, {d} {B} {y:04d}",
    "{A}, {B} {d}, {y:04d}",
)


def format_date(date, fmt):
    """Write ``date`` (a :class:`datetime.date`) with one of :data:`FORMATS`."""
    if not isinstance(date, datetime.date):
        raise ValueError(f"date must be a datetime.date, got {type(date).__name__}")
    if not isinstance(fmt, str):
        raise ValueError(f"fmt must be a str such as {FORMATS[0]!r}, got {type(fmt).__name__}")
    fields = _fields(date)
    try:
        return fmt.format(**fields)
    except (KeyError, IndexError, ValueError) as err:
        raise ValueError(
            f"fmt must be a str.format template over the fields {sorted(fields)}, got {fmt!r}"
        ) from err


def random_dates(n, rng):
    """``n`` dates drawn uniformly from 1950-01-01 to 2049-12-31.

    Parameters
    ----------
    n : int
    rng : numpy.random.Generator or int
        A Generator, or a seed for one.

    Returns
    -------
    list of datetime.date
    """
    n, rng = check_int("n", n, low=0), check_rng("rng", rng)
    days = rng.integers(FIRST.toordinal(), LAST.toordinal() + 1, size=n)
    return [datetime.date.fromordinal(int(k)) for k in days]


def make_dates(n, rng, formats=FORMATS):
    """``n`` pairs (date written some way, the same date in ISO form).

    Parameters
    ----------
    n : int
    rng : numpy.random.Generator or int
        Draws the dates and, for each, one format uniformly from ``formats`` (an int
        seeds a new Generator).
    formats : sequence of str

    Returns
    -------
    sources : list of str
    targets : list of str
        ISO dates, ``"YYYY-MM-DD"`` (10 characters).
    """
    n, rng = check_int("n", n, low=0), check_rng("rng", rng)
    formats = check_strings("formats", formats)
    if not formats:
        raise ValueError("formats must hold at least one template")
    dates = random_dates(n, rng)
    which = rng.integers(len(formats), size=n)
    sources = [format_date(d, formats[k]) for d, k in zip(dates, which, strict=True)]
    return sources, [d.isoformat() for d in dates]


class DateVocab:
    """Characters <-> token ids, with ``<pad>`` = 0, ``<s>`` = 1, ``</s>`` = 2.

    Holds every character any format can produce, so any date of the task encodes.
    """

    def __init__(self):
        chars = set("0123456789-/.,: ")
        for name in MONTHS + DAYS:
            chars |= set(name)
        self.chars = ["<pad>", "<s>", "</s>"] + sorted(chars)
        self.index = {c: i for i, c in enumerate(self.chars)}

    def __len__(self):
        return len(self.chars)

    def encode(self, text):
        """Token ids of ``text`` (no start or end symbol)."""
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__}")
        bad = sorted(set(text) - set(self.index))
        if bad:
            raise ValueError(f"text holds characters outside the vocabulary: {bad}")
        return [self.index[c] for c in text]

    def decode(self, ids):
        """The text of ``ids``, stopping at ``</s>`` and skipping ``<pad>`` and ``<s>``."""
        ids = np.asarray(ids) if not isinstance(ids, str | bytes) else np.asarray(None)
        if ids.ndim != 1 or ids.dtype.kind not in "iu":
            raise ValueError(
                f"ids must be a 1-d sequence of int token ids, got dtype {ids.dtype} "
                f"and shape {ids.shape}"
            )
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.chars)):
            raise ValueError(
                f"ids must be in [0, {len(self.chars)}), got values from {ids.min()} to {ids.max()}"
            )
        out = []
        for i in ids:
            if i == END:
                break
            if i > END:
                out.append(self.chars[i])
        return "".join(out)


def encode_batch(vocab, sources, targets=None):
    """Pad a batch of strings into arrays the encoder-decoder reads.

    Parameters
    ----------
    vocab : DateVocab
        Or any object with its ``encode`` and ``decode``.
    sources : list of str, length N
    targets : list of str, length N, optional

    Returns
    -------
    src : numpy.ndarray of int, shape (N, S)
        Source ids, right-padded with ``<pad>``; S is the longest source.
    src_mask : numpy.ndarray of bool, shape (N, S)
        True at real characters.
    tgt_in : numpy.ndarray of int, shape (N, T)
        ``<s>`` followed by the target (teacher forcing feeds these); only with targets.
    tgt_out : numpy.ndarray of int, shape (N, T)
        The target followed by ``</s>``: what the decoder must emit at each step.
    tgt_mask : numpy.ndarray of bool, shape (N, T)
    """
    if not all(callable(getattr(vocab, m, None)) for m in ("encode", "decode")):
        raise ValueError(
            f"vocab must have encode and decode methods (a DateVocab), got {type(vocab).__name__}"
        )
    sources = check_strings("sources", sources)
    if targets is not None:
        targets = check_strings("targets", targets)
        if len(targets) != len(sources):
            raise ValueError(
                f"targets must have one entry per source: {len(sources)}, got {len(targets)}"
            )
    enc = [vocab.encode(s) for s in sources]
    if not enc or min(len(e) for e in enc) == 0:
        raise ValueError("sources must be a non-empty list of non-empty strings")
    S = max(len(e) for e in enc)
    src = np.full((len(enc), S), PAD, dtype=np.int64)
    for n, e in enumerate(enc):
        src[n, : len(e)] = e
    src_mask = src != PAD
    if targets is None:
        return src, src_mask
    dec = [vocab.encode(t) for t in targets]
    T = max(len(d) for d in dec) + 1
    tgt_in = np.full((len(dec), T), PAD, dtype=np.int64)
    tgt_out = np.full((len(dec), T), PAD, dtype=np.int64)
    for n, d in enumerate(dec):
        tgt_in[n, : len(d) + 1] = [START] + d
        tgt_out[n, : len(d) + 1] = d + [END]
    return src, src_mask, tgt_in, tgt_out, tgt_out != PAD


def date_batches(vocab, sources, targets, batch_size, steps, rng):
    """``steps`` random mini-batches of the pairs, encoded (a generator).

    Parameters
    ----------
    vocab : DateVocab
    sources, targets : list of str
        The training pairs (:func:`make_dates`).
    batch_size, steps : int
    rng : numpy.random.Generator or int
        Draws the examples of every batch (with replacement across batches).

    Returns
    -------
    generator of tuple
        Each item is what :func:`encode_batch` returns with targets. The arguments
        are checked at the call, before the first batch is drawn.
    """
    sources, targets = check_strings("sources", sources), check_strings("targets", targets)
    if len(targets) != len(sources):
        raise ValueError(
            f"targets must have one entry per source: {len(sources)}, got {len(targets)}"
        )
    batch_size, steps = check_int("batch_size", batch_size), check_int("steps", steps, low=0)
    if batch_size > len(sources):
        raise ValueError(
            f"batch_size must be at most the number of pairs, {len(sources)}, got {batch_size}"
        )
    rng = check_rng("rng", rng)
    encode_batch(vocab, sources[:1], targets[:1])  # checks vocab at the call

    def batches():
        for _ in range(steps):
            idx = rng.choice(len(sources), size=batch_size, replace=False)
            yield encode_batch(vocab, [sources[i] for i in idx], [targets[i] for i in idx])

    return batches()


#: Source lengths grouped for the accuracy-vs-length table (inclusive ranges).
LENGTH_BINS = ((6, 10), (11, 14), (15, 19), (20, 24), (25, 30))


def accuracy_by_length(outputs, targets, sources, bins=LENGTH_BINS):
    """Exact matches counted per range of source length.

    Parameters
    ----------
    outputs, targets, sources : list of str, same length

    Returns
    -------
    correct : numpy.ndarray of int, shape (len(bins),)
        Outputs equal to their target, per bin.
    total : numpy.ndarray of int, shape (len(bins),)
        Examples per bin.
    """
    outputs, targets = check_strings("outputs", outputs), check_strings("targets", targets)
    sources = check_strings("sources", sources)
    if not len(outputs) == len(targets) == len(sources):
        raise ValueError(
            f"outputs, targets and sources must have the same length, got "
            f"{len(outputs)}, {len(targets)} and {len(sources)}"
        )
    L = np.array([len(s) for s in sources])
    ok = np.array([o == t for o, t in zip(outputs, targets, strict=True)])
    inside = [(L >= a) & (L <= b) for a, b in bins]
    return np.array([int(ok[b].sum()) for b in inside]), np.array([int(b.sum()) for b in inside])
