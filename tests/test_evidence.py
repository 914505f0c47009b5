"""Locating quotes and checking evidence selectors against stored texts."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.backend import OxTerm
from kg.dataset import load_dataset
from kg.errors import KgError
from kg.evidence import (
    NotFound,
    check_evidence,
    format_evidence_problems,
    locate,
    nearest_passage,
    typography_hint,
)
from kg.namespaces import OA
from kg.vocab import Namespace

KGR = Namespace("kgr")

FIXTURES = Path(__file__).parent / "fixtures" / "core"
TEXT = (FIXTURES / "repo" / "data" / "sources" / "statement.txt").read_bytes().decode("utf-8")
QUOTE = "Nous n\u2019abandonnerons pas nos alliés"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "repo", target)
    return target


def load(repo: Path) -> tuple[ox.Store, Callable[[OxTerm], list[str]]]:
    """The fixture's data as the build checks it: a dataset's store and its files_of."""
    dataset = load_dataset(sorted((repo / "data").glob("*.ttl")), repo)
    return dataset.store, dataset.files_of


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- locate -----------------------------------------------------------------------------------

def test_locate_gives_code_point_offsets_and_context() -> None:
    [sel] = locate(TEXT, QUOTE)
    assert (sel.start, sel.end) == (55, 90)
    assert TEXT[sel.start:sel.end] == sel.exact == QUOTE
    assert sel.prefix == " 2024.\nThe spokesperson said: «\u202f"
    assert len(sel.prefix) == 32
    assert sel.suffix == "\u202f».\nHe added that the 1961 treat"


def test_locate_clips_context_at_text_bounds() -> None:
    [first] = locate(TEXT, "Press briefing")
    assert (first.start, first.prefix) == (0, "")
    [last] = locate(TEXT, "cookies?\n")
    assert last.end == len(TEXT) and last.suffix == ""
    [short] = locate("abcdef", "cd", context=1)
    assert (short.prefix, short.suffix) == ("b", "e")


def test_locate_reports_every_occurrence_or_the_one_asked() -> None:
    text = "no, no and no"
    assert [s.start for s in locate(text, "no")] == [0, 4, 11]
    [second] = locate(text, "no", occurrence=2)
    assert (second.start, second.prefix, second.suffix) == (4, "no, ", " and no")
    with pytest.raises(KgError, match="occurs 3 time"):
        locate(text, "no", occurrence=4)


def test_turtle_snippet_parses_back_to_the_same_strings() -> None:
    [sel] = locate(TEXT, QUOTE)
    snippet = sel.turtle()
    assert "\\u202F" in snippet  # a no-break space is visible in the snippet
    doc = ("@prefix oa: <http://www.w3.org/ns/oa#> .\n"
           "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<http://e/ev>\n"
           + snippet.rstrip().rstrip(";") + ".\n")
    graph = Graph().parse(data=doc, format="turtle")
    values = {str(p).rsplit("#")[-1]: str(o) for _, p, o in graph
              if str(p).startswith("http://www.w3.org/ns/oa#") and "hasSelector" not in str(p)}
    assert values == {"exact": QUOTE, "prefix": sel.prefix, "suffix": sel.suffix,
                      "start": "55", "end": "90"}
    starts = list(graph.objects(None, OA.start))
    assert [str(lit.datatype) for lit in starts] == [
        "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"]


def test_plain_space_for_no_break_space_is_not_found_with_hint() -> None:
    typed = "Press briefing, 18 June 2024."
    with pytest.raises(NotFound) as info:
        locate(TEXT, typed)
    err = info.value
    assert err.exit_code == 1
    assert err.nearest is not None
    assert (err.nearest.start, err.nearest.end) == (0, len(typed))
    assert err.nearest.text == "Press briefing, 18\u00a0June 2024."
    assert "only in whitespace" in err.hint
    assert "typed U+0020 SPACE, text has U+00A0 NO-BREAK SPACE" in err.hint


def test_apostrophe_and_quote_mark_hints() -> None:
    with pytest.raises(NotFound) as info:
        locate(TEXT, "Nous n'abandonnerons")
    assert "only in apostrophe" in info.value.hint
    assert "U+2019 RIGHT SINGLE QUOTATION MARK" in info.value.hint
    with pytest.raises(NotFound) as info:
        locate(TEXT, 'treaty "remains in force"')
    assert "only in quote mark" in info.value.hint
    assert "U+201C LEFT DOUBLE QUOTATION MARK" in info.value.hint


def test_guillemets_typed_as_straight_quotes_get_a_quote_mark_hint() -> None:
    hint = typography_hint('"\u202fNous', "«\u202fNous")
    assert hint is not None and "quote mark" in hint and "U+00AB" in hint


def test_nearest_passage_finds_a_typo_in_a_long_text_quickly() -> None:
    filler = "".join(f"Paragraph {i} says little of interest about trade. " for i in range(3000))
    target = "The minister declared the border crossing would reopen on Monday."
    text = filler[:60000] + target + filler[60000:]
    typo = "The minister declared the border crosing would re-open on Monday."
    begin = time.perf_counter()
    passage = nearest_passage(text, typo)
    assert time.perf_counter() - begin < 2.0
    assert passage is not None
    assert abs(passage.start - 60000) <= 2
    assert passage.ratio > 0.9


def test_nothing_similar_gives_no_passage() -> None:
    with pytest.raises(NotFound) as info:
        locate(TEXT, "zzzz qqqq xxxx")
    assert info.value.nearest is None


# --- check_evidence ---------------------------------------------------------------------------

def test_clean_fixture_has_no_problems(repo: Path) -> None:
    store, files_of = load(repo)
    assert check_evidence(store, repo, files_of) == []


def test_plain_space_in_prefix_is_caught(repo: Path) -> None:
    edit(repo / "data" / "relations.ttl", 'oa:prefix " 2024.\\nThe spokesperson said: «\\u202F"',
         'oa:prefix " 2024.\\nThe spokesperson said: « "')
    store, files_of = load(repo)
    [problem] = check_evidence(store, repo, files_of)
    assert problem.kind == "prefix"
    assert problem.node == KGR["evidence-alliance-holds"]
    assert problem.claims == [KGR["claim-alliance-holds"]]
    assert problem.data_files == ["data/relations.ttl"]
    assert problem.expected.endswith("« ") and problem.found.endswith("«\u202f")
    assert "U+202F NARROW NO-BREAK SPACE" in problem.hint


def test_quote_typed_with_plain_space_is_caught_with_nearest_passage(repo: Path) -> None:
    edit(repo / "data" / "sources.ttl", 'oa:exact "the two states’ cooperation would deepen"',
         'oa:exact "the two states\' cooperation would deepen"')
    store, files_of = load(repo)
    [problem] = check_evidence(store, repo, files_of)
    assert problem.kind == "quote"
    assert problem.claims == [KGR["claim-cooperation"]]
    assert problem.found == "the two states’ cooperation would deepen"
    assert (problem.nearest.start, problem.nearest.end) == (152, 192)
    assert "only in apostrophe" in problem.hint
    report = format_evidence_problems([problem])
    assert report.splitlines()[0] == "data/sources.ttl"
    assert "kgr:evidence-cooperation: oa:exact does not occur in the text" in report
    assert "claim(s): kgr:claim-cooperation" in report


def test_no_break_space_typed_as_space_in_exact_is_caught(repo: Path) -> None:
    path = repo / "data" / "extra.ttl"
    path.write_text("""@prefix kg: <https://w3id.org/geokg/ontology#> .
