"""Sphinx configuration of the course website (`make site`; tools/site.py runs Sphinx with it).

Jupyter Book 1's stack used directly: Sphinx, MyST-NB (reads the stored notebooks, executes
nothing) and sphinx-book-theme. tools/site.py stages the sources in ``build/site-src``
(index.md written from the README, notebooks/, images/) and a local copy of MathJax; this
folder holds the configuration, ``settings.toml`` (what an instructor sets), the extension
``_ext/course_site.py`` and ``_static/course.css``. Nothing is fetched from the network,
at build time or when a page is read.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))


from course_site import read_settings  # noqa: E402

course_site_settings = read_settings()

project = "Recurrent networks from scratch"
author = "The Recurrent networks from scratch contributors"
copyright = "the Recurrent networks from scratch contributors; text CC-BY-4.0, code MIT"
language = "en"

extensions = ["myst_nb", "sphinx.ext.mathjax", "course_site"]
root_doc = "index"
exclude_patterns = ["**.ipynb_checkpoints"]

# ---- MyST-NB: read the stored outputs, never execute.
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "amsmath", "html_image"]
# "$$...$$" inside a paragraph or list item is display math, as in JupyterLab (09 has one).
myst_dmath_double_inline = True
myst_heading_anchors = 3
# A widget's stored view means nothing without a live kernel: drop it (the priority None), so
# the output's text form shows instead ("Interactive: ... the figure above shows the
# defaults"); and load no ipywidgets JavaScript (it would come from a CDN).
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("readthedocs", "application/vnd.jupyter.widget-view+json", None),
]
nb_ipywidgets_js = {}
# A cell's consecutive printed lines show as one block, as in JupyterLab.
nb_merge_streams = True

# ---- MathJax 3, served from the site itself (tools/site.py copies the pinned npm package).
mathjax_path = "mathjax/tex-chtml.js"
mathjax3_config = {
    "options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"},
}

# ---- HTML
html_theme = "sphinx_book_theme"
html_title = project
# tools/site.py stages MathJax in build/site-mathjax/mathjax/ and names that folder here.
html_static_path = ["_static", os.environ.get("COURSE_SITE_MATHJAX", "../build/site-mathjax")]
html_css_files = ["course.css"]
templates_path = ["_templates"]  # the search button, see its comment
html_sourcelink_suffix = ""  # the copy of each notebook in _sources/ keeps its .ipynb name
html_copy_source = True
html_show_sourcelink = False
html_last_updated_fmt = None
html_context = {"default_mode": "light"}
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": bool(course_site_settings.get("repository_url")),
    "repository_url": course_site_settings.get("repository_url") or "",
    "repository_branch": course_site_settings.get("branch") or "main",
    "path_to_docs": "",
    "navigation_with_keys": False,
    # One search field, the sidebar's (the header bar would repeat it above every page).
    "navbar_persistent": [],
    "pygments_light_style": "a11y-high-contrast-light",
    "pygments_dark_style": "a11y-high-contrast-dark",
}
# No search-engine or analytics snippet, no external fonts: the theme ships its own assets.
