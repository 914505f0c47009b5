"""`kg build` does nothing when nothing it reads has changed (kg.stamp)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg import build as build_module
from kg.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "core"
OUTPUTS = "build/geokg.ttl, .nt, .nq, .trig, .jsonld, .context.jsonld"
UP_TO_DATE = f"up to date: 104 triples, 2 derived by rules: {OUTPUTS}"
BUILT = f"built 104 triples, 2 derived by rules: {OUTPUTS}"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "repo", target, ignore=shutil.ignore_patterns("build"))
    return target


def build(capsys: pytest.CaptureFixture[str], repo: Path, *options: str) -> str:
    code = main(["--root", str(repo), "build", *options])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out


def outputs(repo: Path) -> dict[str, int]:
    """Output files and their modification times (ns)."""
    return {p.name: p.stat().st_mtime_ns for p in (repo / "build").iterdir() if p.is_file()}


def test_a_second_build_with_nothing_changed_does_nothing(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert BUILT in build(capsys, repo)
    written = outputs(repo)
    assert set(written) == {"geokg.ttl", "geokg.nt", "geokg.nq", "geokg.trig", "geokg.jsonld",
                            "geokg.context.jsonld", "geokg.stamp.json", "labels.sqlite"}
    out = build(capsys, repo, "--timings")
    assert out.startswith(UP_TO_DATE + " (nothing the build reads has changed")
    assert "  load " not in out and "  stamp " in out
    assert outputs(repo) == written


def test_only_content_counts_not_modification_times(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(capsys, repo)
    data = repo / "data" / "relations.ttl"
    data.write_bytes(data.read_bytes())  # a new modification time, the same content
    assert UP_TO_DATE in build(capsys, repo)


@pytest.mark.slow  # builds the fixture repository several times
@pytest.mark.parametrize("changed", [
    "data/relations.ttl", "ontology/shapes.ttl", "rules", "queries", "data/sources"])
def test_any_input_that_changes_means_a_build(
        repo: Path, capsys: pytest.CaptureFixture[str], changed: str) -> None:
    build(capsys, repo)
    path = repo / changed
    if path.is_dir():  # a new file in that folder
        path.mkdir(exist_ok=True)
        (path / "notes.txt").write_text("x\n", encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert BUILT in build(capsys, repo)
    assert UP_TO_DATE in build(capsys, repo)


@pytest.mark.slow  # builds the fixture repository several times
def test_an_output_edited_or_removed_is_built_again(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(capsys, repo)
    nt = repo / "build" / "geokg.nt"
    original = nt.read_bytes()
    nt.write_bytes(original + b"<http://e/x> <http://e/p> <http://e/y> .\n")
    assert BUILT in build(capsys, repo)
    assert nt.read_bytes() == original
    shutil.rmtree((repo / "build" / "store").resolve())
    assert BUILT in build(capsys, repo)
    assert (repo / "build" / "store").is_dir()


@pytest.mark.slow  # builds the fixture repository several times
def test_force_builds_and_an_unreadable_stamp_is_ignored(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(capsys, repo)
    assert BUILT in build(capsys, repo, "--force")
    stamp = repo / "build" / "geokg.stamp.json"
    stamp.write_text("{not json", encoding="utf-8")
    assert BUILT in build(capsys, repo)
    assert json.loads(stamp.read_text(encoding="utf-8"))["triples"] == 104
    data = json.loads(stamp.read_text(encoding="utf-8"))
    stamp.write_text(json.dumps({**data, "format": 0}), encoding="utf-8")  # an older kg's
    assert BUILT in build(capsys, repo)


def test_the_report_of_a_skipped_build_is_the_one_printed_when_it_ran(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "data" / "relations.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '    dcterms:date "2024-06-18"^^xsd:date ;\n', "", 1), encoding="utf-8")
    first = build(capsys, repo)
    assert "Warning: kgs:SupportedClaimShape" in first
    again = build(capsys, repo)
    assert again.replace("up to date:", "built").split(" (nothing")[0] == first.rstrip("\n")


@pytest.mark.slow  # builds the fixture repository several times
def test_a_build_stopped_while_writing_leaves_the_previous_build_whole(
        repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    build(capsys, repo)
    before = {p.name: p.read_bytes() for p in (repo / "build").glob("geokg.*")}
    edited = repo / "data" / "relations.ttl"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "write_store_dir", interrupted)
    assert main(["--root", str(repo), "build"]) == 130  # Ctrl-C while the store is written
    # the new exports were written, but the previous build, stamp included, is still in force
    assert {p.name: p.read_bytes() for p in (repo / "build").glob("geokg.*")} == before
    assert len(list((repo / "build" / "generations").iterdir())) == 1
    monkeypatch.undo()
    capsys.readouterr()
    assert BUILT in build(capsys, repo)  # the stamp is the previous build's: edited.ttl differs


def test_the_store_is_updated_only_when_data_alone_changed(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After a change under data/ the previous generation's store is updated (`--timings` says
    so); after a change of a rule, with `--force` or with a tampered geokg.nt, the store is
    loaded anew."""
    build(capsys, repo)
    data = repo / "data" / "relations.ttl"
    data.write_text(data.read_text(encoding="utf-8") + "\n# a comment\nkgr:russia "
                    'rdfs:comment "edited"@en .\n', encoding="utf-8")
    assert "(the previous store, updated)" in build(capsys, repo, "--timings")
    rule = repo / "rules" / "10-allied-symmetric.rq"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    data.write_text(data.read_text(encoding="utf-8") + "# another\n", encoding="utf-8")
    assert "(the previous store, updated)" not in build(capsys, repo, "--timings")
    data.write_text(data.read_text(encoding="utf-8") + "# a third\n", encoding="utf-8")
    assert "(the previous store, updated)" in build(capsys, repo, "--timings")
    assert "(the previous store, updated)" not in build(capsys, repo, "--timings", "--force")
    (repo / "build" / "geokg.nt").resolve().write_bytes(b"")
    data.write_text(data.read_text(encoding="utf-8") + "# a fourth\n", encoding="utf-8")
    assert "(the previous store, updated)" not in build(capsys, repo, "--timings")
