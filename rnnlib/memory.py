"""Long-lag memory on the adding problem: who learned which lag, and how an LSTM holds a value.

Notebook 06 trains a vanilla RNN and an LSTM of the same size on
:func:`rnnlib.data.adding_problem` at growing lags, each with a small sweep of
learning rates and several seeds. This module turns those runs into answers:

- who learned which lag: :data:`LEARNED_THRESHOLD`, :func:`best_learning_rate`,
  :func:`learning_verdict`;
- what a trained model kept of the two marked values: :func:`recall_weights`;
- inside a trained LSTM: :func:`memory_units` (which units hold ``X1``),
  :func:`kept_units` (which units keep what they wrote at the first marker) and
  :func:`gate_stats` (its gates where the task needs them);
- :func:`example_predictions`, the trained models' outputs on a few test
  sequences, which the notebook's explorer widget draws;
- training and shipping the runs: :func:`held_out_sequences`, :func:`adding_scores`,
  :func:`train_adding` (one run, the function notebooks 06 and 08 and
  ``tools/train_adding.py`` and ``tools/train_adding_cells.py`` call),
  :func:`adding_run_name`, :func:`save_adding_runs` and :func:`load_adding_runs` (the
  trained weights in ``data/adding-memory.npz`` and ``data/adding-cells.npz``).

The scores of single predictions (:func:`rnnlib.data.adding_solved`,
:func:`rnnlib.data.adding_relative_mse`) live next to the task in :mod:`rnnlib.data`.
"""

from __future__ import annotations

import json

import numpy as np

from rnnlib._validate import (
    INPUT_HINT,
    check_array,
    check_finite,
    check_int,
    check_int_array,
    check_number,
)
from rnnlib.data import (
    adding_problem,
    adding_relative_mse,
    adding_solved,
    first_marker_window,
    marker_steps,
    save_npz,
)
from rnnlib.models import SequenceModel
from rnnlib.optim import Adam

__all__ = [
    "LEARNED_THRESHOLD",
    "VERDICTS",
    "adding_run_name",
    "adding_scores",
    "best_learning_rate",
    "example_predictions",
    "gate_stats",
    "held_out_sequences",
    "kept_units",
    "learning_verdict",
    "load_adding_runs",
    "memory_units",
    "recall_weights",
    "save_adding_runs",
    "train_adding",
]

#: A model "has learned" a lag when its mean success rate over runs is at least this.
LEARNED_THRESHOLD = 0.5

#: What :func:`learning_verdict` answers, from best to worst.
VERDICTS = ("learned", "partly learned", "at chance")


# ------------------------------------------------------------------- who learned which lag


def _rates(name, success, ndim):
    raw = np.asarray(success)
    if raw.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold success rates in [0, 1], got dtype {raw.dtype}")
    a = raw.astype(np.float64)
    if a.ndim != ndim or a.size == 0:
        raise ValueError(
            f"{name} must be a non-empty array with {ndim} dimensions, got shape {a.shape}"
        )
    if np.any(~np.isfinite(a)) or np.any((a < 0) | (a > 1)):
        raise ValueError(f"{name} must hold success rates in [0, 1]")
    return a


def best_learning_rate(success, select=None):
    """For each lag, the learning rate whose runs have the highest mean success rate.

    Parameters
    ----------
    success : array-like, shape (L, R, S)
        Success rates in [0, 1] of ``S`` runs (seeds) for each of ``R`` learning
        rates at each of ``L`` lags.
    select : array-like, shape (L, R, S), optional
        The success rates the choice is made on, if not ``success`` itself: the same
        runs scored on separate validation sequences, so that the rates reported
        (``success``, on the test sequences) did not choose themselves.

    Returns
    -------
    best : numpy.ndarray of int, shape (L,)
        Index of the best learning rate at each lag (the first one on a tie).
    runs : numpy.ndarray, shape (L, S)
        The success rates (from ``success``) of the runs at that learning rate.
    """
    a = _rates("success", success, 3)
    chosen = a if select is None else _rates("select", select, 3)
    if chosen.shape != a.shape:
        raise ValueError(f"select must have the shape of success, {a.shape}, got {chosen.shape}")
    best = chosen.mean(axis=2).argmax(axis=1)  # (L,)
    return best, a[np.arange(len(a)), best]


