"""The build's working data: every input parsed once by Oxigraph and kept in two forms.

* The input's triples as N-Triples exactly as written (`Part.nt`). SHACL and the exports read
  these bytes, and `files_of` finds in them the files that state a node, for reports.
* All triples in one in-memory Oxigraph store, which the rules, the checks and the evidence
  check query. The store normalises literals (`"3"^^xsd:nonNegativeInteger` comes back as
  `xsd:integer`, `"1.50"^^xsd:decimal` as `"1.5"`): why the bytes are kept.

rdflib is kept out of the hot path: at a million triples it needs minutes to parse and about
1.2 KB per triple, where Oxigraph parses in seconds. The triples pass from Oxigraph's parser to
its serializer and its store without Python code per triple; only blank node labels are
rewritten, as `<hash of the input's name>n<ordinal>` in the order the parser meets them, so a
label stays the same while its file is unchanged and never collides with another input's.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.term import Node

from kg.errors import KgError, one_line
from kg.files import read_text, rel_path
from kg.memory import release_freed_memory
from kg.namespaces import PREFIXES, new_graph
from kg.terms import to_ox, to_rdf

DERIVED = "(derived by rules)"
_PARSE_POSITION = re.compile(r"^Parser error at line \d+[^:]*:\s*")
_QUERY_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")
# Something that looks like a blank node label in N-Triples; `relabel_blank_nodes` keeps only
# those in subject or object position. (A pattern with the context in lookarounds is exact too,
# but 30 times slower: the regex engine can no longer scan for "_:".)
_BLANK = re.compile(rb'_:([^ "<>\n]+)')

Pattern = tuple[Node | None, Node | None, Node | None]


def _escape_non_ascii(error: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: N-Triples escapes (UCHAR) for a run of non-ASCII characters."""
    assert isinstance(error, UnicodeEncodeError)
    run = error.object[error.start:error.end]
    return "".join(f"\\u{ord(c):04X}" if ord(c) < 0x10000 else f"\\U{ord(c):08X}"
                   for c in run), error.end


codecs.register_error("kg-ntriples-escape", _escape_non_ascii)


def ascii_ntriples(chunks: Iterable[bytes]) -> str:
    """N-Triples chunks joined as one ASCII string, other characters written as \\uXXXX.

    The same triples (N-Triples allows these escapes in IRIs and literals; blank node labels
    and language tags are ASCII already), in a string of one byte per character that Python
    hands to native code as is. Decoded as it stands, the build's N-Triples would take two
    bytes per character (French typography such as U+2019 is outside Latin-1) plus a cached
    UTF-8 copy once native code reads it: about 560 MB more at a million triples.
    """
    return "".join(chunk.decode("utf-8").encode("ascii", "kg-ntriples-escape").decode("ascii")
                   for chunk in chunks)


@dataclass
class Part:
    """One input: its name (a repo-relative file, or a label in parentheses) and its triples."""

    name: str
    nt: bytes
    triples: int


