"""Sphinx's built-in search works offline: a query finds the notebooks that speak of it."""

from __future__ import annotations


def test_search_finds_a_notebook(site_dir, open_page):
    opened = open_page("site/search.html?q=forget+gate")
    page = opened.page
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results li').length > 0", timeout=30_000
    )
    hits = page.eval_on_selector_all("#search-results li a", "as => as.map(a => a.href)")
    assert any("05-LSTM-Gates" in h for h in hits), hits
    assert not opened.outside, f"search fetched from other hosts: {opened.outside}"
