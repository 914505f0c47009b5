"""`kg serve` holds its limits: a query that the engine cannot cancel is stopped at the time limit
(its worker process ended, its memory freed) and the server answers the next query at once; a
federated query (SERVICE) is refused with HTTP 400 and sends nothing anywhere."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sparql_server import LOOPBACK, Reply, Stub, free_port, stop
from test_serve import http, start, wait_for

from kg.cli import main

pytestmark = pytest.mark.slow  # servers that wait out their time limits

LIMIT = 2  # seconds
# A sort over a four-way cross join of the 104 triples (117 million rows): Oxigraph's time limit
# does not cancel the sort, which would run for minutes and gigabytes.
RUNAWAY = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } "
           "ORDER BY ?c ?f ?i ?l LIMIT 1")
FIXTURE_REPO = Path(__file__).parent / "fixtures" / "core" / "repo"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def served(served_repo: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`kg serve` with a 2-second limit and two workers."""
    port = free_port()
    process, lines = start(served_repo, "--port", str(port), "--timeout-s", str(LIMIT),
                           "--workers", "2")
    try:
        wait_for(lines, "SPARQL endpoint:")
        yield f"http://{LOOPBACK}:{port}", process
    finally:
        stop(process)


def workers_of(process: subprocess.Popen[str]) -> set[int]:
    """The process ids of kg serve's children (its Oxigraph workers). A thread that ends while
    the threads are read loses its children file (they pass to another thread): read again."""
    for _attempt in range(10):
        try:
            return {int(pid) for task in Path(f"/proc/{process.pid}/task").iterdir()
                    for pid in (task / "children").read_text().split()}
        except FileNotFoundError:
            time.sleep(0.05)
    raise AssertionError(f"the threads of process {process.pid} could not be read")


def count(url: str) -> tuple[int, float]:
    start_at = time.monotonic()
    status, _, body = http(f"{url}/query", {"query": COUNT}, headers=JSON)
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "104"
    return status, time.monotonic() - start_at


def test_a_runaway_query_is_stopped_and_the_server_goes_on(
        served: tuple[str, subprocess.Popen[str]]) -> None:
    url, process = served
    before = workers_of(process)
    assert len(before) == 2
    start_at = time.monotonic()
    status, kind, body = http(f"{url}/query", {"query": RUNAWAY}, headers=JSON)
    took = time.monotonic() - start_at
    assert (status, kind.split(";")[0]) == (503, "text/plain")
    assert body == f"the query ran past the time limit of {LIMIT} s and was stopped\n".encode()
    assert LIMIT <= took < LIMIT + 3  # the limit, one second of grace, and some slack
    assert count(url)[0] == 200  # the next query answers at once
    deadline = time.monotonic() + 10
    while len(workers_of(process) - before) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    after = workers_of(process)
    assert len(after) == 2 and len(before - after) == 1  # one worker was ended and replaced
    assert process.poll() is None


