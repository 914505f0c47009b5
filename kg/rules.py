"""The CONSTRUCT rules of rules/*.rq, run on the build's dataset to a fixed point."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.dataset import Dataset
from kg.errors import KgError
from kg.files import read_text, rel_path

MAX_ROUNDS = 10


@dataclass
class RuleRun:
    """Triples added by each rule (summed over rounds) and the number of rounds run."""

    counts: dict[str, int] = field(default_factory=dict)
    rounds: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _new_triples(dataset: Dataset, lines: list[bytes], name: str) -> bytes:
    """Of the distinct N-Triples `lines` a rule made, those no input states yet. Blank nodes
    are refused: the inputs have none (kg.skolem names them), so any is one the CONSTRUCT
    template made up."""
    new = []
    for line, triple in zip(lines, ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES,
                                            lenient=True), strict=True):
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            raise KgError(f"{name}: creates blank nodes; derived resources need IRIs "
                          "(e.g. BIND(IRI(CONCAT(...)) AS ?x))")
        if not dataset.contains(triple):
            new.append(line)
    return b"".join(new)


def apply_rules(dataset: Dataset, files: Sequence[Path], root: Path | None = None) -> RuleRun:
    """Apply each CONSTRUCT rule (in the given order) until no rule adds a triple.

    The new triples go to the dataset's DERIVED input. A rule that makes exactly what it made
    in the round before adds nothing: each of those triples was added then or was stated
    already, and the data only grows. So the round that confirms the fixed point runs each
    rule's query but looks up none of its triples. More than MAX_ROUNDS rounds means the rules
    keep producing new triples: an error.
    """
    rules = [(rel_path(f, root), read_text(f, root)) for f in files]
    run = RuleRun(counts={name: 0 for name, _ in rules})
    if not rules:
        return run
    made_before: dict[str, bytes] = {}  # per rule, the digest of what it made last
    for round_no in range(1, MAX_ROUNDS + 1):
        run.rounds = round_no
        added_this_round: list[str] = []
        for name, query in rules:
            lines = sorted(set(dataset.construct(query, name).splitlines(keepends=True)))
            digest = hashlib.sha256(b"".join(lines)).digest()
            if made_before.get(name) == digest:
                continue
            made_before[name] = digest
            new = _new_triples(dataset, lines, name)
            if new:
                dataset.add_derived(new)
                run.counts[name] += new.count(b"\n")
                added_this_round.append(name)
        if not added_this_round:
            return run
    raise KgError(f"rules reached no fixed point after {MAX_ROUNDS} rounds; still adding: "
                  + ", ".join(added_this_round))
