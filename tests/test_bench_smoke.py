"""Smoke run of the benchmark (bench/README.md) at 10k triples, so that it cannot rot.

It checks that the run completes and that its JSON has a figure for every step, query and naive
step, never how large the figures are. A query or a naive step that runs past its (short) limit
here is recorded as stopped, which is a figure too; an error is not. It also checks, on the graph
the run built, that the generated data exercises the statement-level model as bench/README.md
says: several sources side by side, every stance, and the planted contradictions, no more.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ is not an installed package: import it from the checkout

from bench.generate import generate  # noqa: E402
from bench.worker import NAIVE_STEPS, STEPS, catalogue_examples  # noqa: E402

pytestmark = pytest.mark.slow  # generates and builds 10k triples, then runs the benchmark
pytest.importorskip("pyshacl", reason="the naive pipeline runs pyshacl, the `reference` extra")


def measured(figure: dict) -> bool:
    """A positive number of seconds, or a run stopped at a positive limit."""
    if figure.get("timeout"):
        return figure.get("limit", 0) > 0
    return (figure.get("seconds") or 0) > 0


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("bench")
    out = work / "bench.json"
    subprocess.run(
        # seed 7: the 10k tree holds a war that ended in an armistice (seed 1's holds none)
        [sys.executable, "-m", "bench.run", "--sizes", "10k", "--seed", "7", "--json", str(out),
         "--workdir", str(work), "--repeat", "1", "--query-limit", "20",
         "--naive-limit", "20"],
        cwd=ROOT, check=True, timeout=1800)
    return json.loads(out.read_text(encoding="utf-8"))["sizes"]["10k"]


def test_generated_tree_is_reproducible(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 8000, 7)
    second = generate(tmp_path / "b", 8000, 7)
    assert first == second and first["text_files"] > 0
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a" / "data").rglob("*")
                   if p.is_file())
    assert files
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_build_succeeds(report: dict) -> None:
    build = report["build"]
    assert report["manifest"]["entities"]["Armistice"] >= 1  # an agreement with its signing
    assert build["ok"], build.get("error")
    assert build["triples"] > report["manifest"]["triples"] > 9000
    assert build["rss_kb"] > 0
    assert set(STEPS) <= set(build["timings"])
    assert all(seconds > 0 for seconds in build["timings"].values())
    again = report["rebuild_unchanged"]
    assert again["ok"] and again["up_to_date"] and again["triples"] == build["triples"]
    assert measured(again) and "load" not in again["timings"]
    edited = report["rebuild_one_triple"]
    assert edited["ok"] and not edited["up_to_date"] and edited["triples"] == build["triples"]
    assert set(STEPS) <= set(edited["timings"])  # the updated store's step too
    assert edited["edited"]["file"].startswith("syn-treaties-")
    assert 0 < edited["edited"]["share"] < 1
    assert report["rebuild_ratio"] == edited["seconds"] / build["seconds"]


def test_every_step_alone_is_measured(report: dict) -> None:
    assert set(report["steps"]) == set(STEPS)
    for step, figure in report["steps"].items():
        assert measured(figure) and figure["rss_kb"] > 0, (step, figure)
    formats = report["steps"]["export"]["formats"]
    assert all(formats[name] > 0 for name in ("prepare", "turtle", "ntriples"))


def test_the_floors_are_summed_and_the_build_set_against_them(report: dict) -> None:
    floors = report["floors"]
    parts = (report["oxigraph"]["seconds"], report["steps"]["shacl"]["seconds"],
             report["steps"]["store"]["seconds"])
    assert (floors["load"], floors["shacl"], floors["store"]) == parts
    assert floors["sum"] == pytest.approx(sum(parts))
    assert floors["ratio"] == pytest.approx(report["build"]["seconds"] / sum(parts))


def test_every_catalogue_query_is_measured(report: dict) -> None:
    labels = {label for label, _entry, _bindings in catalogue_examples(ROOT)}
    queries = report["queries"]["queries"]
    assert set(queries) == labels
    for label, figure in queries.items():
        assert measured(figure), (label, figure)
    assert report["queries"]["open_seconds"] > 0
    assert report["kg_query"]["ok"] and report["kg_query"]["seconds"] > 0


PREFIXES = """
PREFIX kg:  <https://w3id.org/geokg/ontology#>
PREFIX kgv: <https://w3id.org/geokg/vocab/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX oa:  <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@pytest.fixture(scope="module")
def built(report: dict) -> ox.Store:
    """The graph the benchmark's kg build wrote for the 10k tree."""
    store = ox.Store()
    store.bulk_load(path=Path(report["root"]) / "build" / "geokg.nt",
                    format=ox.RdfFormat.N_TRIPLES)
    return store


def rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return [tuple(term.value for term in solution)
            for solution in store.query(PREFIXES + query)]  # type: ignore[union-attr]


def count(store: ox.Store, query: str) -> int:
    return int(rows(store, query)[0][0])


def repository_statements() -> int:
    """Statements of the repository's own data, which the generated tree copies."""
    store = ox.Store()
    for path in sorted((ROOT / "data").glob("*.ttl")):
        store.load(path=path, format=ox.RdfFormat.TURTLE)
    return count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?claim kg:supports ?st }")


def test_generated_claims_and_statements_are_all_built(report: dict, built: ox.Store) -> None:
    manifest = report["manifest"]
    assert manifest["claims"] == manifest["entities"]["Claim"] > 100
    assert manifest["statements"] > 2 * manifest["claims"]
    supports = count(built, "SELECT (COUNT(*) AS ?n) WHERE { ?claim kg:supports ?st }")
    assert supports == manifest["statements"] + repository_statements()
    # every stance of the vocabulary, with as many claims as the generator wrote
    stances = dict(rows(built, """
        SELECT ?stance (COUNT(?claim) AS ?n) WHERE {
            ?stance skos:inScheme kgv:stances . OPTIONAL { ?claim kg:stance ?stance }
        } GROUP BY ?stance"""))
    generated = {f"https://w3id.org/geokg/vocab/{k[4:]}": v
                 for k, v in manifest["claims_by_stance"].items()}
    assert set(generated) == set(stances)
    assert all(int(stances[s]) >= n > 0 for s, n in generated.items()), (stances, generated)


def test_sources_stand_side_by_side(built: ox.Store) -> None:
    # a claim supports several statements, and a statement is made by claims of two sources
    assert count(built, """SELECT (MAX(?n) AS ?m) WHERE {
        { SELECT ?claim (COUNT(?st) AS ?n) WHERE { ?claim kg:supports ?st } GROUP BY ?claim } }
        """) > 5
    assert count(built, """SELECT (COUNT(*) AS ?n) WHERE {
        ?c1 kg:supports [ rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ] ;
            kg:hasEvidence/oa:hasSource ?source1 .
        ?c2 kg:supports [ rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ] ;
            kg:hasEvidence/oa:hasSource ?source2 .
        FILTER (STR(?source1) < STR(?source2)) }""") > 10
    # a coarse date of one source beside the day of another: the day is the direct triple
    refined = rows(built, """SELECT DISTINCT ?s WHERE {
        ?c1 kg:supports [ rdf:subject ?s ; rdf:predicate kg:start ; rdf:object ?coarse ] .
        ?coarse kg:precision ?precision . FILTER (?precision IN (kgv:month, kgv:year))
        ?c2 kg:supports [ rdf:subject ?s ; rdf:predicate kg:start ; rdf:object ?day ] .
        ?day kg:precision kgv:day .
        ?s kg:start ?day .
        FILTER NOT EXISTS { ?s kg:start ?coarse } }""")
    assert len(refined) > 3


def test_planted_contradictions_are_found_and_no_others(report: dict,
                                                        built: ox.Store) -> None:
    found = dict(rows(built, """
        SELECT ?kind (COUNT(DISTINCT ?s) AS ?nodes) WHERE {
            ?record a kg:Contradiction ; kg:contradictionKind ?kind ;
                kg:conflictingStatement/rdf:subject ?s } GROUP BY ?kind"""))
    planted = report["manifest"]["contradictions"]
    assert set(planted) == {"denied", "disjoint-dates", "ends-before-start", "has-and-lacks"}
    assert {k.rsplit("/", 1)[1]: int(n) for k, n in found.items()} == planted


def test_contested_facts_shows_the_planted_contradictions(report: dict) -> None:
    from kg.api import query

    shown = {row["node"] for row in query("contested-facts", root=report["root"])
             if str(row["issue"]).startswith("contradiction")}
    planted = report["manifest"]["contradictions"]
    # a signing whose dates are disjoint also ends before it starts: one node, two kinds
    assert len(shown) == sum(planted.values()) - planted["ends-before-start"]


def test_pyoxigraph_alone_and_naive_pipeline_are_measured(report: dict) -> None:
    assert report["oxigraph"]["seconds"] > 0 and report["oxigraph"]["triples"] > 9000
    assert set(report["naive"]) == set(NAIVE_STEPS)
    for step, figure in report["naive"].items():
        assert measured(figure), (step, figure)
    for label, figure in report["naive"]["queries"]["queries"].items():
        assert measured(figure) or "error" in figure, (label, figure)
