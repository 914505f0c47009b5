"""Typed parameters: each value becomes one RDF term of its declared type, or a clear error."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import EXIT_USAGE, KgError
from kg.params import _PARSERS, PARAM_TYPES, Param, bind, parse_assignments, term
from kg.prefixes import PREFIXES

IRI = ox.NamedNode


def typed(lexical: str, xsd_type: str) -> ox.Literal:
    return ox.Literal(lexical, datatype=ox.NamedNode(PREFIXES["xsd"] + xsd_type))


PARAMS = [
    Param("state", "iri", required=True, example="kgr:russia"),
    Param("asOf", "date", default="2024-06-19"),
    Param("limit", "integer"),
]


def test_every_type_has_a_parser_and_a_description() -> None:
    assert set(_PARSERS) == set(PARAM_TYPES) == {
        "iri", "date", "string", "langString", "integer", "boolean"}


@pytest.mark.parametrize(("type_name", "raw", "expected"), [
    ("iri", "kgr:russia", IRI("https://w3id.org/geokg/id/russia")),
    ("iri", "wd:Q159", IRI("http://www.wikidata.org/entity/Q159")),
    ("iri", "kgr:treaty-1961-ussr-dprk", IRI("https://w3id.org/geokg/id/treaty-1961-ussr-dprk")),
    ("iri", "<https://example.org/a/b?c=d#e>", IRI("https://example.org/a/b?c=d#e")),
    ("iri", "https://w3id.org/geokg/id/russia", IRI("https://w3id.org/geokg/id/russia")),
    ("iri", "<urn:isbn:0451450523>", IRI("urn:isbn:0451450523")),
    ("date", "1990-01-01", typed("1990-01-01", "date")),
    ("date", "2024-02-29", typed("2024-02-29", "date")),
    ("string", "Corée du Nord", ox.Literal("Corée du Nord")),
    ("string", "Core\u0301e", ox.Literal("Corée")),  # Unicode normal form C
    ("string", '" } UNION { ?s ?p ?o } #', ox.Literal('" } UNION { ?s ?p ?o } #')),
    ("langString", "Corée du Nord@fr", ox.Literal("Corée du Nord", language="fr")),
    ("langString", "a@b@en-GB", ox.Literal("a@b", language="en-gb")),
    ("integer", "42", typed("42", "integer")),
    ("integer", "-7", typed("-7", "integer")),
    ("integer", "+007", typed("7", "integer")),
    ("boolean", "true", typed("true", "boolean")),
    ("boolean", "0", typed("false", "boolean")),
])
def test_values_become_terms(type_name: str, raw: str, expected: object) -> None:
    found = term(type_name, raw)
    assert found == expected and type(found) is type(expected)
    if isinstance(expected, ox.Literal):
        assert (found.value, found.datatype, found.language) == (
            expected.value, expected.datatype, expected.language)


@pytest.mark.parametrize(("type_name", "raw", "reason"), [
    ("iri", "russia", "expected a prefixed name"),
    ("iri", "kgx:russia", "unknown prefix 'kgx'"),
    ("iri", "kgr:russia>", "expected a prefixed name"),
    ("iri", "kgr:russia } UNION {", "expected a prefixed name"),
    ("iri", 'kgr:a"b', "expected a prefixed name"),
    ("iri", "kgr:", "expected a prefixed name"),
    ("iri", "<https://w3id.org/geokg/id/russia> ?p ?o", "with nothing after them"),
    ("iri", "<https://example.org/a b>", "an IRI cannot contain ' '"),
    ("iri", "<https://example.org/a>b>", "an IRI cannot contain '>'"),
    ("iri", '<https://example.org/"x">', "an IRI cannot contain '\"'"),
    ("iri", "<https://example.org/{x}>", "an IRI cannot contain '{' '}'"),
    ("iri", "<https://example.org/\nx>", "an IRI cannot contain '\\n'"),
    ("iri", "https://example.org/> } UNION { ?s ?p ?o", "an IRI cannot contain ' ' '>' '{' '}'"),
    ("iri", "<relative/path>", "a full IRI starts with a scheme"),
    ("iri", "<https://example.org/a%zz>", "Invalid IRI percent encoding"),
    ("date", "1990", "expected a date written YYYY-MM-DD"),
    ("date", "1990-1-1", "expected a date written YYYY-MM-DD"),
    ("date", "19900101", "expected a date written YYYY-MM-DD"),
    ("date", "1990-01-01T00:00:00", "expected a date written YYYY-MM-DD"),
    ("date", '1990-01-01"^^xsd:date } #', "expected a date written YYYY-MM-DD"),
    ("date", "2023-02-29", "2023-02-29 is not a day of the calendar"),
    ("string", "a\u0001b", "control characters are not allowed: U+0001"),
    ("langString", "Corée", "expected text@lang"),
    ("langString", "Corée@", "expected text@lang"),
    ("langString", 'x@fr" } #', "expected text@lang"),
    ("langString", "Corée@a", "language subtag is invalid"),
    ("integer", "4.2", "expected a whole number"),
    ("integer", "1e3", "expected a whole number"),
    ("boolean", "yes", "expected true or false"),
])
def test_values_of_the_wrong_shape_are_refused(type_name: str, raw: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        term(type_name, raw)
    assert reason in str(caught.value)


def test_bind_applies_defaults_and_leaves_optional_parameters_unbound() -> None:
    assert bind(PARAMS, {"state": "kgr:china"}, "q.rq") == {
        "state": IRI("https://w3id.org/geokg/id/china"),
        "asOf": typed("2024-06-19", "date"),
    }


@pytest.mark.parametrize(("given", "message"), [
    ({}, "missing required parameter 'state' (an IRI: a prefixed name such as kgr:russia, or a "
         "full IRI in <angle brackets>), e.g. --param state=kgr:russia"),
    ({"state": "kgr:china", "when": "2000-01-01"},
     "unknown parameter 'when' for q.rq (parameters: state, asOf, limit)"),
    ({"state": "kgr:china", "asOf": "2000"},
     "parameter 'asOf': '2000' is not date: expected a date written YYYY-MM-DD"),
    ({"state": "kgr:china> } UNION { ?s ?p ?o"},
     "parameter 'state': 'kgr:china> } UNION { ?s ?p ?o' is not iri: expected a prefixed name "
     "(kgr:russia) or a full IRI in <angle brackets>"),
])
def test_bind_errors_name_the_parameter(given: dict[str, str], message: str) -> None:
    with pytest.raises(KgError) as caught:
        bind(PARAMS, given, "q.rq")
    assert caught.value.message == message
    assert caught.value.exit_code == EXIT_USAGE


def test_a_query_without_parameters_takes_none() -> None:
    with pytest.raises(KgError, match=r"unknown parameter 'a' for q.rq \(parameters: none\)"):
        bind([], {"a": "1"}, "q.rq")


def test_assignments() -> None:
    assert parse_assignments(["a=kgr:x", "term=x=y", "empty="]) == {
        "a": "kgr:x", "term": "x=y", "empty": ""}
    with pytest.raises(KgError, match="--param 'a': expected key=value"):
        parse_assignments(["a"])
    with pytest.raises(KgError, match="--param '=x': expected key=value"):
        parse_assignments(["=x"])
    with pytest.raises(KgError, match="parameter 'a' is given twice"):
        parse_assignments(["a=1", "a=2"])


def test_usage_text() -> None:
    assert [p.usage() for p in PARAMS] == [
        "state=iri (required)", "asOf=date (default 2024-06-19)", "limit=integer (optional)"]
