"""How should the graph represent what each claim states? Measured with one command:

    python -m bench.representations [--triples 100k] [--seed 1] [--json out.json]

Issue 13 (item 7) asks to choose, by measurement, how a claim's statements (subject, property,
value) are written. On one generated tree (bench.generate) this measures each candidate:

  A  what the data uses: one statement node per claim, inside it (kg:supports [ rdf:subject …
     ; rdf:predicate … ; rdf:object … ]), and the direct triples derived from them
     (rules/00-best-values.rq);
  B  Wikidata-style merged statements: one statement node per distinct (subject, property,
     value), named by an IRI, with a rank (kgv:preferred, kgv:normal, kgv:deprecated) and the
     claims that support it (claim kg:supports statement), and the direct ("truthy") triples
     of the preferred ones. B is converted from A here, not generated;
  C  the previous model (main's generator and rules): direct triples written on the nodes,
     claims pointing at whole nodes (kg:about). The baseline;
  E  one named graph per claim (nanopublication style): the claim's statements are triples in
     the graph named by the claim, the direct triples are derived into the default graph.
     Converted from A. (The Turtle export cannot carry graphs: only TriG or N-Quads can.)

D, RDF 1.2 triple terms and reifiers (`_:r rdf:reifies <<( s p o )>>`), is probed: a small
file is parsed, queried, validated and written with pyoxigraph, rdflib, pyshacl and
pyshacl-turbo, and the result of each is recorded. It is measured only if they all handle it.

For each candidate, in a fresh process (so that its peak RSS is its own): the triples per fact
(the statement layer, asserted and derived, over the distinct (subject, property, value)
stated); the time to load its N-Triples (N-Quads for E) into an in-memory pyoxigraph store and
to derive its direct triples (and ranks) and its arms edges; the median time of three queries:
  Q1 for a node, its best value of each property and every alternative, each with its claim,
     stance and source (20 nodes, those with the most statements);
  Q2 every statement of one source (the largest register, and 10 articles);
  Q3 the arms edges derived from holding statements (rules/10-supplies.rq).
A and C are also built end to end with their own `kg build` (C with main's code in a temporary
worktree of the repository). The figures go to --json; bench/README.md says how to read them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.generate import generate, parse_size
from bench.run import REPO, kg_build, label_of, log, machine, mb, spawn
from bench.worker import median_of, peak_rss_kb
from kg.backend import OxTerm

Json = dict[str, Any]

KG = "https://w3id.org/geokg/ontology#"
KGR = "https://w3id.org/geokg/id/"
KGV = "https://w3id.org/geokg/vocab/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PREFIXES = f"""PREFIX kg:   <{KG}>
PREFIX kgv:  <{KGV}>
PREFIX kgr:  <{KGR}>
PREFIX rdf:  <{RDF}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
PREFIX oa:   <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
SUPPORTS = ox.NamedNode(KG + "supports")
RANK = ox.NamedNode(KG + "rank")
SUBJECT, PREDICATE, OBJECT = (ox.NamedNode(RDF + n) for n in ("subject", "predicate", "object"))
# The previous model's fact properties that the statement-level model dropped.
DROPPED_PROPERTIES = ("endStatus", "entryIntoForce")


# --- the candidates' queries ----------------------------------------------------------------

def rule(name: str, folder: Path = REPO / "rules") -> str:
    return (folder / name).read_text(encoding="utf-8")


_STATEMENT = re.compile(r"(\?\w+) rdf:subject (\S+) ; rdf:predicate (\S+) ; rdf:object (\S+) \.")
_SUPPORTS = re.compile(r"(\?\w+) kg:supports (\?\w+) ?([;.])")


def as_named_graphs(query: str) -> str:
    """A query on statements inside claims (A) rewritten for one named graph per claim (E):
    `?c kg:supports ?st ; …  ?st rdf:subject S ; rdf:predicate P ; rdf:object O .` becomes
    `GRAPH ?c { S P O } ?c …`. Every statement pattern must be rewritten (comments go)."""
    query = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    triples = {m.group(1): m.group(2, 3, 4) for m in _STATEMENT.finditer(query)}
    used: set[str] = set()

    def graph(match: re.Match[str]) -> str:
        claim, statement, end = match.groups()
        used.add(statement)
        s, p, o = triples[statement]
        return f"GRAPH {claim} {{ {s} {p} {o} }}" + (f" {claim}" if end == ";" else "")

    query = _SUPPORTS.sub(graph, _STATEMENT.sub("", query))
    if "kg:supports" in query or used != set(triples):
        raise ValueError("a statement pattern of the query was not rewritten")
    return query


