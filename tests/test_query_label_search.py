"""queries/label-search.rq: labels containing a term, ignoring case and accents."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.namespace import RDF

from kg.catalogue import find_query
from kg.namespaces import PREFIXES, SH
from kg.remote import prepare_query

ROOT = Path(__file__).resolve().parent.parent

Ask = Callable[..., list[dict[str, str]]]


def nodes(rows: list[dict[str, str]]) -> set[str]:
    return {r["node"] for r in rows}


def test_coree_finds_the_french_labels_with_accents(ask: Ask) -> None:
    rows = ask("label-search", term="coree")
    assert len(rows) == 29  # with « dirigeant de la Corée du Nord », the office
    north_korea = [r for r in rows if r["node"] == "kgr:north-korea"]
    assert north_korea == [{"node": "kgr:north-korea", "label": "Corée du Nord", "lang": "fr",
                            "name": "North Korea"}]
    assert {"kgr:korean-war", "kgr:kcna", "kgr:treaty-1961-ussr-dprk"} <= nodes(rows)
    # « russo-nord-coréen » holds "coree" too.
    assert "kgr:phase-rapprochement-2024" in nodes(rows)


@pytest.mark.parametrize("term", ["Corée", "CORÉE", "coree", "  Corée  ", "corée"])
def test_case_accents_and_outer_spaces_do_not_matter(ask: Ask, term: str) -> None:
    assert len(ask("label-search", term=term)) == 29


def test_decomposed_accents_are_folded_too(ask: Ask) -> None:
    assert nodes(ask("label-search", term="Core\u0301e du Nord")) == nodes(
        ask("label-search", term="coree du nord"))


def test_diaeresis_and_english(ask: Ask) -> None:
    rows = ask("label-search", term="MIKHAIL Gorbatchev")
    assert [(r["node"], r["label"]) for r in rows] == [
        ("kgr:mikhail-gorbachev", "Mikhaïl Gorbatchev"),
        ("kgr:position-gorbachev-leader-ussr", "Mikhaïl Gorbatchev, dirigeant de l'URSS"),
    ]
    assert ("kgr:north-korea", "North Korea", "en") in {
        (r["node"], r["label"], r["lang"]) for r in ask("label-search", term="north korea")}


def test_dashes_spaces_and_apostrophes(ask: Ask) -> None:
    axis = {"kgr:axis-moscow-beijing-tehran", "kgr:membership-axis-china",
            "kgr:membership-axis-iran", "kgr:membership-axis-north-korea",
            "kgr:membership-axis-russia"}
    assert nodes(ask("label-search", term="moscou pekin")) == axis
    assert nodes(ask("label-search", term="Moscou\u2013Pékin")) == axis
    assert nodes(ask("label-search", term="l’axe")) == axis - {"kgr:axis-moscow-beijing-tehran"}


def test_ontology_terms_are_found_but_not_the_catalogue(ask: Ask) -> None:
    assert {"kg:Treaty", "kg:hasTreatyWith"} <= nodes(ask("label-search", term="traite"))
    assert ask("label-search", term="Treaties between two states") == []


@pytest.mark.parametrize("term", [
    "", "   ", '" } UNION { ?s ?p ?o } #', '") || true || ("', "} ; DROP ALL ; {",
    "SELECT * WHERE { ?s ?p ?o }", "coree' }", "*", ".*",
])
def test_terms_are_bound_literally_and_cannot_widen_the_search(ask: Ask, term: str) -> None:
    assert ask("label-search", term=term) == []


def test_no_break_spaces_dashes_and_backticks(ask: Ask) -> None:
    axis = nodes(ask("label-search", term="moscou pekin"))
    for term in ("MOSCOU – PÉKIN", "Moscou\u00a0\u2014\u00a0Pekin", "moscou-pekin",
                 "moscou \u202f pekin"):
        assert nodes(ask("label-search", term=term)) == axis, term
    assert nodes(ask("label-search", term="l`axe")) == nodes(ask("label-search", term="l'axe"))


@pytest.mark.parametrize("term", [".", "(", "a.b", "[", "$1", "\\", "^"])
def test_regex_metacharacters_in_the_term_are_plain_text(ask: Ask, term: str) -> None:
    labels = {r["label"] for r in ask("label-search", term=term)}
    assert all(term in label for label in labels)


# --- the same rows as the reference fold, on labels made to trip it ---------------------------
#
# REFERENCE is the query before the prefilter (commit 66008c2): every label folded in one pass
# with the term, one REPLACE per BIND. Both queries run on a store of crafted labels, and the
# rows (columns, values and order) must be the same for every term, bound by substitution as
# `kg query` does and as a VALUES block as an endpoint gets it.

REFERENCE = r"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg: <https://w3id.org/geokg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX sh: <http://www.w3.org/ns/shacl#>

SELECT DISTINCT ?term ?node ?label ?lang ?name
WHERE {
  # VALUES ?term { "coree" }
  ?node rdfs:label|skos:prefLabel|skos:altLabel|kg:officialName|dcterms:title ?label .
  FILTER (isIRI(?node))
  FILTER NOT EXISTS { ?node a sh:SPARQLExecutable }
  # Fold the term and the label together, one step at a time (one REPLACE per BIND:
  # deeply nested calls are slow to compile in some engines).
  BIND (LCASE(CONCAT(?term, "\u0001", STR(?label))) AS ?fold0)
  BIND (REPLACE(?fold0, "\\p{M}", "") AS ?fold1)
  BIND (REPLACE(?fold1, "[àáâãäåāăą]", "a") AS ?fold2)
  BIND (REPLACE(?fold2, "[çćĉċč]", "c") AS ?fold3)
  BIND (REPLACE(?fold3, "[ďđ]", "d") AS ?fold4)
  BIND (REPLACE(?fold4, "[èéêëēĕėęě]", "e") AS ?fold5)
  BIND (REPLACE(?fold5, "[ğĝġģ]", "g") AS ?fold6)
  BIND (REPLACE(?fold6, "[ìíîïĩīĭįı]", "i") AS ?fold7)
  BIND (REPLACE(?fold7, "[ĺļľł]", "l") AS ?fold8)
  BIND (REPLACE(?fold8, "[ñńņňŉ]", "n") AS ?fold9)
  BIND (REPLACE(?fold9, "[òóôõöøōŏő]", "o") AS ?fold10)
  BIND (REPLACE(?fold10, "[ŕŗř]", "r") AS ?fold11)
  BIND (REPLACE(?fold11, "[śŝşšș]", "s") AS ?fold12)
  BIND (REPLACE(?fold12, "[ţťțŧ]", "t") AS ?fold13)
  BIND (REPLACE(?fold13, "[ùúûüũūŭůűų]", "u") AS ?fold14)
  BIND (REPLACE(?fold14, "[ýÿŷ]", "y") AS ?fold15)
  BIND (REPLACE(?fold15, "[źżž]", "z") AS ?fold16)
  BIND (REPLACE(?fold16, "œ", "oe") AS ?fold17)
  BIND (REPLACE(?fold17, "æ", "ae") AS ?fold18)
  BIND (REPLACE(?fold18, "ß", "ss") AS ?fold19)
  BIND (REPLACE(?fold19, "[‘’ʼ`´]", "'") AS ?fold20)
  BIND (REPLACE(?fold20, "[\\s\u00A0\u202F\u2010-\u2015-]+", " ") AS ?fold21)
  BIND (REPLACE(?fold21, " ?\u0001 ?", "\u0001") AS ?fold22)
  BIND (REPLACE(?fold22, "^ | $", "") AS ?fold23)
  BIND (STRBEFORE(?fold23, "\u0001") AS ?needle)
  FILTER (?needle != "" && CONTAINS(STRAFTER(?fold23, "\u0001"), ?needle))
  BIND (LANG(?label) AS ?lang)
  OPTIONAL {
    ?node rdfs:label|skos:prefLabel ?name .
    FILTER (LANGMATCHES(LANG(?name), "en"))
  }
}
ORDER BY ?node ?label
"""

