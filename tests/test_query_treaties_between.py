"""queries/treaties-between.rq: the treaties of two states and their status as of a date."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from kg.catalogue import find_query
from kg.params import bind
from kg.querying import select
from kg.results import display
from kg.store import StoreBackend, open_store, write_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "treaty-statuses.ttl"

Ask = Callable[..., list[dict[str, str]]]


def statuses(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    return [(r["treaty"], r["partyA"], r["status"], r["end"]) for r in rows]


def test_on_1990_01_01_the_1961_treaty_is_in_force_for_russia_through_continuity(ask: Ask) -> None:
    assert statuses(ask("treaties-between", asOf="1990-01-01")) == [
        ("kgr:treaty-1961-ussr-dprk", "kgr:soviet-union", "in force", "1995-09-07 (day)"),
        ("kgr:treaty-2000-russia-dprk", "kgr:russia", "not yet in force", "2024-12-04 (day)"),
        ("kgr:treaty-2024-russia-dprk", "kgr:russia", "not yet in force", ""),
    ]


def test_on_1996_01_01_the_1961_treaty_has_ended_with_the_claim_that_says_so(ask: Ask) -> None:
    # Gibler gives the end (7 September 1995) and, in another statement, a Russian note of
    # September 1996 on the non-renewal: not a second end.
    rows = [r for r in ask("treaties-between", asOf="1996-01-01")
            if r["treaty"] == "kgr:treaty-1961-ussr-dprk"]
    assert [(r["status"], r["end"], r["endClaim"]) for r in rows] == [
        ("ended", "1995-09-07 (day)", "kgr:claim-gibler-1961-end-1995")]


def test_on_2020_01_01_the_1961_treaty_has_ended_and_the_2000_treaty_is_in_force(ask: Ask) -> None:
    rows = ask("treaties-between", asOf="2020-01-01")
    assert statuses(rows) == [
        ("kgr:treaty-1961-ussr-dprk", "kgr:soviet-union", "ended", "1995-09-07 (day)"),
        ("kgr:treaty-2000-russia-dprk", "kgr:russia", "in force", "2024-12-04 (day)"),
        ("kgr:treaty-2024-russia-dprk", "kgr:russia", "not yet in force", ""),
    ]
    treaty_2000 = rows[1]
    assert treaty_2000["start"] == "2000-02-09 (day)"
    assert treaty_2000["note"] == "start = signature: the sources give no entry into force"


def test_the_2024_treaty_is_in_force_from_its_entry_into_force(ask: Ask) -> None:
    rows = {r["treaty"]: r for r in ask("treaties-between", asOf="2024-12-04")}
    treaty = rows["kgr:treaty-2024-russia-dprk"]
    assert (treaty["status"], treaty["start"], treaty["note"], treaty["signed"]) == (
        "in force", "2024-12-04 (day)", "start = entry into force", "2024-06-19 (day)")
    assert rows["kgr:treaty-2000-russia-dprk"]["status"] == "ended"  # superseded that day


def test_after_the_last_report_the_2024_treaty_is_only_in_force_as_of_that_report(
    ask: Ask,
) -> None:
    treaty = [r for r in ask("treaties-between", asOf="2030-01-01")
              if r["treaty"] == "kgr:treaty-2024-russia-dprk"][0]
    assert (treaty["status"], treaty["end"], treaty["lastReport"]) == (
        "in force as of last report", "", "2024-12-04 (day)")


def test_default_date_is_the_article_signed_but_not_in_force(ask: Ask) -> None:
    rows = {r["treaty"]: r for r in ask("treaties-between")}
    assert rows["kgr:treaty-2024-russia-dprk"]["status"] == "not yet in force"
    assert rows["kgr:treaty-2000-russia-dprk"]["status"] == "in force"


def test_obligations_and_signatories(ask: Ask) -> None:
    rows = {r["treaty"]: r for r in ask("treaties-between")}
    assert rows["kgr:treaty-1961-ussr-dprk"]["obligations"] == "defence (Article 1)"
    assert rows["kgr:treaty-1961-ussr-dprk"]["signatories"] == ""
    assert rows["kgr:treaty-2000-russia-dprk"]["obligations"] == (
        "defence: none, as a source states")
    treaty_2024 = rows["kgr:treaty-2024-russia-dprk"]
    assert set(treaty_2024["obligations"].split("; ")) == {
        "consultation (Article 3)", "defence (Article 4)"}
    assert set(treaty_2024["signatories"].split(", ")) == {"Vladimir Putin", "Kim Jong-un"}


def test_the_order_of_the_two_states_does_not_matter(ask: Ask) -> None:
    forward = ask("treaties-between", asOf="1996-01-01")
    backward = ask("treaties-between", a="kgr:north-korea", b="kgr:russia", asOf="1996-01-01")
    assert [(r["treaty"], r["status"]) for r in forward] == [
        (r["treaty"], r["status"]) for r in backward]
    assert backward[0]["partyB"] == "kgr:soviet-union"


def test_states_without_a_treaty_give_no_rows(ask: Ask) -> None:
    assert ask("treaties-between", a="kgr:china", b="kgr:iran") == []


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> StoreBackend:
    """Treaties whose end is unknown, whose dates are imprecise or whose ends sources give
    differently (none in the article)."""
    folder = tmp_path_factory.mktemp("statuses")
    Graph().parse(FIXTURE).serialize(folder / "statuses.nt", format="nt", encoding="utf-8")
    return open_store(write_store(folder / "statuses.nt", folder / "store"))


@pytest.mark.parametrize(("as_of", "expected"), [
    ("1999-01-01", {"kgr:treaty-end-unknown": "not yet in force",
                    "kgr:treaty-end-in-june": "not yet in force",
                    "kgr:treaty-start-in-2005": "not yet in force",
                    "kgr:treaty-ends-differ": "not yet in force"}),
    ("2005-06-01", {"kgr:treaty-end-unknown": "end unknown",
                    "kgr:treaty-end-in-june": "in force",
                    "kgr:treaty-start-in-2005": "uncertain",
                    "kgr:treaty-ends-differ": "in force"}),
    ("2010-06-15", {"kgr:treaty-end-unknown": "end unknown",
                    "kgr:treaty-end-in-june": "uncertain",
                    "kgr:treaty-start-in-2005": "end unknown",
                    "kgr:treaty-ends-differ": "contested"}),
    ("2010-07-01", {"kgr:treaty-end-unknown": "end unknown",
                    "kgr:treaty-end-in-june": "ended",
                    "kgr:treaty-start-in-2005": "end unknown",
                    "kgr:treaty-ends-differ": "contested"}),
    ("2012-01-01", {"kgr:treaty-end-unknown": "end unknown",
                    "kgr:treaty-end-in-june": "ended",
                    "kgr:treaty-start-in-2005": "end unknown",
                    "kgr:treaty-ends-differ": "ended"}),
])
def test_unknown_ends_and_imprecise_dates(synthetic: StoreBackend, as_of: str,
                                          expected: dict[str, str]) -> None:
    entry = find_query(ROOT, "treaties-between")
    given = {"a": "kgr:state-a", "b": "kgr:state-b", "asOf": as_of}
    result = select(synthetic, entry, bind(entry.params, given, entry.origin))
    columns, rows = display(result)
    found = {row[columns.index("treaty")]: row[columns.index("status")] for row in rows}
    assert found == expected


def test_ends_that_sources_give_differently_each_with_its_claim(synthetic: StoreBackend) -> None:
    entry = find_query(ROOT, "treaties-between")
    given = {"a": "kgr:state-a", "b": "kgr:state-b", "asOf": "2011-01-01"}
    columns, rows = display(select(synthetic, entry, bind(entry.params, given, entry.origin)))
    ends = [(row[columns.index("status")], row[columns.index("end")],
             row[columns.index("endClaim")]) for row in rows
            if row[columns.index("treaty")] == "kgr:treaty-ends-differ"]
    assert ends == [("contested", "2010-06 (month)", "kgr:claim-register"),
                    ("contested", "2012-01-01 (day)", "kgr:claim-yearbook")]
