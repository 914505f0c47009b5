"""The build's data as an rdflib graph, for the tests' independent checks (rdflib is not on the
build's path: kg.dataset)."""

from __future__ import annotations

from rdflib import Graph

from kg.dataset import Dataset
from kg.namespaces import new_graph


def rdflib_graph(dataset: Dataset) -> Graph:
    """Every input of `dataset`, parsed by rdflib from its N-Triples."""
    return new_graph().parse(data=dataset.nt().decode("utf-8"), format="nt")
