"""Result formats: the table and Markdown for reading, CSV/TSV/JSON per SPARQL 1.1."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
from rdflib.query import Result

from kg.backend import OxTerm, SelectResult
from kg.prefixes import PREFIXES
from kg.results import date_text, display, render
from kg.settings import FORMATS
from kg.terms import to_rdf

DATE = PREFIXES["xsd"] + "date"


def day(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(DATE))


def kgr(local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES["kgr"] + local)


def kgv(local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES["kgv"] + local)


def as_rdflib(rows: list[dict[str, OxTerm]]) -> list[dict[str, object]]:
    """The rows in rdflib's terms, to compare with what rdflib's result parsers read."""
    return [{name: to_rdf(value) for name, value in row.items()} for row in rows]


def bound(parsed: Result) -> list[dict[str, object]]:
    """The rows rdflib's result parsers read, without unbound values (some rdflib versions give
    them as None)."""
    return [{str(k): v for k, v in b.items() if v is not None} for b in parsed.bindings]


RESULT = SelectResult(
    variables=["asOf", "treaty", "end", "endLatest", "endPrecision", "note", "count"],
    rows=[
        {"asOf": day("1996-01-01"), "treaty": kgr("treaty-1961-ussr-dprk"),
         "end": day("1996-09-01"), "endLatest": day("1996-09-30"), "endPrecision": kgv("month"),
         "note": ox.Literal('says "ended", | not "in force"'),
         "count": ox.Literal("2", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))},
        {"asOf": day("1996-01-01"), "treaty": ox.NamedNode("https://example.org/t?x=1,2"),
         "note": ox.Literal("tab\there\nnew line", language="en")},
        {"asOf": day("1996-01-01"), "treaty": ox.BlankNode("b0"), "end": day("2024-12-04"),
         "endLatest": day("2024-12-04"), "endPrecision": kgv("day")},
    ],
)


@pytest.mark.parametrize(("earliest", "latest", "precision", "expected"), [
    ("2024-06-19", "2024-06-19", kgv("day"), "2024-06-19 (day)"),
    ("1996-09-01", "1996-09-30", kgv("month"), "1996-09 (month)"),
    ("2014-01-01", "2014-12-31", kgv("year"), "2014 (year)"),
    ("1980-01-01", "1989-12-31", kgv("decade"), "1980s (decade)"),
    ("2024-06-10", "2024-06-16", kgv("week"), "2024-06-10..2024-06-16 (week)"),
    (None, "2024-06-19", kgv("unknown-precision"), "..2024-06-19 (unknown)"),
    ("2024-06-18", "2024-06-19", kgv("unknown-precision"), "2024-06-18..2024-06-19 (unknown)"),
    ("2024-06-18", None, kgv("unknown-precision"), "2024-06-18.. (unknown)"),
    (None, None, kgv("unknown-precision"), "unknown"),
    ("2000-01-01", "2000-01-01", None, "2000-01-01"),
    ("2000-01-01", "2000-12-31", None, "2000-01-01..2000-12-31"),
    ("2000-01-01", "2000-12-31", kgr("other-scale"), "2000-01-01..2000-12-31 (kgr:other-scale)"),
    (None, None, None, ""),
])
def test_dates_with_their_precision(earliest: str | None, latest: str | None,
                                    precision: ox.NamedNode | None, expected: str) -> None:
    assert date_text(day(earliest) if earliest else None, day(latest) if latest else None,
                     precision) == expected


def test_display_merges_date_columns_and_hides_the_parameters() -> None:
    columns, rows = display(RESULT, hidden={"asOf"})
    assert columns == ["treaty", "end", "note", "count"]
    assert rows == [
        ["kgr:treaty-1961-ussr-dprk", "1996-09 (month)", 'says "ended", | not "in force"', "2"],
        ["<https://example.org/t?x=1,2>", "", "tab\\there\\nnew line", ""],
        ["[]", "2024-12-04 (day)", "", ""],
    ]


def test_table() -> None:
    assert render(RESULT, "table", width=120, hidden={"asOf"}) == """\
treaty                         end               note                            count
-----------------------------  ----------------  ------------------------------  -------
kgr:treaty-1961-ussr-dprk      1996-09 (month)   says "ended", | not "in force"  2
<https://example.org/t?x=1,2>                    tab\\there\\nnew line
[]                             2024-12-04 (day)
(3 rows)
"""


def test_table_too_wide_for_the_terminal_shows_one_field_per_line() -> None:
    one = SelectResult(RESULT.variables, RESULT.rows[:1])
    assert render(one, "table", width=40, hidden={"asOf"}) == """\
