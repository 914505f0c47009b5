"""queries/time-relations.rq: Allen's relations between dated things, within their bounds, and
the days and years between their starts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from graphs import steps_below
from rdflib import Graph
from rdflib.namespace import RDFS

Ask = Callable[..., list[dict[str, str]]]
QUERIES = Path(__file__).resolve().parent.parent / "queries"


def test_the_1961_treaty_is_before_the_2024_one_sixty_three_years_earlier(ask: Ask) -> None:
    [row] = ask("time-relations", x="kgr:treaty-1961-ussr-dprk", y="kgr:treaty-2024-russia-dprk")
    days = (date(2024, 12, 4) - date(1961, 7, 6)).days  # signing (no entry into force) to entry
    assert (row["relation"], row["possible"]) == ("time:intervalBefore", "")
    assert (row["minDays"], row["maxDays"], row["minYears"], row["maxYears"]) == (
        str(days), str(days), "63", "63")
    assert (row["xStart"], row["xEnd"], row["yStart"], row["yEnd"]) == (
        "1961-07-06 (day)", "1995-09-07 (day)", "2024-12-04 (day)", "")
    assert row["note"] == "x starts at its signing; y has no end stated"


def test_a_year_against_a_day_gives_a_range_of_days(ask: Ask) -> None:
    # « pour la première fois depuis 2000 »: the 2000 trip is dated to the year only.
    [row] = ask("time-relations", x="kgr:trip-2000-putin-north-korea",
                y="kgr:visit-2024-06-putin-north-korea")
    assert row["relation"] == "time:intervalBefore"
    assert (row["minDays"], row["maxDays"]) == (
        str((date(2024, 6, 18) - date(2000, 12, 31)).days),
        str((date(2024, 6, 18) - date(2000, 1, 1)).days))
    assert (row["minYears"], row["maxYears"]) == ("23", "24")


def test_a_treaty_superseded_the_day_its_successor_enters_into_force_meets_it(ask: Ask) -> None:
    [row] = ask("time-relations", x="kgr:treaty-2000-russia-dprk", y="kgr:treaty-2024-russia-dprk")
    assert row["relation"] == "time:intervalMeets"
    [back] = ask("time-relations", x="kgr:treaty-2024-russia-dprk", y="kgr:treaty-2000-russia-dprk")
    assert back["relation"] == "time:intervalMetBy"
    assert int(back["minDays"]) < 0  # y begins first


def test_around_one_phase_with_what_the_bounds_leave_open(ask: Ask) -> None:
    rows = {r["y"]: r for r in ask("time-relations", x="kgr:phase-degradation-1980s")}
    # From the 1980s to the 2000s: the 1961 treaty ended in 1995, inside it.
    assert rows["kgr:treaty-1961-ussr-dprk"]["relation"] == "time:intervalOverlappedBy"
    assert rows["kgr:note-1996-09-russia-1961-treaty"]["relation"] == "time:intervalContains"
    assert rows["kgr:phase-acceleration-since-2014"]["relation"] == "time:intervalBefore"
    # The degradation ends in the 2000s, the decade the revival and the 2000 trip begin in:
    # either order is possible, so no relation is given, and the bounds say why.
    for other in ("kgr:phase-revival-2000s", "kgr:trip-2000-putin-north-korea",
                  "kgr:treaty-2000-russia-dprk"):
        assert (rows[other]["relation"], rows[other]["possible"]) == (
            "undetermined", "before; overlapping"), other
    revival = rows["kgr:phase-revival-2000s"]
    assert (revival["xEnd"], revival["yStart"]) == ("2000s (decade)", "2000s (decade)")
    # « longtemps » has no bounds: anything is possible, and no duration is given.
    support = rows["kgr:phase-support"]
    assert (support["relation"], support["possible"], support["minDays"]) == (
        "undetermined", "before; overlapping; after", "")
    # Things no source dates are not compared.
    assert "kgr:phase-distancing-gorbachev" not in rows
    assert "kgr:alliance-russia-north-korea" not in rows


def test_two_things_in_either_order_give_inverse_relations(ask: Ask) -> None:
    inverse = {"time:intervalBefore": "time:intervalAfter",
               "time:intervalOverlaps": "time:intervalOverlappedBy",
               "time:intervalContains": "time:intervalDuring",
               "time:intervalMeets": "time:intervalMetBy",
               "undetermined": "undetermined"}
    inverse |= {v: k for k, v in inverse.items()}
    for row in ask("time-relations", x="kgr:phase-degradation-1980s"):
        [back] = ask("time-relations", x=row["y"], y="kgr:phase-degradation-1980s")
        assert back["relation"] == inverse[row["relation"]], row["y"]
        if row["minDays"]:
            assert (back["minDays"], back["maxDays"]) == (
                str(-int(row["maxDays"])), str(-int(row["minDays"])))


# The relation is read from a table in the query, one letter per combination of the four
# comparisons of ends (Virtuoso 7 cannot compile the chain of IFs it replaces): the table must be
# Allen's relations as that chain gives them, combination by combination.
_LETTERS = re.compile(r'BIND \(SUBSTR\(CONCAT\(((?:\s*"[a-n]+",?)+)\)')
_NAMES = re.compile(r'REPLACE\(SUBSTR\(CONCAT\(((?:\s*"[A-Za-z ]+",?)+)\)')
BEFORE, AFTER, SAME, OPEN = range(4)  # the query's codes: x's end before, after, the same day


def allen(ss: int, se: int, es: int, ee: int) -> str:
    """The relation of x to y from its comparisons of ends: start-start, start-end, end-start,
    end-end (Allen 1983, as OWL-Time names them); undetermined when the bounds leave it open."""
    if es == BEFORE:
        return "Before"
    if se == AFTER:
        return "After"
    if es == SAME and ss == BEFORE:
        return "Meets"
    if se == SAME and ss == AFTER:
        return "MetBy"
    if OPEN in (ss, se, es, ee):
        return "undetermined"
    if ss == SAME:
        return "Equals" if ee == SAME else "Starts" if ee == BEFORE else "StartedBy"
    if ee == SAME:
        return "Finishes" if ss == AFTER else "FinishedBy"
    if ss == AFTER and ee == BEFORE:
        return "During"
    if ss == BEFORE and ee == AFTER:
        return "Contains"
    return "Overlaps" if ss == BEFORE else "OverlappedBy"


def test_the_query_s_table_of_relations_is_allen_s() -> None:
    text = (QUERIES / "time-relations.rq").read_text(encoding="utf-8")
    letters_found, names_found = _LETTERS.search(text), _NAMES.search(text)
    assert letters_found and names_found, "the query's table of relations is not where it was"
    letters = "".join(re.findall(r'"([a-n]+)"', letters_found.group(1)))
    names_text = "".join(re.findall(r'"([^"]+)"', names_found.group(1)))
    names = [names_text[i:i + 12].strip() for i in range(0, len(names_text), 12)]
    assert len(letters) == 256 and len(names) == 14
    for code, letter in enumerate(letters):
        ss, se, es, ee = code // 64, code // 16 % 4, code // 4 % 4, code % 4
        assert names["abcdefghijklmn".index(letter)] == allen(ss, se, es, ee), (ss, se, es, ee)


def test_the_role_and_event_paths_reach_every_property_and_class_the_ontology_has_below() -> None:
    """The query tests a role, and whether a thing is an event, by paths of fixed length
    (Virtuoso 7 answers `rdfs:subPropertyOf*` and `rdfs:subClassOf*` wrongly there,
    docs/REMOTE.md): two steps at most. A deeper role or event class in ontology/ makes this
    fail: add a step to the paths."""
    text = (QUERIES / "time-relations.rq").read_text(encoding="utf-8")
    roles = re.findall(r"\(rdfs:subPropertyOf \| rdfs:subPropertyOf/rdfs:subPropertyOf\)\s+"
                       r"kg:participant", text)
    events = re.findall(r"\(rdf:type \| rdf:type/rdfs:subClassOf\s+"
                        r"\| rdf:type/rdfs:subClassOf/rdfs:subClassOf\) kg:Event", text)
    assert (len(roles), len(events)) == (2, 4)
    ontology = Graph().parse(QUERIES.parent / "ontology" / "geokg.ttl")
    for top, step in (("participant", RDFS.subPropertyOf), ("Event", RDFS.subClassOf)):
        too_deep = {name: n for name, n in steps_below(ontology, top, step).items() if n > 2}
        assert not too_deep, f"kg:{top}: {too_deep} deeper than the query's 2 steps"
