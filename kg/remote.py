"""Remote SPARQL 1.1 stores: catalogue queries through the SPARQL 1.1 Protocol, pushes through the
Graph Store HTTP Protocol, both over urllib with redirects refused.

Parameters reach a remote endpoint as a VALUES block at the start of the query's top-level WHERE
group, each term written in N-Triples syntax after kg.params checked its type. The group is found
by a scan that skips comments, strings and IRIs, and rdflib's parser then confirms that the query
still parses with the block where it was meant to be.

Credentials come from KG_SPARQL_USER and KG_SPARQL_PASSWORD, else from the ~/.netrc entry for
the endpoint's host; never from the command line (a URL with user information is refused). They
are sent as HTTP Basic authentication to the URL given and to no other: a redirect is never
followed (it could lead to another host, which would receive them). They never appear in a
message: the password, its base64 forms and any Authorization value a server echoes back are
replaced by `***`.
"""

from __future__ import annotations

import base64
import json
import netrc
import os
import re
import socket
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPException, IncompleteRead
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import quote, quote_plus, urlencode, urlsplit, urlunsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

import pyoxigraph as ox

from kg import __version__
from kg.backend import OxTerm, SelectResult
from kg.errors import EXIT_FAILURE, KgError
from kg.params import valid_name
from kg.prefixes import PREFIXES, RDF_LANGSTRING, XSD_STRING
from kg.settings import CREDENTIALS_HINT, DEFAULT_TIMEOUT, PASSWORD_VAR, USER_VAR
from kg.sparql_text import TOKEN, UPDATES, declare_prefixes, query_form

USER_AGENT = f"geokg/{__version__}"

_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")
_PARSE_DEPTH = 20_000  # rdflib's parser recurses deeply on nested calls (e.g. REPLACE chains)
RESULTS_JSON = "application/sparql-results+json"
# What a server may echo of a request's credentials: an Authorization header and its value, or a
# scheme and its token anywhere (as in "you sent Basic YW5h...").
_AUTHORIZATION = re.compile(r"(?i)\b(proxy-)?(authorization)(\s*[:=]\s*)[^\r\n,;}\]\"']*")
_TOKEN68 = re.compile(r"(?i)\b(basic|bearer|digest)(\s+)[A-Za-z0-9+/=._~-]{4,}")
_STATUS_MEANING = {
    400: "the server refused the request as malformed",
    401: "authentication required or refused",
    403: "forbidden: the server does not allow this (a read-only endpoint, or an account "
         "without the right)",
    404: "not found: check the URL",
    405: "method not allowed: check that the URL is the right endpoint for this",
    413: "the request is too large for the server",
    414: "the URL is too long for the server",
}


def mask_url(url: str) -> str:
    """`url` with any user information (user:password@) replaced by `***@`."""
    return _USERINFO.sub(r"\1***@", url)


def check_url(url: str) -> str:
    """An http(s) URL without user information; KgError (showing the URL masked) otherwise."""
    shown = mask_url(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise KgError(f"{shown}: not a valid URL") from None
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise KgError(f"{shown!r}: a URL cannot contain spaces or control characters")
    if not url.isascii():
        raise KgError(f"{shown!r}: a URL is written in ASCII: percent-encode other characters "
                      "(%C3%A9 for é)")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KgError(f"{shown}: expected an http:// or https:// URL")
    if "@" in parts.netloc:
        raise KgError(f"{shown}: a URL cannot carry a user name or password (it would show in "
                      f"the shell history and the process list); {CREDENTIALS_HINT}")
    return url


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)
    origin: str = ""


