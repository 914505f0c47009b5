"""The build's working data (kg.dataset): parsing, exact literals, blank node labels, lookups."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.dataset import DERIVED, Dataset, ascii_ntriples, load_dataset, relabel_blank_nodes
from kg.errors import KgError
from kg.export import export_graph, export_ntriples
from kg.rules import apply_rules

FIXTURES = Path(__file__).parent / "fixtures" / "core"
REPO = FIXTURES / "repo"
E = "http://e/"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text("@prefix e: <http://e/> .\n" + text, encoding="utf-8")
    return path


# --- parsing ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("malformed.ttl", "malformed.ttl:6:1: malformed Turtle: A dot is expected"),
    ("unbound-prefix.ttl", "unbound-prefix.ttl:5:23: malformed Turtle: The prefix nato: has not "
                           "been declared"),
])
def test_malformed_turtle_names_file_line_and_column(name: str, expected: str) -> None:
    with pytest.raises(KgError) as info:
        load_dataset([FIXTURES / name], FIXTURES)
    assert str(info.value).startswith(expected)
    assert "Parser error" not in str(info.value)  # the position is said once, in front
    assert info.value.exit_code == 2


def test_bad_language_tag_and_named_graph_are_malformed_turtle(tmp_path: Path) -> None:
    write(tmp_path, "lang.ttl", 'e:x e:p "x"@1234 .\n')
    write(tmp_path, "trig.ttl", "GRAPH e:g { e:a e:b e:c }\n")
    for name, line in (("lang.ttl", 2), ("trig.ttl", 2)):
        with pytest.raises(KgError, match=rf"^{name}:{line}:\d+: malformed Turtle: "):
            load_dataset([tmp_path / name], tmp_path)


def test_invalid_utf8_and_missing_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "latin1.ttl").write_bytes(b'<http://e/x> <http://e/p> "caf\xe9" .\n')
    with pytest.raises(KgError, match=r"^latin1\.ttl:1: not valid UTF-8"):
        load_dataset([tmp_path / "latin1.ttl"], tmp_path)
    with pytest.raises(KgError, match=r"^nope\.ttl: no such file$"):
        load_dataset([tmp_path / "nope.ttl"], tmp_path)


def test_relative_iris_resolve_against_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "rel.ttl", "<x> e:p <#y> .\n")
    nt = load_dataset([path], tmp_path).nt().decode()
    assert f"<{path.resolve().as_uri()}#y>" in nt


# --- exact literals -------------------------------------------------------------------------

def test_literals_are_kept_as_written_although_the_store_normalises_them(tmp_path: Path) -> None:
    path = write(tmp_path, "lit.ttl", 'e:s e:p "3"^^<http://www.w3.org/2001/XMLSchema#'
                 'nonNegativeInteger> , "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> , '
                 '"007"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    dataset = load_dataset([path], tmp_path)
    nt = dataset.nt().decode()
    assert '"3"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' in nt
    assert '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>' in nt
    assert '"007"^^<http://www.w3.org/2001/XMLSchema#integer>' in nt
    # What the store gives back (and so SPARQL sees) is normalised: why the bytes are kept.
    stored = {str(q.object) for q in dataset.store}
    assert '"3"^^<http://www.w3.org/2001/XMLSchema#integer>' in stored


# --- blank nodes ------------------------------------------------------------------------------

def test_blank_nodes_get_the_same_labels_every_time_and_never_collide(tmp_path: Path) -> None:
    a = write(tmp_path, "a.ttl", "e:s e:p _:x , [ e:q 1 ] . _:x e:q 2 .\n")
    b = write(tmp_path, "b.ttl", "e:t e:p _:x . _:x e:q 3 .\n")
    first, second = load_dataset([a, b], tmp_path), load_dataset([a, b], tmp_path)
    assert first.nt() == second.nt()
    graph = first.graph()
    assert len(set(graph.objects(None, URIRef(E + "q")))) == 3
    assert len({o for o in graph.objects(None, URIRef(E + "p"))}) == 3  # _:x of b is another node


def test_hook_graph_blank_labels_do_not_depend_on_the_hash_seed() -> None:
    script = ("from rdflib import Graph\nfrom kg.dataset import Dataset\n"
              "g = Graph().parse(data='@prefix e: <http://e/> . e:s e:p [ e:q [ e:r 1 ] ] .', "
              "format='turtle')\nd = Dataset()\nd.add_graph('(hook)', g)\n"
              "print(d.nt().decode())")
    outputs = {subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                              text=True, env={"PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1 and "_:" in outputs.pop()


# --- lookups ----------------------------------------------------------------------------------

def test_files_of_lists_every_file_that_states_a_subject(tmp_path: Path) -> None:
    b = write(tmp_path, "b.ttl", "e:x e:p 1 .\n")
    a = write(tmp_path, "a.ttl", "e:x e:q 2 . e:y e:p e:x .\n")
    dataset = load_dataset([b, a], tmp_path)
    assert dataset.files_of(URIRef(E + "x")) == ["a.ttl", "b.ttl"]
    assert dataset.files_of(URIRef(E + "nothing")) == []
    assert dataset.files_of(Literal(1)) == []


def test_view_answers_like_an_rdflib_graph_over_all_files(tmp_path: Path) -> None:
    a = write(tmp_path, "a.ttl", 'e:x e:p e:y ; e:label "x" .\n')
    b = write(tmp_path, "b.ttl", "e:x e:p e:y , e:z .\n")  # e:x e:p e:y stated twice
    view = load_dataset([a, b], tmp_path).view()
    x, p = URIRef(E + "x"), URIRef(E + "p")
    assert sorted(view.objects(x, p)) == [URIRef(E + "y"), URIRef(E + "z")]
    assert list(view.subjects(p, URIRef(E + "y"))) == [x]
    assert view.value(x, URIRef(E + "label")) == Literal("x")
    assert view.value(predicate=p, object=URIRef(E + "z")) == x
    assert (x, p, None) in view and (x, URIRef(E + "other"), None) not in view
    assert list(view.subject_predicates(URIRef(E + "z"))) == [(x, p)]


def test_blank_nodes_in_a_view_are_the_labels_of_the_export(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl", "e:s e:p [ e:q 1 ] .\n")
    dataset = load_dataset([path], tmp_path)
    [node] = dataset.view().objects(URIRef(E + "s"), URIRef(E + "p"))
    assert isinstance(node, BNode)
    assert f"_:{node} <http://e/q>" in dataset.nt().decode()


def test_a_released_store_is_loaded_again_when_asked_with_the_derived_triples(
        tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl",
                 'e:s e:p [ e:q "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> ] .\n')
    rule = tmp_path / "r.rq"
    rule.write_text("CONSTRUCT { ?b <http://e/seen> true } WHERE { ?s <http://e/p> ?b }",
                    encoding="utf-8")
    dataset = load_dataset([path], tmp_path)
    apply_rules(dataset, [rule], tmp_path)
    view = dataset.view()  # taken before the release: it must not keep the old store alive
    before = set(dataset.store)
    dataset.release_store()
    assert dataset._store is None
    [node] = view.subjects(URIRef(E + "seen"))  # the lookup loads the store again
    assert isinstance(node, BNode) and set(dataset.store) == before


def test_spilled_n_triples_come_back_the_same_and_cannot_be_read_meanwhile(
        tmp_path: Path) -> None:
    first = write(tmp_path, "a.ttl", 'e:s e:p [ e:q "Corée" ] .\n')
    second = write(tmp_path, "b.ttl", "e:s e:r e:o .\n")
    dataset = load_dataset([first, second], tmp_path)
    chunks = dataset.chunks()
    with pytest.raises(RuntimeError, match="release the store"), dataset.spilled():
        pass
    dataset.release_store()
    with dataset.spilled():
        assert [part.nt for part in dataset.parts.values()] == [b"", b""]
        subject = URIRef(E + "s")
        for read in (dataset.chunks, lambda: dataset.store, lambda: dataset.files_of(subject)):
            with pytest.raises(RuntimeError, match="spilled"):
                read()
    assert dataset.chunks() == chunks
    assert dataset.files_of(subject) == ["a.ttl", "b.ttl"]
    assert len(dataset.store) == 3


def test_a_spill_that_cannot_be_written_keeps_the_n_triples(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = load_dataset([write(tmp_path, "a.ttl", "e:s e:r e:o .\n"),
                            write(tmp_path, "b.ttl", "e:s e:r e:p .\n")], tmp_path)
    chunks = dataset.chunks()
    dataset.release_store()

    class FullDisk:
        def __init__(self) -> None:
            self.written = 0

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *_exc: object) -> None:
            return None

        def write(self, data: bytes) -> None:
            self.written += 1
            if self.written == 2:
                raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", lambda **_kw: FullDisk())
    with pytest.raises(OSError, match="No space"), dataset.spilled():
        pass
    assert dataset.chunks() == chunks


# --- N-Triples for native code ------------------------------------------------------------------

def test_ascii_ntriples_escapes_other_characters_and_keeps_the_triples(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl", 'e:Corée e:nom "Corée du Nord\u00a0: « traité »"@fr , '
                 '"l’accord 😀" , "tab\\t and \\\\u00e9 stay as written" .\n'
                 'e:x e:p [ e:q "œ" ] .\n')
    dataset = load_dataset([path], tmp_path)
    text = ascii_ntriples(dataset.chunks())
    assert text.isascii()
    assert "\\u00E9" in text and "\\U0001F600" in text
    parsed = set(ox.parse(text.encode("ascii"), format=ox.RdfFormat.N_TRIPLES))
    assert parsed == set(ox.parse(dataset.nt(), format=ox.RdfFormat.N_TRIPLES))
    assert ascii_ntriples([]) == ""


# --- rules ------------------------------------------------------------------------------------

def test_rules_go_to_their_own_input_and_may_reuse_existing_blank_nodes(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl", "e:s e:p [ e:q 1 ] .\n")
    rule = tmp_path / "r.rq"
    rule.write_text("CONSTRUCT { ?b <http://e/seen> true } WHERE { ?s <http://e/p> ?b }",
                    encoding="utf-8")
    dataset = load_dataset([path], tmp_path)
    assert apply_rules(dataset, [rule], tmp_path).total == 1
    assert dataset.parts[DERIVED].triples == 1
    assert dataset.files_of(next(dataset.view().subjects(URIRef(E + "seen")))) == [
        DERIVED, "a.ttl"]


def test_a_rule_that_makes_up_blank_nodes_is_refused(tmp_path: Path) -> None:
    rule = tmp_path / "r.rq"
    rule.write_text("CONSTRUCT { ?s <http://e/new> [] } WHERE { ?s ?p ?o }", encoding="utf-8")
    dataset = load_dataset([write(tmp_path, "a.ttl", "e:s e:p 1 .\n")], tmp_path)
    with pytest.raises(KgError, match=r"^r\.rq: creates blank nodes"):
        apply_rules(dataset, [rule], tmp_path)


# --- against rdflib ---------------------------------------------------------------------------

def test_exports_from_the_dataset_equal_those_of_rdflib(tmp_path: Path) -> None:
    """The same files give the same graph through Oxigraph as through rdflib's parser."""
    files = sorted((REPO / "data").glob("*.ttl"))
    reference = Graph()
    for path in files:
        reference.parse(path, format="turtle", publicID=path.resolve().as_uri())
    export_graph(reference, tmp_path / "rdflib")
    _paths, count = export_ntriples(load_dataset(files, REPO).chunks(), tmp_path / "oxigraph")
    assert count == len(reference)
    for name, fmt in (("geokg.nt", "nt"), ("geokg.ttl", "turtle")):
        ours = Graph().parse(tmp_path / "oxigraph" / name, format=fmt)
        theirs = Graph().parse(tmp_path / "rdflib" / name, format=fmt)
        assert isomorphic(ours, theirs), name


