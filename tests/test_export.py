"""Deterministic, round-tripping, atomic exports."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

import kg.export
from kg.atomic import atomic_open, write_file_set
from kg.export import export_graph, ntriples_lines, write_ntriples, write_turtle

FIXTURES = Path(__file__).parent / "fixtures" / "core"
TRICKY = FIXTURES / "tricky-literals.ttl"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def tricky() -> Graph:
    return Graph().parse(TRICKY, format="turtle")


def turtle_of(graph: Graph) -> str:
    out = io.StringIO()
    write_turtle(graph, out)
    return out.getvalue()


def normalised(graph: Graph) -> Graph:
    """`graph` with `"x"^^xsd:string` written `"x"` and language tags in lower case, as the
    Turtle writer (reading its input with Oxigraph) writes them: the same literals in RDF 1.1,
    other terms for rdflib."""
    result = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and str(o.datatype) == XSD_STRING:
            o = Literal(str(o))
        elif isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        result.add((s, p, o))
    return result


def test_turtle_round_trip_is_isomorphic() -> None:
    graph = tricky()
    back = Graph().parse(data=turtle_of(graph), format="turtle")
    assert isomorphic(normalised(graph), back)


def test_blank_node_labels_inside_literals_do_not_mislead_the_turtle_writer() -> None:
    # The first pass reads only the lines that may hold a blank node, found by their text:
    # a literal that looks like one is read too, and must change nothing.
    graph = Graph().parse(data="""@prefix ex: <http://example.org/> .
        ex:s ex:note "see _:b0 and _:loop1" ; ex:nested [ ex:v " _:b1 ." ] .
        _:b1 ex:v 1 .
        ex:t ex:ref _:b1 .""", format="turtle")
    text = turtle_of(graph)
    ex = "http://example.org/"
    assert f'    <{ex}nested> [\n        <{ex}v> " _:b1 ."\n    ]' in text
    assert f"\n<{ex}t>\n    <{ex}ref> [\n        <{ex}v> 1\n    ]" in text
    assert isomorphic(graph, Graph().parse(data=text, format="turtle"))


def test_ntriples_round_trip_is_isomorphic() -> None:
    graph = tricky()
    out = io.StringIO()
    assert write_ntriples(graph, out) == len(graph)
    back = Graph().parse(data=out.getvalue(), format="nt")
    assert isomorphic(graph, back)


def test_ntriples_lines_are_sorted_and_canonically_escaped() -> None:
    lines = ntriples_lines(tricky())
    assert lines == sorted(lines)
    text = "".join(lines)
    assert '"He said \\"no\\" twice"' in text
    assert '"C:\\\\path\\\\to\\\\file \\\\n is not a newline"' in text
    assert '"line one\\nline two\\r\\nline three\\ttabbed"' in text
    assert '"bell\\u0007 and delete\\u007F"' in text
    assert '"18\u00a0June, «\u202fmot\u202f», l’été"' in text  # UTF-8 kept as is
    assert '"colour"@en-GB' in text
    assert "\U0001F600" in text


def test_turtle_layout() -> None:
    text = turtle_of(tricky())
    assert text.startswith("@prefix kg: <https://w3id.org/geokg/ontology#> .\n")
    # A blank node referenced once is nested; a shared one gets a label.
    assert "<http://example.org/nested> [\n" in text
    assert "( \"a\" [" in text
    assert "_:b" in text
    # Invisible characters are escaped so that a reader can see them.
    assert '"18\\u00A0June, «\\u202Fmot\\u202F», l’été"' in text


def test_rdf_type_first_then_sorted_predicates(tmp_path: Path) -> None:
    graph = Graph().parse(data="""@prefix kgr: <https://w3id.org/geokg/id/> .
@prefix kg: <https://w3id.org/geokg/ontology#> .
kgr:b kg:z 1 ; kg:a 2 , 1 ; a kg:T .
kgr:a kg:q "x" .""", format="turtle")
    body = turtle_of(graph).split("\n\n", 1)[1]
    assert body == ('kgr:a\n    kg:q "x" .\n\n'
                    "kgr:b\n    a kg:T ;\n    kg:a 1 , 2 ;\n    kg:z 1 .\n")


def test_output_does_not_depend_on_input_order() -> None:
    nt = "".join(ntriples_lines(tricky()))
    shuffled = nt.splitlines(keepends=True)
    random.Random(7).shuffle(shuffled)
    again = Graph().parse(data="".join(shuffled), format="nt")
    assert "".join(ntriples_lines(again)) == nt
    assert turtle_of(again) == turtle_of(tricky())


_EXPORT_SCRIPT = """
import sys
from pathlib import Path
from rdflib import Graph
from kg.export import export_graph
graph = Graph()
for name in sys.argv[2:]:
    graph.parse(name, format="turtle")
export_graph(graph, Path(sys.argv[1]))
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
    for name in ("geokg.ttl", "geokg.nt"):
        first, second = (o / name for o in outputs)
        assert first.read_bytes() == second.read_bytes()
        assert len(first.read_bytes()) > 1000


def test_export_set_replaces_previous_files(tmp_path: Path) -> None:
    paths = export_graph(tricky(), tmp_path)
    assert [p.name for p in paths] == ["geokg.ttl", "geokg.nt"]
    assert sorted(os.listdir(tmp_path)) == ["geokg.nt", "geokg.ttl"]
    assert isomorphic(Graph().parse(tmp_path / "geokg.nt", format="nt"), tricky())


def test_failure_mid_export_leaves_previous_build_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "geokg.ttl").write_text("old turtle\n", encoding="utf-8")
    (tmp_path / "geokg.nt").write_text("old ntriples\n", encoding="utf-8")

    def half_then_fail(lines: list[bytes], out: io.TextIOBase) -> int:
        out.write(lines[0].decode("utf-8"))
        raise OSError("disk full")

    monkeypatch.setattr(kg.export, "write_ntriples", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        export_graph(tricky(), tmp_path)
    # The Turtle file was complete in the temporary directory, but nothing was swapped in.
    assert (tmp_path / "geokg.ttl").read_text(encoding="utf-8") == "old turtle\n"
    assert (tmp_path / "geokg.nt").read_text(encoding="utf-8") == "old ntriples\n"
    assert sorted(os.listdir(tmp_path)) == ["geokg.nt", "geokg.ttl"]


def test_write_file_set_failure_in_first_writer(tmp_path: Path) -> None:
    def boom(handle: io.TextIOBase) -> None:
        handle.write("partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_file_set(tmp_path / "out", {"a.txt": boom, "b.txt": lambda h: h.write("b")})
    assert os.listdir(tmp_path / "out") == []


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