EX = "https://example.org/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PREDICATES = (
    RDFS_LABEL,
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "https://w3id.org/geokg/ontology#officialName",
    "http://purl.org/dc/terms/title",
)

# Labels with every kind of character the fold changes, and some it must not.
TRICKY = [
    "Corée du Nord", "Core\u0301e du Sud", "CORÉE", "coréen", "Nord-Corée", "Nord\u2013Corée",
    "Cœur de Lion", "CŒUR", "Ægir", "æther", "Straße", "STRASSE", "\u1e9e", "ſ",
    "l’axe", "l‘axe", "lʼaxe", "l`axe", "l´axe", "l'axe", "L\u2019AXE",
    "Moscou–Pékin", "Moscou — Pékin", "Moscou\u00a0–\u00a0Pékin", "Moscou\u2010Pékin",
    "Moscou - Pékin", "Moscou-Pékin", "Moscou\u202fPékin", "Moscou\tPékin", "Moscou\n\nPékin",
    "  Moscou   Pékin  ", "Moscou\u2003Pékin", "Moscou\u3000Pékin",
    "İstanbul", "ISTANBUL", "ΟΔΟΣ", "ὁδός", "\u212a\u00e5ngstr\u00f6m", "Łódź", "Škoda",
    "Dvořák", "Ñandú", "Þór", "ĳssel", "ﬁn", "Ø", "Đakovo", "ŉ", "ǅ", "ı", "ŷ", "Ÿ",
    "a.b", "axb", "a(b", "a$b", "a\\b", "$1", "$1ç", "\\1ç", "x\u0001y", "x \u0001 y", "\u0001",
    "« citation »", "\u00abcitation\u202f\u00bb", "°C", "", " ", "–", "\u00a0", "''", "a  b",
    "e\u0301\u0301", "\u0301e", "o\u0308e", "a\u0338b",
]
TERMS = [
    "coree", "Corée", "CORÉE", "core\u0301e", "  Corée  ", "coree du", "du nord", "nord coree",
    "cœur", "coeur", "COEUR", "ægir", "aegir", "strasse", "straße", "ss", "s", "l'axe", "l’axe",
    "L`AXE", "moscou pekin", "moscou–pékin", "Moscou\u00a0Pékin", "moscou - pekin", "pekin",
    "istanbul", "i\u0307stanbul", "οδος", "οδοσ", "οδος ", "kangstrom", "lodz", "skoda", "dvorak",
    "nandu", "þor", "ĳ", "ﬁ", "fin", "o", "d", "n", "dz", "y", "i",
    ".", "(", "a.b", "a(b", "$", "$1", "a$b", "$1ç", "$1c", "\\1c", "\\", "a\\b", "x", "x y",
    "xy", "x\u0001y", "x\u0001x", "n\u0001\u0001n",
    "\u0001", "\u0001x", "x\u0001", "«", "citation", "°", "°c", "", " ", "\u00a0", "–", "-", "'",
    "''", "*", ".*", "[", "^", "a b", "ab", "e", "ee", "oe", "e\u0301", "\u0301", "a\u0338b",
]
# Every character of the ranges where the fold acts, between "a" and "b"; and the terms that
# any of them can fold to.
SWEEP_RANGES = [(0x00, 0x250), (0x250, 0x370), (0x370, 0x400), (0x1E00, 0x1F00),
                (0x2000, 0x2070), (0x2100, 0x2150), (0x3000, 0x3001), (0xFB00, 0xFB07)]
