"""queries/provenance.rq: the sources, quotes, offsets and citations behind a node."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Ask = Callable[..., list[dict[str, str]]]
ROOT = Path(__file__).resolve().parent.parent


def test_the_1961_signing_keeps_each_source_s_value_and_shows_the_best(ask: Ask) -> None:
    rows = ask("provenance", node="kgr:signing-1961-07-06")
    stated = {(r["property"], r["value"], r["best"], r["claim"])
              for r in rows if r["how"] == "stated of it"}
    assert stated == {
        ("kg:agreement", "kgr:treaty-1961-ussr-dprk", "yes", "kgr:claim-article-treaty-1961"),
        ("kg:agreement", "kgr:treaty-1961-ussr-dprk", "yes", "kgr:claim-unts-1961-signed"),
        ("kg:place", "kgr:moscow", "yes", "kgr:claim-unts-1961-signed"),
        ("kg:start", "1961-07-06 (day)", "yes", "kgr:claim-unts-1961-signed"),
        ("kg:start", "1961 (year)", "no", "kgr:claim-article-treaty-1961"),
        ("kg:end", "1961-07-06 (day)", "yes", "kgr:claim-unts-1961-signed"),
        ("kg:end", "1961 (year)", "no", "kgr:claim-article-treaty-1961"),
    }
    # The best value comes first; the article's year stands beside UNTS's day, with its words.
    starts = [r for r in rows if r["property"] == "kg:start"]
    assert [r["best"] for r in starts] == ["yes", "no"]
    assert starts[1]["quote"].startswith("En\u00a01961, les deux pays")
    assert starts[0]["citation"] == "1961-07-06, Moscow"


def test_provenance_of_the_2024_treaty(ask: Ask) -> None:
    rows = ask("provenance", node="kgr:treaty-2024-russia-dprk")
    of_it = {(r["property"], r["claim"]) for r in rows if r["how"] == "stated of it"}
    # Article 4 is KCNA's: the article's headline states a defence obligation, not its article.
    assert ("kg:obligation", "kgr:claim-article-mutual-assistance-headline") in of_it
    assert ("kg:start", "kgr:claim-interfax-2024-entry-into-force") in of_it
    assert not {claim for prop, claim in of_it if prop == "kg:start"} - {
        "kgr:claim-interfax-2024-entry-into-force"}
    cited = {r["claim"]: r["citation"] for r in rows if r["citation"]}
    assert cited["kgr:claim-interfax-2024-signed"] == (
        "2024-06-19, Pyongyang, by Vladimir Putin and Kim Jong-un")
    assert {r["how"] for r in rows} == {"stated of it", "names it"}
    names = {(r["subject"], r["property"]) for r in rows if r["how"] == "names it"}
    assert ("kgr:ratification-2024-11-09-russia", "kg:agreement") in names


def test_quotes_are_the_stored_text_at_their_offsets(ask: Ask) -> None:
    for node in ("kgr:alliance-russia-north-korea", "kgr:transfer-north-korea-russia-munitions"):
        rows = [r for r in ask("provenance", node=node) if r["textFile"]]
        assert rows
        for row in rows:
            text = (ROOT / row["textFile"]).read_text(encoding="utf-8")
            assert text[int(row["offsetStart"]):int(row["offsetEnd"])] == row["quote"]


def test_provenance_of_the_unattributed_claim_itself(ask: Ask) -> None:
    common = {
        "claim": "kgr:claim-unattributed-close-alliance", "how": "the claim itself",
        "claimant": "unattributed", "stance": "kgv:asserts",
        "source": "kgr:article-20minutes-2024-06",
        "textFile": "data/sources/20minutes-2024-06-coree-du-nord-russie.txt",
        "quote": "«\u00a0une étroite et véritable alliance entre Moscou et Pyongyang\u00a0»",
        "offsetStart": "1335", "offsetEnd": "1398", "citation": "",
        "subject": "kgr:alliance-russia-north-korea", "property": "kg:partner", "best": "yes",
    }
    assert ask("provenance", node="kgr:claim-unattributed-close-alliance") == [
        {**common, "value": "kgr:north-korea"}, {**common, "value": "kgr:russia"}]


def test_provenance_of_a_derived_edge(ask: Ask) -> None:
    record = ("<https://w3id.org/geokg/id/derived/north-korea/suppliesArmsTo/russia/from/"
              "transfer-north-korea-russia-munitions>")
    rows = ask("provenance", node=record)
    # Only the claims that hold and state the supplier and the recipient: not the West's
    # allegation, not the article's hedge (« peuvent s'avérer »).
    assert {(r["claim"], r["how"], r["stance"]) for r in rows} == {
        ("kgr:claim-mongrenier-deliveries-helped-russia", "derived from", "kgv:assesses"),
        ("kgr:claim-mongrenier-russia-needs-north-korean-stocks", "derived from", "kgv:confirms"),
    }
    assert {r["property"] for r in rows} == {""}
