"""Deterministic writers of the exports: N-Triples, Turtle, N-Quads, TriG and JSON-LD.

The exports are sorted: N-Triples and N-Quads line by line, Turtle and TriG by subject,
predicate and object, with the fixed prefix table, JSON-LD by subject (kg.jsonld). N-Quads and
TriG put every triple in one named graph, the dataset's (`GRAPH`), so that a quad store can hold
the graph beside others under its own name. Their input is the build's N-Triples, in which every
blank node of the inputs is a skolem IRI named by its content (kg.skolem), so the output depends
only on what the input files say. In Turtle, a skolem IRI that exactly one triple points to is
written right after the subject that points to it, so that a claim is followed by its evidence
and its selectors.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from kg.atomic import atomic_open, write_file_set
from kg.backend import OxTerm
from kg.dataset import ntriples
from kg.description import DATASET as GRAPH
from kg.description import file_triples, is_description_line
from kg.display import turtle_iri, turtle_literal
from kg.jsonld import Context, write_jsonld
from kg.prefixes import PREFIXES
from kg.skolem import GENID, is_skolem

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


# --- Turtle -----------------------------------------------------------------------------------

_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_GENID_IRI = ("<" + GENID).encode()
_GENID_PREFIX = turtle_iri(GENID + "x")[:-1]  # how a skolem IRI begins in Turtle: "genid:"


Props = dict[ox.NamedNode, list[OxTerm]]


def _by_subject(lines: list[bytes]) -> Iterator[tuple[OxTerm, Props]]:
    """The triples of sorted N-Triples lines, one subject at a time (its lines are adjacent).
    The lines are Oxigraph's own output: IRIs are not validated again."""
    subject: OxTerm | None = None
    props: Props = {}
    for batch in _batches(lines):
        for quad in ox.parse(batch, format=ox.RdfFormat.N_TRIPLES, lenient=True):
            if quad.subject != subject:
                if subject is not None:
                    yield subject, props
                subject, props = quad.subject, {}
            props.setdefault(quad.predicate, []).append(quad.object)
    if subject is not None:
        yield subject, props


def _with_skolem_iris(lines: list[bytes]) -> list[bytes]:
    """The lines that may name a skolem IRI (and a few that only hold its text in a literal):
    all that the first pass of _TurtleWriter reads, for a fraction of the parsing."""
    return [line for line in lines if _GENID_IRI in line]


class _TurtleWriter:
    """Turtle from sorted N-Triples lines, read back as Oxigraph terms (exact literals).

    Two passes, so that memory holds little more than the lines: the first, over the lines that
    may name a skolem IRI, notes which skolem IRIs are subjects and which each subject points to
    (to decide which are written after their one parent); the second (`text`, given each
    subject as it comes) writes each subject followed by the skolem IRIs it alone points to,
    their triples read again from the lines (they sort before the IRIs that point to them, and
    keeping them all as terms made the export the build's peak: docs/DESIGN.md).
    """

    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        self.described: set[OxTerm] = set()  # skolem IRIs that are subjects
        children: dict[OxTerm, list[OxTerm]] = {}  # skolem objects, per subject
        refs: dict[OxTerm, int] = {}
        for subject, props in _by_subject(_with_skolem_iris(lines)):
            if is_skolem(subject):
                self.described.add(subject)
            for objects in props.values():
                for obj in objects:
                    if is_skolem(obj):
                        refs[obj] = refs.get(obj, 0) + 1
                        children.setdefault(subject, []).append(obj)
        self.attached = self._attached_set(refs, children)
        self.parents = {subject for subject, kids in children.items()  # of attached nodes
                        if not self.attached.isdisjoint(kids)}
        self.flat: dict[OxTerm, str] = {}  # Turtle forms of IRIs (`term`)
        # Per predicate: its sort key (`a` first, then by IRI) and its Turtle form.
        self.predicates: dict[ox.NamedNode, tuple[tuple[bool, str], str]] = {}

    def properties(self, node: OxTerm) -> Props:
        """The properties of a subject, read from its lines (adjacent in the sorted lines)."""
        head = f"{node} ".encode()
        start = end = bisect.bisect_left(self.lines, head)
        while end < len(self.lines) and self.lines[end].startswith(head):
            end += 1
        return next(_by_subject(self.lines[start:end]))[1]

    @staticmethod
    def key(node: OxTerm) -> str:
        """Sort key: the N-Triples form."""
        return str(node)

    def _attached_set(self, refs: dict[OxTerm, int],
                      children: dict[OxTerm, list[OxTerm]]) -> set[OxTerm]:
        """Skolem IRIs written after their parent: pointed to exactly once, not in a cycle."""
        candidates = {node for node, count in refs.items() if count == 1}
        reached: set[OxTerm] = set()

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

    @staticmethod
    def _form(node: OxTerm) -> str:
        if isinstance(node, ox.NamedNode):
            return turtle_iri(node.value)
        if isinstance(node, ox.Literal):
            return turtle_literal(node, visible=True)
        return "_:" + node.value

    def term(self, node: OxTerm) -> str:
        """The Turtle form of an object; those of IRIs other than skolem IRIs are kept (a
        literal or a skolem IRI is mostly written once: memory would keep the whole graph's)."""
        text = self.flat.get(node)
        if text is None:
            text = self._form(node)
            if isinstance(node, ox.NamedNode) and not text.startswith(_GENID_PREFIX):
                self.flat[node] = text
        return text

    def _predicate(self, pred: ox.NamedNode) -> tuple[tuple[bool, str], str]:
        known = self.predicates.get(pred)
        if known is None:
            is_type = pred == _TYPE
            known = self.predicates[pred] = ((not is_type, pred.value),
                                             "a" if is_type else turtle_iri(pred.value))
        return known

    def block(self, subject: OxTerm, props: Props) -> tuple[str, list[OxTerm]]:
        """The subject with its properties (`a` first, then the rest by IRI; objects sorted),
        and the skolem IRIs among them that are written after it."""
        term, predicate = self.term, self._predicate
        keep = subject in self.parents
        out, attached = [], []
        for (_, name), pred in sorted((predicate(p), p) for p in props):
            objects = props[pred]
            if len(objects) > 1:
                objects = sorted(objects, key=self.key)
            out.append(f"    {name} " + " , ".join(map(term, objects)))
            if keep:
                attached += [o for o in objects if o in self.attached and o in self.described]
        subject_text = self.flat.get(subject) or self._form(subject)
        return "\n" + subject_text + "\n" + " ;\n".join(out) + " .\n", attached

    def text(self, subject: OxTerm, props: Props) -> str:
        """The subject's block, then those of the skolem IRIs it alone points to, depth first;
        "" for a skolem IRI written after its parent."""
        if subject in self.attached:
            return ""
        blocks = []
        stack = [(subject, props)]
        while stack:
            block, attached = self.block(*stack.pop())
            blocks.append(block)
            stack.extend((node, self.properties(node)) for node in reversed(attached))
        return "".join(blocks)


