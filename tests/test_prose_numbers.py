"""Every number the prose of a notebook quotes is shown by that notebook, or allowed with a reason.

A retrain, a new seed or another CPU changes what a notebook prints; a sentence that quotes
the old number stays behind unless something ties the two. This test is that tie. It reads
every markdown cell (navigation lines aside), takes each number it quotes and fails unless
the same number appears in the notebook's code or in one of its stored outputs:

- numbers are decimals (``0.82``, ``1.673``, ``2.2e-10``) and integers of three or more
  digits (``1,500`` is 1500); a sign, a leading ``~`` or a trailing ``%`` does not matter;
- not counted: LaTeX math (``$...$``, ``$$...$$``), link targets and HTML tags, and a year
  that stands right after an author's name (``Hochreiter & Schmidhuber 1997``,
  ``Bahdanau et al. (2015)``);
- a number shows when the code or an output has it as a token of its own: ``0.82`` matches
  ``0.82`` but not ``0.821`` or ``10.82``; ``1,500`` matches ``1500``, ``1,500`` or ``1_500``.

A number that cannot be printed (a constant of an equation, a figure from a cited paper, a
version) goes into the notebook's allowlist, in its metadata, with the reason::

    "metadata": {"course": {"prose_numbers": {
        "0.04": "the adding problem's tolerance, from the 1997 paper"}}}

The allowlist stays short, every entry has a reason, and an entry the prose no longer
uses is removed (this test says which).
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

#: How long a notebook's allowlist may grow before it stops being "short".
MAX_ALLOWED = 15

DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
INLINE_MATH = re.compile(r"(?<!\\)\$[^$\n]+?(?<!\\)\$")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>")
BARE_URL = re.compile(r"https?://\S+")
_NAME = r"[A-Z][\w'’-]+"
CITED_YEAR = re.compile(
    rf"(?:{_NAME}|et al\.|&)\s*,?\s*\(?\s*((?:19|20)\d\d)[a-z]?\b"
    rf"|(?:{_NAME}|et al\.)\s*,?\s*\(?\s*(?:19|20)\d\d[a-z]?\s*(?:;|,| and)\s*((?:19|20)\d\d)\b"
)
#: A decimal (with an optional exponent), or an integer of 3+ digits, with thousands
#: separators; not a piece of a longer token (a version 0.2.0, a name like x86_64, v1.2).
NUMBER = re.compile(
    r"(?<![\w.\-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+−]?\d+)?(?![\w]|\.\d)"
)


def _read(path):
    return nbformat.read(path, as_version=4)


def canonical(token: str) -> str | None:
    """The number a prose token stands for, as the test compares it, or None if not counted.

    ``"1,500"`` -> ``"1500"``; ``"0.82"`` -> ``"0.82"``; ``"2.2e−10"`` -> ``"2.2e-10"``;
    ``"40"`` -> None (an integer of fewer than three digits).
    """
    token = token.replace("−", "-")
    plain = token.replace(",", "")
    if re.fullmatch(r"\d+", plain):
        return plain if len(plain) >= 3 else None
    if "." in plain:
        return plain.lower()
    return None  # 1e-6: an order of magnitude, not a measured value


def prose_numbers(markdown: str) -> list[str]:
    """The numbers (canonical) one markdown cell quotes, outside math, links and tags."""
    text = DISPLAY_MATH.sub(" ", markdown)
    text = INLINE_MATH.sub(" ", text)
    text = LINK_TARGET.sub("]", text)
    text = BARE_URL.sub(" ", text)
    text = HTML_TAG.sub(" ", text)
    years = {y for m in CITED_YEAR.finditer(text) for y in m.groups() if y}
    found = []
    text = re.sub(r"(^|[\s(\[~≈])[-−+±]", r"\1 ", text, flags=re.M)  # a sign is not a hyphen
    for m in NUMBER.finditer(text.replace("−", "-")):
        number = canonical(m.group(0))
        if number is None:
            continue
        if number in years and len(number) == 4:
            continue
        found.append(number)
    return found


def _spellings(number: str) -> list[str]:
    """The ways code or an output may write a canonical number."""
    if re.fullmatch(r"\d+", number):
        spaced = f"{int(number):,}"
        return list(dict.fromkeys([number, spaced, spaced.replace(",", "_")]))
    mantissa, _, exponent = number.partition("e")
    if exponent:
        sign = "-" if exponent.startswith("-") else ""
        digits = exponent.lstrip("+-").lstrip("0") or "0"
        return [f"{mantissa}e{sign}{digits}", f"{mantissa}e{sign}{digits.zfill(2)}"]
    return [number]


def shown(number: str, haystack: str) -> bool:
    """Whether ``haystack`` (code and outputs) holds ``number`` as a token of its own."""
    for spelling in _spellings(number):
        if re.search(rf"(?<![\d.]){re.escape(spelling)}(?![\d]|\.\d)", haystack):
            return True
    return False


def _output_text(output) -> str:
    parts = []
    if "text" in output:
        parts.append(output["text"])
    for key, value in output.get("data", {}).items():
        if key.startswith("text/") or key == "image/svg+xml":
            parts.append(value if isinstance(value, str) else "".join(value))
    for meta in output.get("metadata", {}).values():
        if isinstance(meta, dict) and isinstance(meta.get("alt"), str):
            parts.append(meta["alt"])
    return "\n".join(parts)


def notebook_haystack(nb) -> str:
    """All the code of a notebook and the text of all its stored outputs."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts.append(cell.source)
        parts.extend(_output_text(o) for o in cell.get("outputs", []))
    return "\n".join(parts)