def learning_verdict(runs, chance, threshold=LEARNED_THRESHOLD, margin=0.1):
    """Sort one setting's runs into "learned", "partly learned" or "at chance", with a margin.

    - "learned": the mean success rate is at least ``threshold + margin``;
    - "at chance": every run is below ``chance + margin``;
    - "partly learned": anything else, a wide band on purpose: from one run just
      ``margin`` above chance to a mean just below ``threshold + margin``.

    The margins keep the verdict from flipping when a run near the limit of what a
    model can learn ends a few points higher or lower, as it does under another
    summation order of the same arithmetic (notebook 06, section 7).

    Parameters
    ----------
    runs : array-like, shape (S,)
        Success rates in [0, 1] of the runs of one model at one lag.
    chance : float
        The success rate of a model that learned nothing
        (:func:`rnnlib.data.adding_baseline_success`).
    threshold, margin : float

    Returns
    -------
    str
        One of :data:`VERDICTS`.
    """
    a = _rates("runs", runs, 1)
    chance = check_number("chance", chance, 0, 1)
    threshold = check_number("threshold", threshold, 0, 1)
    margin = check_number("margin", margin)
    if not 0 <= margin < threshold:
        raise ValueError(f"margin must be in [0, threshold) = [0, {threshold}), got {margin}")
    if a.mean() >= threshold + margin:
        return "learned"
    if np.all(a < chance + margin):
        return "at chance"
    return "partly learned"


# ------------------------------------------------------------ what a trained model kept


def recall_weights(x, pred):
    """How much of each marked value reaches the prediction: fit ``pred ~ a + w1 X1 + w2 X2``.

    Least squares over the ``N`` sequences. The exact answer has ``w1 = w2 = 1/4``;
    a model that has lost the first value has ``w1`` near 0.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
    pred : numpy.ndarray, shape (N, 1)

    Returns
    -------
    (float, float)
        ``(w1, w2)``.
    """
    first, second = marker_steps(x)
    check_array("pred", pred, "N, 1", (len(x), 1))
    check_finite("pred", pred, hint=INPUT_HINT)
    rows = np.arange(len(x))
    X = np.stack([np.ones(len(x)), x[rows, first, 0], x[rows, second, 0]], axis=1)  # (N, 3)
    coef, *_ = np.linalg.lstsq(X.astype(np.float64), np.ravel(pred).astype(np.float64), rcond=None)
    return float(coef[1]), float(coef[2])


# ---------------------------------------------------------------- inside a trained LSTM


def _check_lstm_cache(cache, x, fields):
    """``cache`` must hold (N, T, H) arrays ``fields`` of a forward pass over ``x``."""
    for field in fields:
        a = getattr(cache, field, None)
        if not isinstance(a, np.ndarray) or a.ndim != 3 or a.shape[:2] != x.shape[:2]:
            got = a.shape if isinstance(a, np.ndarray) else type(cache).__name__
            raise ValueError(
                f"cache must be the LSTMCache of lstm_forward over x, with "
                f"{field} of shape (N, T, H) = ({x.shape[0]}, {x.shape[1]}, H); "
                f"got {got}"
            )


def _column_correlations(a, b):
    """Pearson correlation over the rows (axis 0) of ``a`` (N, H) with ``b`` (N, H) or (N, 1)."""
    a, b = a - a.mean(axis=0), b - b.mean(axis=0)
    denom = np.sqrt((a**2).sum(axis=0) * (b**2).sum(axis=0))
    return (a * b).sum(axis=0) / np.maximum(denom, 1e-300)


def memory_units(x, cache, n_units=2):
    """The LSTM units whose cell state holds the first marked value ``X1``.

    For each unit, the correlation (over the ``N`` sequences) between its cell
    state just before the second marker, ``c_{t2 - 1}``, and ``X1``. A unit that
    stores ``X1`` has a correlation near +1 or -1 (the sign is the network's choice).

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
    cache : rnnlib.sequence.LSTMCache
        From ``lstm_forward`` on ``x`` (``model.forward(x)[1].seq``); ``c`` is (N, T, H).
    n_units : int

    Returns
    -------
    units : numpy.ndarray of int, shape (n_units,)
        Sorted by decreasing ``|correlation|``.
    corr : numpy.ndarray, shape (H,)
        The correlation of every unit.
    """
    first, second = marker_steps(x)
    _check_lstm_cache(cache, x, "c")
    n_units = check_int("n_units", n_units)
    rows = np.arange(len(x))
    x1 = x[rows, first, 0].astype(np.float64)
    c = cache.c[rows, second - 1].astype(np.float64)  # (N, H), just before the 2nd marker
    corr = _column_correlations(c, x1[:, None])
    return np.argsort(-np.abs(corr), kind="stable")[:n_units], corr


