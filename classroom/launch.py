"""Set up and start the course's JupyterHub on 127.0.0.1 (``make classroom``).

Standard library only, so that it runs before any virtual environment exists:

1. a virtual environment ``.venv-classroom`` with the course's runtime
   (``binder/requirements.txt``), the instructor extras
   (``classroom/requirements.txt``) and ``rnnlib`` itself;
2. the proxy, ``configurable-http-proxy``, from the npm registry, pinned by
   ``classroom/package.json`` and its lock file (``npm ci``);
3. JupyterHub with ``classroom/jupyterhub_config.py``.

The load test in ``tests/classroom`` calls the same functions.
JupyterHub runs on Linux and macOS; on Windows use WSL.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV = REPO / ".venv-classroom"
REQUIREMENTS = [REPO / "binder" / "requirements.txt", HERE / "requirements.txt"]


def venv_python(venv=VENV, os_name=os.name):
    """Path of the Python inside ``venv`` on this OS."""
    if os_name == "nt":
        return Path(venv) / "Scripts" / "python.exe"
    return Path(venv) / "bin" / "python"


def _stamp_value():
    h = hashlib.sha256()
    for p in [*REQUIREMENTS, REPO / "pyproject.toml"]:
        h.update(p.read_bytes())
    return h.hexdigest()


def ensure_env(venv=VENV, quiet=True):
    """Create or refresh the classroom environment; return its Python."""
    python = venv_python(venv)
    stamp = Path(venv) / ".installed"
    want = _stamp_value()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == want:
        return python
    q = ["--quiet"] if quiet else []
    print(f"setting up {Path(venv).name} (JupyterHub and the course's runtime)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", *q, "--upgrade", "pip"], check=True)
    reqs = [a for p in REQUIREMENTS for a in ("-r", str(p))]
    subprocess.run([str(python), "-m", "pip", "install", *q, *reqs], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", *q, "--no-deps", "-e", str(REPO)], check=True
    )
    write_lab_overrides(venv)
    stamp.write_text(want + "\n")
    return python


LAB_OVERRIDES = {
    # No "official Jupyter news?" prompt over a corner of every student's first notebook.
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def write_lab_overrides(venv=VENV):
    """Write JupyterLab's settings overrides into the environment's lab settings."""
    import json

    settings = Path(venv) / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2) + "\n")


def proxy_command():
    """Path of the pinned ``configurable-http-proxy``."""
    name = "configurable-http-proxy.cmd" if os.name == "nt" else "configurable-http-proxy"
    return HERE / "node_modules" / ".bin" / name


def ensure_proxy():
    """Install the pinned proxy with ``npm ci`` if it is missing; return its path."""
    proxy = proxy_command()
    if proxy.exists():
        return proxy
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            "JupyterHub's proxy needs Node.js and npm (https://nodejs.org); "
            "install them, then run this again."
        )
    print("installing configurable-http-proxy (npm ci)", flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)
    return proxy


#: A Unix socket's path holds at most 107 bytes on Linux (103 on macOS). A kernel's sockets
#: (``KernelManager.transport=ipc``, see jupyterhub_config.py) are
#: ``<runtime folder>/kernel-<36-character id>-ipc-<n>``: about 52 bytes after the folder.
SOCKET_PATH_LIMIT = 103
SOCKET_NAME_BYTES = 52


def runtime_root(hub_dir):
    """The short folder under /tmp that holds the runtime folders of ``hub_dir``'s students
    whose homes are too deep for a socket path (removed by :func:`remove_runtime_root`)."""
    digest = hashlib.sha256(str(Path(hub_dir).resolve()).encode()).hexdigest()[:10]
    return Path("/tmp") / f"jupyter-rt-{digest}"


def runtime_dir(hub_dir, home, user):
    """Jupyter's runtime folder for ``user`` (home ``home``), where their kernels' sockets go.

    The default, ``~/.local/share/jupyter/runtime``, when a socket path there fits;
    otherwise ``runtime_root(hub_dir)/user``, created private (mode 0700). A folder of that
    name that this user does not own, or that others can read, is refused.
    """
    default = Path(home) / ".local" / "share" / "jupyter" / "runtime"
    if len(str(default)) + SOCKET_NAME_BYTES <= SOCKET_PATH_LIMIT:
        return default
    root = runtime_root(hub_dir)
    for folder in (root, root / user):
        folder.mkdir(mode=0o700, exist_ok=True)
        st = folder.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o077:
            raise RuntimeError(f"{folder} is not a private folder of this user: remove it")
    return root / user


def remove_runtime_root(hub_dir):
    """Remove the students' short runtime folders of ``hub_dir`` (after the hub stopped)."""
    shutil.rmtree(runtime_root(hub_dir), ignore_errors=True)


