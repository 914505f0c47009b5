"""Resolvable IRIs: `kg serve` answers a GET on the path of each of the project's IRIs
(`https://w3id.org/geokg/id/russia` is `/id/russia`) with what the graph says of it, in the
format the client asks for (content negotiation on Accept): Turtle, JSON-LD, N-Triples, or a
page for a browser with its labels in English and French, its statements with their best and
other values, the claims that support them with their quotes and sources, and links to the
nodes it names. A suffix (`/id/russia.ttl`, `.jsonld`, `.nt`, `.html`) asks for one format.
JSON-LD is written as the build's export is (kg.jsonld), with the context of the generation
served, which `/context.jsonld` answers (the context's IRI, `https://w3id.org/geokg/context.jsonld`).

What is said of a node: its triples, those that name it, and the statements of it or naming it
(`rdf:subject`, `rdf:object`) with the claims that support them; then, as in a concise bounded
description, the triples of the skolem nodes (kg.skolem: the inputs' blank nodes) these reach.
The hash namespaces kg: and kgs: are one document each (`/ontology`, `/shapes`): every term of
the namespace and the nodes it reaches. The data come from the worker pool, under the server's
time limit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from io import StringIO

import pyoxigraph as ox

from kg.backend import OxTerm
from kg.display import short
from kg.errors import KgError
from kg.jsonld import Context, write_jsonld
from kg.labels import Name, names
from kg.prefixes import PREFIXES
from kg.results import date_text
from kg.server import N_TRIPLES, Exchange, PoolBackend, collect
from kg.skolem import is_skolem

BASE = "https://w3id.org/geokg"
HASH_DOCUMENTS = {"/ontology": PREFIXES["kg"], "/shapes": PREFIXES["kgs"]}
PATHS = ("/id/", "/vocab/", "/query/", "/.well-known/genid/")  # slash namespaces
OFFERED = {  # media type: serializer (None: the page); the first is given for */*
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/html": None,
}
SUFFIXES = {".ttl": "text/turtle", ".jsonld": "application/ld+json",
            ".nt": "application/n-triples", ".html": "text/html"}
CONTEXT_PATH = "/context.jsonld"
CONTEXT_FILE = "geokg.context.jsonld"  # written by the build beside the store (kg.export)
MAX_ROUNDS = 64  # of following skolem nodes (an RDF list takes one per item)
_RDF, _RDFS, _SKOS = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["skos"]
LABELS = {f"{_RDFS}label", f"{_SKOS}prefLabel"}
COMMENTS = {f"{_RDFS}comment", f"{_SKOS}definition", PREFIXES["dcterms"] + "description"}
_ACCEPT = re.compile(r"\s*([^\s;,]+)\s*((?:;[^,]*)?)")


def local_path(iri: str) -> str | None:
    """The path of `iri` on kg serve (its fragment kept), or None for an IRI not the project's."""
    return iri[len(BASE):] if iri.startswith(BASE + "/") else None


def negotiate(accept: str | None) -> str | None:
    """The offered media type the Accept header prefers (the first offered on a tie); None when
    it accepts none of them. A type named exactly outranks `type/*`, which outranks `*/*`."""
    best: dict[str, tuple[int, float]] = {}  # offered: (how specific the range, its q)
    for match in _ACCEPT.finditer(accept or "*/*"):
        kind, parameters = match.group(1).lower(), match.group(2)
        quality = re.search(r";\s*q\s*=\s*([0-9.]+)", parameters)
        try:
            weight = float(quality.group(1)) if quality else 1.0
        except ValueError:
            weight = 0.0
        for offered in OFFERED:
            specific = {offered: 2, offered.split("/")[0] + "/*": 1, "*/*": 0}.get(kind, -1)
            if specific > best.get(offered, (-1, 0.0))[0]:
                best[offered] = (specific, weight)
    ranked = [(best[offered][1], -index, offered) for index, offered in enumerate(OFFERED)
              if offered in best and best[offered][1] > 0]
    return max(ranked)[2] if ranked else None


