"""Nothing the site tests start outlives them: the static server is a thread of the test
process, and chromium hangs off Playwright's driver, which ends when its parent's pipe
closes. Checked the hard way: a child process starts both, is killed with SIGKILL (no
teardown runs), and none of its descendants may be alive a few seconds later."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

CHILD = """
import sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import site_harness as h
pw, browser = h.launch_chromium(Path(tempfile.mkdtemp()))
with h.static_server(tempfile.mkdtemp()) as base:
    page = browser.new_page()
    page.goto(base)
    print("ready", flush=True)
    time.sleep(120)
"""


def _children(pid):
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _descendants(pid):
    out, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_browser_dies_with_a_killed_test_process(browser):  # `browser`: skip without chromium
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(HERE)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        family = _descendants(child.pid)
        assert family, "the child started no browser"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(p) for p in family):
            time.sleep(0.2)
        assert not [p for p in family if _alive(p)], "processes outlived the killed test"
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
