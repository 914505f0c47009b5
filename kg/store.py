"""The embedded store: `build/store`, an on-disk Oxigraph store of the built graph.

`kg build` loads `build/geokg.nt` into a new store beside the old one and swaps it in by
renaming, so a reader finds the previous store or the complete new one, never a half-written one.
Blank nodes keep their labels of `build/geokg.nt`.
`kg query` opens it read-only (`StoreBackend`): no parsing of the sources or of the N-Triples,
and any number of readers at once. docs/STORE.md gives the measurements behind the choice.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.atomic import fsync_dir
from kg.backend import OxTerm, SelectResult
from kg.errors import EXIT_FAILURE, KgError
from kg.files import rel_path
from kg.prefixes import PREFIXES

STORE_NAME = "store"


def store_path(build_dir: Path) -> Path:
    """Where `kg build` leaves the store."""
    return build_dir / STORE_NAME


def _remove_leftovers(target: Path) -> None:
    """Temporary and replaced stores a killed build left beside `target`."""
    for pattern in (f"{target.name}.tmp-*", f"{target.name}.old-*"):
        for leftover in target.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


_LOAD_PIECE = 16 * 2**20  # bytes of N-Triples added to the store at a time


def _load(nt_file: Path, folder: Path) -> None:
    """Load N-Triples into a new store in `folder`, closed on return.

    The file is read in pieces of whole lines, each parsed with its blank node labels kept and
    bulk-added: memory stays that of a piece (at a million triples about 0.2 GB, where one
    `bulk_load` of the file held 1 GB), and a blank node whose triples fall in two pieces stays
    one node (`bulk_load` gives each call's blank nodes new labels). The store is then
    compacted: at a million triples, label-search for "coree" took 473 ms on it, 874 ms
    uncompacted and 718 ms after one `bulk_load`.
    """
    store = ox.Store(str(folder))
    with open(nt_file, "rb") as handle:
        while piece := handle.read(_LOAD_PIECE):
            piece += handle.readline()
            store.bulk_extend(ox.parse(piece, format=ox.RdfFormat.N_TRIPLES,
                                       rename_blank_nodes=False))
    store.optimize()  # compacted: see the docstring
    store.flush()


def _swap(new: Path, target: Path, old: Path) -> None:
    """Put `new` at `target`, moving a previous `target` to `old` first (restored on failure)."""
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise
    fsync_dir(target.parent)


def write_store(nt_file: Path, target: Path) -> Path:
    """Load `nt_file` into a new store and put it at `target` in place of the old one.

    The store is built in `<target>.tmp-XXXX`; only a complete store is renamed to `target`
    (the old one is moved aside first and then deleted). On any failure the temporary store is
    removed and `target` is left as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    tmp = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-", dir=target.parent))
    old = target.with_name(tmp.name.replace(".tmp-", ".old-", 1))
    try:
        _load(nt_file, tmp)
        _swap(tmp, target, old)
    except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
        raise KgError(f"cannot write {target.name}: {exc}", EXIT_FAILURE) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return target


class StoreBackend:
    """An Oxigraph store that answers SELECT and ASK queries with its own terms (a Backend).

    Parameters are given to Oxigraph as substitutions (SEP-0007: the variable is bound to the
    term before evaluation); the table of prefixes is predeclared.
    """

    def __init__(self, store: ox.Store, name: str) -> None:
        self.store = store
        self.name = name

    def describe(self) -> str:
        return self.name

    def select(self, query: str, bindings: Mapping[str, OxTerm]) -> SelectResult:
        substitutions = {ox.Variable(name): term for name, term in bindings.items()}
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
            raise KgError(f"SPARQL syntax error: {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise KgError(f"SPARQL evaluation failed: {exc}") from None
        return SelectResult(variables=names, rows=rows)


def open_store(path: Path, root: Path | None = None) -> StoreBackend:
    """The store at `path`, opened read-only; KgError when there is none."""
    name = rel_path(path, root)
    if not path.is_dir():
        raise KgError(f"{name} not found: run kg build first")
    try:
        store = ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:
        raise KgError(f"{name}: cannot open the store ({exc}): run kg build again") from None
    return StoreBackend(store, name)
