"""queries/alignment-members.rq: the members of an alignment or alliance and who asserts them."""

from __future__ import annotations

from collections.abc import Callable

Ask = Callable[..., list[dict[str, str]]]


def test_members_of_the_moscow_beijing_tehran_axis(ask: Ask) -> None:
    rows = ask("alignment-members")
    # Mongrenier's analysis names the axis's members and says North Korea joins it now; it does
    # not date when the others joined.
    assert [(r["member"], r["membership"], r["since"], r["holds"], r["asserted"])
            for r in rows] == [
        ("kgr:china", "kgr:membership-axis-china", "", "yes",
         "Jean-Sylvestre Mongrenier: assesses"),
        ("kgr:iran", "kgr:membership-axis-iran", "", "yes",
         "Jean-Sylvestre Mongrenier: assesses"),
        ("kgr:north-korea", "kgr:membership-axis-north-korea",
         "2024-06-18..2024-06-19 (unknown)", "yes", "Jean-Sylvestre Mongrenier: assesses"),
        ("kgr:russia", "kgr:membership-axis-russia", "", "yes",
         "Jean-Sylvestre Mongrenier: assesses"),
    ]
    assert {(r["until"], r["reported"]) for r in rows} == {
        ("", "2024-06-18..2024-06-19 (unknown)")}


def test_partners_of_an_alliance_and_who_asserts_it(ask: Ask) -> None:
    rows = ask("alignment-members", alignment="kgr:alliance-russia-north-korea")
    assert [(r["member"], r["since"], r["holds"]) for r in rows] == [
        ("kgr:north-korea", "", "yes"),
        ("kgr:russia", "", "yes"),
    ]
    # The claims that state each partner: not Kirby's worry about the « approfondissement »
    # nor Mongrenier's account of what North Korea wants.
    assert set(rows[0]["asserted"].split("; ")) == {
        "20 Minutes article on the Russia–North Korea rapprochement (June 2024): asserts",
        "20 Minutes article on the Russia–North Korea rapprochement (June 2024): assesses",
        "Kim Jong-un: assesses",
        "Vladimir Putin: asserts",
        "unattributed: asserts",
    }


def test_a_node_that_is_no_alignment_has_no_members(ask: Ask) -> None:
    assert ask("alignment-members", alignment="kgr:russia") == []
