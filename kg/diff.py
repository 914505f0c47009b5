"""`kg diff OLD NEW`: what changed between two builds or releases, claim by claim and
statement by statement.

Blank nodes of the inputs are skolem IRIs named by their content (kg.skolem), so a node keeps
its name as long as what it says and what leads to it stay the same: reordering a data file
changes nothing, and the difference of the two graphs is the difference of what they say.

It reports:
- the triples of each graph, and how many were added and removed;
- claims added and removed (with their stance and source), and claims whose own triples changed
  (a stance, a date, a quote: the nodes inside a claim are named by their content, so a change
  inside one changes the claim's triple that points to it), property by property;
- statements (claim, subject, property, value) added and removed, each with the claim's sources,
  and statements whose rank changed (a better value came or went);
- every other node whose triples changed, with the counts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.display import short
from kg.errors import KgError
from kg.prefixes import PREFIXES
from kg.project import OUTPUT_STEM
from kg.skolem import is_skolem

_STATEMENTS = """
SELECT ?claim ?subject ?property ?value ?rank ?source WHERE {
  ?claim kg:supports ?statement .
  ?statement rdf:subject ?subject ; rdf:predicate ?property ; rdf:object ?value .
  OPTIONAL { ?statement kg:rank ?rank }
  OPTIONAL { ?claim kg:hasEvidence/oa:hasSource ?source }
}"""
_CLAIMS = """
SELECT ?claim ?stance ?source WHERE {
  ?claim a kg:Claim .
  OPTIONAL { ?claim kg:stance ?stance }
  OPTIONAL { ?claim kg:hasEvidence/oa:hasSource ?source }
}"""

Key = tuple[str, str, str, str]  # claim, subject, property, value (as `short` writes them)
Record = dict[str, Any]  # a claim, statement or node as kg diff --format json gives it


@dataclass
class Info:
    """A claim's stance (or a statement's rank) and its sources."""

    label: str
    sources: set[str] = field(default_factory=set)


def graph_file(path: Path) -> Path:
    """The N-Triples of a build or release: `path` itself, or `path/geokg.nt` for a folder."""
    candidate = path / f"{OUTPUT_STEM}.nt" if path.is_dir() else path
    if not candidate.is_file():
        where = f"{path}: no {OUTPUT_STEM}.nt in this folder" if path.is_dir() else \
            f"{path}: no such file"
        raise KgError(f"{where} (give a build folder, a release folder or an N-Triples file)")
    return candidate


def load(path: Path) -> ox.Store:
    store = ox.Store()
    try:
        store.bulk_load(path=graph_file(path), format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        raise KgError(f"{path}: not N-Triples: {exc}") from None
    return store


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(query, prefixes=PREFIXES)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{name: short(row[name]) if row[name] is not None else "" for name in names}
            for row in result]


@dataclass
class Graph:
    """What kg diff compares in one graph."""

    triples: set[ox.Triple]
    statements: dict[Key, Info]  # rank
    claims: dict[str, Info]  # stance

    @staticmethod
    def of(path: Path) -> Graph:
        store = load(path)
        statements: dict[Key, Info] = {}
        for row in _rows(store, _STATEMENTS):
            key = (row["claim"], row["subject"], row["property"], row["value"])
            statements.setdefault(key, Info(row["rank"])).sources.add(row["source"])
        claims: dict[str, Info] = {}
        for row in _rows(store, _CLAIMS):
            claims.setdefault(row["claim"], Info(row["stance"])).sources.add(row["source"])
        return Graph({quad.triple for quad in store}, statements, claims)


@dataclass
class Diff:
    """The differences between two graphs, as plain data (for JSON) and as text."""

    old: str
    new: str
    triples: dict[str, int] = field(default_factory=dict)
    claims: dict[str, list[Record]] = field(default_factory=dict)
    statements: dict[str, list[Record]] = field(default_factory=dict)
    nodes: list[Record] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.triples["added"] == 0 and self.triples["removed"] == 0

    def json(self) -> str:
        return json.dumps({"old": self.old, "new": self.new, "triples": self.triples,
                           "claims": self.claims, "statements": self.statements,
                           "nodes": self.nodes}, ensure_ascii=False, indent=1) + "\n"

    def text(self) -> str:
        t = self.triples
        lines = [f"{self.old} -> {self.new}",
                 f"triples: {t['old']} -> {t['new']} (+{t['added']} -{t['removed']})"]
        if self.empty:
            return "\n".join([*lines, "no difference"]) + "\n"
        c, s = self.claims, self.statements
        lines.append(f"claims: +{len(c['added'])} -{len(c['removed'])} ~{len(c['changed'])}")
        for sign, kind in (("+", "added"), ("-", "removed")):
            for claim in c[kind]:
                lines.append(f"  {sign} {claim['claim']} ({claim['stance'] or 'no stance'}; "
                             f"{', '.join(claim['sources']) or 'no source'})")
        for claim in c["changed"]:
            lines.append(f"  ~ {claim['claim']}")
            lines += [f"      - {p} {o}" for p, o in claim["removed"]]
            lines += [f"      + {p} {o}" for p, o in claim["added"]]
        lines.append(f"statements: +{len(s['added'])} -{len(s['removed'])} "
                     f"~{len(s['changed'])} (rank)")
        for sign, kind in (("+", "added"), ("-", "removed"), ("~", "changed")):
            for st in s[kind]:
                rank = f" [{st['rank']}]" if kind != "changed" else \
                    f" [rank {st['rankBefore'] or '-'} -> {st['rank'] or '-'}]"
                lines.append(f"  {sign} {st['subject']} {st['property']} {st['value']}{rank} "
                             f"by {st['claim']} ({', '.join(st['sources']) or 'no source'})")
        if self.nodes:
            lines.append(f"other nodes changed: {len(self.nodes)}")
            lines += [f"  {n['node']}: +{n['added']} -{n['removed']} triples" for n in self.nodes]
        return "\n".join(lines) + "\n"


def _statement(key: Key, info: Info) -> Record:
    claim, subject, prop, value = key
    return {"claim": claim, "subject": subject, "property": prop, "value": value,
            "rank": info.label, "sources": sorted(info.sources - {""})}


def _claim(name: str, info: Info) -> Record:
    return {"claim": name, "stance": info.label, "sources": sorted(info.sources - {""})}


def diff(old_path: Path, new_path: Path) -> Diff:
    """What changed from the graph at `old_path` to the one at `new_path`."""
    old, new = Graph.of(old_path), Graph.of(new_path)
    added, removed = new.triples - old.triples, old.triples - new.triples
    result = Diff(str(old_path), str(new_path),
                  {"old": len(old.triples), "new": len(new.triples),
                   "added": len(added), "removed": len(removed)})
    # Changes by subject; a skolem subject (a statement, evidence, a selector) is a part of the
    # claim or node that points to it, whose own triple changes with it.
    by_subject: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(
        lambda: {"added": [], "removed": []})
    for kind, triples in (("added", added), ("removed", removed)):
        for triple in triples:
            subject, obj = triple.subject, triple.object
            if not is_skolem(subject) and not isinstance(subject, ox.Triple) \
                    and not isinstance(obj, ox.Triple):
                by_subject[short(subject)][kind].append((short(triple.predicate), short(obj)))
    claim_nodes = old.claims.keys() | new.claims.keys()
    result.claims = {
        "added": [_claim(c, new.claims[c]) for c in sorted(new.claims.keys() - old.claims.keys())],
        "removed": [_claim(c, old.claims[c])
                    for c in sorted(old.claims.keys() - new.claims.keys())],
        "changed": [],
    }
    for name in sorted(by_subject):
        change = by_subject[name]
        if name in claim_nodes:
            if name in old.claims and name in new.claims:
                result.claims["changed"].append({"claim": name,
                                                 "added": sorted(change["added"]),
                                                 "removed": sorted(change["removed"])})
            continue
        result.nodes.append({"node": name, "added": len(change["added"]),
                             "removed": len(change["removed"])})
    result.statements = {
        "added": [_statement(k, new.statements[k])
                  for k in sorted(new.statements.keys() - old.statements.keys())],
        "removed": [_statement(k, old.statements[k])
                    for k in sorted(old.statements.keys() - new.statements.keys())],
        "changed": [{**_statement(k, new.statements[k]),
                     "rankBefore": old.statements[k].label}
                    for k in sorted(new.statements.keys() & old.statements.keys())
                    if new.statements[k].label != old.statements[k].label],
    }
    return result
