"""The build's working data: every input parsed once by Oxigraph and kept in two forms.

* An in-memory Oxigraph store with one named graph per input (a data file, a hook graph, the
  rules' output). The rules, the checks and the evidence check query it, and `files_of` tells a
  report which files state a node. Queries see the union of the graphs.
* The input's triples as N-Triples exactly as written (`Part.nt`). Oxigraph's store normalises
  literals (`"3"^^xsd:nonNegativeInteger` comes back as `xsd:integer`, `"1.50"^^xsd:decimal` as
  `"1.5"`), so SHACL and the exports read these bytes instead of the store.

rdflib is kept out of the hot path: at a million triples it needs minutes to parse and about
1.2 KB per triple, where Oxigraph parses in seconds. Blank nodes are labelled per input, as
`<hash of the input's name>n<ordinal>` in the order the parser meets them, so a label stays the
same while its file is unchanged and never collides with another input's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from kg.errors import KgError
from kg.loader import read_text, rel_path
from kg.namespaces import PREFIXES, new_graph
from kg.terms import OxTerm, to_ox, to_rdf

DERIVED = "(derived by rules)"
_GRAPH_BASE = "urn:geokg:input:"
_PARSE_POSITION = re.compile(r"^Parser error at line \d+[^:]*:\s*")
_QUERY_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")

Pattern = tuple[Node | None, Node | None, Node | None]


@dataclass
class Part:
    """One input: its name (a repo-relative file, or a label in parentheses) and its triples."""

    name: str
    graph: ox.NamedNode
    nt: bytes
    triples: int


def _input_key(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def parse_turtle(text: str, name: str, base_iri: str) -> list[ox.Triple]:
    """Parse Turtle; KgError `name:line: malformed Turtle: reason` for bad input."""
    try:
        return [quad.triple for quad in ox.parse(text, format=ox.RdfFormat.TURTLE,
                                                 base_iri=base_iri, without_named_graphs=True)]
    except SyntaxError as exc:
        where = name if exc.lineno is None else f"{name}:{exc.lineno}"
        if exc.lineno is not None and exc.offset is not None:
            where += f":{exc.offset}"
        reason = _PARSE_POSITION.sub("", exc.msg or str(exc))
        raise KgError(f"{where}: malformed Turtle: {reason}") from None


class Dataset:
    """Inputs in an in-memory store (a named graph each) and as exact N-Triples."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.parts: dict[str, Part] = {}
        self._names: dict[str, str] = {}  # graph IRI -> input name

    # --- adding inputs ------------------------------------------------------------------------

    def add_file(self, path: Path, root: Path | None = None) -> Part:
        """Parse a Turtle file (relative IRIs against its file: URI) as the input of that name."""
        name = rel_path(path, root)
        triples = parse_turtle(read_text(path, root), name, path.resolve().as_uri())
        return self.add_triples(name, triples)

    def add_graph(self, name: str, graph: Graph) -> Part:
        """Add an rdflib graph (a hook's); its blank nodes get this input's labels.

        rdflib's blank nodes and triple order are random: the triples are put in the order of
        their N-Triples with content-based labels first, so that the labels come out the same.
        """
        from kg.export import blank_labels

        labels = blank_labels(graph)
        relabelled = (tuple(BNode(labels[t]) if isinstance(t, BNode) else t for t in triple)
                      for triple in graph)
        return self.add_triples(name, sorted((ox.Triple(*map(to_ox, t)) for t in relabelled),
                                             key=str))

    def add_triples(self, name: str, triples: Iterable[ox.Triple]) -> Part:
        """Add triples as the input `name` (blank nodes relabelled for this input)."""
        if name in self.parts:
            raise KgError(f"{name}: loaded twice")
        key = _input_key(name)
        graph = ox.NamedNode(_GRAPH_BASE + key)
        labels: dict[str, ox.BlankNode] = {}

        def label(term: OxTerm) -> OxTerm:
            if not isinstance(term, ox.BlankNode):
                return term
            found = labels.get(term.value)
            if found is None:
                found = labels[term.value] = ox.BlankNode(f"{key}n{len(labels)}")
            return found

        kept = [t if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))
                else ox.Triple(label(t.subject), t.predicate, label(t.object)) for t in triples]
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in kept)
        part = Part(name, graph, ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES), len(kept))
        self.parts[name] = part
        self._names[graph.value] = name
        return part

    def add_derived(self, triples: list[ox.Triple]) -> None:
        """Triples the rules produced: the DERIVED input grows. (Their literals come from the
        store, normalised; their blank nodes, if any, are those of the inputs.)"""
        graph = ox.NamedNode(_GRAPH_BASE + _input_key(DERIVED))
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        part = self.parts.get(DERIVED)
        if part is None:
            self.parts[DERIVED] = Part(DERIVED, graph, nt, len(triples))
            self._names[graph.value] = DERIVED
        else:
            part.nt += nt
            part.triples += len(triples)

    # --- reading ------------------------------------------------------------------------------

    @property
    def triples(self) -> int:
        """Triples over all inputs (a triple stated in two files counts twice)."""
        return sum(part.triples for part in self.parts.values())

    def nt(self) -> bytes:
        """Every input's N-Triples, as written (a triple stated in two files appears twice)."""
        return b"".join(part.nt for part in self.parts.values())

    def contains(self, triple: ox.Triple) -> bool:
        """Whether any input states `triple`."""
        pattern = self.store.quads_for_pattern(triple.subject, triple.predicate, triple.object)
        return next(iter(pattern), None) is not None

    def files_of(self, node: Node) -> list[str]:
        """The inputs in which `node` is a subject, sorted."""
        if isinstance(node, Literal):
            return []
        names = {self._names[q.graph_name.value]
                 for q in self.store.quads_for_pattern(to_ox(node), None, None)}
        return sorted(names)

    def query(self, text: str, origin: str = "query") -> object:
        """Run SPARQL on the union of the inputs; errors name `origin` and the position."""
        try:
            return self.store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as exc:
            message = str(exc)
            match = _QUERY_POSITION.match(message)
            if match:
                origin = f"{origin}:{match.group(1)}:{match.group(2)}"
                message = message[match.end():]
            raise KgError(f"{origin}: SPARQL syntax error: {message}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise KgError(f"{origin}: SPARQL evaluation failed: {exc}") from None

    def construct(self, text: str, origin: str = "query") -> list[ox.Triple]:
        result = self.query(text, origin)
        if not isinstance(result, ox.QueryTriples):
            raise KgError(f"{origin}: not a CONSTRUCT query")
        return list(result)

    def select(self, text: str, origin: str = "query") -> tuple[list[str], list[list[Node | None]]]:
        """Variable names and rows (rdflib terms, None when unbound) of a SELECT query."""
        result = self.query(text, origin)
        if not isinstance(result, ox.QuerySolutions):
            raise KgError(f"{origin}: not a SELECT query")
        names = [v.value for v in result.variables]
        rows = [[None if sol[name] is None else to_rdf(sol[name]) for name in names]
                for sol in result]
        return names, rows

    def view(self) -> GraphView:
        return GraphView(self.store)

    def graph(self) -> Graph:
        """The whole data as an rdflib graph (for tests and small tools: slow when large)."""
        graph = new_graph()
        graph.parse(data=self.nt().decode("utf-8"), format="nt")
        return graph


class GraphView:
    """The part of rdflib's Graph reading API that reports need, over a store's union graph.

    The evidence check and the descriptions of nodes in reports look up a few triples around
    a node; this answers those lookups from Oxigraph without copying the data into rdflib.
    Literals come back as the store holds them (normalised, see the module docstring).
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def triples(self, pattern: Pattern) -> Iterator[tuple[Node, Node, Node]]:
        s, p, o = (None if t is None else to_ox(t) for t in pattern)
        seen = dict.fromkeys(q.triple for q in self.store.quads_for_pattern(s, p, o))
        for t in seen:
            yield to_rdf(t.subject), to_rdf(t.predicate), to_rdf(t.object)

    def __contains__(self, pattern: Pattern) -> bool:
        return next(self.triples(pattern), None) is not None

    def objects(self, subject: Node | None = None, predicate: Node | None = None
                ) -> Iterator[Node]:
        return (o for _s, _p, o in self.triples((subject, predicate, None)))

    def subjects(self, predicate: Node | None = None, object: Node | None = None  # noqa: A002
                 ) -> Iterator[Node]:
        return iter(dict.fromkeys(s for s, _p, _o in self.triples((None, predicate, object))))

    def subject_predicates(self, object: Node | None = None  # noqa: A002
                           ) -> Iterator[tuple[Node, Node]]:
        return ((s, p) for s, p, _o in self.triples((None, None, object)))

    def value(self, subject: Node | None = None, predicate: Node | None = None,
              object: Node | None = None) -> Node | None:  # noqa: A002
        """The missing term of the first triple matching two given terms, as rdflib's."""
        for s, p, o in self.triples((subject, predicate, object)):
            if object is None:
                return o
            return s if subject is None else p
        return None


def load_dataset(files: Iterable[Path], root: Path | None = None) -> Dataset:
    """Parse `files` in order into a new Dataset."""
    dataset = Dataset()
    for path in files:
        dataset.add_file(path, root)
    return dataset