# Q1 and Q2 on statements: A's and B's statements are ranked (kg:rank; none when only denials
# make them), E's have no node to rank: the direct triple is the best value.
NODE_STATEMENTS = """SELECT ?p ?o ?best ?claim ?stance ?source WHERE {
  ?st rdf:subject NODE ; rdf:predicate ?p ; rdf:object ?o .
  ?claim kg:supports ?st ; kg:stance ?stance .
  ?claim kg:hasEvidence/oa:hasSource ?source .
  BIND (EXISTS { NODE ?p ?o } AS ?best)
}"""
NODE_RANKED = """SELECT ?p ?o ?rank ?claim ?stance ?source WHERE {
  ?st rdf:subject NODE ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?st kg:rank ?rank }
  ?claim kg:supports ?st ; kg:stance ?stance .
  ?claim kg:hasEvidence/oa:hasSource ?source .
}"""
SOURCE_STATEMENTS = """SELECT ?s ?p ?o ?claim WHERE {
  ?claim kg:hasEvidence/oa:hasSource SOURCE .
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?claim kg:supports ?st .
}"""
# The same on the previous model: a claim is about whole nodes.
NODE_ABOUT = """SELECT ?p ?o ?claim ?stance ?source WHERE {
  NODE ?p ?o .
  FILTER (?p IN (FACTS))
  OPTIONAL { ?claim kg:about NODE ; kg:stance ?stance ; kg:hasEvidence/oa:hasSource ?source }
}"""
SOURCE_ABOUT = """SELECT ?s ?p ?o ?claim WHERE {
  ?claim kg:hasEvidence/oa:hasSource SOURCE ; kg:about ?s .
  ?s ?p ?o .
  FILTER (?p IN (FACTS))
}"""
# A statement a claim makes, scored as rules/00-statement-ranks.rq scores it: 10 when its claim
# holds, less the rank of a date's precision; a denial has no score.
SCORED = """?claim kg:supports ?st .
      ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
      ?p a ?kind .
      FILTER (?kind IN (kg:FactProperty, kg:SingleValuedProperty))
      FILTER NOT EXISTS { ?claim kg:stance kgv:denies }
      OPTIONAL { ?claim kg:stance/kg:stanceHolds ?holds }
      OPTIONAL { ?o kg:precision/kg:precisionOrder ?order }
      BIND (IF(COALESCE(?holds, false), 10, 0) - COALESCE(?order, 0) AS ?score)"""
# The best score of each node and single-valued property, joined on (?s, ?p).
BEST_SCORE = """OPTIONAL {
      SELECT ?s ?p (MAX(?score) AS ?best) WHERE {
        """ + SCORED + """
        FILTER (?kind = kg:SingleValuedProperty)
      }
      GROUP BY ?s ?p
    }"""
