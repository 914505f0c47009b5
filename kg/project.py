"""Where a project's inputs and outputs live: the repository root and its folders.

Kept apart from kg.build so that commands which only read the built graph (`kg query`,
`kg stats`) start without importing the build's heavy dependencies (pyshacl, rdflib's SPARQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError

OUTPUT_STEM = "geokg"
INPUT_DIRS = ("ontology", "data", "rules", "queries")  # everything a build reads


def find_root(explicit: Path | None = None) -> Path:
    """The repository root: `explicit` if given, else the checkout this package lives in,
    else the nearest directory upwards from the working directory with `ontology/` or `data/`."""
    if explicit is not None:
        if not explicit.is_dir():
            raise KgError(f"--root {explicit}: not a directory")
        return explicit.resolve()
    package_parent = Path(__file__).resolve().parent.parent
    if (package_parent / "pyproject.toml").is_file() and (package_parent / "ontology").is_dir():
        return package_parent
    for candidate in (Path.cwd(), *Path.cwd().parents):
        if (candidate / "ontology").is_dir() or (candidate / "data").is_dir():
            return candidate
    raise KgError("cannot find the repository root (a directory with ontology/ or data/); "
                  "use --root")


@dataclass(frozen=True)
class Project:
    """Where the inputs and outputs live, relative to the repository root."""

    root: Path

    @property
    def shapes_file(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"

    @property
    def ontology_files(self) -> list[Path]:
        """`ontology/*.ttl` except the shapes, which are the shapes graph and not data."""
        folder = self.root / "ontology"
        return sorted(p for p in folder.glob("*.ttl") if p.name != self.shapes_file.name)

    @property
    def data_files(self) -> list[Path]:
        """`data/**/*.ttl`, except anything under `data/sources/` (stored source texts)."""
        folder = self.root / "data"
        return sorted(p for p in folder.rglob("*.ttl")
                      if p.is_file() and p.relative_to(folder).parts[0] != "sources")

    @property
    def rule_files(self) -> list[Path]:
        folder = self.root / "rules"
        return sorted(folder.glob("*.rq")) if folder.is_dir() else []

    @property
    def check_files(self) -> list[Path]:
        folder = self.root / "queries" / "checks"
        return sorted(folder.glob("*-violation.rq")) if folder.is_dir() else []

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def check_sources(self) -> None:
        """KgError unless the root holds what a build reads: ontology/ with its shapes, and
        data/. (Without them a build would validate nothing and succeed.)"""
        missing = [name for name, path in (("ontology/shapes.ttl", self.shapes_file),
                                           ("data/", self.root / "data"))
                   if not path.exists()]
        if missing:
            raise KgError(f"{self.root}: not a geokg project: it has no {' and no '.join(missing)} "
                          "(a project holds ontology/, data/, rules/ and queries/); give the "
                          "project's folder with --root")