def _construct(exchange: Exchange, query: str) -> list[ox.Triple]:
    body = collect(exchange.front, query, N_TRIPLES)
    return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def _closure(exchange: Exchange, triples: list[ox.Triple]) -> list[ox.Triple]:
    """`triples` and those of the skolem nodes they reach, round by round."""
    seen = {t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}
    found = set(triples)
    frontier = {t.object for t in triples if isinstance(t.object, ox.NamedNode)
                and is_skolem(t.object.value)} - seen
    for _round in range(MAX_ROUNDS):
        if not frontier:
            break
        seen |= frontier
        values = " ".join(str(node) for node in sorted(frontier, key=lambda n: n.value))
        more = _construct(exchange, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }}"
                                    " ?s ?p ?o }")
        found.update(more)
        frontier = {t.object for t in more if isinstance(t.object, ox.NamedNode)
                    and is_skolem(t.object.value)} - seen
    return sorted(found, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def describe(exchange: Exchange, iri: str) -> list[ox.Triple]:
    """What the graph says of a node (see the module docstring)."""
    node = ox.NamedNode(iri)
    return _closure(exchange, _construct(exchange, f"""
        CONSTRUCT {{ {node} ?p ?o . ?s ?q {node} . ?statement ?sp ?so .
                    ?claim <{PREFIXES['kg']}supports> ?statement . }}
        WHERE {{ {{ {node} ?p ?o }} UNION {{ ?s ?q {node} }}
                UNION {{ ?statement <{_RDF}subject>|<{_RDF}object> {node} ; ?sp ?so .
                        OPTIONAL {{ ?claim <{PREFIXES['kg']}supports> ?statement }} }} }}"""))


def document(exchange: Exchange, path: str) -> list[ox.Triple]:
    """The terms of a hash namespace, and the document's own triples."""
    namespace = HASH_DOCUMENTS[path]
    own = ox.NamedNode(BASE + path)
    return _closure(exchange, _construct(exchange, f"""
        CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o
            FILTER (?s = {own} || STRSTARTS(STR(?s), {ox.Literal(namespace)})) }}"""))


# --- the page ----------------------------------------------------------------------------------

def _link(iri: str) -> str:
    return local_path(iri) or iri


def _value(term: OxTerm | ox.Triple, known: dict[str, Name]) -> dict[str, str]:
    """A term as the page shows it: text, and for an IRI its link and prefixed name."""
    if isinstance(term, ox.NamedNode):
        name = known.get(term.value)
        return {"href": _link(term.value), "text": name.text if name else short(term),
                "code": short(term), "lang": ""}
    if isinstance(term, ox.Literal):
        return {"href": "", "text": term.value, "code": "", "lang": term.language or ""}
    return {"href": "", "text": str(term), "code": "", "lang": ""}


def _iris(terms: Iterable[OxTerm | None]) -> set[str]:
    return {t.value for t in terms if isinstance(t, ox.NamedNode)}


def _section(subject: ox.NamedNode, triples: list[ox.Triple],
             known: dict[str, Name]) -> dict[str, object]:
    """One node's heading, labels, comments and other properties."""
    own = [t for t in triples if t.subject == subject]
    labels = {lang: sorted(t.object.value for t in own if t.predicate.value in LABELS
                           and isinstance(t.object, ox.Literal) and t.object.language == lang)
              for lang in ("en", "fr")}
    comments = [_value(t.object, known) for t in own if t.predicate.value in COMMENTS]
    rows: dict[str, list[dict[str, str]]] = {}
    for t in own:
        if t.predicate.value not in LABELS | COMMENTS:
            rows.setdefault(t.predicate.value, []).append(_value(t.object, known))
    name = known.get(subject.value)
    return {"anchor": subject.value.rsplit("#", 1)[-1] if "#" in subject.value else "",
            "title": name.text if name else short(subject), "iri": subject.value,
            "code": short(subject), "labels": labels, "comments": comments,
            "properties": [(_value(ox.NamedNode(p), known), values)
                           for p, values in sorted(rows.items())]}


Row = dict[str, OxTerm]


def _statements(exchange: Exchange, iri: str) -> tuple[list[Row], str]:
    """The rows of the catalogue's provenance query for the node, or a note saying why there
    are none."""
    from kg.catalogue import find_query
    from kg.params import bind
    from kg.querying import select

    try:
        entry = find_query(exchange.front.root, "provenance")
        result = select(PoolBackend(exchange.front), entry,
                        bind(entry.params, {"node": f"<{iri}>"}, entry.origin))
    except KgError as exc:
        return [], f"statements not shown: {exc.message}"
    return result.rows, ""


def _statement(row: Row, known: dict[str, Name]) -> dict[str, object]:
    """A row of the provenance query as the page shows it (a date with its precision)."""
    def value(key: str) -> dict[str, str] | None:
        return _value(row[key], known) if key in row else None

    shown: dict[str, object] = {key: value(key) for key in (
        "subject", "property", "value", "claim", "claimant", "stance", "source")}
    shown.update({key: row[key].value if key in row else "" for key in (
        "how", "best", "quote", "citation", "textFile", "offsetStart", "offsetEnd")})
    if "valuePrecision" in row:
        shown["value"] = {"href": "", "code": "", "lang": "", "text": date_text(
            row.get("value"), row.get("valueLatest"), row.get("valuePrecision"))}
    return shown


def page(exchange: Exchange, iri: str, triples: list[ox.Triple], hash_document: bool) -> str:
    from kg.web.render import render

    statements, note = ([], "") if hash_document else _statements(exchange, iri)
    terms: list[OxTerm | None] = [x for t in triples for x in (t.subject, t.predicate, t.object)
                                  if not isinstance(x, ox.Triple)]
    terms += [v for row in statements for v in row.values()]
    known = names(PoolBackend(exchange.front), _iris(terms))
    node = ox.NamedNode(iri)
    skolem = sorted({t.subject for t in triples if isinstance(t.subject, ox.NamedNode)
                     and is_skolem(t.subject.value) and t.subject != node},
                    key=lambda s: s.value)
    if hash_document:
        subjects = sorted({t.subject for t in triples if isinstance(t.subject, ox.NamedNode)
                           and not is_skolem(t.subject.value)}, key=lambda s: s.value)
        sections = [_section(s, triples, known) for s in subjects]
        incoming = []
    else:
        sections = [_section(node, triples, known)]
        incoming = [(_value(t.subject, known), _value(t.predicate, known)) for t in triples
                    if t.object == node and t.subject != node
                    and isinstance(t.subject, ox.NamedNode) and not is_skolem(t.subject.value)]
    return render("node.html", sections=sections, note=note, incoming=incoming,
                  statements=[_statement(row, known) for row in statements],
                  skolem=[_section(s, triples, known) for s in skolem], iri=iri,
                  path=local_path(iri) or "", suffixes=SUFFIXES)


def resource(exchange: Exchange) -> None:
    """GET of one of the project's IRIs (a route of kg.web.routes)."""
    path = exchange.request.path
    wanted = None
    for suffix, suffix_media in SUFFIXES.items():
        if path.endswith(suffix):
            path, wanted = path[:-len(suffix)], suffix_media
            break
    media = wanted or negotiate(exchange.request.headers.get("accept"))
    if media is None:
        exchange.send_text(406, f"{path} is served as {', '.join(OFFERED)}")
        return
    hash_document = path in HASH_DOCUMENTS
    if not hash_document and (not path.startswith(PATHS) or path.endswith("/")):
        exchange.send_text(404, f"nothing at {path}")
        return
    iri = BASE + path
    triples = document(exchange, path) if hash_document else describe(exchange, iri)
    vary = {"Vary": "Accept"}
    if not triples:
        exchange.send_text(404, f"the graph says nothing of <{iri}>", vary)
        return
    serializer = OFFERED[media]
    if serializer is None:
        body = page(exchange, iri, triples, hash_document).encode("utf-8")
        exchange.send(200, body, "text/html; charset=utf-8", vary)
        return
    if media == "application/ld+json":
        text = _json_ld(exchange, triples)
    else:
        text = ox.serialize(triples, format=serializer, prefixes=PREFIXES) or b""
    exchange.send(200, text, f"{media}; charset=utf-8" if media != N_TRIPLES else media, vary)


def _context_text(exchange: Exchange) -> str:
    return (exchange.front.pool.store.parent / CONTEXT_FILE).read_text(encoding="utf-8")


def _json_ld(exchange: Exchange, triples: list[ox.Triple]) -> bytes:
    """The triples as the JSON-LD export writes a graph: readable keys, one object per node."""
    context = Context.of_document(json.loads(_context_text(exchange))["@context"])
    subjects: dict[OxTerm, dict[ox.NamedNode, list[OxTerm]]] = {}
    for t in triples:
        subject, obj = t.subject, t.object
        assert not isinstance(subject, ox.Triple) and not isinstance(obj, ox.Triple)  # RDF 1.1
        subjects.setdefault(subject, {}).setdefault(t.predicate, []).append(obj)
    out = StringIO()
    write_jsonld(context, sorted(subjects.items(), key=lambda item: str(item[0])), out)
    return out.getvalue().encode("utf-8")


def context_document(exchange: Exchange) -> None:
    """GET /context.jsonld: the JSON-LD context of the generation served."""
    exchange.send(200, _context_text(exchange).encode("utf-8"),
                  "application/ld+json; charset=utf-8")
