"""tools/pytest_stages.py: each test's time lands in its stage, and the table adds up."""

import pytest

from tools import pytest_stages


@pytest.mark.parametrize(
    ("nodeid", "stage"),
    [
        ("tests/test_cells.py::test_lstm", "unit tests"),
        ("tests/grading/test_assignments.py::test_scores[03]", "tests/grading"),
        ("tests/browser/test_browser.py::test_x", "tests/browser"),
        ("notebooks/07-Character-Level-Language-Model.ipynb::Cell 3", "nbval 07"),
    ],
)
def test_stage_of_reads_the_node_id(nodeid, stage):
    assert pytest_stages.stage_of(nodeid) == stage


def test_table_lists_the_slowest_stage_first_and_adds_up():
    lines = pytest_stages.table(
        {"unit tests": 10.0, "nbval 07": 30.0}, {"unit tests": 5, "nbval 07": 2}
    )
    assert lines[1].startswith("nbval 07") and "75%" in lines[1]
    assert lines[2].startswith("unit tests") and "25%" in lines[2]
    assert lines[-1].split() == ["all", "7", "40.0"]
