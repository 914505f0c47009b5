"""JSON-LD export: the built graph with a context that gives readable keys.

The context (`context_of`) is made from the ontology inside the graph, so it follows the
ontology without being written by hand:

- every prefix of kg.prefixes, so that any IRI of the project reads as `kgr:russia`;
- `id` and `type` for `@id` and `@type`;
- every class and property of the `kg:` namespace by its local name (`Claim`, `supports`,
  `start`); an object property's values are IRIs (`"supports": "genid:…"`), a datatype
  property's values are literals of its `rdfs:range` (`"earliest": "1961-07-06"`);
- a few terms of the standard vocabularies the graph uses (`label`, `comment`, `prefLabel`,
  `exact`...) where no `kg:` term has the name: labels and definitions as language maps
  (`"label": {"en": "Russia", "fr": "Russie"}`).

The document (`write_jsonld`) embeds that context, so that it reads on its own, offline; the
same context is written beside it as `geokg.context.jsonld` for systems that want to reuse the
keys. Nodes are flat (one object per subject, sorted by IRI, one per line), properties sorted by
key, values sorted: the file is byte-identical from one build to the next. A value that the
context does not coerce is written as a value object (`{"@value": …, "@type": …}`), never as a
JSON number or boolean, so that expanding the document gives back exactly the graph's literals
(tests/test_formats.py checks it with a JSON-LD processor, pyld).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TextIO

import pyoxigraph as ox

from kg.backend import OxTerm
from kg.prefixes import PREFIXES, RDF_LANGSTRING, XSD_STRING, qname

CONTEXT_IRI = "https://w3id.org/geokg/context.jsonld"
_KG = PREFIXES["kg"]
_RDF, _RDFS, _OWL = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["owl"]
_TYPE = _RDF + "type"
_KINDS = {_OWL + "Class": "class", _RDFS + "Class": "class", _OWL + "ObjectProperty": "iri",
          _OWL + "DatatypeProperty": "literal", _OWL + "AnnotationProperty": "literal",
          _RDF + "Property": "any"}
# Terms of standard vocabularies, used where no kg: term has the name. "language" terms are
# language maps; "iri" terms take IRIs; "any" terms take whatever comes.
_STANDARD: dict[str, tuple[str, str]] = {
    "label": ("rdfs:label", "language"),
    "comment": ("rdfs:comment", "language"),
    "prefLabel": ("skos:prefLabel", "language"),
    "altLabel": ("skos:altLabel", "language"),
    "definition": ("skos:definition", "language"),
    "inScheme": ("skos:inScheme", "iri"),
    "broader": ("skos:broader", "iri"),
    "topConceptOf": ("skos:topConceptOf", "iri"),
    "hasTopConcept": ("skos:hasTopConcept", "iri"),
    "subClassOf": ("rdfs:subClassOf", "iri"),
    "subPropertyOf": ("rdfs:subPropertyOf", "iri"),
    "domain": ("rdfs:domain", "iri"),
    "range": ("rdfs:range", "iri"),
    "seeAlso": ("rdfs:seeAlso", "iri"),
    "subject": ("rdf:subject", "iri"),
    "predicate": ("rdf:predicate", "iri"),
    "object": ("rdf:object", "any"),
    "hasSource": ("oa:hasSource", "iri"),
    "hasSelector": ("oa:hasSelector", "iri"),
    "exact": ("oa:exact", "any"),
    "prefix": ("oa:prefix", "any"),
    "suffix": ("oa:suffix", "any"),
    "title": ("dcterms:title", "language"),
    "description": ("dcterms:description", "language"),
    "license": ("dcterms:license", "iri"),
    "creator": ("dcterms:creator", "iri"),
    "publisher": ("dcterms:publisher", "iri"),
    "issued": ("dcterms:issued", "any"),
    "modified": ("dcterms:modified", "any"),
}
_RESERVED = {"id", "type", *PREFIXES}


def _expand(name: str) -> str:
    """A prefixed name as its IRI; an IRI (no known prefix) as is."""
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else name


def _ontology_terms(lines: list[bytes]) -> dict[str, tuple[str, str]]:
    """kg: terms declared in the graph: IRI -> (kind, range IRI or "")."""
    head = f"<{_KG}".encode()
    found: dict[str, tuple[str, str]] = {}
    ranges: dict[str, str] = {}
    wanted = b"".join(line for line in lines if line.startswith(head))
    for triple in ox.parse(wanted, format=ox.RdfFormat.N_TRIPLES):
        subject = triple.subject.value
        if triple.predicate.value == _TYPE and triple.object.value in _KINDS:
            found.setdefault(subject, (_KINDS[triple.object.value], ""))
        elif triple.predicate.value == _RDFS + "range" and isinstance(triple.object,
                                                                     ox.NamedNode):
            ranges[subject] = triple.object.value
    return {iri: (kind, ranges.get(iri, "") if kind == "literal" else "")
            for iri, (kind, _) in found.items()}


class Context:
    """Term definitions: which key a property or class is written with, and how its values
    are coerced."""

    def __init__(self, lines: list[bytes]) -> None:
        self.document: dict[str, object] = {"@version": 1.1, "id": "@id", "type": "@type"}
        self.document.update(PREFIXES)
        self.keys: dict[str, str] = {}  # property or class IRI -> key
        self.coercion: dict[str, str] = {}  # property IRI -> "@id", "@language" or a datatype
        for iri, (kind, datatype) in sorted(_ontology_terms(lines).items()):
            local = iri[len(_KG):]
            if local in _RESERVED or not local:
                continue
            if kind == "iri":
                self._define(local, iri, "@id")
            elif kind == "literal" and datatype and datatype not in (XSD_STRING,
                                                                       RDF_LANGSTRING):
                self._define(local, iri, datatype)
            else:
                self._define(local, iri, "")
        for name, (compact, kind) in _STANDARD.items():
            if name not in self.document:
                coercion = {"iri": "@id", "language": "@language"}.get(kind, "")
                self._define(name, _expand(compact), coercion)

    @classmethod
    def of_document(cls, document: dict[str, object]) -> Context:
        """The context a build wrote (`text()`) read back, so that what `kg serve` writes of a
        node has the keys of the generation it serves; the document itself is kept as is."""
        context = cls([])
        for name, definition in document.items():
            if name in _RESERVED or name.startswith("@"):
                continue
            if isinstance(definition, str):
                context._define(name, _expand(definition), "")
            elif isinstance(definition, dict):
                kind = definition.get("@type", "")
                coercion = ("@language" if definition.get("@container") == "@language"
                            else "@id" if kind == "@id" else _expand(kind) if kind else "")
                context._define(name, _expand(definition["@id"]), coercion)
        context.document = document
        return context

    def _define(self, name: str, iri: str, coercion: str) -> None:
        compact = qname(iri) or iri
        if coercion == "@id":
            self.document[name] = {"@id": compact, "@type": "@id"}
        elif coercion == "@language":
            self.document[name] = {"@id": compact, "@container": "@language"}
        elif coercion:
            self.document[name] = {"@id": compact, "@type": qname(coercion) or coercion}
        else:
            self.document[name] = compact
        self.keys[iri] = name
        if coercion:
            self.coercion[iri] = coercion

    def text(self) -> str:
        """The context as a document of its own (`geokg.context.jsonld`)."""
        return json.dumps({"@context": self.document}, ensure_ascii=False, indent=1) + "\n"


@lru_cache(maxsize=1 << 16)  # predicates, classes, datatypes and IRIs many triples point to
def _iri(iri: str) -> str:
    return qname(iri) or iri


def _value_object(term: OxTerm) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"@id": _iri(term.value)}
    assert isinstance(term, ox.Literal)
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": _iri(term.datatype.value)}


# What json.dumps(value, ensure_ascii=False[, sort_keys=True]) does, without making an encoder
# per call.
_sort_key = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _entries(context: Context, predicate: str, objects: list[OxTerm]
             ) -> Iterator[tuple[str, object]]:
    """The key(s) and value(s) of one property of a node."""
    key = context.keys.get(predicate)
    coercion = context.coercion.get(predicate, "")
    if key is None:
        key, coercion = _iri(predicate), ""
    if coercion == "@language":
        if all(isinstance(o, ox.Literal) and o.datatype.value in (XSD_STRING, RDF_LANGSTRING)
               for o in objects):
            by_language: dict[str, list[str]] = {}
            for obj in objects:
                assert isinstance(obj, ox.Literal)
                by_language.setdefault(obj.language or "@none", []).append(obj.value)
            yield key, {language: values[0] if len(values) == 1 else sorted(values)
                        for language, values in sorted(by_language.items())}
            return
        key, coercion = _iri(predicate), ""  # a value a language map cannot hold
    values: list[object] = []
    for obj in objects:
        if coercion == "@id" and isinstance(obj, ox.NamedNode):
            values.append(_iri(obj.value))
        elif (coercion and isinstance(obj, ox.Literal) and not obj.language
              and obj.datatype.value == coercion):
            values.append(obj.value)
        else:
            values.append(_value_object(obj))
    if len(values) == 1:
        yield key, values[0]
    else:
        values.sort(key=_sort_key)
        yield key, values


def node_object(context: Context, subject: OxTerm,
                props: dict[ox.NamedNode, list[OxTerm]]) -> dict[str, object]:
    """One subject as a JSON-LD node object, with the keys of `context`."""
    node: dict[str, object] = {"id": _iri(subject.value)}
    entries: dict[str, object] = {}
    for predicate, objects in props.items():
        if predicate.value == _TYPE and all(isinstance(o, ox.NamedNode) for o in objects):
            types = sorted(context.keys.get(o.value) or _iri(o.value) for o in objects)
            node["type"] = types[0] if len(types) == 1 else types
            continue
        for key, value in _entries(context, predicate.value, objects):
            entries[key] = value
    node.update(sorted(entries.items()))
    return node


def write_jsonld(context: Context, subjects: Iterable[tuple[OxTerm, dict[ox.NamedNode,
                                                                         list[OxTerm]]]],
                 out: TextIO) -> int:
    """The document: the context, then `@graph`, one node object per line; returns the number
    of triples."""
    out.write('{"@context": ')
    out.write(json.dumps(context.document, ensure_ascii=False, sort_keys=False))
    out.write(',\n"@graph": [')
    count = 0
    separator = "\n"
    for subject, props in subjects:
        count += sum(map(len, props.values()))
        out.write(separator)
        out.write(_encode(node_object(context, subject, props)))
        separator = ",\n"
    out.write("\n]}\n")
    return count
