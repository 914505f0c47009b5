"""queries/time-relations.rq: Allen's relations between dated things, within their bounds, and
the days and years between their starts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

Ask = Callable[..., list[dict[str, str]]]


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
