"""The parse cache: each input file's N-Triples, blank nodes already named (kg.skolem), kept in
the build's generation under `.parts/`, named by a digest of the file's name, base IRI and bytes.

A file's N-Triples, skolem names included, depend on that file alone. So a build whose
ontology, shapes, rules, queries and code are those of the current generation
(kg.build.reusable_generation) takes the N-Triples of each file whose bytes did not change from
that generation instead of parsing the file again. Every generation holds the parts of its own
inputs, written before it becomes current: the cache switches, and is removed, with the outputs
it was made with (kg.generations), and a killed build leaves it as it was. Each part is checked
against the SHA-256 its generation recorded before it is used; a part that is missing or does
not match is parsed again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PARTS = ".parts"  # in a generation; a dot name, so not linked into build/ (kg.generations)
_MANIFEST = "manifest.json"  # part file name -> SHA-256 of its N-Triples
_FORMAT = "kg-part 1"  # change when a file's N-Triples would come out differently


def part_key(name: str, base_iri: str, data: bytes) -> str:
    """The name of the part of the input `name`, parsed against `base_iri`, with bytes `data`."""
    digest = hashlib.sha256(f"{_FORMAT}\n{name}\n{base_iri}\n".encode())
    digest.update(data)
    return digest.hexdigest() + ".nt"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class PartCache:
    """The parts of the previous generation (`previous`, its `.parts` folder; None: a build
    without one), and the parts of this build's files as they are read (`keys`)."""

    previous: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)  # input name -> part file name
    _recorded: dict[str, str] | None = None
    _verified: set[str] = field(default_factory=set)  # parts read whole from `previous`

    @property
    def hits(self) -> int:
        """How many files were taken from the previous generation."""
        return len(self._verified)

    def _manifest(self) -> dict[str, str]:
        if self._recorded is None:
            self._recorded = {}
            if self.previous is not None:
                try:
                    recorded = json.loads((self.previous / _MANIFEST).read_text("utf-8"))
                    if isinstance(recorded, dict):
                        self._recorded = {str(k): str(v) for k, v in recorded.items()}
                except (OSError, ValueError):
                    pass
        return self._recorded

    def get(self, name: str, key: str) -> bytes | None:
        """The N-Triples of the input `name` from the previous generation, if its part `key` is
        there and whole; None otherwise. The input's key is recorded either way."""
        self.keys[name] = key
        expected = self._manifest().get(key)
        if self.previous is None or expected is None:
            return None
        try:
            nt = (self.previous / key).read_bytes()
        except OSError:
            return None
        if _sha256(nt) != expected:
            return None
        self._verified.add(key)
        return nt

    def save(self, parts: Mapping[str, bytes], generation: Path) -> None:
        """Write the parts of this build's files (`parts`: input name -> N-Triples) into
        `generation/.parts`, linking those the previous generation holds."""
        folder = generation / PARTS
        folder.mkdir()
        recorded = self._manifest()
        manifest = {}
        for name, key in sorted(self.keys.items()):
            if self.previous is not None and key in self._verified:
                try:
                    os.link(self.previous / key, folder / key)
                    manifest[key] = recorded[key]
                    continue
                except OSError:
                    pass  # another file system, or removed: written below
            nt = parts[name]
            (folder / key).write_bytes(nt)
            manifest[key] = _sha256(nt)
        (folder / _MANIFEST).write_text(json.dumps(manifest, indent=0, sort_keys=True) + "\n",
                                        "utf-8")
