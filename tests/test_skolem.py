"""Blank nodes named by their content (kg.skolem): what changes a name, and what does not."""

from __future__ import annotations

import re

import pytest

from kg.dataset import turtle_to_ntriples
from kg.errors import KgError
from kg.skolem import GENID, skolemize

HEAD = "@prefix e: <http://e/> .\n"
CLAIM_A = """e:claim-a e:says "a" ; e:evidence [ e:source e:doc ;
    e:selector [ e:exact "first quote" ] , [ e:start 1 ; e:end 12 ] ] ."""
CLAIM_B = """e:claim-b e:says "b" ; e:evidence [ e:source e:doc ;
    e:selector [ e:exact "second quote" ] , [ e:start 20 ; e:end 32 ] ] ."""


def skolem(turtle: str, origin: str = "a.ttl") -> bytes:
    return skolemize(turtle_to_ntriples(HEAD + turtle, origin, "http://e/"), origin)


def names(nt: bytes) -> set[str]:
    return set(re.findall(re.escape(GENID) + r"[0-9a-f]+", nt.decode()))


def test_every_blank_node_becomes_a_skolem_iri_of_128_bits() -> None:
    nt = skolem(CLAIM_A)
    assert b"_:" not in nt
    assert len(names(nt)) == 3  # the evidence record and its two selectors
    assert {len(name) - len(GENID) for name in names(nt)} == {32}


def test_reordering_a_file_changes_nothing() -> None:
    forward = skolem(CLAIM_A + "\n" + CLAIM_B)
    backward = skolem(CLAIM_B + "\n" + CLAIM_A.replace('e:says "a" ; ', "")
                      + '\ne:claim-a e:says "a" .')
    assert sorted(forward.splitlines()) == sorted(backward.splitlines())


def test_editing_another_claim_or_the_claim_itself_renames_nothing_here() -> None:
    before = names(skolem(CLAIM_A + "\n" + CLAIM_B))
    after = names(skolem(CLAIM_A.replace('"a"', '"a, edited"') + "\n"
                         + CLAIM_B.replace("second quote", "second quote, edited")))
    a_only = names(skolem(CLAIM_A))
    assert a_only <= before and a_only <= after


def test_a_node_is_named_by_the_path_that_reaches_it() -> None:
    same_content = '[ e:source e:doc ; e:selector [ e:exact "q" ] ]'
    one = names(skolem(f"e:claim-a e:evidence {same_content} ."))
    other = names(skolem(f"e:claim-b e:evidence {same_content} ."))
    assert one and other and not one & other


def test_what_a_node_says_is_in_its_name_and_in_its_parents() -> None:
    one = names(skolem(CLAIM_A))
    other = names(skolem(CLAIM_A.replace("first quote", "another quote")))
    # The quote selector says something else; its evidence says that selector; the position
    # selector is reached through that evidence.
    assert len(one) == 3 and not one & other


def test_two_blank_nodes_that_say_the_same_from_the_same_place_are_one() -> None:
    nt = skolem('e:s e:p [ e:q 1 ] , [ e:q 1 ] , [ e:q 2 ] .')
    assert len(names(nt)) == 2


def test_a_literal_that_looks_like_a_blank_node_is_left_alone() -> None:
    nt = skolem('e:s e:p "ends like a blank _:x" , "_:y"@en , "see _:z ." ; e:q [ e:r 1 ] .')
    text = nt.decode()
    for kept in ('"ends like a blank _:x"', '"_:y"@en', '"see _:z ."'):
        assert kept in text
    assert len(names(nt)) == 1


def test_a_cycle_of_blank_nodes_is_refused_with_its_labels() -> None:
    with pytest.raises(KgError, match=r"^a\.ttl: blank nodes that point to one another in a "
                                      r"cycle .*_:"):
        skolem("_:x e:p _:y . _:y e:p _:x . e:s e:q _:x .")


def test_an_iri_in_the_reserved_namespace_is_refused() -> None:
    with pytest.raises(KgError, match=rf"^b\.ttl: <{re.escape(GENID)}abc> is in the namespace "
                                      "reserved for the names of blank nodes"):
        skolem(f"e:s e:p <{GENID}abc> .", "b.ttl")
    assert b"genid" in skolem(f'e:s e:p "a literal may say <{GENID}abc>" .')


def test_a_long_list_is_named_without_deep_recursion() -> None:
    items = " ".join(str(i) for i in range(5000))
    nt = skolem(f"e:s e:list ( {items} ) .")
    assert len(names(nt)) == 5000
