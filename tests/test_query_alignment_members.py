"""queries/alignment-members.rq: the members of an alignment or alliance and who asserts them."""

from __future__ import annotations

from collections.abc import Callable

Ask = Callable[..., list[dict[str, str]]]


def test_members_of_the_moscow_beijing_tehran_axis(ask: Ask) -> None:
    rows = ask("alignment-members")
    assert [(r["member"], r["membership"], r["since"], r["holds"], r["asserted"])
            for r in rows] == [
        ("kgr:china", "kgr:membership-axis-china", "..2024-06-19 (unknown)", "yes",
         "Jean-Sylvestre Mongrenier: assesses"),
        ("kgr:iran", "kgr:membership-axis-iran", "..2024-06-19 (unknown)", "yes",
         "Jean-Sylvestre Mongrenier: assesses"),
        ("kgr:north-korea", "kgr:membership-axis-north-korea",
         "2024-06-18..2024-06-19 (unknown)", "yes", "Jean-Sylvestre Mongrenier: assesses"),
        ("kgr:russia", "kgr:membership-axis-russia", "..2024-06-19 (unknown)", "yes",
         "Jean-Sylvestre Mongrenier: assesses"),
    ]
    assert {(r["until"], r["endStatus"], r["reported"]) for r in rows} == {
        ("", "kgv:ongoing", "2024-06-18..2024-06-19 (unknown)")}


def test_partners_of_an_alliance_and_who_asserts_it(ask: Ask) -> None:
    rows = ask("alignment-members", alignment="kgr:alliance-russia-north-korea")
    assert [(r["member"], r["since"], r["holds"]) for r in rows] == [
        ("kgr:north-korea", "..2024-06-19 (unknown)", "yes"),
        ("kgr:russia", "..2024-06-19 (unknown)", "yes"),
    ]
    assert set(rows[0]["asserted"].split("; ")) == {
        "20 Minutes article on the Russia–North Korea rapprochement (June 2024): asserts",
        "20 Minutes article on the Russia–North Korea rapprochement (June 2024): assesses",
        "Jean-Sylvestre Mongrenier: assesses",
        "John Kirby: asserts",
        "Kim Jong-un: assesses",
        "Vladimir Putin: asserts",
        "unattributed: asserts",
    }


def test_a_node_that_is_no_alignment_has_no_members(ask: Ask) -> None:
    assert ask("alignment-members", alignment="kgr:russia") == []
