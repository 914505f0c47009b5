"""The Python API, for notebooks and scripts: the query catalogue and its answers.

    import kg
    kg.queries()                                  # the catalogue: names, titles, parameters
    found = kg.query("timeline", a="kgr:north-korea", b="kgr:russia")
    found.rows[0]                                 # {"a": "kgr:north-korea", "date": date(...), ...}
    found.to_pandas()                             # a DataFrame, dates as datetime64

A query runs as `kg query` runs it: on the store `kg build` left in build/, or on a SPARQL
endpoint (`endpoint=`), its parameters checked against their declared types and bound as RDF
terms (kg.params). Values are read into Python: IRIs as prefixed names where the project has a
prefix for them (the form parameters take back), numbers as int, Decimal or float, xsd:date as
datetime.date, booleans as bool, other literals as their text.

`import kg` loads none of this: kg/__init__.py imports this module on first use.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import pyoxigraph as ox

from kg.backend import OxTerm, SelectResult
from kg.catalogue import QueryFile, find_query, load_catalogue, load_query_file
from kg.errors import KgError
from kg.params import Param, bind
from kg.prefixes import PREFIXES, qname
from kg.progress import describe
from kg.project import Project, find_root
from kg.querying import open_backend, select
from kg.results import display, format_table
from kg.settings import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    import pandas

Value = str | int | float | bool | Decimal | date | datetime
"""A value of a result row (see the module docstring for which RDF term gives which)."""

_XSD = PREFIXES["xsd"]
_INTEGERS = {f"{_XSD}{name}" for name in (
    "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}


@dataclass(frozen=True)
class QueryInfo:
    """One query of the catalogue (queries/NAME.rq), as `kg queries NAME` shows it."""

    name: str
    title: str
    description: str
    keywords: tuple[str, ...]
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    file: str
    sparql: str = field(repr=False)


def _info(entry: QueryFile) -> QueryInfo:
    return QueryInfo(entry.name, entry.title, entry.description, entry.keywords, entry.params,
                     entry.examples, entry.origin, entry.body)


def queries(root: str | os.PathLike[str] | None = None) -> list[QueryInfo]:
    """The query catalogue of the repository at `root` (default: the checkout kg is installed
    from, else the nearest one above the working directory), sorted by name."""
    return [_info(entry) for entry in load_catalogue(_root(root))]


def _root(root: str | os.PathLike[str] | None) -> Path:
    return find_root(None if root is None else Path(root))


def _lexical(name: str, value: object) -> str:
    """A Python value as the text `--param name=TEXT` would give; its type is checked later."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):  # a pandas Timestamp too: a date at midnight is that day
        if value.tzinfo is None and value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"parameter {name!r}: a {type(value).__name__} cannot be given; give text "
                    "(kgr:russia, Corée@fr), an int, a bool or a datetime.date")


def query(name: str | os.PathLike[str], params: Mapping[str, object] | None = None, /, *,
          endpoint: str | None = None, timeout: int = DEFAULT_TIMEOUT,
          root: str | os.PathLike[str] | None = None, **values: object) -> Result:
    """Run a catalogue query (`name`) or a query file (a path), and return its answer.

    Parameters are given as keywords (`a="kgr:russia"`, `asOf=date(1990, 1, 1)`), or in the
    `params` mapping for a parameter whose name is one of this function's own (`endpoint`,
    `timeout`, `root`); None leaves a parameter unset. Each value is checked against the type its
    query declares, as `kg query --param` checks it: KgError names the parameter otherwise.
    With `endpoint`, the query runs on that SPARQL 1.1 endpoint (credentials as for
    `kg query --endpoint`; `timeout` in seconds); else on build/store under `root`.
    """
    twice = sorted(set(params or {}) & set(values))
    if twice:
        raise KgError(f"parameter {twice[0]!r} is given twice")
    given = {key: _lexical(key, value) for key, value in [*(params or {}).items(),
                                                          *values.items()] if value is not None}
    project = Project(_root(root))
    if isinstance(name, str):
        entry = find_query(project.root, name)
    else:
        entry = load_query_file(Path(name), project.root)
    bindings = bind(entry.params, given, entry.origin)
    with closing(open_backend(project, endpoint, timeout)) as backend:  # releases the build
        answer = select(backend, entry, bindings)
    return Result(entry.name, answer, tuple(p.name for p in entry.params))


