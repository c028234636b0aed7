"""One version, written once: rnnlib/__init__.py, read by pyproject, repeated by the release files.

A release bumps ``rnnlib.__version__`` and adds its CHANGELOG.md section; these
tests fail until CITATION.cff and the changelog agree with it (CONTRIBUTING.md,
"How to release").
"""

import re
import tomllib
from pathlib import Path

import yaml

import rnnlib

ROOT = Path(__file__).resolve().parents[1]
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def test_version_is_semver():
    assert SEMVER.match(rnnlib.__version__), rnnlib.__version__


def test_pyproject_reads_the_version_from_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"], "write the version in rnnlib/__init__.py only"
    assert "version" in project["project"]["dynamic"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "rnnlib.__version__"}


def test_version_is_a_plain_literal_setuptools_can_read_without_importing():
    # setuptools reads `attr` statically only if the assignment is a literal string;
    # otherwise it imports rnnlib (and numpy) inside the build's isolated environment.
    source = (ROOT / "rnnlib" / "__init__.py").read_text()
    assert re.search(r'^__version__ = "\d+\.\d+\.\d+"$', source, re.M)


def test_changelog_top_release_is_this_version():
    text = (ROOT / "CHANGELOG.md").read_text()
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d\d-\d\d|Unreleased)$", text, re.M)
    assert releases, "CHANGELOG.md has no '## [X.Y.Z] - YYYY-MM-DD' section"
    assert releases[0][0] == rnnlib.__version__
    versions = [tuple(map(int, v.split("."))) for v, _ in releases]
    assert versions == sorted(versions, reverse=True), "newest release first"
    assert all(date != "Unreleased" for _, date in releases[1:]), "only the top may be unreleased"


def test_citation_file_is_cff_1_2_0_with_this_version_and_no_persons():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert cff[key], key
    assert str(cff["version"]) == rnnlib.__version__
    for author in cff["authors"]:  # entities only: the project's contributors, no people
        assert set(author) <= {"name", "website", "email", "alias"}, author
        assert author["name"].strip()
    if "date-released" in cff:
        assert re.match(r"^\d{4}-\d\d-\d\d$", str(cff["date-released"]))


def test_citation_names_both_licences():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert sorted(cff["license"]) == ["CC-BY-4.0", "MIT"]


def test_the_pinning_advice_names_only_released_versions():
    # A tag the README or the changelog tells an instructor to check out must be a
    # release with a date, never an unreleased version.
    text = (ROOT / "CHANGELOG.md").read_text()
    released = set(re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d\d-\d\d$", text, re.M))
    for name in ("README.md", "CHANGELOG.md", "CONTRIBUTING.md"):
        named = set(re.findall(r"git checkout v(\d+\.\d+\.\d+)", (ROOT / name).read_text()))
        assert named <= released, f"{name} tells to check out unreleased {named - released}"
