"""Build the course website and the accessible HTML exports of the notebooks, offline.

Usage (``make site`` and ``py tools/course.py site`` call ``main()``)::

    python tools/site.py                 # the website in build/site/ (same as `build`)
    python tools/site.py build [--out DIR]
    python tools/site.py export [--out DIR] [NN ...]   # one HTML file per notebook
    python tools/site.py serve [--port 8000]            # look at build/site/ on 127.0.0.1

Standard library only, so that it runs before any venv exists, with any Python 3.11+:

1. a virtual environment ``.venv-site`` with the pinned builder (``requirements-site.txt``:
   Sphinx, MyST-NB, sphinx-book-theme, nbconvert, accessible-pygments), refreshed when that
   file changes (a hash in ``.venv-site/.installed``), as ``.venv-classroom`` is for the
   classroom;
2. MathJax from the npm registry, pinned by ``site/package.json`` and its lock file
   (``npm ci``), copied into the site: no page loads anything from another host;
3. the sources staged in ``build/site-src``: the stored notebooks (never executed),
   ``images/``, and a home page made from the README's opening and its table of the course;
4. Sphinx with ``site/conf.py`` (settings an instructor sets once: ``site/settings.toml``).

``export`` writes the notebooks as single HTML pages with nbconvert's lab template,
adapted in ``site/nbconvert/course`` (MathJax from a local copy, no require.js, code in the
accessible-pygments ``a11y-light`` colours, contrast fixes); the accessibility tests audit
exactly these pages, so an instructor who shares them shares what was checked.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
VENV = ROOT / ".venv-site"
REQUIREMENTS = ROOT / "requirements-site.txt"
BUILD = ROOT / "build"
OUT = BUILD / "site"
STAGE = BUILD / "site-src"
MATHJAX_STAGE = BUILD / "site-mathjax"
EXPORTS = BUILD / "exports"
NOTEBOOKS = ROOT / "notebooks"
IMAGES = ROOT / "images"

#: What of MathJax 3's ``es5`` folder the pages need: the TeX-to-HTML component, the TeX
#: extensions it loads on demand, its fonts, and the accessibility menu (speech, explorer).
MATHJAX_PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml", "a11y", "ui", "sre")
#: The pygments colours of the exports' code (accessible-pygments; AA contrast on white).
EXPORT_PYGMENTS_STYLE = "a11y-light"


def say(text):
    print(f"[site] {text}", flush=True)


# ------------------------------------------------------------------------ environment


def venv_python(venv=VENV, os_name=None):
    """Path of the Python inside ``venv`` on this OS (``os.name`` unless given)."""
    os_name = os.name if os_name is None else os_name
    if os_name == "nt":
        return Path(venv) / "Scripts" / "python.exe"
    return Path(venv) / "bin" / "python"


def _stamp_value():
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def ensure_env(venv=VENV, quiet=True):
    """Create or refresh ``.venv-site`` from ``requirements-site.txt``; return its Python."""
    python = venv_python(venv)
    stamp = Path(venv) / ".installed"
    want = _stamp_value()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == want:
        return python
    q = ["--quiet"] if quiet else []
    say(f"setting up {Path(venv).name} (Sphinx, MyST-NB, the book theme, nbconvert)")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", *q, "--upgrade", "pip"], check=True)
    subprocess.run([str(python), "-m", "pip", "install", *q, "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(want + "\n")
    return python


def _pinned_npm_version(package_json, name):
    import json

    return json.loads(Path(package_json).read_text(encoding="utf-8"))["dependencies"][name]


def ensure_npm_package(folder, name):
    """``npm ci`` in ``folder`` unless ``node_modules/<name>`` is at the pinned version.

    Returns the package's folder. Used for MathJax (``site/``) and axe-core (``tests/site``).
    """
    import json

    folder = Path(folder)
    package = folder / "node_modules" / name
    want = _pinned_npm_version(folder / "package.json", name)
    installed = package / "package.json"
    if installed.exists() and json.loads(installed.read_text(encoding="utf-8"))["version"] == want:
        return package
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            f"{name} comes from the npm registry: install Node.js and npm "
            "(https://nodejs.org), then run this again."
        )
    say(f"installing {name} {want} (npm ci in {folder.relative_to(ROOT)})")
    cmd = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run(cmd, cwd=folder, check=True)
    return package


def stage_mathjax(dest=MATHJAX_STAGE):
    """Copy the pinned MathJax into ``dest/mathjax`` (Sphinx serves it as ``_static/mathjax``)."""
    es5 = ensure_npm_package(SITE, "mathjax") / "es5"
    target = Path(dest) / "mathjax"
    for part in MATHJAX_PARTS:
        src, dst = es5 / part, target / part
        if src.is_dir():
            _sync_tree(src, dst)
        else:
            _copy_if_changed(src, dst)
    return Path(dest)


def read_settings():
    """``site/settings.toml`` with the environment's overrides (see that file)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_site", SITE / "_ext" / "course_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.read_settings()


