"""queries/treaties-between.rq: the treaties of two states and their status as of a date."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ask_store, built_fixture

from kg.store import StoreBackend

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


def test_a_disclosure_observed_after_as_of_does_not_empty_the_list(ask: Ask) -> None:
    # Regression: on 2024-06-19 the sources had observed the 2024 treaty's text undisclosed;
    # its publication, observed on 2024-06-20, comes after asOf. That row's value is unbound,
    # and one unbound value made the whole GROUP_CONCAT unbound: the column was empty.
    rows = {r["treaty"]: r for r in ask("treaties-between")}
    assert rows["kgr:treaty-2024-russia-dprk"]["disclosure"] == "undisclosed (2024-06-19)"
    assert rows["kgr:treaty-2000-russia-dprk"]["disclosure"] == ""  # none observed: unbound


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
    """Treaties whose end is unknown, whose dates are imprecise, whose ends sources give
    differently or whose dates a later source makes precise (none in the article)."""
    return built_fixture(FIXTURE, tmp_path_factory.mktemp("statuses"))


def statuses_on(store: StoreBackend, as_of: str, **known: str) -> dict[str, str]:
    rows = ask_store(store, "treaties-between", a="kgr:state-a", b="kgr:state-b", asOf=as_of,
                     **known)
    return {row["treaty"]: row["status"] for row in rows}


@pytest.mark.parametrize(("as_of", "expected"), [
    ("1999-01-01", {"kgr:treaty-end-unknown": "not yet in force",
                    "kgr:treaty-end-in-june": "not yet in force",
                    "kgr:treaty-start-in-2005": "not yet in force",
                    "kgr:treaty-ends-differ": "not yet in force"}),
    ("2005-06-01", {"kgr:treaty-end-unknown": "end unknown",
                    "kgr:treaty-end-in-june": "in force",
                    "kgr:treaty-start-in-2005": "end unknown",
                    "kgr:treaty-ends-differ": "in force"}),
    ("2010-06-15", {"kgr:treaty-end-unknown": "end unknown",
                    "kgr:treaty-end-in-june": "in force",
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
    assert statuses_on(synthetic, as_of) == expected


def test_ends_that_sources_give_differently_each_with_its_claim(synthetic: StoreBackend) -> None:
    rows = ask_store(synthetic, "treaties-between", a="kgr:state-a", b="kgr:state-b",
                     asOf="2011-01-01")
    ends = [(r["status"], r["end"], r["endClaim"]) for r in rows
            if r["treaty"] == "kgr:treaty-ends-differ"]
    assert ends == [("contested", "2010-06-15 (day)", "kgr:claim-register"),
                    ("contested", "2012-01-01 (day)", "kgr:claim-yearbook")]


# --- knownOn: what the sources said on a given day ---------------------------------------------

@pytest.mark.parametrize(("known_on", "expected"), [
    # The article of 2006 gives the year only: on 1 June 2005 the treaty may not have started.
    ("2007-01-01", "uncertain"),
    # From the register of 1 May 2008 on, the day (1 March 2005) is the best value.
    ("2008-05-01", "end unknown"),
])
def test_a_start_made_precise_by_a_later_source(synthetic: StoreBackend, known_on: str,
                                                expected: str) -> None:
    found = statuses_on(synthetic, "2005-06-01", knownOn=known_on)
    assert found["kgr:treaty-start-in-2005"] == expected


@pytest.mark.parametrize(("known_on", "expected"), [
    ("2011-01-31", "end unknown"),  # before the register: no end on record
    ("2011-02-01", "uncertain"),    # the register's month: 15 June 2010 may be after the end
    ("2015-09-01", "in force"),     # the yearbook's day, 20 June 2010, outranks the month
])
def test_an_end_made_precise_by_a_later_source(synthetic: StoreBackend, known_on: str,
                                               expected: str) -> None:
    found = statuses_on(synthetic, "2010-06-15", knownOn=known_on)
    assert found["kgr:treaty-end-in-june"] == expected


def test_nothing_is_known_before_the_first_claim(synthetic: StoreBackend) -> None:
    assert statuses_on(synthetic, "2000-06-01", knownOn="1999-12-31") == {}
    assert statuses_on(synthetic, "2000-06-01", knownOn="2000-01-01") == {
        "kgr:treaty-end-unknown": "end unknown", "kgr:treaty-end-in-june": "end unknown",
        "kgr:treaty-ends-differ": "end unknown"}


def test_knowing_everything_is_the_best_values(synthetic: StoreBackend) -> None:
    for as_of in ("2005-06-01", "2010-06-15", "2012-01-01"):
        assert statuses_on(synthetic, as_of, knownOn="2100-01-01") == statuses_on(synthetic, as_of)


def test_what_public_sources_said_on_the_day_of_the_signing(ask: Ask) -> None:
    # 19 June 2024: the article's edit (the agreement signed, its contents secret, a headline of
    # mutual assistance) and Interfax (name, signing). No entry into force, no article numbers,
    # and nothing yet on the 2000 treaty, which only the sources of December 2024 name.
    rows = {r["treaty"]: r for r in ask("treaties-between", asOf="2024-06-19",
                                         knownOn="2024-06-19")}
    assert sorted(rows) == ["kgr:treaty-1961-ussr-dprk", "kgr:treaty-2024-russia-dprk"]
    treaty = rows["kgr:treaty-2024-russia-dprk"]
    assert (treaty["status"], treaty["start"], treaty["note"]) == (
        "end unknown", "2024-06-19 (day)",
        "start = signature: the sources give no entry into force")
    assert (treaty["obligations"], treaty["disclosure"]) == ("defence", "undisclosed (2024-06-19)")
    assert set(treaty["signatories"].split(", ")) == {"Vladimir Putin", "Kim Jong-un"}


def test_what_public_sources_said_the_day_after_the_entry_into_force(ask: Ask) -> None:
    rows = {r["treaty"]: r for r in ask("treaties-between", asOf="2024-12-05",
                                         knownOn="2024-12-05")}
    treaty = rows["kgr:treaty-2024-russia-dprk"]
    assert (treaty["status"], treaty["start"], treaty["note"], treaty["lastReport"]) == (
        "in force as of last report", "2024-12-04 (day)", "start = entry into force",
        "2024-12-04 (day)")
    assert set(treaty["obligations"].split("; ")) == {
        "defence (Article 4)", "consultation (Article 3)"}
    assert set(treaty["disclosure"].split("; ")) == {  # aggregated in no fixed order
        "undisclosed (2024-06-19)", "text published (2024-06-20)"}
    # The 2000 treaty, superseded that day; its lack of a defence obligation comes from a
    # source the reference list does not date, which therefore counts for no knowledge date.
    assert (rows["kgr:treaty-2000-russia-dprk"]["status"],
            rows["kgr:treaty-2000-russia-dprk"]["obligations"]) == ("ended", "")


def test_continuity_counts_once_a_source_states_it(ask: Ask) -> None:
    # In 1990 no source had yet said that Russia continues the USSR (the UN letter is of
    # 24 December 1991): the 1961 treaty is the USSR's, not Russia's.
    assert ask("treaties-between", asOf="1990-01-01", knownOn="1990-01-01") == []
    soviet = ask("treaties-between", a="kgr:soviet-union", asOf="1990-01-01",
                 knownOn="1990-01-01")
    assert [(r["treaty"], r["status"], r["obligations"]) for r in soviet] == [
        ("kgr:treaty-1961-ussr-dprk", "end unknown", "defence (Article 1)")]
    later = ask("treaties-between", asOf="1990-01-01", knownOn="1991-12-24")
    assert [r["treaty"] for r in later] == ["kgr:treaty-1961-ussr-dprk"]


# The status is a code summed from 0/1 numbers and read from a table (Virtuoso 7 refuses an IF
# over an aggregate): checked here against the chain of tests it replaced, for every
# combination of the numbers a treaty's rows can give.
_STATUS = re.compile(r"\(STRBEFORE\(STRAFTER\(.*?AS \?status\)", re.DOTALL)
_NUMBERS = ("notYet", "startHeld", "ended", "running", "vague", "endRead", "reportCode")


def status_by_tests(not_yet: int, start_held: int, ended: int, running: int, vague: int,
                    end_read: int, report: int) -> str:
    """The status as the query's chain of IFs gave it: the start first (after asOf, else
    uncertain unless a bound of it is on or before asOf), then whether the reported ends
    disagree, then the end read, else the last report (7: on or after asOf, 8: before it,
    9: none)."""
    if not_yet:
        return "not yet in force"
    if not start_held:
        return "uncertain"
    if ended + running + vague >= 2:
        return "contested"
    if end_read:
        return "ended" if ended else "in force" if running else "uncertain"
    return {7: "in force", 8: "in force as of last report", 9: "end unknown"}[report]


def test_the_status_table_gives_what_the_chain_of_tests_gave() -> None:
    text = (ROOT / "queries" / "treaties-between.rq").read_text(encoding="utf-8")
    found = _STATUS.search(text)
    assert found, "the status's expression is not where it was"
    cases = [case for case in itertools.product((0, 1), (0, 1), (0, 1), (0, 1), (0, 1), (0, 1),
                                                (7, 8, 9))
             if not (case[0] and case[1])]  # a start after asOf is not also held
    rows = " ".join(f"({index} {' '.join(map(str, case))})" for index, case in enumerate(cases))
    query = (f"SELECT ?case {found.group(0)} WHERE {{ VALUES (?case ?{' ?'.join(_NUMBERS)}) "
             f"{{ {rows} }} }} GROUP BY ?case")
    answers = {int(row["case"].value): row["status"].value for row in ox.Store().query(query)}
    assert answers == {index: status_by_tests(*case) for index, case in enumerate(cases)}
