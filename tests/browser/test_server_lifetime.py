"""The test server never outlives the test run, however the run ends (no chromium needed).

Each case starts a small parent process that starts the server exactly as the session
fixture does (``JupyterServer.start`` inside ``sigterm_as_interrupt``, ``stop`` in a
``finally``), opens a kernel through the API, then kills that parent with a signal, and
checks that the server and its kernel are gone. The server's log says which layer
stopped it (see browser_harness's docstring):

- SIGINT (Ctrl-C) and SIGTERM: the parent's teardown wins; it asks the server to shut
  down through ``/api/shutdown`` before the parent exits, so the parent-death signal,
  which comes only when the parent is gone, finds nothing left to stop;
- SIGKILL: no teardown runs; the parent-death signal (Linux) makes the server shut down
  on SIGTERM, its kernels with it.

Each case costs a server start and a kernel start, a few seconds of CPU.
"""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

psutil = pytest.importorskip("psutil")
pytest.importorskip("jupyterlab")

pytestmark = pytest.mark.browser

HARNESS_DIR = Path(__file__).resolve().parent

# The parent: the harness's own way of starting and stopping the server, nothing more.
PARENT = f"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {str(HARNESS_DIR)!r})
from browser_harness import JupyterServer, sigterm_as_interrupt

server = JupyterServer(base=Path(sys.argv[1]), notebooks=Path(sys.argv[2]))
with sigterm_as_interrupt():
    try:
        server.start()
        kernel = server.api("POST", "/api/kernels")
        print(json.dumps({{"pid": server.pid, "kernel": kernel["id"]}}), flush=True)
        time.sleep(600)
    finally:
        server.stop()
"""

START_TIMEOUT_S = 120.0  # server + kernel on a busy 2-core machine
GONE_TIMEOUT_S = 30.0  # the server's own shutdown waits for its kernels


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_gone(pids: list[int], timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while (alive := [p for p in pids if _alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def _start_parent(tmp_path: Path) -> tuple[subprocess.Popen, int, list[int]]:
    course = tmp_path / "course" / "notebooks"
    course.mkdir(parents=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path / "base"), str(course)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready, _, _ = select.select([proc.stdout], [], [], START_TIMEOUT_S)
    line = proc.stdout.readline() if ready else ""
    if not line:
        proc.kill()
        _, err = proc.communicate(timeout=30)
        log = tmp_path / "base" / "server.log"
        tail = log.read_text()[-2000:] if log.exists() else "(no server log)"
        pytest.fail(f"the parent did not start the server:\n{err[-2000:]}\n{tail}")
    server_pid = json.loads(line)["pid"]
    kernels = [c.pid for c in psutil.Process(server_pid).children(recursive=True)]
    assert kernels, "the kernel the parent asked for did not start"
    return proc, server_pid, kernels


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals as on Linux")
@pytest.mark.parametrize(
    ("sig", "stopped_by"),
    [
        (signal.SIGINT, "Shutting down on /api/shutdown request"),  # teardown
        (signal.SIGTERM, "Shutting down on /api/shutdown request"),  # teardown
        (signal.SIGKILL, "received signal 15, stopping"),  # parent-death signal
    ],
    ids=["SIGINT", "SIGTERM", "SIGKILL"],
)
def test_server_and_kernels_end_with_the_parent(tmp_path, sig, stopped_by):
    proc, server_pid, kernels = _start_parent(tmp_path)
    try:
        assert _alive(server_pid)
        proc.send_signal(sig)
        proc.wait(timeout=GONE_TIMEOUT_S)
        alive = _wait_gone([server_pid, *kernels], GONE_TIMEOUT_S)
    finally:
        for pid in [server_pid, *kernels]:  # never leave one behind, even on failure
            if _alive(pid):
                psutil.Process(pid).kill()
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)
    assert not alive, f"still running after the parent got {sig.name}: {alive}"
    log = (tmp_path / "base" / "server.log").read_text()
    assert stopped_by in log, f"expected {stopped_by!r} in the server log:\n{log[-2000:]}"