# ------------------------------------------------------------------------ sources


def _copy_if_changed(src, dst):
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists() and dst.read_bytes() == src.read_bytes():
        return False
    shutil.copy2(src, dst)  # keeps the time stamp, so Sphinx re-reads only what changed
    return True


def _sync_tree(src, dst, patterns=("*",)):
    """Make ``dst`` hold exactly the files of ``src`` matching ``patterns`` (recursively)."""
    src, dst = Path(src), Path(dst)
    wanted = {p.relative_to(src) for pat in patterns for p in src.rglob(pat) if p.is_file()}
    for rel in wanted:
        _copy_if_changed(src / rel, dst / rel)
    if dst.exists():
        for p in sorted(dst.rglob("*"), reverse=True):
            if p.is_file() and p.relative_to(dst) not in wanted:
                p.unlink()
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()


def notebook_names(folder=NOTEBOOKS):
    """The course's notebooks in their order: ``00-...ipynb`` to ``09-...ipynb``."""
    return sorted(p.name for p in Path(folder).glob("[0-9][0-9]-*.ipynb"))


def _section(lines, title):
    """The lines of the README section ``## title`` up to the next ``##`` or ``###`` (or [])."""
    start = next((i for i, line in enumerate(lines) if line.strip() == f"## {title}"), None)
    if start is None:
        return []
    end = next(
        (i for i in range(start + 1, len(lines)) if re.match(r"#{2,3} ", lines[i])), len(lines)
    )
    return lines[start:end]


def home_page(readme, notebooks, repository_url="", branch="main"):
    """The site's home page (MyST markdown) from the README's learner part.

    Parameters
    ----------
    readme : str
        The README's text: its title and opening paragraphs (up to the first ``##``) and
        its ``## The course`` table are used.
    notebooks : list of str
        The notebooks' file names in the course's order (the navigation).
    repository_url : str
        Links to files other than notebooks and images point there (at ``branch``);
        without it they become plain text.
    """
    lines = readme.splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith("## ")), len(lines))
    text = "\n".join(lines[:first] + _section(lines, "The course"))

    def relink(match):
        label, target = match.group(1), match.group(2)
        if re.match(r"[a-z]+:|#", target) or target.startswith(("notebooks/", "images/")):
            return match.group(0)
        if repository_url:
            return f"[{label}]({repository_url.rstrip('/')}/blob/{branch}/{target})"
        return label

    text = re.sub(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)", relink, text)
    about = (
        "## About this website\n\n"
        "Every page is one notebook of the course, with the outputs it stored when it was "
        "last run: nothing here runs code. A slider appears as its text form (what it "
        "controls) below the figure it would redraw; run the notebook to move it. Each page "
        "links to its notebook, and, when the course's instructor has set one up, to a "
        "place to run it. The answers to the exercises stay folded until you open them.\n"
    )
    # The navigation's entries: "04 Vanishing and exploding gradients", as in the README's
    # table (a notebook missing there is listed by its own H1 title).
    short = dict(re.findall(r"^\|\s*\d\d\s*\|\s*\[([^\]]+)\]\(notebooks/([^)]+)\)", text, re.M))
    short = {name: title for title, name in short.items()}
    entries = []
    for name in notebooks:
        stem = Path(name).stem
        entries.append(
            f"{stem[:2]} {short[name]} <notebooks/{stem}>" if name in short else f"notebooks/{stem}"
        )
    toctree = "\n".join(["```{toctree}", ":hidden:", ":maxdepth: 1", "", *entries, "```", ""])
    return text.rstrip() + "\n\n" + about + "\n" + toctree


