"""Progress of `kg build` on stderr (kg.progress): on a terminal, on a pipe, and `--quiet`."""

from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.progress import StepPrinter, describe

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_REPO = Path(__file__).parent / "fixtures" / "core" / "repo"
BUILT = ("built 104 triples, 2 derived by rules: "
         "build/geokg.ttl, .nt, .nq, .trig, .jsonld, .context.jsonld\n")
STEPS = ("stamp", "load", "rules", "evidence", "checks", "reference", "shacl", "export",
         "store")
CLEAR = "\r\x1b[K"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(FIXTURE_REPO, target, ignore=shutil.ignore_patterns("build"))
    return target


# --- the printer ------------------------------------------------------------------------------

def test_counts_are_described_with_their_plurals() -> None:
    assert describe({"triple": 3411, "input": 1, "violation": 0}) == (
        "3,411 triples, 1 input, 0 violations")
    assert describe({}) == ""


def test_on_a_pipe_nothing_is_shown_until_the_delay_then_the_held_steps_first() -> None:
    clock, stream = Clock(), io.StringIO()
    printer = StepPrinter(stream, delay=2.0, clock=clock)
    printer.started("load")
    clock.now += 1.5
    printer.finished("load", 1.5, {"triple": 3074, "input": 13})
    printer.started("rules")
    assert stream.getvalue() == ""
    clock.now += 0.6
    printer.finished("rules", 0.6, {"derived triple": 337})
    printer.started("store")
    clock.now += 0.1
    printer.finished("store", 0.1, {})
    assert stream.getvalue() == ("kg build: load        1.50 s  3,074 triples, 13 inputs\n"
                                 "kg build: rules       0.60 s  337 derived triples\n"
                                 "kg build: store       0.10 s\n")


def test_a_quick_run_on_a_pipe_shows_nothing() -> None:
    clock, stream = Clock(), io.StringIO()
    printer = StepPrinter(stream, delay=2.0, clock=clock)
    for step in STEPS:
        printer.started(step)
        clock.now += 0.1
        printer.finished(step, 0.1, {"triple": 1})
    printer.started("x")
    printer.stopped("x")
    assert stream.getvalue() == ""


@pytest.mark.parametrize(("term", "expected"), [
    # the running step is drawn, then replaced by its line; after a failed step, a clean line
    ("xterm", f"{CLEAR}kg build: rules ..."
              f"{CLEAR}kg build: rules       0.01 s  1 derived triple\n"
              f"{CLEAR}kg build: shacl ...{CLEAR}"),
    # a terminal without cursor control gets the finished lines only
    ("dumb", "kg build: rules       0.01 s  1 derived triple\n"),
])
def test_a_terminal_shows_the_steps_at_once(monkeypatch: pytest.MonkeyPatch, term: str,
                                            expected: str) -> None:
    monkeypatch.setenv("TERM", term)
    stream = Terminal()
    printer = StepPrinter(stream, delay=2.0, clock=Clock())
    printer.started("rules")
    printer.finished("rules", 0.01, {"derived triple": 1})
    printer.started("shacl")
    printer.stopped("shacl")
    assert stream.getvalue() == expected


# --- kg build ---------------------------------------------------------------------------------

def kg_build(repo: Path, *options: str, stderr_on_terminal: bool = False,
             delay: float | None = None) -> tuple[int, str, str]:
    """Run `kg build` in a fresh interpreter with stdout on a pipe and stderr on a pipe or on a
    terminal (a pty); `delay` replaces kg.progress.DELAY. Returns the exit code, stdout and
    stderr."""
    code = "import sys\nimport kg.progress\n"
    if delay is not None:
        code += f"kg.progress.DELAY = {delay!r}\n"
    code += "from kg.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    command = [sys.executable, "-c", code, "--root", str(repo), "build", *options]
    path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    env = {**os.environ, "PYTHONPATH": path, "TERM": "xterm"}
    if not stderr_on_terminal:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, env=env) as process:
        os.close(follower)
        assert process.stdout is not None
        out = process.stdout.read()
        err = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal's other end is closed: everything was read
                break
            if not chunk:
                break
            err += chunk
        os.close(leader)
    return process.returncode, out.decode("utf-8"), err.decode("utf-8").replace("\r\n", "\n")


