"""`kg stats`: counts over the built graph (`build/geokg.nt`), as plain aligned tables
(laid out by tabulate)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from tabulate import tabulate

from kg.display import text
from kg.errors import KgError
from kg.prefixes import PREFIXES

_LABEL = """OPTIONAL {{ {var} rdfs:label|skos:prefLabel|dcterms:title ?label
            FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }}"""

QUERIES: dict[str, tuple[str, Sequence[str], str]] = {
    # name: (title, column headers, query returning the key columns, ?n and ?label)
    "classes": ("Instances by class", ("class", "label", "instances"), f"""
        SELECT ?c (COUNT(DISTINCT ?s) AS ?n) (MIN(STR(?label)) AS ?lbl) WHERE {{
            ?s a ?c . {_LABEL.format(var="?c")}
        }} GROUP BY ?c"""),
    "relations": ("Relations and events by type", ("kind", "type", "label", "instances"), f"""
        SELECT ?kind ?c (COUNT(DISTINCT ?s) AS ?n) (MIN(STR(?label)) AS ?lbl) WHERE {{
            ?s a ?c . {_LABEL.format(var="?c")}
            FILTER EXISTS {{ VALUES ?top {{ kg:Relation kg:Event }} ?c rdfs:subClassOf* ?top }}
            BIND(IF(EXISTS {{ ?c rdfs:subClassOf* kg:Event }}, kg:Event, kg:Relation) AS ?kind)
        }} GROUP BY ?kind ?c"""),
    "stances": ("Claims by stance", ("stance", "label", "claims"), f"""
        SELECT ?stance (COUNT(DISTINCT ?claim) AS ?n) (MIN(STR(?label)) AS ?lbl) WHERE {{
            ?claim kg:stance ?stance . {_LABEL.format(var="?stance")}
        }} GROUP BY ?stance"""),
    "sources": ("Claims by source document", ("source", "title", "claims"), f"""
        SELECT ?doc (COUNT(DISTINCT ?claim) AS ?n) (MIN(STR(?label)) AS ?lbl) WHERE {{
            ?claim kg:hasEvidence ?evidence . ?evidence oa:hasSource ?doc .
            {_LABEL.format(var="?doc")}
        }} GROUP BY ?doc"""),
    "statements": ("Statements by source document", ("source", "title", "statements"), f"""
        SELECT ?doc (COUNT(DISTINCT ?statement) AS ?n) (MIN(STR(?label)) AS ?lbl) WHERE {{
            ?claim kg:supports ?statement ; kg:hasEvidence/oa:hasSource ?doc .
            {_LABEL.format(var="?doc")}
        }} GROUP BY ?doc"""),
    "ranks": ("Statements by rank", ("rank", "label", "statements"), f"""
        SELECT ?rank (COUNT(DISTINCT ?statement) AS ?n) (MIN(STR(?label)) AS ?lbl) WHERE {{
            ?statement kg:rank ?rank . {_LABEL.format(var="?rank")}
        }} GROUP BY ?rank"""),
    "contradictions": ("Contradictions by kind", ("kind", "label", "contradictions"), f"""
        SELECT ?kind (COUNT(DISTINCT ?c) AS ?n) (MIN(STR(?label)) AS ?lbl) WHERE {{
            ?c kg:contradictionKind ?kind . {_LABEL.format(var="?kind")}
        }} GROUP BY ?kind"""),
}


def load_built(path: Path) -> ox.Store:
    """The built N-Triples in an in-memory store; KgError if the build has not been run."""
    if not path.is_file():
        raise KgError(f"{path.name} not found in {path.parent}: run kg build first")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError, OSError) as exc:
        raise KgError(f"{path}: cannot load: {exc}") from None
    return store


def table_rows(store: ox.Store, name: str) -> list[list[str]]:
    """Rows of one statistic: key column(s), label, count; by count descending, then key."""
    _title, headers, query = QUERIES[name]
    solutions = store.query(query, prefixes=PREFIXES)
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT query
    keys = [v.value for v in solutions.variables][: len(headers) - 2]
    rows = []
    for sol in solutions:
        count = int(sol["n"].value)
        rows.append(([text(sol[k]) for k in keys] + [text(sol["lbl"])], count))
    rows.sort(key=lambda r: (-r[1], r[0]))
    return [cells + [str(count)] for cells, count in rows]


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned text columns, the last (a count) right-aligned."""
    align = ("left",) * (len(headers) - 1) + ("right",)
    text = tabulate(rows, headers=headers, tablefmt="simple", colalign=align,
                    disable_numparse=True)
    return "\n".join(line.rstrip() for line in text.splitlines())


def stats_report(path: Path) -> str:
    """All tables, with the triple count first."""
    store = load_built(path)
    out = [f"{len(store)} triples in {path.name}"]
    for name, (title, headers, _query) in QUERIES.items():
        rows = table_rows(store, name)
        out.append(f"\n{title}\n" + (format_table(headers, rows) if rows else "(none)"))
    return "\n".join(out)
