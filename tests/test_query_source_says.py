"""queries/source-says.rq: every claim one source supports, in the order of its text."""

from __future__ import annotations

from collections.abc import Callable

Ask = Callable[..., list[dict[str, str]]]


def test_the_article_claim_by_claim_in_text_order(ask: Ask) -> None:
    rows = ask("source-says")
    offsets = [int(r["offsetStart"]) for r in rows]
    assert offsets == sorted(offsets)
    assert len(rows) == 48
    assert len({r["claim"] for r in rows}) == 44
    assert [(r["offsetStart"], r["claim"], r["claimant"]) for r in rows[:3]] == [
        ("81", "kgr:claim-article-visit-2024", "kgr:article-20minutes-2024-06"),
        ("174", "kgr:claim-article-visit-2024", "kgr:article-20minutes-2024-06"),
        ("232", "kgr:claim-article-visit-shows-rapprochement", "kgr:article-20minutes-2024-06"),
    ]
    unattributed = [r for r in rows if r["claimant"] == "unattributed"]
    assert [(r["offsetStart"], r["claim"]) for r in unattributed] == [
        ("1335", "kgr:claim-unattributed-close-alliance")]
    hedge = [r for r in rows if r["claim"] == "kgr:claim-article-stocks-critical"][0]
    assert (hedge["stance"], hedge["statements"]) == ("kgv:hedges", "2")
    suspicion = [r for r in rows if r["claim"] == "kgr:claim-observers-suspect-china"][0]
    assert (suspicion["claimant"], suspicion["stance"], suspicion["stated"]) == (
        "kgr:some-observers", "kgv:suspects", "2024-06-18..2024-06-19 (unknown)")


def test_a_reference_source_with_citations(ask: Ask) -> None:
    rows = ask("source-says", source="kgr:src-gibler-2009")
    assert [(r["claim"], r["stated"], r["quote"]) for r in rows] == [
        ("kgr:claim-gibler-1961-end-1995", "2009 (year)",
         "in force until 1995-09-07 (defence pact, type I)"),
        ("kgr:claim-gibler-1961-not-renewed-1996", "2009 (year)",
         "not renewed; a Russian note of September 1996 confirmed it would not be renewed"),
    ]


def test_one_quoted_statement_is_one_claim_with_its_reporting_verb(ask: Ask) -> None:
    """Each of Jean-Sylvestre Mongrenier's five quoted statements is one claim, with the verb
    the article reports it with, and so is each attitude his words attribute (« Moscou veut »,
    North Korea « veut », « le Kremlin compte sur »: data/attitudes.ttl), with the same verb;
    John Kirby's sentence is one claim."""
    rows = ask("source-says")
    mongrenier = [(r["verb"], r["stance"], r["claim"]) for r in rows
                  if r["claimant"] == "kgr:jean-sylvestre-mongrenier"]
    assert mongrenier == [
        ("souligne", "kgv:asserts", "kgr:claim-mongrenier-moscow-wants-arms"),
        ("souligne", "kgv:asserts", "kgr:claim-mongrenier-technology"),
        ("souligne", "kgv:asserts", "kgr:claim-mongrenier-north-korea-wants-alliance"),
        ("analyse", "kgv:assesses", "kgr:claim-mongrenier-axis-extended"),
        ("confirme", "kgv:confirms", "kgr:claim-mongrenier-russia-needs-north-korean-stocks"),
        ("confirme", "kgv:confirms", "kgr:claim-mongrenier-kremlin-relies-on-stocks"),
        ("précise", "kgv:asserts", "kgr:claim-mongrenier-stocks-since-korean-war"),
        ("décrypte", "kgv:assesses", "kgr:claim-mongrenier-deliveries-helped-russia")]
    kirby = [r for r in rows if r["claimant"] == "kgr:john-kirby"]
    assert [(r["claim"], r["verb"], r["offsetStart"]) for r in kirby] == [
        ("kgr:claim-kirby-ballistic-missiles", "a regretté", "3238")]
    assert kirby[0]["quote"].endswith(
        "l’approfondissement de la relation entre ces deux pays\u00a0».")
