"""Deterministic N-Triples and Turtle writers.

The exports are sorted: N-Triples line by line, Turtle by subject, predicate and object, with
a fixed prefix table. The build's data come as N-Triples whose blank nodes kg.dataset has
labelled per input; an rdflib graph (a hook's, a test's) gets labels computed from its content
(an iterated hash of each blank node's neighbourhood, in the manner of Weisfeiler-Lehman colour
refinement), because rdflib's own labels are random. Either way the output depends only on
the input files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol, TextIO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg.atomic import write_file_set
from kg.backend import OxTerm
from kg.prefixes import PREFIXES, qname

Triple = tuple[Node, Node, Node]

_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# What must be escaped in a string literal (canonical N-Triples), and what else is escaped when
# the output is for people: every space other than U+0020, C1 controls and invisible characters.
_STRING_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_STRING_ESCAPE_VISIBLE = re.compile(
    '["\\\\\x00-\x1f\x7f-\x9f' + _INVISIBLE
    + "".join(c for c in map(chr, range(0xA0, 0x3001)) if c.isspace()) + "]"
)
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
# Plain module constants: rdflib Namespace attribute access is slow in tight loops.
_TYPE, _FIRST, _REST, _NIL = RDF.type, RDF.first, RDF.rest, RDF.nil
_LIST_PROPS = {_FIRST, _REST}
_XSD_INTEGER, _XSD_BOOLEAN, _XSD_STRING = str(XSD.integer), str(XSD.boolean), str(XSD.string)
_RDF_LANGSTRING = str(RDF.langString)


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group()
    return _ECHAR.get(ch) or f"\\u{ord(ch):04X}"


def escape_string(value: str, visible: bool = False) -> str:
    """Escape a string for a `"..."` literal in N-Triples or Turtle.

    The canonical form keeps every character as UTF-8 except the ECHARs and other C0 controls.
    With `visible=True`, spaces other than U+0020 and invisible characters become `\\uXXXX`, which
    is the same literal but lets an editor see a no-break space.
    """
    pattern = _STRING_ESCAPE_VISIBLE if visible else _STRING_ESCAPE
    return pattern.sub(_escape_char, value) if pattern.search(value) else value


def escape_iri(iri: str) -> str:
    return _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri)


def nt_term(node: Node, labels: dict[BNode, str] | None = None) -> str:
    """N-Triples form of a term; blank nodes use `labels` when given."""
    if isinstance(node, URIRef):
        return f"<{escape_iri(str(node))}>"
    if isinstance(node, Literal):
        body = f'"{escape_string(str(node))}"'
        if node.language:
            return f"{body}@{node.language}"
        if node.datatype is not None:
            return f"{body}^^<{escape_iri(str(node.datatype))}>"
        return body
    if isinstance(node, BNode):
        return f"_:{labels[node] if labels is not None else node}"
    raise TypeError(f"not an RDF term: {node!r}")


def turtle_iri(iri: str) -> str:
    return qname(iri) or f"<{escape_iri(iri)}>"


def _turtle_literal(lexical: str, language: str | None, datatype: str | None,
                    visible: bool = False) -> str:
    if datatype == _XSD_INTEGER and _INTEGER.match(lexical):
        return lexical
    if datatype == _XSD_BOOLEAN and lexical in ("true", "false"):
        return lexical
    body = f'"{escape_string(lexical, visible)}"'
    if language:
        return f"{body}@{language}"
    if datatype is not None and datatype not in (_XSD_STRING, _RDF_LANGSTRING):
        return f"{body}^^{turtle_iri(datatype)}"
    return body


def turtle_literal(lit: Literal, visible: bool = False) -> str:
    datatype = str(lit.datatype) if lit.datatype is not None else None
    return _turtle_literal(str(lit), lit.language, datatype, visible)


def short(node: Node) -> str:
    """A compact, readable form for reports: prefixed name, `<iri>`, literal or `[]`."""
    if isinstance(node, URIRef):
        return turtle_iri(str(node))
    if isinstance(node, Literal):
        return turtle_literal(node, visible=True)
    return "[]"


class GraphLike(Protocol):
    """What describe_node needs of a graph: an rdflib Graph, or kg.dataset.GraphView."""

    def subject_predicates(self, object: Node | None = None  # noqa: A002
                           ) -> Iterable[tuple[Node, Node]]: ...


def describe_node(graph: GraphLike, node: Node) -> str:
    """Like `short`, but a blank node is shown by the triple that points to it (`kgr:x oa:p []`)."""
    if not isinstance(node, BNode):
        return short(node)
    parent = min(graph.subject_predicates(node), key=str, default=None)
    if parent is None:
        return "[]"
    return f"{describe_node(graph, parent[0])} {short(parent[1])} []"


# --- canonical blank node labels -------------------------------------------------------------

def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def blank_labels(triples: Iterable[Triple]) -> dict[BNode, str]:
    """Labels for the blank nodes of `triples` that depend only on the graph's content.

    Each blank node starts with a hash of its edges (other blank nodes written as `_:`), then
    the nodes linked to other blank nodes are re-hashed with their neighbours' hashes until the
    partition stops getting finer (colour refinement). Blank nodes that still share a hash are
    interchangeable for all practical data (an automorphism), so the tie-break cannot change
    the output.
    """
    cache: dict[Node, str] = {}

    def term(node: Node) -> str:
        text = cache.get(node)
        if text is None:
            text = cache[node] = nt_term(node)
        return text

    fixed: dict[BNode, list[str]] = {}  # edges to IRIs and literals, written out
    linked: dict[BNode, list[tuple[str, BNode]]] = {}  # edges to other blank nodes
    for s, p, o in triples:
        if isinstance(s, BNode):
            if isinstance(o, BNode):
                linked.setdefault(s, []).append(("o " + term(p), o))
            else:
                fixed.setdefault(s, []).append(f"o {term(p)} {term(o)}")
        if isinstance(o, BNode):
            if isinstance(s, BNode):
                linked.setdefault(o, []).append(("i " + term(p), s))
            else:
                fixed.setdefault(o, []).append(f"i {term(p)} {term(s)}")
    nodes = fixed.keys() | linked.keys()
    if not nodes:
        return {}
    static = {}
    for node in nodes:
        parts = fixed.get(node, [])
        parts.extend(f"{edge} _:" for edge, _ in linked.get(node, ()))
        parts.sort()
        static[node] = "\n".join(parts)
    colours = {node: _digest((static[node],)) for node in nodes}
    classes = len(set(colours.values()))
    for _ in range(len(linked)):
        refined = dict(colours)
        for node, edges in linked.items():
            refined[node] = _digest([colours[node], *sorted(f"{e} {colours[o]}" for e, o in edges)])
        refined_classes = len(set(refined.values()))
        colours = refined
        if refined_classes == classes:
            break
        classes = refined_classes

    labels: dict[BNode, str] = {}
    seen: dict[str, int] = {}
    for node in sorted(nodes, key=lambda n: (colours[n], str(n))):
        base = "b" + colours[node][:24]
        count = seen.get(base, 0)
        seen[base] = count + 1
        labels[node] = base if count == 0 else f"{base}x{count}"
    return labels


# --- N-Triples --------------------------------------------------------------------------------

def ntriples_lines(graph: Graph) -> list[str]:
    """The sorted N-Triples lines of an rdflib graph (content-based blank labels), each ending
    in a newline."""
    triples = list(graph)
    labels = blank_labels(triples)
    cache: dict[Node, str] = {}

    def term(node: Node) -> str:
        text = cache.get(node)
        if text is None:
            text = cache[node] = nt_term(node, labels)
        return text

    return sorted({f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples})


_CHUNK = 50_000  # lines decoded or parsed at a time: memory stays flat at any size


def sorted_lines(chunks: Iterable[bytes]) -> list[bytes]:
    """The distinct lines of canonical N-Triples (as Oxigraph writes them), sorted; `chunks`
    are pieces of N-Triples that each end with a newline (the dataset's inputs)."""
    lines: set[bytes] = set()
    for chunk in chunks:
        lines.update(chunk.splitlines(keepends=True))
    lines.discard(b"\n")
    return sorted(lines)


def _batches(lines: list[bytes]) -> Iterator[bytes]:
    for start in range(0, len(lines), _CHUNK):
        yield b"".join(lines[start:start + _CHUNK])


def _lines_of(data: Graph | list[bytes]) -> list[bytes]:
    if isinstance(data, Graph):
        return [line.encode("utf-8") for line in ntriples_lines(data)]
    return data


def write_ntriples(data: Graph | list[bytes], out: TextIO) -> int:
    """Write sorted N-Triples (of a graph, or `sorted_lines`); returns the number of triples."""
    lines = _lines_of(data)
    for batch in _batches(lines):
        out.write(batch.decode("utf-8"))
    return len(lines)


# --- Turtle -----------------------------------------------------------------------------------

_OX_TYPE, _OX_FIRST, _OX_REST, _OX_NIL = (ox.NamedNode(str(t)) for t in (_TYPE, _FIRST, _REST,
                                                                          _NIL))
_OX_LIST_PROPS = {_OX_FIRST, _OX_REST}


Props = dict[ox.NamedNode, list[OxTerm]]


def _by_subject(lines: list[bytes]) -> Iterator[tuple[OxTerm, Props]]:
    """The triples of sorted N-Triples lines, one subject at a time (its lines are adjacent)."""
    subject: OxTerm | None = None
    props: Props = {}
    for batch in _batches(lines):
        for quad in ox.parse(batch, format=ox.RdfFormat.N_TRIPLES):
            if quad.subject != subject:
                if subject is not None:
                    yield subject, props
                subject, props = quad.subject, {}
            props.setdefault(quad.predicate, []).append(quad.object)
    if subject is not None:
        yield subject, props


def _with_blank_nodes(lines: list[bytes]) -> list[bytes]:
    """The lines whose subject or object may be a blank node: every one that is (a blank-node
    subject starts its line, a blank-node object is preceded by a space), and a few that only
    hold " _:" in a literal. All that the first pass of _TurtleWriter reads, for a fraction of
    the parsing."""
    return [line for line in lines if line.startswith(b"_:") or b" _:" in line]


class _TurtleWriter:
    """Turtle from sorted N-Triples lines, read back as Oxigraph terms (exact literals).

    Two passes, so that memory holds the blank nodes only: the first, over the lines that may
    hold a blank node, keeps the properties of blank-node subjects and which blank nodes each
    subject points to (to decide which are written nested), the second writes each subject as
    it comes. Sorted lines put every IRI subject before every blank-node subject, each group in
    the order of its N-Triples form.
    """

    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        self.blank: dict[ox.BlankNode, Props] = {}  # properties of blank-node subjects
        children: dict[OxTerm, list[ox.BlankNode]] = {}  # blank-node objects, per subject
        refs: dict[ox.BlankNode, int] = {}
        for subject, props in _by_subject(_with_blank_nodes(lines)):
            if isinstance(subject, ox.BlankNode):
                self.blank[subject] = props
            for objects in props.values():
                for obj in objects:
                    if isinstance(obj, ox.BlankNode):
                        refs[obj] = refs.get(obj, 0) + 1
                        children.setdefault(subject, []).append(obj)
        self.inline = self._inline_set(refs, children)
        self.flat: dict[OxTerm, str] = {}  # Turtle forms of IRIs and literals

    @staticmethod
    def key(node: OxTerm) -> str:
        """Sort key: the N-Triples form."""
        return str(node)

    def _inline_set(self, refs: dict[ox.BlankNode, int],
                    children: dict[OxTerm, list[ox.BlankNode]]) -> set[ox.BlankNode]:
        """Blank nodes written nested as `[ ... ]`: referenced exactly once and not in a cycle."""
        candidates = {node for node, count in refs.items() if count == 1}
        reached: set[ox.BlankNode] = set()

        def walk(start: OxTerm) -> None:
            stack = [start]
            while stack:
                for child in children.get(stack.pop(), ()):
                    if child in candidates and child not in reached:
                        reached.add(child)
                        stack.append(child)

        for subject in children:
            if subject not in candidates:
                walk(subject)
        # Whatever is left only hangs off itself (a cycle): promote one node per cycle.
        for node in sorted(candidates - reached, key=self.key):
            if node not in reached:
                candidates.discard(node)
                walk(node)
        return candidates & reached

    def _list_items(self, node: OxTerm) -> list[OxTerm] | None:
        """Items of a well-formed inline RDF list starting at `node`, else None."""
        items = []
        while node != _OX_NIL:
            props = self.blank.get(node)
            if (node not in self.inline or props is None or props.keys() != _OX_LIST_PROPS
                    or len(props[_OX_FIRST]) != 1 or len(props[_OX_REST]) != 1):
                return None
            items.append(props[_OX_FIRST][0])
            node = props[_OX_REST][0]
        return items

    def term(self, node: OxTerm, depth: int) -> str:
        text = self.flat.get(node)
        if text is not None:
            return text
        if isinstance(node, ox.NamedNode):
            text = self.flat[node] = turtle_iri(node.value)
            return text
        if isinstance(node, ox.Literal):
            text = self.flat[node] = _turtle_literal(
                node.value, node.language, node.datatype.value, visible=True)
            return text
        if node in self.inline:
            items = self._list_items(node)
            if items is not None:
                return "( " + " ".join(self.term(i, depth) for i in items) + " )"
            if node not in self.blank:
                return "[]"
            pad = "    " * depth
            return "[\n" + self.body(self.blank[node], depth + 1) + "\n" + pad + "]"
        return "_:" + node.value

    def body(self, props: Props, depth: int) -> str:
        preds = sorted(props, key=lambda p: (p != _OX_TYPE, p.value))
        pad = "    " * depth
        out = []
        for pred in preds:
            objects = props[pred]
            if len(objects) > 1:
                objects = sorted(objects, key=self.key)
            name = "a" if pred == _OX_TYPE else self.term(pred, depth)
            out.append(f"{pad}{name} "
                       + " , ".join(self.term(o, depth) for o in objects))
        return " ;\n".join(out)

    def write(self, out: TextIO) -> int:
        """Write the document; returns the number of triples."""
        for prefix, iri in PREFIXES.items():
            out.write(f"@prefix {prefix}: <{iri}> .\n")
        count = 0
        for subject, props in _by_subject(self.lines):
            count += sum(map(len, props.values()))
            if subject not in self.inline:
                out.write("\n" + self.term(subject, 0) + "\n" + self.body(props, 1) + " .\n")
            if not isinstance(subject, ox.BlankNode):
                self.flat.pop(subject, None)  # a subject IRI is rarely written again
        return count


def write_turtle(data: Graph | list[bytes], out: TextIO) -> int:
    """Write Turtle (of a graph, or `sorted_lines`) with our fixed prefix table, sorted."""
    return _TurtleWriter(_lines_of(data)).write(out)


def export_ntriples(
    chunks: Iterable[bytes],
    target_dir: Path,
    stem: str = "geokg",
    formats: dict[str, Callable[[list[bytes], TextIO], int]] | None = None,
) -> tuple[list[Path], int]:
    """Write `<stem>.ttl` and `<stem>.nt` of N-Triples data (pieces that each end with a
    newline) into `target_dir` as one atomic set; returns the paths and the number of
    distinct triples."""
    formats = formats or {".ttl": write_turtle, ".nt": write_ntriples}
    lines = sorted_lines(chunks)
    writers = {
        stem + ext: (lambda handle, fn=fn: fn(lines, handle)) for ext, fn in formats.items()
    }
    return write_file_set(target_dir, writers), len(lines)


def export_graph(graph: Graph, target_dir: Path, stem: str = "geokg") -> list[Path]:
    """`export_ntriples` of an rdflib graph, with content-based blank node labels."""
    nt = "".join(ntriples_lines(graph)).encode("utf-8")
    return export_ntriples([nt], target_dir, stem)[0]
