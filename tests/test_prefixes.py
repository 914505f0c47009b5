"""The prefix table (kg.prefixes) and its namespaces for rdflib (kg.namespaces) and Oxigraph
(kg.vocab)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.namespaces import PREFIXES, bind_prefixes, expand, new_graph, qname, sparql_prefixes
from kg.shacl import load_shapes
from kg.vocab import KG, KGQ

ROOT = Path(__file__).resolve().parent.parent


def test_bind_prefixes_overrides_rdflib_defaults() -> None:
    graph = Graph()
    graph.bind("time", "http://example.org/not-owl-time#")
    graph.bind("provenance", PREFIXES["prov"])
    bind_prefixes(graph)
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    assert {prefix: bound.get(prefix) for prefix in PREFIXES} == PREFIXES


def test_new_graph_and_the_shapes_graph_bind_exactly_the_table() -> None:
    for graph in (new_graph(), load_shapes(ROOT / "ontology" / "shapes.ttl", ROOT)):
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


def test_oxigraph_namespaces_give_named_nodes() -> None:
    assert KG.Claim == ox.NamedNode("https://w3id.org/geokg/ontology#Claim")
    assert KGQ["arms-flows"] == ox.NamedNode("https://w3id.org/geokg/query/arms-flows")