def kept_units(x, cache, n_units=2):
    """The LSTM units that keep what they wrote at the first marker until the second.

    For each unit, the correlation (over the ``N`` sequences) between its cell state
    at the first marker, ``c_{t1}`` (just after the write), and just before the second
    marker, ``c_{t2 - 1}``. Near +1: the value written is still there, up to a common
    scale; near 0: it was overwritten or has faded into what was written since.
    Unlike :func:`memory_units`, this asks how the unit holds its value, not only what
    it holds at the end: a unit can correlate with ``X1`` at ``t2 - 1`` because it
    rebuilds ``X1`` from other units at every step, without keeping its first write.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
    cache : rnnlib.sequence.LSTMCache
        From ``lstm_forward`` on ``x`` (``model.forward(x)[1].seq``); ``c`` is (N, T, H).
    n_units : int

    Returns
    -------
    units : numpy.ndarray of int, shape (n_units,)
        Sorted by decreasing correlation (a negative one keeps nothing).
    kept : numpy.ndarray, shape (H,)
        The correlation of every unit.
    """
    first, second = marker_steps(x)
    _check_lstm_cache(cache, x, "c")
    n_units = check_int("n_units", n_units)
    rows = np.arange(len(x))
    c1 = cache.c[rows, first].astype(np.float64)  # (N, H), the first write
    c2 = cache.c[rows, second - 1].astype(np.float64)  # (N, H), just before the 2nd marker
    kept = _column_correlations(c1, c2)
    return np.argsort(-kept, kind="stable")[:n_units], kept


def gate_stats(x, cache, units=None):
    """Mean gate values where the adding problem needs them.

    - ``i_markers`` / ``i_elsewhere``: the input gate at the two marked steps, and at
      all other steps (does it open to write the marked values?);
    - ``f_hold``: the forget gate on the steps after the first marker, except the
      second marker (does it keep the stored value?);
    - ``f_product``: the product of all forget gates after the first marker (the
      second marker's included), averaged over sequences: the fraction of what was
      written at the first marker that is still in the cell at the end.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, 2)
    cache : rnnlib.sequence.LSTMCache
    units : sequence of int, optional
        The units to average over; all units if None.

    Returns
    -------
    dict of float
    """
    first, _ = marker_steps(x)
    _check_lstm_cache(cache, x, "if")
    if units is not None:
        units = np.asarray(units) if isinstance(units, list | tuple) else units
        check_int_array("units", units, "U,", (None,), high=cache.i.shape[2])
    T = x.shape[1]
    units = slice(None) if units is None else units
    i, f = cache.i[:, :, units], cache.f[:, :, units]  # (N, T, U)
    marked = x[:, :, 1] > 0.5  # (N, T)
    after = np.arange(T) > first[:, None]  # (N, T)
    hold = after & ~marked  # after the first marker, not at the second
    log_f = np.where(after[:, :, None], np.log(f.astype(np.float64)), 0.0)
    return {
        "i_markers": float(i[marked].mean()),
        "i_elsewhere": float(i[~marked].mean()),
        "f_hold": float(f[hold].mean()),
        "f_product": float(np.exp(log_f.sum(axis=1)).mean()),
    }


def example_predictions(test_sets, models, n_examples=40):
    """Both trained models' predictions on the first test sequences, and the LSTM's memory.

    Computed once, so that a widget stepping through the examples only redraws.

    Parameters
    ----------
    test_sets : dict
        ``{T: (x, y)}`` with ``x`` (N, T, 2) and ``y`` (N, 1).
    models : dict
        ``{T: {"rnn": SequenceModel, "lstm": SequenceModel}}``, trained at lag ``T``.
    n_examples : int
        How many test sequences per lag to keep (the first ones).

    Returns
    -------
    dict
        ``{T: {"x", "y", "pred": {"rnn", "lstm"}, "c", "unit", "kept", "f_product"}}``:
        ``pred`` arrays are (n, 1); ``c`` (n, T) is the cell state of the LSTM unit
        that best keeps its first write (:func:`kept_units` on the whole test set),
        ``unit`` its index, ``kept`` its correlation between ``c`` at the first marker
        and just before the second, ``f_product`` the mean product of its forget gates
        after the first marker (:func:`gate_stats`).
    """
    n_examples = check_int("n_examples", n_examples)
    for name, d in (("test_sets", test_sets), ("models", models)):
        if not isinstance(d, dict):
            raise TypeError(f"{name} must be a dict keyed by the lag T, got {type(d).__name__}")
    missing = sorted(set(models) - set(test_sets))
    if missing:
        raise ValueError(f"test_sets has no test set for T = {missing} (models has)")
    frames = {}
    for T in sorted(models):
        x, y = test_sets[T]
        out, cache = models[T]["lstm"].forward(x)
        units, kept = kept_units(x, cache.seq, n_units=1)
        keep = slice(0, int(n_examples))
        frames[T] = {
            "x": x[keep],
            "y": y[keep],
            "pred": {"rnn": models[T]["rnn"].predict(x[keep]), "lstm": out[keep]},
            "c": cache.seq.c[keep, :, units[0]],
            "unit": int(units[0]),
            "kept": float(kept[units[0]]),
            "f_product": gate_stats(x, cache.seq, units=units[:1])["f_product"],
        }
    return frames