def test_a_triple_in_two_files_is_exported_once(tmp_path: Path) -> None:
    a = write(tmp_path, "a.ttl", "e:x e:p 1 .\n")
    b = write(tmp_path, "b.ttl", "e:x e:p 1 .\n")
    dataset = load_dataset([a, b], tmp_path)
    assert dataset.triples == 2
    assert export_ntriples(dataset.chunks(), tmp_path / "out")[1] == 1


def test_an_input_cannot_be_added_twice() -> None:
    dataset = Dataset()
    dataset.add_ntriples("x", b'<http://e/s> <http://e/p> "o" .\n')
    with pytest.raises(KgError, match="x: loaded twice"):
        dataset.add_ntriples("x", b"")


def test_relabelling_touches_blank_nodes_only() -> None:
    nt = (b'_:a <http://e/p> "ends like a blank _:x" .\n'
          b'<http://e/s> <http://e/p> "_:y"@en .\n'
          b'<http://e/s> <http://e/p> "see _:z ." .\n'
          b'<http://e/s> <http://e/p> "_:w <http://e/p> x" .\n'
          b'<http://e/s> <http://e/q> _:b .\n'
          b'_:b <http://e/q> _:a .\n')
    assert relabel_blank_nodes(nt, "k") == (
        b'_:kn0 <http://e/p> "ends like a blank _:x" .\n'
        b'<http://e/s> <http://e/p> "_:y"@en .\n'
        b'<http://e/s> <http://e/p> "see _:z ." .\n'
        b'<http://e/s> <http://e/p> "_:w <http://e/p> x" .\n'
        b'<http://e/s> <http://e/q> _:kn1 .\n'
        b'_:kn1 <http://e/q> _:kn0 .\n')
