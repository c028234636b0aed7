"""How long from a key press on a slider to the new figure on the page? Every slider, in JupyterLab.

A learner focuses a slider and presses an arrow key; what they feel is the time until
the widget's figure has changed on the page. This benchmark does exactly that in
headless chromium (Debian's ``/usr/bin/chromium`` through Playwright, as the browser
suite in ``tests/browser``, whose server and browser code it imports): it starts its
own JupyterLab on 127.0.0.1 on a temporary copy of ``notebooks/``, opens each
notebook, runs it (Run All), and then, for every slider of every widget, presses an
arrow key a few times. Each press is timed in the page, from the keydown event to
the moment the widget shows a new, decoded image (a MutationObserver on the
widget; for a figure drawn on a canvas, its ``drawImage``); for a widget that shows
text or HTML instead of an image (notebook 07's sampler and saliency explorer), to the
last change of its output text, counted once the kernel is idle again so that a
half-printed output does not count. The next press waits until the kernel is idle
and the widget has settled.

It prints median, p90 and worst per slider and over all presses, and the load
average before and after. ``--load`` runs one busy-loop process on a core during
the measurement, as another program would on a learner's laptop. Goal (issue 23):
median <= 100 ms and p90 <= 200 ms over all sliders, quiet; loaded/quiet <= 2.
A benchmark, not a test: nothing here fails on a slow machine.

Usage::

    python benchmarks/bench_browser.py                 # notebooks 00 01 04 05 08, 5 presses
    python benchmarks/bench_browser.py --load          # the same with one core busy
    python benchmarks/bench_browser.py -n 00 -n 04 --presses 8
    python benchmarks/bench_browser.py -n all          # every notebook with a widget (slow)

Everything it starts (server, kernels, chromium, the busy loop) ends with it, also on
Ctrl-C; the server and the busy loop also on SIGKILL (parent-death signal).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_harness import (  # noqa: E402
    JupyterServer,
    NotebookPage,
    launch_chromium,
    parent_death_signal,
    sigterm_as_interrupt,
    widget_cells,
)

DEFAULT_NOTEBOOKS = ("00", "01", "04", "05", "08")
PRESS_TIMEOUT_S = 10.0

# Installed in every page: window.__bench.arm(root) starts watching one widget; the
# keydown that follows is time zero, a new decoded image (or a canvas draw) the end.
_INIT_JS = """
(() => {
  const IDLE = ".jp-NotebookPanel:not(.lm-mod-hidden) " +
               ".jp-Notebook-ExecutionIndicator[data-status='idle']";
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const b = window.__bench;
    if (b && b.root && b.root.contains(this.canvas) && b.tKey !== null && b.tDone === null) {
      b.tDone = performance.now();
    }
    return draw.apply(this, args);
  };
  window.__bench = {
    root: null, tKey: null, tDone: null, before: [], observer: null,
    textMode: false, beforeText: null, tText: null, sawBusy: false,
    srcs(root) {
      return Array.from(root.querySelectorAll('img')).map(i => i.getAttribute('src') || '');
    },
    text(root) {
      return Array.from(root.querySelectorAll('.widget-output')).map(o => o.textContent)
        .join('\\n');
    },
    arm(root) {
      const b = window.__bench;
      if (b.observer) b.observer.disconnect();
      b.root = root; b.tKey = null; b.tDone = null; b.before = b.srcs(root);
      // a widget without an image shows text or HTML: time the change of its output text
      b.textMode = b.before.length === 0;
      b.beforeText = b.textMode ? b.text(root) : null;
      b.tText = null; b.sawBusy = false;
      b.observer = new MutationObserver(() => {
        if (b.tKey === null || b.tDone !== null) return;
        if (!document.querySelector(IDLE)) b.sawBusy = true;
        if (b.textMode) {
          const now = b.text(root);
          if (now.trim() && now !== b.beforeText) b.tText = performance.now();
          return;
        }
        const imgs = Array.from(root.querySelectorAll('img'));
        const fresh = imgs.filter(i => (i.getAttribute('src') || '') &&
                                       !b.before.includes(i.getAttribute('src')));
        if (!fresh.length) return;
        Promise.all(fresh.map(i => i.decode().catch(() => null))).then(() => {
          if (b.tDone === null) b.tDone = performance.now();
        });
      });
      b.observer.observe(root, {subtree: true, childList: true, characterData: true,
                                attributes: true, attributeFilter: ['src']});
    },
    // Polled after the press. A text change is complete when the kernel is idle again
    // (the update has printed everything): the time is that of the last text change.
    // If the page never showed the kernel busy (a very short update), 150 ms without a
    // further change count as complete.
    done() {
      const b = window.__bench;
      if (!document.querySelector(IDLE)) b.sawBusy = true;
      if (b.tDone === null && b.textMode && b.tText !== null && document.querySelector(IDLE) &&
          (b.sawBusy || performance.now() - b.tText > 150)) {
        b.tDone = b.tText;
      }
      return b.tDone !== null;
    },
  };
  document.addEventListener('keydown', (e) => {
    const b = window.__bench;
    if (b && b.root && b.tKey === null && b.root.contains(e.target)) b.tKey = performance.now();
  }, true);
})();
"""

_SLIDERS_JS = """(root) => Array.from(root.querySelectorAll('.widget-slider')).map(s => {
  const label = s.querySelector('.widget-label');
  return (label ? label.textContent : '').trim() || '(no description)';
})"""


def loadavg() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def busy_loop() -> subprocess.Popen:
    """One process spinning on a core; it dies with this one (parent-death signal)."""
    return subprocess.Popen(
        [sys.executable, "-c", "while True: pass"],
        stdin=subprocess.DEVNULL,
        preexec_fn=parent_death_signal(),
    )


def pick_notebooks(root: Path, wanted: list[str]) -> list[str]:
    """Names of the notebooks to measure: those starting with a wanted prefix that have a
    widget cell (``all``: every notebook with one)."""
    names = sorted(p.name for p in root.glob("*.ipynb") if widget_cells(p))
    if "all" in wanted:
        return names
    return [n for n in names if any(n.startswith(w) for w in wanted)]


def time_press(nbpage: NotebookPage, root, handle, key: str) -> float:
    """Press ``key`` on ``handle``; milliseconds from the keydown to the new image (or, for
    a widget without an image, to the last change of its output text before the kernel is
    idle again)."""
    page = nbpage.page
    root.evaluate("(el) => window.__bench.arm(el)")
    handle.focus()
    handle.press(key)
    try:
        page.wait_for_function(
            "() => window.__bench.done()", timeout=PRESS_TIMEOUT_S * 1000, polling=5
        )
    except Exception:  # playwright's TimeoutError: count it as a timeout, go on
        return float("inf")
    t_key, t_done = page.evaluate("() => [window.__bench.tKey, window.__bench.tDone]")
    return t_done - t_key


def measure_notebook(nbpage: NotebookPage, name: str, presses: int) -> dict[str, list[float]]:
    """{slider label: [ms per press]} for every slider of every widget of ``name``."""
    nbpage.open(name)
    nbpage.run_all()
    nbpage.wait_widgets_rendered()
    problems = nbpage.problems()
    if problems:
        raise RuntimeError(f"{name} after Run All: " + "; ".join(map(str, problems)))
    results: dict[str, list[float]] = {}
    for cell in nbpage.widget_cells():
        root = nbpage.widget_root(cell)
        nbpage.wait_widget_view(cell)
        nbpage.wait_widget_settled(cell, quiet=0.5)
        labels = root.evaluate(_SLIDERS_JS)
        handles = root.locator(".widget-slider .noUi-handle")
        for k, label in enumerate(labels):
            handle = handles.nth(k)
            handle.scroll_into_view_if_needed()
            times = []
            for _ in range(presses):
                now = float(handle.get_attribute("aria-valuenow") or 0)
                top = float(handle.get_attribute("aria-valuemax") or 0)
                times.append(
                    time_press(nbpage, root, handle, "ArrowRight" if now < top else "ArrowLeft")
                )
                nbpage.wait_widget_settled(cell, quiet=0.3)
            results[f"{name[:2]} cell {cell}: {label}"] = times
    return results


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def report(results: dict[str, list[float]]) -> None:
    def ms(v: float) -> str:
        return "timeout" if v == float("inf") else f"{v:6.0f}"

    head = f"{'slider':<58} {'presses':>7} {'median':>7} {'p90':>7} {'worst':>7}  (ms)"
    print(head)
    print("-" * len(head))
    everything = []
    for label, times in results.items():
        everything += times
        print(
            f"{label[:58]:<58} {len(times):>7} {ms(statistics.median(times)):>7} "
            f"{ms(p90(times)):>7} {ms(max(times)):>7}"
        )
    if everything:
        print("-" * len(head))
        print(
            f"{'all sliders':<58} {len(everything):>7} {ms(statistics.median(everything)):>7} "
            f"{ms(p90(everything)):>7} {ms(max(everything)):>7}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-n",
        "--notebook",
        action="append",
        dest="notebooks",
        help="notebook number prefix, repeatable, or 'all' "
        f"(default: {' '.join(DEFAULT_NOTEBOOKS)})",
    )
    parser.add_argument("--presses", type=int, default=5, help="key presses per slider")
    parser.add_argument("--load", action="store_true", help="keep one core busy meanwhile")
    args = parser.parse_args(argv)

    base = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    server = JupyterServer(base=base, notebooks=ROOT / "notebooks")
    busy = None
    results: dict[str, list[float]] = {}
    with sigterm_as_interrupt():
        try:
            server.start()
            names = pick_notebooks(server.root, args.notebooks or list(DEFAULT_NOTEBOOKS))
            home = base / "browser-home"
            home.mkdir()
            pw, browser = launch_chromium(home)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.set_default_timeout(60_000)
                context.add_init_script(_INIT_JS)
                print(
                    f"bench_browser: {', '.join(names)}; {args.presses} presses per slider; "
                    f"{'LOADED (one core busy)' if args.load else 'quiet'}"
                )
                print(f"load average before: {loadavg()}", flush=True)
                for name in names:
                    nbpage = NotebookPage(context.new_page(), server, base / "shots", name[:2])
                    try:
                        if args.load and busy is None:
                            busy = busy_loop()
                        results.update(measure_notebook(nbpage, name, args.presses))
                    finally:
                        nbpage.close()
                    print(f"  {name}: done (load average {loadavg()})", flush=True)
            finally:
                browser.close()
                pw.stop()
        finally:
            if busy is not None:
                busy.kill()
                busy.wait()
            server.stop()
    print(f"load average after: {loadavg()}\n")
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
