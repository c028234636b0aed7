"""Units you can name: which hidden or cell units of a character model track a feature of the text.

Karpathy, Johnson & Fei-Fei ("Visualizing and Understanding Recurrent Networks",
2015) found single LSTM cells that follow quotes, brackets or the position in a line.
This module makes the search reproducible and honest:

1. :func:`text_features` computes, for every character of a text, features that a
   reader can check by eye: inside double quotes, bracket depth, position in the line,
   on an indented line;
2. :func:`unit_activations` runs a model over the same text and records every unit of
   every layer (hidden state ``h``, and for the LSTM the cell state ``c``) after each
   character;
3. :func:`correlations` gives Pearson's r of every unit with every feature, and
   :func:`best_units` the unit that tracks each feature best, with its r.

A correlation says that a unit's value goes up and down with a feature over this text;
it does not say that the unit computes the feature, or that the model uses it.

Example::

    feats = text_features(text)
    acts = unit_activations(model, vocab.encode(text))
    for row in best_units(feats, acts):
        print(row.feature, row.group, row.unit, f"{row.r:+.2f}")
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rnnlib._validate import as_real_array, check_array, check_int, check_int_array
from rnnlib.models import SequenceModel

__all__ = [
    "FEATURES",
    "UnitMatch",
    "best_units",
    "correlations",
    "text_features",
    "unit_activations",
]

#: the features of :func:`text_features`, in order
FEATURES = ("inside quotes", "bracket depth", "position in line", "indented line")
#: leading spaces that make a line part of an indented block (code, grammar, examples)
INDENT = 3
OPENING, CLOSING = "([{", ")]}"


def _check_text(text):
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    if not text:
        raise ValueError("text must hold at least one character")
    return text


def text_features(text):
    """Character-level features of a text, each the state *after* reading a character.

    - ``"inside quotes"``: 1 between a double quote ``"`` and the next one, else 0.
      The opening quote itself counts as inside, the closing one as outside (after
      reading it, the quote is closed). A blank line closes an open quote, so one
      unmatched quote does not flip the rest of the text.
    - ``"bracket depth"``: how many of ``( [ {`` are open after this character
      (a closing bracket lowers it; it never goes below 0; a blank line resets it).
    - ``"position in line"``: the character's column, 0 for the first of a line; a
      newline gets the column it ends.
    - ``"indented line"``: 1 for every character of a line that starts with at least
      ``INDENT`` = 3 spaces (the corpus's code examples and grammar rules), else 0.
      This one looks ahead: the first characters of a line belong to it before the
      spaces are read.

    Parameters
    ----------
    text : str, length L

    Returns
    -------
    dict of str to numpy.ndarray
        ``FEATURES`` in order, each float64 of shape ``(L,)``.
    """
    text = _check_text(text)
    L = len(text)
    quote, depth, column = np.zeros(L), np.zeros(L), np.zeros(L)
    inside, d, col, prev = False, 0, 0, ""
    for t, ch in enumerate(text):
        if ch == "\n" and prev == "\n":  # a blank line ends a paragraph
            inside, d = False, 0
        if ch == '"':
            inside = not inside
        elif ch in OPENING:
            d += 1
        elif ch in CLOSING:
            d = max(d - 1, 0)
        quote[t], depth[t], column[t] = inside, d, col
        col = 0 if ch == "\n" else col + 1
        prev = ch
    indented = np.zeros(L)
    start = 0
    for line in text.split("\n"):
        end = start + len(line) + 1  # with its newline
        if line.startswith(" " * INDENT) and line.strip():
            indented[start : min(end, L)] = 1.0
        start = end
    return dict(zip(FEATURES, (quote, depth, column, indented), strict=True))


def unit_activations(model, ids, chunk=512, streams=1):
    """Every unit of every layer after each character of ``ids``.

    Parameters
    ----------
    model : SequenceModel
        A character model (``embedding=True``), any cell, any number of layers.
    ids : numpy.ndarray of int, shape (L,)
        The text's ids; the state starts from zeros at ``ids[0]`` and is carried.
    chunk : int
        Characters per forward pass (the result does not depend on it).
    streams : int
        Read the text as this many consecutive pieces side by side, each from a
        zero state (a batch of ``streams`` rows: many times faster than one row).
        ``L`` must be a multiple of it. Only the first few characters of each piece
        differ from a single reading, while the state fills up.

    Returns
    -------
    dict of str to numpy.ndarray
        ``"layer 1 h"``, and for the LSTM ``"layer 1 c"``, then layer 2 and so on;
        each of shape ``(L, H)`` and the model's dtype (float32 for the shipped
        models: 20,000 characters of 1,024 units take 82 MB): row ``t`` is the
        state after reading ``ids[t]``.
    """
    if not isinstance(model, SequenceModel) or not model.embedding:
        raise ValueError("model must be a SequenceModel with embedding=True (a character model)")
    ids = check_int_array("ids", ids, "L,", (None,), high=model.config["input_size"])
    if ids.size == 0:
        raise ValueError("ids must hold at least one id")
    chunk = check_int("chunk", chunk, low=1)
    streams = check_int("streams", streams, low=1)
    if ids.size % streams:
        raise ValueError(f"len(ids) = {ids.size} must be a multiple of streams = {streams}")
    rows = ids.reshape(streams, -1)  # (S, L / S): piece s is row s
    S, n = rows.shape
    shape = (S, n, model.hidden_size)  # piece, position in the piece, unit
    groups = {}
    for layer in range(model.num_layers):
        groups[f"layer {layer + 1} h"] = np.empty(shape, dtype=model.dtype)
        if model.cell == "lstm":
            groups[f"layer {layer + 1} c"] = np.empty(shape, dtype=model.dtype)
    state = None
    for start in range(0, n, chunk):
        _, cache = model.forward(rows[:, start : start + chunk], state)
        for layer, seq in enumerate(cache.layers):
            groups[f"layer {layer + 1} h"][:, start : start + chunk] = seq.h
            if model.cell == "lstm":
                groups[f"layer {layer + 1} c"][:, start : start + chunk] = seq.c
        state = cache.final_state
    return {k: v.reshape(-1, model.hidden_size) for k, v in groups.items()}  # text order


def correlations(features, activations):
    """Pearson's r of every unit with every feature.

    Parameters
    ----------
    features : dict of str to numpy.ndarray, each (L,)
        From :func:`text_features` (or features of your own).
    activations : dict of str to numpy.ndarray, each (L, H)
        From :func:`unit_activations`, over the same text.

    Returns
    -------
    dict of str to dict of str to numpy.ndarray
        ``r[feature][group]`` of shape ``(H,)``. A unit or a feature that never
        changes over the text has r = 0 (no linear relation can be measured).
    """
    for name, d in (("features", features), ("activations", activations)):
        if not isinstance(d, dict) or not d:
            raise ValueError(f"{name} must be a non-empty dict of arrays, got {d!r:.60}")
    feats = {n: as_real_array(f"features[{n!r}]", f, "L,", 1) for n, f in features.items()}
    L = next(iter(feats.values())).shape[0]
    for n, f in feats.items():
        check_array(f"features[{n!r}]", f, "L,", (L,))

    def standardise(a):  # in place: a is a float64 copy of ours
        a -= a.mean(axis=0)
        sd = np.sqrt(np.einsum("i...,i...->...", a, a) / len(a))
        return np.divide(a, sd, out=np.zeros_like(a), where=sd > 0)

    fz = {name: standardise(f.copy()) for name, f in feats.items()}
    result = {name: {} for name in feats}
    for g, a in activations.items():  # one group at a time: one float64 copy at a time
        name = f"activations[{g!r}]"
        az = check_array(name, as_real_array(name, a, "L, H", 2), "L, H", (L, None))
        az = standardise(az)
        for feature, f in fz.items():
            result[feature][g] = np.clip(f @ az / L, -1.0, 1.0)
    return result


class UnitMatch(NamedTuple):
    """The unit that tracks a feature best: its group, its index and Pearson's r."""

    feature: str
    group: str  # "layer 2 c": the layer and the state (h or c)
    unit: int
    r: float


def best_units(features, activations):
    """For each feature, the unit with the largest ``|r|`` over every group.

    Parameters
    ----------
    features, activations : dict
        As for :func:`correlations`.

    Returns
    -------
    list of UnitMatch
        One per feature, in the order of ``features``. A negative r is as good as a
        positive one: the unit then falls where the feature rises.
    """
    out = []
    for name, by_group in correlations(features, activations).items():
        group, r = max(by_group.items(), key=lambda item: np.abs(item[1]).max())
        unit = int(np.argmax(np.abs(r)))
        out.append(UnitMatch(name, group, unit, float(r[unit])))
    return out
