"""RDF terms between rdflib (the SHACL engines' report graphs, the tests) and Oxigraph (the
build, the store and SPARQL). A blank node keeps its label both ways."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from kg.backend import OxTerm
from kg.errors import KgError
from kg.prefixes import RDF_LANGSTRING, XSD_STRING


def to_ox(node: Node) -> OxTerm:
    """The Oxigraph term for an rdflib term; KgError for a term Oxigraph rejects."""
    try:
        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        if isinstance(node, Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype is not None:
                return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
            return ox.Literal(str(node))
    except ValueError as exc:
        raise KgError(f"cannot use term {node.n3()} in SPARQL: {exc}") from None
    raise TypeError(f"not an RDF term: {node!r}")


def to_rdf(term: object) -> Identifier:
    """The rdflib term for an Oxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (XSD_STRING, RDF_LANGSTRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")