# ------------------------------------------------------------ training and shipping runs


def held_out_sequences(T, seed, n=1000, dtype=np.float64):
    """``n`` adding-problem sequences of lag ``T`` that no model trains on.

    The first marker sits in the first tenth (:func:`rnnlib.data.first_marker_window`),
    so the first value is held for at least ``0.9 T`` steps. Notebook 06 scores its
    runs on ``held_out_sequences(T, 1000 + T)`` (test) and ``held_out_sequences(T,
    2000 + T)`` (validation, which chooses the learning rate).

    Parameters
    ----------
    T : int
        Sequence length (the lag).
    seed : int
        Seed of the generator that makes them.
    n : int
        Number of sequences.
    dtype : numpy dtype

    Returns
    -------
    x : numpy.ndarray, shape (n, T, 2)
    y : numpy.ndarray, shape (n, 1)
    """
    T = check_int("T", T, low=1)
    seed = check_int("seed", seed, low=0)
    n = check_int("n", n, low=1)
    k = first_marker_window(T)
    return adding_problem(n, T, np.random.default_rng(seed), first_within=k, dtype=dtype)


def adding_scores(model, test, val):
    """A trained model's scores: test success rate, test MSE / baseline, validation success.

    Parameters
    ----------
    model : rnnlib.models.SequenceModel
        A ``many_to_one`` model with one output.
    test, val : tuple (x, y)
        ``x`` (N, T, 2) and ``y`` (N, 1), e.g. from :func:`held_out_sequences`.

    Returns
    -------
    tuple of float
        ``(test success rate, test MSE / adding_baseline_mse(), validation success rate)``.
    """
    if not isinstance(model, SequenceModel):
        raise TypeError(f"model must be a SequenceModel, got {type(model).__name__}")
    (x_test, y_test), (x_val, y_val) = _pair("test", test), _pair("val", val)
    pred = model.predict(x_test)
    return (
        float(adding_solved(pred, y_test).mean()),
        float(adding_relative_mse(pred, y_test)),
        float(adding_solved(model.predict(x_val), y_val).mean()),
    )


def _pair(name, xy):
    if not isinstance(xy, tuple | list) or len(xy) != 2:
        raise TypeError(f"{name} must be a pair (x, y) of adding-problem sequences")
    return xy