def find_credentials(url: str, env: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials for `url`: the environment variables, else ~/.netrc, else None."""
    env = os.environ if env is None else env
    user, password = env.get(USER_VAR, ""), env.get(PASSWORD_VAR, "")
    if user or password:
        if not (user and password):
            raise KgError(f"set both {USER_VAR} and {PASSWORD_VAR}, or neither")
        return Credentials(user, password, f"{USER_VAR}/{PASSWORD_VAR}")
    try:
        entry = netrc.netrc().authenticators(urlsplit(url).hostname or "")
    except FileNotFoundError:
        return None
    except netrc.NetrcParseError as exc:
        # The parser's message may quote a token of the file, a password perhaps: not shown.
        raise KgError(f"~/.netrc (line {exc.lineno}) cannot be used: it does not parse, or "
                      "other users can read it (chmod 600 ~/.netrc)") from None
    except OSError as exc:
        raise KgError(f"~/.netrc cannot be read: {exc.strerror or exc}") from None
    if entry is None or not entry[2]:
        return None
    return Credentials(entry[0] or "", entry[2], "~/.netrc")


def redact(text: str, credentials: Credentials | None) -> str:
    """`text` with the password of `credentials` (as typed, in base64 alone or as user:password,
    percent-encoded) and any Authorization value or HTTP authentication token replaced by ***."""
    text = _AUTHORIZATION.sub(lambda m: f"{m.group(1) or ''}{m.group(2)}{m.group(3)}***", text)
    text = _TOKEN68.sub(r"\1\2***", text)
    if credentials is None:
        return text
    secrets = {credentials.password, quote(credentials.password, safe=""),
               quote_plus(credentials.password)}
    for value in (credentials.password, f"{credentials.user}:{credentials.password}"):
        encoded = base64.b64encode(value.encode("utf-8")).decode("ascii")
        secrets |= {encoded, encoded.rstrip("=")}
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 3:  # a shorter one would mask ordinary words; it is never long enough
            text = text.replace(secret, "***")
    return text


# --- binding parameters ------------------------------------------------------------------------

def _values_block(bindings: Mapping[str, OxTerm]) -> str:
    for name, term in bindings.items():
        if not valid_name(name):
            raise KgError(f"cannot bind {name!r}: not a SPARQL variable name")
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise KgError(f"cannot bind ?{name} to {term!r}: only IRIs and literals can be sent")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())  # N-Triples, escaped by Oxigraph
    return f" VALUES ({names}) {{ ({terms}) }}"


def _where_group(tokens: list[re.Match[str]]) -> tuple[int, int, bool]:
    """Offsets of the `{` that opens the top-level WHERE group and of its `}`, and whether a
    sub-select fills the group. The first `{` outside parentheses opens it (in the SELECT
    clause a brace can only appear inside an expression, e.g. `(EXISTS {...} AS ?x)`)."""
    depth = 0
    start: int | None = None
    first: str | None = None
    for token in tokens:
        kind, text = token.lastgroup, token.group()
        if start is None:
            if kind == "punct":
                depth += {"(": 1, ")": -1}.get(text, 0)
                if text == "{" and depth == 0:
                    start = token.start()
            continue
        if first is None and kind != "comment":
            first = text
        if kind == "punct" and text in "{}":
            depth += 1 if text == "{" else -1
            if depth < 0:
                return start, token.start(), (first or "").upper() == "SELECT"
    raise KgError("cannot bind parameters: the query has no complete WHERE group")


def _confirm(text: str, names: list[str]) -> None:
    """rdflib's parser must read the VALUES block as the first element of the WHERE group."""
    # Imported here: rdflib's SPARQL parser takes longer to import than `kg query` takes to
    # answer locally, and only remote queries need it.
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _PARSE_DEPTH))
    try:
        parsed = parseQuery(text)
    except RecursionError:
        raise KgError("cannot bind parameters: the query is nested too deeply to check") from None
    except (ParseBaseException, ValueError) as exc:
        raise KgError(f"SPARQL syntax error: {exc}") from None
    finally:
        sys.setrecursionlimit(limit)
    query = parsed[1]
    where = query.get("where")
    group = where is not None and where.name == "GroupGraphPatternSub"
    parts = where.get("part") if group else None
    first = parts[0] if parts else None
    if (query.name not in ("SelectQuery", "AskQuery") or first is None
            or first.name != "InlineData" or [str(v) for v in first.var] != names):
        raise KgError("cannot bind parameters: only a SELECT or ASK query with a WHERE group "
                      "takes parameters")


