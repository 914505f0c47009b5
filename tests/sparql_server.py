"""Servers for the tests, on 127.0.0.1 only, each stopped afterwards.

The real SPARQL servers, Oxigraph's and Virtuoso's (tests skip where Virtuoso is not installed),
are bench/servers.py's, shared with the benchmark. `Stub`: a tiny http.server that answers every
request with what the test set (a status, a body, a delay), for the failures that a real server
does not produce on demand; it records the requests it got.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

import pytest

from bench.servers import (
    LOOPBACK,
    OxigraphServer,
    VirtuosoServer,
    free_port,
    stop,
    virtuoso_missing,
)

__all__ = ["LOOPBACK", "OxigraphServer", "Reply", "Seen", "Stub", "VirtuosoServer", "free_port",
           "stop", "virtuoso_missing", "without_credentials"]


@dataclass
class Seen:
    """A request the stub received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/sparql-results+json"
    delay: float = 0.0  # seconds before answering (the stub's end cuts it short)
    headers: dict[str, str] = field(default_factory=dict)  # more headers, e.g. Location


@dataclass
class Stub:
    """An HTTP server on 127.0.0.1 that answers `replies[method]` (else `reply`) to everything."""

    reply: Reply = field(default_factory=Reply)
    replies: dict[str, Reply] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.released = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                stub.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                reply = stub.replies.get(self.command, stub.reply)
                if reply.delay:
                    stub.released.wait(reply.delay)
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_DELETE = answer  # http.server's names

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up (the timeout test) is not an error here

        self.server = Server((LOOPBACK, 0), Handler)
        self.url = f"http://{LOOPBACK}:{self.server.server_address[1]}"
        # A short poll: shutdown() waits for the loop to look (0.5 s by default, per test).
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.01,),
                                       daemon=True)

    def __enter__(self) -> Stub:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def without_credentials(patch: pytest.MonkeyPatch, home: Path) -> None:
    """No credentials of the developer's reach a server: no KG_SPARQL_* variables, and a HOME
    (`home`) without ~/.netrc."""
    patch.delenv("KG_SPARQL_USER", raising=False)
    patch.delenv("KG_SPARQL_PASSWORD", raising=False)
    patch.setenv("HOME", str(home))
