"""Deterministic, round-tripping, atomic exports."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import kg.export
from kg.atomic import atomic_open, write_file_set
from kg.dataset import load_dataset, turtle_to_ntriples
from kg.export import export_ntriples, sorted_lines, write_ntriples, write_turtle
from kg.skolem import GENID

FIXTURES = Path(__file__).parent / "fixtures" / "core"
TRICKY = FIXTURES / "tricky-literals.ttl"


def lines_of(*paths: Path) -> list[bytes]:
    """The sorted N-Triples lines of Turtle files, as the build exports them."""
    return sorted_lines(load_dataset(list(paths), FIXTURES).chunks())


def lines_from(tmp_path: Path, turtle: str) -> list[bytes]:
    path = tmp_path / "data.ttl"
    path.write_text(turtle, encoding="utf-8")
    return sorted_lines(load_dataset([path], tmp_path).chunks())


def turtle_of(lines: list[bytes]) -> str:
    out = io.StringIO()
    write_turtle(lines, out)
    return out.getvalue()


def ntriples_of(lines: list[bytes]) -> str:
    out = io.StringIO()
    assert write_ntriples(lines, out) == len(lines)
    return out.getvalue()


def test_turtle_and_ntriples_hold_the_same_graph() -> None:
    lines = lines_of(TRICKY)
    from_nt = Graph().parse(data=ntriples_of(lines), format="nt")
    assert len(from_nt) == len(lines)
    assert isomorphic(Graph().parse(data=turtle_of(lines), format="turtle"), from_nt)


def test_ntriples_lines_are_sorted_and_canonically_escaped() -> None:
    lines = lines_of(TRICKY)
    assert lines == sorted(set(lines))
    text = b"".join(lines).decode("utf-8")
    assert '"He said \\"no\\" twice"' in text
    assert '"C:\\\\path\\\\to\\\\file \\\\n is not a newline"' in text
    assert '"line one\\nline two\\r\\nline three\\ttabbed"' in text
    assert '"bell\\u0007 and delete\\u007F"' in text
    assert '"18\u00a0June, «\u202fmot\u202f», l’été"' in text  # UTF-8 kept as is
    assert '"colour"@en-gb' in text
    assert "\U0001F600" in text
    assert "_:" not in text


def test_turtle_layout() -> None:
    text = turtle_of(lines_of(TRICKY))
    assert text.startswith("@prefix kg: <https://w3id.org/geokg/ontology#> .\n")
    # A skolem IRI that one triple points to comes right after the subject pointing to it.
    nested = text.split("<http://example.org/nested> genid:", 1)[1].split(" ", 1)[0].strip(" ;\n")
    block_of_s = text.split("\n\n<http://example.org/s>\n", 1)[1].split("\n\n")
    assert block_of_s[1].startswith("genid:")  # the first skolem object of ex:s, then the rest
    assert f"\n\ngenid:{nested}\n    <http://example.org/inner> genid:" in text
    # Invisible characters are escaped so that a reader can see them.
    assert '"18\\u00A0June, «\\u202Fmot\\u202F», l’été"' in text


def test_a_skolem_iri_pointed_to_twice_stands_in_its_sorted_place(tmp_path: Path) -> None:
    text = turtle_of(lines_from(tmp_path, """@prefix e: <http://e/> .
        e:a e:ref _:shared . e:z e:ref _:shared . _:shared e:v 2 .
        e:m e:own [ e:v 3 ] ."""))
    blocks = [block.split("\n", 1)[0] for block in text.split("\n\n")[1:]]
    # e:m's own node follows it; the shared one stands where <https://w3id.org/...> sorts.
    assert [b if not b.startswith("genid:") else "genid" for b in blocks] == [
        "<http://e/a>", "<http://e/m>", "genid", "<http://e/z>", "genid"]


def test_genid_text_inside_literals_does_not_mislead_the_turtle_writer(tmp_path: Path) -> None:
    # The first pass reads only the lines that may hold a skolem IRI, found by their text: a
    # literal that holds it is read too, and must change nothing.
    lines = lines_from(tmp_path, f"""@prefix e: <http://e/> .
        e:s e:note "see <{GENID}abc>" ; e:nested [ e:v "<{GENID}x> ." ] .""")
    text = turtle_of(lines)
    assert isomorphic(Graph().parse(data=text, format="turtle"),
                      Graph().parse(data=ntriples_of(lines), format="nt"))


def test_rdf_type_first_then_sorted_predicates(tmp_path: Path) -> None:
    lines = lines_from(tmp_path, """@prefix kgr: <https://w3id.org/geokg/id/> .
