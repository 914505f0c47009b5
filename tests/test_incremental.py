"""The oracle of the incremental rebuild: after random single-file edits, `kg build` (which may
reuse the previous generation) and `kg build --force` (which redoes everything) on two copies of
the same tree give the same exit code, the same messages, byte-identical exports and stamp, the
same store and the same label index. Property-based (Hypothesis), seeded and bounded."""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.generations import current_path

pytestmark = pytest.mark.slow  # every example builds twice per edit

ROOT = Path(__file__).resolve().parent.parent
ORACLE = settings(derandomize=True, database=None, deadline=None, max_examples=5,
                  phases=[Phase.explicit, Phase.generate],  # shrinking rebuilds for minutes
                  suppress_health_check=[HealthCheck.too_slow,
                                         HealthCheck.function_scoped_fixture])

_ENGLISH_LABEL = re.compile(rb'(rdfs:label\s+"[^"\n]*)("@en)')
_SUBJECT = re.compile(rb"^(kgr:[\w-]+)\s", re.MULTILINE)
_MIDDLE_LINE = re.compile(rb"^[ \t]+\S[^\n]*;[ \t]*\n", re.MULTILINE)
FALLBACK = "https://w3id.org/geokg/id/russia"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
_PREFIX_LINE = re.compile(rb"^@prefix[^\n]*\n", re.MULTILINE)


def kg(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@dataclass(frozen=True)
class Edit:
    """One edit of one data file, chosen by indexes that wrap around what the tree has."""

    kind: str
    file: int
    at: int


EDITS = st.builds(Edit, st.sampled_from(["label", "add", "delete", "add-file", "delete-file",
                                         "break"]),
                  st.integers(0, 10_000), st.integers(0, 10_000))


def _data_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "data").glob("*.ttl"))


def apply(edit: Edit, root: Path, step: int) -> list[Edit]:
    """Apply `edit` to the tree at `root`; returns the edits that must follow (a repair)."""
    files = _data_files(root)
    path = files[edit.file % len(files)]
    text = path.read_bytes()
    if edit.kind == "label":
        found = list(_ENGLISH_LABEL.finditer(text))
        if found:
            match = found[edit.at % len(found)]
            text = text[:match.end(1)] + f" (edited {step})".encode() + text[match.end(1):]
    elif edit.kind == "add":
        subjects = _SUBJECT.findall(text)
        if subjects:
            subject = subjects[edit.at % len(subjects)]
            text += subject + f' rdfs:comment "added {step}"@en .\n'.encode()
    elif edit.kind == "delete":
        found = list(_MIDDLE_LINE.finditer(text))
        if found:
            match = found[edit.at % len(found)]
            text = text[:match.start()] + text[match.end():]
    elif edit.kind == "add-file":
        subjects = _SUBJECT.findall(text)
        body = b"".join(_PREFIX_LINE.findall(text))
        if subjects:
            subject = subjects[edit.at % len(subjects)]
            body += subject + f' rdfs:comment "new file {step}"@en .\n'.encode()
        (root / "data" / f"added-{step}.ttl").write_bytes(body)
        return []
    elif edit.kind == "delete-file":
        path.unlink()
        return []
    elif edit.kind == "break":
        (root / "data" / ".saved").write_bytes(text)
        path.write_bytes(text + b"\nthis is not Turtle\n")
        return [Edit("repair", edit.file, 0)]
    elif edit.kind == "repair":
        path.write_bytes((root / "data" / ".saved").read_bytes())
        (root / "data" / ".saved").unlink()
        return []
    if text == path.read_bytes():  # nothing to edit of that kind: a triple is added instead
        text += f'<{FALLBACK}> <{COMMENT}> "fallback {step}"@en .\n'.encode()
    path.write_bytes(text)
    return []


def store_dump(folder: Path) -> list[bytes]:
    store = ox.Store.read_only(str(folder))
    dumped = store.dump(format=ox.RdfFormat.N_QUADS)
    assert dumped is not None
    return sorted(dumped.splitlines())


def label_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    if not path.exists():
        return {}
    with sqlite3.connect(path) as db:
        return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
                for table in ("meta", "labels", "names")}


def outputs(root: Path) -> dict[str, object]:
    """Everything the current generation holds, in a comparable form."""
    generation = current_path(root / "build")
    assert generation is not None
    found: dict[str, object] = {}
    for entry in sorted(generation.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.name == "store":
            found[entry.name] = store_dump(entry)
        elif entry.name == "labels.sqlite":
            found[entry.name] = label_rows(entry)
        else:
            found[entry.name] = entry.read_bytes()
    found["links"] = sorted(p.name for p in (root / "build").iterdir() if p.is_symlink())
    return found


def check_same(edits: list[Edit], pristine: Path, tmp: Path) -> None:
    incremental, full = tmp / "incremental", tmp / "full"
    for target in (incremental, full):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(pristine, target, symlinks=True)
    pending = list(edits)
    step = 0
    while pending:
        edit = pending.pop(0)
        step += 1
        pending[:0] = apply(edit, incremental, step)
        apply(edit, full, step)
        got = _as_built(*kg("--root", str(incremental), "build", "-q"))
        expected = kg("--root", str(full), "build", "-q", "--force")
        assert got == expected, edit
        assert outputs(incremental) == outputs(full), edit


_UP_TO_DATE = re.compile(r"^up to date: (.*?) \(nothing the build reads[^\n]*$", re.MULTILINE)


def _as_built(code: int, out: str, err: str) -> tuple[int, str, str]:
    """An edit that brings back the tree of the last build (a repair) leaves it current: its
    "up to date" line then stands for the "built" line of the full build."""
    return code, _UP_TO_DATE.sub(r"built \1", out), err


def _built_copy(source: Path, target: Path) -> Path:
    for name in ("ontology", "data", "rules", "queries"):
        shutil.copytree(source / name, target / name)
    assert kg("--root", str(target), "build", "-q")[0] == 0
    return target


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built copy of the repository's data."""
    return _built_copy(ROOT, tmp_path_factory.mktemp("repository"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A built copy of a small generated tree (bench.generate)."""
    tree = tmp_path_factory.mktemp("generated") / "tree"
    subprocess.run([sys.executable, "-m", "bench.generate", "--triples", "4k", "--seed", "3",
                    "--out", str(tree)], check=True, cwd=ROOT, capture_output=True)
    assert kg("--root", str(tree), "build", "-q")[0] == 0
    yield tree


@ORACLE
@given(edits=st.lists(EDITS, min_size=1, max_size=3))
def test_repository_edits(edits: list[Edit], repository: Path, tmp_path: Path) -> None:
    check_same(edits, repository, tmp_path)


@settings(ORACLE, max_examples=3)
@given(edits=st.lists(EDITS, min_size=1, max_size=2))
def test_generated_tree_edits(edits: list[Edit], generated: Path, tmp_path: Path) -> None:
    check_same(edits, generated, tmp_path)


def test_every_edit_kind_is_tried(repository: Path, tmp_path: Path) -> None:
    """Whatever Hypothesis draws, each kind of edit runs once, in a fixed order."""
    check_same([Edit("label", 3, 1), Edit("add", 5, 2), Edit("delete", 7, 4),
                Edit("add-file", 1, 0), Edit("break", 2, 0), Edit("delete-file", 4, 0)],
               repository, tmp_path)
