"""queries/sanctions.rq: sanctions regimes, their norms, the resolutions and votes behind them.

The article names Western sanctions and suspects a transfer arranged to avoid them; no source of
the project gives a resolution, a vote or a mandate, so those are shown on a fictional world
(tests/fixtures/shapes/valid/international-law.ttl).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Ask = Callable[..., list[dict[str, str]]]
WORLD = Path(__file__).parent / "fixtures" / "shapes" / "valid" / "international-law.ttl"


def test_the_western_sanctions_the_article_names_and_the_suspected_circumvention(
        ask: Ask) -> None:
    rows = ask("sanctions")
    assert [(r["regime"], r["imposedBy"], r["norms"], r["resolution"], r["circumventedBy"])
            for r in rows] == [
        ("kgr:western-sanctions", "Western countries (« les Occidentaux »)", "", "",
         "Chinese arms and munitions for Russia through North Korea (suspected) [suspects]")]


def test_an_actor_keeps_the_regimes_that_concern_it(ask: Ask) -> None:
    assert [r["regime"] for r in ask("sanctions", actor="kgr:the-west")] == [
        "kgr:western-sanctions"]
    assert ask("sanctions", actor="kgr:russia") == []


def votes(row: dict[str, str]) -> set[str]:
    return set(row["votes"].split(", ")) - {""}


def test_resolutions_votes_and_a_mandate_not_renewed(ask_fixture: Ask) -> None:
    rows = ask_fixture(WORLD, "sanctions")
    assert [(r["resolution"], r["symbol"], r["act"], r["adopted"], r["voted"], r["outcome"])
            for r in rows] == [
        ("kgr:resolution-sb-101", "SB/101 (2001)", "establishes the mandate", "2001-03-01 (day)",
         "2001-03-01 (day)", "adopted"),
        ("kgr:resolution-sb-101", "SB/101 (2001)", "establishes the sanctions",
         "2001-03-01 (day)", "2001-03-01 (day)", "adopted"),
        ("kgr:resolution-sb-180", "SB/180 (2018)", "extends the mandate", "2018-03-15 (day)", "",
         "adopted"),
        ("kgr:draft-sb-2019-12", "SB/2019/12", "would extend the mandate", "",
         "2019-03-28 (day)", "not adopted"),
    ]
    assert votes(rows[0]) == {"Syldavia (fictional): in favour",
                              "Ruritania (fictional): in favour",
                              "San Theodoros (fictional): in favour"}
    assert votes(rows[2]) == set()  # the records give no vote for SB/180
    assert votes(rows[3]) == {"Syldavia (fictional): veto",
                              "Ruritania (fictional): abstention",
                              "San Theodoros (fictional): in favour"}
    mandates = {(r["mandate"], r["mandateEnd"], r["mandateEndMode"]) for r in rows if r["mandate"]}
    assert mandates == {("kgr:mandate-panel-borduria", "2019-04-30 (day)", "non-renewal")}


def test_the_regime_its_norms_and_what_breaches_them(ask_fixture: Ask) -> None:
    rows = ask_fixture(WORLD, "sanctions")
    assert {(r["regime"], r["imposedBy"], r["targets"]) for r in rows} == {
        ("kgr:sanctions-borduria-2001", "Security Board of the Assembly of Nations (fictional)",
         "Borduria (fictional)")}
    assert set(rows[0]["norms"].split("; ")) == {
        "prohibition: Borduria may not export arms (fictional)",
        "prohibition: No member state may procure arms from Borduria (fictional)"}
    assert rows[0]["breachedBy"] == ("Bordurian munitions for San Theodoros (fictional)"
                                     " [asserts; Borduria may not export arms (fictional)]")
    assert rows[0]["circumventedBy"] == (
        "Bordurian munitions for San Theodoros (fictional) [asserts]")


def test_a_norm_names_the_actors_it_concerns(ask_fixture: Ask) -> None:
    """All member states are addressed by the procurement ban (a norm's addressee); Ruritania
    appears in no role of the regime (it only votes)."""
    assert {r["regime"] for r in ask_fixture(WORLD, "sanctions",
                                             actor="kgr:all-member-states")} == {
        "kgr:sanctions-borduria-2001"}
    assert ask_fixture(WORLD, "sanctions", actor="kgr:ruritania") == []
