"""`kg plot network` and `kg plot timeline` on the article's graph: the pictures hold the
expected labels, --as-of changes the network as the data says, bad input is one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.cli import main

pytest.importorskip("matplotlib", reason="kg plot needs matplotlib (the plot extra)")


def plot(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--root", str(root), "plot", *args]) == 0
    return capsys.readouterr().out


def texts(svg: str) -> set[str]:
    """The texts of the picture: labels are SVG text, one <text> each (or one per line)."""
    return {re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg,
                                                               re.S)}


def test_the_network_holds_the_actors_the_alignment_and_the_legend(
        built_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg = plot(built_root, capsys, "network")
    assert svg.startswith("<svg")
    shown = texts(svg)
    for label in ("Russia", "North Korea", "Iran", "Soviet Union", "Moscow–Beijing–Tehran",
                  "arms supply", "treaty", "partnership", "membership", "established",
                  "alleged", "suspected"):
        assert label in shown, label
    # Nodes link to their IRIs; edges say what they are on hover.
    assert 'xlink:href="https://w3id.org/geokg/id/russia"' in svg
    assert "<title>People's Republic of China → Russia: arms supply (suspected)" in svg


def test_as_of_1990_the_network_is_the_1961_treaty_alone(
        built_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shown = texts(plot(built_root, capsys, "network", "--as-of", "1990-01-01"))
    assert {"North Korea", "Soviet Union"} <= shown
    assert not {"Russia", "Iran", "Moscow–Beijing–Tehran"} & shown
    assert "States, organisations and alignments, as of 1990-01-01" in shown


def test_as_of_the_day_after_the_visit_the_flows_and_the_axis(
        built_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg = plot(built_root, capsys, "network", "--as-of", "2024-06-19")
    shown = texts(svg)
    assert {"Russia", "North Korea", "Moscow–Beijing–Tehran"} <= shown
    assert "Soviet Union" not in shown  # the 1961 treaty ended in 1995
    assert "North Korea → Russia: arms supply (established)" in svg
    assert "People's Republic of China → Russia" not in svg  # the suspicion is undated


def test_the_timeline_holds_relations_and_events_with_their_dates(
        built_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg = plot(built_root, capsys, "timeline")
    shown = texts(svg)
    assert "Timeline: Russia and North Korea" in shown
    assert "Bilateral relations degrade from the 1980s" in shown
    assert "Vladimir Putin's previous trip to North Korea (2000)" in shown
    # A year is a span: the tooltip gives the date with its precision.
    assert "Vladimir Putin's previous trip to North Korea (2000): start 2000 (year)" in svg
    assert "start 1980s (decade)" in svg


def test_html_is_a_standalone_page_with_the_picture_and_its_notes(
        built_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "timeline.html"
    assert main(["--root", str(built_root), "plot", "timeline", "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "No source dates: " in page
    assert not re.search(r'<(script|link|img)\b[^>]*(src|href)="https?:', page)


@pytest.mark.parametrize(("args", "message"), [
    (("network", "--as-of", "2024-02-30"),
     "kg: error: parameter 'asOf': '2024-02-30' is not date: 2024-02-30 is not a day of the "
     "calendar\n"),
    (("timeline", "--a", "russia"),
     "kg: error: parameter 'a': 'russia' is not iri: expected a prefixed name (kgr:russia) or a "
     "full IRI in <angle brackets>\n"),
    (("network", "-o", "/no/such/folder/n.svg"),
     "kg: error: /no/such/folder: no such folder (to write n.svg in)\n"),
])
def test_bad_input_is_one_line_and_exit_2(built_root: Path, capsys: pytest.CaptureFixture[str],
                                          args: tuple[str, ...], message: str) -> None:
    assert main(["--root", str(built_root), "plot", *args]) == 2
    assert capsys.readouterr() == ("", message)


def test_an_existing_file_is_kept_when_the_picture_fails(
        built_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "n.svg"
    target.write_text("before", encoding="utf-8")
    assert main(["--root", str(built_root), "plot", "network", "--as-of", "x",
                 "-o", str(target)]) == 2
    assert target.read_text(encoding="utf-8") == "before"