# B's ranks: rules/00-statement-ranks.rq for a statement that several claims share, its score
# the best of its claims' (a statement only denials make gets no rank, as in A).
MERGED_RANKS = PREFIXES + """CONSTRUCT { ?st a kg:Statement ; kg:rank ?rank } WHERE {
  { ?claim kg:supports ?st . }
  UNION {
    {
      SELECT ?st ?s ?p ?kind (MAX(?score) AS ?shared) WHERE {
        """ + SCORED + """
      }
      GROUP BY ?st ?s ?p ?kind
    }
    """ + BEST_SCORE + """
    BIND (IF(?kind = kg:SingleValuedProperty && ?shared < ?best, kgv:normal, kgv:preferred)
          AS ?rank)
  }
}"""
# E has no statement node to rank: its direct triples come from the claims' statements in one
# rule, written here on A's statements (as_named_graphs rewrites it for E), with the values of
# rules/00-statement-ranks.rq and rules/01-best-values.rq: the statements that would be preferred
# (every one of a property of several values; of a single-valued one, those of the best score of
# their node and property), one value per term, or per precision and bounds for dates.
DIRECT_FROM_CLAIMS = PREFIXES + """CONSTRUCT { ?s ?p ?value } WHERE {
  {
    SELECT ?s ?p ?key (MIN(STR(?o)) AS ?first) (SAMPLE(?o) AS ?any) (SAMPLE(?date) AS ?isDate)
    WHERE {
      """ + SCORED + """
      """ + BEST_SCORE + """
      FILTER (?kind != kg:SingleValuedProperty || ?score = ?best)
      OPTIONAL { ?o kg:precision ?precision }
      OPTIONAL { ?o kg:earliest ?earliest }
      OPTIONAL { ?o kg:latest ?latest }
      BIND (BOUND(?precision) AS ?date)
      BIND (IF(?date, CONCAT(STR(?precision), " ", COALESCE(STR(?earliest), ""), " ",
                             COALESCE(STR(?latest), "")), ?o) AS ?key)
    }
    GROUP BY ?s ?p ?key
  }
  BIND (IF(?isDate, IRI(?first), ?any) AS ?value)
}"""
# Picking the nodes of Q1 and the sources of Q2.
BUSIEST_NODES = """SELECT ?s (COUNT(*) AS ?n) WHERE {
  ?claim kg:supports ?st . ?st rdf:subject ?s } GROUP BY ?s ORDER BY DESC(?n) STR(?s) LIMIT 20"""
BUSIEST_NODES_ABOUT = """SELECT ?s (COUNT(*) AS ?n) WHERE {
  ?s ?p ?o . FILTER (?p IN (FACTS)) } GROUP BY ?s ORDER BY DESC(?n) STR(?s) LIMIT 20"""
SOURCES = """SELECT ?source (COUNT(DISTINCT ?claim) AS ?n) (BOUND(?text) AS ?article) WHERE {
  ?claim a kg:Claim ; kg:hasEvidence/oa:hasSource ?source .
  OPTIONAL { ?source kg:textFile ?text }
} GROUP BY ?source ?text ORDER BY DESC(?n) STR(?source)"""
FACT_PROPERTIES = """SELECT ?p WHERE {
  { ?p a kg:FactProperty } UNION { ?p a kg:SingleValuedProperty } } ORDER BY ?p"""


@dataclass(frozen=True)
class Candidate:
    name: str
    title: str
    input: str  # the file its store is loaded from, in the work folder
    rules: tuple[tuple[str, str], ...]  # (name, CONSTRUCT) applied in order
    node_query: str
    source_query: str
    edges_query: str


def candidates(baseline_rules: Path) -> dict[str, Candidate]:
    """The candidates; C's rule is the baseline's, copied to `baseline_rules`."""
    ranks, best = rule("00-statement-ranks.rq"), rule("01-best-values.rq")
    supplies = rule("10-supplies.rq")
    old_supplies = rule("10-supplies.rq", baseline_rules)
    return {
        "A": Candidate("A", "statement node per claim, inside it (RDF reification vocabulary)",
                       "A.nt", (("ranks", ranks), ("best values", best),
                                ("arms edges", supplies)),
                       NODE_RANKED, SOURCE_STATEMENTS, supplies),
        "B": Candidate("B", "merged statement per fact, with an IRI and a rank (Wikidata style)",
                       "B.nt", (("ranks", MERGED_RANKS), ("best values", best),
                                ("arms edges", supplies)),
                       NODE_RANKED, SOURCE_STATEMENTS, supplies),
        "C": Candidate("C", "previous model: direct triples, claims about whole nodes",
                       "C.nt", (("arms edges", old_supplies),),
                       NODE_ABOUT, SOURCE_ABOUT, old_supplies),
        "E": Candidate("E", "one named graph per claim (nanopublication style)",
                       "E.nq", (("best values", as_named_graphs(DIRECT_FROM_CLAIMS)),
                                ("arms edges", as_named_graphs(supplies))),
                       as_named_graphs(NODE_STATEMENTS), as_named_graphs(SOURCE_STATEMENTS),
                       as_named_graphs(supplies)),
    }


# --- making the candidates' inputs ------------------------------------------------------------

