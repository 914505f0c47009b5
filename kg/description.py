"""The dataset description (VoID and DCAT), made by the build from what it knows.

The data declares the dataset once (`data/dataset.ttl`: a `dcat:Dataset` with its title,
description, licence, creator, publisher and dates). The build adds, in the graph itself:

- `dcat:version` and `owl:versionInfo`: the ontology's `owl:versionInfo` (one version for the
  ontology, the dataset, pyproject.toml and the git tag: tests/test_release.py);
- `void:triples`: the triples of the exports, this description included;
- a class partition per class (`void:class`, `void:entities`: the nodes of that type) and a
  property partition per property (`void:property`, `void:triples`);
- each export as a `dcat:Distribution` (`dcat:mediaType`, `dcat:downloadURL` and
  `void:dataDump` under `https://w3id.org/geokg/releases/VERSION/`);
- `void:sparqlEndpoint`, when the build is given one (`kg build --sparql-endpoint URL`: where
  the graph will be served).

A file cannot hold its own checksum, so the byte size and SHA-256 of each export
(`dcat:byteSize`, `spdx:checksum`) are only in the description written beside the exports
(`geokg.void.ttl`, `description_file`): the description of the graph plus those.

The description's nodes are the dataset and every node named after it (`kgr:geokg-…`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from kg.errors import KgError
from kg.prefixes import PREFIXES, qname
from kg.stamp import file_digest

DCAT, VOID, DCTERMS = PREFIXES["dcat"], PREFIXES["void"], PREFIXES["dcterms"]
SPDX, OWL, RDF, XSD = PREFIXES["spdx"], PREFIXES["owl"], PREFIXES["rdf"], PREFIXES["xsd"]
DATASET = PREFIXES["kgr"] + "geokg"  # the dataset; also the graph of N-Quads and TriG
RELEASES = "https://w3id.org/geokg/releases/"
_TYPE = ox.NamedNode(RDF + "type")
_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

# The exports described as distributions: file ending -> (media type, title).
DISTRIBUTIONS: dict[str, tuple[str, str]] = {
    ".nt": ("application/n-triples", "N-Triples"),
    ".ttl": ("text/turtle", "Turtle"),
    ".nq": ("application/n-quads", "N-Quads"),
    ".trig": ("application/trig", "TriG"),
    ".jsonld": ("application/ld+json", "JSON-LD"),
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


@dataclass
class Counts:
    """What VoID counts: triples, nodes per class, triples per property."""

    triples: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    properties: Counter[str] = field(default_factory=Counter)

    @staticmethod
    def of_store(store: ox.Store) -> Counts:
        counts = Counts()
        for key, number in _rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } "
                                        "GROUP BY ?p"):
            counts.properties[key] = number
        counts.triples = sum(counts.properties.values())
        for key, number in _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) "
                                        "WHERE { ?s a ?c FILTER (isIRI(?c)) } GROUP BY ?c"):
            counts.classes[key] = number
        return counts

    def plus(self, triples: Iterable[ox.Triple]) -> Counts:
        """These counts with `triples` added (triples and typed nodes that are not counted
        already)."""
        added = list(triples)
        classes = Counter(t.object.value for t in {t for t in added if t.predicate == _TYPE}
                          if isinstance(t.object, ox.NamedNode))
        return Counts(self.triples + len(added), self.classes + classes,
                      self.properties + Counter(t.predicate.value for t in added))


def _rows(store: ox.Store, query: str) -> list[tuple[str, int]]:
    """(IRI, count) rows of a SELECT of two variables."""
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return [(row[0].value, int(row[1].value)) for row in result]


def _slug(iri: str) -> str:
    """A readable local name for a class or property: `kg-Claim`, else a digest."""
    name = qname(iri)
    if name is not None:
        return name.replace(":", "-")
    return "iri-" + hashlib.sha256(iri.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Release:
    """What the description says of the release: its version and the endpoint it is served
    at, if any."""

    version: str
    endpoint: str | None = None

    def download_url(self, name: str) -> str:
        return f"{RELEASES}{quote(self.version)}/{name}"


def description_triples(dataset: ox.NamedNode, release: Release, counts: Counts,
                        stem: str) -> list[ox.Triple]:
    """The triples the build adds to the dataset's description (see the module docstring)."""
    out: list[ox.Triple] = []

    def add(subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(subject, _n(predicate), obj))

    add(dataset, DCAT + "version", ox.Literal(release.version))
    add(dataset, OWL + "versionInfo", ox.Literal(release.version))
    add(dataset, VOID + "triples", _integer(counts.triples))
    add(dataset, VOID + "classes", _integer(len(counts.classes)))
    add(dataset, VOID + "properties", _integer(len(counts.properties)))
    if release.endpoint:
        add(dataset, VOID + "sparqlEndpoint", _n(release.endpoint))
    # VoID partitions: one per class (its entities), one per property (its triples)
    for kind, numbers, counted in (("class", counts.classes, "entities"),
                                   ("property", counts.properties, "triples")):
        for iri, number in sorted(numbers.items()):
            part = _n(f"{dataset.value}-{kind}-{_slug(iri)}")
            add(dataset, VOID + kind + "Partition", part)
            add(part, RDF + "type", _n(VOID + "Dataset"))
            add(part, VOID + kind, _n(iri))
            add(part, VOID + counted, _integer(number))
    for ending, (media_type, title) in DISTRIBUTIONS.items():
        dump = _n(f"{dataset.value}-dump-{ending[1:]}")
        url = _n(release.download_url(stem + ending))
        add(dataset, DCAT + "distribution", dump)
        add(dataset, VOID + "dataDump", url)
        add(dump, RDF + "type", _n(DCAT + "Distribution"))
        add(dump, DCTERMS + "title", ox.Literal(f"{title} dump", language="en"))
        add(dump, DCTERMS + "title", ox.Literal(f"Export {title}", language="fr"))
        add(dump, DCAT + "mediaType", _n(_MEDIA_TYPES + media_type))
        add(dump, DCAT + "downloadURL", url)
        add(dump, DCAT + "accessURL", url)
        add(dump, DCTERMS + "license", _n("https://creativecommons.org/licenses/by/4.0/"))
    return out


