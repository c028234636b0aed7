"""tools/class_time.py: the estimate counts what a notebook asks; the README quotes it."""

from pathlib import Path

import nbformat

from tools import class_time

ROOT = Path(__file__).resolve().parent.parent


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def test_notebook_load_counts_words_code_and_exercises_by_kind():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = _nb(
        md("[← 00](00.ipynb) | next"),  # navigation: not counted
        md("# Title\n\nFour words of prose."),
        code("x = 1"),
        md("## Exercises\n\n**Exercise 1: write it (implement it).** Do."),
        code("def f():\n    raise NotImplementedError  # your code here"),
        md("**2. Predict, then run.** Guess."),
        md("## Summary\n\n**3. not an exercise** after the summary"),
    )
    nb.cells[0].metadata["tags"] = ["navigation"]
    load = class_time.notebook_load(nb)
    assert load == {"words": 23, "code_cells": 2, "implementations": 1, "questions": 1}


def test_a_diagrams_alt_text_is_not_counted_as_reading():
    md = nbformat.v4.new_markdown_cell
    plain = class_time.notebook_load(_nb(md("Four words of prose.")))
    with_diagram = class_time.notebook_load(
        _nb(md("Four words of prose.\n\n![A long description of every box](images/x.svg)"))
    )
    assert with_diagram["words"] == plain["words"] == 4


def test_minutes_rounds_up_to_a_quarter_hour():
    load = {"words": 1000, "code_cells": 10, "implementations": 1, "questions": 1}
    # 10 + 10 + 15 + 5 = 40 minutes -> 45
    assert class_time.minutes(load) == 45


def test_the_readme_quotes_the_current_estimate():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(class_time.table())
    assert table in readme, (
        "README.md's 'Time in class' table is stale: paste the output of "
        "`python tools/class_time.py` into it"
    )
