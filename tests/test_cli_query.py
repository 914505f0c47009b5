"""`kg query` and `kg queries`: output, parameters, errors."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kg.catalogue import load_catalogue
from kg.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [example for entry in load_catalogue(ROOT) for example in entry.examples]


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


def test_the_commands_are_registered() -> None:
    assert {"query", "queries"} <= set(COMMANDS)


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_documented_example_runs(example: str, built_root: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, built_root, *shlex.split(example)[1:])
    assert (code, err) == (0, "")
    assert re.search(r"\n\([1-9][0-9]* rows?\)\n\Z", out), out


def test_table_output(built_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, built_root, "query", "alignment-members")
    assert code == 0
    assert out.splitlines()[:3] == [
        "-[ 1 ]-------",
        "member     | kgr:china",
        "membership | kgr:membership-axis-china",
    ]
    assert "reported   | 2024-06-18..2024-06-19 (unknown)" in out
    assert "alignment" not in out  # the parameter is the same on every row
    assert out.endswith("(4 rows)\n")


def test_machine_formats_keep_every_variable(built_root: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    args = ("query", "alignment-members", "--param", "alignment=kgr:alliance-russia-north-korea")
    _code, out, _err = run(capsys, built_root, *args, "--format", "json")
    document = json.loads(out)
    assert document["head"]["vars"][:3] == ["alignment", "member", "membership"]
    assert [b["member"]["value"] for b in document["results"]["bindings"]] == [
        "https://w3id.org/geokg/id/north-korea", "https://w3id.org/geokg/id/russia"]
    _code, out, _err = run(capsys, built_root, *args, "--format", "csv")
    assert out.startswith("alignment,member,membership,since,sinceLatest,sincePrecision,")
    assert "\r\n" in out
    _code, out, _err = run(capsys, built_root, *args, "-f", "tsv")
    assert out.split("\n")[1].startswith("<https://w3id.org/geokg/id/alliance-russia-north-korea>")
    _code, out, _err = run(capsys, built_root, *args, "-f", "md")
    assert out.splitlines()[2].startswith("| kgr:north-korea | kgr:alliance-russia-north-korea |")


def test_output_file_is_written_whole(built_root: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "treaties.csv"
    target.parent.mkdir()
    code, out, _err = run(capsys, built_root, "query", "treaties-between", "-p", "asOf=2020-01-01",
                          "-f", "csv", "--output", str(target))
    assert (code, out) == (0, "")
    text = target.read_bytes().decode("utf-8")
    assert text.count("\r\n") == 4 and ",ended," in text and ",in force," in text
    code, _out, _err = run(capsys, built_root, "query", "treaties-between", "-p", "asOf=2020",
                           "-f", "csv", "--output", str(target))
    assert code == 2 and target.read_bytes().decode("utf-8") == text
    assert [p.name for p in target.parent.iterdir()] == ["treaties.csv"]


def test_a_query_file_with_its_own_parameters(built_root: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "my.rq"
    mine.write_text("# my notes\n# param: who iri required\nSELECT ?who ?name "
                    "WHERE { ?who rdfs:label ?name FILTER(LANG(?name) = 'fr') }\n",
                    encoding="utf-8")
    code, out, err = run(capsys, built_root, "query", "--file", str(mine),
                         "--param", "who=kgr:soviet-union")
    assert (code, err) == (0, "")
    assert out == "name\n------\nURSS\n(1 row)\n"
    code, _out, err = run(capsys, built_root, "query", "--file", str(mine))
    assert code == 2 and "missing required parameter 'who'" in err


def test_a_query_file_without_header(built_root: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "ask.rq"
    mine.write_text("ASK { kgr:russia a kg:State }", encoding="utf-8")
    assert run(capsys, built_root, "query", "--file", str(mine)) == (0, "true\n", "")
    code, _out, err = run(capsys, built_root, "query", "--file", str(mine), "-p", "a=kgr:x")
    assert code == 2
    assert err == f"kg: error: unknown parameter 'a' for {mine} (parameters: none)\n"


def test_a_syntax_error_names_the_file(built_root: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "bad.rq"
    mine.write_text("SELECT ?x WHERE { ?x ?y }", encoding="utf-8")
    code, _out, err = run(capsys, built_root, "query", "--file", str(mine))
    assert code == 2 and err.startswith(f"kg: error: {mine}: SPARQL syntax error")


@pytest.mark.parametrize(("args", "message"), [
    (("query", "treaties-between", "-p", "when=1990-01-01"),
     "unknown parameter 'when' for queries/treaties-between.rq (parameters: a, b, asOf, knownOn)"),
    (("query", "claims"), "missing required parameter 'node'"),
    (("query", "treaties-between", "-p", "asOf=1990-13-01"),
     "parameter 'asOf': '1990-13-01' is not date"),
    (("query", "treaties-between", "-p", "asOf=01/01/1990"),
     "parameter 'asOf': '01/01/1990' is not date: expected a date written YYYY-MM-DD"),
    (("query", "claims", "-p", "node=kgr:russia> } UNION { ?s ?p ?o } #"),
     "parameter 'node': 'kgr:russia> } UNION { ?s ?p ?o } #' is not iri"),
    (("query", "claims", "-p", 'node=<https://w3id.org/geokg/id/russia"> ?p ?o'),
     "is not iri: a full IRI is written in <angle brackets> with nothing after them"),
    (("query", "claims", "-p", "node=<https://w3id.org/geokg/id/a b>"),
     "is not iri: an IRI cannot contain ' '"),
    (("query", "claims", "-p", "node=kgr:russia", "-p", "node=kgr:china"),
     "parameter 'node' is given twice"),
    (("query", "claims", "-p", "node"), "--param 'node': expected key=value"),
    (("query", "timelines"), "no query 'timelines' in queries/; did you mean timeline?"),
    (("query",), "give either a query NAME or --file FILE"),
    (("query", "timeline", "--file", "x.rq"), "give either a query NAME or --file FILE"),
    (("queries", "nothing"), "no query 'nothing' in queries/"),
])
def test_errors_exit_2_with_a_message(built_root: Path, capsys: pytest.CaptureFixture[str],
                                      args: tuple[str, ...], message: str) -> None:
    code, out, err = run(capsys, built_root, *args)
    assert (code, out) == (2, "")
    assert err.startswith("kg: error: ") and message in err and err.count("\n") == 1


def test_no_traceback_for_a_bad_value(built_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "--root", str(built_root), "query", "treaties-between",
         "--param", 'asOf=1990-01-01"^^xsd:date ) } UNION { ?s ?p ?o } #'],
        capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 2
    assert result.stderr.startswith("kg: error: parameter 'asOf': ")
    assert "Traceback" not in result.stderr


# What `kg query` on the embedded store may import of kg: the parser (every command module) and
# the query path. rdflib alone takes longer to import (about 165 ms) than the query takes.
QUERY_PATH = {"kg", "kg.cli", "kg.commands", *(f"kg.commands.{name}" for name in COMMANDS),
              "kg.atomic", "kg.completion", "kg.errors", "kg.files", "kg.project", "kg.settings",
              "kg.prefixes", "kg.backend", "kg.params", "kg.catalogue", "kg.querying", "kg.store",
              "kg.label_index",
              "kg.results", "kg.generations", "kg.sparql_text", "kg.display", "kg.skolem"}
HEAVY = {"rdflib", "pyparsing", "pyshacl", "pyshacl_turbo", "SPARQLWrapper"}


def test_kg_query_on_the_store_imports_no_rdflib(built_root: Path) -> None:
    probe = ("import sys\nfrom kg.cli import main\n"
             f"code = main(['--root', {str(built_root)!r}, 'query', 'provenance', "
             "'--param', 'node=kgr:russia'])\n"
             "print(code, *sorted(sys.modules), file=sys.stderr)\n")
    path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            encoding="utf-8", env={**os.environ, "PYTHONPATH": path})
    code, *modules = result.stderr.split()
    assert code == "0" and result.stdout.endswith("rows)\n")
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY) == []
    assert sorted(m for m in modules if m.split(".")[0] == "kg" and m not in QUERY_PATH) == []


def test_values_are_bound_literally_and_cannot_widen_results(
    built_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for term in ('" } UNION { ?s ?p ?o } #', "coree\" || true || \"", "SELECT * { ?s ?p ?o }"):
        code, out, _err = run(capsys, built_root, "query", "label-search", "-p", f"term={term}")
        assert code == 0 and out.endswith("(0 rows)\n")


def test_a_query_needs_a_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, ROOT, "--root", str(tmp_path), "query", "--file",
                          str(tmp_path / "x.rq"))
    assert code == 2 and "x.rq: no such file" in err
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "x.rq").write_text("SELECT * {}", encoding="utf-8")
    code, _out, err = run(capsys, tmp_path, "query", "--file", str(tmp_path / "queries" / "x.rq"))
    assert (code, err) == (2, "kg: error: build/store not found: run kg build first\n")


def test_kg_queries_lists_every_query_with_its_parameters(
    capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, ROOT, "queries")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
    assert names == [entry.name for entry in load_catalogue(ROOT)]
    # the names are padded to the longest, relations-over-span
    assert ("treaties-between     Treaties between two states, as of a date\n"
            "                     a=iri (default kgr:russia)  b=iri (default kgr:north-korea)  "
            "asOf=date (default 2024-06-19)  knownOn=date (optional)\n") in out
    assert "label-search         Search by label, in French or English\n" in out


def test_kg_queries_name_shows_the_question_and_examples(
    capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, ROOT, "queries", "claims")
    assert code == 0
    assert out.startswith("claims: Claims about a node or by an actor\n\nWho said what")
    assert ("  node=iri (required)  a relation, event or actor; "
            "e.g. kgr:alliance-russia-north-korea\n") in out
    assert "  kg query claims --param node=kgr:vladimir-putin\n" in out
    assert out.endswith("File: queries/claims.rq\n")