def _one(store: ox.Store, query: str, what: str) -> ox.NamedNode | ox.Literal | None:
    result = store.query(query, prefixes=PREFIXES)
    assert isinstance(result, ox.QuerySolutions)
    rows = [row[0] for row in result]
    if len(rows) > 1:
        raise KgError(f"the data declares {len(rows)} {what} "
                      f"({', '.join(sorted(map(str, rows))[:3])}); declare one")
    found = rows[0] if rows else None
    assert found is None or isinstance(found, ox.NamedNode | ox.Literal)
    return found


def describe(store: ox.Store, endpoint: str | None, stem: str) -> list[ox.Triple]:
    """The triples to add to the graph in `store` so that it describes itself; none when the
    data does not declare the dataset (`kgr:geokg a dcat:Dataset`, as a project of test
    fixtures does not). The counts include these triples: they are counted again until the
    description no longer changes their number (twice or three times)."""
    dataset = _n(DATASET)
    if not any(store.quads_for_pattern(dataset, _TYPE, _n(DCAT + "Dataset"))):
        return []
    version = _one(store, "SELECT ?v WHERE { ?o a owl:Ontology ; owl:versionInfo ?v }",
                   "versions of the ontology (owl:versionInfo)")
    if version is None:
        raise KgError(f"{dataset}: the dataset has no version: give the ontology an "
                      "owl:versionInfo")
    release = Release(version.value, endpoint)
    data = Counts.of_store(store)
    added: list[ox.Triple] = []
    for _attempt in range(5):
        made = [t for t in description_triples(dataset, release, data.plus(added), stem)
                if not any(store.quads_for_pattern(t.subject, t.predicate, t.object))]
        if Counts().plus(made) == Counts().plus(added):
            return made
        added = made
    raise KgError("the dataset description does not settle: its counts keep changing")


def is_description_line(line: bytes, dataset: str = DATASET) -> bool:
    """Whether a line of N-Triples is a triple of the description (its subject is the dataset
    or named after it)."""
    return line.startswith(f"<{dataset}>".encode()) or line.startswith(f"<{dataset}-".encode())


def file_triples(files: Sequence[Path], dataset: str = DATASET) -> list[ox.Triple]:
    """The byte size and SHA-256 of each export in `files` (those with a distribution)."""
    out = []
    for path in files:
        ending = next((e for e in DISTRIBUTIONS if path.name.endswith(e)
                       and not path.name.endswith(".context" + e)), None)
        if ending is None:
            continue
        dump = _n(f"{dataset}-dump-{ending[1:]}")
        checksum = _n(f"{dataset}-dump-{ending[1:]}-sha256")
        digest = file_digest(path)
        out += [
            ox.Triple(dump, _n(DCAT + "byteSize"),
                      ox.Literal(str(path.stat().st_size),
                                 datatype=_n(XSD + "nonNegativeInteger"))),
            ox.Triple(dump, _n(SPDX + "checksum"), checksum),
            ox.Triple(checksum, _TYPE, _n(SPDX + "Checksum")),
            ox.Triple(checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
            ox.Triple(checksum, _n(SPDX + "checksumValue"),
                      ox.Literal(digest, datatype=_n(XSD + "hexBinary"))),
        ]
    return out
