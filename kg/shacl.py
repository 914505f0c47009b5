"""SHACL validation, reported as rows that name the data file of each focus node.

Two engines give the same report graph: pyshacl-turbo (Rust, the default, many times faster:
docs/PERFORMANCE.md) and pyshacl, the reference implementation, kept to check the first against
(tests/test_shacl_engines.py compares them on every shape fixture) and selectable with
`kg build --shacl-engine pyshacl` when the `reference` extra is installed.

Both engines take the shapes and give the report as rdflib graphs: this module is where the
build meets rdflib. The data reaches them as N-Triples text, and the nodes of the report are
described from the build's Oxigraph store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.backend import OxTerm
from kg.dataset import turtle_to_ntriples
from kg.display import describe, short
from kg.errors import KgError
from kg.files import read_text, rel_path
from kg.namespaces import new_graph
from kg.prefixes import qname
from kg.settings import DEFAULT_ENGINE, ENGINES
from kg.terms import to_ox

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_IRI_IN_TEXT = re.compile(r"<([^<>\s]+)>")


def _shorten_iris(message: str) -> str:
    """Replace `<iri>` in a pyshacl message by its prefixed name where our table has one."""
    return _IRI_IN_TEXT.sub(lambda m: qname(m.group(1)) or m.group(0), message)


@dataclass(frozen=True)
class ShaclResult:
    """One sh:ValidationResult in readable form."""

    severity: str  # Violation, Warning or Info
    focus: OxTerm
    focus_text: str
    path: str | None
    messages: tuple[str, ...]
    value: str | None
    source_shape: str
    component: str
    files: tuple[str, ...]

    @property
    def is_violation(self) -> bool:
        return self.severity == "Violation"


@lru_cache(maxsize=512)
def _translated(text: str, base: str | None, namespaces: tuple) -> object:
    from rdflib.plugins.sparql import processor

    return processor.translateQuery(processor.parseQuery(text), base, dict(namespaces))


@contextmanager
def parsed_query_cache() -> Iterator[None]:
    """Parse each SPARQL text once while pyshacl runs.

    pyshacl evaluates a SPARQL constraint once per focus node with the same query text (the
    focus node is pre-bound), and rdflib re-parses the text every time: parsing dominated the
    validation time. Results are unchanged: the same algebra is evaluated with the same
    bindings.
    """
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            strOrQuery = _translated(strOrQuery, base, tuple(sorted((initNs or {}).items())))
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    setattr(processor.SPARQLProcessor, "query", query)  # noqa: B010 - a method, patched
    try:
        yield
    finally:
        setattr(processor.SPARQLProcessor, "query", original)  # noqa: B010


def load_shapes(path: Path, root: Path | None = None) -> Graph:
    """The shapes graph of a Turtle file, for the engines (rdflib); parsed by Oxigraph as the
    data are, so that a malformed file is reported as `file:line:column: malformed Turtle`."""
    name = rel_path(path, root)
    nt = turtle_to_ntriples(read_text(path, root), name, path.resolve().as_uri())
    return new_graph().parse(data=nt.decode("utf-8"), format="nt")


def _short(node: Node) -> str:
    return short(to_ox(node))


def format_path(graph: Graph, path: Node) -> str:
    """A SHACL property path in SPARQL syntax (`^p`, `p/q`, `(p|q)`, `p*`...)."""
    if isinstance(path, URIRef):
        return _short(path)
    if (path, RDF.first, None) in graph:
        return "/".join(format_path(graph, step) for step in Collection(graph, path))
    for prop, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                      (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = graph.value(path, prop)
        if inner is not None:
            return fmt.format(format_path(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(format_path(graph, a) for a in Collection(graph, alternatives)) + ")"
    return "[path]"


def _shape_name(shapes: Graph, shape: Node) -> str:
    if not isinstance(shape, BNode):
        return _short(shape)
    owner = shapes.value(predicate=SH.property, object=shape)
    path = shapes.value(shape, SH.path)
    path_text = format_path(shapes, path) if path is not None else "[]"
    return f"{_shape_name(shapes, owner)} / {path_text}" if owner is not None else path_text


def report_graph(data: Graph | str, shapes_graph: Graph, engine: str = DEFAULT_ENGINE) -> Graph:
    """The sh:ValidationReport graph of `engine` (no inference, SHACL-AF on, every severity).

    `data` is an rdflib graph or N-Triples text, what the build gives (exact literals). Text
    goes to pyshacl-turbo as an `Input` snapshot, which its Rust side reads directly (the path
    it takes for an Oxigraph store); given as bytes or a file, it would build an rdflib graph of
    them first, which is slower and holds more memory (docs/PERFORMANCE.md).
    """
    options: dict = dict(shacl_graph=shapes_graph, inference="none", advanced=True,
                         allow_warnings=True, allow_infos=True, abort_on_first=False)
    try:
        if engine == "turbo":
            import pyshacl_turbo

            source = (pyshacl_turbo.Input(data, "nt", None, {}, preserve_ids=True)
                      if isinstance(data, str) else data)
            _conforms, report, _text = pyshacl_turbo.validate(source, **options)
        elif engine == "pyshacl":
            try:
                import pyshacl
            except ImportError:
                raise KgError("the pyshacl engine is not installed: pip install "
                              "'geokg[reference]'") from None

            if isinstance(data, str):
                data = Graph().parse(data=data, format="nt")
            with parsed_query_cache():
                _conforms, report, _text = pyshacl.validate(data, **options)
        else:
            raise KgError(f"unknown SHACL engine {engine!r} (engines: {', '.join(ENGINES)})")
    except KgError:
        raise
    except Exception as exc:  # both engines raise their own types for unusable shapes
        raise KgError(f"SHACL validation could not run: {type(exc).__name__}: {exc}") from None
    return report


def validate(
    data: str,
    shapes_graph: Graph,
    described_by: ox.Store,
    files_of: Callable[[OxTerm], list[str]] | None = None,
    engine: str = DEFAULT_ENGINE,
) -> list[ShaclResult]:
    """Validate N-Triples `data` with `engine` and return every result, sorted (see
    `results_of`); `described_by` holds the same data."""
    return results_of(report_graph(data, shapes_graph, engine), shapes_graph,
                      lambda: described_by, files_of)


def results_of(
    report: Graph,
    shapes_graph: Graph,
    described_by: Callable[[], ox.Store],
    files_of: Callable[[OxTerm], list[str]] | None = None,
) -> list[ShaclResult]:
    """The results of a validation report, readable and sorted.

    `files_of` names the files that state a focus node; `described_by` gives the store that
    holds the data, where the nodes of results are looked up for their descriptions (asked
    only when there is a result: the build releases its store while SHACL runs). Warnings and
    infos are returned as rows too; only `is_violation` rows should fail a build.
    """
    rows = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus_node = report.value(result, SH.focusNode)
        if focus_node is None:
            raise KgError("SHACL validation gave a result without a focus node")
        focus = to_ox(focus_node)
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        component = report.value(result, SH.sourceConstraintComponent)
        messages = sorted(_shorten_iris(str(m)) for m in report.objects(result, SH.resultMessage)
                          if isinstance(m, Literal))
        rows.append(ShaclResult(
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            focus=focus,
            focus_text=describe(described_by(), focus),
            path=format_path(report, path) if path is not None else None,
            messages=tuple(messages),
            value=(None if value is None or value == focus_node
                   else describe(described_by(), to_ox(value))),
            source_shape=_shape_name(shapes_graph, shape) if shape is not None else "[]",
            component=_short(component) if component is not None else "",
            files=tuple(files_of(focus)) if files_of else (),
        ))
    rows.sort(key=_group_key)
    return rows


def _group_key(r: ShaclResult) -> tuple:
    # The focus node last: two nodes shown alike ("[]") keep one order whatever the engine.
    return (r.files, _SEVERITY_ORDER.get(r.severity, 3), r.source_shape, r.component, r.messages,
            r.focus_text, r.path or "", r.value or "", str(r.focus))


def format_results(results: list[ShaclResult]) -> str:
    """Readable report grouped by data file, then by shape and message, with prefixed names."""
    lines: list[str] = []
    for files, in_file in groupby(sorted(results, key=_group_key), key=lambda r: r.files):
        lines.append(", ".join(files) if files else "(not defined in a data file)")
        for (severity, shape, component, messages), group in groupby(
            in_file, key=lambda r: (r.severity, r.source_shape, r.component, r.messages)
        ):
            lines.append(f"  {severity}: {shape} ({component})")
            lines.extend(f"    {message}" for message in messages)
            for r in group:
                where = f"{r.focus_text}  {r.path}" if r.path else r.focus_text
                lines.append(f"    - {where}" + (f"  value: {r.value}" if r.value else ""))
    return "\n".join(lines)
