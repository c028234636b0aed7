"""Estimate the class time of each notebook from what it asks of a learner.

Usage, from the repository's root::

    python tools/class_time.py            # the table, in the README's markdown form

The estimate is a count, not a stopwatch, and says what it rests on:

- reading: the words of the notebook's markdown at ``WORDS_PER_MINUTE`` (dense
  technical prose with equations is read far slower than the 200-250 words a minute
  of plain prose), without the diagrams' alt text, which stands in for a picture;
- running and reading the code: ``MINUTES_PER_CODE_CELL`` for each code cell;
- exercises: ``MINUTES_PER_IMPLEMENTATION`` for each one whose answer cell holds
  ``raise NotImplementedError`` (write a function, debug it against the check), and
  ``MINUTES_PER_QUESTION`` for each predict-then-run or explain-it question.

The total is rounded up to a quarter of an hour. ``tests/test_class_time.py`` checks
that the README's table is this script's output, so the README follows the notebooks.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_MINUTE = 100
MINUTES_PER_CODE_CELL = 1
MINUTES_PER_IMPLEMENTATION = 15
MINUTES_PER_QUESTION = 5

EXERCISES = re.compile(r"^#+ .*Exercises", re.M)
SUMMARY = re.compile(r"^#+ .*Summary", re.M)
ITEM = re.compile(r"^\*\*(?:Exercise )?\d+[.:]", re.M)
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
#: A diagram's alt text (``![what it shows](images/x.svg)``) is read instead of the
#: picture, not on top of it: it is not counted as words to read.
IMAGE_ALT = re.compile(r"!\[[^\]]*\]\([^)]*\)")


def notebook_load(nb):
    """What one notebook asks of a learner: words, code cells, exercises by kind.

    Parameters
    ----------
    nb : nbformat.NotebookNode

    Returns
    -------
    dict
        ``words``, ``code_cells``, ``implementations``, ``questions`` (ints).
    """
    words = code_cells = implementations = items = 0
    in_exercises = False
    for cell in nb.cells:
        if "navigation" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown":
            words += len(WORD.findall(IMAGE_ALT.sub(" ", cell.source)))
            if EXERCISES.search(cell.source):
                in_exercises = True
            if SUMMARY.search(cell.source):
                in_exercises = False
            if in_exercises:
                items += len(ITEM.findall(cell.source))
        elif cell.cell_type == "code" and cell.source.strip():
            code_cells += 1
            if in_exercises and "NotImplementedError" in cell.source:
                implementations += 1
    return {
        "words": words,
        "code_cells": code_cells,
        "implementations": implementations,
        "questions": max(items - implementations, 0),
    }


def minutes(load):
    """The estimated class time in minutes, rounded up to a quarter of an hour."""
    raw = (
        load["words"] / WORDS_PER_MINUTE
        + load["code_cells"] * MINUTES_PER_CODE_CELL
        + load["implementations"] * MINUTES_PER_IMPLEMENTATION
        + load["questions"] * MINUTES_PER_QUESTION
    )
    return int(math.ceil(raw / 15) * 15)


def _hours(m):
    h, rest = divmod(m, 60)
    return f"{h} h {rest:02d}" if h else f"{rest} min"


def table(folder=ROOT / "notebooks"):
    """The README's table: one row per notebook, as markdown lines."""
    lines = [
        "| notebook | words | code cells | exercises to implement | other questions | estimate |",
        "|---|---|---|---|---|---|",
    ]
    for path in sorted(Path(folder).glob("[0-9][0-9]-*.ipynb")):
        load = notebook_load(nbformat.read(path, as_version=4))
        lines.append(
            f"| {path.stem[:2]} | {load['words']:,} | {load['code_cells']} | "
            f"{load['implementations']} | {load['questions']} | {_hours(minutes(load))} |"
        )
    return lines


def main(argv=None):
    print("\n".join(table()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
