"""What the built website says, read from its HTML (no browser): the navigation in the
course's order, each notebook's link and launch link, the widgets' text forms instead of
dead widgets, and the figures' descriptions on their ``<img>``."""

from __future__ import annotations

import html
import json
import re

import pytest
from site_harness import ROOT, notebook_pages, site_tools

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _page(site_dir, path):
    return (site_dir / path).read_text(encoding="utf-8")


def _notebook(path):
    name = path.rsplit("/", 1)[-1].replace(".html", ".ipynb")
    return json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))


def _outputs(notebook):
    for index, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            yield index, output


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def _plain(fragment):
    """Text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_navigation_in_course_order(site_dir):
    home = _page(site_dir, "index.html")
    nav = home[home.index("bd-docs-nav") :]
    hrefs = re.findall(r'href="(notebooks/\d\d-[^"#]+\.html)"', nav)
    want = notebook_pages()
    assert list(dict.fromkeys(hrefs)) == want, f"navigation {hrefs}, expected {want}"
    for path in want:
        assert f">{path[10:12]} " in nav, f"the navigation does not number {path}"


@pytest.mark.parametrize("path", notebook_pages())
def test_notebook_and_launch_links(site_dir, path):
    page = _page(site_dir, path)
    name = path[len("notebooks/") : -len(".html")]
    line = re.search(r'<p class="course-links">(.*?)</p>', page)
    assert line, f"{path}: no line linking to the notebook"
    repo = "https://github.com/example-org/rnn-course"
    assert f'href="{repo}/blob/main/notebooks/{name}.ipynb"' in line.group(1)
    launch = (
        "https://hub.example.edu/hub/user-redirect/git-pull?repo="
        f"{repo.replace(':', '%3A')}&amp;branch=main&amp;urlpath=lab/tree/rnn-course/notebooks/"
        f"{name}.ipynb"
    )
    assert f'href="{launch}"' in line.group(1), line.group(1)


@pytest.mark.parametrize("path", notebook_pages())
def test_widgets_show_their_text_form(site_dir, path):
    page = _page(site_dir, path)
    assert WIDGET_MIME not in page, f"{path}: a dead widget view is on the page"
    assert "embed-amd" not in page and "require.min.js" not in page, "widget JavaScript loaded"
    text = _plain(page)
    for index, output in _outputs(_notebook(path)):
        data = output.get("data", {})
        if WIDGET_MIME in data:
            form = " ".join(_text(data.get("text/plain", "")).split())
            assert form, f"cell {index}: a widget without a text form"
            assert html.unescape(form).strip("'\"") in text, f"cell {index}: text form missing"


@pytest.mark.parametrize("path", notebook_pages())
def test_figure_descriptions_reach_the_page(site_dir, path):
    """Each image output's stored description is its ``<img alt>`` (the site's own hook)."""
    missing = _descriptions_missing(_page(site_dir, path), path)
    assert not missing, f"{path}: the description of cells {missing} is not the img's alt"


def _descriptions_missing(page, path):
    """Cells of ``path``'s notebook whose stored image description is no ``<img alt>``."""
    alts = {" ".join(html.unescape(a).split()) for a in re.findall(r'<img alt="([^"]*)"', page)}
    missing = []
    for index, output in _outputs(_notebook(path)):
        alt = output.get("metadata", {}).get("image/png", {}).get("alt")
        if "image/png" in output.get("data", {}) and alt and " ".join(alt.split()) not in alts:
            missing.append(index)
    return missing


def test_every_page_built(site_build):
    site_dir, log = site_build
    for path in ["index.html", "search.html", *notebook_pages()]:
        assert (site_dir / path).is_file(), f"{path} was not built"
    assert (site_dir / "_static" / "mathjax" / "tex-chtml.js").is_file()
    names = site_tools().notebook_names()
    assert all((site_dir / "_sources" / "notebooks" / n).is_file() for n in names)
    errors = [line for line in log.splitlines() if "ERROR" in line or "CRITICAL" in line]
    assert not errors, "Sphinx reported errors:\n" + "\n".join(errors)


@pytest.mark.parametrize("path", notebook_pages())
def test_figure_descriptions_reach_the_exports(exports_dir, path):
    """The HTML exports carry each stored description as the ``<img alt>`` too (nbconvert's
    lab template drops it; site/nbconvert/course puts it back)."""
    name = path.rsplit("/", 1)[-1]
    missing = _descriptions_missing((exports_dir / name).read_text(encoding="utf-8"), path)
    assert not missing, f"{name}: the description of cells {missing} is not the img's alt"
