"""Session fixtures of the website tests: the site and the exports, built once; one static
server and one chromium for the session.

The site is built by ``tools/site.py`` (as ``make site`` builds it, into a temporary folder)
with a test repository URL and a test JupyterHub, so that the links those settings make are
on the pages. Without chromium, playwright or npm the browser tests are skipped with a
message saying what to install; in CI (``CI=true``) they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys

import pytest
from site_harness import (
    ROOT,
    BrowserUnavailable,
    axe_script,
    check_browser_installed,
    in_ci,
    launch_chromium,
    measure_page,
    static_server,
)

#: Settings the test build uses (site/settings.toml is left as it is).
TEST_SETTINGS = {
    "COURSE_SITE_REPOSITORY_URL": "https://github.com/example-org/rnn-course",
    "COURSE_SITE_BRANCH": "main",
    "COURSE_SITE_JUPYTERHUB_URL": "https://hub.example.edu",
}


def _unavailable(message):
    if in_ci():
        pytest.fail(f"CI=true and the site tests cannot run: {message}", pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/site/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.site)


@pytest.fixture(scope="session")
def site_base(tmp_path_factory):
    """The session's folder: ``site/`` (the website), ``exports/``, chromium's HOME."""
    return tmp_path_factory.mktemp("site")


def _run_site_tool(args, env=None):
    if shutil.which("npm") is None:
        _unavailable("the site needs MathJax and axe-core from npm: install Node.js and npm")
    cmd = [sys.executable, str(ROOT / "tools" / "site.py"), *args]
    done = subprocess.run(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} failed (exit {done.returncode}):\n{done.stdout[-3000:]}\n"
            f"{done.stderr[-3000:]}",
            pytrace=False,
        )
    return done


@pytest.fixture(scope="session")
def site_build(site_base):
    """Build the website once per session; return ``(folder, Sphinx's output)``."""
    out = site_base / "www" / "site"
    done = _run_site_tool(["build", "--out", str(out), "--verbose"], TEST_SETTINGS)
    return out, done.stdout + done.stderr


@pytest.fixture(scope="session")
def site_dir(site_build):
    return site_build[0]


@pytest.fixture(scope="session")
def exports_dir(site_base):
    """The notebooks' HTML exports (``tools/site.py export``), made once per session."""
    out = site_base / "www" / "exports"
    _run_site_tool(["export", "--out", str(out)])
    return out


@pytest.fixture(scope="session")
def base_url(site_base):
    """A static server over ``www/`` (the site and the exports), on 127.0.0.1."""
    (site_base / "www").mkdir(exist_ok=True)
    with static_server(site_base / "www") as url:
        yield url


@pytest.fixture(scope="session")
def browser(site_base):
    """Headless chromium (Debian's /usr/bin/chromium) through Playwright."""
    home = site_base / "browser-home"
    home.mkdir(exist_ok=True)
    try:
        check_browser_installed()
        pw, chromium = launch_chromium(home)
    except BrowserUnavailable as exc:
        _unavailable(str(exc))
    yield chromium
    with contextlib.suppress(Exception):
        chromium.close()
    with contextlib.suppress(Exception):
        pw.stop()


@pytest.fixture(scope="session")
def browser_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    yield context
    with contextlib.suppress(Exception):
        context.close()


class OpenedPage:
    """A page opened from the test server, with what it logged and what it tried to fetch."""

    def __init__(self, page, base_url):
        self.page = page
        self.console_errors = []
        self.page_errors = []
        self.outside = []  # requests to anything but the test server (all blocked)
        self.failed = []  # requests to the test server that failed (404 ...)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("response", self._response)
        page.route("**/*", self._route(base_url))

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def _route(self, base_url):
        def handle(route):
            url = route.request.url
            if url.startswith(base_url) or url.startswith(("data:", "blob:", "about:")):
                route.continue_()
            else:
                self.outside.append(url)
                route.abort()

        return handle

    def goto(self, url):
        self.page.goto(url, wait_until="load")
        # MathJax typesets after load: wait for its first typesetting to end.
        self.page.evaluate(
            "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
            " await MathJax.startup.promise; }"
        )
        return self.page


@pytest.fixture
def open_page(browser_context, base_url):
    """``open_page(path)``: a fresh page at ``base_url + path``, typeset; closed afterwards."""
    opened = []

    def open_(path):
        page = OpenedPage(browser_context.new_page(), base_url)
        opened.append(page)
        page.goto(base_url + path)
        return page

    yield open_
    for page in opened:
        with contextlib.suppress(Exception):
            page.page.close()


@pytest.fixture(scope="session")
def axe(site_base):
    """Path of the pinned axe.min.js (``npm ci`` in tests/site if it is missing)."""
    if shutil.which("npm") is None and not (ROOT / "tests/site/node_modules/axe-core").exists():
        _unavailable("axe-core comes from npm: install Node.js and npm")
    return axe_script()


@pytest.fixture(scope="session")
def visit(request, browser_context, base_url, axe):
    """``visit(path)``: open a page of the site (``site/...``) or an export (``exports/...``)
    once per session and measure everything the tests ask about it (:func:`measure_page`):
    the page tests and the accessibility tests read the same visit, so each page is loaded
    and typeset once."""
    reports = {}

    def visit_(path):
        if path not in reports:
            request.getfixturevalue("exports_dir" if path.startswith("exports/") else "site_dir")
            opened = OpenedPage(browser_context.new_page(), base_url)
            try:
                opened.goto(base_url + path)
                reports[path] = measure_page(opened, axe)
            finally:
                with contextlib.suppress(Exception):
                    opened.page.close()
        return reports[path]

    return visit_
