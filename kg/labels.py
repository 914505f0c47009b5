"""What to call a node in a picture or a page: its English and French labels, and its kind.

One query per batch of IRIs, on any Backend (the built store for `kg plot`, the worker pool for
the pages of `kg serve`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.backend import Backend
from kg.display import short

_QUERY = """
PREFIX kg: <https://w3id.org/geokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?node ?en ?fr ?group WHERE {
  VALUES ?node { %s }
  OPTIONAL { ?node rdfs:label|skos:prefLabel ?en FILTER (LANGMATCHES(LANG(?en), "en")) }
  OPTIONAL { ?node rdfs:label|skos:prefLabel ?fr FILTER (LANGMATCHES(LANG(?fr), "fr")) }
  OPTIONAL {
    ?node a ?class .
    VALUES (?top ?group) { (kg:State "state") (kg:Alignment "alignment")
                           (kg:Organisation "organisation") (kg:Person "person") }
    ?class rdfs:subClassOf* ?top .
  }
}
"""
_BATCH = 500


@dataclass(frozen=True)
class Name:
    """A node's labels (empty when it has none) and its group: state, alignment, organisation,
    person, or '' for anything else."""

    iri: str
    en: str = ""
    fr: str = ""
    group: str = ""

    @property
    def text(self) -> str:
        """The English label, else the French one, else the prefixed name."""
        return self.en or self.fr or short(ox.NamedNode(self.iri))


def names(backend: Backend, iris: Iterable[str]) -> dict[str, Name]:
    """The Name of each IRI (one per IRI, the smallest label of each language if several)."""
    wanted = sorted(set(iris))
    found: dict[str, Name] = {iri: Name(iri) for iri in wanted}
    for at in range(0, len(wanted), _BATCH):
        values = " ".join(str(ox.NamedNode(iri)) for iri in wanted[at:at + _BATCH])
        for row in backend.select(_QUERY % values, {}).rows:
            iri = row["node"].value
            old = found[iri]
            en, fr, group = (row[k].value if k in row else "" for k in ("en", "fr", "group"))
            found[iri] = Name(iri, min(filter(None, (old.en, en)), default=""),
                              min(filter(None, (old.fr, fr)), default=""),
                              min(filter(None, (old.group, group)), default=""))
    return found
