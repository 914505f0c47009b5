"""Remote stores: `kg push` and `kg query --endpoint` against a real Oxigraph server on 127.0.0.1,
every catalogue example compared with the local store; failures against a stub server; the
binding of parameters into the query text."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from remote_answers import EXAMPLES, same_answers
from sparql_server import OxigraphServer, Reply, Stub, free_port, without_credentials

from bench.answers import concatenated
from kg import __version__
from kg.cli import main
from kg.errors import KgError
from kg.prefixes import PREFIXES
from kg.remote import (
    RemoteBackend,
    find_credentials,
    graph_store_url,
    mask_url,
    prepare_query,
    push,
    query_endpoint_for,
    read_results,
)
from kg.store import open_store, store_path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "core"
PASSWORD = "s3cr3t-Pa55"
KGR_A = ox.NamedNode(PREFIXES["kgr"] + "a")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def root(built_root: Path) -> Path:
    """The session's built repository graph: build/geokg.nt and build/store (conftest)."""
    return built_root


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Iterator[OxigraphServer]:
    """A real SPARQL server holding the pushed graph (in its default graph)."""
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph")) as running:
        with pytest.MonkeyPatch.context() as patch:  # no credentials of the developer's
            without_credentials(patch, running.location)
            report = push(root / "build" / "geokg.nt", running.store_url, replace=True)
        assert report.verified, report.format()
        yield running


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials unless a test sets them: no variables, and a HOME without ~/.netrc."""
    without_credentials(monkeypatch, tmp_path)


# --- the same answers remotely as locally ------------------------------------------------------

@pytest.mark.parametrize(("entry", "example"), EXAMPLES)
def test_every_catalogue_example_answers_the_same_remotely(
    capsys: pytest.CaptureFixture[str], root: Path, server: OxigraphServer,
    entry: object, example: str,
) -> None:
    assert same_answers(capsys, root, entry, example, server.query_url)


def test_the_catalogue_has_examples() -> None:
    assert len(EXAMPLES) >= len(list((ROOT / "queries").glob("*.rq")))


def test_the_lists_are_found_with_their_separators_also_through_functions() -> None:
    # Two engines may join a list's values in another order: the comparison sorts them, and
    # must find each list, also where it passes through functions before its name.
    assert concatenated('(GROUP_CONCAT(?x; separator=", ") AS ?names)') == {"names": ", "}
    text = (ROOT / "queries" / "treaties-between.rq").read_text(encoding="utf-8")
    assert concatenated(text) == {"signatories": ", ", "obligations": "; ",
                                  "disclosure": "; "}


def test_push_cli_replaces_and_reports_the_counts(
    capsys: pytest.CaptureFixture[str], root: Path, server: OxigraphServer
) -> None:
    local = sum(1 for _ in (root / "build" / "geokg.nt").open(encoding="utf-8"))
    code, out, err = run(capsys, "--root", str(root), "push", "--endpoint", server.store_url,
                         "--replace")
    assert (code, err) == (0, "")
    assert out == (f"pushed {local} triples: replaced the default graph at {server.store_url}\n"
                   f"remote count {local} = local {local} ({server.query_url}): OK\n")


def test_push_to_a_named_graph_and_merge(
    capsys: pytest.CaptureFixture[str], root: Path, server: OxigraphServer
) -> None:
    args = ("--root", str(root), "push", "--endpoint", server.store_url, "--graph", "kgr:graph")
    code, out, _ = run(capsys, *args, "--replace")
    assert code == 0 and "replaced graph <https://w3id.org/geokg/id/graph>" in out
    for _ in range(2):  # merged again, twice: the build's blank nodes have the same names
        code, out, _ = run(capsys, *args)
        assert code == 0 and "merged into graph" in out and out.endswith(": OK\n")
        assert f"remote count {local_count(root)} = local {local_count(root)} " in out
    everything = "SELECT ?s ?p ?o WHERE { GRAPH kgr:graph { ?s ?p ?o } }"
    remote = RemoteBackend(server.query_url).select(everything, {}).rows
    local = open_store(store_path(root / "build")).select("SELECT * { ?s ?p ?o }", {}).rows
    assert len(remote) == local_count(root)
    assert {(str(r["s"]), str(r["p"]), str(r["o"])) for r in remote} == {
        (str(r["s"]), str(r["p"]), str(r["o"])) for r in local}


def test_a_merge_into_a_graph_holding_more_than_the_build_fails(
    capsys: pytest.CaptureFixture[str], root: Path, server: OxigraphServer, tmp_path: Path
) -> None:
    args = ("push", "--endpoint", server.store_url, "--graph", "kgr:other")
    assert run(capsys, "--root", str(root), *args, "--replace")[0] == 0
    edited = tmp_path / "edited"
    shutil.copytree(root, edited)
    nt = edited / "build" / "geokg.nt"  # a later build that states one triple fewer
    nt.write_bytes(b"".join(nt.read_bytes().splitlines(keepends=True)[1:]))
    stamp = edited / "build" / "geokg.stamp.json"
    written = json.loads(stamp.read_text(encoding="utf-8"))
    written["outputs"]["geokg.nt"] = hashlib.sha256(nt.read_bytes()).hexdigest()
    stamp.write_text(json.dumps(written), encoding="utf-8")
    code, out, err = run(capsys, "--root", str(edited), *args)
    assert code == 1 and out.endswith(": MISMATCH\n") and " > local " in out
    assert err.startswith("kg: error: the remote graph holds 1 triple(s) that this build does "
                          "not: triples from elsewhere or from an earlier build (push with "
                          "--replace")


def local_count(root: Path) -> int:
    return sum(1 for _ in (root / "build" / "geokg.nt").open(encoding="utf-8"))


def test_hostile_text_is_only_ever_a_literal(root: Path, server: OxigraphServer) -> None:
    query = ("# a { brace in a comment, and one in a string: \"{\" and an IRI <urn:x#y>\n"
             "SELECT ?term (STRLEN(?term) AS ?n) (\"}\" AS ?brace) WHERE { BIND (1 AS ?one) }")
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { ?s ?p ?o } #\n\\u0022 \u00e9')
    local = open_store(store_path(root / "build")).select(query, {"term": hostile})
    remote = RemoteBackend(server.query_url).select(query, {"term": hostile})
    assert remote == local
    length = ox.Literal(str(len(hostile.value)), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
    assert remote.rows == [{"term": hostile, "n": length, "brace": ox.Literal("}")}]


def test_predeclared_prefixes_and_ask(server: OxigraphServer) -> None:
    backend = RemoteBackend(server.query_url)
    assert backend.select("ASK { kgr:russia a ?type }", {}).boolean is True
    assert backend.select("ASK { ?s ?p ?o }", {"s": ox.NamedNode("urn:nothing")}).boolean is False


# --- failures: each a message and a non-zero exit, never a traceback -------------------------

def query_at(capsys: pytest.CaptureFixture[str], root: Path, url: str,
             *extra: str) -> tuple[int, str, str]:
    return run(capsys, "--root", str(root), "query", "contested-facts", "--endpoint", url,
               *extra)


def test_server_down(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    code, out, err = query_at(capsys, root, f"http://127.0.0.1:{free_port()}/query")
    assert (code, out) == (1, "")
    assert err.startswith("kg: error: queries/contested-facts.rq: http://127.0.0.1:")
    assert err.endswith("connection refused: is the server running?\n")


def test_timeout(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    with Stub(Reply(delay=10)) as stub:
        start = time.monotonic()
        code, out, err = query_at(capsys, root, f"{stub.url}/query", "--timeout", "1")
    assert time.monotonic() - start < 5
    assert (code, out) == (1, "")
    assert err.endswith("no answer within 1 s (timeout)\n")


@pytest.mark.parametrize(("status", "expected"), [
    (401, "HTTP 401, authentication required or refused: set KG_SPARQL_USER and "
          "KG_SPARQL_PASSWORD, or add the host to ~/.netrc: who are you?"),
    (403, "HTTP 403, forbidden: the server does not allow this (a read-only endpoint, or an "
          "account without the right): who are you?"),
    (500, "HTTP 500, server error: who are you?"),
    (502, "HTTP 502, server error: who are you?"),
])
def test_http_errors(capsys: pytest.CaptureFixture[str], root: Path, status: int,
                     expected: str) -> None:
    with Stub(Reply(status, b"who\n are you?", "text/plain")) as stub:
        code, out, err = query_at(capsys, root, f"{stub.url}/query")
    assert (code, out) == (1, "")
    assert err == f"kg: error: queries/contested-facts.rq: {stub.url}/query: {expected}\n"


@pytest.mark.parametrize("body", [b"<html>login</html>", b'{"head": {}}', b"\xff\xfe",
                                  b'{"head": {"vars": ["x"]}, "results": {"bindings": '
                                  b'[{"x": {"type": "uri"}}]}}', b"[]",
                                  b'{"head": {"vars": ["x"]}, "results": {"bindings": '
                                  b'[{"x": {"type": "uri", "value": "not an IRI"}}]}}',
                                  b'{"head": {"vars": ["x"]}, "results": {"bindings": '
                                  b'[{"x": {"type": "literal", "value": "x", "datatype": 5}}]}}'])
def test_malformed_response(capsys: pytest.CaptureFixture[str], root: Path,
                            body: bytes) -> None:
    with Stub(Reply(200, body)) as stub:
        code, out, err = query_at(capsys, root, f"{stub.url}/query")
    assert (code, out) == (1, "")
    assert "malformed response, not SPARQL JSON results" in err


def test_results_are_read_as_oxigraph_terms() -> None:
    body = json.dumps({"head": {"vars": ["a", "b", "c", "d", "e"]}, "results": {"bindings": [{
        "a": {"type": "uri", "value": "urn:a"},
        "b": {"type": "bnode", "value": "nodeID://b1"},  # Virtuoso's labels
        "c": {"type": "literal", "value": "Corée", "xml:lang": "fr"},
        "d": {"type": "typed-literal", "value": "01",
              "datatype": PREFIXES["xsd"] + "integer"},
        "e": {"type": "literal", "value": "x", "datatype": PREFIXES["xsd"] + "string"},
    }]}}).encode()
    assert read_results(body).rows == [{
        "a": ox.NamedNode("urn:a"), "b": ox.BlankNode(b"nodeID://b1".hex()),
        "c": ox.Literal("Corée", language="fr"),
        "d": ox.Literal("01", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")),
        "e": ox.Literal("x"),
    }]


def test_the_request_is_a_post_with_json_and_a_user_agent(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    empty = b'{"head": {"vars": ["node"]}, "results": {"bindings": []}}'
    with Stub(Reply(200, empty)) as stub:
        code, _, err = run(capsys, "--root", str(root), "query", "claims", "--endpoint",
                           f"{stub.url}/sparql", "-p", "node=kgr:russia")
    assert (code, err) == (0, "")
    [seen] = stub.seen
    assert (seen.method, seen.path) == ("POST", "/sparql")
    assert seen.headers["User-Agent"] == f"geokg/{__version__}"
    assert "application/sparql-results+json" in seen.headers["Accept"]
    assert "Authorization" not in seen.headers
    assert b"VALUES+%28%3Fnode%29" in seen.body  # the parameter, bound in the query text


# --- credentials ------------------------------------------------------------------------------

def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_credentials_from_the_environment_are_sent_and_never_shown(
    capsys: pytest.CaptureFixture[str], root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_SPARQL_USER", "analyst")
    monkeypatch.setenv("KG_SPARQL_PASSWORD", PASSWORD)
    with Stub(Reply(401, f"bad password {PASSWORD}".encode(), "text/plain")) as stub:
        code, out, err = query_at(capsys, root, f"{stub.url}/query")
    assert stub.seen[0].headers["Authorization"] == basic("analyst", PASSWORD)
    assert code == 1
    assert "the credentials from KG_SPARQL_USER/KG_SPARQL_PASSWORD were refused" in err
    assert PASSWORD not in out + err and "bad password ***" in err


def test_credentials_from_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login reader password {PASSWORD}\n", encoding="utf-8")
    netrc.chmod(0o600)
    found = find_credentials("http://127.0.0.1:7878/query", env={})
    assert found is not None and (found.user, found.password) == ("reader", PASSWORD)
    assert PASSWORD not in repr(found)
    assert find_credentials("http://localhost:7878/query", env={}) is None
    netrc.chmod(0o644)
    with pytest.raises(KgError, match=r"chmod 600 ~/.netrc") as caught:
        find_credentials("http://127.0.0.1:7878/query", env={})
    assert PASSWORD not in caught.value.message


def test_half_given_credentials_are_an_error() -> None:
    with pytest.raises(KgError, match="set both KG_SPARQL_USER and KG_SPARQL_PASSWORD"):
        find_credentials("http://127.0.0.1/", env={"KG_SPARQL_USER": "analyst"})


@pytest.mark.parametrize("command", ["query", "push"])
def test_credentials_in_the_url_are_refused_and_masked(
    capsys: pytest.CaptureFixture[str], root: Path, command: str
) -> None:
    url = f"http://analyst:{PASSWORD}@127.0.0.1:{free_port()}/store"
    args = ["contested-facts"] if command == "query" else []
    code, out, err = run(capsys, "--root", str(root), command, *args, "--endpoint", url)
    assert code == 2 and PASSWORD not in out + err
    assert "http://***@127.0.0.1:" in err and "cannot carry a user name or password" in err


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://127.0.0.1/query", "expected an http:// or https:// URL"),
    ("http://127.0.0.1:port/query", "not a valid URL"),
    ("http://127.0.0.1/a query", "cannot contain spaces"),
    ("/query", "expected an http:// or https:// URL"),
])
def test_bad_urls(capsys: pytest.CaptureFixture[str], root: Path, url: str, message: str) -> None:
    code, out, err = query_at(capsys, root, url)
    assert (code, out) == (2, "") and message in err


def test_mask_url() -> None:
    assert mask_url("https://u:p@example.org/q?x=1") == "https://***@example.org/q?x=1"
    assert mask_url("https://example.org/q") == "https://example.org/q"


# --- push: only a current build, never a half-finished push reported as success -----------------

def test_push_refuses_without_a_build(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "--root", str(tmp_path), "push", "--endpoint",
                         "http://127.0.0.1:9/store")
    assert (code, out) == (2, "")
    assert err == ("kg: error: build/geokg.nt not found: run kg build first (kg push sends only "
                   "a graph that kg build validated)\n")


def test_push_refuses_a_build_that_is_not_current(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "repo", repo)
    push = ("--root", str(repo), "push", "--endpoint", "http://127.0.0.1:9/store")
    assert run(capsys, "--root", str(repo), "build")[0] == 0
    stamp = repo / "build" / "geokg.stamp.json"
    stamp.rename(stamp.with_suffix(".away"))
    code, out, err = run(capsys, *push)
    assert (code, out) == (1, "")
    assert err == ("kg: error: build/geokg.nt has no stamp of a complete build: run kg build "
                   "first (kg push sends only a graph that kg build validated)\n")
    stamp.with_suffix(".away").rename(stamp)
    data = repo / "data" / "relations.ttl"
    data.write_bytes(data.read_bytes())  # a new modification time alone changes nothing:
    assert run(capsys, *push)[2].endswith("connection refused: is the server running?\n")
    data.write_text(data.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    (repo / "data" / "sources" / "notes.txt").write_text("new\n", encoding="utf-8")
    code, out, err = run(capsys, *push)
    assert (code, out) == (1, "")
    assert err == ("kg: error: the build is not current (data/relations.ttl and 1 more file(s) "
                   "changed since it was built): run kg build first (kg push sends only a graph "
                   "that kg build validated)\n")
    assert run(capsys, "--root", str(repo), "build")[0] == 0
    (repo / "build" / "geokg.nt").write_text("", encoding="utf-8")
    assert "(build/geokg.nt is not the file kg build wrote)" in run(capsys, *push)[2]


@pytest.mark.parametrize("status", [500, 401, 302])
def test_a_refused_push_fails(capsys: pytest.CaptureFixture[str], root: Path,
                              status: int) -> None:
    count = b'{"head": {"vars": ["triples"]}, "results": {"bindings": [{"triples": ' \
            b'{"type": "literal", "value": "1"}}]}}'
    with Stub(Reply(200, count), {"PUT": Reply(status, b"no", "text/plain")}) as stub:
        code, out, err = run(capsys, "--root", str(root), "push", "--endpoint",
                             f"{stub.url}/store", "--replace")
    assert (code, out) == (1, "")
    assert f"{stub.url}/store?default: HTTP {status}" in err
    assert [s.method for s in stub.seen] == ["PUT"]  # no count, no redirect followed


def test_a_push_that_does_not_add_up_fails(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    count = b'{"head": {"vars": ["triples"]}, "results": {"bindings": [{"triples": ' \
            b'{"type": "literal", "value": "5"}}]}}'
    with Stub(Reply(200, count), {"PUT": Reply(204)}) as stub:
        code, out, err = run(capsys, "--root", str(root), "push", "--endpoint",
                             f"{stub.url}/store", "--replace")
    assert code == 1
    assert out.endswith(f"remote count 5 < local {len(stub.seen[0].body.splitlines())} "
                        f"({stub.url}/query): MISMATCH\n")
    assert "does not hold what was pushed" in err
    put = stub.seen[0]
    assert (put.path, put.headers["Content-Type"]) == ("/store?default", "application/n-triples")
    assert put.body == (root / "build" / "geokg.nt").read_bytes()


def test_push_cannot_be_counted(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    with Stub(Reply(500, b"down"), {"PUT": Reply(201)}) as stub:
        code, out, err = run(capsys, "--root", str(root), "push", "--endpoint",
                             f"{stub.url}/data", "--replace")
    assert (code, out) == (1, "")
    assert err == ("kg: error: the store took the data, but counting its triples failed, so the "
                   f"push is not verified: {stub.url}/sparql: HTTP 500, server error: down\n")
    assert [s.method for s in stub.seen] == ["PUT", "POST"]  # the data, then the count


@pytest.mark.parametrize(("store", "graph", "expected"), [
    ("http://h:3030/ds/data", None, "http://h:3030/ds/data?default"),
    ("http://h:3030/ds/data", "https://w3id.org/geokg/g", "http://h:3030/ds/data?graph="
                                                          "https%3A%2F%2Fw3id.org%2Fgeokg%2Fg"),
    ("http://h:7200/repositories/r/statements", None,
     "http://h:7200/repositories/r/statements?context=null"),
    ("http://h:7200/repositories/r/statements", "urn:g",
     "http://h:7200/repositories/r/statements?context=%3Curn%3Ag%3E"),
    ("http://h:7878/store?x=1", None, "http://h:7878/store?x=1&default"),
])
def test_graph_store_urls(store: str, graph: str | None, expected: str) -> None:
    assert graph_store_url(store, graph) == expected


@pytest.mark.parametrize(("store", "expected"), [
    ("http://h:3030/ds/data", "http://h:3030/ds/sparql"),
    ("http://h:7200/repositories/r/statements", "http://h:7200/repositories/r"),
    ("http://h:7200/repositories/r/rdf-graphs/service", "http://h:7200/repositories/r"),
    ("http://h:7878/store", "http://h:7878/query"),
])
def test_query_endpoints_beside_graph_stores(store: str, expected: str) -> None:
    assert query_endpoint_for(store) == expected


def test_an_unknown_graph_store_needs_a_query_endpoint() -> None:
    with pytest.raises(KgError, match="give --query-endpoint URL"):
        query_endpoint_for("http://h/somewhere")


# --- binding parameters into the query text ---------------------------------------------------

BOUND = " VALUES (?x) { (<https://w3id.org/geokg/id/a>) }"


def prepared(query: str) -> str:
    """The query as sent, without the prologue of predeclared prefixes."""
    text = prepare_query(query, {"x": KGR_A})
    return re.sub(r"(PREFIX \w+: <[^>]*> )+", "", text, count=1)


@pytest.mark.parametrize(("query", "where"), [
    ("SELECT ?x WHERE { ?x ?p ?o }", "WHERE {"),
    ("select ?x where{?x ?p ?o}", "where{"),
    ("SELECT * { ?x ?p ?o }", "* {"),
    ("ASK { ?x ?p ?o }", "ASK {"),
    ("# SELECT { in a comment }\nSELECT ?x WHERE { ?x ?p ?o }", "WHERE {"),
    ("PREFIX e: <http://e.org/a#b>\nSELECT ?x WHERE { ?x e:p ?o }", "WHERE {"),
    ("SELECT ?x (\"{\" AS ?s) ('{' AS ?t) ('''{''' AS ?u) (\"\"\"\n{\"\"\" AS ?v)\n"
     "WHERE { ?x ?p ?o }", "WHERE {"),
    ("SELECT ?x (EXISTS { ?x ?p ?o } AS ?e) WHERE { ?x ?p ?o }", "WHERE {"),
    ("SELECT ?x WHERE { ?x ?p ?o FILTER (?o < 3 && ?o > 1) }", "WHERE {"),
    ("SELECT ?x WHERE { ?x e:a\\#b ?o }", "WHERE {"),
])
def test_values_go_to_the_start_of_the_where_group(query: str, where: str) -> None:
    at = query.index(where) + len(where)
    assert prepared(query) == query[:at] + BOUND + query[at:]


def test_a_sub_select_is_nested_under_the_values() -> None:
    query = "SELECT ?x WHERE { SELECT ?x { ?x ?p ?o } }"
    assert prepared(query) == f"SELECT ?x WHERE {{{BOUND} {{ SELECT ?x {{ ?x ?p ?o }} }}}}"


def test_line_numbers_and_declared_prefixes_are_kept() -> None:
    query = "# title\nPREFIX kg: <urn:own#>\nSELECT ?x\nWHERE {\n  ?x kg:p ?o\n}\n"
    sent = prepare_query(query, {"x": KGR_A})
    assert sent.count("\n") == query.count("\n")
    assert sent.startswith("# title\nPREFIX kgv: ") and "PREFIX kg: <urn:own#>" in sent
    assert sent.count("PREFIX kg:") == 1
    assert sent.count("PREFIX") == len(PREFIXES)


@pytest.mark.parametrize("query", [
    "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }",
    "SELECT ?x WHERE { ?x ?p",
    "SELECT ?x",
    "SELECT ?x WHERE { ?x ?p ?o } VALUES ?x { <urn:a> } }",
])
def test_queries_that_cannot_take_parameters(query: str) -> None:
    with pytest.raises(KgError):
        prepare_query(query, {"x": KGR_A})


def test_only_iris_and_literals_are_sent() -> None:
    with pytest.raises(KgError, match="only IRIs and literals"):
        prepare_query("SELECT ?x WHERE { ?x ?p ?o }", {"x": ox.BlankNode()})
    with pytest.raises(KgError, match="not a SPARQL variable name"):
        prepare_query("SELECT ?x WHERE { ?x ?p ?o }", {"x y": KGR_A})


def test_a_query_without_parameters_is_sent_as_written() -> None:
    query = "SELECT * WHERE { ?s ?p ?o }"
    assert prepare_query(query, {}).endswith(query)
