"""Seeded data for the course: a noisy time series, the adding problem, character text.

And :func:`save_npz`, which stores arrays so that the same arrays give the same bytes
(the shipped weights and measurements in ``data/``).

Everything random takes ``rng``: a ``numpy.random.Generator``
(``rng = np.random.default_rng(0)``), an int seed, or None (fresh, unreproducible
numbers), exactly what ``np.random.default_rng`` accepts. Nothing touches numpy's
global random state, so the same seed gives the same data.
"""

from __future__ import annotations

import zipfile

import numpy as np

from rnnlib._validate import (
    INPUT_HINT,
    check_array,
    check_batch,
    check_finite,
    check_int,
    check_int_array,
    check_number,
    check_rng,
)

__all__ = [
    "ADDING_TOL",
    "CharVocab",
    "adding_baseline_mse",
    "adding_baseline_success",
    "adding_problem",
    "adding_relative_mse",
    "adding_solved",
    "first_marker_window",
    "marker_steps",
    "noisy_sine",
    "save_npz",
    "text_batches",
]


def _check_positive(**kwargs):
    for name, v in kwargs.items():
        check_int(name, v)


# -------------------------------------------------------------------- noisy sine


def noisy_sine(N, T, rng, noise=0.1, freq=(1 / 40, 1 / 10), amplitude=1.0, dtype=np.float64):
    """Noisy sine waves for one-step-ahead prediction: ``x_t = s_t``, ``y_t = s_{t+1}``.

    Each of the ``N`` series is ``s_t = amplitude * sin(2 pi f t + phi) + noise * e_t``
    for ``t = 0, ..., T``, with its own frequency ``f ~ Uniform(freq)`` (in cycles per
    step, by default between 1/40 and 1/10, i.e. a period of 10 to 40 steps), its own
    phase ``phi ~ Uniform[0, 2 pi)`` and ``e_t ~ Normal(0, 1)`` independent.

    Parameters
    ----------
    N, T : int
        Number of series and their length.
    rng : numpy.random.Generator, int seed or None
        Source of randomness; an int gives the same data on every call.
    noise : float
        Standard deviation of the additive noise (>= 0).
    freq : (float, float)
        Range of the frequency, in cycles per time step.
    amplitude : float
        Amplitude of the clean wave.
    dtype : numpy dtype

    Returns
    -------
    x : numpy.ndarray, shape (N, T, 1)
        ``s_0, ..., s_{T-1}``.
    y : numpy.ndarray, shape (N, T, 1)
        The next value, ``s_1, ..., s_T`` (so ``y[:, t] == x[:, t + 1]``).

    Notes
    -----
    The noise in ``s_{t+1}`` cannot be predicted from the past, so no model gets
    the mean squared error below ``noise**2``: that is the floor to compare with.
    """
    _check_positive(N=N, T=T)
    noise = check_number("noise", noise, 0)
    amplitude = check_number("amplitude", amplitude)
    try:
        lo, hi = (check_number("freq", f, 0, open_low=True) for f in freq)
    except (TypeError, ValueError):
        lo, hi = 1, 0  # reported just below
    if not lo <= hi:
        raise ValueError(f"freq must be a pair 0 < freq[0] <= freq[1], got {freq!r}")
    rng = check_rng("rng", rng)
    f = rng.uniform(lo, hi, size=(N, 1))
    phi = rng.uniform(0, 2 * np.pi, size=(N, 1))
    t = np.arange(T + 1)
    s = amplitude * np.sin(2 * np.pi * f * t + phi) + noise * rng.standard_normal((N, T + 1))
    s = s.astype(dtype)[:, :, None]  # (N, T+1, 1)
    return s[:, :-1].copy(), s[:, 1:].copy()


# ---------------------------------------------------------------- adding problem

ADDING_TOL = 0.04
"""A sequence of the adding problem counts as solved if ``|pred - y| < ADDING_TOL``
(Hochreiter & Schmidhuber 1997)."""


