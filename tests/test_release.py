"""A release's version is one: pyproject.toml, kg.__version__, the ontology's owl:versionInfo and
owl:versionIRI, the dataset's description and the newest released section of CHANGELOG.md say the
same; `kg release` writes the release folder, and refuses when they disagree (in git repositories
of the tests' own, whose tags it checks)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.release import changelog_version_of

ROOT = Path(__file__).resolve().parent.parent
OWL = "http://www.w3.org/2002/07/owl#"


def test_the_version_is_the_same_everywhere() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"]
    store = ox.Store()
    store.load(path=ROOT / "ontology" / "geokg.ttl", format=ox.RdfFormat.TURTLE)
    ontology = ox.NamedNode("https://w3id.org/geokg/ontology")
    [info] = store.quads_for_pattern(ontology, ox.NamedNode(OWL + "versionInfo"), None)
    [iri] = store.quads_for_pattern(ontology, ox.NamedNode(OWL + "versionIRI"), None)
    assert info.object == ox.Literal(version)
    assert iri.object == ox.NamedNode(f"https://w3id.org/geokg/ontology/{version}")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert released and released[0] == version
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{version}]")


def test_the_package_and_the_dataset_say_the_same() -> None:
    """kg.__version__ and the dataset's dcterms:modified (data/dataset.ttl): the date of the
    newest released section of the CHANGELOG."""
    from kg import __version__

    version = changelog_version_of((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert __version__ == version.number
    store = ox.Store()
    store.load(path=ROOT / "data" / "dataset.ttl", format=ox.RdfFormat.TURTLE)
    [modified] = store.quads_for_pattern(ox.NamedNode("https://w3id.org/geokg/id/geokg"),
                                         ox.NamedNode("http://purl.org/dc/terms/modified"), None)
    assert modified.object.value == version.date


# --- kg release, in a git repository of its own ------------------------------------------------

def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A copy of the project in a git repository of its own, with one commit, whose CHANGELOG
    has released everything (an empty Unreleased section)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    for folder in ("ontology", "data", "rules", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    for name in ("pyproject.toml", "LICENSE-DATA"):
        shutil.copyfile(ROOT / name, root / name)
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    start = text.index("## [Unreleased]") + len("## [Unreleased]")
    (root / "CHANGELOG.md").write_text(text[:start] + "\n\n" + text[text.index("## [", start):],
                                       encoding="utf-8")
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(root.parent, "init", "-q", str(root))
    git(root, "-c", "user.name=test", "-c", "user.email=test@example.org", "add", ".")
    git(root, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "x")
    return root


def release(root: Path, *args: str) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-m", "kg.cli", "--root", str(root), "release",
                           *args], capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.slow
def test_a_release_folder_holds_the_exports_their_checksums_and_the_description(
        repo: Path) -> None:
    version = changelog_version_of((repo / "CHANGELOG.md").read_text(encoding="utf-8"))
    git(repo, "tag", version.tag)
    code, out, err = release(repo)
    assert code == 0, err
    folder = repo / "build" / "releases" / version.number
    assert out.startswith(f"release {version.number} ({version.date}): "
                          f"build/releases/{version.number}/\n")
    assert "not tagged" not in out
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["LICENSE-DATA", "SHA256SUMS", "geokg.context.jsonld", "geokg.jsonld",
                     "geokg.nq", "geokg.nt", "geokg.trig", "geokg.ttl", "geokg.void.ttl"]
    sums = dict(reversed(line.split("  ")) for line in
                (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    assert sorted(sums) == [n for n in names if n != "SHA256SUMS"]
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    for name in ("geokg.nt", "geokg.ttl", "geokg.void.ttl"):
        assert (folder / name).read_bytes() == (repo / "build" / name).read_bytes()
    store = ox.Store()
    store.load(path=folder / "geokg.void.ttl", format=ox.RdfFormat.TURTLE)
    dcat = "http://www.w3.org/ns/dcat#"
    [found] = store.quads_for_pattern(ox.NamedNode("https://w3id.org/geokg/id/geokg"),
                                      ox.NamedNode(dcat + "version"), None)
    assert found.object.value == version.number
    urls = {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(
        dcat + "downloadURL"), None)}
    assert f"https://w3id.org/geokg/releases/{version.number}/geokg.jsonld" in urls
    # Written once: a second run refuses, --force replaces.
    code, _out, err = release(repo)
    assert code == 1 and "exists: a release folder is written once" in err
    assert release(repo, "--force")[0] == 0


@pytest.mark.slow
def test_a_release_refuses_what_does_not_agree(repo: Path) -> None:
    changelog = repo / "CHANGELOG.md"
    version = changelog_version_of(changelog.read_text(encoding="utf-8"))
    code, out, _err = release(repo, "--out", str(repo.parent / "untagged"))
    assert code == 0
    assert f"not tagged yet: tag this commit with git tag -a {version.tag}" in out
    # The tag names another commit.
    git(repo, "tag", version.tag)
    (repo / "README").write_text("later\n", encoding="utf-8")
    git(repo, "add", "README")
    git(repo, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "y")
    code, _out, err = release(repo)
    assert code == 1
    assert f"the tag {version.tag} names commit" in err
    git(repo, "tag", "-d", version.tag)
    # Inputs that differ from the commit.
    with (repo / "data" / "dataset.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    code, _out, err = release(repo)
    assert code == 1 and "data/dataset.ttl differs from the commit" in err
    git(repo, "checkout", "-q", "--", "data/dataset.ttl")
    # A version the ontology and pyproject.toml do not have.
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(text.replace(f"## [{version.number}] - {version.date}",
                                      "## [9.9.9] - 2031-01-01", 1), encoding="utf-8")
    code, _out, err = release(repo)
    assert code == 1
    assert ("release 9.9.9 (2031-01-01, CHANGELOG.md) does not agree: pyproject.toml says "
            f"{version.number}; the ontology's owl:versionInfo") in err
    assert "the dataset's dcterms:modified (data/dataset.ttl) says" in err
    # Changes not yet released.
    changelog.write_text(text.replace("## [Unreleased]\n", "## [Unreleased]\n- a change\n", 1),
                         encoding="utf-8")
    code, _out, err = release(repo)
    assert code == 2 and "the Unreleased section still lists changes" in err
