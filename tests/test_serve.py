"""`kg serve` over HTTP: a real read-only Oxigraph server on 127.0.0.1 that answers queries,
shows its query page, refuses writes, and stops with exit 0 on SIGINT."""

from __future__ import annotations

import json
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sparql_server import LOOPBACK, free_port, stop

from kg.cli import main
from kg.commands.serve import address, is_loopback

READY_TIMEOUT = 30.0


def start(repo: Path, *args: str) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    """`kg serve` in a fresh interpreter; its stdout lines arrive in the queue."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "--root", str(repo), "serve", *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return process, lines


def wait_for(lines: queue.Queue[str], prefix: str) -> list[str]:
    """The lines up to one that starts with `prefix` (after stripping)."""
    seen: list[str] = []
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if line.strip().startswith(prefix):
            return seen
    raise AssertionError(f"no line starting with {prefix!r} in {seen}")


@pytest.fixture(scope="module")
def served(served_repo: Path) -> Iterator[tuple[str, subprocess.Popen[str], list[str]]]:
    """`kg serve` on a free port: its base URL, the process and what it printed at start."""
    port = free_port()
    process, lines = start(served_repo, "--port", str(port), "--timeout-s", "5")
    try:
        printed = wait_for(lines, "SPARQL endpoint:")
        yield f"http://{LOOPBACK}:{port}", process, printed
    finally:
        stop(process)


def http(url: str, data: dict[str, str] | bytes | None = None, method: str | None = None,
         headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, str, bytes]:
    """Status, content type and body; HTTP errors are answers too."""
    body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def test_it_prints_the_urls(served: tuple[str, subprocess.Popen[str], list[str]]) -> None:
    url, _process, printed = served
    assert printed[0].startswith("serving build/store read-only (no updates, no federated "
                                 "queries), query time limit 5 s")
    assert f"query page:      {url}/\n" in printed[1]
    assert f"SPARQL endpoint: {url}/query\n" in printed[2]


def test_a_select_answers(served: tuple[str, subprocess.Popen[str], list[str]]) -> None:
    url = served[0]
    status, kind, body = http(f"{url}/query",
                              {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                              headers={"Accept": "application/sparql-results+json"})
    assert (status, kind.split(";")[0]) == (200, "application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "104"


def test_the_query_page(served: tuple[str, subprocess.Popen[str], list[str]]) -> None:
    status, kind, body = http(f"{served[0]}/")
    assert (status, kind.split(";")[0]) == (200, "text/html")
    assert b"<html" in body.lower()


@pytest.mark.parametrize(("path", "data", "method", "kind"), [
    ("/update", {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, "POST", None),
    ("/update", b"DROP ALL", "POST", "application/sparql-update"),
    ("/store?default", b"<urn:a> <urn:b> <urn:c> .\n", "PUT", "application/n-triples"),
    ("/store?default", b"<urn:a> <urn:b> <urn:c> .\n", "POST", "application/n-triples"),
    ("/store?default", None, "DELETE", None),
])
def test_writes_are_refused(served: tuple[str, subprocess.Popen[str], list[str]], path: str,
                            data: dict[str, str] | bytes | None, method: str,
                            kind: str | None) -> None:
    url = served[0]
    status, _, _ = http(url + path, data, method, {"Content-Type": kind} if kind else None)
    assert 400 <= status < 500
    _, _, body = http(f"{url}/query", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                      headers={"Accept": "application/sparql-results+json"})
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "104"


def test_sigint_stops_it_cleanly(served_repo: Path) -> None:
    port = free_port()
    process, lines = start(served_repo, "--port", str(port))
    try:
        wait_for(lines, "SPARQL endpoint:")
        process.send_signal(signal.SIGINT)
        assert process.wait(15) == 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()
        with pytest.raises(OSError):  # the server is gone too
            socket.create_connection((LOOPBACK, port), timeout=1).close()
    finally:
        stop(process)


def test_a_busy_port_is_an_error(served_repo: Path) -> None:
    with socket.socket() as busy:
        busy.bind((LOOPBACK, 0))
        busy.listen()
        port = busy.getsockname()[1]
        process, _ = start(served_repo, "--port", str(port))
        try:
            assert process.wait(30) == 1
            assert process.stderr is not None
            err = process.stderr.read()
        finally:
            stop(process)
    assert err == (f"kg: error: cannot listen on {LOOPBACK}:{port}: "
                   "Address already in use\n")


def test_no_store_says_run_kg_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path), "serve", "--port", str(free_port())]) == 2
    assert capsys.readouterr().err == "kg: error: build/store not found: run kg build first\n"


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.10", False), ("example.org", False),
])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_ipv6_addresses_are_bracketed() -> None:
    assert address("::1", 7878) == "[::1]:7878"
    assert address("127.0.0.1", 7878) == "127.0.0.1:7878"


def test_a_non_loopback_host_is_warned_about(
    served_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for the server that exits at once: nothing listens on any address.
    monkeypatch.setattr("kg.commands.serve.oxigraph_binary", lambda: shutil.which("false"))
    code = main(["--root", str(served_repo), "serve", "--host", "0.0.0.0", "--port",
                 str(free_port())])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("kg: WARNING: listening on 0.0.0.0, which is not a loopback address: "
                          "anyone who can reach this machine on port ")