def adding_problem(N, T, rng, first_within=None, dtype=np.float64):
    """The adding problem (Hochreiter & Schmidhuber 1997).

    Each step is a pair ``(value, marker)``: the value is uniform in ``[-1, 1]``, the
    marker is 1 at exactly two steps and 0 elsewhere. The target, read at the end,
    is ``y = 0.5 + (X1 + X2) / 4`` where ``X1``, ``X2`` are the two marked values, so
    ``y`` lies in ``[0, 1]``.

    Marker placement:

    - default (``first_within=None``): the first marker is uniform in the first half,
      ``[0, T // 2)``, the second uniform in the second half, ``[T // 2, T)``;
    - ``first_within=k``: the first marker is uniform in the first ``k`` steps,
      ``[0, k)``, the second still in ``[T // 2, T)``. With a small ``k`` the first
      marked value must be remembered for at least ``T - k`` steps: use it for
      experiments where the lag has to grow with ``T`` (``k = 10`` is close to the
      1997 paper's first marker, "one of the first ten").

    Parameters
    ----------
    N : int
        Number of sequences.
    T : int
        Sequence length, >= 2.
    rng : numpy.random.Generator, int seed or None
        Source of randomness; an int gives the same data on every call.
    first_within : int, optional
        ``1 <= k <= T // 2``; see above.
    dtype : numpy dtype

    Returns
    -------
    x : numpy.ndarray, shape (N, T, 2)
        Channel 0: the values; channel 1: the markers (0 or 1).
    y : numpy.ndarray, shape (N, 1)
        The targets.
    """
    _check_positive(N=N, T=T)
    if T < 2:
        raise ValueError(f"T must be >= 2 to hold two markers, got {T}")
    half = T // 2
    k = half if first_within is None else first_within
    whole = isinstance(k, int | np.integer) and not isinstance(k, bool)
    if not whole or not 1 <= k <= half:
        raise ValueError(f"first_within must be an int in [1, T // 2] = [1, {half}], got {k}")
    rng = check_rng("rng", rng)
    values = rng.uniform(-1.0, 1.0, size=(N, T))
    first = rng.integers(0, k, size=N)
    second = rng.integers(half, T, size=N)
    rows = np.arange(N)
    markers = np.zeros((N, T))
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1).astype(dtype)  # (N, T, 2)
    y = 0.5 + (values[rows, first] + values[rows, second]) / 4
    return x, y[:, None].astype(dtype)  # (N, 1)


def adding_solved(pred, y, tol=ADDING_TOL):
    """Which sequences are solved: absolute error below ``tol`` (0.04 by default).

    Parameters
    ----------
    pred, y : numpy.ndarray, shape (N, 1) (or (N,))
        Predictions and targets of :func:`adding_problem`.
    tol : float

    Returns
    -------
    numpy.ndarray of bool, shape (N,)
        ``solved.mean()`` is the success rate.
    """
    if np.ndim(pred) == 1:
        check_array("pred", pred, "N", (None,))
    else:
        check_array("pred", pred, "N, 1", (None, 1))
    check_array("y", y, "same as pred", pred.shape)
    check_finite("pred", pred, hint=INPUT_HINT)
    check_finite("y", y, hint=INPUT_HINT)
    tol = check_number("tol", tol, 0, open_low=True)
    close = np.abs(pred - y) < tol  # (N,) or (N, 1)
    return close if close.ndim == 1 else close[:, 0]


def adding_baseline_mse():
    """MSE of always predicting the mean target 0.5: ``Var(0.5 + (X1 + X2) / 4) = 1/24``.

    ``X ~ Uniform[-1, 1]`` has variance ``2**2 / 12 = 1/3``; two independent ones
    add to ``2/3``; dividing by 4 divides the variance by 16: ``(2/3) / 16 = 1/24``
    (about 0.0417). A model whose MSE is not clearly below this has learned nothing.

    Returns
    -------
    float
    """
    var_x = (1 - (-1)) ** 2 / 12  # variance of Uniform[-1, 1]
    return 2 * var_x / 4**2


