"""One build is one generation: every output switches at once, readers never see a half-written
store (queries in a loop during repeated builds: 0 failures), a reader keeps its generation for as
long as it reads it, and a later build removes what killed builds left."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import threading
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from kg.cli import main
from kg.generations import current_path
from kg.store import open_built_store

FIXTURE_REPO = Path(__file__).parent / "fixtures" / "core" / "repo"
TRIPLES = 104  # what the fixture repository builds
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(FIXTURE_REPO, target, ignore=shutil.ignore_patterns("build"))
    (target / "count.rq").write_text(COUNT, encoding="utf-8")
    assert kg(target, "build") == (0, "")
    return target


def kg(repo: Path, *args: str) -> tuple[int, str]:
    """`kg --root REPO ARGS` in this process: exit code and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--root", str(repo), *args])
    return code, err.getvalue()


def generations(repo: Path) -> list[str]:
    return sorted(p.name for p in (repo / "build" / "generations").iterdir())


def count(repo: Path) -> int:
    with open_built_store(repo / "build") as backend:
        return int(backend.select(COUNT, {}).rows[0]["n"].value)


def test_every_output_is_a_link_into_the_current_generation(repo: Path) -> None:
    build = repo / "build"
    [only] = generations(repo)
    assert current_path(build) == build / "generations" / only
    for name in ("geokg.ttl", "geokg.nt", "geokg.stamp.json", "store"):
        assert os.readlink(build / name) == f"current/{name}"
        assert (build / name).resolve() == (build / "generations" / only / name).resolve()
    assert kg(repo, "build", "--force") == (0, "")
    [newer] = generations(repo)  # the previous generation was removed
    assert newer != only and current_path(build) == build / "generations" / newer


def test_a_reader_keeps_its_generation_while_builds_go_on(repo: Path) -> None:
    held = open_built_store(repo / "build")
    first = held.generation.path  # type: ignore[union-attr]
    for _ in range(2):
        assert kg(repo, "build", "--force") == (0, "")
    assert first.name in generations(repo) and len(generations(repo)) == 2
    assert int(held.select(COUNT, {}).rows[0]["n"].value) == TRIPLES
    held.close()
    assert kg(repo, "build", "--force") == (0, "")
    assert first.name not in generations(repo) and len(generations(repo)) == 1


def test_a_build_killed_while_writing_the_store_changes_nothing(repo: Path) -> None:
    build = repo / "build"
    before = {p.name: p.read_bytes() for p in build.glob("geokg.*")}
    (build / ".export-abc").mkdir()  # what killed builds of earlier versions left
    (build / "store.tmp-abc").mkdir()
    (build / ".geokg.ttl.x1y2.tmp").write_text("half", encoding="utf-8")
    edited = repo / "data" / "relations.ttl"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    killer = ("import os, signal, sys; import kg.build as b; from kg.cli import main\n"
              "b.write_store_dir = lambda *args: os.kill(os.getpid(), signal.SIGKILL)\n"
              "sys.exit(main(sys.argv[1:]))\n")
    killed = subprocess.run([sys.executable, "-c", killer, "--root", str(repo), "build"],
                            capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL
    # the new exports were written in a generation that never became current
    assert {p.name: p.read_bytes() for p in build.glob("geokg.*")} == before
    assert count(repo) == TRIPLES and len(generations(repo)) == 2
    assert kg(repo, "build") == (0, "")  # the edit is built; the leftovers are removed
    assert len(generations(repo)) == 1
    assert sorted(p.name for p in build.iterdir()) == [
        "current", "generations", "geokg.context.jsonld", "geokg.jsonld", "geokg.nq", "geokg.nt",
        "geokg.stamp.json", "geokg.trig", "geokg.ttl", "labels.sqlite", "store"]


def test_an_older_build_folder_is_taken_over(repo: Path) -> None:
    build = repo / "build"
    shutil.rmtree(build)
    build.mkdir()
    (build / "store").mkdir()  # the layout of earlier versions: real files and folders
    (build / "geokg.nt").write_text("", encoding="utf-8")
    code, err = kg(repo, "query", "--file", str(repo / "count.rq"))
    assert (code, err) == (2, "kg: error: build/store was written by an older version of kg: "
                              "run kg build\n")
    assert kg(repo, "build") == (0, "")
    assert count(repo) == TRIPLES and (build / "store").is_symlink()
    assert len(generations(repo)) == 1


@pytest.mark.slow  # repeated builds with queries in a loop
def test_queries_in_a_loop_during_repeated_builds_never_fail(repo: Path) -> None:
    builds = 6
    builder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from kg.cli import main\n"
         f"for _ in range({builds}):\n"
         "    assert main(sys.argv[1:]) == 0\n",
         "--root", str(repo), "build", "--force"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    failures: list[str] = []
    answered = 0
    processes = 0

    def in_processes() -> None:  # `kg query` as users run it, one process each
        nonlocal processes
        while builder.poll() is None:
            run = subprocess.run([sys.executable, "-m", "kg.cli", "--root", str(repo), "query",
                                  "--file", str(repo / "count.rq"), "-f", "csv"],
                                 capture_output=True, text=True, check=False)
            processes += 1
            if run.returncode != 0 or run.stdout.split() != ["n", str(TRIPLES)]:
                failures.append(run.stderr or run.stdout)

    other = threading.Thread(target=in_processes)
    other.start()
    try:
        while builder.poll() is None:  # and in this process, as fast as it goes
            code, err = kg(repo, "query", "--file", str(repo / "count.rq"), "-f", "csv")
            answered += 1
            if code != 0:
                failures.append(err)
    finally:
        builder.wait(120)
        other.join(60)
    assert builder.returncode == 0, builder.stderr.read() if builder.stderr else ""
    assert failures == []
    assert answered >= 20 and processes >= 2  # the loop did overlap the builds
    assert kg(repo, "build", "--force") == (0, "")  # no reader holds any: one is left
    assert len(generations(repo)) == 1

