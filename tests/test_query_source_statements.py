"""queries/source-statements.rq: every statement one source supports, against a reviewed list."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.store import StoreBackend

Ask = Callable[..., list[dict[str, str]]]
REVIEWED = Path(__file__).resolve().parent / "fixtures" / "source-statements"
COLUMNS = ("subject", "property", "value", "best", "claim")


def reviewed(source: str) -> list[tuple[str, ...]]:
    with open(REVIEWED / f"{source}.tsv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        return [tuple(row[c] for c in COLUMNS) for row in reader]


def stated(ask: Ask, source: str) -> list[tuple[str, ...]]:
    return [tuple(row[c] for c in COLUMNS) for row in ask("source-statements", source=source)]


@pytest.mark.parametrize("source", sorted(p.stem for p in REVIEWED.glob("*.tsv")))
def test_each_source_states_exactly_the_reviewed_statements(ask: Ask, source: str) -> None:
    assert stated(ask, f"kgr:{source}") == reviewed(source)


def test_every_source_of_the_graph_has_a_reviewed_list(backend: StoreBackend) -> None:
    found = backend.select("SELECT ?source WHERE { ?source a kg:SourceDocument }", {})
    sources = {row["source"].value.rsplit("/", 1)[1] for row in found.rows}
    assert sources == {p.stem for p in REVIEWED.glob("*.tsv")}


def test_the_article_gives_the_year_of_the_1961_signing_and_unts_the_day(ask: Ask) -> None:
    article = stated(ask, "kgr:article-20minutes-2024-06")
    signing = {(p, v, best) for s, p, v, best, _c in article if s == "kgr:signing-1961-07-06"}
    assert signing == {("kg:agreement", "kgr:treaty-1961-ussr-dprk", "yes"),
                       ("kg:start", "1961 (year)", "no"), ("kg:end", "1961 (year)", "no")}
    unts = {(p, v) for s, p, v, _b, _c in stated(ask, "kgr:src-unts-6045")
            if s == "kgr:signing-1961-07-06"}
    assert {("kg:start", "1961-07-06 (day)"), ("kg:place", "kgr:moscow")} <= unts


def test_article_4_is_kcna_s_not_the_article_s(ask: Ask) -> None:
    def articles(source: str) -> set[str]:
        return {v for _s, p, v, _b, _c in stated(ask, source) if p == "kg:treatyArticle"}
    assert articles("kgr:article-20minutes-2024-06") == set()
    assert articles("kgr:src-chosun-2024-06-20") == {"Article 3", "Article 4"}
    article = stated(ask, "kgr:article-20minutes-2024-06")
    # The headline gives the defence obligation, not its number nor the entry into force.
    assert ("kgr:treaty-2024-obligation-mutual-assistance", "kg:obligationType", "kgv:defence",
            "yes", "kgr:claim-article-mutual-assistance-headline") in article
    assert not [row for row in article
                if row[0] == "kgr:treaty-2024-russia-dprk" and row[1] == "kg:start"]
