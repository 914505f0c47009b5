"""Smoke run of the benchmark (bench/README.md) at 10k triples, so that it cannot rot.

It checks that the run completes and that its JSON has a figure for every step, query and naive
step, never how large the figures are. A query or a naive step that runs past its (short) limit
here is recorded as stopped, which is a figure too; an error is not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ is not an installed package: import it from the checkout

from bench.generate import generate  # noqa: E402
from bench.worker import NAIVE_STEPS, STEPS, catalogue_examples  # noqa: E402


def measured(figure: dict) -> bool:
    """A positive number of seconds, or a run stopped at a positive limit."""
    if figure.get("timeout"):
        return figure.get("limit", 0) > 0
    return (figure.get("seconds") or 0) > 0


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("bench")
    out = work / "bench.json"
    subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "10k", "--json", str(out),
         "--workdir", str(work), "--repeat", "1", "--query-limit", "20",
         "--naive-limit", "20"],
        cwd=ROOT, check=True, timeout=1800)
    return json.loads(out.read_text(encoding="utf-8"))["sizes"]["10k"]


def test_generated_tree_is_reproducible(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 3000, 7)
    second = generate(tmp_path / "b", 3000, 7)
    assert first == second
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a" / "data").rglob("*")
                   if p.is_file())
    assert files
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_build_succeeds(report: dict) -> None:
    build = report["build"]
    assert build["ok"], build.get("error")
    assert build["triples"] > report["manifest"]["triples"] > 9000
    assert build["rss_kb"] > 0
    assert set(STEPS) <= set(build["timings"])
    assert all(seconds > 0 for seconds in build["timings"].values())
    again = report["rebuild_unchanged"]
    assert again["ok"] and again["up_to_date"] and again["triples"] == build["triples"]
    assert measured(again) and "load" not in again["timings"]
    edited = report["rebuild_one_triple"]
    assert edited["ok"] and not edited["up_to_date"] and edited["triples"] == build["triples"]
    assert edited["edited"]["file"].startswith("syn-treaties-")
    assert 0 < edited["edited"]["share"] < 1


def test_every_step_alone_is_measured(report: dict) -> None:
    assert set(report["steps"]) == set(STEPS)
    for step, figure in report["steps"].items():
        assert measured(figure) and figure["rss_kb"] > 0, (step, figure)
    formats = report["steps"]["export"]["formats"]
    assert all(formats[name] > 0 for name in ("prepare", "turtle", "ntriples"))


def test_every_catalogue_query_is_measured(report: dict) -> None:
    labels = {label for label, _entry, _bindings in catalogue_examples(ROOT)}
    queries = report["queries"]["queries"]
    assert set(queries) == labels
    for label, figure in queries.items():
        assert measured(figure), (label, figure)
    assert report["queries"]["open_seconds"] > 0
    assert report["kg_query"]["ok"] and report["kg_query"]["seconds"] > 0


def test_pyoxigraph_alone_and_naive_pipeline_are_measured(report: dict) -> None:
    assert report["oxigraph"]["seconds"] > 0 and report["oxigraph"]["triples"] > 9000
    assert set(report["naive"]) == set(NAIVE_STEPS)
    for step, figure in report["naive"].items():
        assert measured(figure), (step, figure)
    for label, figure in report["naive"]["queries"]["queries"].items():
        assert measured(figure) or "error" in figure, (label, figure)
