"""The exports of the real graph: they parse back to the built graph and are reproducible."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.build import build
from kg.project import Project

pytestmark = pytest.mark.slow  # builds the repository's graph twice per test

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


def swap_two_claim_blocks(path: Path) -> None:
    """Exchange the first two paragraphs of `path` that state a claim (`kgr:claim-...`)."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    first, second = [i for i, block in enumerate(blocks) if block.startswith("kgr:claim-")][:2]
    blocks[first], blocks[second] = blocks[second], blocks[first]
    path.write_text("\n\n".join(blocks), encoding="utf-8")


def test_reordering_claims_of_a_data_file_gives_byte_identical_exports(tmp_path: Path) -> None:
    project = copy_inputs(tmp_path / "repo")
    assert build(project).ok
    outputs = [project.build_dir / name for name in ("geokg.ttl", "geokg.nt")]
    before = [path.read_bytes() for path in outputs]
    data = next(path for path in sorted(project.data_files)
                if path.read_text(encoding="utf-8").count("\n\nkgr:claim-") >= 2)
    text = data.read_text(encoding="utf-8")
    swap_two_claim_blocks(data)
    assert data.read_text(encoding="utf-8") != text
    assert build(project).ok
    assert [path.read_bytes() for path in outputs] == before
