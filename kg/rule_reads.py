"""What a rule's WHERE clause reads, to tell whether triples added since it last ran could
change what it makes (kg.rules skips it in the round that confirms the fixed point if not).

A rule's result is a function of the matches of its triple patterns, each within its group
(a basic graph pattern: its patterns are joined, whatever the operators above them: OPTIONAL,
MINUS, NOT EXISTS, aggregates). A new triple can change a match only if it matches one of the
patterns and the other patterns of that group that share a variable with it can still be
matched with the values it gives them: a derived record's `rdf:subject` triple matches
`?st rdf:subject ?s`, but no `?claim kg:supports ?st` names the record, so the rules that
read statements are not evaluated again for it. Property paths are not split into patterns:
one that can match zero steps (`*`, `?`) reads any triple (a new node is a new zero-length
match), any other path every triple of its properties.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, Path, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kg.prefixes import PREFIXES

Term = ox.NamedNode | str  # a constant IRI, or the name of a variable (anything else: a new one)
Pattern = tuple[Term, Term, Term]
OxValue = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Lookup = tuple[ox.NamedNode | ox.BlankNode | ox.Triple | None, ox.NamedNode | None,
               OxValue | None]


@dataclass
class Reads:
    """The triple patterns of a rule, each with the other patterns of its group; the
    properties its paths read; whether it may read any triple at all."""

    patterns: list[tuple[Pattern, list[Pattern]]] = field(default_factory=list)
    path_properties: set[ox.NamedNode] = field(default_factory=set)
    any_triple: bool = False
    checks: list[tuple[Lookup, list[Template]]] | None = None  # made from them when first needed


def rule_reads(query: str) -> Reads:
    """The patterns of the WHERE clause of a SPARQL query, parsed with rdflib's parser and the
    prefixes kg.dataset gives Oxigraph; a query that rdflib cannot read reads any triple."""
    reads = Reads()
    fresh = (f"_v{n}" for n in itertools.count())
    try:
        algebra = prepareQuery(query, initNs=PREFIXES).algebra["p"]
    except Exception:  # Oxigraph ran it, rdflib cannot read it: it may read anything
        return Reads(any_triple=True)
    for node in _nodes(algebra):
        if node.name in ("Graph", "GraphGraphPattern", "ServiceGraphPattern"):
            reads.any_triple = True
        elif node.name in ("BGP", "TriplesBlock"):  # a TriplesBlock: in an EXISTS, untranslated
            group: list[Pattern] = []
            for s, p, o in node.triples:
                if isinstance(p, Path):
                    group.extend(_path_patterns(s, p, o, reads, fresh))
                else:
                    group.append((_term(s, fresh), _term(p, fresh), _term(o, fresh)))
            reads.patterns.extend((pattern, [other for other in group if other is not pattern])
                                  for pattern in group)
    return reads


def _nodes(algebra: object) -> Iterator[CompValue]:
    """Every algebra node under `algebra`, filter expressions (EXISTS) and sub-queries included."""
    if isinstance(algebra, CompValue):
        yield algebra
        for value in algebra.values():
            yield from _nodes(value)
    elif isinstance(algebra, list | tuple):
        for value in algebra:
            yield from _nodes(value)


def _term(term: object, fresh: Iterator[str]) -> Term:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Variable | BNode):
        return f"{type(term).__name__}:{term}"
    return next(fresh)  # a literal: matched as a variable of its own (never wrongly excluded)


def _path_patterns(s: object, path: Path, o: object, reads: Reads,
                   fresh: Iterator[str]) -> list[Pattern]:
    """A sequence of IRIs, or the inverse of one, as patterns; any other path read whole."""
    if isinstance(path, InvPath) and isinstance(path.arg, URIRef):
        return [(_term(o, fresh), _term(path.arg, fresh), _term(s, fresh))]
    if isinstance(path, SequencePath) and all(isinstance(a, URIRef) for a in path.args):
        nodes = [_term(s, fresh)] + [next(fresh) for _ in path.args[1:]] + [_term(o, fresh)]
        return [(nodes[i], _term(a, fresh), nodes[i + 1]) for i, a in enumerate(path.args)]
    _read_path(path, reads)
    return []


def _read_path(path: object, reads: Reads) -> None:
    if isinstance(path, URIRef):
        reads.path_properties.add(ox.NamedNode(str(path)))
    elif isinstance(path, SequencePath | AlternativePath):
        for arg in path.args:
            _read_path(arg, reads)
    elif isinstance(path, InvPath):
        _read_path(path.arg, reads)
    elif isinstance(path, MulPath) and not path.zero:
        _read_path(path.path, reads)
    else:  # zero steps (a new node matches), a negated property set, or what is not known
        reads.any_triple = True


@dataclass(frozen=True)
class Addition:
    """Triples added to a store at once: the N-Triples lines of a range of bytes (kg.rules:
    of the dataset's derived triples), and the properties they state."""

    start: int
    end: int
    predicates: frozenset[ox.NamedNode]


@dataclass(frozen=True)
class Added:
    """The triples of `additions`, read in `nt` where they were added rather than copied or
    loaded into a store of their own."""

    nt: bytes
    additions: list[Addition]

    def __bool__(self) -> bool:
        return any(addition.end > addition.start for addition in self.additions)

    def states(self, predicate: ox.NamedNode) -> bool:
        return any(predicate in addition.predicates for addition in self.additions)

    def triples(self, predicate: ox.NamedNode | None) -> Iterator[ox.Triple]:
        """The triples of `predicate` (of any if None): the lines where it occurs between
        spaces (as Oxigraph writes N-Triples), parsed; those where it is the object, or in a
        literal, are dropped."""
        token = f" {predicate} ".encode()
        for addition in self.additions:
            if predicate is None:
                lines = self.nt[addition.start:addition.end]
            elif predicate in addition.predicates:
                lines = b"".join(self._lines_with(token, addition.start, addition.end))
            else:
                continue
            for triple in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES, lenient=True):
                if predicate is None or triple.predicate == predicate:
                    yield triple

    def _lines_with(self, token: bytes, start: int, end: int) -> Iterator[bytes]:
        """The lines between offsets `start` and `end` (both at a line's start) where `token`
        occurs."""
        found = self.nt.find(token, start, end)
        while found >= 0:
            line_end = self.nt.index(b"\n", found) + 1
            yield self.nt[max(self.nt.rfind(b"\n", start, found) + 1, start):line_end]
            found = self.nt.find(token, line_end, end)