def python_value(term: OxTerm) -> Value:
    """An RDF term as a Python value (see the module docstring)."""
    if isinstance(term, ox.NamedNode):
        return qname(term.value) or term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    datatype = term.datatype.value
    text = term.value
    try:
        if datatype in _INTEGERS:
            return int(text)
        if datatype == f"{_XSD}date" and len(text) == 10:  # without a time zone
            return date.fromisoformat(text)
        if datatype == f"{_XSD}dateTime":
            return datetime.fromisoformat(text)
        if datatype == f"{_XSD}decimal":
            return Decimal(text)
        if datatype in (f"{_XSD}double", f"{_XSD}float"):
            return float(text)
        if datatype == f"{_XSD}boolean":
            return text in ("true", "1")
    except (ValueError, InvalidOperation):  # an ill-typed literal keeps its text
        pass
    return text


class Result(Sequence[dict[str, Value]]):
    """The answer to a query: a sequence of rows, each a dict from variable to value (a variable
    without a value in a row is left out of its dict). An ASK query has no rows and sets
    `boolean`. `print(result)` shows the table of `kg query`; in a notebook, the same table."""

    def __init__(self, name: str, answer: SelectResult, params: Sequence[str] = ()) -> None:
        self.name = name
        self.variables: tuple[str, ...] = tuple(answer.variables)
        self.rows: tuple[dict[str, Value], ...] = tuple(
            {key: python_value(term) for key, term in row.items()} for row in answer.rows)
        self.boolean = answer.boolean
        self.params = tuple(params)  # the query's parameters: columns the tables leave out
        self._answer = answer

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Value]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[dict[str, Value]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Value] | Sequence[dict[str, Value]]:
        return self.rows[index]

    def __iter__(self) -> Iterator[dict[str, Value]]:
        return iter(self.rows)

    def __repr__(self) -> str:
        if self.boolean is not None:
            return f"<kg.Result {self.name}: {str(self.boolean).lower()}>"
        counts = describe({"row": len(self.rows), "variable": len(self.variables)})
        return f"<kg.Result {self.name}: {counts}>"

    def __str__(self) -> str:
        return format_table(self._answer, hidden=self.params)

    def _repr_html_(self) -> str:
        """The table of `kg query`, as HTML for a notebook."""
        if self.boolean is not None:
            return f"<p>{str(self.boolean).lower()}</p>"
        columns, rows = display(self._answer, hidden=self.params)

        def cells(tag: str, texts: Sequence[str]) -> str:
            return "".join(f"<{tag}>{html.escape(t)}</{tag}>" for t in texts)

        body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
        return (f"<table><thead><tr>{cells('th', columns)}</tr></thead><tbody>{body}</tbody>"
                f"</table><p>{html.escape(self.name)}: {describe({'row': len(rows)})}</p>")

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame, one column per variable, in the query's order.

        A column of xsd:date values is datetime64 (any year, at one-second resolution); one of
        whole numbers Int64, of booleans boolean (pandas' nullable types); a missing value is
        NaT or NA. Needs pandas (`pip install pandas`).
        """
        if self.boolean is not None:
            raise KgError(f"{self.name} is an ASK query: its answer is .boolean, not rows")
        try:
            import pandas
        except ImportError:
            raise ImportError("Result.to_pandas() needs pandas: pip install pandas") from None
        columns = {name: _column([row.get(name) for row in self.rows]) for name in self.variables}
        return pandas.DataFrame(columns, columns=list(self.variables))


def _column(found: list[Any]) -> object:
    """The values of one variable as a pandas column: typed where they all share a type."""
    import numpy
    import pandas

    kinds = {type(v) for v in found if v is not None}
    if kinds == {date}:
        days = numpy.array([v or "NaT" for v in found], dtype="datetime64[D]")
        return pandas.Series(days).astype("datetime64[s]")
    if kinds == {int}:
        return pandas.array(found, dtype="Int64")
    if kinds == {bool}:
        return pandas.array(found, dtype="boolean")
    return found


__all__ = ["QueryInfo", "Result", "Value", "queries", "query", "python_value"]
