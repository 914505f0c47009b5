"""queries/relations-over-span.rq: what governed relations between two states over a span, in
order of time, with the gaps where no agreement the graph knows of was in force."""

from __future__ import annotations

from collections.abc import Callable

Ask = Callable[..., list[dict[str, str]]]
SPAN = {"from": "1990-01-01", "to": "2024-12-31"}


def rows_of(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str, str]]:
    return [(r["type"], r["relation"], r["standing"], r["begins"], r["ends"]) for r in rows]


def placed(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str, str]]:
    """The rows whose beginning the sources date (an unknown one shows as "unknown")."""
    return [r for r in rows_of(rows) if r[3] not in ("", "unknown")]


def test_from_1990_to_2024_the_treaties_the_gap_and_the_phases_in_order(ask: Ask) -> None:
    rows = ask("relations-over-span", **SPAN)
    assert placed(rows) == [
        ("agreement", "kgr:treaty-1961-ussr-dprk", "part of the span", "1961-07-06 (day)",
         "1995-09-07 (day)"),
        ("phase", "kgr:phase-degradation-1980s", "part of the span", "1980s (decade)",
         "2000s (decade)"),
        # the 1961 treaty ended (non-renewal) and the 2000 treaty was signed: nothing in between
        ("gap", "kgr:treaty-1961-ussr-dprk", "gap", "1995-09-07 (day)", "2000-02-09 (day)"),
        ("phase", "kgr:phase-revival-2000s", "end unknown", "2000s (decade)", ""),
        ("agreement", "kgr:treaty-2000-russia-dprk", "part of the span", "2000-02-09 (day)",
         "2024-12-04 (day)"),
        ("phase", "kgr:phase-acceleration-since-2014", "part of the span", "2014 (year)", ""),
        ("agreement", "kgr:treaty-2024-russia-dprk", "part of the span", "2024-12-04 (day)", ""),
    ]
    by = {(r["type"], r["relation"]): r for r in rows}
    assert by["agreement", "kgr:treaty-1961-ussr-dprk"]["defenceObligation"] == "yes (Article 1)"
    assert by["agreement", "kgr:treaty-1961-ussr-dprk"]["ended"] == "non-renewal"
    assert by["agreement", "kgr:treaty-2000-russia-dprk"]["defenceObligation"] == (
        "none, as a source states")
    assert by["agreement", "kgr:treaty-2000-russia-dprk"]["ended"] == "supersession"
    assert by["agreement", "kgr:treaty-2024-russia-dprk"]["defenceObligation"] == (
        "yes (Article 4)")
    assert by["agreement", "kgr:treaty-2024-russia-dprk"]["supersedesAgreement"] == (
        "kgr:treaty-2000-russia-dprk")
    assert by["gap", "kgr:treaty-1961-ussr-dprk"]["remark"] == (
        "no agreement in force once this one has ended")
    # what the sources do not date cannot be placed: it comes last
    assert {(r[0], r[1], r[2]) for r in rows_of(rows)[len(placed(rows)):]} == {
        ("partnership", "kgr:alliance-russia-north-korea", "uncertain"),
        ("partnership", "kgr:partnership-2024-russia-north-korea", "undated"),
        ("phase", "kgr:phase-distancing-gorbachev", "undated"),
        ("phase", "kgr:phase-rapprochement-2024", "uncertain"),
        ("phase", "kgr:phase-support", "uncertain"),
    }
    assert rows_of(rows)[-5:] == sorted(rows_of(rows)[-5:], key=lambda r: r[1])


def test_a_span_inside_the_gap_shows_the_whole_gap_and_the_phase_of_the_time(ask: Ask) -> None:
    rows = ask("relations-over-span", **{"from": "1996-01-01", "to": "1999-12-31"})
    assert placed(rows) == [
        ("phase", "kgr:phase-degradation-1980s", "throughout", "1980s (decade)",
         "2000s (decade)"),
        ("gap", "kgr:treaty-1961-ussr-dprk", "gap", "1995-09-07 (day)", "2000-02-09 (day)"),
    ]


def test_before_the_1961_treaty_a_gap_from_the_first_day_asked(ask: Ask) -> None:
    rows = ask("relations-over-span", a="kgr:north-korea", b="kgr:russia",
               **{"from": "1955-01-01", "to": "1965-12-31"})
    assert placed(rows) == [
        ("gap", "kgr:treaty-1961-ussr-dprk", "gap", "1955-01-01 (day)", "1961-07-06 (day)"),
        ("agreement", "kgr:treaty-1961-ussr-dprk", "part of the span", "1961-07-06 (day)",
         "1995-09-07 (day)"),
    ]
    assert rows[0]["remark"] == "no agreement in force until this one may start"


def test_known_on_the_signing_the_2024_treaty_from_its_signature_no_article(ask: Ask) -> None:
    # On 19 June 2024 the sources said nothing of the 2000 treaty nor of an entry into force, so
    # nothing the graph knew of bound the two from the end of the 1961 treaty to that signing;
    # the 2024 treaty had a defence obligation whose article was not yet published.
    rows = ask("relations-over-span", knownOn="2024-06-19",
               **{"from": "2024-01-01", "to": "2024-12-31"})
    agreements = [r for r in rows if r["type"] in ("agreement", "gap")]
    assert [(r["type"], r["relation"], r["standing"], r["begins"], r["ends"],
             r["defenceObligation"], r["remark"]) for r in agreements] == [
        ("gap", "kgr:treaty-1961-ussr-dprk", "gap", "1995-09-07 (day)", "2024-06-19 (day)", "",
         "no agreement in force once this one has ended"),
        ("agreement", "kgr:treaty-2024-russia-dprk", "end unknown", "2024-06-19 (day)", "", "yes",
         "start = signature: the sources give no entry into force"),
    ]


def test_known_after_the_entry_into_force_the_2000_treaty_ends_and_article_4(ask: Ask) -> None:
    rows = ask("relations-over-span", knownOn="2024-12-05",
               **{"from": "2024-01-01", "to": "2024-12-31"})
    agreements = [(r["relation"], r["standing"], r["begins"], r["ends"], r["defenceObligation"])
                  for r in rows if r["type"] in ("agreement", "gap")]
    assert agreements == [
        ("kgr:treaty-2000-russia-dprk", "part of the span", "2000-02-09 (day)",
         "2024-12-04 (day)", "not stated"),  # Jamestown's analysis is undated: not yet on record
        ("kgr:treaty-2024-russia-dprk", "part of the span", "2024-12-04 (day)", "",
         "yes (Article 4)"),
    ]
