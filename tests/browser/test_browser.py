"""Open every course notebook in JupyterLab, Run All, and move every widget's control.

Each notebook of ``notebooks/`` (enumerated when pytest collects, so a new notebook is
covered without touching this file) is opened from a temporary copy, run with the menu
Run -> Run All Cells, and checked as a learner would see it: no error output, no widget
that failed to display, every cell tagged "widget" shows a rendered widget (and no other
cell does), and each widget's plot changes when one of its controls moves.

Run: ``.venv/bin/pytest tests/browser -q`` (measured with 8 notebooks on a busy 2-core
machine: 4 to 6 minutes; about 40 s of that is the harness itself). Screenshots and the
server log go to a temporary folder printed at the end of the run, with seconds per phase.
Skip them in a quick loop with ``pytest tests -m "not browser"``.

Other notebooks: set ``BROWSER_TEST_NOTEBOOKS`` to a folder and its ``*.ipynb`` are the
ones tested (``BROWSER_TEST_NOTEBOOKS=/tmp/nb .venv/bin/pytest tests/browser``); see
``browser_harness.notebooks_dir``.
"""

from __future__ import annotations

import nbformat
import pytest
from browser_harness import IMAGE_TIMEOUT_S, notebooks_dir, widget_cells, write_demo_notebook

pytestmark = pytest.mark.browser

NOTEBOOK_DIR = notebooks_dir()
NOTEBOOKS = sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb"))


def _params(names):
    if names:
        return names
    # An empty list would make pytest report "got empty parameter set"; say why instead.
    skip = pytest.mark.skip(reason="notebooks/ has no .ipynb yet")
    return [pytest.param(None, id="no-notebooks", marks=skip)]


def _first_widget_notebook(root) -> str | None:
    """The first notebook in ``root`` with a cell tagged "widget" (for the Notebook 7 test)."""
    for name in NOTEBOOKS:
        if (root / name).exists() and widget_cells(root / name):
            return name
    return None


def run_and_check(nbpage, path: str, ui: str = "lab", how: str = "keys") -> list[str]:
    """Open, Run All, check, then move every widget; returns what was done per widget."""
    with nbpage.phase("open"):
        nbpage.open(path, ui=ui)
    with nbpage.phase("run all"):
        nbpage.run_all()
        nbpage.wait_widgets_rendered()
    with nbpage.phase("check"):
        nbpage.shot_full("after-run-all")
        problems = nbpage.problems()
    if problems:
        raise AssertionError("after Run All:\n" + "\n".join(map(str, problems)))

    done, failures = [], []
    for cell in nbpage.widget_cells():
        try:
            with nbpage.phase("widgets"):
                action = exercise_widget(nbpage, cell, how)
            done.append(f"cell {cell}: {action}")
        except AssertionError as exc:  # check every widget, then report them all
            failures.append(f"widget in cell {cell}: {exc}")
    if failures:
        raise AssertionError("\n".join(failures))
    return done


def exercise_widget(nbpage, cell: int, how: str, timeout: float = IMAGE_TIMEOUT_S) -> str:
    """Move one control of the widget in ``cell`` and check that its plot changes."""
    before = nbpage.wait_widget_view(cell)
    assert before["imgs"] or before["text"].strip(), "the widget drew nothing"
    action = nbpage.change_control(cell, how=how)
    try:
        nbpage.wait_widget_changed(cell, before, timeout)
        nbpage.wait_widget_settled(cell)  # the last update drawn: it may still raise
    except AssertionError as exc:
        raise AssertionError(f"{action}: {exc}") from None
    nbpage.shot(f"widget-cell{cell}", nbpage.widget_root(cell))
    return action


def test_harness_runs_a_demo_notebook(nbpage):
    """Server, browser, Run All and a slider work (also before any notebook exists)."""
    write_demo_notebook(nbpage.server.root / "_harness-demo.ipynb")
    with nbpage.diagnose():
        done = run_and_check(nbpage, "_harness-demo.ipynb")
        assert len(done) == 1 and "slider 1 -> 4" in done[0], done


def test_harness_catches_errors(nbpage):
    """The checks can fail: each planted fault of the broken demo is reported, and a
    warning on stderr is not."""
    write_demo_notebook(nbpage.server.root / "_harness-broken.ipynb", broken=True)
    with nbpage.diagnose():
        nbpage.open("_harness-broken.ipynb")
        nbpage.run_all()
        nbpage.wait_widgets_rendered()
        found = "\n".join(map(str, nbpage.problems()))
        widget_faults = {}
        for cell in (5, 6):
            try:
                exercise_widget(nbpage, cell, "keys", timeout=3)
            except AssertionError as exc:
                widget_faults[cell] = str(exc)
    assert "cell 4" not in found, found  # the warning
    assert "cell 7: widget failed to display: 'Error displaying widget'" in found, found
    assert "cell 8: ZeroDivisionError: division by zero" in found, found
    assert "cell 9: did not run" in found, found
    assert "ValueError: k = " in widget_faults.get(5, ""), f"widget faults: {widget_faults}"
    assert "image did not change" in widget_faults.get(6, ""), f"widget faults: {widget_faults}"


@pytest.mark.parametrize("notebook", _params(NOTEBOOKS))
def test_notebook_in_jupyterlab(nbpage, notebook):
    """Run All in JupyterLab; no errors; every widget renders and reacts to a slider."""
    with nbpage.diagnose():
        run_and_check(nbpage, notebook)


def test_notebook7_interface(nbpage):
    """One notebook in the Notebook 7 interface: Run All, a widget renders, a drag works."""
    root = nbpage.server.root
    source = _first_widget_notebook(root)
    nbpage.name += f"-{source or 'demo'}"  # screenshots say which notebook it was
    copy = "_nb7-copy.ipynb"
    if source is None:  # no course notebook with a widget yet: the demo shows the UI works
        write_demo_notebook(root / copy)
    else:  # a separate copy: the JupyterLab test may hold a session on the original
        nbformat.write(nbformat.read(root / source, as_version=4), root / copy)
    with nbpage.diagnose():
        done = run_and_check(nbpage, copy, ui="notebook", how="drag")
        assert done, "no widget was exercised"
