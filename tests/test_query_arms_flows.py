"""queries/arms-flows.rq: arms and technology flows to, from or through a state."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.store import StoreBackend

Ask = Callable[..., list[dict[str, str]]]
SUSPECTED = "kgr:transfer-china-russia-via-north-korea"


def flows(rows: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(r["transfer"], r["role"], r["standing"]) for r in rows]


def test_flows_to_and_from_russia(ask: Ask) -> None:
    rows = ask("arms-flows")
    assert flows(rows) == [
        (SUSPECTED, "recipient", "not established"),
        ("kgr:transfer-iran-russia-shahed-drones", "recipient", "established"),
        ("kgr:transfer-north-korea-russia-ballistic-missiles", "recipient", "established"),
        ("kgr:transfer-north-korea-russia-munitions", "recipient", "established"),
        ("kgr:transfer-russia-north-korea-space-ballistic-technology", "supplier", "established"),
    ]
    by_transfer = {r["transfer"]: r for r in rows}
    missiles = by_transfer["kgr:transfer-north-korea-russia-ballistic-missiles"]
    assert (missiles["supplier"], missiles["recipient"], missiles["items"], missiles["start"],
            missiles["endStatus"], missiles["ongoingAsOf"], missiles["endUse"],
            missiles["usedAgainst"]) == (
        "kgr:north-korea", "kgr:russia", "ballistic missiles", "..2024-06-18 (unknown)",
        "kgv:ongoing", "2024-06-18 (day)", "strikes on Ukrainian targets", "kgr:ukraine")
    assert set(missiles["claims"].split("; ")) == {
        "John Kirby: asserts", "Jean-Sylvestre Mongrenier: confirms"}
    drones = by_transfer["kgr:transfer-iran-russia-shahed-drones"]
    assert (drones["items"], drones["designation"], drones["endStatus"]) == (
        "drones", "Shahed", "kgv:end-unknown")
    technology = by_transfer["kgr:transfer-russia-north-korea-space-ballistic-technology"]
    assert (technology["kind"], set(technology["items"].split(", "))) == (
        "kg:TechnologyTransfer", {"space technology", "ballistic technology"})


def test_the_suspected_chinese_transfer_through_north_korea(ask: Ask) -> None:
    row = [r for r in ask("arms-flows") if r["transfer"] == SUSPECTED][0]
    assert (row["supplier"], row["recipient"], row["intermediary"], row["claims"],
            row["purpose"]) == (
        "kgr:china", "kgr:russia", "kgr:north-korea", "some observers: suspects",
        "to send them discreetly and avoid Western sanctions")
    assert set(row["items"].split(", ")) == {"arms", "munitions"}


@pytest.mark.parametrize("state", ["kgr:russia", "kgr:china", "kgr:north-korea"])
def test_a_suspected_flow_is_never_reported_as_established(ask: Ask, state: str) -> None:
    rows = [r for r in ask("arms-flows", state=state) if r["transfer"] == SUSPECTED]
    assert rows and {r["standing"] for r in rows} == {"not established"}


def test_the_derived_layer_agrees(backend: StoreBackend) -> None:
    established = backend.select(
        "ASK { kgr:china kg:suppliesArmsTo|kg:allegedlySuppliesArmsTo kgr:russia }", {})
    assert established.boolean is False


def test_north_korea_as_supplier_recipient_and_intermediary(ask: Ask) -> None:
    assert flows(ask("arms-flows", state="kgr:north-korea")) == [
        (SUSPECTED, "intermediary", "not established"),
        ("kgr:transfer-russia-north-korea-space-ballistic-technology", "recipient", "established"),
        ("kgr:transfer-north-korea-russia-ballistic-missiles", "supplier", "established"),
        ("kgr:transfer-north-korea-russia-munitions", "supplier", "established"),
    ]


def test_a_flow_to_a_state_s_forces_counts_for_the_state(ask: Ask) -> None:
    rows = ask("arms-flows", state="kgr:ukraine")
    assert [(r["transfer"], r["role"], r["recipient"]) for r in rows] == [
        ("kgr:transfer-west-ukraine-munitions", "recipient", "kgr:ukrainian-forces")]
