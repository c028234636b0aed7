"""End every process of one test run when the run ends, however it ends (Linux, macOS).

The classroom tests start a JupyterHub, which starts a proxy, an idle culler, one server
per student and, in them, kernels; a server or a kernel can outlive the hub, and the hub
can outlive a pytest that was killed. The orderly teardown (``launch.stop_hub``) covers a
run that ends normally or by Ctrl-C. This watchdog covers the rest: SIGTERM or SIGKILL of
pytest, a CI time-out, a hub that died without stopping its children.

How it works: the test run marks every process it starts with an environment variable,
``COURSE_TEST_RUN=<id>`` (the hub's own environment; the hub hands it to the proxy, the
student servers and the services, and a server to its kernels). It starts this script in
a session of its own with a pipe on its standard input, and keeps the pipe's other end
open. The script reads the pipe until it closes, which happens when the run closes it
after its teardown *or* when the run's process dies, by any signal, since the operating
system closes a dead process's files. Then it ends every process whose environment
carries the run's id: SIGTERM first (each can shut down in order), SIGKILL after
``GRACE_S`` to any that is left.

    python reaper.py RUN_ID    # stdin: the run's end of the pipe
"""

from __future__ import annotations

import os
import signal
import sys

import psutil

VARIABLE = "COURSE_TEST_RUN"
GRACE_S = 10.0


def marked(run_id: str) -> list[psutil.Process]:
    """The processes whose environment has ``COURSE_TEST_RUN=run_id`` (this one aside)."""
    found = []
    for proc in psutil.process_iter():
        if proc.pid == os.getpid():
            continue
        try:
            if proc.environ().get(VARIABLE) == run_id:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def sweep(run_id: str, grace: float = GRACE_S) -> int:
    """End the run's processes: SIGTERM, then SIGKILL after ``grace`` s. Returns how many."""
    procs = marked(run_id)
    for proc in procs:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)
    return len(procs)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0]:
        print("usage: reaper.py RUN_ID  (stdin: the test run's pipe)", file=sys.stderr)
        return 2
    run_id = argv[0]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the run's to handle
    sys.stdin.buffer.read()  # returns at EOF: the run closed the pipe, or died
    ended = sweep(run_id)
    if ended:
        print(f"reaper: ended {ended} process(es) left by test run {run_id}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
