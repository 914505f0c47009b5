"""The build's working data: every input parsed once by Oxigraph and kept in two forms.

* The input's triples as N-Triples exactly as written (`Part.nt`). SHACL and the exports read
  these bytes, and `files_of` finds in them the files that state a node, for reports.
* All triples in one in-memory Oxigraph store, which the rules, the checks and the evidence
  check query. The store normalises literals (`"3"^^xsd:nonNegativeInteger` comes back as
  `xsd:integer`, `"1.50"^^xsd:decimal` as `"1.5"`): why the bytes are kept.

One RDF stack: Oxigraph parses, stores and serialises; rdflib is kept out of the build (it is
slower to parse and holds more per triple: docs/PERFORMANCE.md). The triples pass from
Oxigraph's parser to its serializer and its store without Python code per triple; only blank
nodes are rewritten, as skolem IRIs named by their content (kg.skolem), so that every step and
every output names a node alike.
"""

from __future__ import annotations

import codecs
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.backend import OxTerm
from kg.errors import KgError, one_line
from kg.files import decode_utf8, read_bytes, rel_path
from kg.memory import release_freed_memory
from kg.parse_cache import PartCache, part_key
from kg.prefixes import PREFIXES
from kg.skolem import skolemize

DERIVED = "(derived by rules)"
_PARSE_POSITION = re.compile(r"^Parser error at line \d+[^:]*:\s*")
_QUERY_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


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
    UTF-8 copy once native code reads it.
    """
    return "".join(chunk.decode("utf-8").encode("ascii", "kg-ntriples-escape").decode("ascii")
                   for chunk in chunks)


@dataclass
class Part:
    """One input: its name (a repo-relative file, or a label in parentheses) and its triples."""

    name: str
    nt: bytes
    triples: int


def ntriples(triples: Iterable[ox.Triple] | Iterable[ox.Quad]) -> bytes:
    """Canonical N-Triples of `triples`, as Oxigraph writes them."""
    written = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert written is not None  # None only when given a file to write to
    return written


def turtle_to_ntriples(text: str, name: str, base_iri: str) -> bytes:
    """Turtle to N-Triples (literals as written); KgError `name:line:column: malformed Turtle:
    reason` for bad input."""
    try:
        return ntriples(ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=base_iri,
                                 without_named_graphs=True))
    except SyntaxError as exc:
        where = name if exc.lineno is None else f"{name}:{exc.lineno}"
        if exc.lineno is not None and exc.offset is not None:
            where += f":{exc.offset}"
        reason = one_line(_PARSE_POSITION.sub("", exc.msg or str(exc)))
        raise KgError(f"{where}: malformed Turtle: {reason}") from None


def _load(store: ox.Store, nt: bytes) -> None:
    """Add N-Triples that Oxigraph wrote (so valid, and without blank nodes: kg.skolem) to
    `store`, parsed without validating IRIs again (faster than `extend`: no Python objects)."""
    store.load(nt, format=ox.RdfFormat.N_TRIPLES, lenient=True)


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
                _load(store, part.nt)
            self._store = store
        return self._store

    def release_store(self) -> None:
        """Drop the store (its memory is freed once no view holds it); see the class docstring."""
        self._store = None

    @contextmanager
    def spilled(self) -> Iterator[None]:
        """Hold the inputs' N-Triples in a temporary file instead of memory during the block,
        and give the freed memory back to the system (kg.memory).

        For SHACL, whose engine has its own copy of the data: the N-Triples are then not held
        twice at the build's peak. The store must be released first; inside the block nothing
        may read the data.
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

    def add_file(self, path: Path, root: Path | None = None,
                 cache: PartCache | None = None) -> Part:
        """Parse a Turtle file (relative IRIs against its file: URI) as the input of that name,
        or take its N-Triples from `cache` (kg.parse_cache) when its bytes are those cached."""
        name = rel_path(path, root)
        data = read_bytes(path, root)  # first: it names the file when it cannot be read
        base_iri = path.resolve().as_uri()
        if cache is not None:
            cached = cache.get(name, part_key(name, base_iri, data))
            if cached is not None:
                return self._add_named(name, cached)
        return self.add_ntriples(name, turtle_to_ntriples(decode_utf8(data, name), name,
                                                          base_iri))

    def add_triples(self, name: str, triples: Iterable[ox.Triple]) -> Part:
        """Add triples made in Python (a build hook's) as the input `name`."""
        return self.add_ntriples(name, ntriples(triples))

    def add_ntriples(self, name: str, nt: bytes) -> Part:
        """Add canonical N-Triples as the input `name`, its blank nodes named by their content
        (kg.skolem)."""
        return self._add_named(name, skolemize(nt, name))

    def _add_named(self, name: str, nt: bytes) -> Part:
        """Add N-Triples whose blank nodes are named already (kg.skolem) as the input `name`."""
        if name in self.parts:
            raise KgError(f"{name}: loaded twice")
        _load(self.store, nt)
        part = self.parts[name] = Part(name, nt, nt.count(b"\n"))
        self._subjects = None
        return part

    def add_derived(self, nt: bytes) -> None:
        """Triples the rules produced, as N-Triples Oxigraph wrote (`construct`): the DERIVED
        input grows. (Their literals come from the store, normalised.)"""
        _load(self.store, nt)
        part = self.parts.setdefault(DERIVED, Part(DERIVED, b"", 0))
        part.nt += nt
        part.triples += nt.count(b"\n")
        self._subjects = None

    # --- reading ------------------------------------------------------------------------------

    @property
    def derived_nt(self) -> bytes:
        """The N-Triples of the DERIVED input, in the order added (empty before any)."""
        part = self.parts.get(DERIVED)
        return b"" if part is None else part.nt

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

    def files_of(self, node: OxTerm) -> list[str]:
        """The inputs in which `node` is a subject, sorted."""
        if isinstance(node, ox.Literal):
            return []
        if self._subjects is None:
            subjects: dict[bytes, set[str]] = {}
            for part in self._in_memory().values():
                for line in part.nt.splitlines():
                    subjects.setdefault(line[:line.find(b" ")], set()).add(part.name)
            self._subjects = subjects
        return sorted(self._subjects.get(str(node).encode("utf-8"), ()))

    def files_mentioning(self, node: OxTerm) -> list[str]:
        """The inputs in which `node` appears in any position, sorted (slow: it reads every
        input's N-Triples; for the few nodes of a report)."""
        if isinstance(node, ox.Literal):
            return []
        term = str(node).encode("utf-8") + b" "  # a label is not a prefix of a longer one
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

    def construct(self, text: str, origin: str = "query") -> bytes:
        """The triples a CONSTRUCT query makes, as canonical N-Triples that Oxigraph writes
        without a Python object per triple (a triple made twice is there twice)."""
        result = self.query(text, origin)
        if not isinstance(result, ox.QueryTriples):
            raise KgError(f"{origin}: not a CONSTRUCT query")
        try:
            written = result.serialize(format=ox.RdfFormat.N_TRIPLES)
        except (OSError, ValueError, RuntimeError) as exc:
            raise KgError(f"{origin}: SPARQL evaluation failed: {exc}") from None
        assert written is not None  # None only when given a file to write to
        return written

    def select(self, text: str, origin: str = "query"
               ) -> tuple[list[str], list[list[OxTerm | None]]]:
        """Variable names and rows (None when unbound) of a SELECT query."""
        result = self.query(text, origin)
        if not isinstance(result, ox.QuerySolutions):
            raise KgError(f"{origin}: not a SELECT query")
        names = [v.value for v in result.variables]
        rows = [[sol[name] for name in names] for sol in result]
        return names, rows


def load_dataset(files: Iterable[Path], root: Path | None = None,
                 cache: PartCache | None = None) -> Dataset:
    """Parse `files` in order into a new Dataset (through `cache`, kg.parse_cache, if given)."""
    dataset = Dataset()
    for path in files:
        dataset.add_file(path, root, cache)
    return dataset
