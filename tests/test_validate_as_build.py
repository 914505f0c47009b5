"""One definition of valid: `kg validate FILE` runs every check `kg build` validates with (SHACL,
evidence, the queries/checks/*-violation.rq checks, the checked reference data), reports what
concerns FILE, and names the file in each row; a file that one rejects, the other rejects too.
A Wikidata link to an identifier off the checked list (data/reference/) fails the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import shape_harness as harness
from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.cli import main

pytestmark = pytest.mark.slow  # runs kg validate and kg build on the whole repository

ROOT = Path(__file__).resolve().parent.parent
HEADER = """@prefix kg: <https://w3id.org/geokg/ontology#> .
@prefix kgr: <https://w3id.org/geokg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix wd: <http://www.wikidata.org/entity/> .
"""
STATE = 'kgr:atlantis a kg:State ; rdfs:label "Atlantis"@en, "Atlantide"@fr .\n'


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's ontology, data, rules and queries (no build)."""
    root = tmp_path_factory.mktemp("validate") / "repo"
    for name in ("ontology", "data", "rules", "queries"):
        shutil.copytree(ROOT / name, root / name)
    return root


def validate(project: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str]:
    path = project / "contrib.ttl"
    path.write_text(HEADER + text, encoding="utf-8")
    code = main(["--root", str(project), "validate", str(path)])
    out, err = capsys.readouterr()
    return code, out + err


def build_with(project: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str]:
    path = project / "data" / "zz-contrib.ttl"
    path.write_text(HEADER + text, encoding="utf-8")
    try:
        code = main(["--root", str(project), "build", "--force"])
    finally:
        path.unlink()
    out, err = capsys.readouterr()
    return code, out + err

# A claim of the article that attributes an attitude (docs/EDITORS.md, "Stances and attitudes").
ATTITUDE = """@prefix kgv: <https://w3id.org/geokg/vocab/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kgr:claim-contrib-west-fears a kg:Claim ;
    kg:claimant kgr:article-20minutes-2024-06 ; kg:stance kgv:asserts ;
    kg:attitude kgv:fears ; kg:attitudeHolder kgr:the-west ;
    kg:hasEvidence [ a kg:Evidence ; oa:hasSource kgr:article-20minutes-2024-06 ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "redoutée par les Occidentaux" ;
                oa:prefix "t mercredi.\\n  • Cette alliance, " ;
                oa:suffix ", s’inscrit dans l’histoire des" ] ,
            [ a oa:TextPositionSelector ; oa:start "550"^^xsd:nonNegativeInteger ;
                oa:end "578"^^xsd:nonNegativeInteger ] ] .
"""

# A second claim of the article that Kim Jong-un fills the office of leader of North Korea
# (docs/EDITORS.md, "Offices over time").
OFFICE = """@prefix kgv: <https://w3id.org/geokg/vocab/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kgr:claim-contrib-kim-leader a kg:Claim ;
    kg:claimant kgr:article-20minutes-2024-06 ; kg:stance kgv:asserts ;
    kg:supports [ rdf:subject kgr:position-kim-leader-north-korea ; rdf:predicate kg:office ;
                  rdf:object kgr:office-leader-north-korea ] ;
    kg:hasEvidence [ a kg:Evidence ; oa:hasSource kgr:article-20minutes-2024-06 ;
        oa:hasSelector [ a oa:TextQuoteSelector ;
                oa:exact "le dirigeant nord-coréen Kim Jong-un a estimé la semaine dernière" ;
                oa:prefix "nie\u00A0» occidentale. De son côté, " ;
                oa:suffix " que les deux pays étaient liés " ] ,
            [ a oa:TextPositionSelector ; oa:start "2720"^^xsd:nonNegativeInteger ;
                oa:end "2785"^^xsd:nonNegativeInteger ] ] .
"""
# The same claim made to give the presidency of Russia a second holder on the day the article
# says Vladimir Putin holds it.
SECOND_PRESIDENT = OFFICE.replace(
    "kgr:position-kim-leader-north-korea ; rdf:predicate kg:office ;\n"
    "                  rdf:object kgr:office-leader-north-korea ] ;",
    """kgr:position-contrib-kim-president ; rdf:predicate kg:office ;
                  rdf:object kgr:office-head-of-state-russia ] ,
        [ rdf:subject kgr:position-contrib-kim-president ; rdf:predicate kg:holder ;
          rdf:object kgr:kim-jong-un ] ,
        [ rdf:subject kgr:position-contrib-kim-president ; rdf:predicate kg:role ;
          rdf:object kgv:head-of-state ] ,
        [ rdf:subject kgr:position-contrib-kim-president ; rdf:predicate kg:roleWithin ;
          rdf:object kgr:russia ] ,
        [ rdf:subject kgr:position-contrib-kim-president ; rdf:predicate kg:ongoingAsOf ;
          rdf:object kgr:date-2024-06-19-edit ] ;""") + """
kgr:position-contrib-kim-president a kg:PositionHeld ;
    rdfs:label "Kim Jong-un, president of Russia"@en , "Kim Jong-un, président de la Russie"@fr .
"""

