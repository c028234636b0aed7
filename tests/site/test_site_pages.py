"""Every page of the website, and every HTML export, in chromium: it loads from the site alone
(no request leaves the test server, none fails), logs no error, every image loads, the math
is typeset (no raw ``$...$`` left in the text) and the answers stay folded."""

from __future__ import annotations

import json
import re

import pytest
from site_harness import ROOT, all_pages, export_pages


def _notebook(path):
    """The notebook behind a page (site or export) as JSON, or None for other pages."""
    name = path.rsplit("/", 1)[-1].replace(".html", ".ipynb")
    notebook = ROOT / "notebooks" / name
    return json.loads(notebook.read_text(encoding="utf-8")) if notebook.exists() else None


def _count(notebook, needle):
    return sum(
        "".join(c["source"]).count(needle)
        for c in notebook["cells"]
        if c["cell_type"] == "markdown"
    )


@pytest.mark.parametrize("path", [f"site/{p}" for p in all_pages()] + export_pages())
def test_page(path, visit):
    report = visit(path)
    problems = []
    if report["outside"]:
        problems.append(f"requests to other hosts (it must work offline): {report['outside']}")
    if report["failed"]:
        problems.append(f"failed requests: {report['failed']}")
    if report["errors"]:
        problems.append(f"console errors: {report['errors']}")
    if report["broken_images"]:
        problems.append(f"images that did not load: {report['broken_images']}")
    notebook = _notebook(path)
    if notebook is not None:
        if _count(notebook, "$") and not report["math"]:
            problems.append("the notebook has math, but no MathJax element is on the page")
        raw = re.findall(r"\$[^$\n]{1,80}\$", report["prose"])
        if raw:
            problems.append(f"raw $...$ left in the text: {raw[:5]}")
        if report["math_errors"]:
            problems.append(f"MathJax reported {report['math_errors']} TeX error(s)")
        want = _count(notebook, "<details")
        if len(report["details"]) != want or any(report["details"]):
            problems.append(f"{want} folded answers expected; open states {report['details']}")
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)
