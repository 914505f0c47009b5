"""The build's data as an rdflib graph, for the tests' independent checks (rdflib is not on the
build's path: kg.dataset)."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg.dataset import Dataset
from kg.namespaces import KG, new_graph


def rdflib_graph(dataset: Dataset) -> Graph:
    """Every input of `dataset`, parsed by rdflib from its N-Triples."""
    return new_graph().parse(data=dataset.nt().decode("utf-8"), format="nt")


def steps_below(ontology: Graph, top: str, step: URIRef = RDFS.subClassOf) -> dict[str, int]:
    """Each class under kg:`top` (or property, with `step` rdfs:subPropertyOf), with the fewest
    `step`s that lead to it."""
    steps: dict[str, int] = {}
    level, count = {KG[top]}, 0
    while level:
        count += 1
        level = {below for above in level for below in ontology.subjects(step, above)
                 if str(below) not in steps}
        steps.update((str(below), count) for below in level)
    return steps
