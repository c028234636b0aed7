"""Drive the course notebooks in JupyterLab through headless chromium.

Three pieces, used by ``conftest.py`` and ``test_browser.py``:

- :class:`JupyterServer`: a private JupyterLab server on 127.0.0.1 (free port, random
  token) serving a *temporary copy* of ``notebooks/``, with ``HOME``, IPython, matplotlib,
  settings and workspaces all pointed into a temporary folder, the news/update
  notification switched off, and its log written to a file.
- :func:`launch_chromium`: Debian's ``/usr/bin/chromium`` through Playwright, or a
  :class:`BrowserUnavailable` that says what is missing and how to install it.
- :class:`NotebookPage`: one browser page showing one notebook (JupyterLab or the
  Notebook 7 interface): wait for the kernel, Run All, wait for every prompt, collect
  errors, find the widgets, move a control and wait for its plot to change.

Facts this relies on were measured on this machine (see TOOLING-NOTES.md): a Run All
click that lands before the kernel is ready runs nothing (we retry), JupyterLab restores
its saved workspace unless the URL has ``?reset`` (we use it and scope every selector to
the visible notebook panel), and kernels outlive the page (we delete the session).

Which notebooks: ``notebooks/`` of this repository, or the folder named by the
environment variable ``BROWSER_TEST_NOTEBOOKS`` (to develop the harness against other
notebooks, or to run the suite on a few: ``BROWSER_TEST_NOTEBOOKS=/tmp/two-notebooks
.venv/bin/pytest tests/browser``; the folder's siblings, such as ``data/``, are linked
next to the copy as they are next to ``notebooks/``).

The server never outlives the test run. Three layers, the first that applies wins:

1. Ctrl-C (SIGINT) or SIGTERM to pytest: the session fixture's teardown (and an
   ``atexit`` hook) calls :meth:`JupyterServer.stop`, which deletes the kernel sessions
   and asks the server to shut down. SIGTERM gets there because
   :func:`sigterm_as_interrupt` turns it into the KeyboardInterrupt that Ctrl-C raises.
   The server runs in its own session (process group), so the terminal's Ctrl-C does not
   reach it before pytest has had its turn.
2. SIGKILL to pytest (or anything else that runs no teardown): on Linux the server was
   started with a parent-death signal (``prctl(PR_SET_PDEATHSIG, SIGTERM)``): the kernel
   sends it SIGTERM as pytest dies, and it shuts down its kernels and exits.
3. Elsewhere (macOS, Windows) only layer 1 exists.

``test_server_lifetime.py`` checks each case by killing a small parent process.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = (
    "The browser tests need Debian's chromium and the playwright python package: "
    "`apt-get install -y chromium` (gives /usr/bin/chromium) and "
    "`.venv/bin/pip install playwright` (never `playwright install`: the tests use the "
    "system chromium)."
)

# Settings every test server starts with (an overrides.json in a temporary app settings
# dir, so nothing is written into the venv). The news/update toast would otherwise cover
# the bottom-right corner of the page.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
IDLE = f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']"
STDERR_MIME = "application/vnd.jupyter.stderr"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# A rendered widget view sits inside a cell's own output node (not a nested output).
WIDGET_ROOT = (
    ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output > .jupyter-widgets"
)
WIDGET_ERROR_RE = re.compile(r"Error displaying widget|model not found", re.IGNORECASE)
# A traceback as IPython prints it; a SyntaxError has no "Traceback" line, hence the 2nd.
TRACEBACK_RE = re.compile(r"Traceback \(most recent call last\)|^\s*\w*(Error|Exception): ", re.M)

OPEN_TIMEOUT_S = 90.0  # page load + kernel start (the first kernel builds matplotlib's cache)
RUN_TIMEOUT_S = 300.0  # notebook 06 took 42-103 s on a busy 2-core machine: room to spare
RUN_ALL_RETRY_S = 20.0  # no prompt moved after this long: the click ran nothing, click again
IMAGE_TIMEOUT_S = 15.0  # a widget update computes in well under a second


def notebooks_dir() -> Path:
    """The notebooks under test: ``notebooks/`` of this repository, or the folder named by
    the environment variable ``BROWSER_TEST_NOTEBOOKS`` when it is set and not empty.

    The override is for developing the harness against other notebooks, or for running
    the suite on a few of the course's (copy them into a folder next to ``notebooks/`` so
    that ``../data`` still resolves). ``test_browser.py`` enumerates that folder's
    ``*.ipynb`` when pytest collects.
    """
    default = Path(__file__).resolve().parents[2] / "notebooks"
    return Path(os.environ.get("BROWSER_TEST_NOTEBOOKS") or default).resolve()


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is missing or cannot start; the message says how to fix it."""