def shown_steps(err: str) -> list[str]:
    """The finished steps' lines, whatever was drawn and erased before them."""
    return [line.rsplit(CLEAR, 1)[-1] for line in err.split("\n") if "kg build: " in line]


def test_a_terminal_shows_every_step_with_its_counts_and_stdout_is_unchanged(
        repo: Path, tmp_path: Path) -> None:
    code, out, err = kg_build(repo, stderr_on_terminal=True)
    assert code == 0
    lines = shown_steps(err)
    assert [line.split()[2] for line in lines] == list(STEPS)
    by_step = {line.split()[2]: line for line in lines}
    assert by_step["load"].endswith(" s  102 triples, 5 inputs")
    assert by_step["rules"].endswith(" s  2 derived triples")
    assert by_step["checks"].endswith(" s  1 check, 0 failing rows")
    assert by_step["reference"].endswith(" s  0 problems")
    assert by_step["shacl"].endswith(" s  0 results, 0 violations")
    assert by_step["export"].endswith(" s  104 triples")
    assert f"{CLEAR}kg build: shacl ..." in err  # the running step, then its line in its place
    quiet = tmp_path / "quiet"
    shutil.copytree(FIXTURE_REPO, quiet, ignore=shutil.ignore_patterns("build"))
    assert kg_build(quiet, "--quiet", stderr_on_terminal=True) == (0, out, "")
    assert out == BUILT


def test_a_terminal_shows_the_check_that_finds_problems_and_clears_a_failed_step(
        repo: Path) -> None:
    with (repo / "data" / "relations.ttl").open("a", encoding="utf-8") as handle:
        handle.write("kgr:aland kg:alliedWith kgr:aland .\n")
    code, out, err = kg_build(repo, stderr_on_terminal=True)
    assert code == 1 and "Checks\nqueries/checks/self-alliance-violation.rq" in out
    assert any(line.endswith(" s  1 check, 1 failing row") for line in shown_steps(err))
    assert "export" not in err
    with (repo / "data" / "relations.ttl").open("a", encoding="utf-8") as handle:
        handle.write("this is not Turtle\n")
    code, out, err = kg_build(repo, stderr_on_terminal=True)
    assert (code, out) == (2, "")
    assert err.startswith(f"{CLEAR}kg build: stamp ...")
    assert f"{CLEAR}kg build: load ...{CLEAR}kg: error: data/relations.ttl" in err


def test_a_quick_build_on_a_pipe_is_silent(repo: Path) -> None:
    """A build that ends before the delay prints nothing on a pipe. The delay is ten minutes here:
    with the default two seconds, a busy machine made this tiny build late and the test failed."""
    assert kg_build(repo, delay=600.0) == (0, BUILT, "")


def test_a_long_build_on_a_pipe_shows_plain_lines_and_quiet_none(repo: Path,
                                                                  tmp_path: Path) -> None:
    code, out, err = kg_build(repo, "--timings", delay=0.0)
    assert code == 0
    assert [line.split()[2] for line in err.splitlines()] == list(STEPS)
    assert "\r" not in err and "\x1b" not in err
    assert all(line.startswith("kg build: ") for line in err.splitlines())
    quiet = tmp_path / "quiet"
    shutil.copytree(FIXTURE_REPO, quiet, ignore=shutil.ignore_patterns("build"))
    code, quiet_out, quiet_err = kg_build(quiet, "--timings", "--quiet", delay=0.0)
    assert (code, quiet_err) == (0, "")
    assert [line.split()[0] for line in quiet_out.splitlines()[1:]] == list(STEPS)
    assert quiet_out.splitlines()[0] == out.splitlines()[0]


def test_an_unchanged_build_shows_only_the_stamp(repo: Path) -> None:
    assert kg_build(repo, "--quiet")[0] == 0
    code, out, err = kg_build(repo, stderr_on_terminal=True)
    assert code == 0 and out.startswith("up to date: ")
    assert [line.split()[2] for line in shown_steps(err)] == ["stamp"]
