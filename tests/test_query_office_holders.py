"""queries/office-holders.rq: who held an office, or the positions within a state, on a day or
over a span, with the claim behind each holder."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyoxigraph as ox

Ask = Callable[..., list[dict[str, str]]]
AskFixture = Callable[..., list[dict[str, str]]]
FIXTURE = Path(__file__).parent / "fixtures" / "shapes" / "valid" / "offices.ttl"
PRESIDENCY = "kgr:office-head-of-state-borduria"
ROOT = Path(__file__).resolve().parent.parent


def holders(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(r["holder"], r["status"]) for r in rows]


def test_putin_holds_the_presidency_of_russia_as_of_the_edit_with_the_article_quote(
    ask: Ask,
) -> None:
    rows = ask("office-holders", office="kgr:office-head-of-state-russia", asOf="2024-06-19")
    assert [(r["position"], r["holder"], r["status"], r["role"], r["state"]) for r in rows] == [
        ("kgr:position-putin-president-russia", "kgr:vladimir-putin", "held",
         "kgv:head-of-state", "kgr:russia")]
    row = rows[0]
    assert (row["start"], row["end"], row["firstReport"], row["lastReport"]) == (
        "", "", "2024-06-19 (day)", "2024-06-19 (day)")
    assert (row["claim"], row["claimant"], row["source"]) == (
        "kgr:claim-article-putin-president", "kgr:article-20minutes-2024-06",
        "kgr:article-20minutes-2024-06")
    assert row["quote"] == ("Le président russe Vladimir Poutine et le dirigeant nord-coréen "
                            "Kim Jong-un")


def test_the_day_after_the_edit_putin_is_president_only_as_of_that_report(ask: Ask) -> None:
    rows = ask("office-holders", office="kgr:office-head-of-state-russia", asOf="2024-06-20")
    assert holders(rows) == [("kgr:vladimir-putin", "held as of last report")]
    # no source says when he took office: before the report, his start is unknown
    rows = ask("office-holders", office="kgr:office-head-of-state-russia", asOf="2000-01-01")
    assert holders(rows) == [("kgr:vladimir-putin", "start unknown")]


def test_the_leaders_of_russia_count_those_of_the_ussr_gorbachev_undated(ask: Ask) -> None:
    rows = ask("office-holders", within="kgr:russia", **{"from": "1980-01-01", "to": "2024-12-31"})
    assert [(r["position"], r["filled"], r["state"], r["status"]) for r in rows] == [
        ("kgr:position-putin-president-russia", "kgr:office-head-of-state-russia", "kgr:russia",
         "held for part of the span"),
        ("kgr:position-gorbachev-leader-ussr", "kgr:office-leader-soviet-union",
         "kgr:soviet-union", "undated"),
    ]
    assert rows[1]["quote"].startswith("Sous la férule de Mikhaïl Gorbatchev, l’URSS")


def test_kim_leads_north_korea_known_from_the_edit_not_before(ask: Ask) -> None:
    rows = ask("office-holders", within="kgr:north-korea", asOf="2024-06-19",
               knownOn="2024-06-19")
    assert [(r["position"], r["filled"], r["status"]) for r in rows] == [
        ("kgr:position-kim-leader-north-korea", "kgr:office-leader-north-korea", "held")]
    assert ask("office-holders", within="kgr:north-korea", asOf="2024-06-19",
               knownOn="2024-06-18") == []


def test_the_former_kgb_post_ended_by_the_article_and_is_uncertain_before(ask: Ask) -> None:
    rows = ask("office-holders", within="kgr:kgb", asOf="2000-01-01")
    assert [(r["position"], r["status"], r["end"]) for r in rows] == [
        ("kgr:position-putin-kgb", "uncertain", "..2024-06-19 (unknown)")]
    assert rows[0]["quote"] == "l’ancien du KGB"
    assert ask("office-holders", within="kgr:kgb", asOf="2024-06-20") == []  # certainly over


def test_without_a_date_every_position_is_listed_without_status(ask: Ask) -> None:
    rows = ask("office-holders")
    assert {r["position"] for r in rows} == {
        "kgr:position-putin-president-russia", "kgr:position-kim-leader-north-korea",
        "kgr:position-gorbachev-leader-ussr", "kgr:position-putin-kgb",
        "kgr:position-kirby-spokesperson-nsc", "kgr:position-mongrenier-researcher-ifg"}
    assert {r["status"] for r in rows} == {""}


def test_a_fictional_succession_day_by_day(ask_fixture: AskFixture) -> None:
    def on(day: str) -> list[tuple[str, str]]:
        return holders(ask_fixture(FIXTURE, "office-holders", office=PRESIDENCY, asOf=day))

    # Ottokar is undated, so he stays on every day; the end day is not included
    assert on("2036-05-11") == [("kgr:marshal-kurvi-tasch", "held"),
                                ("kgr:king-ottokar", "undated")]
    assert on("2036-05-12") == [("kgr:colonel-sponsz", "held"), ("kgr:king-ottokar", "undated")]
    # 2041, a year: both the outgoing and the incoming president may hold the office
    assert on("2041-06-01") == [("kgr:colonel-sponsz", "uncertain"),
                                ("kgr:olga-zlotz", "uncertain"), ("kgr:king-ottokar", "undated")]
    assert on("2044-06-01") == [("kgr:olga-zlotz", "held"), ("kgr:king-ottokar", "undated")]
    assert on("2050-01-01") == [("kgr:olga-zlotz", "held as of last report"),
                                ("kgr:king-ottokar", "undated")]


def test_a_fictional_span_with_successions_and_citations(ask_fixture: AskFixture) -> None:
    rows = ask_fixture(FIXTURE, "office-holders", office=PRESIDENCY,
                       **{"from": "2035-01-01", "to": "2042-12-31"})
    assert [(r["holder"], r["status"], r["succeeds"], r["start"], r["end"]) for r in rows] == [
        ("kgr:marshal-kurvi-tasch", "held for part of the span", "", "2031-03-01 (day)",
         "2036-05-12 (day)"),
        ("kgr:colonel-sponsz", "held for part of the span",
         "kgr:position-kurvi-tasch-president-borduria", "2036-05-12 (day)", "2041 (year)"),
        ("kgr:olga-zlotz", "held for part of the span", "kgr:position-sponsz-president-borduria",
         "2041 (year)", ""),
        ("kgr:king-ottokar", "undated", "", "", ""),
    ]
    assert rows[1]["quote"] == ("Colonel Sponsz, who succeeded the Marshal on 12 May 2036, "
                                "left office in 2041.")
    # held throughout a span inside a tenure; a spokesperson is not the president
    rows = ask_fixture(FIXTURE, "office-holders", within="kgr:borduria",
                       **{"from": "2032-01-01", "to": "2033-12-31"})
    assert {(r["position"], r["status"]) for r in rows} == {
        ("kgr:position-kurvi-tasch-president-borduria", "held"),
        ("kgr:position-zlotz-spokesperson-borduria", "held"),
        ("kgr:position-ottokar-president-borduria", "undated")}


# The status reads each comparison of a date from a BIND of its own (Virtuoso 7 copies a BIND's
# expression into every place that reads it, and could not compile the status that read the
# dates at each test): checked here against the chain of tests it replaced, for every
# combination of dates, bound or not, around the days asked.
_STATUS = re.compile(r"  BIND \(COALESCE\(xsd:date\(\?from\).*?AS \?status\)", re.DOTALL)
_DATES = ("start", "startLatest", "end", "endLatest", "firstReportLatest", "lastReport")


def status_by_tests(start: date | None, start_latest: date | None, end: date | None,
                    end_latest: date | None, first_latest: date | None, last: date | None,
                    start_dated: bool, end_dated: bool, lo: date, hi: date) -> str:
    """The status as the query's chain of tests gave it, ?certainFrom (the earlier of the start's
    and the first report's latest days) and the first day certainly held in the span read at
    each test."""
    certain_from = min((d for d in (start_latest, first_latest) if d), default=None)
    first_certain = max(certain_from, lo) if certain_from else None
    if start and hi < start or end_latest and end_latest <= lo:
        return "not held"
    if certain_from and certain_from <= lo and (hi < end if end else bool(last and hi <= last)):
        return "held"
    if (certain_from and first_certain and first_certain <= hi
            and (first_certain < end if end else bool(last and first_certain <= last))):
        return "held for part of the span"
    if not start_dated and not end_dated and not last:
        return "undated"
    if not end_dated and last and certain_from and last < lo and certain_from <= lo:
        return "held as of last report"
    if start_dated and not end_dated and not last and start_latest and start_latest <= lo:
        return "end unknown"
    if not start_dated and certain_from and hi < certain_from:
        return "start unknown"
    return "uncertain"


def test_the_status_gives_what_the_chain_of_tests_gave() -> None:
    text = (ROOT / "queries" / "office-holders.rq").read_text(encoding="utf-8")
    found = _STATUS.search(text)
    assert found, "the status's expressions are not where they were"
    days = {f'"2000-01-0{n}"^^xsd:date': date(2000, 1, n) for n in range(1, 6)}
    given = {"UNDEF": None, **{term: day for term, day in days.items() if day.day in (2, 4)}}
    values = "\n".join([f"VALUES ?{name} {{ {' '.join(given)} }}" for name in _DATES]
                       + [f"VALUES ?{name} {{ UNDEF <urn:x:date> }}"
                          for name in ("startDate", "endDate")]
                       + [f"VALUES ?{name} {{ {' '.join(days)} }}" for name in ("from", "to")])
    query = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
             f"SELECT * WHERE {{ {values}\n{found.group(0)} }}")
    rows = list(ox.Store().query(query))
    assert len(rows) == 3 ** len(_DATES) * 2 * 2 * 5 * 5

    def day(row: ox.QuerySolution, name: str) -> date | None:
        term = row[name]
        return date.fromisoformat(term.value) if term else None

    wrong = [row for row in rows
             if row["status"].value != status_by_tests(
                 *(day(row, name) for name in _DATES), row["startDate"] is not None,
                 row["endDate"] is not None, date.fromisoformat(row["from"].value),
                 date.fromisoformat(row["to"].value))]
    assert not wrong, f"{len(wrong)} combinations differ, such as {wrong[0]}"
