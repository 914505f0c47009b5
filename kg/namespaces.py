"""The prefix table of kg.prefixes as rdflib Namespaces, and rdflib graphs with exactly these
prefixes: for the SHACL engines' shapes and reports (kg.shacl) and the tests. The build and the
query path use kg.vocab, the same namespaces as Oxigraph terms."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.prefixes import PREFIXES, expand, qname, sparql_prefixes

KG = Namespace(PREFIXES["kg"])
KGV = Namespace(PREFIXES["kgv"])
KGR = Namespace(PREFIXES["kgr"])
KGQ = Namespace(PREFIXES["kgq"])
KGS = Namespace(PREFIXES["kgs"])
SKOS = Namespace(PREFIXES["skos"])
PROV = Namespace(PREFIXES["prov"])
OA = Namespace(PREFIXES["oa"])
DCTERMS = Namespace(PREFIXES["dcterms"])
TIME = Namespace(PREFIXES["time"])
SH = Namespace(PREFIXES["sh"])
WD = Namespace(PREFIXES["wd"])
WDT = Namespace(PREFIXES["wdt"])
SCHEMA = Namespace(PREFIXES["schema"])

__all__ = [
    "PREFIXES", "KG", "KGV", "KGR", "KGQ", "KGS", "RDF", "RDFS", "OWL", "XSD", "SKOS", "PROV",
    "OA", "DCTERMS", "TIME", "SH", "WD", "WDT", "SCHEMA", "sparql_prefixes", "bind_prefixes",
    "new_graph", "qname", "expand",
]


def bind_prefixes(graph: Graph) -> Graph:
    """Bind our table on `graph`, overriding any other binding of these prefixes or IRIs.

    rdflib's own defaults (e.g. `schema:`) stay bound unless the graph was created with
    `bind_namespaces="none"`, as `new_graph` does; rdflib always keeps `xml:`.
    """
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph


def new_graph() -> Graph:
    """An empty graph with exactly our prefix table bound."""
    return bind_prefixes(Graph(bind_namespaces="none"))
