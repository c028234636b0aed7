"""The classroom tests' hub: started once per session on 127.0.0.1, driven by its REST API."""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request

import pytest

from classroom import launch


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


@pytest.fixture(scope="session")
def hub(tmp_path_factory):
    if os.name != "posix":
        pytest.skip("JupyterHub runs on Linux and macOS")
    try:
        python = launch.ensure_env()
        launch.ensure_proxy()
    except (SystemExit, OSError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the classroom cannot be set up: {exc}", pytrace=False)
        pytest.skip(f"the classroom cannot be set up here: {exc}")
    hub_dir = tmp_path_factory.mktemp("hub")
    port, token = _free_port(), secrets.token_hex(16)
    log = open(hub_dir / "hub.log", "w")  # noqa: SIM115 - closed below
    password = secrets.token_hex(8)
    # window.jupyterapp in the students' JupyterLab: the browser test reads outputs from it
    proc = launch.start_hub(
        hub_dir,
        port,
        token=token,
        password=password,
        python=python,
        log=log,
        singleuser_args=["--LabApp.expose_app_in_browser=True"],
    )
    try:
        launch.wait_for_hub(port, proc)
        yield Hub(port, token, proc, password, hub_dir)
    finally:
        launch.stop_hub(proc)
        log.close()
