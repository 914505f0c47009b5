"""Credentials stay home: `kg query --endpoint` and `kg push` follow no redirect (a second server
behind one receives nothing), and nothing a server echoes of the credentials is printed: not the
password, not its base64 forms, not an Authorization value. A query that a server cancels
part-way (HTTP 200 and a cut-off body) is reported as cancelled, not as a malformed answer."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from sparql_server import OxigraphServer, Reply, Stub

from kg.cli import main
from kg.remote import push

PASSWORD = "s3cr3t-Pa55+w/rd"  # a test credential (with characters URLs encode)
USER = "analyst"
NOT_FOLLOWED = ("not followed (kg sends credentials and data only to the URL given; if the new "
                "address is the right one, give it instead)")
COUNT_ONE = (b'{"head": {"vars": ["triples"]}, "results": {"bindings": [{"triples": '
             b'{"type": "literal", "value": "1"}}]}}')


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


SECRETS = [PASSWORD, b64(f"{USER}:{PASSWORD}"), b64(f"{USER}:{PASSWORD}").rstrip("="),
           b64(PASSWORD), quote_plus(PASSWORD)]


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The analyst's credentials in the environment, and a HOME without ~/.netrc."""
    monkeypatch.setenv("KG_SPARQL_USER", USER)
    monkeypatch.setenv("KG_SPARQL_PASSWORD", PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_query_follows_no_redirect(capsys: pytest.CaptureFixture[str], built_root: Path,
                                     status: int) -> None:
    with Stub(Reply(200, COUNT_ONE)) as elsewhere, Stub(Reply(
            status, b"moved", "text/plain", headers={"Location": f"{elsewhere.url}/q"})) as first:
        code, out, err = run(capsys, "--root", str(built_root), "query", "contested-facts",
                             "--endpoint", f"{first.url}/query")
    assert first.seen[0].headers["Authorization"] == f"Basic {b64(f'{USER}:{PASSWORD}')}"
    assert elsewhere.seen == []  # the second host received nothing, credentials least of all
    assert (code, out) == (1, "")
    assert err == (f"kg: error: queries/contested-facts.rq: {first.url}/query: HTTP {status}, "
                   f"redirected to {elsewhere.url}/q: {NOT_FOLLOWED}\n")


@pytest.mark.parametrize("replace", [True, False])
def test_a_push_follows_no_redirect(capsys: pytest.CaptureFixture[str], built_root: Path,
                                    replace: bool) -> None:
    with Stub(Reply(201)) as elsewhere, Stub(Reply(
            307, b"", headers={"Location": f"{elsewhere.url}/store"})) as first:
        code, out, err = run(capsys, "--root", str(built_root), "push", "--endpoint",
                             f"{first.url}/store", *(["--replace"] if replace else []))
    assert elsewhere.seen == [] and len(first.seen) == 1
    assert (code, out) == (1, "")
    assert f"{first.url}/store?default: HTTP 307, redirected to {elsewhere.url}/store" in err


def echo(kind: str) -> bytes:
    """A server's answer that repeats what it was sent, in every form it might."""
    pair = b64(f"{USER}:{PASSWORD}")
    return (f"{kind} refused: you sent Basic {pair}, that is Authorization: Basic {pair} "
            f"(token {pair.rstrip('=')}; password={quote_plus(PASSWORD)}, or {PASSWORD}, "
            f"or {b64(PASSWORD)}) from {USER}").encode()


@pytest.mark.parametrize(("command", "status"), [("query", 401), ("query", 500), ("push", 401),
                                                 ("push", 403)])
def test_echoed_credentials_are_never_printed(capsys: pytest.CaptureFixture[str],
                                              built_root: Path, command: str,
                                              status: int) -> None:
    with Stub(Reply(status, echo(command), "text/plain")) as stub:
        args = (["query", "contested-facts", "--endpoint", f"{stub.url}/query"]
                if command == "query" else ["push", "--endpoint", f"{stub.url}/store"])
        code, out, err = run(capsys, "--root", str(built_root), *args)
    assert code == 1
    for secret in SECRETS:
        assert secret not in out + err
    assert "you sent Basic ***, that is Authorization: ***" in err
    assert f"from {USER}" in err  # the user name is no secret, and shows whose were refused


def test_an_echoed_authorization_is_hidden_without_credentials(
        capsys: pytest.CaptureFixture[str], built_root: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_SPARQL_USER")
    monkeypatch.delenv("KG_SPARQL_PASSWORD")
    body = b"proxy says: Proxy-Authorization: Bearer eyJhbGciOi.J9x; authorization=Digest abc"
    with Stub(Reply(502, body, "text/plain")) as stub:
        code, _, err = run(capsys, "--root", str(built_root), "query", "contested-facts",
                           "--endpoint", f"{stub.url}/query")
    assert code == 1
    assert err.endswith("proxy says: Proxy-Authorization: ***; authorization=***\n")


CUT_OFF = ("the answer stops part-way: the server cancelled the query, most likely at its time "
           "limit (a narrower query, or a server with a longer limit, may answer)")


@pytest.mark.parametrize("body", [
    b'{"head":{"vars":["a"]},"results":{"bindings":[The SPARQL operation has been cancelled',
    b'{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"uri","value":"urn:x"}},',
])
def test_a_cut_off_answer_is_a_cancelled_query(capsys: pytest.CaptureFixture[str],
                                               built_root: Path, body: bytes) -> None:
    with Stub(Reply(200, body)) as stub:
        code, out, err = run(capsys, "--root", str(built_root), "query", "contested-facts",
                             "--endpoint", f"{stub.url}/query")
    assert (code, out) == (1, "")
    assert err == f"kg: error: queries/contested-facts.rq: {stub.url}/query: {CUT_OFF}\n"


def test_a_real_server_that_cancels_at_its_time_limit(
        capsys: pytest.CaptureFixture[str], built_root: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_SPARQL_USER")
    monkeypatch.delenv("KG_SPARQL_PASSWORD")
    slow = tmp_path / "slow.rq"  # a cross join that no index answers: seconds on the article
    slow.write_text('SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . '
                    'FILTER(CONCAT(STR(?c), STR(?f)) = "x") }\n', encoding="utf-8")
    with OxigraphServer(tmp_path / "store", timeout_s=1) as server:
        push(built_root / "build" / "geokg.nt", server.store_url, replace=True)
        code, out, err = run(capsys, "--root", str(built_root), "query", "--file", str(slow),
                             "--endpoint", server.query_url)
    assert (code, out) == (1, "")
    assert err.endswith(f"{server.query_url}: {CUT_OFF}\n")