def prepare_query(query: str, bindings: Mapping[str, OxTerm]) -> str:
    """The query as sent to an endpoint.

    The prefixes of kg.prefixes that the query does not declare itself are declared in front
    of its first token (as `kg query` predeclares them locally), and `bindings` become a VALUES
    block at the start of the top-level WHERE group; line numbers stay those of the query file.
    """
    text = query
    if bindings:
        block = _values_block(bindings)
        start, end, subselect = _where_group(list(TOKEN.finditer(query)))
        if subselect:  # a group holding a sub-select holds nothing else: nest the sub-select
            text = f"{text[:start + 1]}{block} {{{text[start + 1:end]}}}{text[end:]}"
        else:
            text = text[:start + 1] + block + text[start + 1:]
    text = declare_prefixes(text, PREFIXES)
    if bindings:
        _confirm(text, list(bindings))
    return text


# --- talking to a server -----------------------------------------------------------------------

def _blank_node(label: str) -> ox.BlankNode:
    """The server's blank node. A label that N-Triples does not allow (Virtuoso's `nodeID://b1`)
    is written in hexadecimal: a label only tells apart the blank nodes of one answer."""
    try:
        return ox.BlankNode(label)
    except ValueError:
        return ox.BlankNode(label.encode("utf-8").hex())


def _read_json_term(value: object) -> OxTerm:
    """One term of SPARQL JSON results; ValueError (or TypeError) for anything else, including
    an IRI or a language tag that Oxigraph finds malformed."""
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise ValueError("a term without a value")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return _blank_node(text)
    if kind in ("literal", "typed-literal"):
        lang, datatype = value.get("xml:lang"), value.get("datatype")
        if lang:
            return ox.Literal(text, language=lang)
        if datatype in (None, XSD_STRING):
            return ox.Literal(text)
        if datatype == RDF_LANGSTRING:
            raise ValueError("a language-tagged string without its language")
        return ox.Literal(text, datatype=ox.NamedNode(datatype))
    raise ValueError(f"unsupported term type {kind!r}")


def read_results(body: bytes) -> SelectResult:
    """SPARQL 1.1 Query Results JSON as a SelectResult; ValueError or TypeError when it is not
    that."""
    document = json.loads(body.decode("utf-8"))
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise ValueError("boolean is not true or false")
        return SelectResult(variables=[], boolean=document["boolean"])
    variables = document.get("head", {}).get("vars")
    bindings = document.get("results", {}).get("bindings")
    if (not isinstance(variables, list) or not all(isinstance(v, str) for v in variables)
            or not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings)):
        raise ValueError("no head.vars or results.bindings")
    rows = [{name: _read_json_term(term) for name, term in binding.items()}
            for binding in bindings]
    return SelectResult(variables=variables, rows=rows)


def _cut_off(body: bytes, error: Exception) -> bool:
    """Whether `body` starts as SPARQL JSON results but is not a whole JSON document: what a
    server that streams its results sends when it cancels the query part-way (HTTP 200 was
    already sent; Oxigraph then appends its message, others just stop)."""
    start = body.lstrip()[:200]
    return (isinstance(error, json.JSONDecodeError) and start.startswith(b"{")
            and b'"head"' in start)


