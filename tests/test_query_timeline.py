"""queries/timeline.rq: the dated points of a bilateral relationship, in date order."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from graphs import steps_below
from rdflib import Graph

Ask = Callable[..., list[dict[str, str]]]
AskFixture = Callable[..., list[dict[str, str]]]
TIME = Path(__file__).parent / "fixtures" / "shapes" / "valid" / "time.ttl"
VISITS = Path(__file__).parent / "fixtures" / "shapes" / "valid" / "visits.ttl"
ROOT = Path(__file__).parent.parent

RUSSIA_NORTH_KOREA = [
    ("1961-07-06 (day)", "event", "kgr:signing-1961-07-06"),
    ("1980s (decade)", "begins", "kgr:phase-degradation-1980s"),
    ("1995-09-07 (day)", "ends", "kgr:treaty-1961-ussr-dprk"),
    ("1996-09 (month)", "event", "kgr:note-1996-09-russia-1961-treaty"),
    ("2000s (decade)", "begins", "kgr:phase-revival-2000s"),
    ("2000s (decade)", "ends", "kgr:phase-degradation-1980s"),
    ("2000 (year)", "event", "kgr:trip-2000-putin-north-korea"),
    ("2000-02-09 (day)", "event", "kgr:signing-2000-02-09"),
    ("2014 (year)", "begins", "kgr:phase-acceleration-since-2014"),
    ("2014 (year)", "begins", "kgr:trade-russia-north-korea-raw-materials"),
    ("2024-06-10..2024-06-16 (week)", "statement", "kgr:claim-kim-brothers-in-arms"),
    ("2024-06-18 (day)", "event", "kgr:visit-2024-06-putin-north-korea"),
    ("2024-06-18..2024-06-19 (unknown)", "holds", "kgr:alliance-russia-north-korea"),
    ("2024-06-18 (day)", "holds", "kgr:phase-rapprochement-2024"),
    ("2024-06-18..2024-06-19 (unknown)", "holds", "kgr:phase-rapprochement-2024"),
    ("2024-06-18 (day)", "holds", "kgr:transfer-north-korea-russia-ballistic-missiles"),
    ("2024-06-18..2024-06-19 (unknown)", "holds", "kgr:transfer-north-korea-russia-munitions"),
    ("2024-06-18..2024-06-19 (unknown)", "holds",
     "kgr:transfer-russia-north-korea-space-ballistic-technology"),
    ("2024-06-18 (day)", "statement", "kgr:claim-putin-unwavering-support"),
    ("2024-06-19 (day)", "event", "kgr:signing-2024-06-19"),
    ("..2024-06-20 (unknown)", "event", "kgr:publication-2024-kcna-treaty-text"),
    ("2024-11-09 (day)", "event", "kgr:ratification-2024-11-09-russia"),
    ("2024-12-04 (day)", "begins", "kgr:treaty-2024-russia-dprk"),
    ("2024-12-04 (day)", "ends", "kgr:treaty-2000-russia-dprk"),
    ("2024-12-04 (day)", "event", "kgr:exchange-2024-12-04-instruments"),
    ("unknown", "begins", "kgr:phase-support"),
    ("", "undated", "kgr:partnership-2024-russia-north-korea"),
    ("", "undated", "kgr:transfer-china-russia-via-north-korea"),
    ("", "undated", "kgr:phase-distancing-gorbachev"),
]


def points(rows: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(r["date"], r["what"], r["item"]) for r in rows]


def test_russia_north_korea_in_date_order_undated_last(ask: Ask) -> None:
    """Treaties begin at their entry into force, or show their signing when no source gives it;
    a relation no source dates the start of shows each date a source says it still held; one no
    source dates at all comes last."""
    assert points(ask("timeline")) == RUSSIA_NORTH_KOREA


def test_the_two_states_in_either_order_give_the_same_timeline(ask: Ask) -> None:
    assert points(ask("timeline", a="kgr:north-korea", b="kgr:russia")) == RUSSIA_NORTH_KOREA


def test_wording_and_kind_are_shown(ask: Ask) -> None:
    rows = {(r["what"], r["item"]): r for r in ask("timeline")}
    revival = rows[("begins", "kgr:phase-revival-2000s")]
    assert (revival["kind"], revival["wording"], revival["label"]) == (
        "kg:RelationPhase", "dans les années\u00a02000", "Timid revival in the 2000s")
    assert rows[("begins", "kgr:phase-support")]["wording"] == "longtemps"
    assert rows[("event", "kgr:visit-2024-06-putin-north-korea")]["wording"] == "mardi"


def test_statements_are_those_of_the_two_sides_only(ask: Ask) -> None:
    statements = {(r["item"], r["by"]) for r in ask("timeline") if r["what"] == "statement"}
    # Putin's praise of North Korea's support states something of the invasion (Russia and
    # Ukraine), not of a relation between Russia and North Korea; the Kremlin is not recorded as
    # a part of the Russian state by any source.
    assert statements == {
        ("kgr:claim-kim-brothers-in-arms", "kgr:kim-jong-un"),
        ("kgr:claim-putin-unwavering-support", "kgr:vladimir-putin"),
    }


def test_another_pair_of_states(ask: Ask) -> None:
    # No source dates the war in Ukraine or the invasion (the article's « Dès 2014 » dates the
    # acceleration of the Russia–North Korea friendship, not the war).
    assert points(ask("timeline", b="kgr:ukraine")) == [
        ("2024-06-18 (day)", "statement", "kgr:claim-putin-firm-support-invasion"),
        ("", "undated", "kgr:invasion-of-ukraine"),
    ]
    assert ask("timeline", a="kgr:china", b="kgr:iran") == []


def test_roles_are_kg_participant_itself_and_its_subproperties_at_any_depth(ask: Ask) -> None:
    # The query reads the roles as kg:participant plus its subproperties through one or more
    # steps: the 2000 trip and the 2024 exchange name their actors with kg:participant itself,
    # the treaties with kg:party, the invasion with kg:invader and kg:invaded (under
    # kg:belligerent, itself under kg:participant).
    items = {r["item"] for r in ask("timeline")}
    assert {"kgr:trip-2000-putin-north-korea", "kgr:exchange-2024-12-04-instruments",
            "kgr:treaty-2024-russia-dprk"} <= items
    assert "kgr:invasion-of-ukraine" in {r["item"] for r in ask("timeline", b="kgr:ukraine")}


def test_statements_of_third_parties_about_the_same_relations_are_left_out(ask: Ask) -> None:
    # The alliance, the missile transfer and the 2024 partnership are in the timeline; claims
    # about them by John Kirby, Jean-Sylvestre Mongrenier, the article or the wire services are
    # not statements of either side, in whichever order the two states are given.
    for rows in (ask("timeline"), ask("timeline", a="kgr:north-korea", b="kgr:russia")):
        items = {r["item"] for r in rows}
        assert {"kgr:alliance-russia-north-korea",
                "kgr:transfer-north-korea-russia-ballistic-missiles",
                "kgr:partnership-2024-russia-north-korea"} <= items
        assert not items & {"kgr:claim-kirby-ballistic-missiles",
                            "kgr:claim-mongrenier-technology",
                            "kgr:claim-article-anti-western-friendship",
                            "kgr:claim-interfax-2024-signed"}
        assert {r["by"] for r in rows if r["what"] == "statement"} == {
            "kgr:kim-jong-un", "kgr:vladimir-putin"}


def test_an_undated_phase_sorts_after_what_it_follows_and_says_why(ask: Ask) -> None:
    # « Moscou a toutefois longtemps été un soutien de Pyongyang. … Sous la férule de Mikhaïl
    # Gorbatchev, l'URSS a toutefois pris ses distances »: neither is dated, so the distancing
    # sorts among the undated, after the support; the revival is dated, and follows the
    # degradation by its dates as well.
    rows = ask("timeline")
    items = [r["item"] for r in rows]
    assert items.index("kgr:phase-distancing-gorbachev") > items.index("kgr:phase-support")
    placed = {r["item"]: (r["placement"], r["placedBy"]) for r in rows if r["placement"]}
    assert placed == {"kgr:phase-distancing-gorbachev": ("after what it follows",
                                                          "kgr:phase-support")}


def test_undated_phases_take_their_place_from_what_they_follow(ask_fixture: AskFixture) -> None:
    # The yearbook dates the thaw (2031) and the crisis (2033); the cooling follows the thaw, the
    # tensions the cooling, and the crisis the rift: none of the three is dated.
    rows = ask_fixture(TIME, "timeline", a="kgr:borduria", b="kgr:syldavia")
    assert [(r["date"], r["what"], r["item"], r["placement"], r["placedBy"]) for r in rows] == [
        ("2031 (year)", "begins", "kgr:phase-borduria-syldavia-thaw", "", ""),
        ("", "undated", "kgr:phase-borduria-syldavia-cooling", "after what it follows",
         "kgr:phase-borduria-syldavia-thaw"),
        ("", "undated", "kgr:phase-borduria-syldavia-tensions", "after what it follows",
         "kgr:phase-borduria-syldavia-thaw"),
        ("", "undated", "kgr:phase-borduria-syldavia-rift", "before what follows it",
         "kgr:phase-borduria-syldavia-crisis"),
        ("2033 (year)", "begins", "kgr:phase-borduria-syldavia-crisis", "", ""),
    ]


def test_the_2024_visit_is_the_first_since_the_trip_of_2000(ask: Ask) -> None:
    # « Le président russe est en déplacement en Corée du Nord mardi et mercredi pour la première
    # fois depuis 2000 »: the visit's row names the trip of 2000, and no other row names anything.
    for rows in (ask("timeline"), ask("timeline", a="kgr:north-korea", b="kgr:russia")):
        first = [(r["date"], r["what"], r["item"], r["firstSince"]) for r in rows
                 if r["firstSince"]]
        assert first == [("2024-06-18 (day)", "event", "kgr:visit-2024-06-putin-north-korea",
                          "kgr:trip-2000-putin-north-korea")]


def test_a_first_since_names_the_earlier_event_on_its_row_only(ask_fixture: AskFixture) -> None:
    # The gazette: Colonel Sponsz's visit of May 2039 is his first to Syldavia since his trip of
    # 2031; King Ottokar's visit of 2035, received by Sponsz, is listed without one.
    rows = ask_fixture(VISITS, "timeline", a="kgr:borduria", b="kgr:syldavia")
    assert [(r["date"], r["item"], r["firstSince"]) for r in rows] == [
        ("2031 (year)", "kgr:trip-2031-sponsz-syldavia", ""),
        ("2035 (year)", "kgr:visit-2035-ottokar-borduria", ""),
        ("2039-05-10 (day)", "kgr:visit-2039-sponsz-syldavia", "kgr:trip-2031-sponsz-syldavia"),
    ]


# A class path of fixed length and the class it reaches: `(rdf:type | rdf:type/rdfs:subClassOf)
# kg:Relation`, or `(rdfs:subClassOf | …) ?eventClass FILTER (?eventClass = kg:Event)`.
CLASS_PATH = re.compile(r"\(((?:rdf:type|rdfs:subClassOf)[^()]*)\)\s+"
                        r"(?:\?\w+\s+FILTER \(\?\w+ = )?kg:(\w+)")


def test_the_class_paths_reach_every_class_the_ontology_has_below() -> None:
    """The query tests a relation's class, and whether a kind is an event, by paths of fixed
    length (Virtuoso 7 answers `rdfs:subClassOf*` wrongly there, docs/REMOTE.md): each reaches
    only so many steps down, and must reach every class the ontology puts below the class it
    tests. A deeper class in ontology/ makes this fail: add a step to the paths."""
    text = (ROOT / "queries" / "timeline.rq").read_text(encoding="utf-8")
    ontology = Graph().parse(ROOT / "ontology" / "geokg.ttl")
    reached: dict[str, int] = {}
    for path, top in CLASS_PATH.findall(text):
        counts = [step.count("rdfs:subClassOf") for step in path.split("|")]
        assert counts == list(range(counts[0], counts[-1] + 1)) and counts[0] <= 1, path
        reached[top] = min(reached.get(top, counts[-1]), counts[-1])
    assert set(reached) == {"Relation", "Event"}
    for top, deepest in reached.items():
        too_deep = {cls: n for cls, n in steps_below(ontology, top).items() if n > deepest}
        assert not too_deep, f"kg:{top}: {too_deep} deeper than the query's {deepest} steps"