@prefix kg: <https://w3id.org/geokg/ontology#> .
kgr:b kg:z 1 ; kg:a 2 , 1 ; a kg:T .
kgr:a kg:q "x" .""")
    body = turtle_of(lines).split("\n\n", 1)[1]
    assert body == ('kgr:a\n    kg:q "x" .\n\n'
                    "kgr:b\n    a kg:T ;\n    kg:a 1 , 2 ;\n    kg:z 1 .\n")


def test_output_does_not_depend_on_input_order(tmp_path: Path) -> None:
    lines = lines_of(TRICKY)
    parsed = turtle_to_ntriples(TRICKY.read_text(encoding="utf-8"), "tricky", "http://e/")
    shuffled = parsed.splitlines(keepends=True)
    random.Random(7).shuffle(shuffled)
    again = lines_from(tmp_path, b"".join(shuffled).decode("utf-8"))
    assert again == lines
    assert turtle_of(again) == turtle_of(lines)


_EXPORT_SCRIPT = """
import sys
from pathlib import Path
from typing import TextIO
from kg.dataset import load_dataset, turtle_to_ntriples
from kg.export import export_ntriples
export_ntriples(load_dataset([Path(p) for p in sys.argv[2:]]).chunks(), Path(sys.argv[1]))
"""


def test_two_runs_with_different_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    inputs = [str(TRICKY), *map(str, sorted((FIXTURES / "repo" / "data").glob("*.ttl")))]
    outputs = []
    for seed in ("1", "12345"):
        out = tmp_path / f"seed-{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", _EXPORT_SCRIPT, str(out), *inputs],
                       check=True, env=env)
        outputs.append(out)
    for name in ("geokg.ttl", "geokg.nt", "geokg.nq", "geokg.trig", "geokg.jsonld",
                 "geokg.context.jsonld"):
        first, second = (o / name for o in outputs)
        assert first.read_bytes() == second.read_bytes()
        assert len(first.read_bytes()) > 1000


def test_export_set_replaces_previous_files(tmp_path: Path) -> None:
    paths, count = export_ntriples([b"".join(lines_of(TRICKY))], tmp_path)
    names = ["geokg.ttl", "geokg.nt", "geokg.nq", "geokg.trig", "geokg.jsonld",
             "geokg.context.jsonld"]
    assert [p.name for p in paths] == names  # no description: the data declares no dataset
    assert sorted(os.listdir(tmp_path)) == sorted(names)
    assert len(Graph().parse(tmp_path / "geokg.nt", format="nt")) == count


def test_failure_mid_export_leaves_previous_build_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "geokg.ttl").write_text("old turtle\n", encoding="utf-8")
    (tmp_path / "geokg.nt").write_text("old ntriples\n", encoding="utf-8")

    def half_then_fail(lines: list[bytes], out: io.TextIOBase) -> int:
        out.write(lines[0].decode("utf-8"))
        raise OSError("disk full")

    monkeypatch.setattr(kg.export, "write_nquads", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        export_ntriples([b"".join(lines_of(TRICKY))], tmp_path)
    # The N-Triples file was complete in the temporary directory, but nothing was swapped in.
    assert (tmp_path / "geokg.ttl").read_text(encoding="utf-8") == "old turtle\n"
    assert (tmp_path / "geokg.nt").read_text(encoding="utf-8") == "old ntriples\n"
    assert sorted(os.listdir(tmp_path)) == ["geokg.nt", "geokg.ttl"]


def test_write_file_set_failure_leaves_nothing(tmp_path: Path) -> None:
    def boom(handles: Mapping[str, TextIO]) -> None:
        handles["b.txt"].write("b")
        handles["a.txt"].write("partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_file_set(tmp_path / "out", ["a.txt", "b.txt"], boom)
    assert os.listdir(tmp_path / "out") == []


def test_write_file_set_writes_every_file_in_order(tmp_path: Path) -> None:
    def both(handles: Mapping[str, TextIO]) -> None:
        handles["b.txt"].write("b")
        handles["a.txt"].write("a")

    paths = write_file_set(tmp_path / "out", ["a.txt", "b.txt"], both)
    assert [p.name for p in paths] == ["a.txt", "b.txt"]
    assert [p.read_text(encoding="utf-8") for p in paths] == ["a", "b"]
    assert sorted(os.listdir(tmp_path / "out")) == ["a.txt", "b.txt"]


def test_atomic_open_keeps_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(ValueError), atomic_open(target) as handle:
        handle.write("new but incomplete")
        raise ValueError("stop")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["file.txt"]
    with atomic_open(target) as handle:
        handle.write("new")
    assert target.read_text(encoding="utf-8") == "new"