def stage(dest=STAGE, repository_url="", branch="main"):
    """Put the site's sources in ``dest``: index.md, notebooks/ and images/ (as stored)."""
    dest = Path(dest)
    names = notebook_names()
    if not names:
        raise SystemExit(f"no notebooks in {NOTEBOOKS}")
    _sync_tree(NOTEBOOKS, dest / "notebooks", ("[0-9][0-9]-*.ipynb",))
    _sync_tree(IMAGES, dest / "images", ("*.svg", "*.png"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = home_page(readme, names, repository_url, branch)
    path = dest / "index.md"
    if not path.exists() or path.read_text(encoding="utf-8") != index:
        path.write_text(index, encoding="utf-8")
    return dest


# ------------------------------------------------------------------------ build


def build(out=OUT, python=None, quiet=True):
    """Build the website into ``out`` from the stored notebooks; return ``out``."""
    out = Path(out)
    python = python or ensure_env()
    mathjax = stage_mathjax()
    settings = read_settings()
    src = stage(repository_url=settings["repository_url"], branch=settings["branch"])
    doctrees = out.parent / f".{out.name}-doctrees"
    cmd = [str(python), "-m", "sphinx", "-b", "html", "-c", str(SITE), "--keep-going"]
    cmd += ["-d", str(doctrees), *(["-q"] if quiet else []), str(src), str(out)]
    env = {**os.environ, "COURSE_SITE_MATHJAX": str(mathjax), "PYTHONIOENCODING": "utf-8"}
    started = time.monotonic()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    (out / ".nojekyll").touch()  # GitHub Pages: serve _static/ and _sources/ as they are
    say(f"built {out} in {time.monotonic() - started:.0f} s; open {out / 'index.html'}")
    return out


# ------------------------------------------------------------------------ exports


def export_notebook(notebook, out_dir, mathjax_url="mathjax/tex-chtml.js"):
    """Write ``notebook`` as one accessible HTML page in ``out_dir``; return its path.

    Needs nbconvert and accessible-pygments (``.venv-site``). The page uses nbconvert's lab
    template as adapted in ``site/nbconvert/course``: MathJax 3 from ``mathjax_url``
    (relative: ``export()`` puts a copy next to the pages), no script from another host,
    code in the ``a11y-light`` colours, and the figure descriptions as each image's alt.
    """
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.extra_template_basedirs = [str(SITE / "nbconvert")]
    config.HTMLExporter.template_name = "course"
    config.HTMLExporter.mathjax_url = mathjax_url
    config.HTMLExporter.embed_images = True  # the diagrams of images/ travel with the page
    config.CSSHTMLHeaderPreprocessor.style = EXPORT_PYGMENTS_STYLE
    notebook = Path(notebook)
    body, _ = HTMLExporter(config=config).from_filename(str(notebook))
    body = _embed_diagrams(body, notebook.parent)
    # Links between notebooks lead to the neighbouring exports.
    body = re.sub(r'(href=")(\d\d-[^"/]+)\.ipynb([#"])', r"\1\2.html\3", body)
    out = Path(out_dir) / notebook.with_suffix(".html").name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return out


def _embed_diagrams(page, folder):
    """Inline the ``<img src="../images/...">`` diagrams as data URLs.

    nbconvert's ``embed_images`` refuses files outside the notebook's own folder, and the
    course's diagrams live in ``images/`` beside ``notebooks/``.
    """
    import base64
    import mimetypes

    def inline(match):
        path = (Path(folder) / match.group(2)).resolve()
        if IMAGES.resolve() not in path.parents or not path.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"{match.group(1)}data:{mime};base64,{data}{match.group(3)}"

    return re.sub(r'(<img\b[^>]*?\bsrc=")(\.\./images/[^"]+)(")', inline, page)


def export(out_dir=EXPORTS, prefixes=(), python=None):
    """HTML exports of the notebooks (all, or those whose name starts with a prefix).

    Runs :func:`export_notebook` in ``.venv-site`` and copies MathJax next to the pages.
    """
    out_dir = Path(out_dir)
    python = python or ensure_env()
    mathjax = stage_mathjax() / "mathjax"
    _sync_tree(mathjax, out_dir / "mathjax")
    names = [n for n in notebook_names() if not prefixes or n.startswith(tuple(prefixes))]
    # tools/site.py is loaded by its path: "site" is also the name of a module of Python's.
    code = (
        "import sys, importlib.util as u\n"
        "spec = u.spec_from_file_location('site_tools', sys.argv[1])\n"
        "s = u.module_from_spec(spec); spec.loader.exec_module(s)\n"
        "for name in sys.argv[3:]:\n"
        "    s.export_notebook(s.NOTEBOOKS / name, sys.argv[2])\n"
    )
    cmd = [str(python), "-c", code, str(Path(__file__).resolve()), str(out_dir), *names]
    subprocess.run(cmd, check=True)
    say(f"exported {len(names)} notebook(s) to {out_dir}")
    return [out_dir / Path(n).with_suffix(".html").name for n in names]


# ------------------------------------------------------------------------ serve


def serve(folder=OUT, port=8000):
    """Serve ``folder`` on http://127.0.0.1:PORT/ until Ctrl-C."""
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        say(f"serving {folder} on http://127.0.0.1:{port}/ (Ctrl-C stops)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


# ------------------------------------------------------------------------ entry point


def main(argv=None):
    """``build`` (the default), ``export`` or ``serve``; returns an exit code."""
    parser = argparse.ArgumentParser(prog="site.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    p_build = sub.add_parser("build", help="the website, in build/site/ (the default)")
    p_build.add_argument("--out", type=Path, default=OUT)
    p_build.add_argument("--verbose", action="store_true", help="Sphinx's full output")
    p_export = sub.add_parser("export", help="accessible HTML exports in build/exports/")
    p_export.add_argument("--out", type=Path, default=EXPORTS)
    p_export.add_argument("prefixes", nargs="*", help="notebook name prefixes, e.g. 04 07")
    p_serve = sub.add_parser("serve", help="serve build/site/ on 127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    command = args.command or "build"
    if command == "export":
        export(args.out.resolve(), args.prefixes)
    elif command == "serve":
        return serve(OUT, args.port)
    else:
        out = args.out if args.command else OUT
        build(out.resolve(), quiet=not getattr(args, "verbose", False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