def asserted(root: Path) -> ox.Store:
    """What `kg build` loads from a tree: ontology (without the shapes) and data."""
    from kg.project import Project

    project = Project(root)
    store = ox.Store()
    for path in project.ontology_files + project.data_files:
        store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
    return store


def nt(quad: ox.Quad) -> str:
    return f"{quad.subject} {quad.predicate} {quad.object} .\n"


def statements_of(store: ox.Store) -> list[tuple[OxTerm, OxTerm, tuple[OxTerm, ...]]]:
    """(claim, statement node, (subject, property, value)) of every statement of A."""
    query = PREFIXES + """SELECT ?claim ?st ?s ?p ?o WHERE {
        ?claim kg:supports ?st . ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }"""
    return [(r["claim"], r["st"], (r["s"], r["p"], r["o"]))
            for r in store.query(query)]  # type: ignore[union-attr]


def outside_statements(store: ox.Store, nodes: set[OxTerm]) -> Iterator[ox.Quad]:
    """A's triples but its statements: the statement nodes' own and the kg:supports links."""
    for quad in store:
        if quad.predicate != SUPPORTS and quad.subject not in nodes:
            yield quad


def fact_key(fact: tuple[OxTerm, ...]) -> str:
    return hashlib.sha1(" ".join(str(t) for t in fact).encode()).hexdigest()[:20]


def write_merged(store: ox.Store, out: Path) -> None:
    """B: one named statement per distinct fact, pointed at by each claim that makes it."""
    found = statements_of(store)
    with open(out, "w", encoding="utf-8") as f:
        f.writelines(nt(q) for q in outside_statements(store, {st for _, st, _ in found}))
        written: set[str] = set()
        for claim, _, fact in found:
            key = fact_key(fact)
            node = f"<{KGR}statement/{key}>"
            if key not in written:
                written.add(key)
                s, p, o = fact
                f.write(f"{node} <{SUBJECT.value}> {s} .\n{node} <{PREDICATE.value}> {p} .\n"
                        f"{node} <{OBJECT.value}> {o} .\n")
            f.write(f"{claim} <{SUPPORTS.value}> {node} .\n")


def write_graphs(store: ox.Store, out: Path) -> None:
    """E: each claim's statements as triples of the graph named by the claim (N-Quads)."""
    found = statements_of(store)
    with open(out, "w", encoding="utf-8") as f:
        f.writelines(nt(q) for q in outside_statements(store, {st for _, st, _ in found}))
        f.writelines(dict.fromkeys(f"{s} {p} {o} {claim} .\n" for claim, _, (s, p, o) in found))


def write_asserted(root: Path, out: Path) -> None:
    store = asserted(root)
    with open(out, "w", encoding="utf-8") as f:
        f.writelines(nt(q) for q in store)


