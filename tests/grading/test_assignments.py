"""nbgrader assignments generated from the course (issue 16): valid, leak-free, graded right.

Slow (a few minutes: nbgrader executes whole notebooks); skip with ``-m "not grading"``.
The autograding itself happens once, in ``conftest.py``; these tests read its results.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from harness import (
    CHEATS,
    HEAVY,
    NOTEBOOK_HASHES,
    expected_scores,
    notebook_hashes,
    rows,
    students,
)

from grading.generate import notebook_path, solution_body, solution_value
from grading.table import EXERCISES, notebooks

pytestmark = pytest.mark.grading


def _release(course, prefix):
    out, names = course
    name = names[prefix]
    return nbformat.read(out / "release" / name / f"{name}.ipynb", as_version=4)


def test_every_graded_notebook_has_an_assignment(course):
    out, names = course
    assert sorted(names) == notebooks()
    for prefix, name in names.items():
        assert (out / "source" / name / f"{name}.ipynb").exists()
        nb = _release(course, prefix)
        tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
        assert [c.metadata.nbgrader.grade_id for c in tests] == [
            "test_" + e.answer.removeprefix("my_") for e in rows(prefix)
        ]
        assert [c.metadata.nbgrader.points for c in tests] == [e.points for e in rows(prefix)]
        assert all(c.metadata.nbgrader.locked for c in tests)


def test_release_holds_no_solution_and_no_hidden_test(course):
    for prefix in notebooks():
        text = json.dumps(_release(course, prefix).cells)
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        assert "<details>" not in text
        cells = [c.source for c in _release(course, prefix).cells]
        course_nb = nbformat.read(notebook_path(prefix), as_version=4)
        given = "\n".join(c.source for c in course_nb.cells)
        for e in rows(prefix):
            if e.hidden["mode"] != "function":
                line = f"{e.answer} = {solution_value(e.solution)!r}"
                assert not any(line in c for c in cells), (prefix, line)
                continue
            body = [ln.strip() for ln in solution_body(e.solution).splitlines()]
            # every substantial line of the reference solution that the course notebook
            # does not show itself (a cache's unpacking, a stub's comment) is absent
            for line in body:
                if len(line) > 20 and line not in given and not line.startswith(("#", '"""')):
                    assert not any(line in c for c in cells), (prefix, e.answer, line)


def test_graded_answers_given_away_nowhere_in_the_release_text(course):
    """The summary lines and <details> answers named in grading/table.py are gone."""
    assert "because tanh saturates" not in json.dumps(_release(course, "02").cells)
    assert "1/24" not in "".join(
        c.source for c in _release(course, "06").cells if c.source.startswith("## Summary")
    )
    assert "An untrained model starts near" not in json.dumps(_release(course, "07").cells)
    assert "equal scores give the plain mean" not in "".join(
        c.source for c in _release(course, "09").cells if c.source.startswith("## Summary")
    )


def test_self_study_notebooks_are_untouched(course):
    """Building reads the course's notebooks, never writes them."""
    assert notebook_hashes() == NOTEBOOK_HASHES


def test_sources_pass_nbgrader_validate(graded):
    for prefix in notebooks():
        said = graded["validated"].get(prefix, "")
        assert "Success! Your notebook passes all the tests." in said, said[-3000:]


def test_autograde_ran(graded):
    assert not graded["errors"], "\n".join(graded["errors"])


@pytest.mark.parametrize("prefix", notebooks())
def test_scores_are_deserved(graded, prefix):
    got = graded["scores"][prefix]
    for student in students(prefix):
        assert got.get(student) == expected_scores(prefix, student), student


def test_untouched_release_runs_to_the_end_failing_only_its_tests(graded):
    for prefix in notebooks():
        name = graded["names"][prefix]
        root = graded["where"][(prefix, "untouched")]
        nb = nbformat.read(root / "autograded" / "untouched" / name / f"{name}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count is not None for c in code), prefix
        failed = [
            c.metadata.get("nbgrader", {}).get("grade_id")
            for c in code
            if any(o.output_type == "error" for o in c.outputs)
        ]
        assert failed == ["test_" + e.answer.removeprefix("my_") for e in rows(prefix)], prefix


def test_cheats_score_zero_and_only_on_their_exercise(graded):
    assert {p for p, _ in CHEATS} == {"01", "04", "05", "09"}
    for prefix in sorted({p for p, _ in CHEATS}):
        assert graded["scores"][prefix]["cheat"] == expected_scores(prefix, "cheat")


def test_hostile_submission_is_graded_without_hanging(graded):
    """Loops (stopped by the timeout), floods of output and errors cost only their points."""
    assert graded["scores"]["00"]["hostile"] == expected_scores("00", "hostile")
    name = graded["names"]["00"]
    root = graded["where"][("00", "hostile")]
    nb = nbformat.read(root / "autograded" / "hostile" / name / f"{name}.ipynb", as_version=4)
    text = json.dumps([c.outputs for c in nb.cells if c.cell_type == "code"])
    assert len(text) < 2_000_000  # nbgrader's LimitOutput cut the 20,000 lines
    assert re.search(r"a cell of my own that fails", text)


def test_heavy_notebooks_are_graded_on_fewer_submissions():
    """The subset of submissions the README promises (CI's time budget)."""
    assert set(HEAVY) <= set(notebooks())
    assert {e.notebook for e in EXERCISES} == set(notebooks())
