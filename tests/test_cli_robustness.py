"""What users meet at the edges of the command line: each case a clear one-line message and a
non-zero exit, never a traceback, or the quiet behaviour of other Unix tools."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
REPO = ROOT / "tests" / "fixtures" / "core" / "repo"

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def count_query(tmp_path: Path) -> Path:
    path = tmp_path / "count.rq"
    path.write_text(COUNT, encoding="utf-8")
    return path


# --- kg query --output --------------------------------------------------------------------------

def test_output_into_a_missing_folder_is_refused(
        capsys: pytest.CaptureFixture[str], built_root: Path, count_query: Path,
        tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.csv"
    code, out, err = run(capsys, "--root", str(built_root), "query", "--file", str(count_query),
                         "-f", "csv", "-o", str(target))
    assert (code, out) == (2, "")
    assert err == f"kg: error: {target.parent}: no such folder (to write out.csv in)\n"
    assert not target.parent.exists()


def test_output_is_written_with_the_umask(capsys: pytest.CaptureFixture[str], built_root: Path,
                                         count_query: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    previous = os.umask(0o027)
    try:
        assert run(capsys, "--root", str(built_root), "query", "--file", str(count_query),
                   "-f", "csv", "-o", str(target))[0] == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8").startswith("n\n")
    target.chmod(0o604)  # a file replaced keeps its mode
    assert run(capsys, "--root", str(built_root), "query", "--file", str(count_query),
               "-f", "csv", "-o", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o604


# --- kg validate on unusual files -------------------------------------------------------------

def test_a_loop_of_symbolic_links_is_an_error_message(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    loop = tmp_path / "loop.ttl"
    loop.symlink_to("loop.ttl")
    code, out, err = run(capsys, "--root", str(REPO), "validate", str(loop))
    assert (code, out) == (2, "")
    assert err == f"kg: error: {loop}: cannot read: Too many levels of symbolic links\n"


def test_a_byte_order_mark_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf@prefix kg: <https://w3id.org/geokg/ontology#> .\n")
    code, out, err = run(capsys, "--root", str(REPO), "validate", str(path))
    assert (code, out) == (2, "")
    assert err == (f"kg: error: {path}:1: a byte-order mark (U+FEFF) at the start of the file: "
                   "save it as UTF-8 without a byte-order mark\n")


def test_an_ill_typed_date_is_reported_by_the_shapes_only(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "date.ttl"
    path.write_text('@prefix kg: <https://w3id.org/geokg/ontology#> .\n'
                    '@prefix kgr: <https://w3id.org/geokg/id/> .\n'
                    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    'kgr:d a kg:Date ; kg:earliest "2024-13-45"^^xsd:date .\n', encoding="utf-8")
    code, out, err = run(capsys, "--root", str(ROOT), "validate", str(path))
    assert code == 1
    assert "warning" not in err and "Converter" not in out + err
    assert ('kg:earliest is the first day the date can denote: at most one, a valid xsd:date '
            'such as "2024-06-01"^^xsd:date.\n    - kgr:d  kg:earliest  value: '
            '"2024-13-45"^^xsd:date\n') in out


# --- kg query: updates, bytes that are not UTF-8 ------------------------------------------------

@pytest.mark.parametrize("update", ["DELETE WHERE { ?s ?p ?o }",
                                    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                    "PREFIX x: <urn:x>\nCLEAR ALL", "LOAD <urn:x>"])
def test_an_update_is_refused_as_such(capsys: pytest.CaptureFixture[str], built_root: Path,
                                      tmp_path: Path, update: str) -> None:
    path = tmp_path / "update.rq"
    path.write_text(update + "\n", encoding="utf-8")
    code, out, err = run(capsys, "--root", str(built_root), "query", "--file", str(path))
    assert (code, out) == (2, "")
    assert err == (f"kg: error: {path}: updates are not allowed: kg query runs SELECT and ASK "
                   "queries on the built graph, which only kg build changes\n")


def kg_bytes(*args: bytes) -> subprocess.CompletedProcess[bytes]:
    """`kg` with arguments as raw bytes, as a shell passes what a user typed."""
    return subprocess.run([sys.executable.encode(), b"-m", b"kg.cli", *args],
                          capture_output=True, check=False)


def test_a_parameter_that_is_not_utf8_is_named(built_root: Path) -> None:
    result = kg_bytes(b"--root", bytes(built_root), b"query", b"label-search", b"--param",
                      b"term=cor\xe9e")  # Latin-1, not UTF-8
    assert result.returncode == 2
    assert result.stderr == (b"kg: error: --param b'term=cor\\xe9e': not valid UTF-8 text "
                             b"(is the terminal set to UTF-8?)\n")


def test_an_endpoint_that_is_not_ascii_is_named(built_root: Path) -> None:
    result = kg_bytes(b"--root", bytes(built_root), b"query", b"label-search", b"--param",
                      b"term=x", b"--endpoint", b"http://127.0.0.1:9/cor\xc3\xa9e")
    assert result.returncode == 2
    assert result.stderr.decode() == ("kg: error: 'http://127.0.0.1:9/corée': a URL is written "
                                      "in ASCII: percent-encode other characters (%C3%A9 for é)\n")


# --- pipes and roots --------------------------------------------------------------------------

def test_a_closed_pipe_ends_quietly(built_root: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "--root", str(built_root),
                                "stats"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as `kg stats | head` when head has read enough, or `| true`
    err = process.stderr.read()
    assert process.wait(60) == 128 + signal.SIGPIPE
    assert err == b""


def test_a_root_without_the_project_layout_is_refused(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for command in ("build", "validate", "anchor"):
        args = [] if command == "build" else [str(tmp_path / "x.ttl")]
        code, out, err = run(capsys, "--root", str(tmp_path), command, *args)
        assert (code, out) == (2, "")
        assert err == (f"kg: error: {tmp_path}: not a geokg project: it has no "
                       "ontology/shapes.ttl and no data/ (a project holds ontology/, data/, "
                       "rules/ and queries/); give the project's folder with --root\n")
    assert list(tmp_path.iterdir()) == []