def adding_baseline_success(tol=ADDING_TOL):
    """Success rate of always predicting 0.5: ``P(|X1 + X2| < a) = a - a**2 / 4``, ``a = 4 tol``.

    The constant 0.5 misses ``y = 0.5 + (X1 + X2) / 4`` by ``|X1 + X2| / 4``, so it
    solves a sequence when ``|X1 + X2| < 4 tol = a``. ``S = X1 + X2`` of two
    independent ``Uniform[-1, 1]`` has the triangular density ``(2 - |s|) / 4`` on
    ``[-2, 2]``; integrating it over ``[-a, a]`` gives ``a - a**2 / 4`` (for
    ``a <= 2``). With ``tol = 0.04``: ``0.16 - 0.0064 = 0.1536``. This is the chance
    level of the success rate, as :func:`adding_baseline_mse` is that of the MSE.

    Parameters
    ----------
    tol : float
        In ``[0, 0.5]``.

    Returns
    -------
    float
    """
    a = 4 * check_number("tol", tol, 0, 0.5)
    return a - a**2 / 4


def adding_relative_mse(pred, y):
    """Mean squared error divided by the baseline's: ``mean((pred - y)**2) / (1/24)``.

    1 is what always predicting 0.5 gets (:func:`adding_baseline_mse`), 0.5 what a
    model that keeps only the second marked value gets at best, 0 is perfect. The
    success rate is the other score: ``adding_solved(pred, y).mean()``.

    Parameters
    ----------
    pred, y : numpy.ndarray, shape (N, 1)
        Predictions and targets of :func:`adding_problem`.

    Returns
    -------
    float
    """
    check_array("pred", pred, "N, 1", (None, 1))
    check_batch("pred", pred)
    check_array("y", y, "N, 1", pred.shape)
    check_finite("pred", pred, hint=INPUT_HINT)
    check_finite("y", y, hint=INPUT_HINT)
    err = np.asarray(pred, dtype=np.float64) - y
    with np.errstate(over="ignore"):  # a huge prediction scores inf, not a warning
        return float(np.mean(err**2) / adding_baseline_mse())


def first_marker_window(T):
    """How many of the first steps may hold the first marker: ``k = max(1, T // 10)``.

    Pass it as ``first_within`` to :func:`adding_problem`. The first marker then
    lies in the first tenth of the sequence, so its value has to be kept for at
    least ``T - k >= 0.9 T`` steps: the lag grows with ``T``. (With the default
    placement, the first half, the shortest lag would be only ``T / 2``.)

    Parameters
    ----------
    T : int
        Sequence length, >= 2.

    Returns
    -------
    int
    """
    return max(1, check_int("T", T, low=2) // 10)


def marker_steps(x):
    """The steps of the first and the second marker of each sequence.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
        Inputs of :func:`adding_problem`; channel 1 holds the markers (exactly two
        per sequence).

    Returns
    -------
    first, second : numpy.ndarray of int, shape (N,)
    """
    check_array("x", x, "N, T, 2", (None, None, 2))
    marked = x[:, :, 1] > 0.5  # (N, T)
    if not np.all(marked.sum(axis=1) == 2):
        raise ValueError("every sequence must have exactly two markers in x[:, :, 1]")
    T = x.shape[1]
    return marked.argmax(axis=1), T - 1 - marked[:, ::-1].argmax(axis=1)


# -------------------------------------------------------------------------- text


class CharVocab:
    """A character vocabulary: the sorted unique characters of a text.

    Parameters
    ----------
    text : str
        The corpus the vocabulary is built from (non-empty).

    Attributes
    ----------
    chars : list of str
        Sorted unique characters; ``chars[i]`` is the character with id ``i``.
    size : int
        ``V = len(chars)``.

    Examples
    --------
    >>> vocab = CharVocab("hello")
    >>> vocab.chars, vocab.size
    (['e', 'h', 'l', 'o'], 4)
    >>> vocab.encode("hole").tolist()
    [1, 3, 2, 0]
    >>> vocab.decode([1, 0, 2, 2, 3])
    'hello'
    """

    def __init__(self, text):
        if not isinstance(text, str) or not text:
            raise ValueError(
                f"text must be a non-empty str to build the vocabulary from, got {text!r:.40}"
            )
        self.chars = sorted(set(text))
        self.size = len(self.chars)
        self._index = {ch: i for i, ch in enumerate(self.chars)}

    def encode(self, text):
        """Ids of the characters of ``text``: int64 array of shape ``(len(text),)``.

        Raises
        ------
        ValueError
            If ``text`` holds a character that is not in the vocabulary.
        """
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__}")
        try:
            return np.array([self._index[ch] for ch in text], dtype=np.int64)
        except KeyError:
            unknown = sorted(set(text) - set(self._index))
            raise ValueError(
                f"characters not in the vocabulary: {unknown!r} (it was built from a "
                f"text with {self.size} distinct characters)"
            ) from None

    def decode(self, ids):
        """The string spelled by ``ids`` (any iterable of ints in ``[0, V)``)."""
        ids = np.asarray(ids)
        if ids.dtype.kind not in "iu":
            raise ValueError(f"ids must be ints in [0, {self.size}), got dtype {ids.dtype}")
        ids = ids.reshape(-1)
        check_int_array("ids", ids, "L", (None,), high=self.size)
        return "".join(self.chars[i] for i in ids)

    def __len__(self):
        return self.size

    def __repr__(self):
        return f"CharVocab(size={self.size})"