@prefix kgr: <https://w3id.org/geokg/id/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
kgr:evidence-date oa:hasSource kgr:doc-briefing ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "18 June 2024" ] ,
                   [ a oa:TextPositionSelector ; oa:start 16 ; oa:end 28 ] .
""", encoding="utf-8")
    store, files_of = load(repo)
    [problem] = check_evidence(store, repo, files_of)
    assert problem.kind == "quote" and problem.data_files == ["data/extra.ttl"]
    assert problem.found == "18\u00a0June 2024"
    assert "typed U+0020 SPACE, text has U+00A0 NO-BREAK SPACE" in problem.hint


def test_wrong_offsets_are_caught_and_the_right_ones_suggested(repo: Path) -> None:
    edit(repo / "data" / "relations.ttl", '"55"^^xsd:nonNegativeInteger ;\n        oa:end "90"',
         '"56"^^xsd:nonNegativeInteger ;\n        oa:end "91"')
    store, files_of = load(repo)
    [problem] = check_evidence(store, repo, files_of)
    assert problem.kind == "offsets"
    assert problem.expected == QUOTE
    assert problem.found == TEXT[56:91]
    assert problem.hint == "the quote occurs at start=55 end=90"


def test_offsets_outside_the_text_are_caught(repo: Path) -> None:
    edit(repo / "data" / "relations.ttl", 'oa:end "90"', 'oa:end "9000"')
    store, files_of = load(repo)
    [problem] = check_evidence(store, repo, files_of)
    assert problem.kind == "offsets" and "outside the text" in problem.message


def test_wrong_suffix_is_caught(repo: Path) -> None:
    edit(repo / "data" / "sources.ttl", 'oa:suffix ".\\nCookie banner: accept all cook"',
         'oa:suffix ". Cookie banner"')
    store, files_of = load(repo)
    [problem] = check_evidence(store, repo, files_of)
    assert problem.kind == "suffix"
    assert problem.found == ".\nCookie banner"


def test_quote_in_noise_span_is_caught(repo: Path) -> None:
    edit(repo / "data" / "sources.ttl", 'oa:start "194"', 'oa:start "180"')
    store, files_of = load(repo)
    [problem] = check_evidence(store, repo, files_of)
    assert problem.kind == "noise"
    assert "start=180 end=228" in problem.message


def test_changed_source_text_fails_the_checksum(repo: Path) -> None:
    path = repo / "data" / "sources" / "statement.txt"
    path.write_bytes(path.read_bytes() + b"appended\n")
    store, files_of = load(repo)
    [problem] = check_evidence(store, repo, files_of)
    assert problem.kind == "sha256"
    assert problem.node == KGR["doc-briefing"]
    assert problem.expected.startswith("45c008af")


def test_missing_source_text_is_reported_once(repo: Path) -> None:
    (repo / "data" / "sources" / "statement.txt").unlink()
    store, files_of = load(repo)
    [problem] = check_evidence(store, repo, files_of)
    assert problem.kind == "text-file"
    assert "data/sources/statement.txt: no such file" in problem.message


def test_text_is_not_normalised(tmp_path: Path) -> None:
    # CRLF counts as two code points: offsets are over the stored text as is.
    text_path = tmp_path / "data" / "sources" / "crlf.txt"
    text_path.parent.mkdir(parents=True)
    text_path.write_bytes("a\r\nb caf\u00e9 c".encode())
    (tmp_path / "ev.ttl").write_text("""@prefix kg: <https://w3id.org/geokg/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
