"""The course website's own Sphinx extension: two small hooks on top of MyST-NB.

1. **Figure descriptions reach the ``<img>``.** The course stores each figure's text
   description as the ``alt`` of its image output (``output.metadata["image/png"]["alt"]``,
   as nbconvert and JupyterLab read it). MyST-NB 1.4 copies only ``width`` and ``height``
   from that metadata, so the page would get docutils' fallback, the image's file name (a
   hash), as its alt text. MyST-NB names each image file by the SHA-256 of its bytes; on
   ``doctree-read`` this hook hashes every image output of the notebook the same way and
   sets the matching image node's ``alt``. An image output without a description is
   reported as a Sphinx warning naming the notebook and cell.
2. **Every notebook page links to its notebook and to a place to run it.** A line at the
   top of the page: the ``.ipynb`` on GitHub (or, without a repository URL, its copy in the
   site) and, when set in ``site/settings.toml``, the launch link: the class's JupyterHub
   through nbgitpuller, or a BinderHub.

The pure functions, :func:`image_alts` and :func:`notebook_links`, are tested in
``tests/site/test_site_tools.py``; docutils and Sphinx are imported only by the hooks, so
that those tests run in the course's own venv.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlencode

IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif")
SETTINGS = Path(__file__).resolve().parent.parent / "settings.toml"


def read_settings(path=SETTINGS, environ=None):
    """``site/settings.toml``; a non-empty ``COURSE_SITE_<KEY>`` variable wins over its key."""
    import os
    import tomllib

    environ = os.environ if environ is None else environ
    settings = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    for key in list(settings):
        value = environ.get(f"COURSE_SITE_{key.upper()}", "").strip()
        if value:
            settings[key] = value
    return settings


def image_alts(notebook: dict) -> tuple[dict[str, str], list[int]]:
    """Map the SHA-256 (hex) of each image output's bytes to its stored ``alt``.

    Parameters
    ----------
    notebook : dict
        The notebook's JSON (nbformat 4).

    Returns
    -------
    (dict, list of int)
        ``{sha256: alt}`` for every image output with a non-empty alt, and the indices of
        the cells holding an image output without one.
    """
    alts, missing = {}, []
    for index, cell in enumerate(notebook.get("cells", [])):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            for mime in IMAGE_MIMES:
                if mime not in data:
                    continue
                content = data[mime]
                content = "".join(content) if isinstance(content, list) else content
                digest = hashlib.sha256(base64.b64decode(content)).hexdigest()
                alt = str(output.get("metadata", {}).get(mime, {}).get("alt", "")).strip()
                if alt:
                    alts[digest] = alt
                elif index not in missing:
                    missing.append(index)
    return alts, missing


def notebook_links(
    docname: str,
    repository_url: str = "",
    branch: str = "main",
    jupyterhub_url: str = "",
    binderhub_url: str = "",
    notebook_interface: str = "jupyterlab",
) -> dict[str, str]:
    """The URLs a notebook page links to.

    Parameters
    ----------
    docname : str
        The page's name, its path in the repository without ``.ipynb``
        (``"notebooks/04-Vanishing-and-Exploding-Gradients"``).
    repository_url : str
        ``https://github.com/<owner>/<name>``, or ``""``.
    branch : str
        The branch or tag of the links.
    jupyterhub_url, binderhub_url : str
        Where the launch link goes (the hub wins if both are set), or ``""``.
    notebook_interface : str
        ``"jupyterlab"`` or ``"classic"``.

    Returns
    -------
    dict
        ``"notebook"``: the notebook on GitHub, or ``""`` without a repository URL;
        ``"launch"``: the launch URL or ``""``; ``"launch_label"``: what the link says.
    """
    path = f"{docname}.ipynb"
    repo = repository_url.strip().rstrip("/")
    if repo.endswith(".git"):
        repo = repo[: -len(".git")]
    links = {"notebook": "", "launch": "", "launch_label": ""}
    if not repo:
        return links
    branch = branch.strip() or "main"
    links["notebook"] = f"{repo}/blob/{quote(branch)}/{quote(path)}"
    ui = "tree" if notebook_interface == "classic" else "lab/tree"
    hub, binder = jupyterhub_url.strip().rstrip("/"), binderhub_url.strip().rstrip("/")
    if hub:
        folder = PurePosixPath(repo).name  # nbgitpuller clones into the repository's name
        query = urlencode(
            {"repo": repo, "branch": branch, "urlpath": f"{ui}/{folder}/{path}"}, safe="/"
        )
        links["launch"] = f"{hub}/hub/user-redirect/git-pull?{query}"
        links["launch_label"] = "Run this notebook on the class's JupyterHub"
    elif binder:
        parts = repo.split("/")
        if repo.startswith("https://github.com/") and len(parts) == 5:
            spec = f"gh/{parts[3]}/{parts[4]}/{quote(branch, safe='')}"
        else:
            spec = f"git/{quote(repo, safe='')}/{quote(branch, safe='')}"
        links["launch"] = f"{binder}/v2/{spec}?urlpath={quote(f'{ui}/{path}', safe='/')}"
        links["launch_label"] = "Run this notebook on Binder"
    return links


def _set_alts(app, doctree):
    from docutils import nodes
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    docname = app.env.docname
    source = Path(app.env.doc2path(docname))
    if source.suffix != ".ipynb":
        return
    alts, missing = image_alts(json.loads(source.read_text(encoding="utf-8")))
    for index in missing:
        logger.warning(
            f"{source.name}: cell {index} has an image output without a description "
            "(metadata image/png alt)",
            type="course",
            subtype="alt",
        )
    for image in doctree.findall(nodes.image):
        digest = PurePosixPath(str(image.get("uri", ""))).stem
        if digest in alts:
            image["alt"] = alts[digest]


def _add_links(app, pagename, templatename, context, doctree):
    if doctree is None or not str(app.env.doc2path(pagename, False)).endswith(".ipynb"):
        return
    settings = app.config.course_site_settings
    links = notebook_links(pagename, **settings)
    name = PurePosixPath(pagename).name + ".ipynb"
    if links["notebook"]:
        notebook = f'<a href="{html.escape(links["notebook"])}">{name} on GitHub</a>'
    else:
        # The page's own source, copied into the site (html_sourcelink_suffix = "").
        href = context["pathto"]("_sources/" + pagename + ".ipynb", 1)
        notebook = f'<a href="{html.escape(href)}" download>download {name}</a>'
    parts = [f"The notebook: {notebook}"]
    if links["launch"]:
        label = html.escape(links["launch_label"])
        parts.append(f'<a class="course-launch" href="{html.escape(links["launch"])}">{label}</a>')
    line = " · ".join(parts)
    context["body"] = f'<p class="course-links">{line}</p>\n' + context["body"]


def setup(app):
    app.add_config_value("course_site_settings", {}, "html")
    app.connect("doctree-read", _set_alts)
    app.connect("html-page-context", _add_links)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