def processes_running(text: str) -> list[int]:
    """The live processes whose command line holds `text`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if (proc.name.isdigit() and text.encode() in (proc / "cmdline").read_bytes()
                    and (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"):
                found.append(int(proc.name))
        except OSError:
            pass  # ended meanwhile
    return found


def test_no_worker_outlives_kg_serve(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE_REPO, repo, ignore=shutil.ignore_patterns("build"))
    assert main(["--root", str(repo), "build"]) == 0
    port = free_port()
    process, lines = start(repo, "--port", str(port), "--timeout-s", "1", "--workers", "1")
    try:
        wait_for(lines, "SPARQL endpoint:")
        first = workers_of(process)
        assert len(first) == 1
        assert http(f"http://{LOOPBACK}:{port}/query", {"query": RUNAWAY})[0] == 503
        deadline = time.monotonic() + 10
        while not workers_of(process) - first and time.monotonic() < deadline:
            time.sleep(0.001)  # until its replacement is starting: stop kg serve then
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        stop(process)
    assert processes_running(str(repo)) == []


def test_other_queries_answer_while_one_runs_away(
        served: tuple[str, subprocess.Popen[str]]) -> None:
    url, _ = served
    outcome: list[int] = []
    runaway = threading.Thread(
        target=lambda: outcome.append(http(f"{url}/query", {"query": RUNAWAY}, headers=JSON)[0]))
    runaway.start()
    time.sleep(0.3)
    status, took = count(url)
    runaway.join(LIMIT + 5)
    assert status == 200 and took < LIMIT  # not held up by the other
    assert outcome == [503]


def test_kg_query_says_the_server_stopped_the_query(
        served: tuple[str, subprocess.Popen[str]], served_repo: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    query = tmp_path / "runaway.rq"
    query.write_text(RUNAWAY + "\n", encoding="utf-8")
    code = main(["--root", str(served_repo), "query", "--file", str(query), "--endpoint",
                 f"{served[0]}/query"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.endswith(f"/query: HTTP 503, server error: the query ran past the time limit of "
                        f"{LIMIT} s and was stopped\n")


SERVICE_REFUSED = (b"federated queries (SERVICE) are not allowed on this endpoint: the server "
                   b"would send requests to the addresses a query names\n")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <{target}> { ?s ?p ?o } }",
    "select * where { service silent <{target}> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<{target}> AS ?t) SERVICE ?t { ?s ?p ?o } }",
    "SELECT * WHERE {SERVICE<{target}>{?s ?p ?o}}",
    "# a comment\nPREFIX ex: <http://e/>\nASK { ex:a ex:b ?c . SERVICE <{target}> { ?c ?d ?e } }",
])
@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_federated_queries_are_refused(served: tuple[str, subprocess.Popen[str]], query: str,
                                       how: str) -> None:
    url = served[0]
    with Stub(Reply(200, b'{"head": {"vars": []}, "results": {"bindings": [{}]}}')) as target:
        text = query.replace("{target}", f"{target.url}/sparql")
        if how == "get":
            status, kind, body = http(f"{url}/query?{urlencode({'query': text})}")
        elif how == "form":
            status, kind, body = http(f"{url}/query", {"query": text})
        else:
            status, kind, body = http(f"{url}/query", text.encode(), "POST",
                                      {"Content-Type": "application/sparql-query"})
    assert (status, body) == (400, SERVICE_REFUSED)
    assert target.seen == []  # nothing was sent to the address the query named


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { ?service ?p "SERVICE <urn:x> {}" } LIMIT 1',
    "PREFIX service: <http://e/>\nSELECT * WHERE { ?s service:SERVICE ?o } # SERVICE <urn:x>",
])
def test_the_word_service_elsewhere_is_no_federated_query(
        served: tuple[str, subprocess.Popen[str]], query: str) -> None:
    status, _, _ = http(f"{served[0]}/query", {"query": query}, headers=JSON)
    assert status == 200


@pytest.mark.parametrize(("path", "data", "method", "headers", "status"), [
    ("/query", b"SELECT 1", "POST", {"Content-Type": "text/plain"}, 415),
    ("/query?query=ASK{}&query=ASK{}", None, "GET", None, 400),
    ("/nowhere", None, "GET", None, 404),
    ("/query", None, "DELETE", None, 405),
])
def test_requests_outside_the_protocol_are_refused(
        served: tuple[str, subprocess.Popen[str]], path: str, data: bytes | None, method: str,
        headers: dict[str, str] | None, status: int) -> None:
    assert http(served[0] + path, data, method, headers)[0] == status
    assert count(served[0])[0] == 200


def test_a_request_too_large_is_refused_before_it_is_read(
        served: tuple[str, subprocess.Popen[str]]) -> None:
    connection = HTTPConnection(served[0].removeprefix("http://"), timeout=10)
    connection.putrequest("POST", "/query")
    connection.putheader("Content-Type", "application/sparql-query")
    connection.putheader("Content-Length", str(1 << 30))  # announced, never sent
    connection.endheaders()
    response = connection.getresponse()
    assert (response.status, response.read()) == (413, b"the request is larger than 1048576 "
                                                        b"bytes\n")
    connection.close()


def test_the_query_page_loads_its_script(served: tuple[str, subprocess.Popen[str]]) -> None:
    status, kind, body = http(f"{served[0]}/static/page.js")
    assert (status, kind.split(";")[0]) == (200, "text/javascript")
    assert b"/catalogue.json" in body

