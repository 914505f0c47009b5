"""kg.label_index: the label index answers label-search with the rows of the SPARQL query.

The SPARQL text (queries/label-search.rq) is what a remote endpoint runs, and what the embedded
store runs when its generation has no usable index; the index answers `kg query` otherwise.
Both must give the same rows: on labels made to trip the fold, on the repository's graph and on
a generated tree, for terms accented and not, rare and common.
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_query_label_search import (
    SWEEP,
    SWEEP_TERMS,
    TERMS,
    TRICKY,
    rows,
    same_rows,
    tricky_store,
)

from kg import build as build_module
from kg.backend import SelectResult
from kg.catalogue import find_query
from kg.cli import main
from kg.generations import current_path
from kg.label_index import INDEX_NAME, LabelIndex, fold, write_label_index
from kg.project import Project
from kg.querying import open_backend, select
from kg.store import StoreBackend

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str | None, ...]


def as_rows(result: SelectResult) -> list[Row]:
    """Rows as `rows` of test_query_label_search gives them (each term as text)."""
    return [tuple(str(r[n]) if n in r else None for n in result.variables) for r in result.rows]


def indexed(store: ox.Store, folder: Path, text: str) -> LabelIndex:
    index = LabelIndex.open(write_label_index(store, folder / INDEX_NAME, text))
    assert index is not None
    return index


@pytest.fixture(scope="module")
def label_search() -> str:
    return find_query(ROOT, "label-search").text


@pytest.mark.parametrize(("labels", "terms", "least"), [(TRICKY + TERMS, TERMS, 300),
                                                        (SWEEP, SWEEP_TERMS, 400)])
def test_the_index_gives_the_rows_of_the_query_on_tricky_labels(
        tmp_path: Path, label_search: str, labels: list[str], terms: list[str],
        least: int) -> None:
    store = tricky_store(labels)
    index = indexed(store, tmp_path, label_search)
    found = 0
    for term in terms:
        bindings = {"term": ox.Literal(term)}
        expected = rows(store, label_search, term)
        if not index.answers(label_search, bindings):
            assert "\x01" in term  # the only terms left to SPARQL
            continue
        same_rows(as_rows(index.search(ox.Literal(term))), expected)
        found += len(expected)
    assert found > least


def test_the_fold_is_the_query_s() -> None:
    assert fold("  Corée\u00a0du\u2013NORD ") == "coree du nord"
    assert fold("Cœur, Straße, l’axe, Mikhaïl") == "coeur, strasse, l'axe, mikhail"
    assert fold("Core\u0301e") == "coree"
    assert fold("\u2003") == ""


def both_paths(backend: StoreBackend, term: str) -> tuple[list[Row], list[Row]]:
    """The rows of label-search for `term` from the index, then from the SPARQL query."""
    entry = find_query(ROOT, "label-search")
    bindings = {"term": ox.Literal(term)}
    index = backend.labels
    assert index is not None and index.answers(entry.text, bindings)
    from_index = as_rows(select(backend, entry, bindings))
    backend.labels = None
    try:
        from_sparql = as_rows(select(backend, entry, bindings))
    finally:
        backend.labels = index
    return from_index, from_sparql


ARTICLE_TERMS = ["coree", "Corée", "CORÉE", "traite", "traité", "l’axe", "moscou–pekin",
                 "Mikhaïl", "gorbatchev", "pyongyang", "no", "e", "drones iraniens", "zzz"]


@pytest.mark.parametrize("term", ARTICLE_TERMS)
def test_the_same_rows_on_the_repository_s_graph(backend: StoreBackend, term: str) -> None:
    from_index, from_sparql = both_paths(backend, term)
    same_rows(from_index, from_sparql)
    assert from_index == from_sparql  # no two rows tie on node and label here


def test_common_and_rare_terms_find_rows_on_the_repository_s_graph(backend: StoreBackend) -> None:
    assert len(both_paths(backend, "coree")[0]) == 29
    assert len(both_paths(backend, "e")[0]) > 500
    assert [r[1] for r in both_paths(backend, "mikhail gorbatchev")[0]] == [
        "<https://w3id.org/geokg/id/mikhail-gorbachev>",
        "<https://w3id.org/geokg/id/position-gorbachev-leader-ussr>"]


def label_words(store: ox.Store) -> collections.Counter[str]:
    answer = store.query("SELECT ?label WHERE { ?node <http://www.w3.org/2000/01/rdf-schema#label> "
                         "?label }")
    assert isinstance(answer, ox.QuerySolutions)
    return collections.Counter(word for s in answer
                               for word in re.findall(r"\w{3,}", s["label"].value))


@pytest.mark.slow  # generates and builds a tree of 8k triples
def test_the_same_rows_on_a_generated_tree(tmp_path: Path) -> None:
    from test_bench_smoke import generate

    generate(tmp_path, 8000, 3)
    assert main(["--root", str(tmp_path), "build", "--quiet"]) == 0
    backend = open_backend(Project(tmp_path))
    assert isinstance(backend, StoreBackend)
    with backend:
        words = label_words(backend.store)
        common = [w for w, _n in words.most_common(3)]
        rare = sorted(w for w, n in words.items() if n == 1)[:3]
        accented = sorted(w for w in words if not w.isascii())[:3]
        terms = common + rare + accented + [w.upper() for w in accented] + [fold(w) for w in
                                                                           accented]
        assert len(rare) == 3 and len(accented) == 3
        for term in terms + ["coree", "e", "zzzz"]:
            from_index, from_sparql = both_paths(backend, term)
            same_rows(from_index, from_sparql)
            assert from_index or term == "zzzz", term


def built_copy(tmp_path: Path, built_root: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(built_root, target, symlinks=True)
    return target


def test_a_build_without_the_index_runs_the_query(tmp_path: Path, built_root: Path) -> None:
    root = built_copy(tmp_path, built_root)
    generation = current_path(root / "build")
    assert generation is not None
    (generation / INDEX_NAME).unlink()  # as an older kg built it
    backend = open_backend(Project(root))
    assert isinstance(backend, StoreBackend) and backend.labels is None
    with backend:
        entry = find_query(ROOT, "label-search")
        assert len(select(backend, entry, {"term": ox.Literal("coree")}).rows) == 29


def test_an_unreadable_index_leaves_the_query_to_sparql(tmp_path: Path, built_root: Path) -> None:
    root = built_copy(tmp_path, built_root)
    generation = current_path(root / "build")
    assert generation is not None
    backend = open_backend(Project(root))
    assert isinstance(backend, StoreBackend) and backend.labels is not None
    with backend:
        with sqlite3.connect(generation / INDEX_NAME) as db:
            db.execute("DROP TABLE names")
        entry = find_query(ROOT, "label-search")
        assert len(select(backend, entry, {"term": ox.Literal("coree")}).rows) == 29
    (generation / INDEX_NAME).write_bytes(b"not a database")
    assert LabelIndex.open(generation / INDEX_NAME) is None


def test_only_the_indexed_text_is_answered_by_the_index(backend: StoreBackend) -> None:
    entry = find_query(ROOT, "label-search")
    index = backend.labels
    assert index is not None
    term = ox.Literal("coree")
    assert index.answers(entry.text, {"term": term})
    assert not index.answers(entry.text + "\n", {"term": term})  # an edited query
    assert not index.answers(entry.text, {"term": ox.Literal("coree", language="fr")})
    assert not index.answers(entry.text, {"term": ox.Literal("x\x01y")})
    assert not index.answers(entry.text, {})


@pytest.fixture
def small_repo(tmp_path: Path) -> Path:
    """The small fixture repository, with the label-search query, built once."""
    target = tmp_path / "small"
    shutil.copytree(ROOT / "tests" / "fixtures" / "core" / "repo", target,
                    ignore=shutil.ignore_patterns("build"))
    shutil.copy(ROOT / "queries" / "label-search.rq", target / "queries" / "label-search.rq")
    assert main(["--root", str(target), "build", "--quiet"]) == 0
    return target


def search_aland(root: Path) -> tuple[LabelIndex | None, list[Row]]:
    """The label index of the current build of `root`, and the rows of label-search "aland"."""
    backend = open_backend(Project(root))
    assert isinstance(backend, StoreBackend)
    with backend:
        entry = find_query(root, "label-search")
        return backend.labels, as_rows(select(backend, entry, {"term": ox.Literal("aland")}))


def test_the_index_is_written_with_its_generation_or_not_at_all(
        small_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = current_path(small_repo / "build")
    assert before is not None and (before / INDEX_NAME).is_file()
    index, found = search_aland(small_repo)
    assert index is not None and len(found) == 2

    def broken(store: ox.Store, target: Path, text: str) -> Path:
        target.with_name(f".{target.name}.tmp").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "write_label_index", broken)
    assert main(["--root", str(small_repo), "build", "--force", "--quiet"]) == 1
    assert current_path(small_repo / "build") == before
    assert sorted(os.listdir(small_repo / "build" / "generations")) == [before.name]
    assert search_aland(small_repo)[1] == found


def test_without_fts5_the_build_writes_no_index_and_the_query_runs(
        small_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _index, found = search_aland(small_repo)
    monkeypatch.setattr(build_module, "label_index_available", lambda: False)
    assert main(["--root", str(small_repo), "build", "--force", "--quiet"]) == 0
    generation = current_path(small_repo / "build")
    assert generation is not None and not (generation / INDEX_NAME).exists()
    assert search_aland(small_repo) == (None, found)