def write_prefixes(out: TextIO) -> None:
    for prefix, iri in PREFIXES.items():
        out.write(f"@prefix {prefix}: <{iri}> .\n")


def _teed_turtle(lines: list[bytes], outs: Sequence[TextIO]
                 ) -> Iterator[tuple[OxTerm, Props]]:
    """The subjects of `lines` (`_by_subject`), each written as Turtle blocks to every one of
    `outs` as it passes: Turtle, TriG and JSON-LD share one parse of the lines."""
    turtle = _TurtleWriter(lines)
    for subject, props in _by_subject(lines):
        text = turtle.text(subject, props)
        for out in outs:
            out.write(text)
        yield subject, props


def write_turtle(lines: list[bytes], out: TextIO) -> int:
    """Write `sorted_lines` as Turtle with our fixed prefix table, sorted; returns the number
    of triples."""
    write_prefixes(out)
    return sum(sum(map(len, props.values())) for _, props in _teed_turtle(lines, [out]))


def write_ntriples(lines: list[bytes], out: TextIO) -> int:
    """Write `sorted_lines` as N-Triples; returns the number of triples."""
    for batch in _batches(lines):
        out.write(batch.decode("utf-8"))
    return len(lines)


def write_nquads(lines: list[bytes], out: TextIO) -> int:
    """Write `sorted_lines` as N-Quads, each triple in the named graph `GRAPH`."""
    suffix = f" <{GRAPH}> .\n".encode()
    for batch in _batches(lines):
        out.write(batch.replace(b" .\n", suffix).decode("utf-8"))
    return len(lines)


def write_exports(lines: list[bytes], out: Mapping[str, TextIO]) -> None:
    """Write `sorted_lines` in every format, a handle per name ending (EXTENSIONS): N-Triples
    and N-Quads line by line; the JSON-LD context of kg.jsonld on its own; and in one pass over
    the subjects, Turtle, TriG (the Turtle blocks inside the named graph `GRAPH`) and JSON-LD
    (with that context embedded)."""
    write_ntriples(lines, out[".nt"])
    write_nquads(lines, out[".nq"])
    context = Context(lines)
    out[".context.jsonld"].write(context.text())
    turtle, trig = out[".ttl"], out[".trig"]
    write_prefixes(turtle)
    write_prefixes(trig)
    trig.write(f"\n{turtle_iri(GRAPH)} {{\n")
    write_jsonld(context, _teed_turtle(lines, [turtle, trig]), out[".jsonld"])
    trig.write("}\n")


# Every export, by its name's ending: what `kg build` writes beside the store.
EXTENSIONS = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".context.jsonld")


def export_ntriples(chunks: Iterable[bytes], target_dir: Path,
                    stem: str = "geokg") -> tuple[list[Path], int]:
    """Write the exports of N-Triples data (pieces that each end with a newline) into
    `target_dir` as one atomic set (`<stem>.ttl`, `<stem>.nt`...: EXTENSIONS); returns the
    paths and the number of distinct triples."""
    lines = sorted_lines(chunks)
    names = {stem + ext: ext for ext in EXTENSIONS}
    paths = write_file_set(target_dir, list(names), lambda handles: write_exports(
        lines, {names[name]: handle for name, handle in handles.items()}))
    description = write_description(lines, paths, target_dir / f"{stem}{DESCRIPTION}")
    return paths + ([description] if description else []), len(lines)


DESCRIPTION = ".void.ttl"


def write_description(lines: list[bytes], exports: list[Path], path: Path) -> Path | None:
    """The dataset's description beside the exports, with their byte sizes and SHA-256
    (kg.description): the description triples of `lines` and those. None, and nothing written,
    when the graph describes no dataset."""
    head = f"<{GRAPH}".encode()  # the description's lines are together in the sorted lines
    after = itertools.islice(lines, bisect.bisect_left(lines, head), None)
    described = [line for line in itertools.takewhile(lambda line: line.startswith(head), after)
                 if is_description_line(line)]
    if not described:
        return None
    described += ntriples(file_triples(exports)).splitlines(keepends=True)
    with atomic_open(path) as handle:
        write_turtle(sorted(set(described)), handle)
    return path
