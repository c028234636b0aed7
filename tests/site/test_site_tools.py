"""The pure parts of the site's builder (tools/site.py) and of its Sphinx extension
(site/_ext/course_site.py): the launch and notebook URLs, the home page, the alt map."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os

from site_harness import ROOT, site_tools


def _extension():
    spec = importlib.util.spec_from_file_location(
        "course_site", ROOT / "site" / "_ext" / "course_site.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _links():
    return _extension().notebook_links


DOC = "notebooks/04-Vanishing-and-Exploding-Gradients"
REPO = "https://github.com/owner/rnn-course"


def test_links_without_repository():
    assert _links()(DOC) == {"notebook": "", "launch": "", "launch_label": ""}


def test_links_to_github_and_jupyterhub():
    links = _links()(DOC, REPO + ".git", "v0.2.0", jupyterhub_url="https://hub.example.edu/")
    assert links["notebook"] == f"{REPO}/blob/v0.2.0/{DOC}.ipynb"
    assert links["launch"] == (
        "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A//github.com/owner/"
        f"rnn-course&branch=v0.2.0&urlpath=lab/tree/rnn-course/{DOC}.ipynb"
    )


def test_links_to_binder_and_the_classic_interface():
    links = _links()(DOC, REPO, binderhub_url="https://mybinder.org", notebook_interface="classic")
    assert (
        links["launch"]
        == f"https://mybinder.org/v2/gh/owner/rnn-course/main?urlpath=tree/{DOC}.ipynb"
    )


def test_home_page_from_readme():
    tools = site_tools()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    page = tools.home_page(readme, tools.notebook_names())
    assert page.startswith("# ")
    assert "](notebooks/00-Start-Here.ipynb)" in page
    assert "```{toctree}" in page and "00 Start here <notebooks/00-Start-Here>" in page
    assert "## Two commands" not in page  # the learner's part only
    relinked = tools.home_page("# T\n\nSee [the rules](CONTRIBUTING.md).\n\n## The course\n", [])
    assert "See the rules." in relinked
    relinked = tools.home_page(
        "# T\n\nSee [the rules](CONTRIBUTING.md).\n\n## The course\n", [], REPO
    )
    assert f"[the rules]({REPO}/blob/main/CONTRIBUTING.md)" in relinked


def test_alt_map_hashes_the_image_bytes():
    image = base64.b64encode(b"not really a png").decode()
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": "x"},
            {
                "cell_type": "code",
                "outputs": [
                    {"data": {"image/png": image}, "metadata": {"image/png": {"alt": "A plot"}}},
                    {"data": {"image/png": image + "AAAA"}, "metadata": {}},
                ],
            },
        ]
    }
    alts, missing = _extension().image_alts(notebook)
    assert alts == {hashlib.sha256(b"not really a png").hexdigest(): "A plot"}
    assert missing == [1]


def test_venv_python_paths():
    tools = site_tools()
    assert tools.venv_python("v", "nt") == tools.Path("v") / "Scripts" / "python.exe"
    assert tools.venv_python("v", "posix") == tools.Path("v") / "bin" / "python"
    assert os.fspath(tools.VENV).endswith(".venv-site")


def test_settings_and_their_overrides(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('repository_url = ""\nbranch = "main"\njupyterhub_url = "https://a.edu"\n')
    read = _extension().read_settings
    assert read(path, {})["jupyterhub_url"] == "https://a.edu"
    env = {"COURSE_SITE_BRANCH": "v1", "COURSE_SITE_JUPYTERHUB_URL": " "}
    assert read(path, env) == {
        "repository_url": "",
        "branch": "v1",
        "jupyterhub_url": "https://a.edu",  # an empty variable changes nothing
    }