@contextmanager
def baseline_checkout(rev: str) -> Iterator[Path]:
    """A temporary worktree of the repository at `rev` (detached), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="geokg-baseline-") as tmp:
        path = Path(tmp) / "checkout"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet",
                        str(path), rev], check=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)],
                           check=True)


# --- measuring one candidate (in its own process) ---------------------------------------------

def sparql(store: ox.Store, query: str) -> Any:
    return store.query(PREFIXES + query)


def fill(query: str, **terms: str) -> str:
    for name, value in terms.items():
        query = query.replace(name, value)
    return query


def layer(store: ox.Store, name: str, facts_in: str) -> Json:
    """The statement layer as written (before any rule): distinct facts and its triples."""
    if name == "C":
        facts = count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o . FILTER (?p IN "
                             f"({facts_in})) }}")
        about = count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c kg:about ?x }")
        return {"facts": facts, "statements": facts, "asserted": facts + about,
                "claim_links": about}
    if name == "E":
        statements = count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?c { ?s ?p ?o } }")
        facts = count(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
                             "{ GRAPH ?c { ?s ?p ?o } } }")
        return {"facts": facts, "statements": statements, "asserted": statements,
                "claim_links": 0}
    links = count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c kg:supports ?st }")
    nodes = count(store, "SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { ?c kg:supports ?st }")
    facts = count(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                         "?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }")
    return {"facts": facts, "statements": links, "asserted": 3 * nodes + links,
            "claim_links": links}


def digest(quads: list[ox.Quad]) -> str:
    """SHA-256 of the triples, sorted: two candidates that derive the same triples agree."""
    lines = sorted(f"{q.subject} {q.predicate} {q.object}" for q in quads)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def count(store: ox.Store, query: str) -> int:
    return int(next(iter(sparql(store, query)))[0].value)


def measure(name: str, workdir: Path, params: Json, repeat: int) -> Json:
    spec = candidates(workdir / "C-rules")[name]
    fmt = ox.RdfFormat.N_QUADS if spec.input.endswith(".nq") else ox.RdfFormat.N_TRIPLES
    store = ox.Store()
    start = time.perf_counter()
    store.bulk_load(path=workdir / spec.input, format=fmt)
    figures: Json = {"title": spec.title, "load_seconds": time.perf_counter() - start,
                     "loaded": len(store), "load_rss_kb": peak_rss_kb()}
    facts_in = ", ".join(f"<{p}>" for p in params["fact_properties"])
    figures.update(layer(store, name, facts_in))
    derived: dict[str, Json] = {}
    for rule_name, query in spec.rules:
        start = time.perf_counter()
        # what the rule makes that the store does not hold yet, once (as kg build counts it)
        made = dict.fromkeys(ox.Quad(t.subject, t.predicate, t.object)
                             for t in store.query(query))  # type: ignore[union-attr]
        new = [quad for quad in made if quad not in store]
        store.bulk_extend(new)
        derived[rule_name] = {"seconds": time.perf_counter() - start, "triples": len(new),
                              "sha256": digest(new)}
    figures["derive"] = derived
    figures["derive_seconds"] = sum(d["seconds"] for d in derived.values())
    layer_derived = sum(d["triples"] for n, d in derived.items() if n in ("best values",
                                                                          "ranks"))
    figures["derived_layer"] = layer_derived
    figures["triples_per_fact"] = (figures["asserted"] + layer_derived) / figures["facts"]
    figures["queries"] = queries(store, spec, params, facts_in, repeat)
    figures["rss_kb"] = peak_rss_kb()
    return figures


def queries(store: ox.Store, spec: Candidate, params: Json, facts_in: str, repeat: int) -> Json:
    def rows(query: str) -> int:
        return len(list(sparql(store, query)))

    def timed_each(template: str, key: str, values: Sequence[str]) -> Json:
        filled = [fill(template, **{key: f"<{v}>", "FACTS": facts_in}) for v in values]
        per_value = [median_of(partial(rows, query), repeat) for query in filled]
        return {"seconds": statistics.median(f["seconds"] for f in per_value),
                "best": statistics.median(f["min"] for f in per_value),
                "max": max(f["seconds"] for f in per_value),
                "rows": sum(f["rows"] for f in per_value), "runs": len(per_value)}

    return {
        "Q1 node: best value and alternatives": timed_each(spec.node_query, "NODE",
                                                           params["nodes"]),
        "Q2 source: its statements (largest register)": timed_each(
            spec.source_query, "SOURCE", [params["register"]]),
        "Q2 source: its statements (article)": timed_each(spec.source_query, "SOURCE",
                                                          params["articles"]),
        "Q3 arms edges from holding statements": fastest(median_of(
            lambda: len(list(store.query(spec.edges_query))), repeat)),  # type: ignore[arg-type]
    }


def fastest(figure: Json) -> Json:
    """`best`: the fastest run, the figure least disturbed by other work on the machine."""
    return {**figure, "best": figure["min"]}


# --- D: RDF 1.2 triple terms, probed ------------------------------------------------------------

PROBE = """PREFIX kg:  <https://w3id.org/geokg/ontology#>
PREFIX kgr: <https://w3id.org/geokg/id/>
PREFIX kgv: <https://w3id.org/geokg/vocab/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
kgr:claim-1 a kg:Claim ; kg:stance kgv:asserts ; kg:supports kgr:statement-1 , _:r2 .
kgr:statement-1 rdf:reifies <<( kgr:signing-1 kg:start kgr:date-1961 )>> .
_:r2 rdf:reifies <<( kgr:signing-1 kg:place kgr:moscow )>> .
kgr:signing-1 kg:start kgr:date-1961-07-06 ~ kgr:statement-3 {| kg:rank kgv:preferred |} .
"""
PROBE_QUERY = PREFIXES + """SELECT ?claim ?s ?p ?o WHERE {
    ?claim kg:supports ?r . ?r rdf:reifies <<( ?s ?p ?o )>> }"""
PROBE_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kg: <https://w3id.org/geokg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
<https://w3id.org/geokg/shapes#ReifierShape> a sh:NodeShape ;
    sh:targetObjectsOf kg:supports ;
    sh:property [ sh:path rdf:reifies ; sh:minCount 1 ; sh:maxCount 1 ;
        sh:message "A statement reifies exactly one triple term."@en ] .
"""


