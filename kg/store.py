"""The embedded store: `build/store`, an on-disk Oxigraph store of the built graph.

`kg build` loads `geokg.nt` into a new store inside the build's new generation (kg.generations),
so the store switches with the other outputs and a reader never finds a half-written one.
`kg query` opens it read-only (`open_built_store`, which holds the generation while it is read):
no parsing of the sources or of the N-Triples, and any number of readers at once.
docs/STORE.md gives the measurements behind the choice.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.backend import OxTerm, SelectResult
from kg.errors import EXIT_FAILURE, KgError, one_line
from kg.files import rel_path
from kg.generations import Generation, open_current
from kg.label_index import INDEX_NAME, LabelIndex
from kg.prefixes import PREFIXES
from kg.sparql_text import UPDATES, query_form

STORE_NAME = "store"


def store_path(build_dir: Path) -> Path:
    """Where users find the store of the current build (a link into its generation)."""
    return build_dir / STORE_NAME


_LOAD_PIECE = 16 * 2**20  # bytes of N-Triples added to the store at a time
_BLOCK = 2**16  # bytes compared at a time when looking for the first or last difference


def _load(nt_file: Path, folder: Path) -> None:
    """Load N-Triples into a new store in `folder`, closed on return.

    The file is read in pieces of whole lines, each bulk-loaded: memory stays that of a piece,
    where one `bulk_load` of the file holds several times the file's size. The file is the
    build's own output (valid, and without blank nodes: kg.skolem), so IRIs are not validated
    again. The store is then compacted, which makes the heavy catalogue queries faster
    (docs/PERFORMANCE.md).
    """
    store = ox.Store(str(folder))
    with open(nt_file, "rb") as handle:
        while piece := handle.read(_LOAD_PIECE):
            piece += handle.readline()
            store.bulk_load(piece, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    store.optimize()  # compacted: see the docstring
    store.flush()


def _update(previous: Path, removed: bytes, added: bytes, folder: Path) -> None:
    """A copy of the store `previous` in `folder`, less the N-Triples `removed`, plus `added`,
    compacted as `_load` leaves a store."""
    shutil.copytree(previous, folder)
    store = ox.Store(str(folder))
    for triple in ox.parse(removed, format=ox.RdfFormat.N_TRIPLES, lenient=True):
        store.remove(ox.Quad(triple.subject, triple.predicate, triple.object))
    if added:
        store.bulk_load(added, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    store.optimize()
    store.flush()


def _equal_length(a: memoryview, b: memoryview, at_end: bool) -> int:
    """The length of the longest common prefix (or suffix, `at_end`) of `a` and `b`: blocks
    compared as bytes (memcmp), then the first block that differs byte by byte. (Comparing
    memoryviews goes item by item, and a bisection over them read the files log n times.)"""
    length, done = min(len(a), len(b)), 0
    while done < length:
        size = min(_BLOCK, length - done)
        x, y = ((a[len(a) - done - size:len(a) - done], b[len(b) - done - size:len(b) - done])
                if at_end else (a[done:done + size], b[done:done + size]))
        x_bytes, y_bytes = x.tobytes(), y.tobytes()
        if x_bytes != y_bytes:
            if at_end:  # counted from the end
                x_bytes, y_bytes = x_bytes[::-1], y_bytes[::-1]
            pairs = zip(x_bytes, y_bytes, strict=True)
            return done + next(i for i, (p, q) in enumerate(pairs) if p != q)
        done += size
    return length


def line_changes(old_nt: Path, new_nt: Path) -> tuple[bytes, bytes]:
    """The lines of the N-Triples file `old_nt` that `new_nt` lacks, and those it adds (both
    files as the export writes them: one distinct triple a line).

    The lines the two files begin and end with alike are skipped without being split (one edit
    leaves all but a few lines in place); only the lines between are compared as sets."""
    old, new = old_nt.read_bytes(), new_nt.read_bytes()
    start = _equal_length(memoryview(old), memoryview(new), at_end=False)
    start = old.rfind(b"\n", 0, start) + 1  # back to the start of a line
    tail = _equal_length(memoryview(old)[start:], memoryview(new)[start:], at_end=True)
    end = len(old) - tail  # where the common end begins in old; forward to a line start
    if end > start and old[end - 1:end] != b"\n":
        end = old.index(b"\n", end) + 1
    tail = len(old) - end
    old_lines = set(old[start:len(old) - tail].splitlines(keepends=True))
    new_lines = set(new[start:len(new) - tail].splitlines(keepends=True))
    return b"".join(sorted(old_lines - new_lines)), b"".join(sorted(new_lines - old_lines))


def write_store(nt_file: Path, target: Path, previous: tuple[Path, Path] | None = None) -> Path:
    """Load `nt_file` into a new store at `target`, a folder that must not exist yet (in a
    build, one inside the new generation). On failure `target` is removed.

    With `previous`, a store and the N-Triples file it was loaded from, the new store is that
    store copied and updated with the lines that differ (the same triples as a load, for less
    work when few differ)."""
    if target.exists():
        raise KgError(f"cannot write {target.name}: {target} exists", EXIT_FAILURE)
    try:
        if previous is None:
            _load(nt_file, target)
        else:
            _update(previous[0], *line_changes(previous[1], nt_file), target)
    except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise KgError(f"cannot write {target.name}: {exc}", EXIT_FAILURE) from None
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


class StoreBackend:
    """An Oxigraph store that answers SELECT and ASK queries with its own terms (a Backend).

    Parameters are given to Oxigraph as substitutions (SEP-0007: the variable is bound to the
    term before evaluation); the table of prefixes is predeclared.
    """

    def __init__(self, store: ox.Store, name: str, generation: Generation | None = None,
                 labels: LabelIndex | None = None) -> None:
        self.store = store
        self.name = name
        self.generation = generation  # held open while the store is read (kg.generations)
        self.labels = labels  # answers the label search when it can (kg.label_index)

    def close(self) -> None:
        """Let a later build remove the generation this store belongs to."""
        if self.labels is not None:
            self.labels.close()
        if self.generation is not None:
            self.generation.close()

    def __enter__(self) -> StoreBackend:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def describe(self) -> str:
        return self.name

    def select(self, query: str, bindings: Mapping[str, OxTerm]) -> SelectResult:
        if query_form(query) in UPDATES:
            raise KgError("updates are not allowed: kg query runs SELECT and ASK queries on the "
                          "built graph, which only kg build changes")
        if self.labels is not None and self.labels.answers(query, bindings):
            try:
                return self.labels.search(bindings["term"])  # type: ignore[arg-type]
            except sqlite3.Error:
                pass  # an unreadable index: the query runs as SPARQL
        substitutions: dict[ox.Variable, OxTerm | ox.Triple] = {
            ox.Variable(name): term for name, term in bindings.items()}
        try:
            answer = self.store.query(query, prefixes=PREFIXES, substitutions=substitutions)
            if isinstance(answer, ox.QueryBoolean):
                return SelectResult(variables=[], boolean=bool(answer))
            if not isinstance(answer, ox.QuerySolutions):
                raise KgError("only SELECT and ASK queries can be run here")
            names = [v.value for v in answer.variables]
            rows = [{name: solution[name] for name in names if solution[name] is not None}
                    for solution in answer]
        except SyntaxError as exc:
            raise KgError(f"SPARQL syntax error: {one_line(str(exc))}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise KgError(f"SPARQL evaluation failed: {exc}") from None
        return SelectResult(variables=names, rows=rows)


def open_store(path: Path, root: Path | None = None, name: str | None = None) -> StoreBackend:
    """The store at `path`, opened read-only; KgError when there is none."""
    name = name or rel_path(path, root)
    if not path.is_dir():
        raise KgError(f"{name} not found: run kg build first")
    try:
        store = ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:
        raise KgError(f"{name}: cannot open the store ({exc}): run kg build again") from None
    return StoreBackend(store, name)


def open_built_store(build_dir: Path, root: Path | None = None) -> StoreBackend:
    """The store of the current build, read-only, its generation held until `close`."""
    name = rel_path(build_dir, root) + "/" + STORE_NAME
    generation = open_current(build_dir)
    if generation is None:
        if store_path(build_dir).is_dir():
            raise KgError(f"{name} was written by an older version of kg: run kg build")
        raise KgError(f"{name} not found: run kg build first")
    try:
        backend = open_store(generation.path / STORE_NAME, name=name)
    except BaseException:
        generation.close()
        raise
    backend.generation = generation
    backend.labels = LabelIndex.open(generation.path / INDEX_NAME)
    return backend
