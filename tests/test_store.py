"""The embedded store: written by `kg build` under build/store, swapped in whole, read by
`kg query` without the N-Triples."""

from __future__ import annotations

import shutil
from pathlib import Path
from unittest import mock

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.store
from kg.cli import main
from kg.errors import KgError
from kg.prefixes import PREFIXES
from kg.skolem import GENID
from kg.store import (
    StoreBackend,
    line_changes,
    open_built_store,
    open_store,
    store_path,
    write_store,
)

FIXTURE_REPO = Path(__file__).parent / "fixtures" / "core" / "repo"
TRIPLES = 104  # what the fixture repository builds (see test_cli_core)
A, B, P, V = (ox.NamedNode(PREFIXES["kgr"] + local) for local in ("a", "b", "p", "v"))
INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the small fixture repository, built with `kg build`."""
    target = tmp_path / "repo"
    shutil.copytree(FIXTURE_REPO, target, ignore=shutil.ignore_patterns("build"))
    assert main(["--root", str(target), "build"]) == 0
    return target


def count(backend: StoreBackend) -> int:
    result = backend.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {})
    return int(result.rows[0]["n"].value)


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_build_writes_the_store_and_times_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(repo), "build", "--timings", "--force"]) == 0
    assert "  store " in capsys.readouterr().out
    assert count(open_built_store(repo / "build")) == TRIPLES
    assert siblings(store_path(repo / "build").resolve()) == [
        ".parts", "geokg.context.jsonld", "geokg.jsonld", "geokg.nq", "geokg.nt",
        "geokg.stamp.json", "geokg.trig", "geokg.ttl", "labels.sqlite", "store"]


def test_query_reads_the_store_not_the_ntriples(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "build" / "geokg.nt").unlink()
    query = repo / "who.rq"
    query.write_text("# param: s  iri  required\n"
                     "SELECT ?s ?label WHERE { ?s rdfs:label ?label }\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["--root", str(repo), "query", "--file", str(query), "-p", "s=kgr:borduria",
                 "-f", "csv"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out == "s,label\r\nhttps://w3id.org/geokg/id/borduria,Borduria\r\n"


def test_query_without_a_store_says_run_kg_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURE_REPO, tmp_path / "repo", ignore=shutil.ignore_patterns("build"))
    (tmp_path / "repo" / "q.rq").write_text("ASK { ?s ?p ?o }\n", encoding="utf-8")
    code = main(["--root", str(tmp_path / "repo"), "query", "--file",
                 str(tmp_path / "repo" / "q.rq")])
    assert code == 2
    assert capsys.readouterr().err == "kg: error: build/store not found: run kg build first\n"


def test_a_store_is_written_only_into_a_new_folder(tmp_path: Path) -> None:
    nt = tmp_path / "g.nt"
    nt.write_text("<urn:a> <urn:p> <urn:b> .\n", encoding="utf-8")
    target = tmp_path / "store"
    write_store(nt, target)
    with pytest.raises(KgError, match="exists"):
        write_store(nt, target)
    assert count(open_store(target)) == 1


def test_a_failed_write_leaves_no_folder(tmp_path: Path) -> None:
    nt = tmp_path / "g.nt"
    nt.write_text("<urn:a> <urn:p> .\n", encoding="utf-8")  # not N-Triples
    with pytest.raises(KgError, match="cannot write store"):
        write_store(nt, tmp_path / "store")
    assert siblings(nt) == ["g.nt"]


def test_a_file_loaded_in_many_pieces_is_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.store, "_LOAD_PIECE", 8)  # a piece per line
    node = f"<{GENID}0123>"  # the build's N-Triples name their blank nodes (kg.skolem)
    nt = tmp_path / "g.nt"
    nt.write_text(f'{A} {P} {node} .\n{B} {P} {node} .\n{node} {V} "1" .\n', encoding="utf-8")
    backend = open_store(write_store(nt, tmp_path / "store"))
    result = backend.select(f"SELECT ?s WHERE {{ ?s {P} ?x . ?x {V} ?v }} ORDER BY ?s", {})
    assert [row["s"] for row in result.rows] == [A, B]
    assert count(backend) == 3


@pytest.fixture
def backend(tmp_path: Path) -> StoreBackend:
    nt = tmp_path / "g.nt"
    nt.write_text(f'{A} {P} _:x .\n_:x {V} "1"^^{INTEGER} .\n{B} {P} "Corée"@fr .\n',
                  encoding="utf-8")
    return open_store(write_store(nt, tmp_path / "store"))


def test_parameters_are_bound_as_terms(backend: StoreBackend) -> None:
    result = backend.select("SELECT ?s ?o WHERE { ?s kgr:p ?o }", {"s": B})
    assert result.variables == ["s", "o"]
    assert result.rows == [{"s": B, "o": ox.Literal("Corée", language="fr")}]


def test_blank_nodes_and_typed_literals_come_back_as_oxigraph_terms(
    backend: StoreBackend,
) -> None:
    rows = backend.select("SELECT ?x ?v WHERE { kgr:a kgr:p ?x . ?x kgr:v ?v }", {}).rows
    assert len(rows) == 1 and isinstance(rows[0]["x"], ox.BlankNode)
    assert rows[0]["v"] == ox.Literal("1", datatype=INTEGER)


def test_unbound_values_are_left_out_of_a_row(backend: StoreBackend) -> None:
    rows = backend.select("SELECT ?s ?x WHERE { ?s kgr:p ?o OPTIONAL { ?o kgr:v ?x } } "
                          "ORDER BY ?s", {}).rows
    assert [sorted(r) for r in rows] == [["s", "x"], ["s"]]


def test_ask_gives_a_boolean(backend: StoreBackend) -> None:
    assert backend.select("ASK { ?s kgr:p ?o }", {}).boolean is True
    assert backend.select("ASK { ?s kgr:nothing ?o }", {}).boolean is False


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT ?s WHERE { ?s ", "SPARQL syntax error"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "only SELECT and ASK"),
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY unknown:f(?s)", "SPARQL syntax error"),
])
def test_bad_queries_are_errors_not_tracebacks(
    backend: StoreBackend, query: str, message: str
) -> None:
    with pytest.raises(KgError, match=message):
        backend.select(query, {})


def test_open_store_reports_a_missing_or_damaged_store(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="not found: run kg build first"):
        open_store(tmp_path / "store")
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "CURRENT").write_text("garbage\n", encoding="utf-8")
    with pytest.raises(KgError, match="cannot open the store"):
        open_store(tmp_path / "store")


def test_many_readers_at_once(backend: StoreBackend, tmp_path: Path) -> None:
    other = open_store(tmp_path / "store")
    assert count(other) == count(backend) == 3


def test_an_in_memory_store_is_a_backend_too() -> None:
    store = ox.Store()
    store.add(ox.Quad(A, P, ox.Literal("x")))
    backend = StoreBackend(store, "memory")
    assert backend.describe() == "memory"
    assert backend.select("SELECT ?s ?o WHERE { ?s kgr:p ?o }", {"s": A}).rows == [
        {"s": A, "o": ox.Literal("x")}]


_LINES = st.lists(st.sampled_from([f"<urn:x:{c}> <urn:p> \"{c * n}\" .\n".encode()
                                   for c in "abcdef" for n in (1, 2, 3)]), unique=True)


@settings(derandomize=True, database=None, deadline=None, max_examples=200)
@given(old=_LINES, new=_LINES, block=st.sampled_from([1, 7, 2**16]))
def test_line_changes_are_those_of_the_sets_of_lines(
        old: list[bytes], new: list[bytes], block: int,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The common beginning and end that `line_changes` skips never hide a change, whatever
    the lines, however they overlap, and wherever the blocks it compares at a time end."""
    folder = tmp_path_factory.mktemp("lines")
    (folder / "old.nt").write_bytes(b"".join(sorted(old)))
    (folder / "new.nt").write_bytes(b"".join(sorted(new)))
    with mock.patch.object(kg.store, "_BLOCK", block):
        removed, added = line_changes(folder / "old.nt", folder / "new.nt")
    assert removed == b"".join(sorted(set(old) - set(new)))
    assert added == b"".join(sorted(set(new) - set(old)))


def test_an_updated_store_holds_what_a_load_holds(tmp_path: Path) -> None:
    old, new = tmp_path / "old.nt", tmp_path / "new.nt"
    old.write_bytes(b'<urn:a> <urn:p> "1" .\n<urn:b> <urn:p> "2"@fr .\n<urn:c> <urn:p> <urn:d> .\n')
    new.write_bytes(b'<urn:a> <urn:p> "1" .\n<urn:b> <urn:p> "3"@fr .\n<urn:e> <urn:p> <urn:d> .\n')
    write_store(old, tmp_path / "old")
    write_store(new, tmp_path / "updated", previous=(tmp_path / "old", old))
    write_store(new, tmp_path / "loaded")
    dumps = [sorted(ox.Store.read_only(str(tmp_path / name)).quads_for_pattern(None, None, None),
                    key=str) for name in ("updated", "loaded")]
    assert dumps[0] == dumps[1] and len(dumps[0]) == 3