def hub_env(hub_dir, port, token=None, password=None, python=None, singleuser_args=(), extra=None):
    """Environment variables for ``jupyterhub_config.py`` (``extra`` added last)."""
    python = Path(python or venv_python())
    env = dict(os.environ)
    env.update(
        {
            "COURSE_HUB_DIR": str(hub_dir),
            "COURSE_HUB_PORT": str(port),
            "COURSE_HUB_PROXY": str(proxy_command()),
            "COURSE_HUB_SINGLEUSER": str(python.with_name("jupyterhub-singleuser")),
        }
    )
    if token:
        env["COURSE_HUB_SERVICE_TOKEN"] = token
    if password:
        env["COURSE_HUB_PASSWORD"] = password
    if singleuser_args:
        env["COURSE_HUB_SINGLEUSER_ARGS"] = " ".join(singleuser_args)
    # The students' kernels must not inherit a test runner's threads or matplotlib backend.
    env.pop("MPLBACKEND", None)
    env.update(extra or {})
    return env


def start_hub(
    hub_dir,
    port,
    token=None,
    password=None,
    python=None,
    log=None,
    singleuser_args=(),
    extra_env=None,
):
    """Start JupyterHub in ``hub_dir`` on 127.0.0.1:``port``; return the process.

    The hub runs in a process group of its own, so that stopping it
    (:func:`stop_hub`) also stops the proxy and every student's server.
    ``extra_env`` is added to its environment (a test run's mark, ``COURSE_TEST_RUN``,
    which the hub hands on to everything it starts).
    """
    python = Path(python or venv_python())
    Path(hub_dir).mkdir(parents=True, exist_ok=True)
    cmd = [str(python), "-m", "jupyterhub", "-f", str(HERE / "jupyterhub_config.py")]
    kwargs = {}
    if os.name == "posix":
        kwargs["start_new_session"] = True
    env = hub_env(hub_dir, port, token, password, python, singleuser_args, extra_env)
    return subprocess.Popen(
        cmd,
        cwd=str(hub_dir),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
        **kwargs,
    )


def wait_for_hub(port, proc=None, timeout=90.0):
    """Block until the hub answers ``/hub/api/`` on ``port``."""
    url = f"http://127.0.0.1:{port}/hub/api/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterHub did not answer {url} within {timeout:.0f} s")


def stop_hub(proc, timeout=20.0):
    """Stop the hub, its proxy and the students' servers (its whole process group)."""
    if proc.poll() is None:
        if os.name == "posix":
            import signal

            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        else:
            proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            if os.name == "posix":
                import signal

                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.wait()


def main(argv=None):
    """``make classroom``: set up, start the hub, print how to log in, run until Ctrl-C."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--hub-dir", default=str(REPO / "build" / "classroom"))
    args = parser.parse_args(argv)
    if os.name == "nt":
        raise SystemExit(
            "JupyterHub does not run on Windows itself: run this inside WSL "
            "(Windows Subsystem for Linux), or use Binder (see classroom/README.md)."
        )
    python = ensure_env()
    ensure_proxy()
    proc = start_hub(args.hub_dir, args.port, python=python, log=None)
    try:
        wait_for_hub(args.port, proc)
        password = (Path(args.hub_dir) / "password").read_text().strip()
        print(
            f"\nThe course's JupyterHub is running: http://127.0.0.1:{args.port}/\n"
            f"Log in with any student name and the shared password: {password}\n"
            f"(set COURSE_HUB_PASSWORD to choose it; it is kept in {args.hub_dir}/password)\n"
            "Each student gets their own copy of the notebooks. Ctrl-C stops the hub.",
            flush=True,
        )
        proc.wait()
    except KeyboardInterrupt:
        print("\nstopping the hub")
    finally:
        stop_hub(proc)
        remove_runtime_root(args.hub_dir)


if __name__ == "__main__":
    main()
