"""queries/claims.rq: the claims about a node or made by an actor."""

from __future__ import annotations

from collections.abc import Callable

Ask = Callable[..., list[dict[str, str]]]
UNATTRIBUTED = "kgr:claim-unattributed-close-alliance"


def test_claims_about_the_alliance(ask: Ask) -> None:
    rows = ask("claims", node="kgr:alliance-russia-north-korea")
    assert {(r["claim"], r["claimant"], r["stance"]) for r in rows} == {
        ("kgr:claim-article-alliance-feared", "kgr:article-20minutes-2024-06", "kgv:asserts"),
        ("kgr:claim-article-anti-western-friendship", "kgr:article-20minutes-2024-06",
         "kgv:assesses"),
        ("kgr:claim-article-both-benefit", "kgr:article-20minutes-2024-06", "kgv:assesses"),
        ("kgr:claim-article-common-history", "kgr:article-20minutes-2024-06", "kgv:asserts"),
        ("kgr:claim-kim-brothers-in-arms", "kgr:kim-jong-un", "kgv:assesses"),
        ("kgr:claim-kirby-deepening", "kgr:john-kirby", "kgv:asserts"),
        ("kgr:claim-mongrenier-arms-for-alliance", "kgr:jean-sylvestre-mongrenier",
         "kgv:assesses"),
        ("kgr:claim-putin-firm-support-invasion", "kgr:vladimir-putin", "kgv:asserts"),
        ("kgr:claim-putin-unwavering-support", "kgr:vladimir-putin", "kgv:asserts"),
        (UNATTRIBUTED, "unattributed", "kgv:asserts"),
    }
    assert rows[0]["claim"] == "kgr:claim-kim-brothers-in-arms"  # the earliest statement
    assert rows[0]["stated"] == "2024-06-10..2024-06-16 (week)"


def test_the_unattributed_quotation_is_never_given_a_speaker(ask: Ask) -> None:
    rows = [r for node in ("kgr:alliance-russia-north-korea", "kgr:article-20minutes-2024-06",
                           "kgr:vladimir-putin", "kgr:kim-jong-un")
            for r in ask("claims", node=node) if r["claim"] == UNATTRIBUTED]
    assert rows
    assert {(r["claimant"], r["role"], r["source"]) for r in rows} == {
        ("unattributed", "about", "kgr:article-20minutes-2024-06")}
    assert rows[0]["quote"] == (
        "«\u00a0une étroite et véritable alliance entre Moscou et Pyongyang\u00a0»")


def test_claims_by_and_about_an_actor(ask: Ask) -> None:
    rows = ask("claims", node="kgr:vladimir-putin")
    assert [(r["claim"], r["role"], r["stated"]) for r in rows] == [
        ("kgr:claim-putin-new-world-2023", "by", "2023-10 (month)"),
        ("kgr:claim-mongrenier-axis-aims", "about", "2024-06-18..2024-06-19 (unknown)"),
        ("kgr:claim-putin-firm-support-invasion", "by", "2024-06-18 (day)"),
        ("kgr:claim-putin-unwavering-support", "by", "2024-06-18 (day)"),
    ]


def test_claims_about_the_parts_of_a_treaty(ask: Ask) -> None:
    rows = ask("claims", node="kgr:treaty-2024-russia-dprk")
    roles = {r["claim"]: r["role"] for r in rows}
    assert {claim for claim, role in roles.items() if role == "about a part"} == {
        "kgr:claim-article-mutual-assistance-headline", "kgr:claim-kcna-2024-article-3",
        "kgr:claim-kcna-2024-article-4", "kgr:claim-tass-2024-ratification"}
    assert len(roles) == 11
    duration = [r for r in rows if r["claim"] == "kgr:claim-kcna-2024-duration"][0]
    assert (duration["source"], duration["quote"], duration["text"]) == (
        "kgr:src-chosun-2024-06-20", "indefinite", "The 2024 treaty is of indefinite duration.")
