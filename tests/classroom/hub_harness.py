"""The classroom tests' hub: started once per session on 127.0.0.1, driven by its REST API.

Nothing the hub starts outlives the test run. An orderly teardown (a run that ends, or
Ctrl-C) stops the hub's process group, and the hub stops its servers; for a run that
ends without teardown (SIGTERM, SIGKILL, a CI time-out) a watchdog started first,
``reaper.py``, ends every process marked with the run's ``COURSE_TEST_RUN`` id as soon
as the run's process is gone. ``test_run_lifetime.py`` kills a run each way and checks.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from classroom import launch

REAPER = Path(__file__).resolve().with_name("reaper.py")
#: Set by test_run_lifetime.py so that it knows which processes a run it kills started.
RUN_ID_VARIABLE = "COURSE_TEST_RUN_ID"


def _free_port():
    import socket

    # The hub needs two neighbouring ports: its public port and the proxy's API (port + 1).
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            for extra in (1, 2):  # the proxy's API and the hub's own API
                with socket.socket() as s2:
                    s2.bind(("127.0.0.1", port + extra))
        except OSError:
            continue
        return port
    raise RuntimeError("no free pair of ports")


class Hub:
    """The REST API of a running hub, as an admin service and as students."""

    def __init__(self, port, token, proc, password, hub_dir):
        self.port, self.token, self.proc = port, token, proc
        self.password, self.hub_dir = password, hub_dir
        self.base = f"http://127.0.0.1:{port}"

    def request(self, method, path, body=None, token=None, redirect=True):
        headers = {}
        if token is not False:
            headers["Authorization"] = f"token {token or self.token}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, method=method, data=data, headers=headers)
        opener = urllib.request.build_opener(*([] if redirect else [NoRedirect()]))
        try:
            with opener.open(req, timeout=60) as r:
                text = r.read()
                return r.status, (json.loads(text) if text[:1] in (b"{", b"[") else text)
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def api(self, method, path, body=None, token=None):
        return self.request(method, "/hub/api" + path, body, token)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def spawn(hub, user):
    """Start ``user``'s server and wait until it is ready; return the seconds it took."""
    start = time.monotonic()
    status, _ = hub.api("POST", f"/users/{user}/server")
    assert status in (201, 202), (user, status)
    while True:
        _, model = hub.api("GET", f"/users/{user}")
        if model["servers"].get("", {}).get("ready"):
            return time.monotonic() - start
        if time.monotonic() - start > 240:
            raise TimeoutError(f"{user}'s server did not start within 240 s")
        time.sleep(0.5)


def student_token(hub, user):
    """A new API token of ``user``, valid for an hour."""
    status, model = hub.api(
        "POST", f"/users/{user}/tokens", {"note": "load test", "expires_in": 3600}
    )
    assert status == 201, (status, model)
    return model["token"]


def start_reaper(run_id):
    """Start the watchdog of ``run_id`` in a session of its own; it waits on our pipe."""
    return subprocess.Popen(
        [sys.executable, str(REAPER), run_id],
        stdin=subprocess.PIPE,
        start_new_session=True,
    )


def finish_reaper(reaper, timeout=60.0):
    """Close our end of the pipe: the watchdog ends whatever is left, then exits."""
    with contextlib.suppress(BrokenPipeError, OSError):
        reaper.stdin.close()
    try:
        reaper.wait(timeout)
    except subprocess.TimeoutExpired:
        reaper.kill()
        reaper.wait()


@contextlib.contextmanager
def running_hub(hub_dir, python, run_id=None, singleuser_args=()):
    """A hub on a free port of 127.0.0.1, with an admin token; stopped however we leave.

    Yields a :class:`Hub`. Every process the hub starts carries ``COURSE_TEST_RUN``;
    the watchdog is started before the hub and finished after it.
    """
    run_id = run_id or secrets.token_hex(8)
    reaper = start_reaper(run_id)
    try:
        port, token = _free_port(), secrets.token_hex(16)
        password = secrets.token_hex(8)
        with open(Path(hub_dir) / "hub.log", "w") as log:
            proc = launch.start_hub(
                hub_dir,
                port,
                token=token,
                password=password,
                python=python,
                log=log,
                singleuser_args=list(singleuser_args),
                extra_env={"COURSE_TEST_RUN": run_id},
            )
            try:
                launch.wait_for_hub(port, proc)
                yield Hub(port, token, proc, password, hub_dir)
            finally:
                launch.stop_hub(proc)
    finally:
        finish_reaper(reaper)
        launch.remove_runtime_root(hub_dir)


def classroom_python():
    """The classroom venv's Python, set up if needed; skip (or fail in CI) if it cannot be."""
    if os.name != "posix":
        pytest.skip("JupyterHub runs on Linux and macOS")
    try:
        python = launch.ensure_env()
        launch.ensure_proxy()
    except (SystemExit, OSError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the classroom cannot be set up: {exc}", pytrace=False)
        pytest.skip(f"the classroom cannot be set up here: {exc}")
    return python


@pytest.fixture(scope="session")
def hub(tmp_path_factory):
    python = classroom_python()
    hub_dir = tmp_path_factory.mktemp("hub")
    # window.jupyterapp in the students' JupyterLab: the browser test reads outputs from it
    with running_hub(
        hub_dir,
        python,
        run_id=os.environ.get(RUN_ID_VARIABLE),
        singleuser_args=["--LabApp.expose_app_in_browser=True"],
    ) as hub:
        yield hub
