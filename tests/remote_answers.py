"""Every documented catalogue example, answered locally and by a SPARQL endpoint, compared row
for row (tests/test_remote.py on Oxigraph's server, tests/test_virtuoso.py on Virtuoso)."""

from __future__ import annotations

import json
import re
import shlex
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kg.catalogue import QueryFile, find_query, load_catalogue
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
XSD = "http://www.w3.org/2001/XMLSchema#"
# Oxigraph's store keeps a literal of a type derived from xsd:integer as an xsd:integer
# (docs/DESIGN.md, "The build"); other stores keep the type the data gives (the selectors'
# offsets are xsd:nonNegativeInteger). The same number, compared as one.
INTEGERS = {XSD + name for name in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                                    "negativeInteger", "long", "int", "short", "byte",
                                    "unsignedLong", "unsignedInt", "unsignedShort",
                                    "unsignedByte")}
EXAMPLES = [pytest.param(entry, example, id=" ".join(shlex.split(example)[2:]))
            for entry in load_catalogue(ROOT) for example in entry.examples]


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


def answer(capsys: pytest.CaptureFixture[str], root: Path, example: str, *extra: str) -> Answer:
    """The variables and rows of an example, as JSON terms; a GROUP_CONCAT's values sorted."""
    code = main(["--root", str(root), *shlex.split(example)[1:], "-f", "json", *extra])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return comparable(json.loads(out), find_query(root, shlex.split(example)[2]).body)


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


def same_answers(capsys: pytest.CaptureFixture[str], root: Path, entry: QueryFile, example: str,
                 endpoint: str) -> bool:
    """Whether `example` gives the same variables and rows locally and at `endpoint`."""
    assert_same(entry.body, answer(capsys, root, example),
                answer(capsys, root, example, "--endpoint", endpoint))
    return True


def assert_same(query: str, local: Answer, remote: Answer) -> None:
    """The same variables, and the same rows: in the same order when `query` orders them, else
    as the same multiset."""
    assert remote[0] == local[0]
    if re.search(r"\bORDER\s+BY\b", query, re.IGNORECASE):
        assert remote[1] == local[1]
    else:
        assert Counter(map(str, remote[1])) == Counter(map(str, local[1]))
