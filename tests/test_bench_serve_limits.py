"""The kg serve limits benchmark runs end to end on a small built graph and reports every figure
(how large they are is for docs/REMOTE.md, not for a test)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main

pytestmark = pytest.mark.slow  # runs the serve-limits benchmark

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_REPO = ROOT / "tests" / "fixtures" / "core" / "repo"


def test_serve_limits_reports_every_figure(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE_REPO, root, ignore=shutil.ignore_patterns("build"))
    for query in (ROOT / "queries").glob("*.rq"):  # the catalogue, whose examples it times
        shutil.copy(query, root / "queries")
    assert main(["--root", str(root), "build"]) == 0
    out = tmp_path / "limits.json"
    subprocess.run([sys.executable, "-m", "bench.serve_limits", "--root", str(root), "--limit",
                    "1", "--wait", "5", "--repeat", "2", "--json", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["kg_serve"]["server_up"] is True
    assert figures["kg_serve"]["next_query"]["status"] == 200
    assert set(figures["oxigraph_alone"]) == {"status", "seconds", "cpu_share", "rss_mb",
                                              "next_query"}
    assert {"count", "timeline"} <= set(figures["overhead_ms"])
    for times in figures["overhead_ms"].values():
        assert set(times) == {"kg_serve", "oxigraph"}