-[ 1 ]---
treaty | kgr:treaty-1961-ussr-dprk
end    | 1996-09 (month)
note   | says "ended", | not "in force"
count  | 2
(1 row)
"""


def test_empty_table_keeps_its_header() -> None:
    assert render(SelectResult(["a", "b"]), "table") == "a    b\n---  ---\n(0 rows)\n"


def test_markdown() -> None:
    assert render(RESULT, "md", hidden={"asOf"}) == """\
| treaty                        | end              | note                            | count   |
|-------------------------------|------------------|---------------------------------|---------|
| kgr:treaty-1961-ussr-dprk     | 1996-09 (month)  | says "ended", \\| not "in force" | 2       |
| <https://example.org/t?x=1,2> |                  | tab\\there\\nnew line             |         |
| []                            | 2024-12-04 (day) |                                 |         |
"""


def test_a_parameter_column_is_hidden_only_when_it_is_the_same_on_every_row() -> None:
    # asOf given, knownOn optional and left unbound: both hidden. An optional parameter the
    # query answers for every value of (count here) differs from row to row: it stays.
    unbound = SelectResult([*RESULT.variables, "knownOn"], RESULT.rows)
    columns, _ = display(unbound, hidden={"asOf", "knownOn", "count"})
    assert columns == ["treaty", "end", "note", "count"]


def test_csv_per_sparql_results_csv() -> None:
    text = render(RESULT, "csv", hidden={"asOf"})
    lines = text.split("\r\n")
    assert lines[0] == "asOf,treaty,end,endLatest,endPrecision,note,count"
    assert lines[1] == (
        "1996-01-01,https://w3id.org/geokg/id/treaty-1961-ussr-dprk,1996-09-01,1996-09-30,"
        'https://w3id.org/geokg/vocab/month,"says ""ended"", | not ""in force""",2')
    assert lines[2] == '1996-01-01,"https://example.org/t?x=1,2",,,,"tab\there\nnew line",'
    assert text.endswith(",_:b0,2024-12-04,2024-12-04,https://w3id.org/geokg/vocab/day,,\r\n")
    parsed = Result.parse(io.StringIO(text), format="csv")
    assert [str(v) for v in parsed.vars] == RESULT.variables
    assert len(parsed.bindings) == 3


def test_tsv_per_sparql_results_tsv() -> None:
    text = render(RESULT, "tsv")
    lines = text.split("\n")
    assert lines[0] == "?asOf\t?treaty\t?end\t?endLatest\t?endPrecision\t?note\t?count"
    assert lines[2] == ('"1996-01-01"^^<http://www.w3.org/2001/XMLSchema#date>\t'
                        '<https://example.org/t?x=1,2>\t\t\t\t"tab\\there\\nnew line"@en\t')
    parsed = Result.parse(io.StringIO(text), format="tsv")
    assert bound(parsed)[:2] == as_rdflib(
        RESULT.rows[:2])


def test_json_per_sparql_results_json() -> None:
    text = render(RESULT, "json")
    document = json.loads(text)
    assert document["head"] == {"vars": RESULT.variables}
    first, second, third = document["results"]["bindings"]
    assert first["treaty"] == {"type": "uri",
                               "value": "https://w3id.org/geokg/id/treaty-1961-ussr-dprk"}
    assert first["end"] == {"type": "literal", "value": "1996-09-01", "datatype": DATE}
    assert first["note"] == {"type": "literal", "value": 'says "ended", | not "in force"'}
    assert second["note"] == {"type": "literal", "value": "tab\there\nnew line", "xml:lang": "en"}
    assert "end" not in second
    assert third["treaty"] == {"type": "bnode", "value": "b0"}
    parsed = Result.parse(io.StringIO(text), format="json")
    assert bound(parsed) == as_rdflib(RESULT.rows)


@pytest.mark.parametrize(("fmt", "expected"), [
    ("table", "true\n"), ("md", "true\n"), ("csv", "true\r\n"), ("tsv", "true\n"),
    ("json", '{"head":{},"boolean":true}\n'),
    ("xml", '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
            "</head><boolean>true</boolean></sparql>\n"),
])
def test_ask_results(fmt: str, expected: str) -> None:
    assert render(SelectResult([], boolean=True), fmt) == expected


def test_xml_per_sparql_results_xml() -> None:
    parsed = Result.parse(io.StringIO(render(RESULT, "xml")), format="xml")
    assert [str(v) for v in parsed.vars] == RESULT.variables
    assert bound(parsed) == as_rdflib(RESULT.rows)


def test_formats() -> None:
    assert FORMATS == ("table", "csv", "tsv", "json", "xml", "md")