def may_read(reads: Reads, added: Added, store: ox.Store, known: dict[Lookup, bool]) -> bool:
    """Whether a triple of `added` (already in `store` too) can match a pattern of `reads`
    with the other patterns of its group matched in `store`. `known` keeps the lookups made
    in `store`, for as long as it does not change."""
    if reads.any_triple:
        return bool(added)
    if any(added.states(p) for p in reads.path_properties):
        return True
    for (subject, predicate, value), templates in _checks(reads):
        for triple in added.triples(predicate):
            terms = (triple.subject, triple.predicate, triple.object)
            if subject not in (None, terms[0]) or value not in (None, terms[2]):
                continue
            for n, template in enumerate(templates):
                if not _matched(template, terms, store, known):
                    templates.insert(0, templates.pop(n))  # the next triple likely fails it too
                    break
            else:
                return True
    return False


Template = tuple[ox.NamedNode | int | None, ox.NamedNode | int | None, ox.NamedNode | int | None]
"""A pattern to look up for a triple that matches another of its group: a constant, the
position in that triple of a variable the two share, or None (any term)."""


def _checks(reads: Reads) -> list[tuple[Lookup, list[Template]]]:
    """For each distinct pattern, its constants and the lookups of the patterns of its group
    that share a variable with it (made once per rule, kept in `reads`)."""
    if reads.checks is None:
        checks: dict[tuple[Lookup, tuple[Template, ...]], list[Template]] = {}
        for pattern, others in reads.patterns:
            constants = tuple(t if isinstance(t, ox.NamedNode) else None for t in pattern)
            position = {t: i for i, t in enumerate(pattern) if isinstance(t, str)}
            templates = tuple(
                tuple(t if isinstance(t, ox.NamedNode) else position.get(t) for t in other)
                for other in others if any(t in position for t in other if isinstance(t, str)))
            checks.setdefault((constants, templates), list(templates))  # type: ignore[arg-type]
        reads.checks = [(constants, templates) for (constants, _), templates in checks.items()]
    return reads.checks


def _matched(template: Template, terms: tuple[OxValue, ox.NamedNode, OxValue],
             store: ox.Store, known: dict[Lookup, bool]) -> bool:
    """Whether `template`, with the terms of a matching triple put in, has a match in `store`."""
    s, p, o = template
    subject = terms[s] if isinstance(s, int) else s
    predicate = terms[p] if isinstance(p, int) else p
    value = terms[o] if isinstance(o, int) else o
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode | None):
        return False  # a literal is never a subject, and only an IRI a property
    lookup = (subject, predicate, value)
    if lookup not in known:
        known[lookup] = next(iter(store.quads_for_pattern(*lookup)), None) is not None
    return known[lookup]
