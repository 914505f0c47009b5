"""The CONSTRUCT rules of rules/*.rq, run on the build's dataset to a fixed point."""

from __future__ import annotations

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


def _new_triples(dataset: Dataset, query: str, name: str) -> list[ox.Triple]:
    """What the rule constructs that no input states yet. Blank nodes are refused: the inputs
    have none (kg.skolem names them), so any is one the CONSTRUCT template made up."""
    new = []
    for triple in dict.fromkeys(dataset.construct(query, name)):
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            raise KgError(f"{name}: creates blank nodes; derived resources need IRIs "
                          "(e.g. BIND(IRI(CONCAT(...)) AS ?x))")
        if not dataset.contains(triple):
            new.append(triple)
    return new


def apply_rules(dataset: Dataset, files: Sequence[Path], root: Path | None = None) -> RuleRun:
    """Apply each CONSTRUCT rule (in the given order) until no rule adds a triple.

    The new triples go to the dataset's DERIVED input. More than MAX_ROUNDS rounds means the
    rules keep producing new triples: an error.
    """
    rules = [(rel_path(f, root), read_text(f, root)) for f in files]
    run = RuleRun(counts={name: 0 for name, _ in rules})
    if not rules:
        return run
    for round_no in range(1, MAX_ROUNDS + 1):
        run.rounds = round_no
        added_this_round: list[str] = []
        for name, query in rules:
            new = _new_triples(dataset, query, name)
            if new:
                dataset.add_derived(new)
                run.counts[name] += len(new)
                added_this_round.append(name)
        if not added_this_round:
            return run
    raise KgError(f"rules reached no fixed point after {MAX_ROUNDS} rounds; still adding: "
                  + ", ".join(added_this_round))
