"""queries/party-statements.rq: what a party said over time, and the attitudes attributed to it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ask_store, built_fixture

from kg.store import StoreBackend

Ask = Callable[..., list[dict[str, str]]]
FIXTURE = Path(__file__).parent / "fixtures" / "shapes" / "valid" / "stances.ttl"


def test_russia_speaks_through_its_president_and_is_said_to_want_and_rely_on(ask: Ask) -> None:
    rows = ask("party-statements", party="kgr:russia")
    attitudes = {(r["claim"], r["speaker"], r["claimant"], r["attitude"], r["verb"])
                 for r in rows if r["kind"] == "attitude"}
    assert attitudes == {
        ("kgr:claim-mongrenier-moscow-wants-arms", "kgr:russia",
         "kgr:jean-sylvestre-mongrenier", "kgv:wants", "souligne"),
        ("kgr:claim-mongrenier-kremlin-relies-on-stocks", "kgr:russia",
         "kgr:jean-sylvestre-mongrenier", "kgv:relies-on", "confirme"),
    }
    said = {r["claim"]: r for r in rows if r["kind"] == "said"}
    assert {r["speaker"] for r in said.values()} == {"kgr:vladimir-putin"}  # through his office
    assert said["kgr:claim-putin-unwavering-support"]["verb"] == "a assuré"
    assert said["kgr:claim-putin-unwavering-support"]["stated"] == "2024-06-18 (day)"
    assert rows[0]["claim"] == "kgr:claim-putin-new-world-2023"  # in order of date
    assert rows[0]["stated"] == "2023-10 (month)"
    relies = next(r for r in rows if r["claim"] == "kgr:claim-mongrenier-kremlin-relies-on-stocks")
    assert sorted(relies["about"].split("; ")) == [
        "North Korean ballistic missiles for Russia", "North Korean munitions for Russia"]
    assert relies["quote"] == "le Kremlin compte sur les stocks nord-coréens"


def test_the_attitudes_of_the_west_and_its_accusation(ask: Ask) -> None:
    rows = ask("party-statements", party="kgr:the-west")
    assert [(r["kind"], r["attitude"] or r["stance"], r["quote"][:40]) for r in rows] == [
        ("attitude", "kgv:fears", "redoutée par les Occidentaux"),
        ("attitude", "kgv:relies-on", "les Occidentaux ont longtemps compté sur"),
        ("said", "kgv:alleges", "Depuis le début de l’invasion russe en U"),
    ]
    assert {r["claimant"] for r in rows[:2]} == {"kgr:article-20minutes-2024-06"}


def test_known_on_keeps_what_was_stated_by_that_day(ask: Ask) -> None:
    """Kirby spoke on Tuesday 18 June; the article that says he is worried was published by
    the 19th (its date is 18 or 19 June): on the 18th only his own words are on record."""
    every = ask("party-statements", party="kgr:white-house")
    assert [(r["claim"], r["kind"]) for r in every] == [
        ("kgr:claim-kirby-ballistic-missiles", "said"),
        ("kgr:claim-article-kirby-worried", "attitude")]
    assert [r["claim"] for r in ask("party-statements", party="kgr:white-house",
                                    knownOn="2024-06-18")] == ["kgr:claim-kirby-ballistic-missiles"]
    assert ask("party-statements", party="kgr:white-house", knownOn="2024-06-17") == []


@pytest.fixture(scope="module")
def stances(tmp_path_factory: pytest.TempPathFactory) -> StoreBackend:
    """A made-up supplier that denies a transfer, then admits it (none in the article)."""
    return built_fixture(FIXTURE, tmp_path_factory.mktemp("stances"))


def test_a_supplier_denies_then_admits_and_the_admission_revises_the_denial(
        stances: StoreBackend) -> None:
    rows = ask_store(stances, "party-statements", party="kgr:borduria")
    assert [(r["stated"], r["stance"], r["verb"], r["revises"], r["revisedBy"]) for r in rows] == [
        ("2031-03-01 (day)", "kgv:denies", "dément", "", "kgr:claim-borduria-admits-shells"),
        ("2031-09-15 (day)", "kgv:admits", "reconnaît", "kgr:claim-borduria-denies-shells", ""),
    ]
    assert {r["about"] for r in rows} == {"Bordurian shells for Syldavia"}
    # Before the admission, the denial alone was on record.
    assert [r["stance"] for r in ask_store(stances, "party-statements", party="kgr:borduria",
                                           knownOn="2031-06-01")] == ["kgv:denies"]


def test_an_attitude_is_the_holders_not_the_claimants(stances: StoreBackend) -> None:
    rows = ask_store(stances, "party-statements", party="kgr:syldavia")
    assert [(r["kind"], r["attitude"], r["claimant"]) for r in rows] == [
        ("attitude", "kgv:relies-on", "kgr:source-example-gazette-2031-09-16")]
    assert ask_store(stances, "party-statements",
                     party="kgr:source-example-gazette-2031-09-16")[0]["kind"] == "said"
