"""SHACL shapes (ontology/shapes.ttl) against the fixtures of tests/fixtures/shapes/.

Each fixture is validated as the build does it: ontology + vocabularies + fixture in one data
graph, with the build's engine (kg.shacl.report_graph: advanced=True, inference='none';
tests/test_shacl_engines.py checks it against pyshacl). Valid fixtures must conform; each invalid
fixture must produce exactly the results its `# expect:` lines announce (shape, focus node and
message text), no more and no fewer. See tests/shape_harness.py for the directives.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import shape_harness as harness
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from kg.shacl import report_graph

KG_NS = "https://w3id.org/geokg/ontology#"
KGS_NS = "https://w3id.org/geokg/shapes#"
NODE_LEVEL = {SH.closed, SH.xone, SH.nodeKind, SH.pattern, SH["or"], SH["not"], SH["and"],
              SH["class"], SH.hasValue, SH["in"]}
TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}


@dataclass(frozen=True)
class Result:
    focus: Node
    unit: Node          # the property shape, SPARQL constraint or node shape that reported it
    shapes: frozenset   # unit plus the node shapes owning it
    messages: tuple[str, ...]
    path: Node | None

    def describe(self, graph: Graph) -> str:
        def n3(node: Node | None, names: Graph = graph) -> str:
            return "-" if node is None else node.n3(names.namespace_manager)
        names = sorted(n3(s, shapes()) for s in self.shapes if isinstance(s, URIRef))
        return f"{n3(self.focus)} {names} {n3(self.path)}: {' | '.join(self.messages)}"


def shapes() -> Graph:
    return harness.shapes_graph()


@cache
def owners() -> dict[Node, frozenset]:
    """For each property shape or SPARQL constraint, the node shapes that carry it."""
    graph = shapes()
    found: dict[Node, set] = {}
    for predicate in (SH.property, SH.sparql):
        for node_shape, part in graph.subject_objects(predicate):
            found.setdefault(part, set()).add(node_shape)
    return {part: frozenset(s) for part, s in found.items()}


def run(data: Graph) -> list[Result]:
    report = report_graph(data, shapes())
    results = []
    nested = set(report.objects(None, SH.detail))  # sh:node details, repeated at the top
    for node in report.subjects(RDF.type, SH.ValidationResult):
        if node in nested:
            continue
        shape = report.value(node, SH.sourceShape)
        unit = report.value(node, SH.sourceConstraint) or shape
        results.append(Result(
            focus=report.value(node, SH.focusNode),
            unit=unit,
            shapes=frozenset({shape, unit}) | owners().get(unit, frozenset()),
            messages=tuple(sorted(str(m) for m in report.objects(node, SH.resultMessage))),
            path=report.value(node, SH.resultPath),
        ))
    return results


@cache
def outcome(path: Path | None) -> tuple[Graph, list[Result]]:
    """The data graph of a fixture (None: ontology and vocabularies only) and its results."""
    data = harness.data_graph(path)
    return data, run(data)


def matches(expect: list[str], result: Result, data: Graph) -> bool:
    shape_name, focus, text = expect
    return (harness.resolve(shape_name, shapes()) in result.shapes
            and harness.focus_matches(focus, result.focus, data)
            and any(text in message for message in result.messages))


def reported_units() -> set[Node]:
    """Every constraint that can report a result on its own: property shapes and SPARQL
    constraints of targeted node shapes, and targeted node shapes with node-level constraints."""
    graph = shapes()
    units: set[Node] = set()
    for node_shape in set(graph.subjects(RDF.type, SH.NodeShape)):
        if not set(graph.predicates(node_shape)) & TARGETS:
            continue
        units.update(graph.objects(node_shape, SH.property))
        units.update(graph.objects(node_shape, SH.sparql))
        if set(graph.predicates(node_shape)) & NODE_LEVEL:
            units.add(node_shape)
    return units


VALID = harness.fixtures("valid")
INVALID = harness.fixtures("invalid")


def _id(path: Path) -> str:
    return path.stem


# --- the ontology and the fixtures -------------------------------------------------------------

def test_ontology_and_vocabularies_alone_conform() -> None:
    data, results = outcome(None)
    assert not results, "\n".join(r.describe(data) for r in results)


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_fixture_conforms(path: Path) -> None:
    data, results = outcome(path)
    assert not results, "\n".join(r.describe(data) for r in results)


@pytest.mark.parametrize("path", INVALID, ids=_id)
def test_invalid_fixture_reports_exactly_what_it_expects(path: Path) -> None:
    fixture = harness.read_fixture(path)
    assert fixture.expects, f"{fixture.name} has no '# expect:' line"
    for expect in fixture.expects:
        assert len(expect) == 3, f"{fixture.name}: expect needs <shape> <focus> \"<text>\""
    data, results = outcome(path)
    listing = "\n".join(r.describe(data) for r in results)
    for expect in fixture.expects:
        assert any(matches(expect, r, data) for r in results), (
            f"{fixture.name}: no result for {expect}; got:\n{listing}")
    for result in results:
        assert any(matches(e, result, data) for e in fixture.expects), (
            f"{fixture.name}: unexpected result {result.describe(data)}")


# --- the shapes themselves ---------------------------------------------------------------------

def test_every_class_of_the_ontology_has_a_node_shape() -> None:
    ontology = harness.ontology_graph()
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class)
               if str(c).startswith(KG_NS)}
    targeted = set(shapes().objects(None, SH.targetClass))
    assert classes - targeted == set()
    for cls in classes:
        name = URIRef(KGS_NS + str(cls)[len(KG_NS):] + "Shape")
        assert (name, SH.targetClass, cls) in shapes(), f"no {name} targeting {cls}"


def test_every_reporting_constraint_has_an_english_message() -> None:
    graph = shapes()
    missing = []
    for unit in reported_units():
        messages = [m for m in graph.objects(unit, SH.message)
                    if isinstance(m, Literal) and m.language == "en"]
        if len(messages) != 1:
            missing.append(unit.n3(graph.namespace_manager))
    assert not missing, f"constraints without exactly one @en sh:message: {missing}"


def test_node_shapes_with_sparql_constraints_have_no_message_of_their_own() -> None:
    # pyshacl copies a node shape's sh:message onto every result of its SPARQL constraints.
    graph = shapes()
    for node_shape in set(graph.subjects(SH.sparql, None)):
        assert graph.value(node_shape, SH.message) is None, node_shape


def test_severity_is_violation_throughout() -> None:
    severities = set(shapes().objects(None, SH.severity))
    assert severities <= {SH.Violation}


def test_every_vocabulary_shape_points_to_an_existing_scheme() -> None:
    graph = shapes()
    ontology = harness.ontology_graph()
    schemes = set(ontology.subjects(RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#ConceptScheme")))
    in_scheme = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    used = set()
    for node_shape in set(graph.objects(None, SH.node)):
        for prop in graph.objects(node_shape, SH.property):
            assert graph.value(prop, SH.path) == in_scheme
            scheme = graph.value(prop, SH.hasValue)
            assert scheme in schemes, f"{node_shape} points to unknown scheme {scheme}"
            used.add(scheme)
    assert used == schemes, f"schemes without a reusable shape: {schemes - used}"


def test_every_targeted_class_has_an_instance_in_the_valid_fixtures() -> None:
    union = Graph()
    for path in VALID:
        union += harness.data_graph(path)
    missing = []
    for cls in set(shapes().objects(None, SH.targetClass)):
        query = "ASK { ?x a/rdfs:subClassOf* ?cls }"
        if not union.query(query, initNs={"rdfs": RDFS}, initBindings={"cls": cls}).askAnswer:
            missing.append(str(cls))
    assert not missing, f"no valid example of {sorted(missing)}"


def test_every_constraint_is_triggered_by_an_invalid_fixture() -> None:
    triggered: set[Node] = set()
    for path in INVALID:
        triggered.update(r.unit for r in outcome(path)[1])
    graph = shapes()
    untested = []
    for unit in reported_units() - triggered:
        path = graph.value(unit, SH.path)
        message = graph.value(unit, SH.message)
        untested.append(f"{unit.n3(graph.namespace_manager) if not isinstance(unit, BNode) else ''}"
                        f" {path.n3(graph.namespace_manager) if path is not None else ''}"
                        f" {str(message)[:70] if message else ''}")
    assert not untested, "constraints no invalid fixture triggers:\n" + "\n".join(sorted(untested))


def test_expectations_name_existing_shapes() -> None:
    graph = shapes()
    known = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type,
                                                                             SH.PropertyShape))
    for path in INVALID:
        for shape_name, _focus, _text in harness.read_fixture(path).expects:
            assert harness.resolve(shape_name, graph) in known, f"{path.name}: {shape_name}"