<http://e/doc> kg:textFile "data/sources/crlf.txt" .
<http://e/ev> oa:hasSource <http://e/doc> ; oa:hasSelector
    [ a oa:TextQuoteSelector ; oa:exact "caf\u00e9" ; oa:prefix "a\\r\\nb " ] ,
    [ a oa:TextPositionSelector ; oa:start 5 ; oa:end 9 ] .
""", encoding="utf-8")
    dataset = load_dataset([tmp_path / "ev.ttl"], tmp_path)
    assert check_evidence(dataset.store, tmp_path, dataset.files_of) == []


def _quote_only(tmp_path: Path, text: str, selector: str) -> list:
    (tmp_path / "data" / "sources").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "sources" / "t.txt").write_text(text, encoding="utf-8")
    (tmp_path / "ev.ttl").write_text(f"""@prefix kg: <https://w3id.org/geokg/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
<http://e/doc> kg:textFile "data/sources/t.txt" .
<http://e/claim> kg:hasEvidence <http://e/ev> .
<http://e/ev> oa:hasSource <http://e/doc> ;
    oa:hasSelector [ a oa:TextQuoteSelector ; {selector} ] .
""", encoding="utf-8")
    dataset = load_dataset([tmp_path / "ev.ttl"], tmp_path)
    return check_evidence(dataset.store, tmp_path, dataset.files_of)


def test_quote_selector_alone_is_placed_by_prefix_and_suffix(tmp_path: Path) -> None:
    text = "yes we can; no we can; yes we can"
    assert _quote_only(tmp_path, text, 'oa:exact "we can" ; oa:prefix "no "') == []
    [problem] = _quote_only(tmp_path, text, 'oa:exact "we can" ; oa:prefix "yes "')
    assert problem.kind == "ambiguous" and problem.hint == "occurrences at start=4, start=27"
    [problem] = _quote_only(tmp_path, text, 'oa:exact "no we" ; oa:prefix "yes "')
    assert problem.kind == "prefix" and problem.found == "an; "
