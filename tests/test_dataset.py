"""The build's working data (kg.dataset): parsing, exact literals, blank nodes, lookups."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from kg.dataset import DERIVED, Dataset, ascii_ntriples, load_dataset
from kg.errors import KgError
from kg.export import export_ntriples
from kg.rules import apply_rules
from kg.skolem import GENID, is_skolem

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

def test_blank_nodes_are_skolem_iris_the_same_every_time_and_apart_across_files(
        tmp_path: Path) -> None:
    a = write(tmp_path, "a.ttl", "e:s e:p _:x , [ e:q 1 ] . _:x e:q 2 .\n")
    b = write(tmp_path, "b.ttl", "e:t e:p _:x . _:x e:q 3 .\n")
    first, second = load_dataset([a, b], tmp_path), load_dataset([a, b], tmp_path)
    assert first.nt() == second.nt()
    assert b"_:" not in first.nt()
    objects = [q.object for q in first.store.quads_for_pattern(None, ox.NamedNode(E + "p"), None)]
    assert len(set(objects)) == 3 and all(is_skolem(o) for o in objects)  # b's _:x is another


def test_triples_added_in_python_are_kept(tmp_path: Path) -> None:
    dataset = Dataset()
    s, p = ox.NamedNode(E + "s"), ox.NamedNode(E + "p")
    dataset.add_triples("(hook)", [ox.Triple(s, p, ox.Literal("x")), ox.Triple(s, p, s)])
    assert dataset.parts["(hook)"].triples == 2 and len(dataset.store) == 2


# --- lookups ----------------------------------------------------------------------------------

def test_files_of_lists_every_file_that_states_a_subject(tmp_path: Path) -> None:
    b = write(tmp_path, "b.ttl", "e:x e:p 1 .\n")
    a = write(tmp_path, "a.ttl", "e:x e:q 2 . e:y e:p e:x .\n")
    dataset = load_dataset([b, a], tmp_path)
    assert dataset.files_of(ox.NamedNode(E + "x")) == ["a.ttl", "b.ttl"]
    assert dataset.files_of(ox.NamedNode(E + "nothing")) == []
    assert dataset.files_of(ox.Literal("1")) == []


def test_a_skolem_iri_in_the_store_is_the_one_in_the_n_triples(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl", "e:s e:p [ e:q 1 ] .\n")
    dataset = load_dataset([path], tmp_path)
    [quad] = dataset.store.quads_for_pattern(ox.NamedNode(E + "s"), ox.NamedNode(E + "p"), None)
    assert is_skolem(quad.object)
    assert f"{quad.object} <http://e/q>" in dataset.nt().decode()
    assert dataset.files_of(quad.object) == ["a.ttl"]


def test_a_released_store_is_loaded_again_when_asked_with_the_derived_triples(
        tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl",
                 'e:s e:p [ e:q "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> ] .\n')
    rule = tmp_path / "r.rq"
    rule.write_text("CONSTRUCT { ?b <http://e/seen> true } WHERE { ?s <http://e/p> ?b }",
                    encoding="utf-8")
    dataset = load_dataset([path], tmp_path)
    apply_rules(dataset, [rule], tmp_path)
    before = set(dataset.store)
    dataset.release_store()
    assert dataset._store is None
    assert set(dataset.store) == before  # loaded again, the derived triple included
    assert len(list(dataset.store.quads_for_pattern(None, ox.NamedNode(E + "seen"), None))) == 1


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
        subject = ox.NamedNode(E + "s")
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

def test_rules_go_to_their_own_input_and_may_use_the_inputs_skolem_iris(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl", "e:s e:p [ e:q 1 ] .\n")
    rule = tmp_path / "r.rq"
    rule.write_text("CONSTRUCT { ?b <http://e/seen> true } WHERE { ?s <http://e/p> ?b }",
                    encoding="utf-8")
    dataset = load_dataset([path], tmp_path)
    assert apply_rules(dataset, [rule], tmp_path).total == 1
    assert dataset.parts[DERIVED].triples == 1
    [seen] = dataset.store.quads_for_pattern(None, ox.NamedNode(E + "seen"), None)
    assert is_skolem(seen.subject)
    assert dataset.files_of(seen.subject) == [DERIVED, "a.ttl"]


def test_a_rule_adds_each_new_triple_once_and_nothing_an_input_states(tmp_path: Path) -> None:
    rule = tmp_path / "r.rq"
    rule.write_text("CONSTRUCT { ?s <http://e/p> 1 . ?s <http://e/q> 2 } WHERE { ?s ?p ?o }",
                    encoding="utf-8")
    dataset = load_dataset([write(tmp_path, "a.ttl", "e:s e:p 1 ; e:r 3 , 4 .\n")], tmp_path)
    run = apply_rules(dataset, [rule], tmp_path)
    assert (run.total, run.rounds) == (1, 2)  # the second round makes the same: looks up nothing
    assert dataset.parts[DERIVED].nt == (b'<http://e/s> <http://e/q> '
                                         b'"2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')


def test_a_rule_that_makes_up_blank_nodes_is_refused(tmp_path: Path) -> None:
    rule = tmp_path / "r.rq"
    rule.write_text("CONSTRUCT { ?s <http://e/new> [] } WHERE { ?s ?p ?o }", encoding="utf-8")
    dataset = load_dataset([write(tmp_path, "a.ttl", "e:s e:p 1 .\n")], tmp_path)
    with pytest.raises(KgError, match=r"^r\.rq: creates blank nodes"):
        apply_rules(dataset, [rule], tmp_path)


# --- against rdflib ---------------------------------------------------------------------------

def unskolemized(graph: Graph) -> Graph:
    """`graph` with its skolem IRIs turned back into blank nodes."""
    def term(node):  # type: ignore[no-untyped-def]
        return BNode(node[len(GENID):]) if str(node).startswith(GENID) else node
    result = Graph()
    for s, p, o in graph:
        result.add((term(s), p, term(o)))
    return result


def test_exports_from_the_dataset_are_rdflibs_parse_of_the_files(tmp_path: Path) -> None:
    """The same files give the same graph through Oxigraph (and the skolem names) as through
    rdflib's parser."""
    files = sorted((REPO / "data").glob("*.ttl"))
    reference = Graph()
    for path in files:
        reference.parse(path, format="turtle", publicID=path.resolve().as_uri())
    assert any(isinstance(o, BNode) for o in reference.objects())
    _paths, count = export_ntriples(load_dataset(files, REPO).chunks(), tmp_path)
    assert count == len(reference)
    for name, fmt in (("geokg.nt", "nt"), ("geokg.ttl", "turtle")):
        ours = Graph().parse(tmp_path / name, format=fmt)
        assert isomorphic(unskolemized(ours), reference), name


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
