"""Statement-level claims, end to end: a curator adds a claim of a new source to the real data.

A value from another source stands beside the article's with its own source; a value that cannot
hold with the article's is a contradiction that contested-facts shows with both claims; a
contradiction inside one source and a fact no claim states fail the build, saying which node,
property and values. The added source and its claims are fictional (tests only).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.api import query
from kg.build import BuildReport, build
from kg.project import Project

ROOT = Path(__file__).resolve().parent.parent

PREFIXES = """@prefix kg:      <https://w3id.org/geokg/ontology#> .
@prefix kgv:     <https://w3id.org/geokg/vocab/> .
@prefix kgr:     <https://w3id.org/geokg/id/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

# A fictional yearbook: a source without stored text, cited.
YEARBOOK = PREFIXES + """
kgr:example-yearbook-press a kg:NewsOutlet ;
    rdfs:label "Example Yearbook Press"@en , "Presses de l'annuaire exemple"@fr .
kgr:src-example-yearbook a kg:SourceDocument ;
    rdfs:label "Example yearbook of Korean affairs"@en ,
        "Annuaire exemple des affaires coréennes"@fr ;
    dcterms:title "Example yearbook of Korean affairs"@en ;
    dcterms:publisher kgr:example-yearbook-press .
"""


def claim(name: str, source: str, statements: str, citation: str) -> str:
    return f"""
kgr:{name} a kg:Claim ;
    kg:claimant kgr:{source} ; kg:stance kgv:asserts ;
    kg:supports {statements} ;
    kg:hasEvidence [ a kg:Evidence ; oa:hasSource kgr:{source} ; kg:citation "{citation}" ] .
"""


def day(name: str, iso: str) -> str:
    return (f'kgr:{name} a kg:Date ; kg:precision kgv:day ; kg:earliest "{iso}"^^xsd:date ; '
            f'kg:latest "{iso}"^^xsd:date .\n')


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    """A copy of the repository's inputs, to which a test adds data/test-added.ttl."""
    for folder in ("ontology", "data", "rules", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    return Project(tmp_path)


def add(project: Project, turtle: str) -> BuildReport:
    (project.root / "data" / "test-added.ttl").write_text(turtle, encoding="utf-8")
    return build(project)


def rows(project: Project, name: str, **params: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()}
            for row in query(name, root=project.root, **params)]


def test_a_day_from_a_second_source_stands_beside_the_article_s_year(project: Project) -> None:
    report = add(project, YEARBOOK + day("date-2000-07-19", "2000-07-19") + claim(
        "claim-yearbook-trip-2000", "src-example-yearbook",
        "[ rdf:subject kgr:trip-2000-putin-north-korea ; rdf:predicate kg:start ;"
        " rdf:object kgr:date-2000-07-19 ]",
        "Putin arrives in Pyongyang on 19 July 2000."))
    assert report.ok, report.format()
    starts = {(r["value"], r["best"], r["claim"]) for r in rows(
        project, "provenance", node="kgr:trip-2000-putin-north-korea")
        if r["property"] == "kg:start"}
    assert starts == {
        ("2000-07-19", "yes", "kgr:claim-yearbook-trip-2000"),
        ("2000-01-01", "no", "kgr:claim-article-first-visit-since-2000")}
    # Nothing the article says was overwritten: its statements are the reviewed ones.
    assert "kgr:claim-article-first-visit-since-2000" in {
        r["claim"] for r in rows(project, "source-statements",
                                 source="kgr:article-20minutes-2024-06")}
    assert rows(project, "contested-facts")[0]["issue"].startswith("weak")


def test_a_value_that_cannot_hold_with_another_source_s_is_contested(project: Project) -> None:
    report = add(project, YEARBOOK + day("date-1962-03-01", "1962-03-01") + claim(
        "claim-yearbook-signing-1962", "src-example-yearbook",
        "[ rdf:subject kgr:signing-1961-07-06 ; rdf:predicate kg:start ;"
        " rdf:object kgr:date-1962-03-01 ]",
        "The treaty was signed on 1 March 1962."))
    assert report.ok, report.format()
    contested = [(r["node"], r["issue"], r["value"], r["claim"])
                 for r in rows(project, "contested-facts") if r["issue"].startswith("contra")]
    # Another day than UNTS's and another year than the article's, and after the signing's end.
    assert set(contested) == {
        ("kgr:signing-1961-07-06", "contradiction: ends before it starts",
         "1962-03-01", "kgr:claim-yearbook-signing-1962"),
        ("kgr:signing-1961-07-06", "contradiction: ends before it starts",
         "1961-07-06", "kgr:claim-unts-1961-signed"),
        ("kgr:signing-1961-07-06", "contradiction: ends before it starts",
         "1961-01-01", "kgr:claim-article-treaty-1961"),
        ("kgr:signing-1961-07-06", "contradiction: dates that cannot both be true",
         "1962-03-01", "kgr:claim-yearbook-signing-1962"),
        ("kgr:signing-1961-07-06", "contradiction: dates that cannot both be true",
         "1961-07-06", "kgr:claim-unts-1961-signed"),
        ("kgr:signing-1961-07-06", "contradiction: dates that cannot both be true",
         "1961-01-01", "kgr:claim-article-treaty-1961"),
    }


