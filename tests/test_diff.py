"""`kg diff OLD NEW` on real edits of the repository's data: two claim blocks that change places
(no difference at all), a stance that changes, and a claim of a new source that brings a better
value (a claim and a statement added with their source, the article's statement outranked)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from test_statements import YEARBOOK, claim, day

from kg.build import build
from kg.cli import main
from kg.diff import diff
from kg.project import Project

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # each test builds the repository's graph twice


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    """A copy of the repository's inputs, built once; the build kept in `before/`."""
    root = tmp_path / "repo"
    for folder in ("ontology", "data", "rules", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    project = Project(root)
    assert build(project).ok
    (tmp_path / "before").mkdir()
    shutil.copyfile(root / "build" / "geokg.nt", tmp_path / "before" / "geokg.nt")
    return project


def rebuild(project: Project) -> Path:
    report = build(project)
    assert report.ok, report.format()
    return project.build_dir


def before(project: Project) -> Path:
    return project.root.parent / "before"


def test_claim_blocks_that_change_places_make_no_difference(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = project.root / "data" / "treaties.ttl"
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    claims = [i for i, block in enumerate(blocks) if block.startswith("kgr:claim-")]
    assert len(claims) >= 2
    first, second = claims[0], claims[-1]
    blocks[first], blocks[second] = blocks[second], blocks[first]
    path.write_text("\n\n".join(blocks), encoding="utf-8")
    built = rebuild(project)
    assert (built / "geokg.nt").read_bytes() == (before(project) / "geokg.nt").read_bytes()
    assert main(["diff", str(before(project)), str(built)]) == 0
    out = capsys.readouterr().out
    assert out.endswith("(+0 -0)\nno difference\n")
    assert diff(before(project), built).empty


def test_a_changed_stance_is_a_changed_claim(project: Project) -> None:
    path = project.root / "data" / "treaties.ttl"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"(kgr:claim-unts-1961-signed a kg:Claim ;.*?kg:stance )kgv:asserts",
                    r"\1kgv:confirms", text, count=1, flags=re.S)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    found = diff(before(project), rebuild(project))
    assert found.claims["added"] == found.claims["removed"] == []
    [changed] = found.claims["changed"]
    assert changed == {"claim": "kgr:claim-unts-1961-signed",
                       "added": [("kg:stance", "kgv:confirms")],
                       "removed": [("kg:stance", "kgv:asserts")]}
    assert found.statements == {"added": [], "removed": [], "changed": []}


def test_a_claim_of_a_new_source_with_a_better_value(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (project.root / "data" / "test-added.ttl").write_text(
        YEARBOOK + day("date-2000-07-19", "2000-07-19") + claim(
            "claim-yearbook-trip-2000", "src-example-yearbook",
            "[ rdf:subject kgr:trip-2000-putin-north-korea ; rdf:predicate kg:start ;"
            " rdf:object kgr:date-2000-07-19 ]",
            "Putin arrives in Pyongyang on 19 July 2000."), encoding="utf-8")
    built = rebuild(project)
    assert main(["diff", str(before(project)), str(built), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["claims"]["added"] == [{"claim": "kgr:claim-yearbook-trip-2000",
                                         "stance": "kgv:asserts",
                                         "sources": ["kgr:src-example-yearbook"]}]
    assert found["claims"]["removed"] == []
    assert found["statements"]["added"] == [{
        "claim": "kgr:claim-yearbook-trip-2000", "subject": "kgr:trip-2000-putin-north-korea",
        "property": "kg:start", "value": "kgr:date-2000-07-19", "rank": "kgv:preferred",
        "sources": ["kgr:src-example-yearbook"]}]
    assert found["statements"]["removed"] == []
    outranked = [(s["claim"], s["property"], s["rankBefore"], s["rank"])
                 for s in found["statements"]["changed"]]
    assert ("kgr:claim-article-first-visit-since-2000", "kg:start", "kgv:preferred",
            "kgv:normal") in outranked
    nodes = {n["node"] for n in found["nodes"]}
    assert {"kgr:src-example-yearbook", "kgr:date-2000-07-19",
            "kgr:trip-2000-putin-north-korea"} <= nodes
    assert found["triples"]["added"] > 0 and found["triples"]["removed"] > 0
    assert main(["diff", str(before(project)), str(built)]) == 0
    text = capsys.readouterr().out
    assert "claims: +1 -0 ~0\n  + kgr:claim-yearbook-trip-2000 (kgv:asserts; " \
        "kgr:src-example-yearbook)\n" in text
    assert ("  + kgr:trip-2000-putin-north-korea kg:start kgr:date-2000-07-19 [kgv:preferred] "
            "by kgr:claim-yearbook-trip-2000 (kgr:src-example-yearbook)\n") in text


def test_what_is_not_a_graph_is_refused(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.nt").write_text("not triples\n", encoding="utf-8")
    assert main(["diff", str(tmp_path), str(tmp_path / "bad.nt")]) == 2
    assert f"{tmp_path}: no geokg.nt in this folder" in capsys.readouterr().err
    (tmp_path / "geokg.nt").write_text("", encoding="utf-8")
    assert main(["diff", str(tmp_path), str(tmp_path / "bad.nt")]) == 2
    assert f"{tmp_path / 'bad.nt'}: not N-Triples" in capsys.readouterr().err