class _NoRedirect(HTTPRedirectHandler):
    """Redirects are not followed: credentials would go to wherever they lead, and a redirected
    POST or PUT would not land anyway (urllib turns it into a GET without the body)."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = build_opener(_NoRedirect)
CUT_OFF = ("the answer stops part-way: the server cancelled the query, most likely at its time "
           "limit (a narrower query, or a server with a longer limit, may answer)")


class Endpoint:
    """An http(s) URL with its credentials and time limit; turns failures into KgErrors."""

    def __init__(self, url: str, timeout: int = DEFAULT_TIMEOUT) -> None:
        self.url = check_url(url)
        self.timeout = timeout
        self.credentials = find_credentials(self.url)

    def describe(self) -> str:
        return self.url

    def close(self) -> None:
        """Nothing to release: each request has a connection of its own."""

    def _excerpt(self, body: bytes) -> str:
        text = redact(" ".join(body.decode("utf-8", "replace").split()), self.credentials)
        return text if len(text) <= 300 else text[:297] + "..."

    def _redirect_error(self, code: int, location: str | None) -> KgError:
        where = mask_url(location) if location else "no Location given"
        return KgError(f"{self.url}: HTTP {code}, redirected to {where}: not followed (kg sends "
                       "credentials and data only to the URL given; if the new address is the "
                       "right one, give it instead)", EXIT_FAILURE)

    def _status_error(self, code: int, body: bytes) -> KgError:
        meaning = _STATUS_MEANING.get(code) or ("server error" if code >= 500 else "unexpected")
        if code == 401:
            meaning += (f": the credentials from {self.credentials.origin} were refused"
                        if self.credentials else f": {CREDENTIALS_HINT}")
        detail = self._excerpt(body)
        return KgError(f"{self.url}: HTTP {code}, {meaning}" + (f": {detail}" if detail else ""),
                       EXIT_FAILURE)

    def _network_error(self, exc: BaseException) -> KgError:
        reason = exc.reason if isinstance(exc, URLError) else exc
        if isinstance(reason, TimeoutError):
            what = f"no answer within {self.timeout} s (timeout)"
        elif isinstance(reason, ConnectionRefusedError):
            what = "connection refused: is the server running?"
        elif isinstance(reason, socket.gaierror):
            what = "unknown host"
        elif isinstance(reason, IncompleteRead):
            what = CUT_OFF
        elif isinstance(reason, HTTPException | ConnectionError):
            what = f"the server broke off or did not answer in HTTP ({type(reason).__name__})"
        else:
            what = f"cannot reach the server: {reason}"
        return KgError(f"{self.url}: {what}", EXIT_FAILURE)

    @contextmanager
    def talking(self) -> Iterator[None]:
        """Turn HTTP and network failures inside the block into KgErrors."""
        try:
            yield
        except HTTPError as exc:
            if 300 <= exc.code < 400:
                raise self._redirect_error(exc.code, exc.headers.get("Location")) from None
            try:
                body = exc.read()
            except (OSError, HTTPException):
                body = b""
            raise self._status_error(exc.code, body) from None
        except (URLError, OSError, HTTPException) as exc:
            raise self._network_error(exc) from None

    def send(self, request: Request) -> bytes:
        """The body of the answer to `request` (redirects refused); KgError for any failure."""
        with self.talking(), _OPENER.open(request, timeout=self.timeout) as response:
            return response.read()

    def auth_header(self) -> dict[str, str]:
        if self.credentials is None:
            return {}
        pair = f"{self.credentials.user}:{self.credentials.password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


class RemoteBackend(Endpoint):
    """A SPARQL 1.1 query endpoint (a Backend): POST, JSON results, User-Agent geokg/VERSION."""

    def select(self, query: str, bindings: Mapping[str, OxTerm]) -> SelectResult:
        form = query_form(query)
        if form in UPDATES:
            raise KgError("updates are not allowed: kg query runs SELECT and ASK queries")
        if form not in ("SELECT", "ASK"):
            raise KgError("only SELECT and ASK queries can be run here")
        request = Request(self.url, method="POST",
                          data=urlencode({"query": prepare_query(query, bindings)}).encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded",
                                   "Accept": f"{RESULTS_JSON}, application/json;q=0.5",
                                   "User-Agent": USER_AGENT, **self.auth_header()})
        body = self.send(request)
        try:
            return read_results(body)
        except (ValueError, TypeError, AttributeError, RecursionError) as exc:
            if _cut_off(body, exc):
                raise KgError(f"{self.url}: {CUT_OFF}", EXIT_FAILURE) from None
            raise KgError(f"{self.url}: malformed response, not SPARQL JSON results ({exc}): "
                          f"{self._excerpt(body[:200])}", EXIT_FAILURE) from None

    def count(self, graph: str | None) -> int:
        """The number of triples in the default graph or in the named graph `graph`."""
        pattern = f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        result = self.select(f"SELECT (COUNT(*) AS ?triples) WHERE {{ {pattern} }}", {})
        value = result.rows[0].get("triples") if len(result.rows) == 1 else None
        if isinstance(value, ox.Literal) and value.value.isdigit():
            return int(value.value)
        raise KgError(f"{self.url}: malformed answer to the triple count: {value!r}", EXIT_FAILURE)


# --- pushing the graph -------------------------------------------------------------------------

_QUERY_ENDPOINTS = (  # Graph Store URL path -> query endpoint path, by server
    (re.compile(r"/statements/?$"), ""),  # GraphDB, RDF4J: /repositories/REPO/statements
    (re.compile(r"/rdf-graphs/service/?$"), ""),  # GraphDB, RDF4J: the GSP service
    (re.compile(r"/data/?$"), "/sparql"),  # Fuseki: /DATASET/data
    (re.compile(r"/store/?$"), "/query"),  # Oxigraph server
    (re.compile(r"/sparql-graph-crud(-auth)?/?$"), "/sparql"),  # Virtuoso
)


def query_endpoint_for(store_url: str) -> str:
    """The SPARQL query endpoint beside a Graph Store endpoint of Fuseki, GraphDB, Oxigraph or
    Virtuoso."""
    parts = urlsplit(store_url)
    for pattern, replacement in _QUERY_ENDPOINTS:
        if pattern.search(parts.path):
            return urlunsplit(parts._replace(path=pattern.sub(replacement, parts.path), query=""))
    raise KgError(f"cannot tell the SPARQL query endpoint of {mask_url(store_url)}: "
                  "give --query-endpoint URL")


def graph_store_url(store_url: str, graph: str | None) -> str:
    """The URL naming the target graph: `?graph=IRI` or `?default` (Graph Store HTTP Protocol),
    or `?context=<IRI>` / `?context=null` for an RDF4J /statements URL (GraphDB)."""
    parts = urlsplit(store_url)
    if parts.path.rstrip("/").endswith("/statements"):
        target = urlencode({"context": str(ox.NamedNode(graph)) if graph else "null"})
    else:
        target = urlencode({"graph": graph}) if graph else "default"
    return urlunsplit(parts._replace(query=f"{parts.query}&{target}" if parts.query else target))


def count_triples(lines: Iterable[bytes]) -> int:
    """Triples in the lines of an N-Triples file written by kg.export (one per line)."""
    return sum(1 for line in lines if line.strip() and not line.startswith(b"#"))


@dataclass(frozen=True)
class PushReport:
    store: str
    graph: str | None
    replaced: bool
    local: int
    remote: int
    counted_at: str

    @property
    def verified(self) -> bool:
        """The remote graph holds as many triples as the build, whether it was replaced or
        merged into: the build names blank nodes by their content (kg.skolem), so merging the
        same build again adds nothing, and a higher count means triples the build does not hold.
        """
        return self.remote == self.local

    def format(self) -> str:
        graph = f"graph <{self.graph}>" if self.graph else "the default graph"
        how = "replaced" if self.replaced else "merged into"
        relation = "=" if self.remote == self.local else ("<" if self.remote < self.local else ">")
        verdict = "OK" if self.verified else "MISMATCH"
        return (f"pushed {self.local} triples: {how} {graph} at {self.store}\n"
                f"remote count {self.remote} {relation} local {self.local} "
                f"({self.counted_at}): {verdict}")


def push(nt_file: Path, store_url: str, graph: str | None = None, replace: bool = False,
         query_url: str | None = None, timeout: int = DEFAULT_TIMEOUT) -> PushReport:
    """Send `nt_file` to a Graph Store (PUT replaces the graph, POST merges into it), then count
    the triples of the graph through the query endpoint. KgError when the store does not accept
    the data or cannot be counted."""
    store_url = check_url(store_url)
    target = Endpoint(graph_store_url(store_url, graph), timeout)
    counter = RemoteBackend(query_url or query_endpoint_for(store_url), timeout)
    with open(nt_file, "rb") as body:  # opened once: one build's file, whatever builds follow
        local = count_triples(body)
        size = body.tell()
        body.seek(0)
        target.send(Request(target.url, data=body, method="PUT" if replace else "POST",
                            headers={"Content-Type": "application/n-triples",
                                     "Content-Length": str(size),
                                     "User-Agent": USER_AGENT, **target.auth_header()}))
    try:
        remote = counter.count(graph)
    except KgError as exc:
        raise KgError("the store took the data, but counting its triples failed, so the push is "
                      f"not verified: {exc.message}", exc.exit_code) from None
    return PushReport(store_url, graph, replace, local, remote, counter.url)
