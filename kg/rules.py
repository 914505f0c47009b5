"""SPARQL over the graph with Oxigraph, and the CONSTRUCT rules run to a fixed point.

rdflib's own SPARQL engine is far too slow for joins over a large graph, so the graph is copied
into an in-memory Oxigraph store; rule results are added to both the store and the rdflib graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import KgError
from kg.loader import read_text, rel_path
from kg.namespaces import PREFIXES

MAX_ROUNDS = 10
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")

Triple = tuple[Node, Node, Node]


class SparqlStore:
    """An Oxigraph copy of an rdflib graph that answers SPARQL with rdflib terms.

    Blank nodes keep their identity both ways, so a query result can name a blank node of the
    rdflib graph. The table of prefixes is predeclared for every query.
    """

    def __init__(self, graph: Graph | None = None) -> None:
        self.store = ox.Store()
        self._to_ox: dict[BNode, ox.BlankNode] = {}
        self._to_rdf: dict[str, BNode] = {}
        if graph is not None:
            self.add(graph)

    def to_ox(self, node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        """The Oxigraph term for an rdflib term (the same blank node each time)."""
        try:
            if isinstance(node, URIRef):
                return ox.NamedNode(str(node))
            if isinstance(node, BNode):
                found = self._to_ox.get(node)
                if found is None:
                    found = self._to_ox[node] = ox.BlankNode(f"b{len(self._to_ox)}")
                    self._to_rdf[found.value] = node
                return found
            if isinstance(node, Literal):
                if node.language:
                    return ox.Literal(str(node), language=node.language)
                if node.datatype is not None:
                    return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
                return ox.Literal(str(node))
        except ValueError as exc:
            raise KgError(f"cannot use term {node.n3()} in SPARQL: {exc}") from None
        raise TypeError(f"not an RDF term: {node!r}")

    def rdf(self, term: object, origin: str = "query") -> Node:
        """The rdflib term for an Oxigraph term; a blank node unknown to the store is an error."""
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            found = self._to_rdf.get(term.value)
            if found is None:
                raise KgError(f"{origin}: creates blank nodes; derived resources need IRIs "
                              "(e.g. BIND(IRI(CONCAT(...)) AS ?x))")
            return found
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            if term.language:
                return Literal(term.value, lang=term.language)
            if datatype in (str(XSD.string), _RDF_LANGSTRING):
                return Literal(term.value)
            return Literal(term.value, datatype=URIRef(datatype))
        raise KgError(f"{origin}: unsupported result term {term!r}")

    def add(self, triples: Iterable[Triple]) -> None:
        self.store.extend(
            ox.Quad(self.to_ox(s), self.to_ox(p), self.to_ox(o), ox.DefaultGraph())
            for s, p, o in triples
        )

    def __contains__(self, triple: Triple) -> bool:
        s, p, o = triple
        return ox.Quad(self.to_ox(s), self.to_ox(p), self.to_ox(o), ox.DefaultGraph()) in self.store

    def _run(self, query: str, origin: str) -> object:
        try:
            return self.store.query(query, prefixes=PREFIXES)
        except SyntaxError as exc:
            message = str(exc)
            match = _POSITION.match(message)
            if match:
                origin = f"{origin}:{match.group(1)}:{match.group(2)}"
                message = message[match.end():]
            raise KgError(f"{origin}: SPARQL syntax error: {message}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise KgError(f"{origin}: SPARQL evaluation failed: {exc}") from None

    def construct(self, query: str, origin: str = "query") -> list[Triple]:
        """Triples of a CONSTRUCT query as rdflib terms."""
        result = self._run(query, origin)
        if not isinstance(result, ox.QueryTriples):
            raise KgError(f"{origin}: not a CONSTRUCT query")
        return [(self.rdf(t.subject, origin), self.rdf(t.predicate, origin),
                 self.rdf(t.object, origin)) for t in result]

    def select(
        self, query: str, origin: str = "query"
    ) -> tuple[list[str], list[list[Node | None]]]:
        """Variable names and rows (rdflib terms, None when unbound) of a SELECT query."""
        result = self._run(query, origin)
        if not isinstance(result, ox.QuerySolutions):
            raise KgError(f"{origin}: not a SELECT query")
        names = [v.value for v in result.variables]
        rows = [[None if sol[name] is None else self.rdf(sol[name], origin) for name in names]
                for sol in result]
        return names, rows


@dataclass
class RuleRun:
    """Triples added by each rule (summed over rounds) and the number of rounds run."""

    counts: dict[str, int] = field(default_factory=dict)
    rounds: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def apply_rules(
    graph: Graph, files: Sequence[Path], root: Path | None = None,
    store: SparqlStore | None = None,
) -> RuleRun:
    """Apply each CONSTRUCT rule (in the given order) until no rule adds a triple.

    Results are added to `graph` and to `store` (a SparqlStore of `graph`, made here if None).
    More than MAX_ROUNDS rounds means the rules keep producing new triples: an error.
    """
    rules = [(rel_path(f, root), read_text(f, root)) for f in files]
    run = RuleRun(counts={name: 0 for name, _ in rules})
    if not rules:
        return run
    store = store if store is not None else SparqlStore(graph)
    for round_no in range(1, MAX_ROUNDS + 1):
        run.rounds = round_no
        added_this_round: list[str] = []
        for name, query in rules:
            new = {t for t in store.construct(query, name) if t not in store}
            if new:
                store.add(new)
                for triple in new:
                    graph.add(triple)
                run.counts[name] += len(new)
                added_this_round.append(name)
        if not added_this_round:
            return run
    raise KgError(f"rules reached no fixed point after {MAX_ROUNDS} rounds; still adding: "
                  + ", ".join(added_this_round))
