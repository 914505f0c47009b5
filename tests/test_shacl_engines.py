"""pyshacl-turbo, the build's SHACL engine, against pyshacl, the reference implementation.

The issue that brought in the faster engine set the rule: it must give the same report as
pyshacl on the test fixtures. Each shape fixture (valid and invalid), the ontology alone and the
article's built graph are validated with both engines; the results, as `kg build` reports them
(severity, focus node, path, messages, value, shape, constraint component), must be equal.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import shape_harness as harness
from rdflib import Graph

from kg.build import load_inputs, run_rules
from kg.dataset import Dataset, ascii_ntriples
from kg.errors import KgError
from kg.project import Project
from kg.shacl import ENGINES, ShaclResult, validate

pytestmark = pytest.mark.slow  # runs pyshacl, the slow reference engine, on every fixture
pytest.importorskip("pyshacl", reason="the reference engine is the `reference` extra")

CASES = [None, *harness.fixtures("valid"), *harness.fixtures("invalid")]


def results(data: Graph, shapes: Graph, engine: str) -> list[ShaclResult]:
    """`data` validated by `engine` as N-Triples, its nodes described from a store of it."""
    nt = data.serialize(format="nt", encoding="utf-8")
    store = ox.Store()
    store.load(nt, format=ox.RdfFormat.N_TRIPLES)
    return validate(nt.decode("utf-8"), shapes, store, engine=engine)


@pytest.mark.parametrize("path", CASES, ids=lambda p: "ontology-only" if p is None else p.stem)
def test_engines_report_the_same_results_on_a_fixture(path: Path | None) -> None:
    data = harness.data_graph(path)
    reference = results(data, harness.shapes_graph(), "pyshacl")
    assert results(data, harness.shapes_graph(), "turbo") == reference
    if path is not None and path.parent.name == "invalid":
        assert reference, f"{path.name} should have results: the comparison would be empty"


def test_engines_report_the_same_results_on_a_graph_with_a_violation_in_every_file() -> None:
    """All invalid fixtures in one graph: many shapes fail at once, with cross-references."""
    data = harness.data_graph(None)
    for path in harness.fixtures("invalid"):
        data += harness.data_graph(path)
    reference = results(data, harness.shapes_graph(), "pyshacl")
    assert len(reference) > 50
    assert results(data, harness.shapes_graph(), "turbo") == reference


def test_engines_agree_that_the_article_graph_conforms() -> None:
    project = Project(harness.ROOT)
    inputs = load_inputs(project)
    run_rules(inputs, project)
    dataset = inputs.dataset
    for engine in ENGINES:
        assert validate(ascii_ntriples(dataset.chunks()), inputs.shapes, dataset.store,
                        engine=engine) == [], engine


def test_unknown_engine_is_an_error() -> None:
    with pytest.raises(KgError, match="unknown SHACL engine 'jena'"):
        results(harness.data_graph(None), harness.shapes_graph(), engine="jena")


def test_the_builds_n_triples_input_gives_the_same_results_as_a_graph() -> None:
    """The build hands pyshacl-turbo its dataset's N-Triples (ASCII, escaped, blank nodes named
    by kg.skolem); the reference gets the harness's graph, named alike."""
    raw = harness.ontology_graph() + Graph()
    for path in harness.fixtures("invalid"):
        raw += harness.fixture_graph(path)
    data = harness.as_built(raw, rules=False)
    dataset = Dataset()
    dataset.add_ntriples("fixtures", raw.serialize(format="nt", encoding="utf-8"))

    def comparable(rows: list[ShaclResult]) -> list[tuple]:
        return sorted((r.severity, r.focus_text, r.path or "", r.messages, r.value or "",
                       r.source_shape, r.component) for r in rows)

    reference = comparable(results(data, harness.shapes_graph(), "pyshacl"))
    built = validate(ascii_ntriples(dataset.chunks()), harness.shapes_graph(), dataset.store)
    assert len(reference) > 50
    assert comparable(built) == reference
