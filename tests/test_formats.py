"""The exports besides Turtle and N-Triples: JSON-LD (read back by a JSON-LD processor, pyld),
N-Quads and TriG (one named graph), the dataset's description beside them (VoID and DCAT, with
each export's size and SHA-256), and their stability from one build to the next."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kg.cli import main
from kg.description import DATASET
from kg.prefixes import PREFIXES
from kg.shacl import report_graph

ROOT = Path(__file__).resolve().parent.parent
VOID, DCAT, SPDX = PREFIXES["void"], PREFIXES["dcat"], PREFIXES["spdx"]
EXPORTS = ("geokg.ttl", "geokg.nt", "geokg.nq", "geokg.trig", "geokg.jsonld")


def triples(path: Path, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(path=path, format=fmt)}


@pytest.fixture(scope="module")
def build(built_root: Path) -> Path:
    return built_root / "build"


@pytest.fixture(scope="module")
def graph(build: Path) -> set[ox.Triple]:
    return triples(build / "geokg.nt", ox.RdfFormat.N_TRIPLES)


def test_json_ld_expands_to_the_graph(build: Path, graph: set[ox.Triple]) -> None:
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld (the test extra) is not installed")
    document = json.loads((build / "geokg.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    found = {quad.triple for quad in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)}
    assert found == graph


def test_json_ld_keys_are_readable(build: Path) -> None:
    """Claims, statements and labels read with the context's keys, not IRIs."""
    lines = (build / "geokg.jsonld").read_text(encoding="utf-8").splitlines()
    nodes = {node["id"]: node for node in map(json.loads, (line.rstrip(",") for line in lines
                                                            if line.startswith('{"id"')))}
    russia = nodes["kgr:russia"]
    assert russia["type"] == "State"
    assert russia["label"] == {"en": "Russia", "fr": "Russie"}
    claim = nodes["kgr:claim-unts-1961-signed"]
    assert claim["type"] == "Claim"
    assert claim["stance"] == "kgv:asserts"
    statement = nodes[claim["supports"][0]]
    assert statement["type"] == "Statement" and statement["subject"].startswith("kgr:")
    date = nodes["kgr:date-1961-07-06"]
    assert date["earliest"] == "1961-07-06" and date["precision"] == "kgv:day"


def test_the_published_context_is_the_embedded_one(build: Path) -> None:
    published = json.loads((build / "geokg.context.jsonld").read_text(encoding="utf-8"))
    with (build / "geokg.jsonld").open(encoding="utf-8") as handle:
        embedded = json.loads(handle.readline()[len('{"@context": '):].rstrip().rstrip(","))
    assert published == {"@context": embedded}


@pytest.mark.parametrize(("name", "fmt"), [("geokg.nq", ox.RdfFormat.N_QUADS),
                                           ("geokg.trig", ox.RdfFormat.TRIG)])
def test_quads_hold_the_graph_in_the_dataset_graph(build: Path, graph: set[ox.Triple],
                                                    name: str, fmt: ox.RdfFormat) -> None:
    quads = list(ox.parse(path=build / name, format=fmt))
    assert {quad.graph_name for quad in quads} == {ox.NamedNode(DATASET)}
    assert {quad.triple for quad in quads} == graph
    assert len(quads) == len(graph)


def test_turtle_holds_the_graph(build: Path, graph: set[ox.Triple]) -> None:
    assert triples(build / "geokg.ttl", ox.RdfFormat.TURTLE) == graph


def description(build: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=build / "geokg.void.ttl", format=ox.RdfFormat.TURTLE)
    return store


def value(store: ox.Store, subject: str, predicate: str) -> ox.NamedNode | ox.Literal:
    [quad] = store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)
    assert isinstance(quad.object, ox.NamedNode | ox.Literal)
    return quad.object


def test_the_description_counts_the_graph(build: Path, graph: set[ox.Triple]) -> None:
    store = description(build)
    assert value(store, DATASET, VOID + "triples").value == str(len(graph))
    partitions = {
        value(store, part.object.value, VOID + "property").value:
            int(value(store, part.object.value, VOID + "triples").value)
        for part in store.quads_for_pattern(ox.NamedNode(DATASET),
                                            ox.NamedNode(VOID + "propertyPartition"), None)}
    counted: dict[str, int] = {}
    for triple in graph:
        counted[triple.predicate.value] = counted.get(triple.predicate.value, 0) + 1
    assert partitions == counted
    version = value(store, DATASET, DCAT + "version").value
    assert version == value(store, DATASET, PREFIXES["owl"] + "versionInfo").value


def test_the_description_gives_each_export_its_size_and_checksum(build: Path) -> None:
    store = description(build)
    dumps = [q.object.value for q in store.quads_for_pattern(
        ox.NamedNode(DATASET), ox.NamedNode(DCAT + "distribution"), None)]
    assert len(dumps) == len(EXPORTS)
    for dump in dumps:
        url = value(store, dump, DCAT + "downloadURL").value
        path = build / url.rsplit("/", 1)[1]
        assert int(value(store, dump, DCAT + "byteSize").value) == path.stat().st_size
        checksum = value(store, dump, SPDX + "checksum").value
        assert value(store, checksum, SPDX + "checksumValue").value == hashlib.sha256(
            path.read_bytes()).hexdigest()


def test_the_description_file_conforms_to_the_shapes(build: Path) -> None:
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    data = Graph().parse(build / "geokg.void.ttl")
    report = report_graph(data, shapes)
    [conforms] = report.objects(None, URIRef(PREFIXES["sh"] + "conforms"))
    assert conforms.toPython() is True, report.serialize(format="turtle")


@pytest.mark.slow
def test_two_builds_write_the_same_bytes(tmp_path: Path) -> None:
    for name in ("ontology", "data", "rules", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    digests = []
    for _ in range(2):
        assert main(["--root", str(tmp_path), "build", "--force", "--quiet"]) == 0
        digests.append({name: hashlib.sha256((tmp_path / "build" / name).read_bytes()).digest()
                        for name in (*EXPORTS, "geokg.context.jsonld", "geokg.void.ttl")})
    assert digests[0] == digests[1]


@pytest.mark.slow
def test_the_sparql_endpoint_given_to_the_build_is_in_the_description(tmp_path: Path) -> None:
    for name in ("ontology", "data", "rules", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    url = "https://sparql.example.org/geokg"
    assert main(["--root", str(tmp_path), "build", "--quiet", "--sparql-endpoint", url]) == 0
    store = ox.Store()
    store.load(path=tmp_path / "build" / "geokg.nt", format=ox.RdfFormat.N_TRIPLES)
    assert value(store, DATASET, VOID + "sparqlEndpoint") == ox.NamedNode(url)
