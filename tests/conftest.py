"""Shared fixtures. Add new fixtures below; keep each one's purpose in its docstring."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.build import label_search_text, load_inputs, run_rules, write_outputs, write_store_dir
from kg.catalogue import find_query
from kg.cli import main
from kg.dataset import load_dataset
from kg.generations import new_generation
from kg.params import bind
from kg.project import Project
from kg.querying import open_backend, select
from kg.results import display
from kg.rules import apply_rules
from kg.settings import DEFAULT_ENGINE
from kg.stamp import Stamp, input_digests, output_digests, write_stamp
from kg.store import StoreBackend, open_store, write_store

ROOT = Path(__file__).resolve().parent.parent
# bench/ is not an installed package: the helpers shared with it (bench/servers.py,
# bench/answers.py) are imported from the checkout.
sys.path.append(str(ROOT))

Rows = list[dict[str, str]]


@pytest.fixture(autouse=True)
def progress_only_where_asked() -> Iterator[None]:
    """`kg build` run in this process shows no progress on a pipe, however slowly a busy machine
    builds: tests that compare stderr stay exact. tests/test_progress.py sets its own delay.
    (A patch of its own, which a test's `monkeypatch.undo()` leaves in place.)"""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kg.progress.DELAY", float("inf"))
        yield


@pytest.fixture(scope="session")
def built_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository root holding a copy of queries/ and the graph built from the repository's
    ontology, data, build hooks and rules (build/geokg.nt, build/store), once per session,
    with the stamp of a current build (kg.stamp) so that `kg push` takes it.

    The build's checks (SHACL, evidence, quality queries) are left to their own tests: the
    queries are tested on whatever the data and rules produce.
    """
    project = Project(ROOT)
    inputs = load_inputs(project)
    rules = run_rules(inputs, project)
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(ROOT / "queries", root / "queries")
    built = Project(root)
    with new_generation(built.build_dir) as folder:
        outputs, triples = write_outputs(inputs, folder)
        write_store_dir(folder, label_search_text(built))
        read = input_digests(built, DEFAULT_ENGINE)
        write_stamp(folder, Stamp(read.digest, read.files, DEFAULT_ENGINE,
                                  output_digests(outputs), triples, rules.total, ""))
    return root


@pytest.fixture(scope="session")
def served_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture repository (tests/fixtures/core/repo), built once (104 triples), for
    the tests that only serve or query it."""
    target = tmp_path_factory.mktemp("served") / "repo"
    shutil.copytree(ROOT / "tests" / "fixtures" / "core" / "repo", target,
                    ignore=shutil.ignore_patterns("build"))
    assert main(["--root", str(target), "build"]) == 0
    return target


@pytest.fixture(scope="session")
def backend(built_root: Path) -> StoreBackend:
    """The session's built store, opened once, as `kg query` opens it."""
    opened = open_backend(Project(built_root))
    assert isinstance(opened, StoreBackend)
    return opened


@pytest.fixture(scope="session")
def ask(backend: StoreBackend) -> Callable[..., Rows]:
    """`ask("treaties-between", asOf="1990-01-01")`: the rows of a catalogue query, as the table
    shows them (prefixed names, dates with their precision, parameter columns left out)."""

    def run(name: str, **params: str) -> Rows:
        return ask_store(backend, name, **params)

    return run


@pytest.fixture(scope="module")
def article_site(built_root: Path) -> Iterator[str]:
    """`kg serve` on the article's graph (built_root), on a free port of 127.0.0.1: its base
    URL. Stopped after the module's tests."""
    from sparql_server import LOOPBACK, free_port, stop
    from test_serve import start, wait_for

    port = free_port()
    process, lines = start(built_root, "--port", str(port), "--timeout-s", "20")
    try:
        wait_for(lines, "SPARQL endpoint:")
        yield f"http://{LOOPBACK}:{port}"
    finally:
        stop(process)


def built_fixture(fixture: Path, folder: Path) -> StoreBackend:
    """A store of a made-up graph written as curators write data (tests/fixtures/queries/...),
    with the ontology, the vocabularies and what the build's rules derive from them (best
    values, ranks, knowledge dates, derived edges), for queries on facts the sources lack."""
    project = Project(ROOT)
    dataset = load_dataset([ROOT / "ontology" / "geokg.ttl", ROOT / "ontology" / "vocabularies.ttl",
                            fixture], ROOT)
    apply_rules(dataset, project.rule_files, ROOT)
    (folder / "fixture.nt").write_bytes(dataset.nt())
    return open_store(write_store(folder / "fixture.nt", folder / "store"))


def ask_store(store: StoreBackend, name: str, **params: str) -> Rows:
    """The rows of a catalogue query on `store`, as `ask` gives them."""
    entry = find_query(ROOT, name)
    bindings = bind(entry.params, params, entry.origin)
    columns, rows = display(select(store, entry, bindings),
                            hidden=[p.name for p in entry.params])
    return [dict(zip(columns, row, strict=True)) for row in rows]


@pytest.fixture(scope="session")
def ask_fixture(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Rows]:
    """`ask_fixture(path, "sanctions", actor="kgr:borduria")`: the rows of a catalogue query on
    a fixture graph (a fictional world, for what no source of the project gives), built once per
    session with `built_fixture`."""
    backends: dict[Path, StoreBackend] = {}

    def run(path: Path, name: str, **params: str) -> Rows:
        if path not in backends:
            backends[path] = built_fixture(path, tmp_path_factory.mktemp(path.stem))
        return ask_store(backends[path], name, **params)

    return run
