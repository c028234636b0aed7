"""Session fixtures of the browser tests: one JupyterLab server, one chromium, a page per test.

Without chromium or playwright the tests are skipped with a message saying what to
install; in CI (``CI=true``) the same message makes them fail instead, so a broken CI
image is never mistaken for a green run.
"""

from __future__ import annotations

import atexit
import contextlib
import re
from pathlib import Path

import pytest
from browser_harness import (
    BrowserUnavailable,
    JupyterServer,
    NotebookPage,
    check_browser_installed,
    in_ci,
    launch_chromium,
    notebooks_dir,
    sigterm_as_interrupt,
)

_SHOTS_KEY = pytest.StashKey[Path]()
_TIMINGS_KEY = pytest.StashKey[list]()


def _unavailable(message: str):
    if in_ci():
        pytest.fail(f"CI=true and the browser tests cannot run: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_base(tmp_path_factory) -> Path:
    """Temporary folder of the session: server root, HOME, server log, screenshots."""
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="session")
def screenshots(browser_base, pytestconfig) -> Path:
    shots = browser_base / "screenshots"
    pytestconfig.stash[_SHOTS_KEY] = shots
    return shots


@pytest.fixture(scope="session")
def _server_process(browser_base):
    """Start the JupyterLab server process early (it boots while chromium launches),
    after the cheap checks that the tests can run at all."""
    try:
        check_browser_installed()
        import jupyterlab  # noqa: F401
    except BrowserUnavailable as exc:
        _unavailable(str(exc))
    except ImportError as exc:
        _unavailable(f"jupyterlab is not installed ({exc}): `.venv/bin/pip install jupyterlab`")
    server = JupyterServer(base=browser_base, notebooks=notebooks_dir())
    atexit.register(server.stop)  # also if the interpreter exits without fixture teardown
    # Ctrl-C and SIGTERM end here through teardown; a SIGKILL through the server's
    # parent-death signal (see browser_harness's docstring and test_server_lifetime.py).
    with sigterm_as_interrupt():
        try:
            server.spawn()
            yield server
        finally:
            server.stop()  # sessions (kernels) first, then the server's own pid


@pytest.fixture(scope="session")
def browser(browser_base, _server_process):
    """Headless chromium (Debian's /usr/bin/chromium) through Playwright."""
    home = browser_base / "browser-home"
    home.mkdir(exist_ok=True)
    try:
        pw, chromium = launch_chromium(home)
    except BrowserUnavailable as exc:
        _unavailable(str(exc))
    yield chromium
    # After Ctrl-C the driver may be gone already (and chromium with it): don't pile
    # teardown errors onto the interrupt.
    with contextlib.suppress(Exception):
        chromium.close()
    with contextlib.suppress(Exception):
        pw.stop()


@pytest.fixture(scope="session")
def jupyter(_server_process, browser) -> JupyterServer:
    """The running JupyterLab server on a temporary copy of notebooks/."""
    _server_process.wait_ready()
    return _server_process


@pytest.fixture(scope="session")
def browser_context(browser):
    """One context for the session: its HTTP cache makes every page after the first load
    JupyterLab's scripts much faster. Pages are still fresh per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    yield context
    with contextlib.suppress(Exception):  # see `browser`
        context.close()


@pytest.fixture
def nbpage(request, browser_context, jupyter, screenshots):
    """A fresh page; closed, and the kernels of what it opened deleted, afterwards."""
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    page = NotebookPage(browser_context.new_page(), jupyter, screenshots, name)
    yield page
    page.close()
    if page.timings:
        request.config.stash.setdefault(_TIMINGS_KEY, []).append((name, page.timings))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    shots = config.stash.get(_SHOTS_KEY, None)
    if shots is not None and shots.is_dir():
        n = len([f for f in shots.iterdir() if f.suffix in (".png", ".jpg")])
        terminalreporter.write_sep("-", "browser tests: screenshots and seconds per phase")
        terminalreporter.write_line(f"{n} screenshot(s) in {shots}")
    for name, timings in config.stash.get(_TIMINGS_KEY, []):
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
        terminalreporter.write_line(f"{name}: {phases}")