def _input_key(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def turtle_to_ntriples(text: str, name: str, base_iri: str) -> bytes:
    """Turtle to N-Triples (literals as written); KgError `name:line:column: malformed Turtle:
    reason` for bad input."""
    try:
        return ox.serialize(ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=base_iri,
                                     without_named_graphs=True),
                            format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        where = name if exc.lineno is None else f"{name}:{exc.lineno}"
        if exc.lineno is not None and exc.offset is not None:
            where += f":{exc.offset}"
        reason = one_line(_PARSE_POSITION.sub("", exc.msg or str(exc)))
        raise KgError(f"{where}: malformed Turtle: {reason}") from None


def relabel_blank_nodes(nt: bytes, prefix: str) -> bytes:
    """Blank node labels `<prefix>n<ordinal>`, numbered in order of first appearance.

    In canonical N-Triples a blank node is the subject, at the start of a line, or the object,
    between a space and the line's closing " .": a "_:" inside a literal is neither, because a
    literal has no raw newline and ends with a quote, a language tag or a datatype IRI.
    """
    labels: dict[bytes, bytes] = {}

    def label(match: re.Match[bytes]) -> bytes:
        start, end = match.span()
        subject = start == 0 or nt[start - 1] == 0x0A
        if not subject and not (nt[start - 1] == 0x20 and nt[end:end + 3] == b" .\n"):
            return match.group(0)
        old = match.group(1)
        new = labels.get(old)
        if new is None:
            new = labels[old] = f"_:{prefix}n{len(labels)}".encode()
        return new

    return _BLANK.sub(label, nt)


class Dataset:
    """Inputs as exact N-Triples, and all of them in one store for SPARQL.

    The store can be released to free its memory while a step needs only the N-Triples (SHACL
    validation, which holds its own copy of the data); it is loaded again from the N-Triples
    when something asks for it.
    """

    def __init__(self) -> None:
        self._store: ox.Store | None = ox.Store()
        self.parts: dict[str, Part] = {}
        self._subjects: dict[bytes, set[str]] | None = None  # made when a report needs it
        self._spilled = False

    def _in_memory(self) -> dict[str, Part]:
        """The parts, which must hold their N-Triples (not while `spilled`)."""
        if self._spilled:
            raise RuntimeError("the dataset's N-Triples are in a temporary file (spilled)")
        return self.parts

    @property
    def store(self) -> ox.Store:
        """The store of all inputs, loaded again from their N-Triples if it was released."""
        if self._store is None:
            store = ox.Store()
            for part in self._in_memory().values():
                store.extend(ox.parse(part.nt, format=ox.RdfFormat.N_TRIPLES))
            self._store = store
        return self._store

    def release_store(self) -> None:
        """Drop the store (its memory is freed once no view holds it); see the class docstring."""
        self._store = None

    @contextmanager
    def spilled(self) -> Iterator[None]:
        """Hold the inputs' N-Triples in a temporary file instead of memory during the block,
        and give the freed memory back to the system (kg.memory).

        For SHACL, whose engine has its own copy of the data: at a million triples this is
        about 180 MB less at the build's peak. The store must be released first; inside the
        block nothing may read the data.
        """
        if self._store is not None:
            raise RuntimeError("release the store before spilling the N-Triples")
        with tempfile.TemporaryFile(prefix="kg-dataset-") as spill:
            sizes = []
            for part in self.parts.values():  # all written before any is dropped (disk full)
                spill.write(part.nt)
                sizes.append(len(part.nt))
            spill.flush()
            for part in self.parts.values():
                part.nt = b""
            self._spilled = True
            release_freed_memory()
            try:
                yield
            finally:
                spill.seek(0)
                for part, size in zip(self.parts.values(), sizes, strict=True):
                    part.nt = spill.read(size)
                self._spilled = False

    # --- adding inputs ------------------------------------------------------------------------

    def add_file(self, path: Path, root: Path | None = None) -> Part:
        """Parse a Turtle file (relative IRIs against its file: URI) as the input of that name."""
        name = rel_path(path, root)
        return self.add_ntriples(name, turtle_to_ntriples(read_text(path, root), name,
                                                          path.resolve().as_uri()))

    def add_graph(self, name: str, graph: Graph) -> Part:
        """Add an rdflib graph (a hook's), by its sorted N-Triples with content-based blank
        labels: rdflib's own labels and triple order are random."""
        from kg.export import ntriples_lines

        return self.add_ntriples(name, "".join(ntriples_lines(graph)).encode("utf-8"))

    def add_ntriples(self, name: str, nt: bytes) -> Part:
        """Add canonical N-Triples as the input `name`, its blank nodes relabelled for it."""
        if name in self.parts:
            raise KgError(f"{name}: loaded twice")
        nt = relabel_blank_nodes(nt, _input_key(name))
        self.store.extend(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
        part = self.parts[name] = Part(name, nt, nt.count(b"\n"))
        self._subjects = None
        return part

    def add_derived(self, triples: list[ox.Triple]) -> None:
        """Triples the rules produced: the DERIVED input grows. (Their literals come from the
        store, normalised; their blank nodes, if any, are those of the inputs.)"""
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        part = self.parts.setdefault(DERIVED, Part(DERIVED, b"", 0))
        part.nt += nt
        part.triples += len(triples)
        self._subjects = None

    # --- reading ------------------------------------------------------------------------------

    @property
    def triples(self) -> int:
        """Triples over all inputs (a triple stated in two files counts twice)."""
        return sum(part.triples for part in self.parts.values())

    def chunks(self) -> list[bytes]:
        """Every input's N-Triples, as written (a triple stated in two files appears twice)."""
        return [part.nt for part in self._in_memory().values()]

    def nt(self) -> bytes:
        """`chunks` joined."""
        return b"".join(self.chunks())

    def contains(self, triple: ox.Triple) -> bool:
        """Whether any input states `triple`."""
        pattern = self.store.quads_for_pattern(triple.subject, triple.predicate, triple.object)
        return next(iter(pattern), None) is not None

    def files_of(self, node: Node) -> list[str]:
        """The inputs in which `node` is a subject, sorted."""
        if isinstance(node, Literal):
            return []
        if self._subjects is None:
            subjects: dict[bytes, set[str]] = {}
            for part in self._in_memory().values():
                for line in part.nt.splitlines():
                    subjects.setdefault(line[:line.find(b" ")], set()).add(part.name)
            self._subjects = subjects
        return sorted(self._subjects.get(str(to_ox(node)).encode("utf-8"), ()))

    def files_mentioning(self, node: Node) -> list[str]:
        """The inputs in which `node` appears in any position, sorted (slow: it reads every
        input's N-Triples; for the few nodes of a report)."""
        if isinstance(node, Literal):
            return []
        term = str(to_ox(node)).encode("utf-8") + b" "  # a label is not a prefix of a longer one
        return sorted(part.name for part in self._in_memory().values() if term in part.nt)

    def query(self, text: str, origin: str = "query") -> object:
        """Run SPARQL on the data; errors name `origin` and the position."""
        try:
            return self.store.query(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            message = str(exc)
            match = _QUERY_POSITION.match(message)
            if match:
                origin = f"{origin}:{match.group(1)}:{match.group(2)}"
                message = message[match.end():]
            raise KgError(f"{origin}: SPARQL syntax error: {one_line(message)}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise KgError(f"{origin}: SPARQL evaluation failed: {exc}") from None

    def construct(self, text: str, origin: str = "query") -> list[ox.Triple]:
        result = self.query(text, origin)
        if not isinstance(result, ox.QueryTriples):
            raise KgError(f"{origin}: not a CONSTRUCT query")
        return list(result)

    def select(self, text: str, origin: str = "query") -> tuple[list[str], list[list[Node | None]]]:
        """Variable names and rows (rdflib terms, None when unbound) of a SELECT query."""
        result = self.query(text, origin)
        if not isinstance(result, ox.QuerySolutions):
            raise KgError(f"{origin}: not a SELECT query")
        names = [v.value for v in result.variables]
        rows = [[None if sol[name] is None else to_rdf(sol[name]) for name in names]
                for sol in result]
        return names, rows

    def view(self) -> GraphView:
        """Lookups on the store, which is loaded again only if a lookup needs it."""
        return GraphView(lambda: self.store)

    def graph(self) -> Graph:
        """The whole data as an rdflib graph (for tests and small tools: slow when large)."""
        graph = new_graph()
        graph.parse(data=self.nt().decode("utf-8"), format="nt")
        return graph


class GraphView:
    """The part of rdflib's Graph reading API that reports need, over a store's union graph.

    The evidence check and the descriptions of nodes in reports look up a few triples around
    a node; this answers those lookups from Oxigraph without copying the data into rdflib.
    Literals come back as the store holds them (normalised, see the module docstring).
    """

    def __init__(self, store: Callable[[], ox.Store]) -> None:
        self._store = store  # asked at each lookup: the view holds no store of its own

    def _quads(self, pattern: Pattern) -> Iterable[ox.Quad]:
        s, p, o = (None if t is None else to_ox(t) for t in pattern)
        return self._store().quads_for_pattern(s, p, o)

    # Each method converts only the terms it returns: the evidence check makes tens of
    # thousands of lookups at a million triples, and the conversion is most of their cost.

    def __contains__(self, pattern: Pattern) -> bool:
        return next(iter(self._quads(pattern)), None) is not None

    def objects(self, subject: Node | None = None, predicate: Node | None = None
                ) -> Iterator[Node]:
        return (to_rdf(q.object) for q in self._quads((subject, predicate, None)))

    def subjects(self, predicate: Node | None = None, object: Node | None = None  # noqa: A002
                 ) -> Iterator[Node]:
        return (to_rdf(q.subject) for q in self._quads((None, predicate, object)))

    def subject_predicates(self, object: Node | None = None  # noqa: A002
                           ) -> Iterator[tuple[Node, Node]]:
        return ((to_rdf(q.subject), to_rdf(q.predicate)) for q in self._quads((None, None, object)))

    def value(self, subject: Node | None = None, predicate: Node | None = None,
              object: Node | None = None) -> Node | None:  # noqa: A002
        """The missing term of the first triple matching two given terms, as rdflib's."""
        for q in self._quads((subject, predicate, object)):
            if object is None:
                return to_rdf(q.object)
            return to_rdf(q.subject if subject is None else q.predicate)
        return None


def load_dataset(files: Iterable[Path], root: Path | None = None) -> Dataset:
    """Parse `files` in order into a new Dataset."""
    dataset = Dataset()
    for path in files:
        dataset.add_file(path, root)
    return dataset
