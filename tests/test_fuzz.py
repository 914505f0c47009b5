"""Property-based fuzzing (Hypothesis), seeded and bounded so that every run tries the same
examples: `kg validate` on random and mutated Turtle never ends in a traceback, and random
`--param` values for every catalogue parameter never change what a query means (bound as a term
locally, or written into the query text for a remote endpoint, the rows are the same) and never
end in a traceback. (Random kg:textFile paths: tests/test_source_paths.py.)"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.catalogue import load_catalogue
from kg.cli import main
from kg.errors import KgError
from kg.params import bind
from kg.remote import prepare_query
from kg.results import render
from kg.store import StoreBackend

pytestmark = pytest.mark.slow  # hundreds of generated inputs, each a validation or query

ROOT = Path(__file__).resolve().parent.parent
REPO = ROOT / "tests" / "fixtures" / "core" / "repo"
FUZZ = settings(derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def kg(*args: str) -> tuple[int, str, str]:
    """`kg ARGS` in this process: an exception other than those main turns into a message
    escapes, and fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


# --- kg validate on random and mutated Turtle ----------------------------------------------------

SEEDS = [path.read_text(encoding="utf-8") for path in (
    *sorted((REPO / "data").glob("*.ttl")), ROOT / "tests" / "fixtures" / "core" / "malformed.ttl",
    ROOT / "tests" / "fixtures" / "core" / "tricky-literals.ttl", ROOT / "data" / "dates.ttl")]
PIECES = ['"', "'", '"""', "<", ">", "<>", "@prefix", "@base", "PREFIX", ";", ",", ".", "[", "]",
          "(", ")", "_:b0", "a", "^^xsd:date", "^^xsd:integer", "@fr", "@", "\\", "\\u0000",
          "\\U0010FFFF", "\n", "\t", "#", "kg:", "kgr:x", "1e999", "-0", "true", "\ufeff", "\x00",
          "\u2028", 'kg:textFile "../../../etc/passwd"', "oa:start 999999999999999999999",
          'oa:exact ""', "a kg:Date", '"2024-02-30"^^xsd:date', "owl:sameAs", "rdf:nil"]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A seed document with a few random edits: a span deleted, duplicated or replaced, or
    Turtle syntax and random text inserted."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 5))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 60)))
        edit = draw(st.sampled_from(["delete", "duplicate", "insert", "replace"]))
        piece = draw(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)))
        if edit == "delete":
            text = text[:start] + text[end:]
        elif edit == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        elif edit == "insert":
            text = text[:start] + piece + text[start:]
        else:
            text = text[:start] + piece + text[end:]
    return text


DOCUMENTS = st.one_of(
    mutated().map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join).map(str.encode),
    st.binary(max_size=120),
    st.text(max_size=120).map(str.encode),
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz-validate") / "repo"
    shutil.copytree(REPO, target)
    return target


@settings(FUZZ, max_examples=150)
@given(document=DOCUMENTS)
def test_validate_never_ends_in_a_traceback(repo: Path, document: bytes) -> None:
    path = repo / "contrib.ttl"
    path.write_bytes(document)
    code, out, err = kg("--root", str(repo), "validate", "--alone", str(path))
    assert code in (0, 1, 2)
    if code == 0:
        assert out.endswith("ok: 1 file(s) valid\n") and err == ""
    else:
        assert err.startswith("kg: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in out + err


# --- random parameter values for every catalogue parameter ---------------------------------------

CATALOGUE = load_catalogue(ROOT)
PARAMS = [(entry, param) for entry in CATALOGUE for param in entry.params]
HOSTILE = ['" } UNION { ?s ?p ?o } #', "') } ; DROP ALL ; #", "x\" || true || \"", "*",
           "SELECT * { ?s ?p ?o }", "<urn:x> } UNION { ?s ?p ?o", "kgr:russia> } #",
           "\\u0022 } #", "'''", '"""', "\n} #\n", "?s", "$s", "kgr:russia", "kgr:north-korea",
           "<https://w3id.org/geokg/id/russia>", "coree", "Corée@fr"]
IRI_TEXT = st.from_regex(r"\A(<[a-z]{1,5}:[^\s]{0,30}>|kgr:[A-Za-z0-9_.-]{0,20}|"
                         r"https?://[^\s]{0,30})\Z")
VALUES = {
    "iri": st.one_of(st.sampled_from(HOSTILE), IRI_TEXT, st.text(max_size=30)),
    "string": st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30),
                        st.text(st.characters(categories=["Cs", "Ll", "Cc"]), max_size=6)),
    "date": st.one_of(st.dates().map(lambda day: day.isoformat()), st.sampled_from(HOSTILE),
                      st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"), st.text(max_size=12)),
}


def rows_of(document: str, ordered: bool) -> tuple[list[str], object]:
    parsed = json.loads(document)
    rows = [json.dumps(row, sort_keys=True) for row in parsed["results"]["bindings"]]
    return parsed["head"]["vars"], (rows if ordered else Counter(rows))


@settings(FUZZ, max_examples=100)
@given(data=st.data())
def test_random_parameter_values_never_change_a_query(backend: StoreBackend,
                                                      built_root: Path,
                                                      data: st.DataObject) -> None:
    entry, param = data.draw(st.sampled_from(PARAMS), label="parameter")
    raw = data.draw(VALUES[param.type], label="value")
    # the query's other required parameters at their examples, so that the value is judged
    given = {p.name: p.example for p in entry.params
             if p.required and p.name != param.name and p.example is not None}
    given[param.name] = raw
    code, out, err = kg("--root", str(built_root), "query", entry.name,
                        *(arg for name, value in given.items()
                          for arg in ("--param", f"{name}={value}")), "--format", "json")
    if code != 0:
        assert code == 2, err  # a value that is not of the parameter's type, or not UTF-8
        assert err.startswith((f"kg: error: parameter {param.name!r}: ", "kg: error: --param "))
        return
    # The same query as a remote endpoint receives it: the value written into its text.
    bindings = bind(entry.params, given, entry.origin)
    try:
        sent = backend.select(prepare_query(entry.text, bindings), {})
    except KgError as exc:  # the text could not be confirmed: refused, never sent
        pytest.fail(f"{entry.name} {param.name}={raw!r}: {exc.message}")
    ordered = bool(re.search(r"\bORDER\s+BY\b", entry.body, re.IGNORECASE))
    assert rows_of(out, ordered) == rows_of(render(sent, "json"), ordered)
