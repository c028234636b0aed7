"""Nothing a classroom test run starts outlives it, however the run ends (Linux).

Each case starts a small parent that runs the hub exactly as the session fixture does
(``hub_harness.running_hub``: the watchdog, then the hub), starts one student's server
and a kernel in it, and reports the run's id. The test then ends the parent with a
signal and checks that within ``GONE_TIMEOUT_S`` no process carrying the run's id is
left: not the hub, the proxy, the idle culler, the student's server or its kernel.

- SIGINT (Ctrl-C): the parent's teardown stops the hub, which stops its servers;
- SIGTERM and SIGKILL: no teardown runs; the watchdog sees the parent's pipe close and
  ends every marked process (SIGTERM, then SIGKILL).

Each case costs a hub start, one server's spawn and a kernel: about 20 s of CPU. The three
runs start at once (a module fixture), so their start-ups overlap.
"""

from __future__ import annotations

import json
import secrets
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

psutil = pytest.importorskip("psutil")

import reaper  # noqa: E402  (tests/classroom is on sys.path through its conftest)
from hub_harness import classroom_python  # noqa: E402

pytestmark = pytest.mark.classroom

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
START_TIMEOUT_S = 300.0  # hub, one spawn and a kernel on a busy 2-core machine
GONE_TIMEOUT_S = 30.0

PARENT = f"""
import json, sys, time
from pathlib import Path
sys.path[:0] = [{str(HERE)!r}, {str(ROOT)!r}]
from hub_harness import running_hub, spawn, student_token

hub_dir, python, run_id = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
with running_hub(hub_dir, python, run_id=run_id) as hub:
    hub.api("POST", "/users", {{"usernames": ["lifetime"]}})
    spawn(hub, "lifetime")
    token = student_token(hub, "lifetime")
    status, kernel = hub.request(
        "POST", "/user/lifetime/api/kernels", {{"name": "python3"}}, token=token
    )
    assert status == 201, (status, kernel)
    print(json.dumps({{"hub": hub.proc.pid, "kernel": kernel["id"]}}), flush=True)
    time.sleep(900)
"""


def _wait_none_marked(run_id: str, timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        left = [
            f"{p.pid} {' '.join(p.cmdline())[:80]}" for p in reaper.marked(run_id) if _not_zombie(p)
        ]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.5)


def _not_zombie(proc) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]


class Parent:
    """One run to be killed: its process, its id and its folder."""

    def __init__(self, python, folder):
        self.run_id = f"lifetime-{secrets.token_hex(6)}"
        self.folder = folder
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PARENT, str(folder), str(python), self.run_id],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self):
        ready, _, _ = select.select([self.proc.stdout], [], [], START_TIMEOUT_S)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=60)
            log = self.folder / "hub.log"
            tail = log.read_text()[-3000:] if log.exists() else "(no hub log)"
            pytest.fail(
                f"the parent did not start a hub, a server and a kernel:\n{err[-3000:]}\n{tail}"
            )
        return json.loads(line)

    def end(self):
        """Kill whatever is left of this run, even when its test failed."""
        for p in reaper.marked(self.run_id):
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate(timeout=60)


@pytest.fixture(scope="module")
def parents(tmp_path_factory):
    """One run per signal, all started at once (their hubs start side by side)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("signals and /proc as on Linux")
    python = classroom_python()
    runs = {sig: Parent(python, tmp_path_factory.mktemp(sig.name)) for sig in SIGNALS}
    try:
        yield runs
    finally:
        for run in runs.values():
            run.end()


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_nothing_outlives_a_run_that_ends_by(parents, sig):
    run = parents[sig]
    run.wait_ready()
    running = reaper.marked(run.run_id)
    names = " ".join(" ".join(p.cmdline()) for p in running)
    # the hub, its proxy, the idle culler, the student's server and the kernel
    assert len(running) >= 5, f"expected 5 marked processes, found: {names}"
    for part in (
        "jupyterhub",
        "configurable-http-proxy",
        "idle_culler",
        "singleuser",
        "ipykernel",
    ):
        assert part in names, f"no {part} among the run's processes: {names}"
    run.proc.send_signal(sig)
    run.proc.wait(timeout=GONE_TIMEOUT_S)
    left = _wait_none_marked(run.run_id, GONE_TIMEOUT_S)
    assert not left, f"still running {GONE_TIMEOUT_S:.0f} s after the run got {sig.name}: {left}"


def test_the_reaper_ends_only_the_processes_of_its_run(tmp_path):
    mine, other = f"mine-{secrets.token_hex(4)}", f"other-{secrets.token_hex(4)}"
    sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
    procs = {
        run: subprocess.Popen(sleeper, env={"COURSE_TEST_RUN": run, "PATH": "/usr/bin:/bin"})
        for run in (mine, other)
    }
    try:
        watchdog = subprocess.Popen(
            [sys.executable, str(HERE / "reaper.py"), mine],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        time.sleep(0.5)
        assert procs[mine].poll() is None  # nothing happens while the pipe is open
        watchdog.stdin.close()  # the run is over
        assert watchdog.wait(timeout=30) == 0
        assert procs[mine].wait(timeout=5) == -signal.SIGTERM
        assert procs[other].poll() is None, "the reaper ended another run's process"
        assert b"ended 1 process" in watchdog.stderr.read()
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
            p.wait()