SWEEP = [f"a{chr(c)}b" for start, end in SWEEP_RANGES for c in range(start, end)]
SWEEP_TERMS = ([f"a{x}b" for x in "abcdefghijklmnopqrstuvwxyz0123456789' "]
               + ["ab", "aoeb", "aaeb", "assb", "a\u00e9b", "a\u2019b", "a\u00a0b", "A\u0130B"])


def tricky_store(labels: list[str]) -> ox.Store:
    """One node per label, under each label property in turn, half in French and half plain; an
    English name for every other node; a blank node and a catalogue query with labels too."""
    store = ox.Store()
    quads = []
    for i, text in enumerate(labels):
        node = ox.NamedNode(f"{EX}n{i:05d}")
        value = ox.Literal(text, language="fr") if i % 2 else ox.Literal(text)
        quads.append(ox.Quad(node, ox.NamedNode(PREDICATES[i % len(PREDICATES)]), value))
        if i % 2 == 0:
            quads.append(ox.Quad(node, ox.NamedNode(RDFS_LABEL),
                                 ox.Literal(f"name {i}", language="en")))
    for subject in (ox.BlankNode("b0"), ox.NamedNode(f"{EX}query")):
        quads += [ox.Quad(subject, ox.NamedNode(RDFS_LABEL), ox.Literal(text)) for text in
                  ("Corée du Nord", "Cœur", "a\u00e9b")]
    quads.append(ox.Quad(ox.NamedNode(f"{EX}query"), ox.NamedNode(str(RDF.type)),
                         ox.NamedNode(str(SH.SPARQLExecutable))))
    store.extend(quads)
    return store


def rows(store: ox.Store, query: str, term: str | None) -> list[tuple[str | None, ...]]:
    subs = {} if term is None else {ox.Variable("term"): ox.Literal(term)}
    answer = store.query(query, prefixes=PREFIXES, substitutions=subs)
    assert isinstance(answer, ox.QuerySolutions)
    names = [v.value for v in answer.variables]
    assert names == ["term", "node", "label", "lang", "name"]
    return [tuple(None if s[n] is None else str(s[n]) for n in names) for s in answer]


def same_rows(got: list[tuple[str | None, ...]], expected: list[tuple[str | None, ...]]) -> None:
    """The same rows in the same order of node and label (the order of ORDER BY ?node ?label;
    rows that tie on both may come in any order)."""
    assert [r[1:3] for r in got] == [r[1:3] for r in expected]
    assert sorted(got, key=repr) == sorted(expected, key=repr)


