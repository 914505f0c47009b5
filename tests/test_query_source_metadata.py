"""queries/source-metadata.rq: what each source document is, with its titles' glosses."""

from __future__ import annotations

from collections.abc import Callable

Ask = Callable[..., list[dict[str, str]]]
NBSP = "\u00a0"


def test_the_article_its_titles_glosses_and_edit(ask: Ask) -> None:
    [row] = ask("source-metadata", source="kgr:article-20minutes-2024-06")
    assert row["title"] == (
        f"Corée du Nord – Russie, d’où vient cette bromance «{NBSP}anti-occident{NBSP}»{NBSP}?"
        " → North Korea – Russia: where does this “anti-West” bromance come from?")
    assert row["alternatives"] == (
        f"Vladimir Poutine en Corée du Nord{NBSP}: D’où vient cette bromance"
        f" «{NBSP}anti-occident{NBSP}»{NBSP}?"
        " → Vladimir Putin in North Korea: where does this “anti-West” bromance come from?")
    assert (row["creator"], row["publisher"], row["language"]) == (
        "Diane Regny", "20 Minutes", "fr")
    assert (row["published"], row["modified"]) == (
        "2024-06-18..2024-06-19 (unknown)", "2024-06-19 (day)")
    assert row["edits"].startswith(f"2024-06-19: « EDIT du 19{NBSP}juin 2024{NBSP}: Le président")
    assert row["edits"].endswith("restent toutefois encore secrets à ce stade. »")
    assert row["textFile"] == "data/sources/20minutes-2024-06-coree-du-nord-russie.txt"
    assert row["claims"] == "44"  # with the 6 attitudes of data/attitudes.ttl


def test_every_source_in_order_of_publication(ask: Ask) -> None:
    rows = ask("source-metadata")
    assert [r["source"] for r in rows] == [
        "kgr:src-jamestown-monitor",  # undated: first
        "kgr:src-unts-6045", "kgr:src-un-1991-12-24", "kgr:src-gibler-2009",
        "kgr:article-20minutes-2024-06", "kgr:src-interfax-2024-06-19",
        "kgr:src-chosun-2024-06-20", "kgr:src-tass-2024-11-09", "kgr:src-interfax-2024-12-04"]
    tass = rows[7]
    assert (tass["title"], tass["publisher"], tass["published"], tass["url"], tass["claims"]) == (
        "Putin signs law ratifying treaty with DPRK", "TASS", "2024-11-09 (day)",
        "https://tass.com/world/1882445", "1")
    assert tass["textFile"] == tass["edits"] == tass["alternatives"] == ""
