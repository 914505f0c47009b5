"""The project's namespaces as Oxigraph terms, for the build and the query path:
`KG.hasEvidence` is a `pyoxigraph.NamedNode`. (kg.namespaces gives them as rdflib Namespaces,
for the SHACL engines' graphs and the tests.)"""

from __future__ import annotations

import pyoxigraph as ox

from kg.prefixes import PREFIXES


class Namespace:
    """IRIs under one entry of the prefix table: `KG.Claim`, `KGQ["arms-flows"]`."""

    def __init__(self, prefix: str) -> None:
        self.iri = PREFIXES[prefix]

    def __getattr__(self, local: str) -> ox.NamedNode:
        if local.startswith("__"):  # not a term: copy, pickle and the like ask for these
            raise AttributeError(local)
        return ox.NamedNode(self.iri + local)

    def __getitem__(self, local: str) -> ox.NamedNode:
        return ox.NamedNode(self.iri + local)


KG, KGQ, OA, PROV = Namespace("kg"), Namespace("kgq"), Namespace("oa"), Namespace("prov")
RDF, RDFS, SCHEMA, SH = Namespace("rdf"), Namespace("rdfs"), Namespace("schema"), Namespace("sh")
