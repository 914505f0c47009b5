"""The project's prefix table: the single source of truth for namespaces (see docs/DESIGN.md).

Plain strings, without rdflib: `kg query` and the results formats use the table and `qname`
without loading an RDF library. kg.namespaces gives the same namespaces as rdflib Namespaces.
"""

from __future__ import annotations

import re

PREFIXES: dict[str, str] = {
    "kg": "https://w3id.org/geokg/ontology#",
    "kgv": "https://w3id.org/geokg/vocab/",
    "kgr": "https://w3id.org/geokg/id/",
    "kgq": "https://w3id.org/geokg/query/",
    "kgs": "https://w3id.org/geokg/shapes#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "schema": "https://schema.org/",
    "dcat": "http://www.w3.org/ns/dcat#",  # the dataset description (kg.description)
    "void": "http://rdfs.org/ns/void#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "genid": "https://w3id.org/geokg/.well-known/genid/",  # blank nodes of the inputs (kg.skolem)
}

XSD = PREFIXES["xsd"]
XSD_STRING = XSD + "string"
RDF_LANGSTRING = PREFIXES["rdf"] + "langString"

# Every namespace ends with "/" or "#", and a simple local name holds neither: the namespace of
# an IRI that has a prefixed name is its text up to the last "/" or "#".
_BY_NAMESPACE = {iri: prefix for prefix, iri in PREFIXES.items()}
_SIMPLE_LOCAL = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9_-]*)?\Z")


def sparql_prefixes() -> str:
    """The `PREFIX p: <iri>` header lines for every entry of the table, newline-terminated."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def qname(iri: str) -> str | None:
    """`prefix:local` for an IRI in one of our namespaces when the local name is simple, else None.

    Simple means letters, digits, `_` and `-` only (and not starting with `-`), which is valid
    both in Turtle and SPARQL without escapes.
    """
    end = max(iri.rfind("/"), iri.rfind("#")) + 1
    prefix = _BY_NAMESPACE.get(iri[:end])
    if prefix is None or not _SIMPLE_LOCAL.match(iri, end):
        return None
    return f"{prefix}:{iri[end:]}"


def expand(name: str) -> str:
    """Expand `prefix:local` with our table; anything else (an IRI, `<iri>`) is returned bare."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name