# (what the contribution does wrong, its Turtle, the check that must name it)
REJECTED = [
    ("an undeclared class", "kgr:x a kg:Stat ; rdfs:label \"X\"@en, \"X\"@fr .\n",
     "queries/checks/undeclared-kg-term-violation.rq"),
    ("an undeclared property", STATE.replace(" .\n", " ; kg:capitalCity kgr:nowhere .\n"),
     "queries/checks/undeclared-kg-term-violation.rq"),
    ("a hand-written derived edge", STATE + "kgr:atlantis kg:suppliesArmsTo kgr:russia .\n",
     "queries/checks/derived-edge-without-record-violation.rq"),
    ("an untyped resource", 'kgr:something rdfs:label "Something"@en, "Quelque chose"@fr .\n',
     "queries/checks/untyped-resource-violation.rq"),
    ("a claim that revises itself",
     ATTITUDE + "kgr:claim-contrib-west-fears kg:revises kgr:claim-contrib-west-fears .\n",
     "queries/checks/claim-date-order-violation.rq"),
]


@pytest.mark.parametrize(("fault", "text", "check"), REJECTED, ids=[r[0] for r in REJECTED])
def test_validate_rejects_what_the_build_rejects(project: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 fault: str, text: str, check: str) -> None:
    code, output = validate(project, capsys, text)
    assert code == 1, output
    assert "ok:" not in output
    assert f"Checks\n{check}: " in output
    assert "\n  contrib.ttl: " in output  # the row names the file
    code, output = build_with(project, capsys, text)
    assert code == 1 and f"{check}: " in output
    assert "\n  data/zz-contrib.ttl: " in output


