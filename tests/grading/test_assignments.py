"""nbgrader assignments generated from the course (issue 16): valid, leak-free, graded right.

Slow (a few minutes: nbgrader executes whole notebooks); skip with ``-m "not grading"``.
The autograding itself happens once, in ``conftest.py``; these tests read its results.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess

import nbformat
import pytest
from answers import HONEST_CELL, HONEST_MARKDOWN, PATCHED, PATCHES
from harness import (
    CHEATS,
    FEEDBACK,
    HEAVY,
    NOTEBOOK_HASHES,
    NOTEBOOKS,
    _env,
    expected_scores,
    notebook_hashes,
    patched,
    rows,
    students,
)

from grading.generate import notebook_path, solution_body, solution_value
from grading.table import EXERCISES, notebooks

pytestmark = pytest.mark.grading


def _built(*prefixes):
    """Skip unless these notebooks are graded in this run (GRADING_NOTEBOOKS)."""
    missing = [p for p in prefixes if p not in NOTEBOOKS]
    if missing:
        pytest.skip(f"notebooks {missing} not in GRADING_NOTEBOOKS")


def _autograded(graded, prefix, student):
    name = graded["names"][prefix]
    root = graded["where"][(prefix, student)]
    return nbformat.read(root / "autograded" / student / name / f"{name}.ipynb", as_version=4)


def _test_cells(nb):
    return {
        c.metadata["nbgrader"]["grade_id"]: c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
    }


def _release(course, prefix):
    out, names = course
    name = names[prefix]
    return nbformat.read(out / "release" / name / f"{name}.ipynb", as_version=4)


def test_every_graded_notebook_has_an_assignment(course):
    out, names = course
    assert sorted(names) == NOTEBOOKS
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
    out, _ = course
    assert not list((out / "release").rglob("rnn_autograder.py"))
    assert not list((out / "release").rglob("*.pickle"))  # the expected values stay behind
    for prefix in NOTEBOOKS:
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
    _built("02", "06", "07", "09")
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
    """The light notebooks' sources through ``nbgrader validate``; a heavy one's source is
    validated by its reference submission (the same cells), in test_scores_are_deserved."""
    for prefix in NOTEBOOKS:
        if prefix in HEAVY:
            assert prefix not in graded["validated"]
            continue
        said = graded["validated"].get(prefix, "")
        assert "Success! Your notebook passes all the tests." in said, said[-3000:]


def test_autograde_ran(graded):
    assert not graded["errors"], "\n".join(graded["errors"])


@pytest.mark.parametrize("prefix", notebooks())
def test_scores_are_deserved(graded, prefix):
    _built(prefix)
    got = graded["scores"][prefix]
    for student in students(prefix):
        assert got.get(student) == expected_scores(prefix, student), student


def test_untouched_release_runs_to_the_end_failing_only_its_tests(graded):
    for prefix in NOTEBOOKS:
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
    for prefix in sorted({p for p, _ in CHEATS} & set(NOTEBOOKS)):
        assert graded["scores"][prefix]["cheat"] == expected_scores(prefix, "cheat")


def test_hostile_submission_is_graded_without_hanging(graded):
    """Loops (stopped by the timeout), floods of output and errors cost only their points."""
    _built("00")
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


def test_honest_words_cost_nothing(graded):
    """The reference submission, full of "solutions", "exercises" and "rnnlib" in strings,
    names, comments, markdown and a parameter, scores full marks (no false accusation)."""
    for prefix in NOTEBOOKS:
        nb = _autograded(graded, prefix, "reference")
        sources = [c.source for c in nb.cells]
        assert HONEST_MARKDOWN in sources and HONEST_CELL.strip("\n") in sources, prefix
        assert graded["scores"][prefix]["reference"] == expected_scores(prefix, "reference")
        said = json.dumps([c.outputs for c in _test_cells(nb).values()])
        assert "HiddenTestFailed" not in said and "Hidden tests: " in said, prefix


def test_patching_numpy_or_builtins_scores_zero_saying_why(graded):
    """numpy.max, numpy.allclose, numpy.abs, builtins.abs replaced in an answer's cell (with a
    wrong answer, which the old in-kernel comparison then passed): 0 on that exercise, with
    a message that names the function; the message of each exercise names its own
    functions only (in 03 the patches run through exec and are seen in the kernel)."""
    assert set(PATCHED) >= {"01", "03", "09"}
    for prefix in sorted(set(PATCHED) & set(NOTEBOOKS)):
        assert graded["scores"][prefix]["patched"] == expected_scores(prefix, "patched"), prefix
        cells = _test_cells(_autograded(graded, prefix, "patched"))
        everything = patched(prefix)
        assert sorted(f for fs in everything.values() for f in fs) == sorted(PATCHES)
        for answer, replaced in everything.items():
            outputs = cells["test_" + answer.removeprefix("my_")].outputs
            errors = [o for o in outputs if o.output_type == "error"]
            said = " ".join(f"{o.evalue} {' '.join(o.traceback)}" for o in errors)
            for f in PATCHES:
                f_ = re.escape(f)
                named = re.search(rf"replaces {f_}\b|\b{f_}\b[\w., ]* replaced in the kernel", said)
                assert bool(named) == (f in replaced), (prefix, answer, f, said)


def test_feedback_shows_scores_and_verdicts_never_hidden_tests(graded, course):
    """nbgrader generate_feedback: each test's score and the visible check's verdict, and no
    hidden test (its code, its inputs, the report the kernel sent the grader)."""
    out, _ = course
    light = [p for p in NOTEBOOKS if p not in HEAVY]
    if not light:
        pytest.skip("feedback is generated for the light notebooks; GRADING_NOTEBOOKS has none")
    checked = 0
    for prefix in light:
        name = graded["names"][prefix]
        source = nbformat.read(out / "source" / name / f"{name}.ipynb", as_version=4)
        hidden = []
        for c in _test_cells(source).values():
            part = c.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            hidden += [ln.strip() for ln in part.splitlines() if len(ln.strip()) > 12]
            hidden += re.findall(r'"([A-Za-z0-9+/=]{40})', part)  # the encoded inputs
        assert hidden
        for student in FEEDBACK:
            if student not in students(prefix):
                continue
            root = graded["where"][(prefix, student)]
            html = (root / "feedback" / student / name / f"{name}.html").read_text()
            checked += 1
            assert "HIDDEN TESTS" not in html and "rnn-course.hidden-report" not in html
            assert not [h for h in hidden if h in html], (prefix, student)
            want = expected_scores(prefix, student)
            for gid, points in want.items():
                maximum = next(e.points for e in rows(prefix) if gid == f"test_{e.answer[3:]}")
                assert f'href="#{gid}">Test cell</a> (Score: {points} / {float(maximum)})' in html
            assert "PASS" in html or "FAIL" in html  # the self-check's verdict
            if student == "patched":
                assert "HiddenTestFailed" in html and "replace" in html
    assert checked


def test_per_exercise_export(graded, classroom_python):
    """nbgrader export with the course's plugin: one column per graded exercise, a total."""
    # a light notebook: all its submissions are graded in one job, in one course copy
    light = [p for p in NOTEBOOKS if p not in HEAVY]
    if not light:
        pytest.skip("the export reads a light notebook's gradebook; GRADING_NOTEBOOKS has none")
    prefix = light[0]
    root = graded["where"][(prefix, "reference")]
    r = subprocess.run(
        [
            str(classroom_python),
            "-m",
            "nbgrader",
            "export",
            "--exporter",
            "rnn_autograder.ExerciseCsvExportPlugin",
            "--to",
            "by-exercise.csv",
        ],
        cwd=root,
        env=_env(classroom_python),
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    with (root / "by-exercise.csv").open() as f:
        table = list(csv.DictReader(f))
    name = graded["names"][prefix]
    for student in ("reference", "untouched"):
        row = next(r for r in table if r["student_id"] == student)
        want = expected_scores(prefix, student)
        assert {gid: float(row[f"{name}:{gid[5:]}"]) for gid in want} == want
        columns = [k for k in row if ":" in k]
        assert float(row["total"]) == sum(float(row[k]) for k in columns if row[k])
    header = list(table[0])
    ours = [h for h in header if h.startswith(name + ":")]
    assert ours == [f"{name}:{e.answer.removeprefix('my_')}" for e in rows(prefix)]


def test_release_holds_the_data_its_cells_load(course):
    """A weight file that a cell names through a folder variable set in another cell
    (``DATA = Path("..") / "data"``, then ``DATA / f"copy-{kind}-seed{s}.npz"``) is in the
    release: without it the untouched release of 09 stopped at its first load."""
    out, names = course
    wanted = {
        "06": ["adding-memory.npz"],
        "08": ["adding-cells.npz"],
        "09": ["copy-none-seed0.npz", "dates-none-seed0.npz"],
    }
    for prefix, files in wanted.items():
        if prefix in names:
            data = out / "release" / names[prefix] / "data"
            assert all((data / f).is_file() for f in files), (prefix, sorted(data.glob("*")))
