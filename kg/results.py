"""Query results as text: a terminal table, Markdown, or the standard SPARQL 1.1 result formats.

`csv`, `tsv` and `json` follow the W3C SPARQL 1.1 Query Results CSV/TSV and JSON formats and show
every variable as returned. `table` and `md` are for reading: IRIs are written as prefixed names,
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
from collections.abc import Callable, Collection, Sequence

import pyoxigraph as ox

from kg.backend import OxTerm, SelectResult
from kg.display import text
from kg.prefixes import PREFIXES, XSD_STRING

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
    """Column names and cell texts for reading, with date columns merged and `hidden` left out."""
    variables = [v for v in result.variables if v not in hidden]
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
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    if rows and sum(widths) + 2 * (len(widths) - 1) > width:
        label = max(len(c) for c in columns)
        blocks = []
        for number, row in enumerate(rows, 1):
            lines = [f"-[ {number} ]" + "-" * max(0, label - 3)]
            lines += [f"{c.ljust(label)} | {v}".rstrip() for c, v in zip(columns, row, strict=True)]
            blocks.append("\n".join(lines))
        return "\n".join(blocks) + f"\n{_count(rows)}\n"

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]),
                      *(line(r) for r in rows), _count(rows)]) + "\n"


def format_markdown(result: SelectResult, hidden: Collection[str] = ()) -> str:
    """A GitHub-flavoured Markdown table."""
    if result.boolean is not None:
        return f"{'true' if result.boolean else 'false'}\n"
    columns, rows = display(result, hidden)

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(columns), line(["---"] * len(columns)), *(line(r) for r in rows)]) + "\n"


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


def format_tsv(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results TSV: `?variables`, then terms in N-Triples syntax (Oxigraph
    writes them: canonical N-Triples, as kg.export does)."""
    if result.boolean is not None:
        return "true\n" if result.boolean else "false\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if row.get(v) is None else str(row[v])
                               for v in result.variables))
    return "\n".join(lines) + "\n"


def _json_term(node: OxTerm) -> dict[str, str]:
    if isinstance(node, ox.NamedNode):
        return {"type": "uri", "value": node.value}
    if isinstance(node, ox.BlankNode):
        return {"type": "bnode", "value": node.value}
    found = {"type": "literal", "value": node.value}
    if node.language:
        found["xml:lang"] = node.language
    elif node.datatype.value != XSD_STRING:
        found["datatype"] = node.datatype.value
    return found


def format_json(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.boolean is not None:
        document: dict[str, object] = {"head": {}, "boolean": result.boolean}
    else:
        document = {"head": {"vars": result.variables}, "results": {"bindings": [
            {v: _json_term(t) for v, t in row.items() if t is not None} for row in result.rows
        ]}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_STANDARD: dict[str, Callable[[SelectResult], str]] = {
    "csv": format_csv, "tsv": format_tsv, "json": format_json,
}


def render(result: SelectResult, fmt: str, width: int = 100, hidden: Collection[str] = ()) -> str:
    """The result in one of kg.settings.FORMATS. The formats for reading (table, md) leave out
    the `hidden` columns (the parameters, the same on every row) and fit the table to `width`."""
    if fmt == "table":
        return format_table(result, width, hidden)
    if fmt == "md":
        return format_markdown(result, hidden)
    return _STANDARD[fmt](result)
