"""Which rules the round that confirms the fixed point evaluates again (kg.rule_reads): only
those that a triple added since their last evaluation could make more of."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.rules
from kg.dataset import DERIVED, Dataset, load_dataset, ntriples
from kg.project import Project
from kg.rule_reads import Added, Addition, may_read, rule_reads
from kg.rules import apply_rules

ROOT = Path(__file__).resolve().parent.parent
E = "http://e/"
PREFIX = f"PREFIX e: <{E}>\n"


def store_of(text: str) -> ox.Store:
    store = ox.Store()
    store.load(f"@prefix e: <{E}> .\n{text}".encode(), format=ox.RdfFormat.TURTLE)
    return store


def reads_added(query: str, data: str, added: str) -> bool:
    """Whether `query` may read the triples `added` to `data` (the store holds both), given
    as a range of N-Triples after others."""
    before = b"<http://e/a> <http://e/q> <http://e/c> .\n"  # read, were it in the range
    triples = list(store_of(added))
    nt = before + ntriples(triples) + before
    addition = Addition(len(before), len(nt) - len(before),
                        frozenset(quad.predicate for quad in triples))
    return may_read(rule_reads(PREFIX + query), Added(nt, [addition]), store_of(data + added),
                    {})


STATEMENTS = "CONSTRUCT { ?st e:seen true } WHERE { ?claim e:supports ?st . ?st e:subject ?s }"


def test_a_new_triple_that_joins_the_other_patterns_of_its_group_is_read() -> None:
    assert reads_added(STATEMENTS, "e:c e:supports e:st .", "e:st e:subject e:x .")


def test_a_new_triple_that_the_other_patterns_of_its_group_exclude_is_not_read() -> None:
    # A record's subject, which no claim supports: it matches `?st e:subject ?s` alone.
    assert not reads_added(STATEMENTS, "e:c e:supports e:st .", "e:record e:subject e:x .")
    assert not reads_added(STATEMENTS, "", "e:st e:other e:x .")


def test_a_pattern_of_any_property_reads_the_added_triples_and_no_others() -> None:
    query = "CONSTRUCT { ?s e:r ?o } WHERE { ?s ?p ?o . ?o e:p ?x }"
    assert reads_added(query, "e:b e:p e:x . e:c e:p e:x .", "e:a e:q e:b .")
    assert not reads_added(query, "e:b e:p e:x . e:c e:p e:x .", "e:a e:q e:z .")


def test_the_patterns_under_negation_optional_and_sub_queries_are_read() -> None:
    for where in ("?s e:p ?o FILTER NOT EXISTS { ?s e:q ?any }",
                  "?s e:p ?o OPTIONAL { ?s e:q ?any }",
                  "?s e:p ?o MINUS { ?s e:q ?any }",
                  "{ SELECT ?s (MAX(?any) AS ?o) WHERE { ?s e:q ?any } GROUP BY ?s }"):
        query = f"CONSTRUCT {{ ?s e:r ?o }} WHERE {{ {where} }}"
        assert reads_added(query, "e:a e:p e:b .", "e:a e:q e:c ."), where
        assert not reads_added(query, "e:a e:p e:b .", "e:a e:other e:c ."), where


def test_paths_are_read_whole_and_one_of_zero_steps_reads_any_triple() -> None:
    sequence = "CONSTRUCT { ?s e:r ?o } WHERE { ?s e:p/e:q ?o }"
    assert not reads_added(sequence, "e:a e:p e:b .", "e:x e:q e:c .")  # no e:p to e:x
    assert reads_added(sequence, "e:a e:p e:b .", "e:b e:q e:c .")
    alternative = "CONSTRUCT { ?s e:r ?o } WHERE { ?s e:p|e:q ?o }"
    assert reads_added(alternative, "", "e:x e:q e:c .")
    assert not reads_added(alternative, "", "e:x e:other e:c .")
    for zero in ("e:p*", "e:p?", "!e:p"):
        query = f"CONSTRUCT {{ ?s e:r ?o }} WHERE {{ ?s {zero} ?o }}"
        assert reads_added(query, "", "e:x e:other e:c ."), zero


def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the rules evaluated, in order, from now on."""
    names: list[str] = []
    construct = Dataset.construct

    def counted(self: Dataset, text: str, origin: str = "query") -> bytes:
        names.append(origin)
        return construct(self, text, origin)

    monkeypatch.setattr(Dataset, "construct", counted)
    return names


def article() -> Dataset:
    project = Project(ROOT)
    return load_dataset(project.ontology_files + project.data_files, ROOT)


def test_the_repository_rules_make_the_same_triples_evaluating_fewer_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rules = Project(ROOT).rule_files
    always, analysed = article(), article()
    names = evaluations(monkeypatch)
    apply_rules(always, rules, ROOT)  # each rule quicker than ANALYSED_FROM_SECONDS
    assert len(names) == 2 * len(rules)
    names.clear()
    monkeypatch.setattr(kg.rules, "ANALYSED_FROM_SECONDS", 0.0)
    run = apply_rules(analysed, rules, ROOT)
    assert run.rounds == 2 and len(rules) < len(names) < 2 * len(rules)
    assert (sorted(analysed.parts[DERIVED].nt.splitlines())
            == sorted(always.parts[DERIVED].nt.splitlines()))


def test_the_build_prefixes_are_known_and_a_query_rdflib_cannot_read_reads_anything() -> None:
    assert rule_reads("CONSTRUCT { ?s kg:r ?o } WHERE { ?s kg:p ?o }").patterns
    assert rule_reads("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LATERAL").any_triple
