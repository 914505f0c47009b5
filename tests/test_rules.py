"""The derivation rules of rules/*.rq: which claims may turn a relation into a direct edge."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kg.dataset import load_dataset
from kg.namespaces import KG, KGR, PROV
from kg.project import Project
from kg.rules import apply_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "rules" / "transfers.ttl"


@pytest.fixture(scope="module")
def derived() -> Graph:
    dataset = load_dataset([ROOT / "ontology" / "geokg.ttl", ROOT / "ontology" / "vocabularies.ttl",
                            FIXTURE], ROOT)
    apply_rules(dataset, Project(ROOT).rule_files, ROOT)
    return dataset.graph()


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


def test_every_derived_edge_is_recorded_with_its_rule_and_claims(derived: Graph) -> None:
    record = _record(derived, KGR.a, KG.suppliesArmsTo)
    assert derived.value(record, KG.derivedBy) == KGR["rule-supplies"]
    sources = set(derived.objects(record, PROV.wasDerivedFrom))
    assert sources == {KGR["t-held"], KGR["claim-held-confirmed"]}


def _record(graph: Graph, subject: URIRef, predicate: URIRef) -> Node:
    """The one kg:DerivedStatement recording `subject predicate ?`."""
    records = [r for r in graph.subjects(RDF.subject, subject)
               if (r, RDF.predicate, predicate) in graph]
    assert len(records) == 1
    return records[0]
