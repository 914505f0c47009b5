"""queries/claims.rq: the claims about a node or made by an actor."""

from __future__ import annotations

from collections.abc import Callable

Ask = Callable[..., list[dict[str, str]]]
UNATTRIBUTED = "kgr:claim-unattributed-close-alliance"


def test_claims_about_the_alliance(ask: Ask) -> None:
    rows = ask("claims", node="kgr:alliance-russia-north-korea")
    assert {(r["claim"], r["claimant"], r["stance"], r["verb"]) for r in rows} == {
        ("kgr:claim-article-alliance-feared", "kgr:article-20minutes-2024-06", "kgv:asserts", ""),
        ("kgr:claim-article-anti-western-friendship", "kgr:article-20minutes-2024-06",
         "kgv:assesses", ""),
        ("kgr:claim-kim-brothers-in-arms", "kgr:kim-jong-un", "kgv:assesses", "a estimé"),
        ("kgr:claim-putin-unwavering-support", "kgr:vladimir-putin", "kgv:asserts", "a assuré"),
        (UNATTRIBUTED, "unattributed", "kgv:asserts", ""),
    }
    assert rows[0]["claim"] == "kgr:claim-kim-brothers-in-arms"  # the earliest statement
    assert rows[0]["stated"] == "2024-06-10..2024-06-16 (week)"
    # The statements of a claim come in no particular order (GROUP_CONCAT).
    assert sorted(rows[0]["statements"].split("; ")) == [
        "Russia–North Korea alliance | partner | North Korea",
        "Russia–North Korea alliance | partner | Russia",
    ]


def test_words_that_do_not_state_the_alliance_are_not_claims_about_it(ask: Ask) -> None:
    """Kirby's worry about « l'approfondissement », North Korea's wish for an alliance, the
    framing sentences and Putin's praise of the support for the invasion state nothing of the
    alliance node (they did when claims pointed at whole nodes)."""
    about = {r["claim"] for r in ask("claims", node="kgr:alliance-russia-north-korea")}
    assert about.isdisjoint({
        "kgr:claim-kirby-ballistic-missiles", "kgr:claim-mongrenier-technology",
        "kgr:claim-article-both-benefit", "kgr:claim-article-common-history",
        "kgr:claim-putin-firm-support-invasion"})
    kirby = ask("claims", node="kgr:phase-rapprochement-2024")
    assert ("kgr:claim-kirby-ballistic-missiles", "about", "a regretté") in {
        (r["claim"], r["role"], r["verb"]) for r in kirby}


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
    by = [(r["claim"], r["stated"]) for r in rows if r["role"] == "by"]
    assert by == [
        ("kgr:claim-putin-new-world-2023", "2023-10 (month)"),
        ("kgr:claim-putin-firm-support-invasion", "2024-06-18 (day)"),
        ("kgr:claim-putin-unwavering-support", "2024-06-18 (day)"),
    ]
    # Claims whose statements name him: visitor, signatory, holder of positions, participant.
    assert {r["claim"] for r in rows if r["role"] == "names it"} == {
        "kgr:claim-article-first-visit-since-2000", "kgr:claim-article-putin-former-kgb",
        "kgr:claim-article-visit-2024", "kgr:claim-article-putin-president",
        "kgr:claim-article-signing-2024", "kgr:claim-interfax-2024-signed",
        "kgr:claim-tass-2024-ratification"}
    # Mongrenier's analysis of the axis names Putin in its words, but states nothing of him.
    assert "kgr:claim-mongrenier-axis-extended" not in {r["claim"] for r in rows}


def test_claims_about_the_parts_of_a_treaty(ask: Ask) -> None:
    rows = ask("claims", node="kgr:treaty-2024-russia-dprk")
    roles = {r["claim"]: r["role"] for r in rows}
    # Every claim here states something of the treaty itself; TASS states only the ratification,
    # which names the treaty as its agreement.
    assert {claim for claim, role in roles.items() if role != "about"} == {
        "kgr:claim-tass-2024-ratification"}
    assert roles["kgr:claim-tass-2024-ratification"] == "names it"
    assert len(roles) == 11
    duration = [r for r in rows if r["claim"] == "kgr:claim-kcna-2024-duration"][0]
    assert (duration["source"], duration["quote"], duration["text"]) == (
        "kgr:src-chosun-2024-06-20", "indefinite", "The 2024 treaty is of indefinite duration.")
