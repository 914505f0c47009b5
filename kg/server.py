"""The HTTP front of `kg serve`: the SPARQL 1.1 Protocol and the query page, read-only, with a
time limit that holds for every query, and federated queries refused.

The front reads each request, checks it (no update, no SERVICE, a bounded size) and hands it to
an Oxigraph server of its worker pool (kg.worker_pool), one request per worker at a time, as a
request of its own making: what the engine reads is exactly what was checked. The answer is
passed on as it comes; a request still running at its deadline (the time limit, plus one second
for Oxigraph to cancel it itself) has its worker killed and replaced, and gets HTTP 503, or, if
its answer had begun, an answer cut off before its end (the chunked encoding's last chunk never
comes, so a client can tell).

The front also makes requests of its own to the workers (`collect`, `PoolBackend`): the data of
the pages kg.web serves, under the same time limit. Routes are a table (`Front.routes`; the
SPARQL Protocol's are SPARQL_ROUTES here, the whole site's kg.web.routes.ROUTES): a path (or a
path prefix), the methods it answers, and a handler that gets the `Exchange` (the
request read, and the means to answer it). To add a page, add a route.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException, HTTPResponse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit

from kg import __version__
from kg.backend import OxTerm, SelectResult
from kg.errors import EXIT_FAILURE, KgError
from kg.prefixes import PREFIXES
from kg.sparql_text import declare_prefixes, uses_service
from kg.worker_pool import LOOPBACK, WorkerPool

MAX_BODY = 1 << 20  # bytes of a request body (a query); more is refused with 413
MAX_CONNECTIONS = 64  # at once; more are answered 503 at once
CLIENT_TIMEOUT = 30.0  # seconds for a client to send its request
GRACE = 1.0  # seconds past the time limit before a worker is killed
_CHUNK = 1 << 16

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
GRAPH_PARAMS = ("default-graph-uri", "named-graph-uri")
SERVICE_REFUSED = ("federated queries (SERVICE) are not allowed on this endpoint: the server "
                   "would send requests to the addresses a query names")
UPDATES_REFUSED = "this endpoint is read-only: SPARQL Update and Graph Store writes are refused"


class ClientGone(Exception):
    """The client closed its connection while the answer was being sent."""


class Unavailable(Exception):
    """No answer from a worker: all stayed busy, the time limit ran out, or the worker failed.
    `status` and `message` are what the client is told, if its answer has not begun."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, list[str]]  # of the URL's query string
    headers: dict[str, str]  # names in lower case
    body: bytes = b""


@dataclass(frozen=True)
class Route:
    """`path` (with `prefix`, every path that starts with it), the methods it answers, and its
    handler."""

    path: str
    methods: frozenset[str]
    handler: Callable[[Exchange], None]
    prefix: bool = False

    def matches(self, path: str) -> bool:
        return path.startswith(self.path) if self.prefix else path == self.path


@dataclass
class Front:
    """What every request is served with: the workers, the time limit in seconds, the routes,
    and the repository (its query catalogue) that the pages are made from."""

    pool: WorkerPool
    limit: int
    workers: int
    routes: tuple[Route, ...] = ()
    root: Path = Path(".")


