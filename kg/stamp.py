"""The build stamp: what the last successful build read and wrote, the one definition of a
current build (`kg build` skips a current build, `kg push` sends only a current one).

`build/geokg.stamp.json` holds the SHA-256 of every file the build reads (every file under
ontology/, data/ with the stored source texts, rules/ and queries/, and the kg package's own
source), the versions of the libraries that parse, derive and validate, the SHACL engine, and
one digest over all of these; also the SHA-256 of each output file and what the build printed.
A build is current when a digest of the same inputs made now equals the stamp's, its outputs are
still the files it wrote, and build/store exists. The stamp is written last, into the build's
generation (kg.generations), which becomes current only once complete: a stamp never vouches
for a half-finished build. Only content counts, not modification times.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from kg.atomic import atomic_write_text
from kg.project import INPUT_DIRS, OUTPUT_STEM, Project

DATA_DIR = "data"  # what an incremental build may take from the previous one (kg.build)

STAMP_NAME = f"{OUTPUT_STEM}.stamp.json"
FORMAT = 4  # bump when the stamp's meaning changes: older stamps are then ignored
LIBRARIES = ("pyoxigraph", "pyshacl-turbo", "pyshacl", "rdflib")
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class InputDigests:
    """What a build reads, digested: each file, the library versions and the SHACL engine."""

    files: dict[str, str]  # repository-relative name (or kg/<module>) -> SHA-256
    libraries: dict[str, str]  # name -> version ("-" when not installed)
    engine: str
    endpoint: str | None = None  # kg build --sparql-endpoint (the description names it)

    @property
    def digest(self) -> str:
        """One SHA-256 over all of it."""
        return self._digest(self.files)

    @property
    def code_digest(self) -> str:
        """One SHA-256 over all but the data (data/): the ontology, shapes, rules, queries,
        code, libraries, engine and endpoint. A build may reuse the previous generation's work
        only when this is the stamp's (kg.build)."""
        return self._digest({name: file_hash for name, file_hash in self.files.items()
                             if not name.startswith(f"{DATA_DIR}/")})

    def _digest(self, files: dict[str, str]) -> str:
        digest = hashlib.sha256(f"kg-build-stamp {FORMAT}\nengine {self.engine}\n".encode())
        if self.endpoint:
            digest.update(f"endpoint {self.endpoint}\n".encode())
        for library, version in self.libraries.items():
            digest.update(f"library {library} {version}\n".encode())
        for name, file_hash in files.items():
            digest.update(f"file {name} {file_hash}\n".encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class Stamp:
    inputs: str  # InputDigests.digest
    files: dict[str, str]  # InputDigests.files, to name what changed
    engine: str
    outputs: dict[str, str]  # output file name in build/ -> SHA-256
    triples: int
    derived: int
    printed: str  # the report the build printed (warnings), shown again when it is skipped
    endpoint: str | None = None  # the SPARQL endpoint the build was given
    code: str = ""  # InputDigests.code_digest


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


def _library_versions() -> dict[str, str]:
    versions = {}
    for library in LIBRARIES:
        try:
            versions[library] = metadata.version(library)
        except metadata.PackageNotFoundError:
            versions[library] = "-"
    return versions


def input_digests(project: Project, engine: str, endpoint: str | None = None) -> InputDigests:
    """Digest every input file of `project` (name and content), with the library versions,
    the SHACL engine and the SPARQL endpoint the build is given."""
    return InputDigests({name: file_digest(path) for name, path in _files(project)},
                        _library_versions(), engine, endpoint)


def stamp_path(project: Project) -> Path:
    return project.build_dir / STAMP_NAME


def read_stamp(project: Project) -> Stamp | None:
    """The stamp in build/, or None if there is none or it is not one this version wrote."""
    return read_stamp_file(stamp_path(project))


def read_stamp_file(path: Path) -> Stamp | None:
    """The stamp at `path` (in a generation), or None as for `read_stamp`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
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


def stale_reason(project: Project, stamp: Stamp, inputs: InputDigests, store: Path) -> str | None:
    """Why the build that wrote `stamp` is not current, given the `inputs` as they are now and
    the store directory (which is not hashed); None when it is current."""
    if stamp.inputs != inputs.digest:
        changed = sorted(name for name in stamp.files.keys() | inputs.files.keys()
                         if stamp.files.get(name) != inputs.files.get(name))
        if not changed:
            return ("the libraries, the SHACL engine or the SPARQL endpoint are not those it "
                    "was built with")
        more = f" and {len(changed) - 1} more file(s)" if len(changed) > 1 else ""
        return f"{changed[0]}{more} changed since it was built"
    for name, digest in stamp.outputs.items():
        path = project.build_dir / name
        if not path.is_file() or file_digest(path) != digest:
            return f"build/{name} is not the file kg build wrote"
    if not store.is_dir():
        return f"build/{store.name} is missing"
    return None


def current_stamp(project: Project, inputs: InputDigests, store: Path) -> Stamp | None:
    """The stamp, if the build that wrote it is current (see `stale_reason`); else None."""
    stamp = read_stamp(project)
    if stamp is None or stale_reason(project, stamp, inputs, store) is not None:
        return None
    return stamp