def in_ci() -> bool:
    """True when the environment says this is a CI run (``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


# --------------------------------------------------------------------------- notebooks


def strip_outputs(path: Path) -> None:
    """Remove outputs and execution counts, so every prompt number seen is from this run."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(nb, path)


def cell_tags(path: Path) -> list[list[str]]:
    """The tags of every cell of a notebook file, in order."""
    nb = nbformat.read(path, as_version=4)
    return [list(cell.get("metadata", {}).get("tags", [])) for cell in nb.cells]


def widget_cells(path: Path) -> list[int]:
    """Indices of the cells tagged "widget" (the course's mark for an interactive cell)."""
    return [i for i, tags in enumerate(cell_tags(path)) if "widget" in tags]


def write_demo_notebook(path: Path, *, broken: bool = False) -> Path:
    """Write a small notebook: a static plot, then an ``interact`` over sin(k x).

    A warning on stderr (cell 4) is not an error. With ``broken=True`` it goes on with
    what the checks must catch: a widget whose callback raises once k > 2 (cell 5), a
    widget whose plot ignores its slider (cell 6), a widget view without a model (cell
    7), a cell that raises (cell 8) and one that Run All therefore never reaches.
    """
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    widget_tags = {"tags": ["widget", "nbval-ignore-output"]}
    cells = [
        new_markdown_cell("# Harness demo\nA static plot, then a slider that redraws it."),
        new_code_cell(
            "%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
            "import ipywidgets as widgets\nx = np.linspace(0, 2 * np.pi, 200)"
        ),
        new_code_cell(
            "def plot_sin(k=1):\n"
            "    fig, ax = plt.subplots(figsize=(4, 2.5))\n"
            "    ax.plot(x, np.sin(k * x))\n"
            "    ax.set_title(f'sin({k} x)')\n"
            "    plt.show()\n\n"
            "plot_sin(1)"
        ),
        new_code_cell(
            "widgets.interact(plot_sin, k=widgets.IntSlider(value=1, min=1, max=8));",
            metadata=widget_tags,
        ),
        new_code_cell("import warnings\nwarnings.warn('a warning on stderr is not an Error')"),
    ]
    if broken:
        cells += [
            new_code_cell(
                "def plot_or_raise(k=1):\n"
                "    if k > 2:\n"
                "        raise ValueError(f'k = {k} is too large')\n"
                "    plot_sin(k)\n\n"
                "widgets.interact(plot_or_raise, k=widgets.IntSlider(value=1, min=1, max=8));",
                metadata=widget_tags,
            ),
            new_code_cell(
                "widgets.interact(lambda k=1: plot_sin(1), k=widgets.IntSlider(1, 1, 8));",
                metadata=widget_tags,
            ),
            new_code_cell(
                "from IPython.display import display\n"
                f"display({{'{WIDGET_MIME}': {{'model_id': 'no-such-model', "
                "'version_major': 2, 'version_minor': 0}}, raw=True)"
            ),
            new_code_cell("1 / 0"),
            new_code_cell("print('never reached')"),
        ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


# --------------------------------------------------------------------------- server


#: How long a moved slider's value may take to show in the page.
SLIDER_SETTLE_S = 5.0

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def parent_death_signal(sig: int = signal.SIGTERM):
    """A ``preexec_fn`` for Popen that makes the child get ``sig`` when its parent dies.

    Linux only (``prctl(PR_SET_PDEATHSIG)`` through ctypes); returns None elsewhere, or
    if libc has no ``prctl``, and then the child is ended by the usual teardown only.

    Notes
    -----
    The signal is tied to the *thread* that started the child, not the process: start
    the server from a thread that lives as long as the run (pytest's fixtures run in
    the main thread). libc is looked up here, before the fork; the child only calls it.
    If the parent died between the fork and the ``prctl``, the child ends itself.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent, signum = os.getpid(), int(sig)

    def set_parent_death_signal() -> None:  # runs in the child, between fork and exec
        prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() != parent:  # the parent is already gone: no signal will come
            os.kill(os.getpid(), signum)

    return set_parent_death_signal


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While active, SIGTERM raises KeyboardInterrupt, as Ctrl-C does.

    Python's default for SIGTERM is to die at once, without ``finally`` blocks, fixture
    teardown or ``atexit``; a KeyboardInterrupt runs all three, so the server is shut
    down politely (kernels first). Only in the main thread (where signal handlers live);
    elsewhere it does nothing. The previous handler comes back on exit.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum} (SIGTERM)")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class JupyterServer:
    """A private JupyterLab server on a temporary copy of ``notebooks/``.

    ``base`` is a temporary folder; after :meth:`start` it holds ``work/notebooks/``
    (the server's root: copies of ``notebooks`` with their outputs stripped), symlinks
    ``work/<name>`` to the entries next to ``notebooks`` (so ``../data`` still works),
    ``home/`` (HOME and every Jupyter/IPython/matplotlib folder) and ``server.log``.
    """

    base: Path
    notebooks: Path
    python: str = sys.executable
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    port: int = 0
    pid: int | None = None
    proc: subprocess.Popen | None = None

    @property
    def root(self) -> Path:
        return self.base / "work" / "notebooks"

    @property
    def log_path(self) -> Path:
        return self.base / "server.log"

    @property
    def home(self) -> Path:
        return self.base / "home"

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (starting with /) with the token appended."""
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}{path}{sep}token={self.token}"

    # -- setup

    def _prepare(self) -> None:
        work = self.root.parent
        if self.notebooks.is_dir():
            skip = shutil.ignore_patterns(".ipynb_checkpoints")
            shutil.copytree(self.notebooks, self.root, ignore=skip)
        else:
            self.root.mkdir(parents=True)
        for nb in self.root.glob("*.ipynb"):
            strip_outputs(nb)
        for entry in self.notebooks.parent.iterdir():
            mine = {self.notebooks.name, self.root.name, "tests"}
            if entry.name not in mine and not entry.name.startswith("."):
                (work / entry.name).symlink_to(entry)
        settings = self.base / "app-settings"
        settings.mkdir()
        (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2))
        for sub in ("ipython", "mpl", "workspaces", "user-settings", "config", "data", "rt"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
        h = self.home
        env.update(
            HOME=str(h),
            IPYTHONDIR=str(h / "ipython"),
            MPLCONFIGDIR=str(h / "mpl"),
            JUPYTERLAB_WORKSPACES_DIR=str(h / "workspaces"),
            JUPYTERLAB_SETTINGS_DIR=str(h / "user-settings"),
            JUPYTER_CONFIG_DIR=str(h / "config"),
            JUPYTER_DATA_DIR=str(h / "data"),
            JUPYTER_RUNTIME_DIR=str(h / "rt"),
            XDG_CONFIG_HOME=str(h / ".config"),
            XDG_CACHE_HOME=str(h / ".cache"),
            PYDEVD_DISABLE_FILE_VALIDATION="1",  # quiets a debugger warning in the log
        )
        return env

    def _command(self) -> list[str]:
        settings = str(self.base / "app-settings")
        cmd = [
            self.python,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.app_settings_dir={settings}",
            f"--JupyterNotebookApp.app_settings_dir={settings}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # window.jupyterapp: lets the test read each output's type from the model
            # (in the page an error and a warning are both stderr text).
            "--LabApp.expose_app_in_browser=True",
            "--JupyterNotebookApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # containers and CI images often run as root
        return cmd

    def spawn(self) -> None:
        """Copy the notebooks (first call only) and start the server process; no waiting."""
        if not self.root.exists():
            self._prepare()
        self.port = _free_port()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self._command(),
                cwd=self.root,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C on pytest must not reach it first
                preexec_fn=parent_death_signal(),  # SIGKILL on pytest must not orphan it
            )
        # Popen runs python itself (no shell in between): this is the server's own pid.
        self.pid = self.proc.pid

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until /api/status answers; respawn on a new port if the process died
        (a free port can be taken between probing it and the server binding it)."""
        last_error = ""
        for _attempt in range(3):
            if self.proc is None:
                self.spawn()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    self.api("GET", "/api/status", timeout=2)
                except (OSError, urllib.error.URLError) as exc:
                    last_error = str(exc)
                    time.sleep(0.3)
                    continue
                # The server names its info file after its own pid: check that the pid
                # we will end is the server's and not some wrapper's.
                if not (self.home / "rt" / f"jpserver-{self.pid}.json").exists():
                    self.stop()
                    raise RuntimeError(f"no jpserver-{self.pid}.json: pid is not the server's")
                return
            self.stop()
        raise RuntimeError(
            f"JupyterLab did not answer /api/status ({last_error}).\n{self.log_tail()}"
        )

    def start(self, timeout: float = 60.0) -> None:
        """:meth:`spawn` then :meth:`wait_ready`."""
        self.spawn()
        self.wait_ready(timeout)

    # -- API

    def api(self, method: str, path: str, timeout: float = 10) -> Any:
        """Call the server's REST API with the token; returns decoded JSON (or None)."""
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def sessions(self, path: str | None = None) -> list[dict]:
        """Running sessions, all or only those of one notebook path (relative to root)."""
        found = self.api("GET", "/api/sessions") or []
        return [s for s in found if path is None or s.get("path") == path]

    def kernel_state(self, path: str) -> str | None:
        """execution_state of the kernel behind ``path``'s session, or None without one."""
        for s in self.sessions(path):
            return (s.get("kernel") or {}).get("execution_state")
        return None

    def shutdown_sessions(self, path: str | None = None) -> None:
        """DELETE the sessions (and so the kernels) of one notebook, or all of them."""
        try:
            for s in self.sessions(path):
                self.api("DELETE", f"/api/sessions/{s['id']}")
        except (OSError, urllib.error.URLError):
            pass  # the server is gone already: its kernels went with it

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server log, for a failure message."""
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return f"--- last {lines} lines of {self.log_path} ---\n" + "\n".join(text[-lines:])

    def stop(self) -> None:
        """End the sessions, then the server process (politely, then firmly). Idempotent."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            self.shutdown_sessions()
            try:
                self.api("POST", "/api/shutdown", timeout=5)  # also shuts down kernels
                proc.wait(timeout=10)
            except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
                pass
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


# --------------------------------------------------------------------------- browser


def check_browser_installed() -> None:
    """Cheap check (no launch) that playwright imports and chromium exists."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise BrowserUnavailable(f"playwright is not importable ({exc}). {INSTALL_HINT}") from exc
    if not Path(CHROMIUM).exists():
        raise BrowserUnavailable(f"{CHROMIUM} does not exist. {INSTALL_HINT}")


def launch_chromium(home: Path):
    """Start headless chromium through Playwright: returns ``(playwright, browser)``.

    Raises BrowserUnavailable (saying what is missing and how to install it) when
    playwright or chromium is missing or chromium does not start. ``home`` becomes
    chromium's HOME, so it writes nothing into the real one.
    """
    check_browser_installed()
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    try:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, env=env
        )
    except Exception as exc:  # playwright raises its own Error type; any failure is fatal
        pw.stop()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BrowserUnavailable(f"{CHROMIUM} did not start ({first}). {INSTALL_HINT}") from exc
    return pw, browser


# --------------------------------------------------------------------------- page

# Read the open notebook's model: each output's type (error vs stream), widget views.
_MODEL_JS = """() => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  if (!w || !w.content || !w.content.model || !w.context) return null;
  const m = w.content.model, cells = [];
  for (let i = 0; i < m.cells.length; i++) {
    const c = m.cells.get(i), outs = [];
    if (c.type === 'code') {
      for (let j = 0; j < c.outputs.length; j++) {
        const o = c.outputs.get(j);  // no toJSON(): that would copy every image
        const e = o.type === 'error' ? o.toJSON() : {};
        outs.push({type: o.type, ename: e.ename || '', evalue: e.evalue || '',
                   mimes: Object.keys(o.data || {})});
      }
    }
    cells.push({type: c.type, count: c.type === 'code' ? c.executionCount : null,
                outputs: outs});
  }
  return {path: w.context.path, cells};
}"""

# textContent, not innerText, throughout: JupyterLab skips rendering cells outside the
# viewport (CSS content-visibility), and innerText of a skipped cell is empty.
#
# Input prompt text of every cell of the visible panel ('' for markdown), and what the
# page shows as widget roots (a rendered view sits *inside* the output node; a failed one
# is the output node itself holding "Error displaying widget").
_DOM_JS = """([panelSel, promptsOnly]) => {
  const panel = document.querySelector(panelSel);
  if (!panel) return null;
  const cells = Array.from(panel.querySelectorAll('.jp-Notebook .jp-Cell'));
  return cells.map(c => {
    if (promptsOnly) {  // cheap enough to poll every half second
      const p = c.querySelector('.jp-InputPrompt');
      return {code: c.classList.contains('jp-CodeCell'), prompt: p ? p.textContent.trim() : ''};
    }
    const p = c.querySelector('.jp-InputPrompt');
    const area = c.querySelector('.jp-Cell-outputArea');
    const roots = area ? area.querySelectorAll(
      ':scope > .jp-OutputArea-child > .jp-OutputArea-output > .jupyter-widgets') : [];
    return {code: c.classList.contains('jp-CodeCell'),
            prompt: p ? p.textContent.trim() : '',
            roots: roots.length,
            text: area ? area.textContent.slice(0, 4000) : ''};
  });
}"""

# What a widget shows: the src of every plot image in its output area(s), or, for a
# widget without an image, the output text (so a change is still detectable).
_WIDGET_VIEW_JS = """(root, stderrMime) => {
  const sel = `.widget-output .jp-OutputArea-output[data-mime-type='${stderrMime}']`;
  const stderr = Array.from(root.querySelectorAll(sel)).map(e => e.textContent);
  const imgs = Array.from(root.querySelectorAll('.widget-output .jp-OutputArea-output img'));
  if (imgs.length) return {imgs: imgs.map(i => i.getAttribute('src') || ''), text: '', stderr};
  const outs = Array.from(root.querySelectorAll('.widget-output'));
  return {imgs: [], text: outs.map(o => o.textContent).join('\\n'), stderr};
}"""


@dataclass
class Problem:
    """One thing wrong in a notebook, with the cell it is in."""

    cell: int
    what: str

    def __str__(self) -> str:
        return f"cell {self.cell}: {self.what}"


class NotebookPage:
    """One notebook open in a fresh browser page (JupyterLab or Notebook 7)."""

    def __init__(self, page, server: JupyterServer, shots: Path, name: str):
        self.page = page
        self.server = server
        self.shots = shots
        self.name = name  # used in screenshot file names
        self.path: str | None = None  # notebook path relative to the server root
        self.opened: list[str] = []
        self.nb = None  # the notebook as opened (read once: the server autosaves over it)
        self.timings: dict[str, float] = {}  # seconds per phase, for the run summary

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time a phase of the test (summed if repeated, e.g. one per widget)."""
        t0 = time.monotonic()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.monotonic() - t0

    # -- diagnostics

    def shot(self, suffix: str, locator=None, kind: str = "png") -> Path:
        """Screenshot the page (or one element) into the screenshot folder."""
        self.shots.mkdir(parents=True, exist_ok=True)
        out = self.shots / f"{self.name}-{suffix}.{kind.replace('jpeg', 'jpg')}"
        options = {"quality": 80} if kind == "jpeg" else {}
        (locator or self.page).screenshot(path=str(out), type=kind, **options)
        return out

    def shot_full(self, suffix: str) -> Path:
        """Screenshot the whole notebook: grow the viewport to its height, then restore.

        The notebook scrolls inside a fixed-height panel, so a full-page screenshot of
        the usual viewport would show only the top.
        """
        vp = self.page.viewport_size or {"width": 1280, "height": 900}
        height = self.page.evaluate(
            """(sel) => { const n = document.querySelector(sel + ' .jp-WindowedPanel-outer')
                                  || document.querySelector(sel + ' .jp-Notebook');
                          return n ? n.scrollHeight - n.clientHeight : 0; }""",
            PANEL,
        )
        full = min(vp["height"] + height + 50, 16000)  # grow by what is hidden by scrolling
        self.page.set_viewport_size({"width": vp["width"], "height": full})
        self.page.wait_for_timeout(500)  # let the layout settle at the new size
        try:
            return self.shot(suffix, kind="jpeg")  # a tall page: jpeg is much faster than png
        finally:
            self.page.set_viewport_size(vp)
            self.page.wait_for_timeout(300)

    @contextmanager
    def diagnose(self) -> Iterator[None]:
        """Turn any failure inside into an AssertionError with a screenshot and the log."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            yield
        except (AssertionError, PlaywrightError, TimeoutError, RuntimeError) as exc:
            try:
                where = f"screenshot: {self.shot('FAILED')}"
            except Exception as shot_exc:  # the page may have crashed: still report
                where = f"(no screenshot: {shot_exc})"
            # The innermost frame of this folder says where it failed; the chained
            # playwright traceback would only repeat it at great length.
            here = Path(__file__).parent
            frames = [
                f
                for f in traceback.extract_tb(exc.__traceback__)
                if here in Path(f.filename).parents
            ]
            at = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
            message = f"{self.name}{at}: {exc}\n{where}\n{self.server.log_tail()}"
            raise AssertionError(message) from None

    # -- open, run

    def open(self, path: str, ui: str = "lab") -> None:
        """Open ``path`` (relative to the root) in "lab" or "notebook" (Notebook 7)."""
        self.path = path
        self.opened.append(path)
        self.nb = nbformat.read(self.server.root / path, as_version=4)
        url = f"/lab/tree/{path}?reset" if ui == "lab" else f"/notebooks/{path}"
        self.page.goto(self.server.url(url), wait_until="domcontentloaded")
        self.page.locator(PANEL).wait_for(state="visible", timeout=OPEN_TIMEOUT_S * 1000)
        self.wait_kernel_idle(OPEN_TIMEOUT_S)

    def _dialog_text(self) -> str | None:
        dialog = self.page.locator(".jp-Dialog")
        if dialog.count():
            return dialog.first.inner_text().strip().replace("\n", " | ")
        return None

    def wait_kernel_idle(self, timeout: float) -> None:
        """Wait until the page shows the kernel idle *and* the server says it is idle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text := self._dialog_text():
                raise AssertionError(f"a dialog blocks the notebook: {text}")
            if self.page.locator(IDLE).count() and self.server.kernel_state(self.path) == "idle":
                return
            self.page.wait_for_timeout(250)
        raise AssertionError(
            f"kernel not idle after {timeout:.0f} s "
            f"(server says {self.server.kernel_state(self.path)!r})"
        )

    def dom_cells(self, prompts_only: bool = False) -> list[dict]:
        """Per cell of the page: code or not, the prompt text, [widget roots, output text]."""
        cells = self.page.evaluate(_DOM_JS, [PANEL, prompts_only])
        if cells is None:
            raise AssertionError("no visible notebook panel")
        return cells

    def model(self) -> dict:
        """The open notebook as JupyterLab holds it: per cell, each output's type and MIME
        types, with ename/evalue for errors."""
        state = self.page.evaluate(_MODEL_JS)
        if state is None or state["path"] != self.path:
            raise AssertionError(
                f"cannot read the notebook model of {self.path} via window.jupyterapp "
                f"(got {state and state['path']!r})"
            )
        return state

    def _click_run_all(self) -> None:
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
        item = self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
        item.first.click()

    def run_all(self, timeout: float = RUN_TIMEOUT_S) -> None:
        """Menu Run -> Run All Cells, then wait until it has finished (or hit an error).

        Finished means: the kernel is idle, no prompt shows [*], and every non-empty code
        cell shows [n]; or, after an error stopped Run All, idle with no [*] left.
        """
        expected = [c.cell_type == "code" and bool(c.source.strip()) for c in self.nb.cells]
        if not any(expected):
            return
        moved = False
        for _click in range(3):
            self._click_run_all()
            t_click = time.monotonic()
            while time.monotonic() - t_click < RUN_ALL_RETRY_S:
                if any(c["prompt"] not in ("", "[ ]:") for c in self.dom_cells(True)):
                    moved = True
                    break
                self.page.wait_for_timeout(250)
            if moved:
                break
            self.page.keyboard.press("Escape")  # close the menu if it is still open
        if not moved:
            raise AssertionError(
                f"Run All Cells ran nothing (clicked 3 times, {RUN_ALL_RETRY_S:.0f} s apart)"
            )
        deadline = time.monotonic() + timeout
        stable = 0
        while time.monotonic() < deadline:
            if text := self._dialog_text():
                raise AssertionError(f"a dialog appeared during Run All: {text}")
            cells = self.dom_cells(prompts_only=True)
            busy = any(c["prompt"] == "[*]:" for c in cells)
            idle = self.page.locator(IDLE).count() > 0
            all_numbered = len(cells) == len(expected) and all(
                re.fullmatch(r"\[\d+\]:", c["prompt"])
                for c, want in zip(cells, expected, strict=True)
                if want
            )
            done = idle and not busy and (all_numbered or self.errors())
            stable = stable + 1 if done else 0
            if stable >= 2:  # idle twice 0.5 s apart: not the gap between two cells
                return
            self.page.wait_for_timeout(500)
        prompts = [c["prompt"] for c in self.dom_cells(True) if c["code"]]
        raise AssertionError(f"Run All not finished after {timeout:.0f} s; prompts: {prompts}")

    # -- checks

    def errors(self) -> list[Problem]:
        """Error outputs (from the model: the page can't tell them from warnings)."""
        tags = [list(c.get("metadata", {}).get("tags", [])) for c in self.nb.cells]
        found = []
        for i, cell in enumerate(self.model()["cells"]):
            if i < len(tags) and "raises-exception" in tags[i]:
                continue  # the author says this cell raises on purpose
            for out in cell["outputs"]:
                if out["type"] == "error":
                    found.append(Problem(i, f"{out['ename']}: {out['evalue']}"))
        return found

    def problems(self) -> list[Problem]:
        """Everything wrong after Run All: errors, unrun cells, widgets not rendered.

        Cells that did not run (Run All stops at an error) are reported as one problem.
        """
        found = self.errors()
        nb = self.nb
        dom = self.dom_cells()
        if len(dom) != len(nb.cells):
            return found + [Problem(-1, f"page shows {len(dom)} cells, file has {len(nb.cells)}")]
        model = self.model()["cells"]
        unrun = []
        for i, (cell, d, m) in enumerate(zip(nb.cells, dom, model, strict=True)):
            if cell.cell_type == "code" and cell.source.strip():
                if not re.fullmatch(r"\[\d+\]:", d["prompt"]):
                    unrun.append(i)
                    continue
            tagged = "widget" in cell.metadata.get("tags", [])
            views = sum(WIDGET_MIME in o["mimes"] for o in m["outputs"])
            if failed := WIDGET_ERROR_RE.search(d["text"]):
                found.append(Problem(i, f"widget failed to display: {failed[0]!r}"))
            elif views != d["roots"]:
                found.append(Problem(i, f"{views} widget view(s) in the model, {d['roots']} shown"))
            elif tagged and d["roots"] == 0:
                found.append(Problem(i, "tagged 'widget' but displays no widget"))
            if not tagged and d["roots"] > 0:
                what = "displays a widget but is not tagged ['widget', 'nbval-ignore-output']"
                found.append(Problem(i, what))
        if unrun:
            more = f" (nor did cells {unrun[1:]})" if len(unrun) > 1 else ""
            found.append(Problem(unrun[0], "did not run" + more))
        return sorted(found, key=lambda p: p.cell)

    def wait_widgets_rendered(self, timeout: float = IMAGE_TIMEOUT_S) -> None:
        """Widget views render after their output arrives: give them a moment."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.model()["cells"]
            dom = self.dom_cells()
            views = [sum(WIDGET_MIME in o["mimes"] for o in m["outputs"]) for m in model]
            if len(dom) == len(views) and all(
                d["roots"] >= v or WIDGET_ERROR_RE.search(d["text"])
                for d, v in zip(dom, views, strict=True)
            ):
                return
            self.page.wait_for_timeout(250)

    # -- widgets

    def widget_cells(self) -> list[int]:
        """Indices of the open notebook's cells tagged "widget"."""
        return [i for i, c in enumerate(self.nb.cells) if "widget" in c.metadata.get("tags", [])]

    def widget_root(self, cell: int):
        return (
            self.page.locator(PANEL)
            .locator(".jp-Notebook .jp-Cell")
            .nth(cell)
            .locator(WIDGET_ROOT)
            .first
        )

    def widget_view(self, cell: int) -> dict:
        """What the widget in ``cell`` shows: ``imgs`` (plot sources), ``text`` (its output
        text when it has no image) and ``stderr`` (texts printed to stderr, tracebacks).

        Raises AssertionError when its callback raised (a traceback in its output): the
        kernel catches that exception, so only the page shows it.
        """
        view = self.widget_root(cell).evaluate(_WIDGET_VIEW_JS, STDERR_MIME)
        if tracebacks := [t for t in view["stderr"] if TRACEBACK_RE.search(t)]:
            raise AssertionError(f"the widget callback raised:\n{tracebacks[-1].strip()}")
        del view["stderr"]  # warnings may differ between draws: not part of the comparison
        return view

    def wait_widget_view(self, cell: int, timeout: float = IMAGE_TIMEOUT_S) -> dict:
        """The widget's first drawing (interact draws once when displayed)."""
        deadline = time.monotonic() + timeout
        view = self.widget_view(cell)
        while not (view["imgs"] or view["text"].strip()) and time.monotonic() < deadline:
            self.page.wait_for_timeout(250)
            view = self.widget_view(cell)
        return view

    def change_control(self, cell: int, how: str = "keys") -> str:
        """Change one control of the widget in ``cell``; returns what was done.

        Prefers a slider (``how="keys"``: focus the handle, arrow keys, which works in
        JupyterLab; ``how="drag"``: drag it, which also works in Notebook 7), then a
        dropdown, toggle buttons, a toggle button or a checkbox.
        """
        root = self.widget_root(cell)
        handle = root.locator(".widget-slider .noUi-handle").first
        if handle.count():
            return self._move_slider(root, handle, how)
        select = root.locator("select").first
        if select.count():
            current = select.input_value()
            values = [o.get_attribute("value") for o in select.locator("option").all()]
            other = next((v for v in values if v != current), None)
            if other is None:
                raise AssertionError("the dropdown has a single option: nothing to change")
            select.select_option(other)
            return self._run_interact(root, f"dropdown -> {other!r}")
        for sel, what in [
            (".widget-toggle-buttons button:not(.mod-active)", "toggle buttons"),
            (".widget-toggle-button", "toggle button"),
            (".widget-checkbox input[type=checkbox]", "checkbox"),
        ]:
            control = root.locator(sel).first
            if control.count():
                control.scroll_into_view_if_needed()
                control.click()
                return self._run_interact(root, what)
        raise AssertionError("the widget has no slider, dropdown, toggle or checkbox")

    def _move_slider(self, root, handle, how: str) -> str:
        handle.scroll_into_view_if_needed()
        attrs = ("aria-valuemin", "aria-valuemax", "aria-valuenow")
        lo, hi, before = (float(handle.get_attribute(a) or 0) for a in attrs)
        up = before < hi  # at the top of its range: move down instead
        if how == "keys":
            handle.focus()
            for _ in range(3):
                handle.press("ArrowRight" if up else "ArrowLeft")
        else:
            box = handle.bounding_box()
            track = root.locator(".widget-slider .noUi-base").first.bounding_box()
            if box is None or track is None:
                raise AssertionError("slider handle or track has no bounding box (hidden?)")
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            dx = 0.3 * track["width"] * (1 if up else -1)
            mouse = self.page.mouse
            mouse.move(x, y)
            mouse.down()
            mouse.move(x + dx, y, steps=8)
            mouse.up()
        # The handle's value follows the events as the page processes them: on a busy
        # machine (CI runs a second notebook pass beside this) that can take a moment.
        deadline = time.monotonic() + SLIDER_SETTLE_S
        after = float(handle.get_attribute("aria-valuenow") or before)
        while after == before and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
            after = float(handle.get_attribute("aria-valuenow") or before)
        if after == before:
            raise AssertionError(
                f"slider did not move ({how}) within {SLIDER_SETTLE_S:g} s: "
                f"{before:g} in [{lo:g}, {hi:g}]"
            )
        return self._run_interact(root, f"slider {before:g} -> {after:g} ({how})")

    def _run_interact(self, root, what: str) -> str:
        button = root.locator("button", has_text="Run Interact")  # interact_manual
        if button.count():
            button.first.click()
            what += " + Run Interact"
        return what

    def wait_widget_changed(
        self, cell: int, before: dict, timeout: float = IMAGE_TIMEOUT_S
    ) -> dict:
        """Poll until the widget shows a different (non-empty) image than ``before``."""
        deadline = time.monotonic() + timeout
        while True:
            now = self.widget_view(cell)
            drawn = bool(now["imgs"]) if before["imgs"] else bool(now["text"].strip())
            if drawn and now != before and all(now["imgs"]):
                return now
            if time.monotonic() > deadline:
                kind = "image" if before["imgs"] else "output text"
                raise AssertionError(f"the widget's {kind} did not change within {timeout:.0f} s")
            self.page.wait_for_timeout(250)

    def wait_widget_settled(self, cell: int, quiet: float = 1.0, timeout: float = 30.0) -> dict:
        """Wait until the kernel is idle and the widget's view has not changed for ``quiet``
        seconds; returns that view (raises if its callback raised meanwhile).

        Why not just "idle": ipywidgets sends one update at a time and the next (the
        latest slider value) only when the kernel reports idle for the previous one, so
        a single idle poll can fall between two updates.
        """
        deadline = time.monotonic() + timeout
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            view = self.widget_view(cell)
            idle = self.page.locator(IDLE).count() and self.server.kernel_state(self.path) == "idle"
            if not idle or view != last:
                last, since = view, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return view
            self.page.wait_for_timeout(200)
        raise AssertionError(
            f"the widget did not settle (kernel idle, same view) in {timeout:.0f} s"
        )

    def close(self) -> None:
        """Close the page, then delete the kernel sessions of every notebook it opened."""
        with suppress(Exception):  # the browser may be gone (Ctrl-C): kernels still must go
            self.page.close()
        for path in self.opened:
            self.server.shutdown_sessions(path)