@dataclass
class Exchange:
    """One request, read, and its answer, written to the client as HTTP/1.1."""

    request: Request
    front: Front
    handler: BaseHTTPRequestHandler
    started: bool = field(default=False)  # the status line is sent

    def send(self, status: int, body: bytes, content_type: str,
             extra: dict[str, str] | None = None) -> None:
        self.started = True
        self.handler.send_response(status)
        self.handler.send_header("Content-Type", content_type)
        self.handler.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.handler.send_header(name, value)
        self.handler.send_header("Connection", "close")
        self.handler.end_headers()
        self._write(body)

    def send_text(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        self.send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", extra)

    def start_stream(self, status: int, content_type: str | None) -> None:
        self.started = True
        self.handler.send_response(status)
        if content_type:
            self.handler.send_header("Content-Type", content_type)
        self.handler.send_header("Transfer-Encoding", "chunked")
        self.handler.send_header("Connection", "close")
        self.handler.end_headers()

    def write_chunk(self, data: bytes) -> None:
        self._write(b"%x\r\n%s\r\n" % (len(data), data))

    def end_stream(self) -> None:
        self._write(b"0\r\n\r\n")

    def _write(self, data: bytes) -> None:
        try:
            self.handler.wfile.write(data)
        except OSError as exc:  # a client that left, or one too slow to read (timeout)
            raise ClientGone from exc


# --- handing a request to a worker ----------------------------------------------------------------

T = TypeVar("T")


def _with_worker(front: Front, work: Callable[[HTTPConnection, float], T]) -> T:
    """`work(connection, deadline)` on a borrowed worker, within the deadline (see the module
    docstring); the worker is replaced unless `work` returned before the deadline. Unavailable
    when no worker was free, the deadline passed or the worker failed."""
    deadline = time.monotonic() + front.limit + GRACE
    worker = front.pool.borrow(deadline)
    if worker is None:
        raise Unavailable(503, f"all {front.workers} query workers stayed busy for the time "
                          f"limit of {front.limit} s; try again later")
    done = False
    connection = HTTPConnection(LOOPBACK, worker.port)
    try:
        connection.timeout = _left(deadline)
        result = work(connection, deadline)
        done = True
        return result
    except TimeoutError:
        raise Unavailable(503, f"the query ran past the time limit of {front.limit} s and was "
                          "stopped") from None
    except (HTTPException, ConnectionError) as exc:  # the worker failed: it is replaced
        raise Unavailable(502, f"the query engine failed ({type(exc).__name__})") from None
    finally:
        connection.close()
        if done:
            front.pool.give_back(worker)
        else:
            front.pool.replace(worker)


def forward(exchange: Exchange, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> None:
    """Send the request to a worker and pass its answer on as it comes."""
    def relay(connection: HTTPConnection, deadline: float) -> None:
        connection.request(method, path, body=body, headers=headers or {})
        _relay(exchange, connection, deadline)

    _with_worker(exchange.front, relay)


def collect(front: Front, query: str, accept: str) -> bytes:
    """The whole answer of a worker to a query of the front's own making (the data of a
    page), in the format `accept`, within the time limit; Unavailable otherwise."""
    def read(connection: HTTPConnection, deadline: float) -> bytes:
        connection.request("POST", "/query", body=urlencode({"query": query}).encode("ascii"),
                           headers={"Content-Type": FORM, "Accept": accept})
        response = connection.getresponse()
        body = b"".join(_chunks(response, connection, deadline))
        if response.status != 200:
            raise Unavailable(502, f"the query engine answered HTTP {response.status}: "
                              + body[:300].decode("utf-8", "replace"))
        return body

    return _with_worker(front, read)


class PoolBackend:
    """The worker pool as a kg.backend.Backend: the catalogue's queries run for the pages as
    `kg query --endpoint` runs them (parameters as a VALUES block, kg.remote.prepare_query)."""

    def __init__(self, front: Front) -> None:
        self.front = front

    def select(self, query: str, bindings: Mapping[str, OxTerm]) -> SelectResult:
        from kg.remote import prepare_query, read_results

        body = collect(self.front, prepare_query(query, bindings), RESULTS_JSON)
        try:
            return read_results(body)
        except (ValueError, TypeError) as exc:
            raise KgError(f"the query engine's answer is not SPARQL JSON results ({exc})",
                          EXIT_FAILURE) from None

    def describe(self) -> str:
        return "kg serve"

    def close(self) -> None:
        pass


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _chunks(response: HTTPResponse, connection: HTTPConnection,
            deadline: float) -> Iterator[bytes]:
    """The worker's answer as it comes; TimeoutError at the deadline."""
    while True:
        assert connection.sock is not None
        connection.sock.settimeout(_left(deadline))
        data = response.read1(_CHUNK)
        if not data:
            return
        yield data


def _relay(exchange: Exchange, connection: HTTPConnection, deadline: float) -> None:
    """Pass the worker's answer on, whole and before the deadline (else an exception)."""
    response = connection.getresponse()
    exchange.start_stream(response.status, response.getheader("Content-Type"))
    for data in _chunks(response, connection, deadline):
        exchange.handler.connection.settimeout(_left(deadline))  # a client too slow to read
        exchange.write_chunk(data)
    exchange.end_stream()


# --- routes -------------------------------------------------------------------------------------

def store_read(exchange: Exchange) -> None:
    """The Graph Store Protocol's GET: the graph's triples, under the same time limit."""
    query = urlencode(exchange.request.params, doseq=True)
    forward(exchange, "GET", "/store" + (f"?{query}" if query else ""),
            headers=_accept(exchange.request))


def refuse_write(exchange: Exchange) -> None:
    exchange.send_text(403, UPDATES_REFUSED)


def sparql_query(exchange: Exchange) -> None:
    """A query by GET, by POST of a form, or by POST of the query itself (SPARQL 1.1
    Protocol). The worker receives a form holding only what was checked."""
    request = exchange.request
    params = {name: list(values) for name, values in request.params.items()}
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == FORM:
            try:
                form = parse_qs(request.body.decode("ascii"), keep_blank_values=True,
                                encoding="utf-8", errors="strict")
            except UnicodeError:
                exchange.send_text(400, "the form is not URL-encoded UTF-8")
                return
            for name, values in form.items():
                params.setdefault(name, []).extend(values)
        elif kind == SPARQL_QUERY:
            try:
                params["query"] = [request.body.decode("utf-8")]
            except UnicodeDecodeError:
                exchange.send_text(400, "the query is not UTF-8")
                return
        else:
            exchange.send_text(415, f"send the query as {FORM} (query=...) or as "
                               f"{SPARQL_QUERY}")
            return
    if "update" in params:
        exchange.send_text(403, UPDATES_REFUSED)
        return
    queries = params.get("query", [])
    if not queries and request.method == "GET":
        forward(exchange, "GET", "/query", headers=_accept(request))  # the service description
        return
    if len(queries) != 1:
        exchange.send_text(400, "give exactly one query (one query parameter)")
        return
    if uses_service(queries[0]):
        exchange.send_text(400, SERVICE_REFUSED)
        return
    # A query written as in the catalogue's docs runs as pasted: the project's prefixes are
    # declared, unless the query declares the same prefix itself.
    fields = [("query", declare_prefixes(queries[0], PREFIXES))]
    fields += [(name, value) for name in GRAPH_PARAMS for value in params.get(name, [])]
    forward(exchange, "POST", "/query", urlencode(fields).encode("ascii"),
            {"Content-Type": FORM, **_accept(request)})


def _accept(request: Request) -> dict[str, str]:
    accept = request.headers.get("accept")
    return {"Accept": accept} if accept else {}


WRITES = frozenset(("POST", "PUT", "DELETE", "PATCH"))
SPARQL_ROUTES: tuple[Route, ...] = (
    Route("/query", frozenset(("GET", "POST")), sparql_query),
    Route("/sparql", frozenset(("GET", "POST")), sparql_query),
    Route("/store", frozenset(("GET",)), store_read),
    Route("/store", WRITES, refuse_write),
    Route("/update", frozenset(("GET",)) | WRITES, refuse_write),
)


def route_for(routes: tuple[Route, ...], method: str, path: str) -> Route | None | str:
    """The route for the request; else the methods the path answers (for 405), or None.
    An exact path is preferred to a prefix, a longer prefix to a shorter one."""
    known = sorted((route for route in routes if route.matches(path)),
                   key=lambda route: (route.prefix, -len(route.path)))
    for route in known:
        if method in route.methods:
            return route
    return ", ".join(sorted(set().union(*(r.methods for r in known)))) if known else None


# --- the server -----------------------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"geokg/{__version__}"
    timeout = CLIENT_TIMEOUT  # for reading the request

    def _dispatch(self) -> None:
        self.close_connection = True
        front: Front = self.server.front  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        try:
            params = parse_qs(url.query, keep_blank_values=True, errors="strict")
        except UnicodeError:
            params = None
        request = Request(self.command, url.path, params or {},
                          {name.lower(): value for name, value in self.headers.items()})
        exchange = Exchange(request, front, self)
        try:
            if params is None:
                exchange.send_text(400, "the URL's query string is not URL-encoded UTF-8")
                return
            found = route_for(front.routes, self.command, url.path)
            if found is None:
                exchange.send_text(404, f"nothing at {url.path}: the SPARQL endpoint is /query, "
                                   "the query page /")
            elif isinstance(found, str):
                exchange.send_text(405, f"{url.path} answers {found}", {"Allow": found})
            elif self._read_body(exchange):
                found.handler(exchange)
        except ClientGone:
            pass
        except Unavailable as exc:
            if not exchange.started:
                exchange.send_text(exc.status, exc.message)
        except Exception as exc:  # a fault of kg serve's: said, and the server goes on
            sys.stderr.write(f"kg serve: {self.command} {url.path}: {type(exc).__name__}: "
                             f"{exc}\n")
            if not exchange.started:
                exchange.send_text(500, "kg serve failed on this request (its message is on "
                                   "the server's terminal)")

    def _read_body(self, exchange: Exchange) -> bool:
        if self.command not in WRITES:
            return True
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            exchange.send_text(411, "send the body with a Content-Length")
            return False
        if int(length) > MAX_BODY:
            exchange.send_text(413, f"the request is larger than {MAX_BODY} bytes")
            return False
        try:
            exchange.request.body = self.rfile.read(int(length))
        except OSError:
            raise ClientGone from None
        return True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch  # http.server's names

    def log_message(self, format: str, *args: object) -> None:  # http.server's names
        pass  # quiet, as the Oxigraph server was: kg serve prints only its start and stop


_Request = socket.socket | tuple[bytes, socket.socket]  # what socketserver hands a server


class FrontServer(ThreadingHTTPServer):
    """A thread per connection, at most MAX_CONNECTIONS at once."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], front: Front) -> None:
        self.front = front
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, _Handler)

    def process_request(self, request: _Request, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            assert isinstance(request, socket.socket)  # TCP: a socket, not a datagram
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: _Request, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a connection that broke is that client's affair; the server goes on

