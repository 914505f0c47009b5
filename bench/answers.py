"""Two answers of one SELECT query, from two engines, compared row for row (tests/test_remote.py
and tests/test_virtuoso.py, bench/virtuoso_parity.py).

Each answer is a SPARQL JSON results document made comparable: blank nodes alike, integers of
any derived type as xsd:integer, and the values of each list that the query joins sorted. Rows
are compared in order when the query orders them, else as multisets.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from kg.backend import Backend, OxTerm
from kg.catalogue import QueryFile
from kg.querying import select
from kg.results import render

XSD = "http://www.w3.org/2001/XMLSchema#"
# Oxigraph's store keeps a literal of a type derived from xsd:integer as an xsd:integer
# (docs/DESIGN.md, "The build"); other stores keep the type the data gives (the selectors'
# offsets are xsd:nonNegativeInteger). The same number, compared as one.
INTEGERS = {XSD + name for name in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                                    "negativeInteger", "long", "int", "short", "byte",
                                    "unsignedLong", "unsignedInt", "unsignedShort",
                                    "unsignedByte")}

Answer = tuple[list[str], list[dict[str, object]]]  # the variables, and the rows as JSON texts


def concatenated(query: str) -> dict[str, str]:
    """The variables that a `(GROUP_CONCAT(...; separator="X") AS ?name)` makes, also through
    functions around it, or a BIND makes from one, with their separators: SPARQL leaves the
    order of the joined values unspecified, so two engines (or two plans) may join them in
    different orders."""
    found = {}
    for match in re.finditer(r"GROUP_CONCAT\s*\(", query, re.IGNORECASE):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(query[end], 0)
            end += 1
        inside = query[match.end():end - 1]
        separator = re.search(r';\s*separator\s*=\s*"([^"]*)"\s*$', inside, re.IGNORECASE)
        # The first name after it: the list may pass through functions first
        # (`STRAFTER(CONCAT(?mark, REPLACE(GROUP_CONCAT(...), ...)), ?mark) AS ?list`).
        name = re.search(r"\bAS\s+\?(\w+)", query[end:], re.IGNORECASE)
        if separator and name:
            found[name.group(1)] = separator.group(1)
    # A value made from a joined list keeps its separator (`BIND (IF(STRLEN(?all) > 0, ?all,
    # ?none) AS ?list)`).
    for made in re.finditer(r"\bBIND\s*\((.*?)\s+AS\s+\?(\w+)\s*\)", query,
                            re.IGNORECASE | re.DOTALL):
        joined = [found[name] for name in re.findall(r"\?(\w+)", made.group(1)) if name in found]
        if joined:
            found[made.group(2)] = joined[0]
    return found


def comparable(document: dict[str, Any], query: str) -> Answer:
    """The variables and rows of a SPARQL JSON results document of `query`, each term as JSON
    text: blank nodes alike, integers of any derived type as xsd:integer, and the values of each
    list that `query` joins sorted."""
    separators = concatenated(query)

    def cell(name: str, term: dict[str, str]) -> object:
        if term["type"] == "bnode":
            return "_:"
        if term.get("datatype") in INTEGERS:
            term = {**term, "datatype": XSD + "integer"}
        if name in separators:
            term = {**term, "value": separators[name].join(
                sorted(term["value"].split(separators[name])))}
        return json.dumps(term, sort_keys=True)

    rows = [{name: cell(name, term) for name, term in row.items()}
            for row in document["results"]["bindings"]]
    return document["head"]["vars"], rows


def answer_on(backend: Backend, entry: QueryFile, bindings: Mapping[str, OxTerm]) -> Answer:
    """The comparable answer of the catalogue query `entry` on `backend`, run as `kg query`
    runs it and read from the SPARQL JSON results it writes."""
    return comparable(json.loads(render(select(backend, entry, bindings), "json")), entry.body)


def ordered(query: str) -> bool:
    """Whether `query` orders its rows (then two engines must give them in the same order)."""
    return re.search(r"\bORDER\s+BY\b", query, re.IGNORECASE) is not None


def differences(query: str, here: Answer, there: Answer) -> list[str]:
    """What differs between two answers of `query`, one line each (none when they are the
    same): the variables; else, when `query` orders its rows, the row counts and each differing
    cell of the rows side by side; else the rows that one answer has more often than the other."""
    if here[0] != there[0]:
        return [f"variables {here[0]} | {there[0]}"]
    if ordered(query):
        found = [f"{len(here[1])} rows | {len(there[1])}"] if len(here[1]) != len(there[1]) else []
        pairs = enumerate(zip(here[1], there[1], strict=False))
        return found + [f"row {number} ?{name}: {row.get(name)} | {other.get(name)}"
                        for number, (row, other) in pairs
                        for name in here[0] if row.get(name) != other.get(name)]
    mine, theirs = Counter(map(str, here[1])), Counter(map(str, there[1]))
    return ([f"only here: {row}" for row in (mine - theirs).elements()]
            + [f"only there: {row}" for row in (theirs - mine).elements()])
