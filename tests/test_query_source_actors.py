"""queries/source-actors.rq: the persons, organisations and states a source names."""

from __future__ import annotations

from collections.abc import Callable

Ask = Callable[..., list[dict[str, str]]]


def by_actor(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["actor"]: r for r in rows}


def test_the_article_names_states_people_bodies_and_collective_actors(ask: Ask) -> None:
    rows = ask("source-actors")
    assert len(rows) == len({r["actor"] for r in rows}) == 21
    kinds = [r["kind"] for r in rows]
    assert kinds == sorted(kinds)
    assert {r["actor"] for r in rows if r["kind"] == "state"} == {
        "kgr:russia", "kgr:north-korea", "kgr:china", "kgr:iran", "kgr:ukraine",
        "kgr:soviet-union"}
    assert {r["actor"] for r in rows if r["kind"] == "person"} == {
        "kgr:vladimir-putin", "kgr:kim-jong-un", "kgr:john-kirby",
        "kgr:jean-sylvestre-mongrenier", "kgr:mikhail-gorbachev", "kgr:diane-regny"}


def test_metonyms_are_resolved_to_the_state_they_stand_for(ask: Ask) -> None:
    actors = by_actor(ask("source-actors"))
    named_as = {actor: set(row["namedAs"].split(", ")) for actor, row in actors.items()
                if row["namedAs"]}
    assert named_as == {
        "kgr:russia": {"« Moscou »", "« le Kremlin »"},
        "kgr:north-korea": {"« Pyongyang »"},
        "kgr:china": {"« Pékin »"},
        "kgr:iran": {"« Téhéran »"},
        "kgr:ukraine": {"« Kiev »"},
    }
    # Iran is named only as « Téhéran » and as a member of the axis: the metonym is a role.
    assert set(actors["kgr:iran"]["roles"].split(", ")) == {"named by metonym", "member",
                                                             "supplier"}
    # A literal city stays a place: Pyongyang, Moscow and Beijing are no actors.
    assert not {"kgr:pyongyang", "kgr:moscow", "kgr:beijing"} & actors.keys()


def test_roles_and_affiliations(ask: Ask) -> None:
    actors = by_actor(ask("source-actors"))
    kirby = actors["kgr:john-kirby"]
    assert set(kirby["roles"].split(", ")) == {"claimant", "holder"}
    assert kirby["affiliations"] == (
        "spokesperson, National Security Council of the White House")
    assert set(actors["kgr:vladimir-putin"]["affiliations"].split("; ")) == {
        "president, Russia", "intelligence service member, KGB"}
    assert actors["kgr:white-house-national-security-council"]["affiliations"] == (
        "part of White House")
    assert actors["kgr:diane-regny"]["roles"] == "author of the source"
    assert actors["kgr:20-minutes"]["roles"] == "publisher of the source"
    assert actors["kgr:the-west"]["kind"] == "unnamed collective actor"
    assert set(actors["kgr:the-west"]["roles"].split(", ")) == {"claimant", "supplier",
                                                                "imposed by"}


def test_a_reference_source_names_only_its_own_actors(ask: Ask) -> None:
    rows = ask("source-actors", source="kgr:src-tass-2024-11-09")
    assert [(r["actor"], r["roles"]) for r in rows] == [
        ("kgr:tass", "publisher of the source"),
        ("kgr:vladimir-putin", "participant"),
        ("kgr:russia", "ratifying state"),
    ]