def train_adding(
    cell,
    T,
    lr,
    seed,
    test=None,
    val=None,
    *,
    hidden,
    steps=300,
    checkpoints=None,
    batch=64,
    clip=1.0,
    forget_bias=2.0,
    update_bias=2.0,
    nudge=False,
    dtype=np.float64,
):
    """Train one model on the adding problem at lag ``T``; score it at the checkpoints.

    ``SequenceModel(2, hidden, 1, cell=cell, forget_bias=forget_bias,
    update_bias=update_bias, seed=seed)`` (``task="many_to_one"``, MSE) trained with
    Adam at rate ``lr``, gradients clipped to global norm ``clip``, for ``steps``
    steps of ``batch`` fresh sequences of lag ``T`` from ``default_rng(100 + seed)``
    (so two models with the same seed see the same sequences). After each step listed
    in ``checkpoints`` it is scored with :func:`adding_scores` on ``test`` and
    ``val``. Notebook 06 and ``tools/train_adding.py``, notebook 08 and
    ``tools/train_adding_cells.py`` call this function: same arguments, same weights.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    T : int
        Sequence length (the lag).
    lr : float
        Adam's learning rate.
    seed : int
        Seed of the initial weights; the training sequences use ``100 + seed``.
    test, val : tuple (x, y), optional
        Held-out sequences of lag ``T``: ``x`` (N, T, 2), ``y`` (N, 1). Needed only
        to score at the checkpoints.
    hidden : int
        Hidden units H.
    steps : int
        Training steps.
    checkpoints : sequence of int, optional
        Steps (counted from 1) after which to score; default ``(steps,)`` when
        ``test`` and ``val`` are given, none when both are None.
    batch : int
        Sequences per step.
    clip : float
        Global gradient-norm threshold.
    forget_bias : float
        Initial bias of the LSTM's forget gate (ignored by the other cells).
    update_bias : float
        Initial bias of the GRU's update gate (ignored by the other cells).
    nudge : bool
        Move every initial weight to the next representable number up
        (``np.nextafter``) before training: notebook 06, section 7.
    dtype : numpy dtype

    Returns
    -------
    model : rnnlib.models.SequenceModel
        The trained model.
    scores : dict
        ``{step: (test success, test MSE / baseline, validation success)}``; empty
        without checkpoints.
    """
    T = check_int("T", T, low=1)
    seed = check_int("seed", seed, low=0)
    steps = check_int("steps", steps, low=1)
    batch = check_int("batch", batch, low=1)
    if checkpoints is None:
        checkpoints = () if test is None and val is None else (steps,)
    checkpoints = tuple(int(c) for c in checkpoints)
    if checkpoints:
        _pair("test", test), _pair("val", val)
    model = SequenceModel(
        2,
        hidden,
        1,
        cell=cell,
        forget_bias=forget_bias,
        update_bias=update_bias,
        seed=seed,
        dtype=dtype,
    )
    if nudge:
        model.params = {k: np.nextafter(p, np.inf) for k, p in model.params.items()}
    data_rng = np.random.default_rng(100 + seed)  # the same sequences for every model
    k = first_marker_window(T)
    scores = {}

    def evaluate(step, loss, model):
        if step + 1 in checkpoints:
            scores[step + 1] = adding_scores(model, test, val)

    model.train(
        lambda step: adding_problem(batch, T, data_rng, first_within=k, dtype=dtype),
        Adam(lr),
        steps=steps,
        clip=clip,
        callback=evaluate,
    )
    return model, scores


def adding_run_name(cell, T, lr, seed, forget_bias=2.0, nudge=False):
    """The name of one run in ``data/adding-memory.npz`` or ``data/adding-cells.npz``.

    For example ``"lstm-T40-lr0.02-seed0"`` or ``"gru-T5-lr0.003-seed2"``.

    A forget bias other than 2 (LSTM only) adds ``-bias1``; a nudged run ``-nudged``.
    """
    name = f"{cell}-T{int(T)}-lr{float(lr):g}-seed{int(seed)}"
    if cell == "lstm" and float(forget_bias) != 2.0:
        name += f"-bias{float(forget_bias):g}"
    return name + ("-nudged" if nudge else "")


def save_adding_runs(path, models, arrays=None, info=None):
    """Save trained models, extra arrays and a JSON-able ``info`` to a compressed ``.npz``.

    Each model is stored as its config (in ``__models__``) and one array per
    parameter, ``"<name>/<parameter>"``; no pickle. The file is what
    ``np.savez_compressed`` writes, except that every member carries the same fixed
    date: saving the same runs twice gives the same bytes.

    Parameters
    ----------
    path : str or path
    models : dict
        ``{name: SequenceModel}``.
    arrays : dict, optional
        ``{name: numpy.ndarray}``, e.g. the scores measured during training.
    info : dict, optional
        Anything JSON can hold: the command, the settings.
    """
    out = {
        "__models__": np.array(json.dumps({n: m.config for n, m in models.items()})),
        "__info__": np.array(json.dumps(info or {})),
    }
    for name, model in models.items():
        for k, p in model.params.items():
            out[f"{name}/{k}"] = p
    for name, a in (arrays or {}).items():
        out[f"__array__/{name}"] = np.asarray(a)
    save_npz(path, out)  # np.savez_compressed, with a fixed date: the same bytes


def load_adding_runs(path):
    """Read what :func:`save_adding_runs` wrote.

    Returns
    -------
    models : dict
        ``{name: SequenceModel}`` with the stored weights.
    arrays : dict
        ``{name: numpy.ndarray}``.
    info : dict
    """
    with np.load(path, allow_pickle=False) as f:
        configs = json.loads(str(f["__models__"]))
        info = json.loads(str(f["__info__"]))
        models = {}
        for name, config in configs.items():
            model = SequenceModel(**config, seed=0)
            for k, p in model.params.items():
                stored = f[f"{name}/{k}"]
                check_array(f"{name}/{k}", stored, "as saved", p.shape)
                model.params[k] = stored.astype(model.dtype)
            models[name] = model
        prefix = "__array__/"
        arrays = {n[len(prefix) :]: f[n] for n in f.files if n.startswith(prefix)}
    return models, arrays, info
