"""`kg serve`: the built graph over the SPARQL 1.1 Protocol, read-only, with a browser query page.

A front of kg's own (kg.server) listens on 127.0.0.1 unless --host says otherwise and hands each
query to one of a few Oxigraph servers (`oxigraph serve-read-only` from the `oxigraph` package,
kg.worker_pool) on the current build's store: it refuses updates and federated queries, and ends
any query that runs past the time limit by ending its worker. docs/REMOTE.md says what holds.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from kg.commands import add_command, project_of, seconds
from kg.errors import EXIT_FAILURE, KgError

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30
DEFAULT_WORKERS = 2


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (an argparse type)."""
    value = int(text)
    if not 0 < value < 65536:
        raise ValueError("not a TCP port")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "serve", "serve the built graph read-only over SPARQL (with a query page)",
        "Serve build/store read-only: the SPARQL 1.1 Protocol at /query and a query page for the "
        "browser at /. No updates, no federated queries (SERVICE). Every query is stopped at "
        "the time limit, whatever it does. Ctrl-C stops it.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                        help=f"port to listen on (default: {DEFAULT_PORT})")
    parser.add_argument("--timeout-s", type=seconds, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                        help=f"time limit of a query (default: {DEFAULT_TIMEOUT_S})")
    parser.add_argument("--workers", type=seconds, default=DEFAULT_WORKERS, metavar="N",
                        help="queries answered at once; more wait for a free worker, within "
                        f"their time limit (default: {DEFAULT_WORKERS})")
    parser.set_defaults(func=run)


def oxigraph_binary() -> str:
    """The `oxigraph` program of the oxigraph package: beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise KgError("the oxigraph server is not installed: pip install oxigraph")
    return found


def is_loopback(host: str) -> bool:
    """Whether `host` is localhost or a loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address(host: str, port: int) -> str:
    """`host:port`, with an IPv6 address in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise KeyboardInterrupt, even where SIGINT was ignored at start."""
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    saved = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def run(args: argparse.Namespace) -> int:
    from kg.generations import open_current
    from kg.server import Front, FrontServer
    from kg.web.routes import ROUTES
    from kg.worker_pool import WorkerPool

    project = project_of(args)
    generation = open_current(project.build_dir)  # held while serving: no build removes it
    if generation is None:
        raise KgError("build/store not found: run kg build first")
    if not is_loopback(args.host):
        print(f"kg: WARNING: listening on {args.host}, which is not a loopback address: anyone "
              f"who can reach this machine on port {args.port} can query the whole graph. "
              "Leave out --host to serve this machine only.", file=sys.stderr)
    pool: WorkerPool | None = None
    server: FrontServer | None = None
    with generation, _interruptible():
        try:
            pool = WorkerPool(oxigraph_binary(), generation.path / "store", args.workers,
                              args.timeout_s)
            try:
                server = FrontServer((args.host, args.port),
                                     Front(pool, args.timeout_s, args.workers, ROUTES,
                                           project.root))
            except OSError as exc:
                raise KgError(f"cannot listen on {address(args.host, args.port)}: "
                              f"{exc.strerror or exc}", EXIT_FAILURE) from None
            url = f"http://{address(args.host, args.port)}"
            print(f"serving build/store read-only (no updates, no federated queries), query "
                  f"time limit {args.timeout_s} s\n"
                  f"  query page:      {url}/\n"
                  f"  SPARQL endpoint: {url}/query\n"
                  "Ctrl-C stops the server.", flush=True)
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            if server is not None:
                server.server_close()
            if pool is not None:
                pool.close()
    print("stopped", flush=True)
    return 0
