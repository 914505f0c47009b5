"""The `kg` command line: build, validate, stats, locate, and error handling."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import build as build_module
from kg import rules as rules_module
from kg.cli import COMMANDS, main
from kg.dataset import Dataset, load_dataset
from kg.errors import KgError
from kg.rules import apply_rules

FIXTURES = Path(__file__).parent / "fixtures" / "core"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "repo", target, ignore=shutil.ignore_patterns("build"))
    return target


def kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh interpreter, as a user would."""
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True,
                          text=True, cwd=cwd, encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_commands_are_listed_in_one_tuple() -> None:
    assert {"build", "validate", "stats", "locate"} <= set(COMMANDS)


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys)
    assert code == 2 and "usage: kg" in err


# --- build ------------------------------------------------------------------------------------

def test_build_writes_outputs_with_derived_triples(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--root", str(repo), "build", "--timings")
    assert (code, err) == (0, "")
    assert ("built 104 triples, 2 derived by rules: "
            "build/geokg.ttl, .nt, .nq, .trig, .jsonld, .context.jsonld") in out
    for step in ("load", "rules", "shacl", "evidence", "checks", "export"):
        assert f"  {step} " in out
    nt = (repo / "build" / "geokg.nt").read_text(encoding="utf-8")
    assert ("<https://w3id.org/geokg/id/borduria> <https://w3id.org/geokg/ontology#alliedWith> "
            "<https://w3id.org/geokg/id/aland> .") in nt
    assert "shapes#" not in nt  # the shapes graph is not data


def test_build_is_byte_identical_across_processes(repo: Path) -> None:
    assert kg("--root", str(repo), "build").returncode == 0
    first = {n: (repo / "build" / n).read_bytes() for n in ("geokg.ttl", "geokg.nt")}
    assert kg("build", "--root", str(repo)).returncode == 0
    assert first == {n: (repo / "build" / n).read_bytes() for n in first}


def test_failed_build_reports_and_keeps_previous_outputs(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--root", str(repo), "build")[0] == 0
    before = (repo / "build" / "geokg.nt").read_bytes()
    edit(repo / "data" / "relations.ttl", 'oa:start "55"', 'oa:start "54"')
    edit(repo / "data" / "sources.ttl", "kg:stance kgv:stance-oppose ;\n    kg:hasEvidence "
         "kgr:evidence-cooperation", "kg:hasEvidence kgr:evidence-cooperation")
    code, out, err = run(capsys, "--root", str(repo), "build")
    assert code == 1
    assert err == "kg: error: build failed with 2 problem(s); nothing was written\n"
    assert ("SHACL\ndata/sources.ttl\n"
            "  Violation: kgs:ClaimShape / kg:stance (sh:MinCountConstraintComponent)\n"
            "    Less than 1 values on kgr:claim-cooperation->kg:stance\n"
            "    - kgr:claim-cooperation  kg:stance\n") in out
    assert "Evidence\ndata/relations.ttl\n  kgr:evidence-alliance-holds: text at start=54" in out
    assert "claim(s): kgr:claim-alliance-holds" in out
    assert (repo / "build" / "geokg.nt").read_bytes() == before
    assert sorted(p.name for p in (repo / "build").iterdir()) == [
        "current", "generations", "geokg.context.jsonld", "geokg.jsonld", "geokg.nq", "geokg.nt",
        "geokg.stamp.json", "geokg.trig", "geokg.ttl", "labels.sqlite", "store"]
    assert len(list((repo / "build" / "generations").iterdir())) == 1


def test_warning_does_not_fail_the_build(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "data" / "relations.ttl", '    dcterms:date "2024-06-18"^^xsd:date ;\n', "")
    code, out, _err = run(capsys, "--root", str(repo), "build")
    assert code == 0
    # From the SHACL-AF SPARQL target: a warning, with the shape's own message.
    assert ("  Warning: kgs:SupportedClaimShape / dcterms:date (sh:MinCountConstraintComponent)\n"
            "    a supporting claim should be dated\n"
            "    - kgr:claim-alliance-holds  dcterms:date\n") in out
    assert (repo / "build" / "geokg.nt").is_file()


def test_check_query_rows_fail_the_build(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (repo / "data" / "relations.ttl").open("a", encoding="utf-8") as handle:
        handle.write("kgr:aland kg:alliedWith kgr:aland .\n")
    code, out, _err = run(capsys, "--root", str(repo), "build")
    assert code == 1
    assert ("Checks\nqueries/checks/self-alliance-violation.rq: 1 row(s)\n"
            "  data/relations.ttl: state=kgr:aland\n") in out
    assert not (repo / "build").exists()


def test_build_hooks_contribute_graphs(repo: Path) -> None:
    def catalogue(root: Path) -> list[ox.Triple]:
        return [ox.Triple(ox.NamedNode("https://w3id.org/geokg/query/timeline"),
                          ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                          ox.Literal("Timeline"))]

    report = build_module.build(build_module.Project(repo), hooks=[catalogue])
    assert report.ok
    assert "<https://w3id.org/geokg/query/timeline>" in (
        repo / "build" / "geokg.nt").read_text(encoding="utf-8")


def test_bad_hook_name_is_a_kg_error() -> None:
    with pytest.raises(KgError, match="kg.nowhere:hook"):
        build_module.resolve_hooks(["kg.nowhere:hook"])


def test_malformed_turtle_exits_2_without_traceback(repo: Path) -> None:
    shutil.copy(FIXTURES / "malformed.ttl", repo / "data" / "bad.ttl")
    result = kg("--root", str(repo), "build")
    assert result.returncode == 2
    assert result.stderr.startswith("kg: error: data/bad.ttl:6:1: malformed Turtle: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert not (repo / "build").exists()


def test_rule_syntax_error_names_the_rule_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "rules" / "20-broken.rq").write_text("CONSTRUCT { ?s ?p ?o }\nWHERE { ?s ?p \n",
                                                 encoding="utf-8")
    code, _out, err = run(capsys, "--root", str(repo), "build")
    assert code == 2
    assert err.startswith("kg: error: rules/20-broken.rq:3:1: SPARQL syntax error")


def test_rule_creating_blank_nodes_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "rules" / "30-bnode.rq").write_text(
        "CONSTRUCT { ?s kg:note [ kg:v 1 ] } WHERE { ?s a kg:State }\n", encoding="utf-8")
    code, _out, err = run(capsys, "--root", str(repo), "build")
    assert code == 2 and "rules/30-bnode.rq: creates blank nodes" in err


# --- validate ---------------------------------------------------------------------------------

def test_validate_valid_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--root", str(repo), "validate",
                          str(repo / "data" / "relations.ttl"))
    assert (code, out) == (0, "ok: 1 file(s) valid\n")


def test_validate_reports_only_the_given_file(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    new = tmp_path / "new.ttl"
    new.write_text("""@prefix kg: <https://w3id.org/geokg/ontology#> .
@prefix kgr: <https://w3id.org/geokg/id/> .
kgr:alliance-x a kg:Alliance ; kg:party kgr:aland .
""", encoding="utf-8")
    code, out, err = run(capsys, "--root", str(repo), "validate", str(new))
    assert code == 1
    assert f"SHACL\n{new.as_posix()}\n  Violation: kgs:RelationShape / kg:party" in out
    assert "Less than 2 values" in out and "    - kgr:alliance-x  kg:party\n" in out
    assert err == "kg: error: 1 problem(s) in 1 file(s)\n"


def test_validate_alone_does_not_resolve_references(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(repo / "data" / "relations.ttl")
    code, out, _err = run(capsys, "--root", str(repo), "validate", "--alone", path)
    assert code == 1
    assert "Value does not have class kg:SourceDocument" in out


def test_validate_missing_file_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--root", str(repo), "validate", str(repo / "nope.ttl"))
    assert code == 2 and err.startswith("kg: error: ") and "nope.ttl: no such file" in err


# --- stats ------------------------------------------------------------------------------------

def test_stats_needs_a_build(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--root", str(repo), "stats")
    assert code == 2 and "run kg build first" in err


def test_stats_tables(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(repo), "build")[0] == 0
    code, out, _err = run(capsys, "--root", str(repo), "stats")
    assert code == 0
    assert out.startswith("104 triples in geokg.nt\n")
    lines = out.splitlines()
    assert any(line.split() == ["kg:Claim", "Claim", "3"] for line in lines)
    assert any(line.split() == ["kg:Relation", "kg:Alliance", "Alliance", "1"] for line in lines)
    assert any(line.split() == ["kg:Event", "kg:Summit", "Summit", "1"] for line in lines)
    assert any(line.split() == ["kgv:stance-oppose", "oppose", "2"] for line in lines)
    assert any(line.startswith("kgr:doc-briefing") and line.endswith(" 2") for line in lines)


# --- locate -----------------------------------------------------------------------------------

def test_locate_in_a_text_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = repo / "data" / "sources" / "statement.txt"
    code, out, _err = run(capsys, "--root", str(repo), "locate", str(text), "states’ cooperation")
    assert code == 0
    assert "occurrence 1: start=160 end=179" in out
    assert ('oa:start "160"^^xsd:nonNegativeInteger ;\n'
            '        oa:end "179"^^xsd:nonNegativeInteger\n') in out


def test_locate_by_document_name(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--root", str(repo), "locate", "kgr:doc-briefing", "the")
    assert code == 0
    assert "2 occurrence(s)" in out and "choose with --occurrence N" in out
    code, out, _err = run(capsys, "--root", str(repo), "locate", "kgr:doc-briefing", "the",
                          "--occurrence", "2")
    assert code == 0 and 'oa:start "152"^^xsd:nonNegativeInteger ;' in out


def test_locate_not_found_exits_1_with_hint(repo: Path) -> None:
    result = kg("--root", str(repo), "locate", "kgr:doc-briefing", "18 June 2024")
    assert result.returncode == 1
    assert "quote not found" in result.stderr
    assert 'nearest passage (start=16, end=28, similarity 0.92): "18\\u00A0June 2024"' in (
        result.stderr)
    assert "U+00A0 NO-BREAK SPACE" in result.stderr
    assert "Traceback" not in result.stderr


def test_locate_unknown_document(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--root", str(repo), "locate", "kgr:nothing", "x")
    assert code == 2 and "no kg:textFile" in err


# --- rules ------------------------------------------------------------------------------------

def _rule_graph(tmp_path: Path, *rules: str) -> tuple[list[Path], Dataset]:
    files = []
    for number, text in enumerate(rules):
        path = tmp_path / f"{number:02d}-rule.rq"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    chain = " ".join(f"kgr:n{i} kg:next kgr:n{i + 1} ." for i in range(6))
    (tmp_path / "chain.ttl").write_text(f"""@prefix kg: <https://w3id.org/geokg/ontology#> .
@prefix kgr: <https://w3id.org/geokg/id/> . {chain}""", encoding="utf-8")
    return files, load_dataset([tmp_path / "chain.ttl"], tmp_path)


@pytest.fixture(params=["quick rules evaluated again", "every rule analysed"])
def rule_analysis(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways kg.rules decides to evaluate a rule again (kg.rule_reads)."""
    if request.param == "every rule analysed":
        monkeypatch.setattr(rules_module, "ANALYSED_FROM_SECONDS", 0.0)


@pytest.mark.usefixtures("rule_analysis")
def test_rules_run_to_a_fixed_point(tmp_path: Path) -> None:
    files, graph = _rule_graph(
        tmp_path,
        "CONSTRUCT { ?a kg:reach ?b } WHERE { ?a kg:next ?b }",
        "CONSTRUCT { ?a kg:reach ?c } WHERE { ?a kg:reach ?b . ?b kg:reach ?c }",
    )
    run = apply_rules(graph, files, tmp_path)
    assert run.counts == {"00-rule.rq": 6, "01-rule.rq": 15}  # 7 nodes: 21 pairs reachable
    assert 2 < run.rounds <= 10 and run.total == 21
    assert len(graph.store) == 6 + 21


@pytest.mark.usefixtures("rule_analysis")
def test_rules_that_never_settle_are_an_error(tmp_path: Path) -> None:
    files, graph = _rule_graph(tmp_path, """CONSTRUCT { ?b kg:next ?c } WHERE {
        ?a kg:next ?b FILTER NOT EXISTS { ?b kg:next ?any }
        BIND(IRI(CONCAT(STR(?b), "-more")) AS ?c) }""")
    with pytest.raises(KgError, match="no fixed point after 10 rounds; still adding: 00-rule.rq"):
        apply_rules(graph, files, tmp_path)


def test_keyboard_interrupt_exits_130_quietly(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.stats

    def interrupted(path: Path) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.stats, "stats_report", interrupted)  # imported by the run
    assert run(capsys, "--root", str(repo), "stats") == (130, "", "")


def test_a_full_disk_is_an_error_message_not_a_traceback(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "--root", str(repo), "build", "--force")[0] == 0
    outputs = {p.name: p.read_bytes() for p in (repo / "build").glob("geokg.*")}
    target = repo / "build" / "geokg.ttl"

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(build_module, "write_outputs", full_disk)
    code, _out, err = run(capsys, "--root", str(repo), "build", "--force")
    assert (code, err) == (1, f"kg: error: {target}: No space left on device\n")
    # the previous build stays whole, its stamp included, and the failed one left nothing
    assert {p.name: p.read_bytes() for p in (repo / "build").glob("geokg.*")} == outputs
    assert len(list((repo / "build" / "generations").iterdir())) == 1
