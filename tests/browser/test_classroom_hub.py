"""A student logs in to the course's JupyterHub in a real browser and moves a slider.

Headless chromium (as in tests/browser) opens the hub's login page, logs in with the
shared password, lands in their own server, opens notebook 00 from their own copy,
runs it, and moves the first widget's slider: its plot must change.
"""

from __future__ import annotations

import contextlib
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

# The hub comes from the classroom tests' harness; chromium is the browser suite's own
# session browser (a second Playwright in the same process is not allowed).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "classroom"))
from browser_harness import NotebookPage  # noqa: E402
from hub_harness import hub  # noqa: E402, F401  (the session fixture)

pytestmark = [pytest.mark.classroom, pytest.mark.browser]

NOTEBOOK = "notebooks/00-Start-Here.ipynb"


class StudentServer:
    """What NotebookPage needs of a server, for one student's server behind the hub."""

    def __init__(self, running_hub, name, token):
        self.hub, self.name, self.token = running_hub, name, token
        self.root = Path(running_hub.hub_dir) / "homes" / name

    def url(self, path):
        return f"http://127.0.0.1:{self.hub.port}/user/{self.name}{path}"

    def api(self, method, path, timeout=10):
        req = urllib.request.Request(
            self.url(path), method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read()
            return json.loads(text) if text else None

    def sessions(self, path=None):
        return [
            s
            for s in self.api("GET", "/api/sessions") or []
            if path is None or s.get("path") == path
        ]

    def kernel_state(self, path):
        for s in self.sessions(path):
            return (s.get("kernel") or {}).get("execution_state")
        return None

    def shutdown_sessions(self, path=None):
        with contextlib.suppress(OSError, urllib.error.URLError):
            for s in self.sessions(path):
                self.api("DELETE", f"/api/sessions/{s['id']}")

    def log_tail(self, lines=30):
        log = Path(self.hub.hub_dir) / "hub.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def test_a_student_logs_in_opens_00_and_moves_its_slider(hub, browser, tmp_path):  # noqa: F811
    name = "browserstudent"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{hub.port}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    # The hub spawns the server and sends the student to it (default_url: notebook 00).
    page.wait_for_url(f"**/user/{name}/lab**", timeout=180_000)

    status, model = hub.api("POST", f"/users/{name}/tokens", {"note": "browser test"})
    assert status == 201, (status, model)
    server = StudentServer(hub, name, model["token"])
    assert (server.root / NOTEBOOK).exists(), "the student has their own copy of 00"

    nbpage = NotebookPage(page, server, tmp_path, "hub-student")
    try:
        nbpage.open(NOTEBOOK)
        nbpage.run_all()
        nbpage.wait_widgets_rendered()
        errors = nbpage.errors()
        assert not errors, "\n".join(map(str, errors))
        cells = nbpage.widget_cells()
        assert cells, "notebook 00 shows no widget"
        before = nbpage.wait_widget_view(cells[0])
        # In JupyterLab the browser suite moves sliders with the keyboard (ArrowRight on
        # the focused handle), as a student may; the mouse drag is the Notebook 7 test's.
        # (A drag here passed alone and failed twice at the end of a full CI session,
        # not reproduced: see the closing note of the session that chose keys.)
        nbpage.change_control(cells[0], how="keys")
        nbpage.wait_widget_changed(cells[0], before, 30)
    finally:
        nbpage.close()
        context.close()
