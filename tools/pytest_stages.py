"""A pytest plugin that says where a run's time went: one row per stage of the suite.

``tools/course.py test`` loads it (``-p tools.pytest_stages``); anyone can:
``pytest -p tools.pytest_stages tests``. Each test's setup, call and teardown time is
added to its stage: the unit tests (``tests/*.py``), each suite folder of ``tests/``
(``browser``, ``classroom``, ``grading``) and each notebook under strict nbval. A
session fixture's set-up counts in the stage of the first test that needs it (the
grading suite's nbgrader builds, the hub's start). The table is printed at the end of
the run, slowest stage first, so a slow CI run says at once what made it slow.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePath

_SECONDS: dict[str, float] = defaultdict(float)
_COUNT: dict[str, int] = defaultdict(int)


def stage_of(nodeid: str) -> str:
    """The stage a test belongs to, from its node id.

    ``tests/test_cells.py::test_x`` -> ``unit tests``; ``tests/grading/test_a.py::t`` ->
    ``tests/grading``; ``notebooks/07-Character-Level-Language-Model.ipynb::Cell 3`` ->
    ``nbval 07``.
    """
    path = PurePath(nodeid.split("::", 1)[0])
    parts = path.parts
    if parts and parts[0] == "notebooks" and path.suffix == ".ipynb":
        return f"nbval {path.name[:2]}"
    if len(parts) >= 3 and parts[0] == "tests":
        return f"tests/{parts[1]}"
    if parts and parts[0] == "tests":
        return "unit tests"
    return parts[0] if parts else "?"


def pytest_runtest_logreport(report):
    stage = stage_of(report.nodeid)
    _SECONDS[stage] += report.duration
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _COUNT[stage] += 1


def table(seconds, counts):
    """The stage table as lines: stage, tests, seconds and share, slowest first."""
    total = sum(seconds.values()) or 1.0
    rows = sorted(seconds.items(), key=lambda kv: -kv[1])
    lines = [f"{'stage':<22}{'tests':>7}{'seconds':>10}{'share':>8}"]
    for stage, s in rows:
        lines.append(f"{stage:<22}{counts.get(stage, 0):>7}{s:>10.1f}{s / total:>8.0%}")
    lines.append(f"{'all':<22}{sum(counts.values()):>7}{sum(seconds.values()):>10.1f}")
    return lines


def pytest_terminal_summary(terminalreporter):
    if not _SECONDS:
        return
    terminalreporter.section("where the time went (setup + call + teardown, per stage)")
    for line in table(_SECONDS, _COUNT):
        terminalreporter.write_line(line)
