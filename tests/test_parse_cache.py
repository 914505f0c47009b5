"""kg.parse_cache: a file's N-Triples are taken from the previous generation only when its bytes,
name and base IRI are those cached and the cached part is whole; the dataset is the same."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.dataset import Dataset, load_dataset
from kg.parse_cache import PARTS, PartCache

REPO = Path(__file__).parent / "fixtures" / "core" / "repo"


def _files(root: Path) -> list[Path]:
    return sorted((root / "data").glob("*.ttl")) + sorted((root / "ontology").glob("*.ttl"))


def _load(root: Path, cache: PartCache) -> Dataset:
    return load_dataset(_files(root), root, cache)


def _saved(root: Path, dataset: Dataset, cache: PartCache, generation: Path) -> Path:
    generation.mkdir()
    cache.save({name: dataset.parts[name].nt for name in cache.keys}, generation)
    return generation / PARTS


def test_unchanged_files_come_from_the_cache_and_give_the_same_dataset(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    first = PartCache()
    parsed = _load(root, first)
    assert first.hits == 0
    parts = _saved(root, parsed, first, tmp_path / "g1")
    again = PartCache(parts)
    assert _load(root, again).nt() == parsed.nt()
    assert again.hits == len(_files(root))
    # A file edited, and a cached part damaged: both are parsed again; the rest is cached.
    edited = root / "data" / "relations.ttl"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nkgr:aland rdfs:comment \"x\"@en .\n",
                      encoding="utf-8")
    damaged = parts / again.keys["ontology/vocabularies.ttl"]
    damaged.write_bytes(damaged.read_bytes()[:-2])
    third = PartCache(parts)
    dataset = _load(root, third)
    assert third.hits == len(_files(root)) - 2
    assert dataset.nt() == _load(root, PartCache()).nt()
    # What the next generation keeps is whole again, linked or written.
    fourth = PartCache(_saved(root, dataset, third, tmp_path / "g2"))
    assert _load(root, fourth).nt() == dataset.nt() and fourth.hits == len(_files(root))


def test_a_file_moved_elsewhere_is_parsed_again(tmp_path: Path) -> None:
    """The key holds the base IRI: relative IRIs resolve against the file's own location."""
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    cache = PartCache()
    parts = _saved(root, _load(root, cache), cache, tmp_path / "g1")
    moved = tmp_path / "moved"
    shutil.copytree(REPO, moved)
    elsewhere = PartCache(parts)
    _load(moved, elsewhere)
    assert elsewhere.hits == 0
