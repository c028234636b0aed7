"""Every notebook has the course skeleton, was executed cleanly in order, and is portable.

What nbval does not check: the notebook skeleton of CONTRIBUTING.md ("The skeleton
of a notebook"), the navigation cells,
an execution in order in a fresh kernel, no error outputs, no absolute paths,
memory addresses or timings in outputs, widget cells tagged so that nbval can
run them, and a size that GitHub renders.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tools import navigation

ROOT = Path(__file__).resolve().parent.parent
PATHS = navigation.notebook_paths(ROOT / "notebooks")
IDS = [p.name for p in PATHS]

ABS_PATH = re.compile(r"(/root/|/tmp/|/work/|/home/|/Users/|[A-Z]:\\\\|site-packages)")
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,16}\b")
TIMING = re.compile(r"\b\d+(\.\d+)?\s?(ms|µs|us|ns)\b|\bWall time\b|\bCPU times\b")


def _read(path):
    return nbformat.read(path, as_version=4)


def _markdown(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _tags(cell):
    return cell.metadata.get("tags", [])


def _output_text(output):
    if "text" in output:
        return output["text"]
    parts = []
    for key, value in output.get("data", {}).items():
        if key.startswith("text/") or key in ("application/json",):
            parts.append(value if isinstance(value, str) else str(value))
    return "\n".join(parts)


def test_course_has_notebooks_numbered_from_zero():
    assert PATHS, "notebooks/ holds no NN-Title.ipynb notebook"
    numbers = [int(p.name[:2]) for p in PATHS]
    assert numbers == list(range(len(numbers))), f"notebooks are not numbered 00, 01, ...: {IDS}"


def test_navigation_is_up_to_date():
    stale = navigation.main(["--check", "--folder", str(ROOT / "notebooks")])
    assert stale == 0, "run `python tools/navigation.py` and commit the notebooks"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_skeleton(path):
    nb = _read(path)
    md = _markdown(nb)
    first, last = nb.cells[0], nb.cells[-1]
    assert "navigation" in _tags(first) and "navigation" in _tags(last), "no navigation cells"
    assert re.search(r"^# \S", md, re.M), "no H1 title"
    for heading in ("You will learn", "Before you start"):
        assert re.search(heading, md, re.I), f"no '{heading}' section"
    assert re.search(r"^#+ .*Exercises", md, re.I | re.M), "no Exercises section"
    assert re.search(r"^#+ .*Summary", md, re.I | re.M), "no Summary section"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_executed_in_order_without_errors(path):
    nb = _read(path)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    counts = [c.execution_count for c in code]
    assert None not in counts, f"{counts.count(None)} code cells were never run"
    assert counts == list(range(1, len(counts) + 1)), (
        f"cells were not run top to bottom in a fresh kernel: {counts}"
    )
    for k, cell in enumerate(code):
        for out in cell.outputs:
            assert out.output_type != "error", f"code cell {k} stores an error: {out.get('ename')}"
            if out.output_type == "stream" and out.name == "stderr":
                assert "Warning" not in out.text, f"code cell {k} stores a warning: {out.text}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_outputs_are_portable(path):
    nb = _read(path)
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        ignored = "nbval-ignore-output" in _tags(cell)
        for out in cell.outputs:
            text = _output_text(out)
            assert not ABS_PATH.search(text), f"cell {k} output holds a path: {text[:200]}"
            assert not ADDRESS.search(text), f"cell {k} output holds an address: {text[:200]}"
            if not ignored:
                assert not TIMING.search(text), f"cell {k} output holds a timing: {text[:200]}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_setup_is_seeded_and_styled(path):
    nb = _read(path)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "np.random.seed" not in code, "use a numpy Generator, not the global random state"
    assert "rnnlib" in code
    assert "rnnlib.setup()" in code, (
        "call rnnlib.setup() in the setup cell (one BLAS thread, and the plot style)"
    )


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_widget_cells_are_tagged(path):
    """A cell that displays a widget is tagged, so nbval runs it without comparing its output.

    The browser suite finds the widgets by the same tag, so a tag and a widget
    view must go together both ways.
    """
    nb = _read(path)
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        shows_widget = any(WIDGET_VIEW in out.get("data", {}) for out in cell.outputs)
        tagged = "widget" in _tags(cell)
        if shows_widget or tagged:
            assert {"widget", "nbval-ignore-output"} <= set(_tags(cell)), (
                f"cell {k} displays a widget: tag it 'widget' and 'nbval-ignore-output'"
            )
            assert shows_widget, f"cell {k} is tagged 'widget' but displays none"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_size_and_kernel(path):
    assert path.stat().st_size < 3_000_000, "keep a notebook under 3 MB"
    nb = _read(path)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_answers_are_folded_where_every_reader_reads(path):
    """A folded answer is a markdown ``<details>`` block, folded on GitHub, nbviewer and in
    an HTML export too; JupyterLab's ``outputs_hidden``/``source_hidden`` folds a cell only in
    JupyterLab, so an answer folded that way shows in every static read."""
    nb = _read(path)
    folded = [
        k
        for k, c in enumerate(nb.cells)
        if c.metadata.get("jupyter", {}).get("outputs_hidden")
        or c.metadata.get("jupyter", {}).get("source_hidden")
    ]
    assert not folded, (
        f"cells {folded} are folded only in JupyterLab (metadata jupyter.outputs_hidden or "
        "source_hidden): put an answer in a markdown <details> block instead"
    )
    unclosed = [
        k
        for k, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and c.source.count("<details>") != c.source.count("</details>")
    ]
    assert not unclosed, f"cells {unclosed} open a <details> block they do not close"


# --- Accessibility (issue 24): described figures, headings in order, descriptive links ---

FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$", re.M)
MD_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
HTML_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.I | re.S)
BARE_URL = re.compile(r"<https?://[^>]*>|(?<![(\"'<=])\bhttps?://[^\s)\]]+")
VAGUE_LINK_TEXT = {"here", "click here", "this", "this link", "link", "more", "read more", "source"}


def _markdown_cells(nb):
    """``(index, id, source without fenced code)`` of every markdown cell."""
    return [
        (k, c.get("id", "?"), FENCE.sub("", c.source))
        for k, c in enumerate(nb.cells)
        if c.cell_type == "markdown"
    ]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_figure_output_has_alt_text(path):
    """Each PNG output stores a text description of its figure as ``metadata["image/png"]["alt"]``.

    ``rnnlib.setup()`` makes the kernel write it (``rnnlib.plotting.register_alt_text``);
    nbconvert and the course website turn it into ``<img alt="...">``. A notebook
    executed before that mechanism fails here until it is executed again
    (``python tools/execute.py NN``).
    """
    nb = _read(path)
    missing = []
    total = 0
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            if "image/png" not in out.get("data", {}):
                continue
            total += 1
            alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
            if not str(alt).strip():
                missing.append(f"cell {k} (id {cell.get('id', '?')})")
    if missing:
        print(f"{path.name}: {len(missing)} of {total} figure outputs lack alt text:")
        print("\n".join(f"  {m}" for m in missing))
    assert not missing, (
        f"{len(missing)} of {total} figure outputs have no alt text ({', '.join(missing)}): "
        f"re-execute the notebook (python tools/execute.py {path.name[:2]})"
    )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_one_h1_and_headings_in_order(path):
    """One H1 (the title), and no heading skips a level (## then #### is a gap)."""
    nb = _read(path)
    headings = [
        (k, len(m.group(1)), m.group(2))
        for k, _, src in _markdown_cells(nb)
        for m in HEADING.finditer(src)
    ]
    h1 = [(k, text) for k, level, text in headings if level == 1]
    assert len(h1) == 1, f"a notebook has one H1, its title; found {h1}"
    assert headings and headings[0][1] == 1, f"the first heading is not the H1: {headings[:1]}"
    gaps = [
        f"cell {k}: {'#' * level} {text!r} after a level-{prev} heading"
        for (_, prev, _), (k, level, text) in zip(headings, headings[1:], strict=False)
        if level > prev + 1
    ]
    assert not gaps, "headings skip a level: " + "; ".join(gaps)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_link_text_is_descriptive(path):
    """A link says where it goes: no "here"/"this" and no bare address as its text."""
    nb = _read(path)
    bad = []
    for k, _, src in _markdown_cells(nb):
        for m in MD_LINK.finditer(src):
            text = m.group(1).strip()
            if not text or text.lower().strip(".:!") in VAGUE_LINK_TEXT:
                bad.append(f"cell {k}: [{text}]({m.group(2)})")
            elif re.match(r"(https?://|www\.)", text):
                bad.append(f"cell {k}: the address itself is the link text: {text}")
        for m in BARE_URL.finditer(MD_LINK.sub("", MD_IMAGE.sub("", src))):
            bad.append(f"cell {k}: bare address {m.group(0)}")
    assert not bad, "give these links descriptive text: " + "; ".join(bad)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_markdown_images_have_alt_text(path):
    """A diagram shown by markdown says what it shows: ``![what it shows](../images/x.svg)``."""
    nb = _read(path)
    bad = []
    for k, _, src in _markdown_cells(nb):
        for m in MD_IMAGE.finditer(src):
            if len(m.group(1).split()) < 5:
                bad.append(f"cell {k}: ![{m.group(1)}]({m.group(2)})")
        for m in HTML_IMG.finditer(src):
            alt = HTML_ALT.search(m.group(0))
            if not alt or len(alt.group(2).split()) < 5:
                bad.append(f"cell {k}: {m.group(0)[:80]}")
    assert not bad, "describe these images in their alt text (5 words at least): " + "; ".join(bad)
