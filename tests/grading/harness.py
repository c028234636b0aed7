"""The graded assignments, built and autograded once per session (``-m grading``).

The classroom environment (``classroom/launch.py``, with nbgrader) builds the course
directory in a temporary folder; then nbgrader autogrades, two at a time (two copies
of the course directory, each with its own gradebook), these submissions:

- ``untouched``: the release as it is; ``reference``: the solutions of ``source/``, with
  an honest student's cells and notes full of the words "solutions", "exercises" and
  "rnnlib" (strings, names, comments, markdown: ``answers.HONEST_*``), which cost nothing;
- light notebooks (00-05, 09): ``wrong_a`` (the 1st, 3rd, ... graded exercise wrong, the
  others right) and ``wrong_b`` (the 2nd, 4th, ... wrong), so that every wrong answer is
  graded once and every right one next to a wrong one;
- heavy notebooks (06 takes about a minute, 07 and 08 half of one): ``wrong_all`` only,
  every exercise wrong in one submission (each test cell is scored on its own);
- ``cheat`` (01, 04, 05, 09): some answers delegate to rnnlib or copy from rnnlib.exercises;
- ``hostile`` (00): an answer cell that loops forever, one that prints 20,000 lines, an
  extra cell that raises; graded with a 10 s cell timeout;
- ``patched`` (01, 03, 09: ``answers.PATCHED``): every answer wrong, its cell replacing
  numpy.max, numpy.allclose, numpy.abs or builtins.abs, one per exercise in turn (two in
  a cell of 09), so that the old in-kernel comparison would have passed them; in 03
  through ``exec``, out of the static check's sight. Each exercise scores 0 with a message
  that names its own functions (a correct answer after such a patch is not tried: the
  self-check runs in the student's kernel, which the patch has broken).

``nbgrader validate`` runs on the sources of the light notebooks; a heavy notebook's source
is validated by its ``reference`` submission, which executes the same solutions and hidden
tests (one execution instead of two).

Feedback (``nbgrader generate_feedback``) is made for the students of :data:`FEEDBACK`
and the per-exercise export runs on one of the gradebooks (test_assignments.py).

To develop against a few notebooks, name them in ``GRADING_NOTEBOOKS`` (the others are
neither built nor graded, and their tests are skipped)::

    GRADING_NOTEBOOKS="01 03" pytest tests/grading -m grading
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from answers import (  # noqa: E402
    CHEATS,
    HONEST_CELL,
    HONEST_MARKDOWN,
    HONEST_SUFFIX,
    HOSTILE,
    HOSTILE_EXTRA_CELL,
    PATCHED,
    PATCHES,
    WRONG,
    patch_snippet,
)

from grading.table import EXERCISES, notebooks  # noqa: E402

HEAVY = ("06", "07", "08")
#: The notebooks built and graded: all, or those named in GRADING_NOTEBOOKS ("01 03").
_ONLY = os.environ.get("GRADING_NOTEBOOKS", "").replace(",", " ").split()
NOTEBOOKS = [p for p in notebooks() if not _ONLY or p in _ONLY]
#: Rough seconds of one nbgrader run of a notebook (to start the longest jobs first).
SECONDS = {"06": 30, "07": 50, "08": 35, "09": 10}
#: Students whose feedback is generated and checked for hidden tests.
FEEDBACK = ("reference", "wrong_a", "patched")
SEED = 20261130
WORKERS = 2
#: A submission slower than this gets its longest silences printed (from its debug log).
SLOW_SUBMISSION = float(os.environ.get("GRADING_SLOW_SECONDS", 60))
RESULTS = {}  # for the summary table printed at the end of the run


def notebook_hashes():
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((REPO / "notebooks").glob("*.ipynb"))
    }


NOTEBOOK_HASHES = notebook_hashes()  # before anything is built


def rows(prefix):
    return [e for e in EXERCISES if e.notebook == prefix]


def patched(prefix):
    """{answer: [functions its cell replaces]} of the patching submission of ``prefix``.

    The functions of ``answers.PATCHES`` in turn, one per exercise (more than one in a
    cell when the notebook has fewer than four exercises).
    """
    if prefix not in PATCHED:
        return {}
    answers = [e.answer for e in rows(prefix)]
    out = {a: [] for a in answers}
    for j, f in enumerate(PATCHES):
        out[answers[j % len(answers)]].append(f)
    return out


def expected_scores(prefix, student):
    """{test grade_id: points deserved} of a submission."""
    out = {}
    for k, e in enumerate(rows(prefix)):
        gid = "test_" + e.answer.removeprefix("my_")
        wrong = {
            "untouched": True,
            "reference": False,
            "wrong_all": True,
            "wrong_a": k % 2 == 0,
            "wrong_b": k % 2 == 1,
            "cheat": (prefix, e.answer) in CHEATS,
            "hostile": (prefix, e.answer) == ("00", "my_shapes"),
            "patched": e.answer in patched(prefix),
        }[student]
        out[gid] = 0.0 if wrong else float(e.points)
    return out


def students(prefix):
    kinds = ["untouched", "reference"]
    kinds += ["wrong_all"] if prefix in HEAVY else ["wrong_a", "wrong_b"]
    if any(p == prefix for p, _ in CHEATS):
        kinds.append("cheat")
    if prefix in PATCHED:
        kinds.append("patched")
    return kinds


def _defines(source, name):
    return re.search(rf"^(def {name}\(|{name}\s*=)", source, re.M) is not None


def make_submission(course, name, prefix, student):
    release = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
    source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
    solved = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    swap = {}
    if student == "wrong_all":
        swap = {e.answer: WRONG[(prefix, e.answer)] for e in rows(prefix)}
    elif student in ("wrong_a", "wrong_b"):
        swap = {
            e.answer: WRONG[(prefix, e.answer)]
            for k, e in enumerate(rows(prefix))
            if (k % 2 == 0) == (student == "wrong_a")
        }
    elif student == "cheat":
        swap = {a: s for (p, a), s in CHEATS.items() if p == prefix}
    elif student == "patched":
        swap = {
            a: "\n".join([WRONG[(prefix, a)].strip("\n"), *(patch_snippet(f, prefix) for f in fs)])
            for a, fs in patched(prefix).items()
        }
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution") or student == "untouched":
            continue
        cell.source = solved[meta["grade_id"]]
        for answer, snippet in swap.items():
            if _defines(cell.source, answer):
                cell.source += "\n\n" + snippet.strip("\n")
        if student == "hostile":
            for (p, answer), snippet in HOSTILE.items():
                if p == prefix and _defines(cell.source, answer):
                    cell.source = snippet
        if student == "reference":
            cell.source += "\n" + HONEST_SUFFIX
    if student == "hostile":
        release.cells.append(nbformat.v4.new_code_cell(HOSTILE_EXTRA_CELL))
    if student == "reference":
        setup = next(k for k, c in enumerate(release.cells) if "rnnlib.setup()" in c.source)
        release.cells[setup + 1 : setup + 1] = [
            nbformat.v4.new_markdown_cell(HONEST_MARKDOWN),
            nbformat.v4.new_code_cell(HONEST_CELL.strip("\n")),
        ]
    folder = course / "submitted" / student / name
    shutil.copytree(course / "release" / name, folder, dirs_exist_ok=True)
    nbformat.write(release, folder / f"{name}.ipynb")


def _env(python):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    env["PATH"] = str(Path(python).parent) + os.pathsep + env.get("PATH", "")
    env.pop("MPLBACKEND", None)
    env.pop("PYTHONPATH", None)  # a kernel must not see solutions/ on its path
    return env


@pytest.fixture(scope="session")
def classroom_python():
    from classroom import launch

    return launch.ensure_env()


@pytest.fixture(scope="session")
def course(classroom_python, tmp_path_factory):
    out = tmp_path_factory.mktemp("grading") / "course"
    t0 = time.monotonic()
    env = _env(classroom_python)
    env["PYTHONPATH"] = str(REPO)
    subprocess.run(
        [str(classroom_python), "-m", "grading.generate", "--out", str(out), "--seed", str(SEED)]
        + ["--only", *NOTEBOOKS],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    RESULTS["build_seconds"] = time.monotonic() - t0
    names = {}
    for prefix in NOTEBOOKS:
        name = next((out / "release").glob(f"{prefix}-*")).name
        names[prefix] = name
        for student in students(prefix):
            make_submission(out, name, prefix, student)
    if "00" in names:
        make_submission(out, names["00"], "00", "hostile")
    return out, names


@pytest.fixture(scope="session")
def graded(classroom_python, course):
    """Run every nbgrader job, two at a time; return scores, validations, course copies.

    Every job and the kernels it starts carry ``COURSE_TEST_RUN``; the classroom suite's
    watchdog (tests/classroom/reaper.py) ends them if this run dies without teardown
    (SIGTERM, SIGKILL, a CI time-out), as it does for the hub's processes.
    """
    sys.path.insert(0, str(REPO / "tests" / "classroom"))
    from hub_harness import finish_reaper, start_reaper

    run_id = f"grading-{os.getpid()}-{time.monotonic_ns()}"
    watchdog = start_reaper(run_id)
    try:
        yield _grade(classroom_python, course, run_id)
    finally:
        finish_reaper(watchdog)


def _grade(classroom_python, course, run_id):
    out, names = course
    copies = [out] + [out.with_name(f"course{k}") for k in range(1, WORKERS)]
    for c in copies[1:]:
        shutil.copytree(out, c)
    script = str(REPO / "tests" / "grading" / "autograde.py")
    jobs = []  # (estimated seconds, kind, prefix, students, extra args)
    for prefix in names:
        if prefix in HEAVY:
            # No `nbgrader validate` of a heavy source: it executes the same code as the
            # reference submission (solutions, then the hidden tests), whose full marks
            # test_scores_are_deserved checks; the light notebooks cover the command itself.
            for s in students(prefix):
                jobs.append((SECONDS[prefix], "autograde", prefix, [s], []))
        else:
            seconds = SECONDS.get(prefix, 6)
            who = students(prefix)
            feedback = ["--feedback", *[s for s in FEEDBACK if s in who]]
            jobs.append((seconds * len(who), "autograde", prefix, who, feedback))
            jobs.append((seconds, "validate", prefix, [], []))
    if "00" in names:
        jobs.append((12, "autograde", "00", ["hostile"], ["--timeout", "10"]))
    jobs.sort(key=lambda j: -j[0])
    todo = queue.Queue()
    for j in jobs:
        todo.put(j)
    scores = {p: {} for p in names}
    validated, where, errors, timings, slow = {}, {}, [], [], []
    env = dict(_env(classroom_python), COURSE_TEST_RUN=run_id)

    def worker(root):
        while True:
            try:
                _, kind, prefix, who, extra = todo.get_nowait()
            except queue.Empty:
                return
            name = names[prefix]
            started = time.monotonic()
            if kind == "validate":
                r = subprocess.run(
                    [
                        str(classroom_python),
                        "-m",
                        "nbgrader",
                        "validate",
                        str(root / "source" / name / f"{name}.ipynb"),
                    ],
                    cwd=root,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                validated[prefix] = r.stdout + r.stderr
                timings.append((time.monotonic() - started, kind, prefix, who))
                continue
            r = subprocess.run(
                [str(classroom_python), script, str(root), name, "--students", *who, *extra]
                + ["--log", str(root / "logs")],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
            )
            timings.append((time.monotonic() - started, kind, prefix, who))
            try:
                report = json.loads(r.stdout.strip().splitlines()[-1])
                got = report[name]
                for s, seconds in report["_seconds"].items():
                    if seconds > SLOW_SUBMISSION:
                        slow.append((seconds, root / "logs" / f"{name}-{s}.log"))
            except (IndexError, ValueError, KeyError):
                errors.append(f"{name} {who}: {r.stdout[-2000:]}\n{r.stderr[-3000:]}")
                continue
            scores[prefix].update(got)
            for s in who:
                where[(prefix, s)] = root

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(c,)) for c in copies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    RESULTS["grade_seconds"] = time.monotonic() - t0
    RESULTS["scores"] = scores
    RESULTS["timings"] = sorted(timings, reverse=True)
    RESULTS["slow"] = [(seconds, log, longest_waits(log)) for seconds, log in sorted(slow)]
    return {
        "scores": scores,
        "validated": validated,
        "where": where,
        "errors": errors,
        "names": names,
    }


def longest_waits(log, n=3):
    """The ``n`` longest silences in an autograde debug log: (seconds, the line before)."""
    stamps = []
    for line in log.read_text(errors="replace").splitlines():
        m = re.match(r"(\d\d):(\d\d):(\d\d\.\d+) ", line)
        if m:
            h, mi, sec = m.groups()
            stamps.append((int(h) * 3600 + int(mi) * 60 + float(sec), line[:200]))
    gaps = [(b[0] - a[0], a[1]) for a, b in itertools.pairwise(stamps)]
    return sorted(gaps, reverse=True)[:n]


def pytest_terminal_summary(terminalreporter):
    scores = RESULTS.get("scores")
    if not scores:
        return
    w = terminalreporter.write_line
    terminalreporter.section("nbgrader scores (per notebook: max, untouched, reference, wrong)")
    w(
        f"  {'notebook':<10}{'max':>6}{'untouched':>11}{'reference':>11}{'wrong':>14}"
        f"{'cheat':>8}{'patched':>9}"
    )
    for prefix in NOTEBOOKS:
        total = {
            s: sum(v.values()) if isinstance(v, dict) else v
            for s, v in scores.get(prefix, {}).items()
        }
        wrong = (
            f"{total.get('wrong_all', '-')}"
            if prefix in HEAVY
            else f"{total.get('wrong_a', '-')} / {total.get('wrong_b', '-')}"
        )
        w(
            f"  {prefix:<10}{sum(e.points for e in rows(prefix)):>6}"
            f"{total.get('untouched', '-')!s:>11}{total.get('reference', '-')!s:>11}"
            f"{wrong:>14}{total.get('cheat', '-')!s:>8}"
            f"{total.get('patched', '-')!s:>9}"
        )
    w(
        f"  build {RESULTS.get('build_seconds', 0):.0f} s, grading "
        f"{RESULTS.get('grade_seconds', 0):.0f} s with {WORKERS} parallel nbgrader jobs"
    )
    w("  nbgrader jobs, slowest first (seconds, job, notebook, submissions):")
    for seconds, kind, prefix, who in RESULTS.get("timings", []):
        w(f"    {seconds:6.0f}  {kind:<10}{prefix:<4}{' '.join(who)}")
    for seconds, log, waits in RESULTS.get("slow", []):
        w(f"  slow submission: {seconds:.0f} s, {log.name}; its longest silences:")
        for gap, line in waits:
            w(f"    {gap:6.1f} s after: {line}")
