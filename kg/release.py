"""Releases: one version everywhere, and a folder that holds everything a consumer downloads.

A release's version is the same in pyproject.toml, the ontology (`owl:versionInfo`, and
`owl:versionIRI` .../ontology/VERSION), the dataset's description (`dcat:version`, which the
build copies from the ontology) and the newest dated section of CHANGELOG.md, whose date is the
description's `dcterms:modified`; in a git checkout, the tag `vVERSION`, when it exists, names
the commit released. `check_release` refuses a release where any of these disagree, where the
CHANGELOG's Unreleased section still lists changes, or where the inputs differ from the commit.

`write_release` copies the current build's exports, the JSON-LD context and the description
into the release folder, with the data licence and a `SHA256SUMS` file that `sha256sum -c`
reads; the folder appears whole or not at all.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.atomic import fsync_dir
from kg.errors import EXIT_FAILURE, KgError
from kg.prefixes import PREFIXES
from kg.project import INPUT_DIRS, OUTPUT_STEM, Project
from kg.stamp import file_digest

ONTOLOGY = "https://w3id.org/geokg/ontology"
CHECKSUMS = "SHA256SUMS"
# What a release folder holds, besides the checksums: the build's outputs of these endings and
# the data licence.
RELEASED = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".context.jsonld", ".void.ttl")
LICENCE = "LICENSE-DATA"
_SECTION = re.compile(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?[ \t]*$", re.M)


@dataclass(frozen=True)
class Version:
    """The release's version and date, as the CHANGELOG gives them."""

    number: str
    date: str

    @property
    def tag(self) -> str:
        return f"v{self.number}"


def changelog_version(root: Path) -> Version:
    """The newest dated section of CHANGELOG.md; KgError when there is none, or when the
    Unreleased section above it still lists changes."""
    try:
        text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KgError("CHANGELOG.md not found: a release has a section there") from None
    newest, pending = _sections(text)
    if pending:
        raise KgError(f"CHANGELOG.md: the Unreleased section still lists changes; move them "
                      f"under '## [VERSION] - DATE' for the release (the newest is "
                      f"{newest.number})")
    return newest


def changelog_version_of(text: str) -> Version:
    """The newest dated section of a CHANGELOG's text, whatever is still unreleased."""
    return _sections(text)[0]


def _sections(text: str) -> tuple[Version, bool]:
    """The newest dated section, and whether the Unreleased section above it lists changes."""
    sections = list(_SECTION.finditer(text))
    released = [m for m in sections if m.group(2)]
    if not released:
        raise KgError("CHANGELOG.md has no released section ('## [VERSION] - YYYY-MM-DD')")
    newest = released[0]
    pending = any(section.group(1).lower() == "unreleased" and section.start() < newest.start()
                  and text[section.end():newest.start()].strip() for section in sections)
    return Version(newest.group(1), newest.group(2)), pending


def untagged(root: Path, version: Version) -> bool:
    """Whether `root` is a git checkout in which the tag of `version` does not exist yet."""
    return (_git(root, "rev-parse", "HEAD") is not None
            and _git(root, "rev-parse", f"{version.tag}^{{commit}}") is None)


def _git(root: Path, *args: str) -> str | None:
    """The output of a git command in `root`, or None when git or the repository is missing."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              check=False)
    except OSError:
        return None
    return done.stdout.rstrip() if done.returncode == 0 else None


def _value(store: ox.Store, subject: str, predicate: str) -> str | None:
    found = [q.object.value for q in store.quads_for_pattern(ox.NamedNode(subject),
                                                             ox.NamedNode(predicate), None)
             if not isinstance(q.object, ox.Triple)]
    return found[0] if len(found) == 1 else None


def check_release(project: Project, version: Version, graph: Path) -> list[str]:
    """What disagrees with `version` (empty when the release may go out): pyproject.toml, the
    ontology and the description of the built graph `graph` (N-Triples), and git."""
    problems = []
    pyproject = project.root / "pyproject.toml"
    if pyproject.is_file():
        declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        if declared != version.number:
            problems.append(f"pyproject.toml says {declared}")
    store = ox.Store()
    store.load(path=graph, format=ox.RdfFormat.N_TRIPLES)
    owl, dcterms, dcat = PREFIXES["owl"], PREFIXES["dcterms"], PREFIXES["dcat"]
    dataset = PREFIXES["kgr"] + "geokg"
    expected = {
        f"the ontology's owl:versionInfo ({ONTOLOGY})": (ONTOLOGY, owl + "versionInfo",
                                                        version.number),
        "the ontology's owl:versionIRI": (ONTOLOGY, owl + "versionIRI",
                                          f"{ONTOLOGY}/{version.number}"),
        "the dataset's dcat:version (kgr:geokg)": (dataset, dcat + "version", version.number),
        "the dataset's dcterms:modified (data/dataset.ttl)": (dataset, dcterms + "modified",
                                                              version.date),
    }
    for what, (subject, predicate, wanted) in expected.items():
        found = _value(store, subject, predicate)
        if found != wanted:
            problems.append(f"{what} says {found or 'nothing'}")
    head = _git(project.root, "rev-parse", "HEAD")
    if head is not None:
        tagged = _git(project.root, "rev-parse", f"{version.tag}^{{commit}}")
        if tagged is not None and tagged != head:
            problems.append(f"the tag {version.tag} names commit {tagged[:12]}, not the one "
                            f"checked out ({head[:12]})")
        changed = _git(project.root, "status", "--porcelain", "--", *INPUT_DIRS)
        if changed:
            first = changed.splitlines()[0][3:]
            problems.append(f"{first} differs from the commit (commit or revert the changes "
                            "to ontology/, data/, rules/ and queries/ first)")
    return problems


def write_release(project: Project, version: Version, target: Path,
                  replace: bool = False) -> list[Path]:
    """The release folder `target`, from the current build: its files, `SHA256SUMS` last."""
    if target.exists() and not replace:
        raise KgError(f"{target} exists: a release folder is written once (--force replaces "
                      "it)", EXIT_FAILURE)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        os.chmod(staging, 0o755)
        names = [OUTPUT_STEM + ending for ending in RELEASED]
        for name in names:
            source = project.build_dir / name
            if not source.is_file():
                raise KgError(f"build/{name} is missing: run kg build", EXIT_FAILURE)
            shutil.copyfile(source, staging / name)
        licence = project.root / LICENCE
        if licence.is_file():
            shutil.copyfile(licence, staging / LICENCE)
            names.append(LICENCE)
        sums = "".join(f"{file_digest(staging / name)}  {name}\n" for name in sorted(names))
        (staging / CHECKSUMS).write_text(sums, encoding="utf-8")
        fsync_dir(staging)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
        fsync_dir(target.parent)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / name for name in [*sorted(names), CHECKSUMS]]
