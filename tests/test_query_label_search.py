"""queries/label-search.rq: labels containing a term, ignoring case and accents."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Ask = Callable[..., list[dict[str, str]]]


def nodes(rows: list[dict[str, str]]) -> set[str]:
    return {r["node"] for r in rows}


def test_coree_finds_the_french_labels_with_accents(ask: Ask) -> None:
    rows = ask("label-search", term="coree")
    assert len(rows) == 24
    north_korea = [r for r in rows if r["node"] == "kgr:north-korea"]
    assert north_korea == [{"node": "kgr:north-korea", "label": "Corée du Nord", "lang": "fr",
                            "name": "North Korea"}]
    assert {"kgr:korean-war", "kgr:kcna", "kgr:treaty-1961-ussr-dprk"} <= nodes(rows)


@pytest.mark.parametrize("term", ["Corée", "CORÉE", "coree", "  Corée  ", "corée"])
def test_case_accents_and_outer_spaces_do_not_matter(ask: Ask, term: str) -> None:
    assert len(ask("label-search", term=term)) == 24


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
