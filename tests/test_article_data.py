"""The article's facts: coverage of its sentences, Wikidata links, and the reference layer.

These tests check the data itself against the project's checked reference lists
(data/reference/). The stored article is also compared with ../shared/sources when a checkout
has that folder beside it (CI does; a user's clone does not, and that test is then skipped).
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest
from graphs import rdflib_graph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.build import load_inputs, run_rules
from kg.namespaces import KG, OA
from kg.project import Project

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFERENCE = ROOT / "data" / "reference"
ARTICLE = "20minutes-2024-06-coree-du-nord-russie.txt"
STORED = ROOT / "data" / "sources" / ARTICLE

# Sentences of the article that state no fact, by their first words, and why they carry no
# evidence. Every other sentence must be evidence for at least one node.
NOT_FACTS = {
    "PotOcratesCorée du Nord – Russie": "headline question (and web-page noise)",
    "Diane Regny": "byline: recorded as dcterms:creator of the document, not a claim",
    "L'essentiel": "section heading",
    "• Entre raisons opérationnelles": "editorial announcement of the article's own content",
    "Mais pourquoi Pyongyang": "question",
    "Le soutien de la Corée du Nord à la Russie compte-t-il": "question",
    "Cette «\u00a0bromance\u00a0» est-elle": "question",
    "Pourquoi Pyongyang et Moscou se rapprochent": "section heading (question)",
    "La Corée du Nord, un soutien de poids": "section heading (question)",
    "Cette amitié est-elle nouvelle": "section heading (question)",
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    project = Project(ROOT)
    inputs = load_inputs(project)
    run_rules(inputs, project)
    return rdflib_graph(inputs.dataset)


def sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence of each line, offsets in code points."""
    found = []
    for line in re.finditer(r"[^\n]+", text):
        for match in re.finditer(r".+?(?:[.?!](?:\u00a0»)?(?=\s|$)|$)", line.group(0)):
            body = match.group(0)
            stripped = body.strip()
            if stripped:
                start = line.start() + match.start() + len(body) - len(body.lstrip())
                found.append((start, start + len(stripped), stripped))
    return found


def test_stored_article_has_the_published_digest() -> None:
    assert hashlib.sha256(STORED.read_bytes()).hexdigest() == (
        "ad222da90cf0005f16f2051a225199ac205ddbee8438c3bd8e6da6aa10721320")


@pytest.mark.skipif(not (SHARED / "sources" / ARTICLE).is_file(),
                    reason="no ../shared/sources beside the checkout (only CI has it)")
def test_stored_article_is_the_shared_source() -> None:
    assert STORED.read_bytes() == (SHARED / "sources" / ARTICLE).read_bytes()


def test_every_fact_sentence_is_evidence(graph: Graph) -> None:
    text = STORED.read_text(encoding="utf-8")
    spans = [(int(graph.value(sel, OA.start)), int(graph.value(sel, OA.end)))
             for sel in graph.subjects(OA.start, None)
             if (None, OA.hasSelector, sel) in graph]
    uncovered = [s for start, end, s in sentences(text)
                 if not any(a < end and b > start for a, b in spans)]
    unexplained = [s for s in uncovered if not any(s.startswith(k) for k in NOT_FACTS)]
    assert unexplained == []
    # and every exemption is still needed (no sentence silently became evidence)
    assert {k for k in NOT_FACTS if any(s.startswith(k) for s in uncovered)} == set(NOT_FACTS)
    assert len(sentences(text)) == 45


def test_wikidata_links_come_only_from_the_checked_list(graph: Graph) -> None:
    with open(REFERENCE / "wikidata-qids.tsv", encoding="utf-8") as handle:
        listed = {row["wikidata_qid"]: row for row in csv.DictReader(handle, delimiter="\t")}
    used = {}
    for entity, qid in graph.subject_objects(KG.wikidata):
        used[str(qid).rsplit("/", 1)[1]] = entity
    assert set(used) <= set(listed)
    for qid, entity in used.items():
        labels = {str(label) for label in graph.objects(entity, RDFS.label)}
        # The list names the invasion by a year no source of the graph gives: the label leaves
        # it out (a label must not carry a fact that no claim states).
        name = listed[qid]["entity_en"].removeprefix("2022 ")
        assert name in labels, qid
    # The United States is listed but the article never names it (only the « Maison-Blanche »).
    assert set(listed) - set(used) == {"Q30"}


def test_every_reference_fact_is_a_claim_of_its_own_source(graph: Graph) -> None:
    with open(REFERENCE / "external-facts.tsv", encoding="utf-8") as handle:
        facts = list(csv.DictReader(handle, delimiter="\t"))
    article = URIRef("https://w3id.org/geokg/id/article-20minutes-2024-06")
    for fact in facts:
        evidence = list(graph.subjects(KG.citation, Literal(fact["value"])))
        assert evidence, fact["value"]
        for ev in evidence:
            source = graph.value(ev, OA.hasSource)
            assert source != article
            assert str(graph.value(source, KG.sourceUrl)) == fact["source_url"]
            title = str(graph.value(source, URIRef("http://purl.org/dc/terms/title")))
            assert title == fact["source_title_or_id"]
            claim = graph.value(None, KG.hasEvidence, ev)
            assert graph.value(claim, KG.claimant) == source
