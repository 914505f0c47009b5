"""What users meet at the edges of the command line: each case a clear one-line message and a
non-zero exit, never a traceback, or the quiet behaviour of other Unix tools."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kg.cli import main

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
