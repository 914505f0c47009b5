"""Load Turtle files into one graph, remembering which file defines each subject."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from kg.errors import KgError
from kg.namespaces import new_graph


@dataclass
class Loaded:
    """A merged graph plus, for each subject, the sorted repo-relative files that state it."""

    graph: Graph
    origins: dict[Node, list[str]] = field(default_factory=dict)

    def files_of(self, node: Node) -> list[str]:
        return self.origins.get(node, [])


def rel_path(path: Path, root: Path | None) -> str:
    """`path` relative to `root` in POSIX form when it lies inside it, else the path as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def read_text(path: Path, root: Path | None = None) -> str:
    """Read a UTF-8 file exactly (no newline translation); KgError naming the file otherwise."""
    name = rel_path(path, root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KgError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise KgError(f"{name}: is a directory, not a file") from None
    except OSError as exc:
        raise KgError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KgError(
            f"{name}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


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
