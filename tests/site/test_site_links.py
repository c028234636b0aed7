"""No broken internal link: every ``href`` and ``src`` of every page of the website that points
inside the site names a file that exists, and its ``#fragment`` an id on that page."""

from __future__ import annotations

import html.parser
import posixpath
from urllib.parse import unquote, urlsplit


class _Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") == "preload"):
                self.refs.append((tag, attrs[key]))


def _parse(path):
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_no_broken_internal_link(site_dir):
    # Every page; not the theme's Jinja fragments that it copies into _static/.
    pages = {
        p.relative_to(site_dir).as_posix(): p
        for p in site_dir.rglob("*.html")
        if not p.relative_to(site_dir).as_posix().startswith("_static/")
    }
    parsed = {name: _parse(path) for name, path in pages.items()}
    broken, checked = [], 0
    for name, parser in parsed.items():
        for tag, ref in parser.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith(("mailto:", "javascript:")):
                continue  # leaves the site (the GitHub and launch links): not checked here
            target = (
                name
                if not parts.path
                else posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), unquote(parts.path))
                )
            )
            if target.endswith("/") or (site_dir / target).is_dir():
                target = posixpath.join(target, "index.html")
            checked += 1
            if not (site_dir / target).is_file():
                broken.append(f"{name}: <{tag}> {ref} (no file {target})")
            elif parts.fragment and target in parsed:
                if unquote(parts.fragment) not in parsed[target].ids:
                    broken.append(f"{name}: <{tag}> {ref} (no id {parts.fragment} in {target})")
    assert checked > 100, f"only {checked} internal links found: is the site empty?"
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])
