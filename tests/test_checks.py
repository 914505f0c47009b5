"""Quality checks (queries/checks/*-violation.rq): any row they return fails the build.

Each check runs on the ontology + vocabularies + a fixture, in Oxigraph (as the build runs
them). On the ontology alone and on every valid shape fixture it returns nothing. On its fixtures
under tests/fixtures/shapes/checks/ (`<check-name>.ttl` or `<check-name>--<variant>.ttl`) it
returns exactly the rows the fixture's `# expect: <focus> "<message text>"` lines announce, and
rdflib returns the same rows (so that the queries stay portable SPARQL 1.1).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
import shape_harness as harness
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

CHECKS = sorted(harness.CHECKS_DIR.glob("*-violation.rq"))
CHECK_FIXTURES = harness.fixtures("checks")
VALID = harness.fixtures("valid")

Row = tuple[Node, str]


def check_named(name: str) -> Path:
    return harness.CHECKS_DIR / f"{name}-violation.rq"


def _rdf(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal), term
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


@cache
def loaded(path: Path | None) -> tuple[Graph, ox.Store]:
    """The data graph of a fixture (None: ontology and vocabularies only), also in Oxigraph."""
    data = harness.data_graph(path)
    store = ox.Store()
    store.load(data.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return data, store


def run_oxigraph(check: Path, path: Path | None) -> list[Row]:
    """The rows of a check in Oxigraph, the engine of the build."""
    _data, store = loaded(path)
    query = check.read_text(encoding="utf-8")
    return [(_rdf(row["focus"]), row["message"].value) for row in store.query(query)]


def run_both(check: Path, path: Path | None) -> list[Row]:
    """The rows of a check in Oxigraph, after checking that rdflib finds the same ones."""
    oxigraph = run_oxigraph(check, path)
    data, _store = loaded(path)
    rdflib = [(row.focus, str(row.message)) for row in data.query(check.read_text("utf-8"))]

    def key(rows: list[Row]) -> list[tuple[str, str]]:
        # Blank node labels differ between the engines; compare them as "_".
        return sorted(("_" if isinstance(f, BNode) else str(f), m) for f, m in rows)

    assert key(oxigraph) == key(rdflib), f"{check.name}: Oxigraph and rdflib disagree"
    return oxigraph


def _id(path: Path) -> str:
    return path.stem


# --- form of the check files -------------------------------------------------------------------

def test_there_are_checks() -> None:
    assert CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=_id)
def test_check_has_title_description_and_focus_message(check: Path) -> None:
    text = check.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any(re.match(r"#\s*title:\s*\S", line) for line in header), "no '# title:'"
    assert any(re.match(r"#\s*description:\s*\S", line) for line in header), "no '# description:'"
    query = prepareQuery(text)
    variables = {str(v) for v in query.algebra["PV"]}
    assert {"focus", "message"} <= variables, f"projects {sorted(variables)}"
    ox.Store().query(text)  # Oxigraph parses it too


# --- no false alarms ---------------------------------------------------------------------------

@pytest.mark.parametrize("check", CHECKS, ids=_id)
def test_check_is_silent_on_the_ontology_and_the_valid_fixtures(check: Path) -> None:
    for path in [None, *VALID]:
        rows = run_oxigraph(check, path)
        where = "ontology and vocabularies" if path is None else path.name
        assert not rows, f"{check.name} fires on {where}: {rows}"


# --- each check catches what it is for ---------------------------------------------------------

def test_every_check_has_a_fixture() -> None:
    covered = {path.stem.split("--")[0] for path in CHECK_FIXTURES}
    assert {c.name.removesuffix("-violation.rq") for c in CHECKS} <= covered


@pytest.mark.parametrize("path", CHECK_FIXTURES, ids=_id)
def test_check_fixture_returns_exactly_the_expected_rows(path: Path) -> None:
    fixture = harness.read_fixture(path)
    check = check_named(path.stem.split("--")[0])
    assert check.is_file(), f"{fixture.name}: no check {check.name}"
    assert fixture.expects, f"{fixture.name} has no '# expect:' line"
    data = loaded(path)[0]
    rows = run_both(check, path)

    def matches(expect: list[str], row: Row) -> bool:
        focus, text = expect
        return harness.focus_matches(focus, row[0], data) and text in row[1]

    for expect in fixture.expects:
        assert len(expect) == 2, f"{fixture.name}: expect needs <focus> \"<text>\""
        assert any(matches(expect, row) for row in rows), f"no row for {expect}; got {rows}"
    for row in rows:
        assert any(matches(e, row) for e in fixture.expects), f"unexpected row {row}"
