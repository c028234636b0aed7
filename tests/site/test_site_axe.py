"""Accessibility: axe-core (pinned in tests/site/package.json) with the WCAG 2.1 A and AA rules
over every page of the website and every notebook's HTML export. A serious or critical
violation fails, printed as rule, page and the elements it names."""

from __future__ import annotations

import pytest
from site_harness import all_pages, export_pages, format_violations


@pytest.mark.parametrize("path", [f"site/{p}" for p in all_pages()] + export_pages())
def test_axe_wcag21_aa(path, visit):
    violations = visit(path)["axe"]
    assert not violations, (
        f"axe-core: {sum(len(v['nodes']) for v in violations)} serious or critical "
        f"WCAG 2.1 A/AA violation(s) on {path}:\n" + format_violations(path, violations)
    )
