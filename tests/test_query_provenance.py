"""queries/provenance.rq: the sources, quotes, offsets and citations behind a node."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Ask = Callable[..., list[dict[str, str]]]
ROOT = Path(__file__).resolve().parent.parent


def test_provenance_of_the_2024_treaty(ask: Ask) -> None:
    rows = ask("provenance", node="kgr:treaty-2024-russia-dprk")
    assert [(r["claim"], r["source"], r["offsetStart"], r["offsetEnd"]) for r in rows] == [
        ("kgr:claim-article-signing-2024", "kgr:article-20minutes-2024-06", "786", "933"),
        ("kgr:claim-article-content-secret", "kgr:article-20minutes-2024-06", "934", "1005"),
        ("kgr:claim-kcna-2024-duration", "kgr:src-chosun-2024-06-20", "", ""),
        ("kgr:claim-interfax-2024-name", "kgr:src-interfax-2024-06-19", "", ""),
        ("kgr:claim-interfax-2024-signed", "kgr:src-interfax-2024-06-19", "", ""),
        ("kgr:claim-interfax-2024-entry-into-force", "kgr:src-interfax-2024-12-04", "", ""),
        ("kgr:claim-interfax-2024-supersedes-2000", "kgr:src-interfax-2024-12-04", "", ""),
    ]
    cited = {r["claim"]: r["citation"] for r in rows if r["citation"]}
    assert cited["kgr:claim-interfax-2024-signed"] == (
        "2024-06-19, Pyongyang, by Vladimir Putin and Kim Jong-un")
    assert {r["how"] for r in rows} == {"claim about it"}


def test_quotes_are_the_stored_text_at_their_offsets(ask: Ask) -> None:
    for node in ("kgr:alliance-russia-north-korea", "kgr:transfer-north-korea-russia-munitions"):
        rows = [r for r in ask("provenance", node=node) if r["textFile"]]
        assert rows
        for row in rows:
            text = (ROOT / row["textFile"]).read_text(encoding="utf-8")
            assert text[int(row["offsetStart"]):int(row["offsetEnd"])] == row["quote"]


def test_provenance_of_the_unattributed_claim_itself(ask: Ask) -> None:
    assert ask("provenance", node="kgr:claim-unattributed-close-alliance") == [{
        "claim": "kgr:claim-unattributed-close-alliance", "how": "the claim itself",
        "claimant": "unattributed", "stance": "kgv:asserts",
        "source": "kgr:article-20minutes-2024-06",
        "textFile": "data/sources/20minutes-2024-06-coree-du-nord-russie.txt",
        "quote": "«\u00a0une étroite et véritable alliance entre Moscou et Pyongyang\u00a0»",
        "offsetStart": "1335", "offsetEnd": "1398", "citation": "",
    }]


def test_provenance_of_a_derived_edge(ask: Ask) -> None:
    record = ("<https://w3id.org/geokg/id/derived/north-korea/suppliesArmsTo/russia/from/"
              "transfer-north-korea-russia-munitions>")
    rows = ask("provenance", node=record)
    assert {(r["claim"], r["how"], r["stance"]) for r in rows} == {
        ("kgr:claim-article-stocks-critical", "derived from", "kgv:assesses"),
        ("kgr:claim-mongrenier-deliveries-helped-russia", "derived from", "kgv:assesses"),
        ("kgr:claim-mongrenier-russia-needs-north-korean-stocks", "derived from", "kgv:confirms"),
        ("kgr:claim-mongrenier-stocks-since-korean-war", "derived from", "kgv:asserts"),
    }