def dump(store: ox.Store, fmt: ox.RdfFormat) -> bytes:
    """The store in `fmt`: its default graph when `fmt` holds triples only."""
    data = store.dump(format=fmt, from_graph=None if fmt.supports_datasets else ox.DefaultGraph())
    assert data is not None  # no output file given: the bytes are returned
    return data


def attempt(work: Callable[[], object]) -> str:
    try:
        result = work()
    except Exception as exc:  # each library raises its own types: record what it says
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return f"error: {type(exc).__name__}: {first[:160]}"
    return "ok" if result is None else f"ok: {result}"


def probe_rdf12(workdir: Path) -> Json:
    """What each library does with a small Turtle 1.2 file of reifiers (and its N-Triples)."""
    import pyshacl
    import pyshacl_turbo
    from rdflib import Graph

    ttl = workdir / "rdf12.ttl"
    ttl.write_text(PROBE, encoding="utf-8")
    store = ox.Store()
    results: Json = {"pyoxigraph": {}, "rdflib": {}, "pyshacl": {}, "pyshacl-turbo": {}}
    ox_results = results["pyoxigraph"]
    def parse_turtle() -> str:
        store.load(path=ttl, format=ox.RdfFormat.TURTLE)
        return f"{len(store)} triples"

    ox_results["parse Turtle 1.2"] = attempt(parse_turtle)
    ox_results["SPARQL with a triple-term pattern"] = attempt(
        lambda: f"{len(list(store.query(PROBE_QUERY)))} rows")  # type: ignore[arg-type]
    ntriples = workdir / "rdf12.nt"
    ox_results["write N-Triples 1.2"] = attempt(lambda: ntriples.write_bytes(dump(
        store, ox.RdfFormat.N_TRIPLES)))
    ox_results["write Turtle 1.2"] = attempt(lambda: dump(store, ox.RdfFormat.TURTLE))
    def rdflib_parse(path: Path, fmt: str) -> str:
        return f"{len(Graph().parse(path, format=fmt))} triples"

    for fmt, path in (("turtle", ttl), ("nt", ntriples)):
        results["rdflib"][f"parse {fmt}"] = attempt(partial(rdflib_parse, path, fmt))
    shapes = Graph().parse(data=PROBE_SHAPES, format="turtle")
    results["pyshacl"]["validate Turtle 1.2"] = attempt(lambda: pyshacl.validate(
        PROBE, data_graph_format="turtle", shacl_graph=shapes)[0])
    def turbo_validate(path: Path, fmt: str) -> object:
        data = pyshacl_turbo.Input(path.read_text(encoding="utf-8"), fmt, None, {},
                                   preserve_ids=True)
        return pyshacl_turbo.validate(data, shacl_graph=shapes)[0]

    for fmt, path in (("turtle", ttl), ("nt", ntriples)):
        results["pyshacl-turbo"][f"validate {fmt}"] = attempt(partial(turbo_validate, path, fmt))
    results["handled by all"] = all(v.startswith("ok") for tool in results.values()
                                    for v in tool.values())
    return results


# --- the run --------------------------------------------------------------------------------

