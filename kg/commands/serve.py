"""`kg serve`: the built graph over the SPARQL 1.1 Protocol, read-only, with a browser query page.

The server is Oxigraph's own (`oxigraph serve-read-only` from the `oxigraph` package) on
build/store: it answers queries at /query and shows a query page at /, and it has no update
endpoint and no Graph Store writes. It listens on 127.0.0.1 unless --host says otherwise.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from kg.commands import add_command, project_of, seconds
from kg.errors import EXIT_FAILURE, KgError

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30
START_TIMEOUT = 20.0  # seconds for the server to listen
STOP_TIMEOUT = 5.0  # seconds for the server to stop before it is killed


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (an argparse type)."""
    value = int(text)
    if not 0 < value < 65536:
        raise ValueError("not a TCP port")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "serve", "serve the built graph read-only over SPARQL (with a query page)",
        "Serve build/store through the Oxigraph server, read-only: the SPARQL 1.1 Protocol at "
        "/query and a query page for the browser at /. No updates. Ctrl-C stops it.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                        help=f"port to listen on (default: {DEFAULT_PORT})")
    parser.add_argument("--timeout-s", type=seconds, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                        help=f"time limit of a query (default: {DEFAULT_TIMEOUT_S})")
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


def _check_free(host: str, port: int) -> None:
    """KgError if something already listens on host:port (the server would exit at once)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise KgError(f"cannot listen on {address(host, port)}: {exc.strerror or exc}",
                          EXIT_FAILURE) from None


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _wait_listening(child: subprocess.Popen[bytes], host: str, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise KgError(f"the oxigraph server stopped at once (exit {child.returncode}); "
                          "its message is above", EXIT_FAILURE)
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise KgError(f"the oxigraph server did not listen on {address(host, port)} within "
                  f"{START_TIMEOUT:.0f} s", EXIT_FAILURE)


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

    project = project_of(args)
    generation = open_current(project.build_dir)  # held until the process ends
    if generation is None:
        raise KgError("build/store not found: run kg build first")
    store = generation.path / "store"
    command = [oxigraph_binary(), "serve-read-only", "--location", str(store),
               "--bind", address(args.host, args.port), "--timeout-s", str(args.timeout_s)]
    if not is_loopback(args.host):
        print(f"kg: WARNING: listening on {args.host}, which is not a loopback address: anyone "
              f"who can reach this machine on port {args.port} can query the whole graph. "
              "Leave out --host to serve this machine only.", file=sys.stderr)
    _check_free(args.host, args.port)
    url = f"http://{address(args.host, args.port)}"
    quiet = {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"}  # messages only
    with _interruptible():
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, env=quiet)
        try:
            _wait_listening(child, args.host, args.port)
            print(f"serving build/store read-only (no updates), query time "
                  f"limit {args.timeout_s} s\n"
                  f"  query page:      {url}/\n"
                  f"  SPARQL endpoint: {url}/query\n"
                  "Ctrl-C stops the server.", flush=True)
            code = child.wait()
        except KeyboardInterrupt:
            code = None
        finally:
            _stop(child)
    if code is None or code in (-signal.SIGINT, -signal.SIGTERM):
        print("stopped", flush=True)
        return 0
    raise KgError(f"the oxigraph server stopped (exit {code})", EXIT_FAILURE)
