"""Loader and namespaces: origins of subjects, and errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kg.errors import KgError
from kg.loader import load_files, parse_file, syntax_error_line
from kg.namespaces import (
    KGR,
    PREFIXES,
    bind_prefixes,
    expand,
    new_graph,
    qname,
    sparql_prefixes,
)

FIXTURES = Path(__file__).parent / "fixtures" / "core"
REPO = FIXTURES / "repo"


def test_load_records_the_files_that_define_each_subject() -> None:
    loaded = load_files(sorted((REPO / "data").glob("*.ttl")), REPO)
    assert loaded.files_of(KGR["aland"]) == ["data/relations.ttl"]
    assert loaded.files_of(KGR["doc-briefing"]) == ["data/sources.ttl"]
    assert (KGR["claim-cooperation"], None, None) in loaded.graph
    assert (KGR["claim-alliance-holds"], None, None) in loaded.graph


def test_subject_defined_in_two_files_lists_both_sorted(tmp_path: Path) -> None:
    (tmp_path / "b.ttl").write_text("<http://e/x> <http://e/p> 1 .\n", encoding="utf-8")
    (tmp_path / "a.ttl").write_text("<http://e/x> <http://e/q> 2 .\n", encoding="utf-8")
    loaded = load_files([tmp_path / "b.ttl", tmp_path / "a.ttl"], tmp_path)
    assert loaded.files_of(URIRef("http://e/x")) == ["a.ttl", "b.ttl"]
    assert len(loaded.graph) == 2


def test_malformed_turtle_names_file_and_line() -> None:
    with pytest.raises(KgError) as info:
        parse_file(FIXTURES / "malformed.ttl", FIXTURES)
    # The statement on line 5 lacks its dot; the parser notices on line 6.
    assert str(info.value).startswith("malformed.ttl:6: malformed Turtle: ")
    assert "expected '.'" in str(info.value)
    assert info.value.exit_code == 2


def test_unbound_prefix_names_file_and_line() -> None:
    with pytest.raises(KgError, match=r'^unbound-prefix\.ttl:5: malformed Turtle: .*"nato:"'):
        parse_file(FIXTURES / "unbound-prefix.ttl", FIXTURES)


def test_syntax_error_line_falls_back_to_the_message() -> None:
    assert syntax_error_line(ValueError("at line 12 of <file:///x.ttl>: bad")) == 12
    assert syntax_error_line(ValueError("no position")) is None


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(KgError, match=r"^nope\.ttl: no such file$"):
        load_files([tmp_path / "nope.ttl"], tmp_path)


def test_invalid_utf8_is_named_with_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes(b'<http://e/x> <http://e/p> "ok" .\n<http://e/x> <http://e/p> "caf\xe9" .\n')
    with pytest.raises(KgError, match=r"^latin1\.ttl:2: not valid UTF-8 \(byte 0xe9"):
        load_files([path], tmp_path)


def test_bad_language_tag_is_a_kg_error(tmp_path: Path) -> None:
    path = tmp_path / "lang.ttl"
    path.write_text('<http://e/x> <http://e/p> "x"@1234 .\n', encoding="utf-8")
    with pytest.raises(KgError, match=r"^lang\.ttl.*malformed Turtle"):
        load_files([path], tmp_path)


def test_bind_prefixes_overrides_rdflib_defaults() -> None:
    graph = Graph()
    graph.bind("time", "http://example.org/not-owl-time#")
    graph.bind("provenance", PREFIXES["prov"])
    bind_prefixes(graph)
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    assert {prefix: bound.get(prefix) for prefix in PREFIXES} == PREFIXES


def test_new_graph_and_loaded_graphs_bind_exactly_the_table() -> None:
    for graph in (new_graph(), load_files([REPO / "data" / "sources.ttl"], REPO).graph):
        bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
        bound.pop("xml", None)  # rdflib always keeps it
        assert bound == PREFIXES


def test_prefix_table_matches_design() -> None:
    assert PREFIXES["kg"] == "https://w3id.org/geokg/ontology#"
    assert PREFIXES["oa"] == "http://www.w3.org/ns/oa#"
    assert PREFIXES["wd"] == "http://www.wikidata.org/entity/"
    assert list(PREFIXES)[:5] == ["kg", "kgv", "kgr", "kgq", "kgs"]


def test_sparql_prefix_header_is_valid_sparql() -> None:
    header = sparql_prefixes()
    assert header.splitlines()[0] == "PREFIX kg: <https://w3id.org/geokg/ontology#>"
    assert list(ox.Store().query(header + "SELECT * WHERE { ?s kg:p kgr:x }")) == []


def test_qname_and_expand() -> None:
    assert qname("https://w3id.org/geokg/id/vladimir-putin") == "kgr:vladimir-putin"
    assert qname("http://www.wikidata.org/entity/Q159") == "wd:Q159"
    assert qname("https://w3id.org/geokg/id/a/b") is None
    assert qname("http://example.org/x") is None
    assert expand("kgr:russia") == "https://w3id.org/geokg/id/russia"
    assert expand("<http://example.org/x>") == "http://example.org/x"
    assert expand("http://example.org/x") == "http://example.org/x"
