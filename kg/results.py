"""Query results as text: a terminal table, Markdown, or the standard SPARQL result formats.

`csv`, `tsv`, `json` and `xml` are the W3C SPARQL Query Results formats and show every variable
as returned; Oxigraph's serializers write TSV, JSON and XML. CSV is written with Python's csv
module: Oxigraph 0.5 leaves an IRI that holds a comma unquoted, which splits its column.
`table` and `md` are for reading (laid out by tabulate): IRIs are written as prefixed names,
literals by their text, and a date the query returns with its precision is shown in one column.

The date convention: a variable `?x` (the earliest day) with a companion `?xPrecision` (a concept
of kgv:date-precisions) and optionally `?xLatest` (the latest day) is shown as one column `x`,
e.g. `2024-06-19 (day)`, `1996-09 (month)`, `1980s (decade)`, `..2024-06-19 (unknown)`. In a row
where the companions are unbound, `?x` is not a date (a statement's value may be a date or an
actor) and is shown as any other term.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Sequence

import pyoxigraph as ox
from tabulate import tabulate

from kg.backend import OxTerm, SelectResult
from kg.display import text
from kg.prefixes import PREFIXES

_KGV = PREFIXES["kgv"]
_PRECISIONS = {f"{_KGV}day": "day", f"{_KGV}week": "week", f"{_KGV}month": "month",
               f"{_KGV}year": "year", f"{_KGV}decade": "decade",
               f"{_KGV}unknown-precision": "unknown"}


def date_text(earliest: OxTerm | None, latest: OxTerm | None, precision: OxTerm | None) -> str:
    """A date known to a precision, from its bounds: `1996-09 (month)`, `..2024-06-19 (unknown)`."""
    first = earliest.value if earliest is not None else None
    last = latest.value if latest is not None else None
    if first is None and last is None:
        return "" if precision is None else "unknown"
    name = _PRECISIONS.get(precision.value) if isinstance(precision, ox.NamedNode) else None
    cut = {"day": 10, "month": 7, "year": 4}.get(name or "")
    if first is not None and cut:
        when = first[:cut]
    elif first is not None and name == "decade":
        when = f"{first[:3]}0s"
    elif first == last:
        when = str(first)
    else:
        when = f"{first or ''}..{last or ''}"
    if precision is None:
        return when
    return f"{when} ({name or text(precision)})"


def display(result: SelectResult,
            hidden: Collection[str] = ()) -> tuple[list[str], list[list[str]]]:
    """Column names and cell texts for reading, with date columns merged. A `hidden` column (a
    parameter of the query) is left out when it has the same value on every row: a parameter
    given, or an optional one left unbound; an optional parameter the query answers for every
    value of stays."""
    variables = [v for v in result.variables
                 if v not in hidden or len({row.get(v) for row in result.rows}) > 1]
    dates = {v: (f"{v}Latest", f"{v}Precision") for v in variables
             if f"{v}Precision" in variables}
    merged = {part for latest, precision in dates.values() for part in (latest, precision)}
    columns = [v for v in variables if v not in merged]
    rows = []
    for row in result.rows:
        cells = []
        for v in columns:
            latest, precision = dates.get(v, ("", ""))
            if row.get(precision) is not None or row.get(latest) is not None:
                cells.append(date_text(row.get(v), row.get(latest), row.get(precision)))
            else:
                cells.append(text(row.get(v)))
        rows.append(cells)
    return columns, rows


def _count(rows: Sequence[object]) -> str:
    return f"({len(rows)} row{'' if len(rows) == 1 else 's'})"


def format_table(result: SelectResult, width: int = 100, hidden: Collection[str] = ()) -> str:
    """Aligned columns; rows too wide for `width` are shown one field per line instead."""
    if result.boolean is not None:
        return f"{'true' if result.boolean else 'false'}\n"
    columns, rows = display(result, hidden)
    table = [line.rstrip() for line in tabulate(
        rows, headers=columns, tablefmt="simple", disable_numparse=True).splitlines()]
    if rows and max(map(len, table)) > width:
        label = max(len(c) for c in columns)
        blocks = []
        for number, row in enumerate(rows, 1):
            lines = [f"-[ {number} ]" + "-" * max(0, label - 3)]
            lines += [f"{c.ljust(label)} | {v}".rstrip() for c, v in zip(columns, row, strict=True)]
            blocks.append("\n".join(lines))
        return "\n".join(blocks) + f"\n{_count(rows)}\n"
    return "\n".join([*table, _count(rows)]) + "\n"


def format_markdown(result: SelectResult, hidden: Collection[str] = ()) -> str:
    """A GitHub-flavoured Markdown table."""
    if result.boolean is not None:
        return f"{'true' if result.boolean else 'false'}\n"
    columns, rows = display(result, hidden)
    cells = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    return tabulate(cells, headers=columns, tablefmt="github", disable_numparse=True) + "\n"


def _csv_value(node: OxTerm | None) -> str:
    if node is None:
        return ""
    return f"_:{node.value}" if isinstance(node, ox.BlankNode) else node.value


def format_csv(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results CSV: variable names, then plain values; CRLF line ends."""
    if result.boolean is not None:
        return "true\r\n" if result.boolean else "false\r\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(row.get(v)) for v in result.variables])
    return out.getvalue()


_STANDARD = {"tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON,
             "xml": ox.QueryResultsFormat.XML}


def as_oxigraph(result: SelectResult) -> ox.QuerySolutions | ox.QueryBoolean:
    """The result as Oxigraph's own, for its serializers: read back from the SPARQL TSV results
    format, whose terms are N-Triples as Oxigraph writes them (a boolean from JSON)."""
    if result.boolean is not None:
        return ox.parse_query_results(json.dumps({"head": {}, "boolean": result.boolean}),
                                      format=ox.QueryResultsFormat.JSON)
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(str(row[v]) if v in row else "" for v in result.variables)
              for row in result.rows]
    return ox.parse_query_results("\n".join(lines) + "\n", format=ox.QueryResultsFormat.TSV)


def render(result: SelectResult, fmt: str, width: int = 100, hidden: Collection[str] = ()) -> str:
    """The result in one of kg.settings.FORMATS. The formats for reading (table, md) leave out
    the `hidden` columns (the parameters, the same on every row) and fit the table to `width`."""
    if fmt == "table":
        return format_table(result, width, hidden)
    if fmt == "md":
        return format_markdown(result, hidden)
    if fmt == "csv":
        return format_csv(result)
    written = (as_oxigraph(result).serialize(format=_STANDARD[fmt]) or b"").decode("utf-8")
    return written if written.endswith("\n") else written + "\n"
