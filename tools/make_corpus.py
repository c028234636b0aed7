"""Write the course's text corpus, data/python-reference.txt, from Python's own documentation.

Every CPython installation carries the help texts of the language reference offline,
in the standard-library module ``pydoc_data.topics`` (it is what ``help("with")``
prints): a dict ``topics`` of about 80 entries, some 465 KB of English prose with
grammar rules and code examples. Notebook 07 trains a character-level language
model on it.

The text differs slightly between Python versions, and the notebook's stored outputs
must not, so the course commits a snapshot. This script makes it, deterministically:
running it again with the same Python version changes nothing.

What it changes, as the PSF License Agreement (clause 3) asks us to say:

* the topics are joined in sorted key order, separated by one blank line;
* tabs become 4 spaces, trailing spaces are stripped from every line;
* typographic punctuation becomes ASCII: curly quotes -> straight quotes,
  en dash -> ``-``, em dash -> ``--``, ellipsis -> ``...``;
* a three-line header names the source, the copyright and the licence.

It also copies the PSF License Agreement (and the zero-clause BSD licence that covers
code in the documentation) from the interpreter's ``LICENSE.txt`` to
``data/PSF-LICENSE.txt``.

Usage::

    python tools/make_corpus.py              # writes data/python-reference.txt
    python tools/make_corpus.py --check      # exit 1 if the files would change
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "python-reference.txt"
LICENSE = ROOT / "data" / "PSF-LICENSE.txt"

#: typographic characters and their ASCII spelling
ASCII_PUNCTUATION = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark
    "\u201c": '"',  # left double quotation mark
    "\u201d": '"',  # right double quotation mark
    "\u2013": "-",  # en dash
    "\u2014": "--",  # em dash
    "\u2026": "...",  # horizontal ellipsis
}

#: the years of the PSF copyright notice of this Python's documentation
COPYRIGHT_YEARS = {(3, 11): "2001-2023", (3, 12): "2001-2024", (3, 13): "2001-2024"}


def normalise(text):
    """Tabs to spaces, no trailing spaces, ASCII punctuation; the text of one topic."""
    for typographic, ascii_ in ASCII_PUNCTUATION.items():
        text = text.replace(typographic, ascii_)
    lines = [line.expandtabs(4).rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def header():
    """Three lines that name the source, the copyright holder and the licence."""
    years = COPYRIGHT_YEARS.get(sys.version_info[:2], "2001-2024")
    return (
        f"Python {platform.python_version()} language reference topics (module "
        "pydoc_data.topics of CPython), as help() prints them.\n"
        f"Copyright (c) {years} Python Software Foundation; All Rights Reserved.\n"
        "Licensed under the PSF License Agreement (see PSF-LICENSE.txt); the changes made "
        "are listed in README.md.\n"
    )


def corpus_text():
    """The whole corpus: header, then every topic in sorted key order."""
    from pydoc_data.topics import topics

    body = "\n\n".join(normalise(topics[key]) for key in sorted(topics))
    return header() + "\n" + body + "\n"


def license_text():
    """The PSF License Agreement and the 0BSD licence for code, from this Python's LICENSE.txt."""
    source = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if not source.exists():
        return None
    full = source.read_text(encoding="utf-8")
    psf = re.search(
        r"PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2\n.*?(?=\n\n\nBEOPEN)", full, re.S
    )
    bsd = re.search(r"ZERO-CLAUSE BSD LICENSE FOR CODE IN THE PYTHON DOCUMENTATION\n.*", full, re.S)
    if psf is None or bsd is None:
        return None
    return (
        f"The licence of data/python-reference.txt, copied from the LICENSE.txt of Python "
        f"{platform.python_version()}.\n\n{psf.group(0).strip()}\n\n\n{bsd.group(0).strip()}\n"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    args = parser.parse_args(argv)
    outputs = [(CORPUS, corpus_text()), (LICENSE, license_text())]
    changed = 0
    for path, text in outputs:
        if text is None:
            print(f"{path.name}: this Python has no LICENSE.txt to copy; left as it is")
            continue
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            print(f"{path.name}: up to date ({len(text.encode('utf-8')):,} bytes)")
            continue
        changed += 1
        if args.check:
            print(f"{path.name}: would change")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"{path.name}: written ({len(text.encode('utf-8')):,} bytes)")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