@pytest.fixture(scope="module")
def label_search() -> str:
    return find_query(ROOT, "label-search").text


def test_the_same_rows_as_the_reference_on_tricky_labels(label_search: str) -> None:
    store = tricky_store(TRICKY + TERMS)
    found = 0
    for term in TERMS:
        expected = rows(store, REFERENCE, term)
        same_rows(rows(store, label_search, term), expected)
        found += len(expected)
    assert found > 300  # the terms do find labels


def test_the_same_rows_as_the_reference_on_every_character(label_search: str) -> None:
    store = tricky_store(SWEEP)
    found = 0
    for term in SWEEP_TERMS:
        expected = rows(store, REFERENCE, term)
        same_rows(rows(store, label_search, term), expected)
        found += len(expected)
    assert found > 400


@pytest.mark.parametrize("term", ["coree", "Moscou\u00a0Pékin", "cœur", "a$b", "", "x\u0001y"])
def test_a_values_block_gives_the_same_rows_on_tricky_labels(label_search: str, term: str) -> None:
    store = tricky_store(TRICKY)
    sent = prepare_query(label_search, {"term": ox.Literal(term)})
    same_rows(rows(store, sent, None), rows(store, REFERENCE, term))


def test_what_the_folds_find() -> None:
    store = tricky_store(TRICKY)

    def labels(term: str) -> set[str]:
        answer = store.query(find_query(ROOT, "label-search").text, prefixes=PREFIXES,
                             substitutions={ox.Variable("term"): ox.Literal(term)})
        assert isinstance(answer, ox.QuerySolutions)
        return {s["label"].value for s in answer}

    assert labels("coeur") == {"Cœur de Lion", "CŒUR"}
    assert labels("strasse") == {"Straße", "STRASSE"}
    assert labels("ss") == {"Straße", "STRASSE", "\u1e9e", "ĳssel"}
    assert labels("aegir") == {"Ægir"}
    assert labels("coree du") == {"Corée du Nord", "Core\u0301e du Sud"}
    assert labels("nord coree") == {"Nord-Corée", "Nord\u2013Corée"}
    assert labels("l'axe") == {"l’axe", "l‘axe", "lʼaxe", "l`axe", "l´axe", "l'axe", "L\u2019AXE"}
    assert len(labels("moscou pekin")) == 12
    assert labels("istanbul") == {"İstanbul", "ISTANBUL"}
    assert labels("a.b") == {"a.b"}
    assert labels("a$b") == {"a$b"}
    assert labels("citation") == {"« citation »", "\u00abcitation\u202f\u00bb"}
    assert labels("") == labels(" ") == labels("\u00a0") == labels("–") == set()


# --- the query text: the folds it writes out twice, and the prefilter's classes ---------------

STRING = r'"(?:[^"\\]|\\.)*"'
STEP = re.compile(rf"^\s*({STRING}), ({STRING}|\?key), \"\"\)\)?,?$", re.MULTILINE)
REFERENCE_STEP = re.compile(rf"REPLACE\(\?fold[0-9]+, ({STRING}), ({STRING})\) AS")


def steps(text: str, start: str, end: str) -> list[tuple[str, str]]:
    """The (pattern, replacement) of each REPLACE between `start` and `end`, in order."""
    begin = text.index(start)
    return STEP.findall(text, begin, text.index(end, begin))


def test_the_term_and_the_labels_are_folded_by_the_same_steps(label_search: str) -> None:
    term = steps(label_search, 'STR(CONCAT(LCASE(?term), "\\u0001")),', "AS ?term3)")
    label = steps(label_search, 'STR(CONCAT(LCASE(?term), "\\u0001", LCASE(?label))),',
                  "AS ?fold3)")
    assert len(term) == 23
    assert term == label
    assert label == REFERENCE_STEP.findall(REFERENCE)


def test_the_prefilter_passes_every_character_it_does_not_fold(label_search: str) -> None:
    fold = steps(label_search, 'STR(CONCAT(LCASE(?term), "\\u0001")),', "AS ?term3)")
    prefilter = steps(label_search, "STR(LCASE(?label)),", "AS ?candidate)")
    *folded, (other, key) = prefilter
    assert key == "?key"
    assert folded == [step for step in fold if step in folded]  # the fold's steps, in its order
    # The characters of every other step that changes characters (all but the last three, on
    # spaces and U+0001) are in the class that the key replaces.
    rest = [pattern.strip('"') for pattern, _replacement in fold[:20]
            if (pattern, _replacement) not in folded]
    assert rest[0] == "\\\\p{M}"
    assert other.strip('"') == "[" + "".join(p.strip("[]") for p in rest) + "]"
