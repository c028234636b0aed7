"""What the site tests share: a static server, chromium, axe-core, and the page lists.

- :func:`static_server`: serves a folder on 127.0.0.1 (free port) from a thread of the
  test process itself, so it cannot outlive the run.
- chromium comes from ``tests/browser/browser_harness.py`` (:func:`launch_chromium`: Debian's
  ``/usr/bin/chromium`` with the same flags, ``HOME`` in a temporary folder); Playwright's
  driver is a child of the test process and takes chromium down with it.
- :func:`run_axe`: injects the pinned axe-core (``tests/site/package.json``, installed with
  ``npm ci`` by :func:`axe_script`) into a page and runs the WCAG 2.1 A/AA rules.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_harness import (  # noqa: E402
    BrowserUnavailable,
    check_browser_installed,
    in_ci,
    launch_chromium,
)

__all__ = [
    "BrowserUnavailable",
    "check_browser_installed",
    "in_ci",
    "launch_chromium",
    "site_tools",
    "static_server",
    "axe_script",
    "run_axe",
    "AXE_TAGS",
    "SERIOUS",
    "format_violations",
    "notebook_pages",
    "all_pages",
    "measure_page",
    "export_pages",
]

#: The WCAG 2.1 level A and AA rules of axe-core.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: The impacts that fail a page.
SERIOUS = ("serious", "critical")


@functools.cache
def site_tools():
    """``tools/site.py`` as a module (imported by path: ``site`` is a module of Python's)."""
    spec = importlib.util.spec_from_file_location("site_tools", ROOT / "tools" / "site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@contextlib.contextmanager
def static_server(folder):
    """Serve ``folder`` on http://127.0.0.1:PORT/ while the block runs; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def axe_script():
    """Path of the pinned ``axe.min.js`` (installed by ``npm ci`` in tests/site if missing)."""
    return site_tools().ensure_npm_package(HERE, "axe-core") / "axe.min.js"


_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({
      impact: n.impact, target: n.target.join(' '),
      summary: (n.failureSummary || '').split('\\n').slice(0, 2).join(' '),
    })),
  }));
}"""


def run_axe(page, script=None):
    """axe-core's WCAG 2.1 A/AA violations on ``page``: a list of dicts (id, impact, nodes)."""
    page.add_script_tag(path=str(script or axe_script()))
    return page.evaluate(_AXE_RUN, AXE_TAGS)


def serious(violations):
    """Only the serious and critical violations, each keeping only its serious nodes."""
    kept = []
    for v in violations:
        nodes = [n for n in v["nodes"] if (n["impact"] or v["impact"]) in SERIOUS]
        if nodes:
            kept.append({**v, "nodes": nodes})
    return kept


def format_violations(page_name, violations, limit=5):
    """One line per rule (rule, impact, count, help) and up to ``limit`` targets each."""
    lines = []
    for v in violations:
        lines.append(f"{page_name}: {v['id']} ({v['impact']}, {len(v['nodes'])}): {v['help']}")
        for n in v["nodes"][:limit]:
            lines.append(f"    {n['target']}  {n['summary'][:160]}")
        if len(v["nodes"]) > limit:
            lines.append(f"    ... and {len(v['nodes']) - limit} more")
    return "\n".join(lines)


def notebook_pages():
    """The site's pages of the notebooks, in the course's order (known before the build)."""
    return [f"notebooks/{name[: -len('.ipynb')]}.html" for name in site_tools().notebook_names()]


def all_pages():
    """Every HTML page of the site: home, the notebooks, search and the general index."""
    return ["index.html", *notebook_pages(), "search.html", "genindex.html"]


def export_pages():
    """The notebooks' HTML exports, as the test server serves them."""
    return [f"exports/{name[: -len('.ipynb')]}.html" for name in site_tools().notebook_names()]


# Text of the page outside code, outputs and typeset math: where a "$x$" would be a raw one.
_PROSE_TEXT_JS = """() => {
  const root = document.querySelector('main') || document.body;
  const skip = 'pre, code, kbd, script, style, mjx-container, .output, .jp-OutputArea, '
             + '.cell_output, .jp-InputArea, textarea';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest(skip)) parts.push(n.textContent);
  }
  return parts.join(' ');
}"""

_IMAGES_JS = """async () => Promise.all([...document.images].map(async (img) => {
  try { await img.decode(); } catch (e) { /* a broken image: naturalWidth stays 0 */ }
  return [img.getAttribute('src').slice(0, 120), img.naturalWidth];
}))"""


def measure_page(opened, axe_path):
    """Everything the tests check on one opened page, as a dict.

    ``outside``/``failed``/``errors``: requests to other hosts (blocked), failed requests,
    console and page errors; ``broken_images``; ``math``: MathJax elements, ``math_errors``,
    ``prose``: the text outside code, outputs and math; ``details``: each ``<details>``'s
    open state; ``axe``: the serious and critical WCAG 2.1 A/AA violations.
    """
    page = opened.page
    return {
        "outside": list(opened.outside),
        "failed": list(opened.failed),
        "errors": opened.console_errors + opened.page_errors,
        "broken_images": [src for src, width in page.evaluate(_IMAGES_JS) if not width],
        "math": page.locator("mjx-container").count(),
        "math_errors": page.locator("mjx-merror").count(),
        "prose": page.evaluate(_PROSE_TEXT_JS),
        "details": page.evaluate(
            "() => [...document.querySelectorAll('details')].map(d => d.open)"
        ),
        "axe": serious(run_axe(page, axe_path)),
    }
