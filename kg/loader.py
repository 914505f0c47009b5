"""Load Turtle files into one graph, remembering which file defines each subject."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from kg.errors import KgError
from kg.files import read_text, rel_path
from kg.namespaces import new_graph


@dataclass
class Loaded:
    """A merged graph plus, for each subject, the sorted repo-relative files that state it."""

    graph: Graph
    origins: dict[Node, list[str]] = field(default_factory=dict)

    def files_of(self, node: Node) -> list[str]:
        return self.origins.get(node, [])


_LINE_RE = re.compile(r"at line (\d+)")


def syntax_error_line(exc: BaseException) -> int | None:
    """1-based line of a Turtle syntax error from rdflib, or None if it cannot be told.

    rdflib's BadSyntax keeps the 0-based line in `.lines`; its message says "at line N".
    """
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):
        return lines + 1
    match = _LINE_RE.search(str(exc))
    return int(match.group(1)) if match else None


def _syntax_reason(exc: BaseException) -> str:
    why = getattr(exc, "_why", None)
    if isinstance(why, str) and why:
        return why
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def parse_file(path: Path, root: Path | None = None) -> Graph:
    """Parse one Turtle file; KgError `file:line: reason` for malformed input."""
    name = rel_path(path, root)
    text = read_text(path, root)
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except Exception as exc:  # any parser failure is bad input, not a crash
        line = syntax_error_line(exc)
        where = f"{name}:{line}" if line is not None else name
        raise KgError(f"{where}: malformed Turtle: {_syntax_reason(exc)}") from None
    return graph


def load_files(paths: Iterable[Path], root: Path | None = None) -> Loaded:
    """Parse `paths` (in the given order) into one graph, recording each subject's files."""
    loaded = Loaded(new_graph())
    origins: dict[Node, set[str]] = {}
    for path in paths:
        name = rel_path(path, root)
        part = parse_file(path, root)
        for subject in part.subjects(unique=True):
            origins.setdefault(subject, set()).add(name)
        loaded.graph += part
    loaded.origins = {node: sorted(files) for node, files in origins.items()}
    return loaded
