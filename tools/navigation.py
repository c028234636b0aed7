"""Write the navigation line (previous | start | next) at the top and bottom of every notebook.

Usage::

    python tools/navigation.py          # rewrite the navigation cells in notebooks/
    python tools/navigation.py --check  # exit 1 if any notebook's navigation is stale
    python tools/navigation.py --only 03  # rewrite only 03-*.ipynb

The navigation cells are markdown cells tagged ``navigation``; the script
replaces them (or inserts them as the first and last cell) and touches
nothing else. Running it twice changes nothing. Titles come from each
notebook's first H1 heading.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
TAG = "navigation"
START = "00-Start-Here.ipynb"


def notebook_paths(folder=NOTEBOOKS):
    """The course's notebooks, in order: ``NN-Title.ipynb``."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]-*.ipynb"))


def title_of(nb, path):
    """The notebook's H1 title, or a title made from its file name."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and TAG not in cell["metadata"].get("tags", []):
            m = re.search(r"^# (.+)$", cell["source"], re.M)
            if m:
                return m.group(1).strip()
    return path.stem[3:].replace("-", " ")


def nav_line(paths, titles, k):
    """The markdown navigation line for notebook ``k`` of ``paths``."""
    parts = []
    if k > 0:
        parts.append(f"[← {paths[k - 1].name[:2]} {titles[k - 1]}]({paths[k - 1].name})")
    parts.append(f"[Start]({START})" if paths[k].name != START else "**Start**")
    if k + 1 < len(paths):
        parts.append(f"[{paths[k + 1].name[:2]} {titles[k + 1]} →]({paths[k + 1].name})")
    return " | ".join(parts)


def nav_cell(text, where):
    cell = nbformat.v4.new_markdown_cell(text, id=f"navigation-{where}")
    cell.metadata["tags"] = [TAG]
    return cell


def with_navigation(nb, text):
    """Return a copy of ``nb`` with one navigation cell at the top and one at the bottom."""
    new = nbformat.from_dict(nb)
    cells = [c for c in nb.cells if TAG not in c.metadata.get("tags", [])]
    new.cells = [nav_cell(text, "top"), *cells, nav_cell(text, "bottom")]
    return new


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument("--folder", default=str(NOTEBOOKS))
    parser.add_argument(
        "--only",
        nargs="*",
        default=None,
        help="rewrite only notebooks whose names start with these prefixes",
    )
    args = parser.parse_args(argv)
    paths = notebook_paths(args.folder)
    books = [nbformat.read(p, as_version=4) for p in paths]
    titles = [title_of(nb, p) for nb, p in zip(books, paths, strict=True)]
    stale = []
    for k, (path, nb) in enumerate(zip(paths, books, strict=True)):
        new = with_navigation(nb, nav_line(paths, titles, k))
        if args.only is not None and not path.name.startswith(tuple(args.only)):
            continue
        if nbformat.writes(new) != nbformat.writes(nb):
            stale.append(path.name)
            if not args.check:
                nbformat.write(new, path)
    if args.check:
        for name in stale:
            print(f"stale navigation: {name} (run python tools/navigation.py)")
        return 1 if stale else 0
    for name in stale:
        print(f"updated {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