def pick_params(store: ox.Store, fact_properties: list[str], about: bool) -> Json:
    facts_in = ", ".join(f"<{p}>" for p in fact_properties)
    nodes = [r[0].value for r in sparql(store, fill(
        BUSIEST_NODES_ABOUT if about else BUSIEST_NODES, FACTS=facts_in))]
    sources = [(r[0].value, r[2].value == "true") for r in sparql(store, SOURCES)]
    registers = [s for s, article in sources if not article]
    articles = sorted(s for s, article in sources if article)
    step = max(1, len(articles) // 10)
    return {"fact_properties": fact_properties, "nodes": nodes, "register": registers[0],
            "articles": articles[::step][:10]}


def prepare(workdir: Path, size: int, seed: int, baseline: str, limit: float) -> Json:
    """Generate A's tree and the baseline's, write each candidate's input, build A and C."""
    figures: Json = {}
    a_root = workdir / "A-tree"
    log(f"A: generating {label_of(size)} triples ...")
    figures["A_manifest"] = generate(a_root, size, seed)
    log("A: kg build ...")
    figures["A_build"] = kg_build(a_root, limit)
    store = asserted(a_root)
    fact_properties = [r[0].value for r in sparql(store, FACT_PROPERTIES)]
    with open(workdir / "A.nt", "w", encoding="utf-8") as f:
        f.writelines(nt(q) for q in store)
    log("B and E: converting A ...")
    write_merged(store, workdir / "B.nt")
    write_graphs(store, workdir / "E.nq")
    figures["E_trig_load_seconds"] = trig_load(workdir / "E.nq", workdir / "E.trig")
    params = pick_params(store, fact_properties, about=False)
    del store
    c_root = workdir / "C-tree"
    with baseline_checkout(baseline) as checkout:
        log(f"C: generating {label_of(size)} triples with {baseline}'s generator ...")
        child = spawn([sys.executable, "-m", "bench.generate", "--triples", str(size),
                       "--seed", str(seed), "--out", str(c_root)], None, cwd=checkout)
        if child.code != 0:
            raise SystemExit(f"{baseline}'s generator failed: {child.stderr.strip()[-500:]}")
        figures["C_manifest"] = json.loads(child.stdout)
        log(f"C: kg build with {baseline}'s code ...")
        command = [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv.pop(1)); "
                   "from kg.cli import main; sys.exit(main())", str(checkout)]
        figures["C_build"] = kg_build(c_root, limit, kg=command)
        rules = workdir / "C-rules"
        rules.mkdir(exist_ok=True)
        (rules / "10-supplies.rq").write_text(rule("10-supplies.rq", checkout / "rules"),
                                              encoding="utf-8")
    write_asserted(c_root, workdir / "C.nt")
    c_store = ox.Store()
    c_store.bulk_load(path=workdir / "C.nt", format=ox.RdfFormat.N_TRIPLES)
    c_facts = fact_properties + [KG + p for p in DROPPED_PROPERTIES]
    params_c = pick_params(c_store, c_facts, about=True)
    (workdir / "params.json").write_text(json.dumps({"A": params, "C": params_c}),
                                         encoding="utf-8")
    figures["params"] = {"A, B, E": params, "C": params_c}
    return figures


def trig_load(nquads: Path, trig: Path) -> float:
    """E written as TriG (what a graph-aware export would be) and loaded again: seconds."""
    store = ox.Store()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    trig.write_bytes(dump(store, ox.RdfFormat.TRIG))
    del store
    again = ox.Store()
    start = time.perf_counter()
    again.bulk_load(path=trig, format=ox.RdfFormat.TRIG)
    return time.perf_counter() - start


def in_child(args: Sequence[str], workdir: Path, limit: float) -> Json:
    """`python -m bench.representations ARGS WORKDIR OUT` in a fresh process (small when it
    starts, so that its peak RSS is its own work's): the JSON it writes, with its peak RSS."""
    out = workdir / f"{args[-1]}.json"
    child = spawn([sys.executable, "-m", "bench.representations", *args, str(workdir),
                   str(out)], limit)
    if child.timed_out:
        return {"timeout": True, "limit": limit}
    if child.code != 0 or not out.is_file():
        return {"error": child.stderr.strip().splitlines()[-3:]}
    figures = json.loads(out.read_text(encoding="utf-8"))
    figures["process_rss_kb"] = child.rss_kb
    return figures


def agree(found: Json) -> bool:
    """Whether A, B and E derive the same direct triples and arms edges and find as many rows:
    the conversions kept what A states."""
    def outcome(figures: Json) -> tuple[object, ...]:
        derived = figures.get("derive", {})
        return (figures.get("facts"), derived.get("best values", {}).get("sha256"),
                derived.get("arms edges", {}).get("sha256"),
                tuple(q.get("rows") for q in figures.get("queries", {}).values()))

    return outcome(found["A"]) == outcome(found["B"]) == outcome(found["E"])


