"""bench/virtuoso_parity.py on the article's graph: it starts its own Virtuoso, pushes the graph
and reports each named example SAME, with a summary line; where Virtuoso is missing it says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from sparql_server import virtuoso_missing, without_credentials

from bench import virtuoso_parity


def test_says_why_it_skips_without_virtuoso(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(virtuoso_parity, "virtuoso_missing", lambda: "virtuoso-t not found")
    assert virtuoso_parity.main(["arms-flows"]) == 0
    assert capsys.readouterr().out == "skipped: virtuoso-t not found\n"


@pytest.mark.slow  # starts a Virtuoso of its own
@pytest.mark.skipif(virtuoso_missing() is not None, reason=virtuoso_missing() or "")
def test_reports_the_named_examples_the_same_on_virtuoso(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        built_root: Path) -> None:
    without_credentials(monkeypatch, tmp_path)
    assert virtuoso_parity.main(["--root", str(built_root), "arms-flows"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if not line.startswith(" ")][-3:] == [
        "SAME  arms-flows", "SAME  arms-flows --param state=kgr:north-korea",
        f"2 examples on {built_root}: 2 SAME, 0 DIFF, 0 ERROR"]