def test_a_valid_contribution_passes_both(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert validate(project, capsys, STATE) == (0, "ok: 1 file(s) valid\n")
    code, output = build_with(project, capsys, STATE)
    assert code == 0, output



def test_an_attitude_and_a_revision_are_judged_alike(project: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert validate(project, capsys, ATTITUDE) == (0, "ok: 1 file(s) valid\n")
    code, output = build_with(project, capsys, ATTITUDE)
    assert code == 0, output
    # the holder missing: refused by both, with the shape's message
    text = ATTITUDE.replace(" kg:attitudeHolder kgr:the-west ;", "")
    for code, output in (validate(project, capsys, text), build_with(project, capsys, text)):
        assert code == 1 and "exactly one kg:attitudeHolder" in output, output


def test_an_office_and_two_holders_at_once_are_judged_alike(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate(project, capsys, OFFICE) == (0, "ok: 1 file(s) valid\n")
    code, output = build_with(project, capsys, OFFICE)
    assert code == 0, output
    assert "position-contrib-kim-president" in SECOND_PRESIDENT
    for code, output in (validate(project, capsys, SECOND_PRESIDENT),
                         build_with(project, capsys, SECOND_PRESIDENT)):
        assert code == 1 and "gives it two holders at once" in output, output
        assert "position-contrib-kim-president" in output, output


def stating(statements: str, node: str) -> str:
    """The contribution ATTITUDE with its claim making `statements` (Turtle) instead of its
    attitude, and `node`, the description of what they are about."""
    return ATTITUDE.replace(
        "kg:attitude kgv:fears ; kg:attitudeHolder kgr:the-west ;", statements,
    ).replace("@prefix kgv:", "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
              "@prefix kgv:") + node


# A phase a contributor places after the article's long support (docs/EDITORS.md, "Order
# without dates"). kg validate reports what concerns the file by the nodes it states, so the
# phase is the contribution's own.
FOLLOWS = stating(
    "kg:supports [ rdf:subject kgr:phase-contrib ; rdf:predicate kg:follows ;\n"
    "        rdf:object kgr:phase-support ] ,\n"
    "    [ rdf:subject kgr:phase-contrib ; rdf:predicate kg:partner ; rdf:object kgr:russia ] ,\n"
    "    [ rdf:subject kgr:phase-contrib ; rdf:predicate kg:partner ;\n"
    "        rdf:object kgr:north-korea ] ,\n"
    "    [ rdf:subject kgr:phase-contrib ; rdf:predicate kg:trend ; rdf:object kgv:distancing ] ;",
    'kgr:phase-contrib a kg:RelationPhase ; rdfs:label "A phase"@en , "Une phase"@fr .\n')


def test_an_order_without_dates_is_judged_alike(project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert validate(project, capsys, FOLLOWS) == (0, "ok: 1 file(s) valid\n")
    code, output = build_with(project, capsys, FOLLOWS)
    assert code == 0, output
    # the support said to follow the phase as well: a cycle, refused by both
    cycle = FOLLOWS + ("kgr:claim-contrib-west-fears kg:supports [\n"
                       "    rdf:subject kgr:phase-support ; rdf:predicate kg:follows ;\n"
                       "    rdf:object kgr:phase-contrib ] .\n")
    for code, output in (validate(project, capsys, cycle), build_with(project, capsys, cycle)):
        assert code == 1 and "which follows it back through kg:follows" in output, output
    # the phase dated to the 1980s and placed after the acceleration of 2014: refused by both
    early = FOLLOWS.replace("rdf:object kgr:phase-support ] ,", (
        "rdf:object kgr:phase-acceleration-since-2014 ] ,\n"
        "    [ rdf:subject kgr:phase-contrib ; rdf:predicate kg:start ;\n"
        "        rdf:object kgr:date-1980s ] ,"))
    for code, output in (validate(project, capsys, early), build_with(project, capsys, early)):
        assert code == 1 and "queries/checks/follows-date-order-violation.rq" in output, output


# A made-up visit of Vladimir Putin to North Korea (docs/EDITORS.md, "First since"), its
# statements made by the contribution's claim so that kg validate reports it as the file's own.
VISIT = stating(
    "kg:supports [ rdf:subject kgr:visit-contrib ; rdf:predicate kg:visitor ;\n"
    "        rdf:object kgr:vladimir-putin ] ,\n"
    "    [ rdf:subject kgr:visit-contrib ; rdf:predicate kg:host ; rdf:object kgr:north-korea ] ,\n"
    "    [ rdf:subject kgr:visit-contrib ; rdf:predicate kg:place ; rdf:object kgr:pyongyang ] ,\n"
    "    [ rdf:subject kgr:visit-contrib ; rdf:predicate kg:start ;\n"
    "        rdf:object kgr:date-2024-06-19 ] ;",
    'kgr:visit-contrib a kg:StateVisit ; rdfs:label "A visit"@en , "Une visite"@fr .\n')


def test_a_first_since_is_judged_alike(project: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert validate(project, capsys, VISIT) == (0, "ok: 1 file(s) valid\n")
    code, output = build_with(project, capsys, VISIT)
    assert code == 0, output
    # the visit, dated 2014, said to be the first since the article's visit of 2024, which
    # begins ten years after it: refused by both
    reversed_order = VISIT.replace("kgr:date-2024-06-19 ] ;", "kgr:date-2014 ] ;") + (
        "kgr:claim-contrib-west-fears kg:supports [\n"
        "    rdf:subject kgr:visit-contrib ;\n"
        "    rdf:predicate kg:firstSince ; rdf:object kgr:visit-2024-06-putin-north-korea ] .\n")
    for code, output in (validate(project, capsys, reversed_order),
                         build_with(project, capsys, reversed_order)):
        assert code == 1 and "but begins before that event began" in output, output
    # the visit dated 2014, between the trip of 2000 and the visit of 2024 that the article calls
    # the first since that trip: refused by both
    between = VISIT.replace("kgr:date-2024-06-19 ] ;", "kgr:date-2014 ] ;")
    for code, output in (validate(project, capsys, between), build_with(project, capsys, between)):
        assert code == 1 and "queries/checks/first-since-gap-violation.rq" in output, output
        assert "focus=kgr:visit-contrib" in output, output


def test_rows_about_other_files_are_not_reported(project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    broken = project / "data" / "zz-broken.ttl"
    broken.write_text(HEADER + 'kgr:orphan rdfs:label "Orphan"@en, "Orphelin"@fr .\n',
                      encoding="utf-8")
    try:
        assert validate(project, capsys, STATE) == (0, "ok: 1 file(s) valid\n")
    finally:
        broken.unlink()


@pytest.mark.parametrize(("link", "message"), [
    ("wd:Q999999999", "kg:wikidata wd:Q999999999 is not on the checked list "
                      "data/reference/wikidata-qids.tsv: check the identifier against more than "
                      "one public listing and add it there first, or leave the entity unlinked"),
    ("wd:Q30", 'kg:wikidata wd:Q30 is listed in data/reference/wikidata-qids.tsv for "United '
               'States"@en / "États-Unis"@fr, but this node has "Atlantide"@fr, "Atlantis"@en: a '
               "wrong identifier, or labels that differ from the list"),
])
def test_a_wikidata_link_must_be_on_the_checked_list(project: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     link: str, message: str) -> None:
    text = STATE.replace(" .\n", f" ; kg:wikidata {link} .\n")
    code, output = build_with(project, capsys, text)
    assert code == 1
    assert f"Reference data\ndata/zz-contrib.ttl\n  kgr:atlantis: {message}\n" in output
    code, output = validate(project, capsys, text)
    assert code == 1 and f"Reference data\ncontrib.ttl\n  kgr:atlantis: {message}\n" in output


def test_the_repository_links_only_listed_identifiers(project: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, output = build_with(project, capsys, "")
    assert code == 0 and "Reference data" not in output


def test_without_a_checked_list_no_link_is_accepted(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "tests" / "fixtures" / "core" / "repo", root)
    (root / "data" / "linked.ttl").write_text(
        HEADER + "kgr:borduria kg:wikidata wd:Q159 .\n", encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 1
    assert ("kg:wikidata wd:Q159: the project has no checked list "
            "(data/reference/wikidata-qids.tsv)") in capsys.readouterr().out


# --- the shape and check fixtures that can stand beside the project's data -----------------------
# A fixture of tests/fixtures/shapes/ that describes none of the project's nodes (a fictional
# world) is added to the project as a contributor would add it: `kg validate` and `kg build` must
# both accept a valid one, and both reject an invalid one with every message it announces.

FIXTURE_TEXTS = harness.FIXTURES / "sources"


def project_subjects() -> set[Node]:
    graph = Graph()
    for path in sorted((ROOT / "data").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return {s for s in graph.subjects() if isinstance(s, URIRef)}


def standalone_fixtures() -> list[Path]:
    taken = project_subjects()
    found = []
    for kind in ("valid", "invalid", "checks"):
        for path in harness.fixtures(kind):
            graph = harness.fixture_graph(path)
            if not {s for s in graph.subjects() if isinstance(s, URIRef)} & taken:
                found.append(path)
    return found


STANDALONE = standalone_fixtures()


@pytest.fixture(scope="module")
def fixture_project(project: Path) -> Path:
    """The project copy, with the stored texts the fixtures quote."""
    for text in FIXTURE_TEXTS.glob("*.txt"):
        shutil.copy(text, project / "data" / "sources" / text.name)
    return project


def test_the_new_capabilities_have_standalone_fixtures() -> None:
    names = {f"{p.parent.name}/{p.stem}" for p in STANDALONE}
    assert {"valid/agreements", "valid/international-law", "valid/names",
            "invalid/names", "checks/mention-outside-quote", "valid/visits",
            "invalid/first-since", "checks/first-since-gap",
            "checks/first-since-gap--participants"} <= names


@pytest.mark.parametrize("path", STANDALONE, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_validate_and_build_agree_on_the_fixture(fixture_project: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 path: Path) -> None:
    turtle = harness.fixture_graph(path).serialize(format="turtle")
    texts = [expect[-1] for expect in harness.read_fixture(path).expects]
    for run in (validate, build_with):
        code, output = run(fixture_project, capsys, turtle)
        if path.parent.name == "valid":
            assert code == 0, output
        else:
            assert code == 1, output
            # A check's row prints its message as a quoted string (\" inside).
            missing = [text for text in texts
                       if text not in output and text.replace('"', '\\"') not in output]
            assert not missing, f"{run.__name__} does not report {missing}:\n{output}"