def query_ms(figures: Json, query: str) -> str:
    return f"{figures['queries'][query]['best'] * 1000:.2f}"


def table(report: Json) -> str:
    rows = report["candidates"]
    names = [n for n in ("A", "B", "C", "E") if "loaded" in rows.get(n, {})]
    lines = [f"{'':<46}" + "".join(f"{n:>12}" for n in names)]

    def row(label: str, value: Callable[[Json], str]) -> None:
        lines.append(f"{label:<46}" + "".join(f"{value(rows[n]):>12}" for n in names))

    row("triples loaded", lambda r: f"{r['loaded']:,}")
    row("facts (distinct subject, property, value)", lambda r: f"{r['facts']:,}")
    row("statements (claim, fact)", lambda r: f"{r['statements']:,}")
    row("statement layer, asserted", lambda r: f"{r['asserted']:,}")
    row("statement layer, derived", lambda r: f"{r['derived_layer']:,}")
    row("triples per fact", lambda r: f"{r['triples_per_fact']:.2f}")
    row("load s", lambda r: f"{r['load_seconds']:.3f}")
    row("derive s", lambda r: f"{r['derive_seconds']:.3f}")
    for query in rows[names[0]]["queries"]:
        row(f"{query[:37]} ms ¹", partial(query_ms, query=query))
    row("peak RSS MB", lambda r: mb(r["process_rss_kb"]))
    for build in ("A_build", "C_build"):
        b = report[build]
        lines.append(f"{build[0]}: kg build {'ok' if b['ok'] else 'FAILED'} in "
                     f"{b.get('seconds') or 0:.1f} s, peak RSS {mb(b['rss_kb'])} MB, "
                     f"{b.get('triples')} triples; steps: " + ", ".join(
                         f"{k} {v:.2f}" for k, v in b["timings"].items()))
    lines.append("¹ each query's fastest of --repeat runs (the median over its nodes or sources); "
                 "`seconds` in the JSON is the median run")
    lines.append(f"E loaded from TriG: {report['E_trig_load_seconds']:.3f} s; A, B and E "
                 f"derive and find the same: {report['A_B_E_agree']}")
    lines.append("D (RDF 1.2 reifiers): " + json.dumps(report["D_probe"], indent=1))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.representations", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=parse_size, default=parse_size("100k"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", default="main",
                        help="the revision whose generator and code make C (default main)")
    parser.add_argument("--workdir", type=Path, default=REPO / "build" / "representations")
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--limit", type=float, default=3600.0,
                        help="stop a build or a candidate's measurement after this many seconds")
    # The steps the command runs in processes of their own.
    sub = parser.add_subparsers(dest="step")
    for step in ("prepare", "A", "B", "C", "E"):
        one = sub.add_parser(step, help="a step of the command (it runs them itself)")
        one.add_argument("workdir", type=Path)
        one.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.step == "prepare":
        figures = prepare(args.workdir, args.triples, args.seed, args.baseline, args.limit)
    elif args.step is not None:
        params = json.loads((args.workdir / "params.json").read_text(encoding="utf-8"))
        figures = measure(args.step, args.workdir, params["C" if args.step == "C" else "A"],
                          args.repeat)
    if args.step is not None:
        args.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    report: Json = {"machine": machine(), "size": args.triples, "seed": args.seed,
                    "baseline": args.baseline}
    options = ["--triples", str(args.triples), "--seed", str(args.seed), "--baseline",
               args.baseline, "--repeat", str(args.repeat), "--limit", str(args.limit)]
    prepared = in_child([*options, "prepare"], args.workdir, 3 * args.limit)
    if "params" not in prepared:
        raise SystemExit(f"preparing the candidates failed: {prepared}")
    report.update(prepared)
    report["candidates"] = {}
    for name in ("A", "B", "C", "E"):
        log(f"{name}: load, derive, queries ...")
        report["candidates"][name] = in_child([*options, name], args.workdir, args.limit)
    report["A_B_E_agree"] = agree(report["candidates"])
    report["D_probe"] = probe_rdf12(args.workdir)
    print(table(report), flush=True)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0 if all("loaded" in c for c in report["candidates"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
