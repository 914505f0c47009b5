"""The exports of the real graph: they parse back to the built graph and are reproducible."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from kg.build import build
from kg.project import Project

ROOT = Path(__file__).resolve().parent.parent


def copy_inputs(target: Path) -> Project:
    for folder in ("ontology", "data", "rules", "queries"):
        shutil.copytree(ROOT / folder, target / folder)
    (target / "pyproject.toml").write_text("", encoding="utf-8")
    return Project(target)


def test_exports_round_trip_and_are_byte_identical(tmp_path: Path) -> None:
    project = copy_inputs(tmp_path / "repo")
    first = build(project)
    assert first.ok, first.format()
    ttl, nt = (project.build_dir / "geokg.ttl"), (project.build_dir / "geokg.nt")
    from_ttl = Graph().parse(ttl, format="turtle")
    from_nt = Graph().parse(nt, format="nt")
    assert len(from_nt) == first.triples
    assert isomorphic(from_ttl, from_nt)
    before = ttl.read_bytes(), nt.read_bytes()
    assert build(project).ok
    assert (ttl.read_bytes(), nt.read_bytes()) == before