def unshown_numbers(nb) -> dict[str, list[int]]:
    """Numbers the prose quotes that neither code nor outputs show: {number: [cell index]}."""
    haystack = notebook_haystack(nb)
    missing: dict[str, list[int]] = {}
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or "navigation" in cell.metadata.get("tags", []):
            continue
        for number in prose_numbers(cell.source):
            if not shown(number, haystack):
                missing.setdefault(number, []).append(k)
    return missing


def allowlist(nb) -> dict[str, str]:
    return dict(nb.metadata.get("course", {}).get("prose_numbers", {}))


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_number_in_the_prose_is_shown_by_the_notebook(path):
    nb = _read(path)
    allowed = allowlist(nb)
    missing = {n: cells for n, cells in unshown_numbers(nb).items() if n not in allowed}
    listing = "\n".join(f"  {n} (cells {', '.join(map(str, c))})" for n, c in missing.items())
    assert not missing, (
        f"{path.name}: the prose quotes {len(missing)} number(s) that no code or output of the "
        f"notebook shows. Print them where they are computed, change the text to what is "
        f"printed, or allow them with a reason in the notebook's metadata "
        f"(course.prose_numbers):\n{listing}"
    )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_the_allowlist_is_short_reasoned_and_used(path):
    nb = _read(path)
    allowed = allowlist(nb)
    assert len(allowed) <= MAX_ALLOWED, (
        f"{path.name}: {len(allowed)} allowed numbers; at most {MAX_ALLOWED}: print the rest"
    )
    unreasoned = [n for n, why in allowed.items() if not isinstance(why, str) or len(why) < 8]
    assert not unreasoned, f"{path.name}: allowed numbers without a reason: {unreasoned}"
    quoted = {n for c in nb.cells if c.cell_type == "markdown" for n in prose_numbers(c.source)}
    stale = sorted(set(allowed) - quoted)
    assert not stale, f"{path.name}: allowed numbers the prose no longer quotes: {stale}"


# The matching rules themselves, on small cases, so that the test above can fail.


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("took 1,500 steps at 0.82 accuracy", ["1500", "0.82"]),
        ("lags 10, 20 and 40", []),
        ("a ratio of $0.5^n$ and $$1.25$$", []),
        ("see [run 0.5](https://example.org/1.25) here", ["0.5"]),
        ("Hochreiter & Schmidhuber 1997 and Bahdanau et al. (2015)", []),
        ("in 1997 the carousel", ["1997"]),
        ("error 2.2e-10 and 1e-6", ["2.2e-10"]),
        ('rnnlib 0.2.0 on x86_64 <img width="600">', []),
        ("−0.13 and ~88.7 %", ["0.13", "88.7"]),
    ],
)
def test_prose_numbers_reads_what_a_reader_reads_as_a_number(markdown, expected):
    assert prose_numbers(markdown) == expected


@pytest.mark.parametrize(
    ("number", "haystack", "expected"),
    [
        ("0.82", "acc 0.82\n", True),
        ("0.82", "acc 0.821\n", False),
        ("0.82", "acc 10.82\n", False),
        ("1500", "steps=1_500", True),
        ("1500", "1,500 steps", True),
        ("1500", "15000 steps", False),
        ("2.2e-10", "error 2.2e-10", True),
        ("2.2e-10", "error 2.2e-100", False),
    ],
)
def test_shown_matches_whole_numbers_only(number, haystack, expected):
    assert shown(number, haystack) is expected


def test_a_notebook_whose_prose_drifted_fails():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("The LSTM reaches 1.673 bits after 1,000 steps."),
        nbformat.v4.new_code_cell(
            "print(bits)",
            outputs=[
                nbformat.v4.new_output(
                    "stream", name="stdout", text="1.673 bits after 1500 steps\n"
                )
            ],
        ),
    ]
    assert unshown_numbers(nb) == {"1000": [0]}
