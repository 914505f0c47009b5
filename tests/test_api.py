"""The Python API (`import kg`; kg.api): the catalogue, typed parameters, rows, DataFrames."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from sparql_server import OxigraphServer, without_credentials

import kg
from kg.api import Result, python_value
from kg.backend import OxTerm, SelectResult
from kg.catalogue import load_catalogue
from kg.cli import main
from kg.prefixes import PREFIXES
from kg.remote import push
from kg.results import format_table

ROOT = Path(__file__).resolve().parent.parent
XSD = PREFIXES["xsd"]
HEAVY = ("pyoxigraph", "pandas", "numpy", "rdflib", "pyshacl", "SPARQLWrapper")


def typed(text: str, datatype: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))


def imported_after(code: str) -> list[str]:
    """The kg modules and heavy libraries a fresh interpreter holds after running `code`."""
    probe = f"import sys\n{code}\nprint(*sorted(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, check=True)
    return [m for m in done.stdout.split() if m.split(".")[0] in ("kg", *HEAVY)]


def test_import_kg_loads_nothing_heavy_until_the_api_is_used() -> None:
    assert imported_after("import kg") == ["kg"]
    after = imported_after("import kg\nkg.queries")
    assert "kg.api" in after and "pyoxigraph" in after
    assert not [m for m in after if m.split(".")[0] in ("pandas", "numpy", "rdflib", "pyshacl")]


def test_the_package_names_its_api() -> None:
    assert {"queries", "query", "Result", "QueryInfo", "Param", "KgError"} <= set(dir(kg))
    assert kg.KgError is __import__("kg.errors").errors.KgError
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        kg.nothing  # noqa: B018 - the attribute access is the test


# --- the catalogue ----------------------------------------------------------------------------

def test_queries_gives_the_catalogue_with_titles_and_parameters() -> None:
    found = kg.queries(ROOT)
    assert [q.name for q in found] == [e.name for e in load_catalogue(ROOT)]
    treaties = {q.name: q for q in found}["treaties-between"]
    assert treaties.title == "Treaties between two states, as of a date"
    assert treaties.description.startswith("Which treaties")
    assert treaties.file == "queries/treaties-between.rq"
    assert "kg query treaties-between --param asOf=1990-01-01" in treaties.examples
    as_of = {p.name: p for p in treaties.params}["asOf"]
    assert (as_of.type, as_of.required, as_of.default) == ("date", False, "2024-06-19")
    assert treaties.sparql.startswith("PREFIX") and "# title:" not in treaties.sparql
    assert "sparql=" not in repr(treaties)


# --- running a query --------------------------------------------------------------------------

def test_rows_are_dicts_of_python_values(built_root: Path) -> None:
    found = kg.query("treaties-between", asOf=date(1990, 1, 1), root=built_root)
    assert isinstance(found, kg.Result) and len(found) == 3
    first = found[0]
    assert first["treaty"] == "kgr:treaty-1961-ussr-dprk"
    assert (first["partyA"], first["partyB"]) == ("kgr:soviet-union", "kgr:north-korea")
    assert (first["start"], first["startPrecision"]) == (date(1961, 7, 6), "kgv:day")
    assert first["asOf"] == date(1990, 1, 1)
    assert list(found) == list(found.rows) and found[1:2] == found.rows[1:2]
    assert found.variables[:5] == ("a", "b", "asOf", "knownOn", "treaty")
    assert found.params == ("a", "b", "asOf", "knownOn")
    assert "knownOn" not in first  # an optional parameter left unbound
    assert repr(found) == "<kg.Result treaties-between: 3 rows, 25 variables>"


def test_a_value_from_a_row_or_a_dataframe_goes_back_in_as_a_parameter(built_root: Path) -> None:
    as_text = kg.query("treaties-between", asOf="1990-01-01", root=built_root).rows
    assert kg.query("treaties-between", asOf=date(1990, 1, 1), root=built_root).rows == as_text
    midnight = datetime(1990, 1, 1)  # what a DataFrame's date column holds (a Timestamp)
    assert kg.query("treaties-between", asOf=midnight, root=built_root).rows == as_text
    actor = kg.query("timeline", root=built_root)[0]["a"]
    assert actor == "kgr:russia"
    assert kg.query("timeline", a=actor, b=None, root=built_root).rows == (
        kg.query("timeline", root=built_root).rows)


@pytest.mark.parametrize(("params", "cli"), [
    ({"asOf": "1990-13-01"}, ["--param", "asOf=1990-13-01"]),
    ({"asOf": "yesterday"}, ["--param", "asOf=yesterday"]),
    ({"asOf": datetime(1990, 1, 1, 12)}, ["--param", "asOf=1990-01-01T12:00:00"]),
    ({"since": "1990-01-01"}, ["--param", "since=1990-01-01"]),
])
def test_parameters_are_checked_as_the_cli_checks_them(
        built_root: Path, capsys: pytest.CaptureFixture[str], params: dict[str, object],
        cli: list[str]) -> None:
    code = main(["--root", str(built_root), "query", "treaties-between", *cli])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("kg: error: ")
    with pytest.raises(kg.KgError) as raised:
        kg.query("treaties-between", params, root=built_root)
    assert raised.value.message == err.removeprefix("kg: error: ").rstrip("\n")


def test_wrong_calls_get_clear_errors(built_root: Path) -> None:
    with pytest.raises(kg.KgError, match="missing required parameter 'node'"):
        kg.query("claims", root=built_root)
    with pytest.raises(kg.KgError, match="parameter 'node' is given twice"):
        kg.query("claims", {"node": "kgr:russia"}, node="kgr:russia", root=built_root)
    with pytest.raises(TypeError, match="parameter 'asOf': a float cannot be given"):
        kg.query("treaties-between", asOf=1990.0, root=built_root)
    with pytest.raises(kg.KgError, match="no query 'timelines' in queries/; did you mean timeline"):
        kg.query("timelines", root=built_root)

def test_a_query_needs_a_build(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "queries", tmp_path / "queries")
    with pytest.raises(kg.KgError, match="build/store not found: run kg build first"):
        kg.query("timeline", root=tmp_path)


def test_a_query_file_whose_parameter_shares_a_keyword_name(built_root: Path,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "named.rq"
    path.write_text("# param: root  iri  required  -- a node\n"
                    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                    "SELECT ?root ?label WHERE { ?root rdfs:label ?label "
                    'FILTER (lang(?label) = "en") }\n',
                    encoding="utf-8")
    found = kg.query(path, {"root": "kgr:russia"}, root=built_root)
    assert found.name == "named" and found.rows == ({"root": "kgr:russia", "label": "Russia"},)


def test_an_ask_query_answers_with_a_boolean(built_root: Path, tmp_path: Path) -> None:
    path = tmp_path / "ask.rq"
    path.write_text("# param: state  iri  required  -- a state\n"
                    "ASK { ?state a kg:State }\n", encoding="utf-8")
    yes = kg.query(path, state="kgr:russia", root=built_root)
    assert (yes.boolean, len(yes), str(yes), repr(yes)) == (True, 0, "true\n",
                                                           "<kg.Result ask: true>")
    assert kg.query(path, state="kgr:nowhere", root=built_root).boolean is False
    with pytest.raises(kg.KgError, match="ask is an ASK query: its answer is .boolean"):
        yes.to_pandas()


def test_print_and_the_notebook_show_the_table_of_kg_query(built_root: Path) -> None:
    found = kg.query("treaties-between", asOf="1990-01-01", root=built_root)
    assert str(found) == format_table(found._answer, hidden=["a", "b", "asOf", "knownOn"])
    assert "1961-07-06 (day)" in str(found) and "asOf" not in str(found)
    page = found._repr_html_()
    assert page.startswith("<table><thead><tr><th>treaty</th><th>partyA</th>")
    assert "<td>1961-07-06 (day)</td>" in page and page.endswith("treaties-between: 3 rows</p>")
    hostile = Result("x", SelectResult(["v"], [{"v": ox.Literal("<b>&")}]))
    assert "<td>&lt;b&gt;&amp;</td>" in hostile._repr_html_()


# --- values -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("term", "expected"), [
    (ox.NamedNode(PREFIXES["kgr"] + "russia"), "kgr:russia"),
    (ox.NamedNode("http://example.org/a/b"), "http://example.org/a/b"),
    (ox.NamedNode(PREFIXES["kgr"] + "a/b"), PREFIXES["kgr"] + "a/b"),
    (ox.BlankNode("b0"), "_:b0"),
    (ox.Literal("Corée", language="fr"), "Corée"),
    (ox.Literal("text"), "text"),
    (typed("42", "integer"), 42),
    (typed("7", "nonNegativeInteger"), 7),
    (typed("2.50", "decimal"), Decimal("2.50")),
    (typed("1.5E0", "double"), 1.5),
    (typed("true", "boolean"), True),
    (typed("0", "boolean"), False),
    (typed("2024-06-19", "date"), date(2024, 6, 19)),
    (typed("1500-01-01", "date"), date(1500, 1, 1)),
    (typed("2024-06-19T10:30:00", "dateTime"), datetime(2024, 6, 19, 10, 30)),
    (typed("2024-06-19Z", "date"), "2024-06-19Z"),  # a time zone: kept as written
    (typed("1961", "gYear"), "1961"),
    (typed("many", "integer"), "many"),  # ill-typed: kept as written
])
def test_terms_become_python_values(term: ox.NamedNode | ox.BlankNode | ox.Literal,
                                    expected: object) -> None:
    found = python_value(term)
    assert found == expected and type(found) is type(expected)


# --- DataFrames -------------------------------------------------------------------------------

def synthetic() -> Result:
    """Dates (one before pandas' nanosecond range), whole numbers, booleans, gaps."""
    day, whole, flag = (typed("1500-03-01", "date"), typed("3", "integer"),
                        typed("true", "boolean"))
    rows: list[dict[str, OxTerm]] = [
        {"day": day, "whole": whole, "flag": flag, "text": ox.Literal("a")}, {}]
    return Result("synthetic", SelectResult(["day", "whole", "flag", "text", "none"], rows))


def test_to_pandas_types_the_columns_and_parses_dates(built_root: Path) -> None:
    pandas = pytest.importorskip("pandas")
    frame = synthetic().to_pandas()
    assert list(frame.columns) == ["day", "whole", "flag", "text", "none"]
    assert str(frame["day"].dtype) == "datetime64[s]"
    assert frame["day"][0] == pandas.Timestamp("1500-03-01") and frame["day"].isna()[1]
    assert str(frame["whole"].dtype) == "Int64" and frame["whole"][0] == 3
    assert str(frame["flag"].dtype) == "boolean" and bool(frame["flag"][0])
    assert frame["whole"].isna()[1] and frame["flag"].isna()[1] and frame["none"].isna().all()
    timeline = kg.query("timeline", a="kgr:north-korea", b="kgr:russia", root=built_root)
    frame = timeline.to_pandas()
    assert len(frame) == len(timeline) and list(frame.columns) == list(timeline.variables)
    assert str(frame["date"].dtype) == "datetime64[s]"
    assert frame["date"][0] == pandas.Timestamp(timeline[0]["date"])
    assert frame["datePrecision"][0] == timeline[0]["datePrecision"]
    empty = kg.query("label-search", term="no such label", root=built_root).to_pandas()
    assert len(empty) == 0 and list(empty.columns) == ["term", "node", "label", "lang", "name"]


def test_without_pandas_rows_work_and_to_pandas_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, built_root: Path) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` fails as if not installed
    found = kg.query("treaties-between", asOf="1990-01-01", root=built_root)
    assert found[0]["start"] == date(1961, 7, 6)
    with pytest.raises(ImportError, match=r"needs pandas: pip install pandas"):
        found.to_pandas()


# --- on an endpoint ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, built_root: Path) -> Iterator[str]:
    """The query URL of a real SPARQL server holding the built graph."""
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph")) as running:
        with pytest.MonkeyPatch.context() as patch:
            for name in ("KG_SPARQL_USER", "KG_SPARQL_PASSWORD"):
                patch.delenv(name, raising=False)
            patch.setenv("HOME", str(running.location))  # no ~/.netrc of the developer's
            assert push(built_root / "build" / "geokg.nt", running.store_url,
                        replace=True).verified
            yield running.query_url


@pytest.mark.parametrize(("name", "params"), [
    ("treaties-between", {"asOf": date(1990, 1, 1)}),
    ("timeline", {"a": "kgr:north-korea", "b": "kgr:russia"}),
])
def test_an_endpoint_gives_the_rows_of_the_local_store(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, built_root: Path, endpoint: str,
        name: str, params: dict[str, object]) -> None:
    without_credentials(monkeypatch, tmp_path)
    local = kg.query(name, params, root=built_root)
    remote = kg.query(name, params, endpoint=endpoint, timeout=30, root=built_root)
    assert remote.variables == local.variables and len(local) > 0
    assert unordered(remote.rows) == unordered(local.rows)


# The lists treaties-between aggregates (GROUP_CONCAT), in an order SPARQL does not fix.
AGGREGATED = {"signatories": ", ", "obligations": "; ", "disclosure": "; "}


def unordered(rows: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """The rows with each aggregated list as a sorted tuple of its items."""
    return [{key: tuple(sorted(value.split(AGGREGATED[key])))
             if key in AGGREGATED and isinstance(value, str) else value
             for key, value in row.items()} for row in rows]
