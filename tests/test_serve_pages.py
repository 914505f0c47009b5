"""What `kg serve` shows beside the SPARQL endpoint, on the article's graph: the project's
prefixes predeclared, the query page's catalogue and runs, the pictures, and the project's IRIs
answered in Turtle, JSON-LD, N-Triples and HTML by content negotiation."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from sparql_server import free_port, stop
from test_serve import http, start, wait_for

from kg.web.linked import negotiate

RUSSIA = "https://w3id.org/geokg/id/russia"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def site(article_site: str) -> str:
    return article_site


def rows(body: bytes) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


# --- the endpoint and the query page ----------------------------------------------------------

def test_a_query_without_prefix_lines_runs_as_pasted(site: str) -> None:
    status, _, body = http(f"{site}/query", {"query": "SELECT ?s WHERE { ?s a kg:State ; "
                                             "kg:wikidata wd:Q159 }"}, headers=JSON)
    assert status == 200
    assert rows(body) == [{"s": RUSSIA}]


def test_a_prefix_the_query_declares_is_its_own(site: str) -> None:
    query = "PREFIX kg: <urn:other#> SELECT ?s WHERE { ?s a kg:State }"
    status, _, body = http(f"{site}/query", {"query": query}, headers=JSON)
    assert (status, rows(body)) == (200, [])


def test_the_catalogue_is_offered_with_titles_descriptions_and_parameters(site: str) -> None:
    status, kind, body = http(f"{site}/catalogue.json")
    assert (status, kind) == (200, "application/json; charset=utf-8")
    catalogue = json.loads(body)
    entries = {entry["name"]: entry for entry in catalogue["queries"]}
    treaties = entries["treaties-between"]
    assert treaties["title"] == "Treaties between two states, as of a date"
    assert treaties["description"].startswith("Which treaties bind")
    assert {"name": "asOf", "type": "date", "required": False, "default": "2024-06-19",
            "example": "1990-01-01", "doc": "the day the status is for"} in treaties["params"]
    assert treaties["text"].startswith("# title: Treaties between two states")
    assert catalogue["prefixes"]["kgr"] == "https://w3id.org/geokg/id/"


def run(site: str, query: str, *params: str) -> tuple[int, str, bytes]:
    form = "&".join([f"query={_quote(query)}", *(f"param={_quote(p)}" for p in params)])
    return http(f"{site}/run", form.encode("ascii"), "POST",
                {"Content-Type": "application/x-www-form-urlencoded"})


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def test_an_example_runs_with_its_parameters_bound(site: str) -> None:
    text = Path("queries/treaties-between.rq").read_text(encoding="utf-8")
    status, kind, body = run(site, text, "asOf=1990-01-01")
    assert (status, kind.split(";")[0]) == (200, "application/sparql-results+json")
    assert [(r["treaty"].rsplit("/", 1)[-1], r["status"]) for r in rows(body)] == [
        ("treaty-1961-ussr-dprk", "in force"), ("treaty-2000-russia-dprk", "not yet in force"),
        ("treaty-2024-russia-dprk", "not yet in force")]


@pytest.mark.parametrize(("params", "message"), [
    (("asOf=1990-13-01",), "parameter 'asOf': '1990-13-01' is not date"),
    (("when=1990-01-01",), "unknown parameter 'when' for the query"),
])
def test_a_wrong_parameter_is_a_400_naming_it(site: str, params: tuple[str, ...],
                                              message: str) -> None:
    text = Path("queries/treaties-between.rq").read_text(encoding="utf-8")
    status, _, body = run(site, text, *params)
    assert status == 400
    assert body.decode().startswith(message)


def test_the_page_refuses_federated_queries_and_updates(site: str) -> None:
    status, _, body = run(site, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert status == 400 and b"SERVICE" in body
    assert run(site, "DROP ALL")[0] == 403


def test_the_query_page_and_its_script_come_from_this_server_only(site: str) -> None:
    status, kind, body = http(f"{site}/")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    page = body.decode()
    assert '<script src="/static/page.js">' in page
    assert "http" not in page.replace('href="/', "")  # no address elsewhere
    assert http(f"{site}/static/page.js")[:2] == (200, "text/javascript; charset=utf-8")
    for path in ("/static/../server.py", "/static/.hidden", "/static/nothing.js"):
        assert http(f"{site}{path}")[0] == 404, path


def test_the_pictures_are_served_with_links_to_this_server(site: str) -> None:
    pytest.importorskip("matplotlib", reason="pictures need matplotlib (the plot extra)")
    # The first picture loads matplotlib into the server: slow on a busy machine.
    status, kind, body = http(f"{site}/plot/network.svg?asOf=1990-01-01", timeout=60)
    assert (status, kind) == (200, "image/svg+xml")
    assert b">Soviet Union<" in body and b">Iran<" not in body
    assert b'xlink:href="/id/soviet-union"' in body
    status, kind, body = http(f"{site}/plot/timeline.html?a=kgr:north-korea&b=kgr:russia",
                              timeout=60)
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert b"Timeline: North Korea and Russia" in body
    status, _, body = http(f"{site}/plot/network.html?asOf=yesterday")
    assert status == 400 and body.startswith(b"parameter 'asOf'")
    assert http(f"{site}/plot/map.svg")[0] == 404


# --- resolvable IRIs --------------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "chosen"), [
    (None, "text/turtle"),
    ("*/*", "text/turtle"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples, text/turtle;q=0.5", "application/n-triples"),
    ("text/*;q=0.3, text/html;q=0.7", "text/html"),
    ("text/turtle;q=0, */*;q=0.1", "application/ld+json"),
    ("image/png", None),
])
def test_content_negotiation(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept) == chosen


def triples(body: bytes, format: ox.RdfFormat) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(body, format=format)}


def test_an_iri_answers_in_turtle_json_ld_and_n_triples_with_the_same_triples(site: str) -> None:
    answers = {}
    for media, format in (("text/turtle", ox.RdfFormat.TURTLE),
                          ("application/ld+json", ox.RdfFormat.JSON_LD),
                          ("application/n-triples", ox.RdfFormat.N_TRIPLES)):
        status, kind, body = http(f"{site}/id/russia", headers={"Accept": media})
        assert (status, kind.split(";")[0]) == (200, media)
        answers[media] = triples(body, format)
    assert answers["text/turtle"] == answers["application/ld+json"]
    assert answers["text/turtle"] == answers["application/n-triples"]
    graph = answers["text/turtle"]
    assert ox.Triple(ox.NamedNode(RUSSIA), LABEL, ox.Literal("Russia", language="en")) in graph
    # Its statements, with the claims that support them.
    supports = ox.NamedNode("https://w3id.org/geokg/ontology#supports")
    assert any(t.predicate == supports for t in graph)


def test_json_ld_has_the_readable_keys_of_the_export(site: str, built_root: Path) -> None:
    status, _, body = http(f"{site}/id/russia.jsonld")
    assert status == 200
    document = json.loads(body)
    context = json.loads((built_root / "build" / "current" / "geokg.context.jsonld").read_text())
    assert document["@context"] == context["@context"]
    russia = next(node for node in document["@graph"] if node["id"] == "kgr:russia")
    assert russia["label"]["en"] == "Russia"
    assert russia["type"] == "State"
    assert any("supports" in node for node in document["@graph"])


def test_the_context_iri_answers_the_context_of_the_build(site: str, built_root: Path) -> None:
    status, kind, body = http(f"{site}/context.jsonld")
    assert (status, kind) == (200, "application/ld+json; charset=utf-8")
    assert body == (built_root / "build" / "current" / "geokg.context.jsonld").read_bytes()


def test_a_suffix_asks_for_one_format(site: str) -> None:
    status, kind, body = http(f"{site}/id/russia.ttl", headers={"Accept": "text/html"})
    assert (status, kind) == (200, "text/turtle; charset=utf-8")
    assert body.startswith(b"@prefix")


def test_a_browser_gets_a_page_with_labels_statements_quotes_and_links(site: str) -> None:
    status, kind, body = http(f"{site}/id/signing-1961-07-06",
                              headers={"Accept": "text/html,*/*;q=0.8"})
    assert (status, kind) == (200, "text/html; charset=utf-8")
    page = body.decode()
    assert 'class="note"' not in page
    assert "<h1>Signing of the 1961 USSR–North Korea treaty, Moscow, 6 July 1961</h1>" in page
    assert "Signature du traité URSS–Corée du Nord de 1961, Moscou, 6 juillet 1961" in page
    # The article gives the year, UNTS the day: the day is the best value, the year stands.
    assert "1961-07-06 (day)</td>\n<td><strong>best</strong>" in page
    assert "1961 (year)</td>\n<td><em>other</em>" in page
    assert "même signé un traité d’amitié, de coopération et d’assistance mutuelle." in page
    assert '<a href="/id/moscow">Moscow</a>' in page
    assert '<a href="/id/signing-1961-07-06.ttl">text/turtle</a>' in page


def test_the_ontology_is_one_document_with_a_section_per_term(site: str) -> None:
    status, kind, body = http(f"{site}/ontology", headers={"Accept": "text/html"})
    assert (status, kind) == (200, "text/html; charset=utf-8")
    page = body.decode()
    assert '<section id="Claim">' in page and "affirmation" in page
    status, _, body = http(f"{site}/ontology", headers={"Accept": "text/turtle"})
    assert status == 200
    assert ox.Triple(ox.NamedNode("https://w3id.org/geokg/ontology#Claim"), LABEL,
                     ox.Literal("claim", language="en")) in triples(body, ox.RdfFormat.TURTLE)


def test_vocabulary_iris_resolve(site: str) -> None:
    status, _, body = http(f"{site}/vocab/alleges", headers={"Accept": "text/html"})
    assert status == 200 and "allègue" in body.decode()


@pytest.mark.parametrize(("path", "accept", "status"), [
    ("/id/no-such-node", "text/turtle", 404),
    ("/id/russia", "image/png", 406),
    ("/id/", "text/turtle", 404),
])
def test_what_cannot_be_answered(site: str, path: str, accept: str, status: int) -> None:
    assert http(f"{site}{path}", headers={"Accept": accept})[0] == status


def test_answers_vary_with_accept(site: str) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{site}/id/russia", timeout=10) as response:
        assert response.headers["Vary"] == "Accept"


def test_no_server_process_is_left_behind(built_root: Path) -> None:
    port = free_port()
    process, lines = start(built_root, "--port", str(port))
    try:
        wait_for(lines, "SPARQL endpoint:")
    finally:
        stop(process)
    assert process.poll() is not None
    assert isinstance(process, subprocess.Popen)