def text_batches(ids, batch_size, seq_len):
    """Batches for stateful truncated BPTT: ``batch_size`` contiguous streams read in order.

    The id stream is cut into ``N = batch_size`` rows of equal length ``n``
    (``ids[0:n]``, ``ids[n:2n]``, ...). Batch ``k`` is the ``k``-th window of
    ``seq_len`` columns of every row, with the target one character ahead::

        x = rows[:, k*seq_len : (k+1)*seq_len]       # (N, seq_len)
        y = ids shifted by one, same window            # y[b, t] = next id after x[b, t]

    Row ``b`` of batch ``k + 1`` continues exactly where row ``b`` of batch ``k``
    stopped, so the final hidden state of one batch is the right initial state of
    the next (carry it, and stop the gradient there).

    Parameters
    ----------
    ids : numpy.ndarray of int, shape (L,)
        The encoded text.
    batch_size : int
        Number of parallel streams ``N``.
    seq_len : int
        Truncation length (time steps per batch).

    Returns
    -------
    iterator of (x, y)
        ``x``, ``y``: int arrays of shape ``(N, seq_len)`` (copies); ``ceil(n / seq_len)``
        batches in all.

    Notes
    -----
    ``n = (L - 1) // N``: the last ``L - 1 - N * n`` ids are dropped (fewer than ``N``).
    If ``seq_len`` does not divide ``n``, the **last batch is shorter**
    (``n % seq_len`` steps): code that assumes a fixed ``T`` must handle it.
    """
    check_int_array("ids", ids, "L", (None,))
    _check_positive(batch_size=batch_size, seq_len=seq_len)
    n = (len(ids) - 1) // batch_size
    if n < 1:
        raise ValueError(
            f"ids has {len(ids)} ids: too short for batch_size={batch_size} (need at least "
            f"batch_size + 1)"
        )
    xs = ids[: batch_size * n].reshape(batch_size, n)  # (N, n)
    ys = ids[1 : batch_size * n + 1].reshape(batch_size, n)  # (N, n), one ahead
    # The checks above run when text_batches is called; the batches come lazily.
    return _windows(xs, ys, seq_len)


def _windows(xs, ys, seq_len):
    for start in range(0, xs.shape[1], seq_len):
        yield xs[:, start : start + seq_len].copy(), ys[:, start : start + seq_len].copy()


# -------------------------------------------------------------------- files


def save_npz(path, arrays):
    """Write ``arrays`` as ``np.savez_compressed`` does, but the same arrays, the same bytes.

    ``np.savez_compressed`` stamps every zip member with the time of writing; here every
    member carries one fixed date (1980-01-01), so that a seeded script that ships its
    results (``tools/train_adding.py``, ``tools/measure_reach.py``) writes an identical
    file on every run. ``np.load`` reads it as usual. Members are written in sorted order,
    as zip64 entries, without pickle.

    Parameters
    ----------
    path : str or path
    arrays : dict of str -> array_like
        ``{name: array}``; a JSON text goes in as ``np.array(json.dumps(...))``.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key in sorted(arrays):
            member = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(member, "w", force_zip64=True) as fid:
                np.lib.format.write_array(fid, np.asarray(arrays[key]), allow_pickle=False)
