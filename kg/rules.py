"""The CONSTRUCT rules of rules/*.rq, run on the build's dataset to a fixed point."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.dataset import Dataset
from kg.errors import KgError
from kg.files import read_text, rel_path
from kg.rule_reads import Added, Addition, Lookup, Reads, may_read, rule_reads

MAX_ROUNDS = 10
ANALYSED_FROM_SECONDS = 1.0
"""A rule whose evaluation took less is evaluated again rather than its query analysed
(kg.rule_reads: parsing a rule takes up to about a second)."""


@dataclass
class RuleRun:
    """Triples added by each rule (summed over rounds) and the number of rounds run."""

    counts: dict[str, int] = field(default_factory=dict)
    rounds: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class _Rule:
    name: str
    query: str
    made: bytes = b""  # the digest of what it made when last evaluated
    seen: int = -1  # the number of additions when it was last evaluated (-1: never)
    seconds: float = 0.0  # how long that evaluation took
    reads: Reads | None = None  # its patterns (kg.rule_reads), once analysed


@dataclass
class _Additions:
    """Where each addition of a rule lies in the dataset's derived N-Triples, and what it
    states: kg.rule_reads reads the triples added since a rule's last evaluation there, so
    that they are held once, as the dataset's bytes."""

    items: list[Addition] = field(default_factory=list)
    known: dict[Lookup, bool] = field(default_factory=dict)  # lookups in the dataset's store

    def add(self, addition: Addition) -> None:
        self.items.append(addition)
        self.known.clear()  # the dataset's store has grown


def _new_triples(dataset: Dataset, lines: list[bytes], name: str
                 ) -> tuple[bytes, frozenset[ox.NamedNode]]:
    """Of the distinct N-Triples `lines` a rule made, those no input states yet, and their
    properties. Blank nodes are refused: the inputs have none (kg.skolem names them), so any
    is one the CONSTRUCT template made up."""
    new = []
    predicates: set[ox.NamedNode] = set()
    for line, triple in zip(lines, ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES,
                                            lenient=True), strict=True):
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            raise KgError(f"{name}: creates blank nodes; derived resources need IRIs "
                          "(e.g. BIND(IRI(CONCAT(...)) AS ?x))")
        if not dataset.contains(triple):
            new.append(line)
            predicates.add(triple.predicate)
    return b"".join(new), frozenset(predicates)


def _may_make_more(rule: _Rule, additions: _Additions, dataset: Dataset) -> bool:
    """Whether the triples added since `rule` was last evaluated could change what it makes:
    never evaluated, or one of them can match its patterns (kg.rule_reads). A rule that was
    quick to evaluate is evaluated again without asking."""
    if rule.seen < 0:
        return True
    if rule.seen == len(additions.items):
        return False  # nothing was added since
    if rule.seconds < ANALYSED_FROM_SECONDS:
        return True
    if rule.reads is None:
        rule.reads = rule_reads(rule.query)
    added = Added(dataset.derived_nt, additions.items[rule.seen:])
    return may_read(rule.reads, added, dataset.store, additions.known)


def apply_rules(dataset: Dataset, files: Sequence[Path], root: Path | None = None) -> RuleRun:
    """Apply each CONSTRUCT rule (in the given order) until no rule adds a triple.

    The new triples go to the dataset's DERIVED input. A rule is evaluated again only if a
    triple added since its last evaluation could change what it makes (`_may_make_more`): else
    it would make the same triples, each added then or stated already. A rule that makes
    exactly what it made before adds nothing either, and its triples are not looked up. More
    than MAX_ROUNDS rounds means the rules keep producing new triples: an error.
    """
    rules = [_Rule(rel_path(f, root), read_text(f, root)) for f in files]
    run = RuleRun(counts={rule.name: 0 for rule in rules})
    if not rules:
        return run
    additions = _Additions()
    for round_no in range(1, MAX_ROUNDS + 1):
        run.rounds = round_no
        added_this_round: list[str] = []
        for rule in rules:
            may_make_more = _may_make_more(rule, additions, dataset)
            # Either way, what was added so far is settled for this rule: each later addition
            # is asked about against the store that holds these.
            rule.seen = len(additions.items)
            if not may_make_more:
                continue
            start = time.perf_counter()
            lines = sorted(set(dataset.construct(rule.query, rule.name).splitlines(
                keepends=True)))
            rule.seconds = time.perf_counter() - start
            digest = hashlib.sha256(b"".join(lines)).digest()
            if rule.made == digest:
                continue
            rule.made = digest
            new, predicates = _new_triples(dataset, lines, rule.name)
            if new:
                offset = len(dataset.derived_nt)
                dataset.add_derived(new)
                additions.add(Addition(offset, len(dataset.derived_nt), predicates))
                run.counts[rule.name] += new.count(b"\n")
                added_this_round.append(rule.name)
        if not added_this_round:
            return run
    raise KgError(f"rules reached no fixed point after {MAX_ROUNDS} rounds; still adding: "
                  + ", ".join(added_this_round))
