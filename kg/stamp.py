"""The build stamp: what the last successful build read and wrote, so that a project that has
not changed is not built again.

`build/geokg.stamp.json` holds a digest of everything the build reads: every file under
ontology/, data/ (the stored source texts included), rules/ and queries/, the kg package's own
source, the versions of the libraries that parse, derive and validate, and the SHACL engine. It
also holds the SHA-256 of each output file and what the build printed. `kg build` does nothing
when the digest is unchanged and the outputs are still the files it wrote; `--force` builds
anyway. The stamp is written last, into the build's generation (kg.generations), which becomes
current only once complete: a stamp never vouches for a half-finished build.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from kg.atomic import atomic_write_text
from kg.project import INPUT_DIRS, OUTPUT_STEM, Project

STAMP_NAME = f"{OUTPUT_STEM}.stamp.json"
FORMAT = 1  # bump when the stamp's meaning changes: older stamps are then ignored
LIBRARIES = ("pyoxigraph", "pyshacl-turbo", "pyshacl", "rdflib")
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Stamp:
    inputs: str  # digest of the inputs (inputs_digest)
    outputs: dict[str, str]  # output file name in build/ -> SHA-256
    triples: int
    derived: int
    printed: str  # the report the build printed (warnings), shown again when it is skipped


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(project: Project) -> list[tuple[str, Path]]:
    found = [(f"{folder}/{path.relative_to(project.root / folder).as_posix()}", path)
             for folder in INPUT_DIRS for path in (project.root / folder).rglob("*")
             if path.is_file()]
    found += [(f"kg/{path.relative_to(_PACKAGE).as_posix()}", path)
              for path in _PACKAGE.rglob("*.py")]
    return sorted(found)


def inputs_digest(project: Project, engine: str) -> str:
    """One SHA-256 over every input file (name and content), library versions and `engine`."""
    digest = hashlib.sha256(f"kg-build-stamp {FORMAT}\nengine {engine}\n".encode())
    for library in LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"library {library} {version}\n".encode())
    for name, path in _files(project):
        digest.update(f"file {name} {file_digest(path)}\n".encode())
    return digest.hexdigest()


def stamp_path(project: Project) -> Path:
    return project.build_dir / STAMP_NAME


def read_stamp(project: Project) -> Stamp | None:
    """The stamp in build/, or None if there is none or it is not one this version wrote."""
    try:
        data = json.loads(stamp_path(project).read_text(encoding="utf-8"))
        if data.pop("format", None) != FORMAT:
            return None
        return Stamp(**data)
    except (OSError, ValueError, TypeError):
        return None


def write_stamp(folder: Path, stamp: Stamp) -> None:
    """The stamp, in the generation `folder` that holds the outputs it describes."""
    atomic_write_text(folder / STAMP_NAME,
                      json.dumps({"format": FORMAT, **asdict(stamp)}, indent=1) + "\n")


def output_digests(paths: list[Path]) -> dict[str, str]:
    return {path.name: file_digest(path) for path in paths}


def current_stamp(project: Project, inputs: str, store: Path) -> Stamp | None:
    """The stamp, if it records the digest `inputs`, its outputs are unchanged and `store` (the
    store directory, which is not hashed) exists; else None."""
    stamp = read_stamp(project)
    if stamp is None or stamp.inputs != inputs or not store.is_dir():
        return None
    for name, digest in stamp.outputs.items():
        path = project.build_dir / name
        if not path.is_file() or file_digest(path) != digest:
            return None
    return stamp