def test_an_obligation_the_2000_treaty_is_said_to_lack_is_contested(project: Project) -> None:
    report = add(project, YEARBOOK + PREFIXES + """
kgr:treaty-2000-obligation-defence a kg:Obligation ;
    rdfs:label "Defence obligation of the 2000 treaty (fictional)"@en ,
        "Obligation de défense du traité de 2000 (fictive)"@fr .
""" + claim("claim-yearbook-2000-defence", "src-example-yearbook",
            "[ rdf:subject kgr:treaty-2000-russia-dprk ; rdf:predicate kg:obligation ;"
            " rdf:object kgr:treaty-2000-obligation-defence ] , "
            "[ rdf:subject kgr:treaty-2000-obligation-defence ; rdf:predicate kg:obligationType ;"
            " rdf:object kgv:defence ]",
            "Article 1 binds each party to assist the other if attacked."))
    assert report.ok, report.format()
    contested = {(r["issue"], r["claim"]) for r in rows(project, "contested-facts")
                 if r["node"] == "kgr:treaty-2000-russia-dprk"}
    assert contested == {
        ("contradiction: stated both present and absent", "kgr:claim-yearbook-2000-defence"),
        ("contradiction: stated both present and absent",
         "kgr:claim-jamestown-2000-no-military-assistance")}


def test_a_stated_absence_against_a_stated_presence_is_contested(project: Project) -> None:
    # The article says « les deux pays ont même signé un traité »: North Korea signed.
    report = add(project, YEARBOOK + claim(
        "claim-yearbook-1961-not-signed", "src-example-yearbook",
        "[ rdf:subject kgr:treaty-1961-ussr-dprk ; rdf:predicate kg:notSignedBy ;"
        " rdf:object kgr:north-korea ]",
        "North Korea did not sign the 1961 treaty."))
    assert report.ok, report.format()
    contested = {(r["property"], r["value"], r["claim"]) for r in rows(project, "contested-facts")
                 if r["issue"] == "contradiction: stated both present and absent"}
    assert contested == {
        ("kg:signedBy", "kgr:north-korea", "kgr:claim-article-treaty-1961"),
        ("kg:notSignedBy", "kgr:north-korea", "kgr:claim-yearbook-1961-not-signed")}


def test_no_value_at_all_against_a_value_is_contested(project: Project) -> None:
    # Jean-Sylvestre Mongrenier dates the Korean War 1950-1953: it has an end.
    report = add(project, YEARBOOK + claim(
        "claim-yearbook-korean-war-never-ended", "src-example-yearbook",
        "[ rdf:subject kgr:korean-war ; rdf:predicate kg:noValueFor ; rdf:object kg:end ]",
        "The Korean War has never ended."))
    assert report.ok, report.format()
    contested = {(r["node"], r["property"], r["value"], r["claim"])
                 for r in rows(project, "contested-facts") if r["issue"].startswith("contra")}
    assert contested == {
        ("kgr:korean-war", "kg:end", "1953-01-01", "kgr:claim-mongrenier-stocks-since-korean-war"),
        ("kgr:korean-war", "kg:noValueFor", "kg:end", "kgr:claim-yearbook-korean-war-never-ended")}


def test_a_contradiction_inside_one_source_fails_the_build(project: Project) -> None:
    report = add(project, PREFIXES + day("date-1963-01-01", "1963-01-01") + claim(
        "claim-article-other-signing", "article-20minutes-2024-06",
        "[ rdf:subject kgr:signing-1961-07-06 ; rdf:predicate kg:start ;"
        " rdf:object kgr:date-1963-01-01 ]",
        "A citation of the article, for the test."))
    assert not report.ok
    [failure] = report.checks
    assert failure.file == "queries/checks/contradiction-within-source-violation.rq"
    text = report.format()
    for expected in ("kgr:signing-1961-07-06", "kgr:article-20minutes-2024-06",
                     "<https://w3id.org/geokg/ontology#start> <https://w3id.org/geokg/id/date-1963-01-01>",
                     "<https://w3id.org/geokg/ontology#start> <https://w3id.org/geokg/id/date-1961>"):
        assert expected in text, text


def test_a_fact_no_claim_states_fails_the_build(project: Project) -> None:
    report = add(project, PREFIXES + "kgr:treaty-2024-russia-dprk kg:party kgr:china .\n")
    assert not report.ok
    [failure] = report.checks
    assert failure.file == "queries/checks/unsupported-statement-violation.rq"
    assert [(row.cells[:3], row.files) for row in failure.rows] == [
        (("kgr:treaty-2024-russia-dprk", "kg:party", "kgr:china"),
         ("data/test-added.ttl", "data/treaties.ttl"))]
