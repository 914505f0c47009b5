"""queries/source-says.rq: every claim one source supports, in the order of its text."""

from __future__ import annotations

from collections.abc import Callable

Ask = Callable[..., list[dict[str, str]]]


def test_the_article_claim_by_claim_in_text_order(ask: Ask) -> None:
    rows = ask("source-says")
    offsets = [int(r["offsetStart"]) for r in rows]
    assert offsets == sorted(offsets)
    assert len(rows) == 44
    assert len({r["claim"] for r in rows}) == 41
    assert [(r["offsetStart"], r["claim"], r["claimant"]) for r in rows[:3]] == [
        ("81", "kgr:claim-article-visit-2024", "kgr:article-20minutes-2024-06"),
        ("174", "kgr:claim-article-visit-2024", "kgr:article-20minutes-2024-06"),
        ("232", "kgr:claim-article-visit-shows-rapprochement", "kgr:article-20minutes-2024-06"),
    ]
    unattributed = [r for r in rows if r["claimant"] == "unattributed"]
    assert [(r["offsetStart"], r["claim"]) for r in unattributed] == [
        ("1335", "kgr:claim-unattributed-close-alliance")]
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
