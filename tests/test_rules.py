"""The derivation rules of rules/*.rq: ranks and best values of statements, the direct edges that
claims which hold make, and contradictions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from graphs import rdflib_graph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kg.dataset import load_dataset
from kg.namespaces import KG, KGR, KGV, PROV
from kg.project import Project
from kg.rules import apply_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def with_rules(fixture: str) -> Graph:
    dataset = load_dataset([ROOT / "ontology" / "geokg.ttl", ROOT / "ontology" / "vocabularies.ttl",
                            FIXTURES / fixture], ROOT)
    apply_rules(dataset, Project(ROOT).rule_files, ROOT)
    return rdflib_graph(dataset)


@pytest.fixture(scope="module")
def derived() -> Graph:
    return with_rules("transfers.ttl")


@pytest.fixture(scope="module")
def side_by_side() -> Graph:
    return with_rules("statements.ttl")


def test_a_transfer_with_a_holding_claim_is_established(derived: Graph) -> None:
    assert (KGR.a, KG.suppliesArmsTo, KGR.russia) in derived
    # an allegation about the same transfer does not make it "alleged" once a claim holds
    assert (KGR.a, KG.allegedlySuppliesArmsTo, KGR.russia) not in derived


def test_an_alleged_transfer_is_labelled_as_alleged(derived: Graph) -> None:
    assert (KGR.b, KG.suppliesArmsTo, KGR.russia) not in derived
    assert (KGR.b, KG.allegedlySuppliesArmsTo, KGR.russia) in derived
    assert (KGR.russia, KG.allegedlySuppliesTechnologyTo, KGR.b) in derived
    record = _record(derived, KGR.b, KG.allegedlySuppliesArmsTo)
    assert (record, RDFS.comment,
            Literal("alleged: no claim that holds supports this transfer", lang="en")) in derived
    assert (KG.allegedlySuppliesArmsTo, RDF.type, KG.AllegedDerivedProperty) in derived


def test_a_suspected_transfer_yields_no_edge(derived: Graph) -> None:
    assert list(derived.predicate_objects(KGR.c)) == []


def test_an_edge_needs_each_of_its_statements_to_hold(derived: Graph) -> None:
    """The supplier is asserted, the recipient only alleged: no established edge (and no
    "allegedly" edge either, since no allegation states the supplier)."""
    assert list(derived.predicate_objects(KGR.d)) == []


def test_every_derived_edge_is_recorded_with_its_rule_and_claims(derived: Graph) -> None:
    record = _record(derived, KGR.a, KG.suppliesArmsTo)
    assert derived.value(record, KG.derivedBy) == KGR["rule-supplies"]
    sources = set(derived.objects(record, PROV.wasDerivedFrom))
    assert sources == {KGR["t-held"], KGR["claim-held-confirmed"]}


def _ranked(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[Node, set[Node]]:
    """For each value of `subject predicate`, the ranks of the statements giving it."""
    found: dict[Node, set[Node]] = {}
    for statement in graph.subjects(RDF.subject, subject):
        if (statement, RDF.predicate, predicate) in graph:
            value = graph.value(statement, RDF.object)
            found.setdefault(value, set()).update(graph.objects(statement, KG.rank))
    return found


def test_relations_without_a_claim_that_holds_are_recorded_weak_or_unsupported(
        derived: Graph) -> None:
    # rules/61-weak-support.rq: a claim that holds about any of its values is enough (t-half-held,
    # t-held beside its allegation); allegations, suspicions and predictions alone are weak.
    assert sorted((str(s), str(o)) for s, o in derived.subject_objects(KG.supportStatus)) == [
        (str(KGR["t-alleged"]), str(KGV.weak)),
        (str(KGR["t-suspected"]), str(KGV.weak)),
        (str(KGR["t-tech-alleged"]), str(KGV.weak)),
        (str(KGR["t-unstated"]), str(KGV.unsupported)),
    ]


def test_sources_that_differ_stand_side_by_side_with_the_best_as_direct_triple(
        side_by_side: Graph) -> None:
    signing = KGR.signing
    assert _ranked(side_by_side, signing, KG.start) == {
        KGR.y1961: {KGV.normal}, KGR.d1961: {KGV.preferred},
        KGR["d1961-mercredi"]: {KGV.preferred}}
    # One direct start: the day (the same day under two IRIs is one value), not the year.
    assert set(side_by_side.objects(signing, KG.start)) == {KGR.d1961}
    # A holding claim's value outranks a suspicion's.
    assert _ranked(side_by_side, signing, KG.agreement) == {
        KGR.treaty: {KGV.preferred}, KGR["other-treaty"]: {KGV.normal}}
    assert set(side_by_side.objects(signing, KG.agreement)) == {KGR.treaty}
    # A denied statement has no rank; the place another claim holds stays.
    assert _ranked(side_by_side, signing, KG.place) == {KGR.moscow: {KGV.preferred}}
    assert (signing, KG.place, KGR.moscow) in side_by_side


def _contradictions(graph: Graph) -> set[tuple[Node, frozenset[Node]]]:
    found = set()
    for record in graph.subjects(RDF.type, KG.Contradiction):
        claims = frozenset(c for s in graph.objects(record, KG.conflictingStatement)
                           for c in graph.subjects(KG.supports, s))
        found.add((graph.value(record, KG.contradictionKind), claims))
    return found


def test_contradictions_are_recorded_with_both_claims(side_by_side: Graph) -> None:
    assert _contradictions(side_by_side) == {
        (KGV["disjoint-dates"], frozenset({KGR["claim-day"], KGR["claim-other-source"]})),
        (KGV["different-values"], frozenset({KGR["claim-held-agreement"],
                                             KGR["claim-suspected-place"]})),
        (KGV["has-and-lacks"], frozenset({KGR["claim-day"], KGR["claim-other-source"]})),
        (KGV["dissolved-before-start"], frozenset({KGR["claim-day"], KGR["claim-other-source"]})),
        (KGV.denied, frozenset({KGR["claim-day"], KGR["claim-denial"]})),
        # One record for each pair of claims: two claims holding what one denies are two records.
        (KGV.denied, frozenset({KGR["claim-place-again"], KGR["claim-denial"]})),
        (KGV["ends-before-start"], frozenset({KGR["claim-day"], KGR["claim-end"]})),
        (KGV["ends-before-start"], frozenset({KGR["claim-other-source"], KGR["claim-end"]})),
    }
    # The two starts of the treaty are dates of equal rank that differ: both direct triples.
    assert set(side_by_side.objects(KGR.treaty, KG.start)) == {KGR.d1970, KGR.d1971}


@pytest.fixture(scope="module")
def knowledge_time() -> Graph:
    return with_rules("knowledge-time.ttl")


def test_a_derived_edge_is_on_record_once_claims_of_its_kind_name_both_ends(
        knowledge_time: Graph) -> None:
    """The supplier is first named by a claim that holds on 2024-01-10, the recipient on
    2024-02-01: the edge from then (an allegation named both before, but does not count for an
    established edge). An alleged edge counts its allegations."""
    record = _record(knowledge_time, KGR.a, KG.suppliesArmsTo)
    assert knowledge_time.value(record, KG.knownSince) == Literal(date(2024, 2, 1))
    alleged = _record(knowledge_time, KGR.b, KG.allegedlySuppliesArmsTo)
    assert knowledge_time.value(alleged, KG.knownSince) == Literal(date(2024, 5, 5))


def test_a_report_is_preceded_once_a_report_of_an_earlier_day_is_on_record(
        knowledge_time: Graph) -> None:
    """The report of 2024-05-20 (on record 2024-06-01) is the earliest until the report of
    2024-04-01 is on record (2024-07-01); nothing reports a day before that one."""
    preceded = {knowledge_time.value(st, RDF.object): knowledge_time.value(st, KG.precededSince)
                for st in knowledge_time.subjects(RDF.predicate, KG.ongoingAsOf)}
    assert preceded == {KGR["day-2024-05-20"]: Literal(date(2024, 7, 1)),
                        KGR["day-2024-04-01"]: None}


def _record(graph: Graph, subject: URIRef, predicate: URIRef) -> Node:
    """The one kg:DerivedStatement recording `subject predicate ?`."""
    records = [r for r in graph.subjects(RDF.subject, subject)
               if (r, RDF.predicate, predicate) in graph]
    assert len(records) == 1
    return records[0]
