"""SPARQL servers on 127.0.0.1 only, each stopped afterwards, for the tests and the benchmark
(bench/virtuoso_parity.py).

`OxigraphServer`: a real SPARQL 1.1 server (`oxigraph serve`, read-write, from the oxigraph
package) on a free port over a temporary directory. `VirtuosoServer`: OpenLink Virtuoso 7
(`virtuoso-t`, Debian's virtuoso-opensource), with an ini file of its own and its database in a
temporary directory, on two free ports (SQL and HTTP); `virtuoso_missing` says why it cannot run.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import urlencode

from kg.commands.serve import oxigraph_binary

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 20.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the time of asking)."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def wait_listening(port: int, process: subprocess.Popen[bytes] | None = None,
                   timeout: float = START_TIMEOUT) -> None:
    """Return once 127.0.0.1:`port` accepts connections; fail if `process` ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {LOOPBACK}:{port} after {timeout} s")


def stop(process: subprocess.Popen[bytes], grace: float = 5) -> None:
    """Terminate `process`, killing it if it does not stop within `grace` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class OxigraphServer:
    """`oxigraph serve` on 127.0.0.1, a free port and `location` (a context manager)."""

    def __init__(self, location: Path, timeout_s: int = 30) -> None:
        self.location = location
        self.timeout_s = timeout_s
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.query_url = f"{self.url}/query"
        self.store_url = f"{self.url}/store"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> OxigraphServer:
        self.process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(self.location),
             "--bind", f"{LOOPBACK}:{self.port}", "--timeout-s", str(self.timeout_s)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_listening(self.port, self.process)
        except BaseException:
            stop(self.process)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.process is not None:
            stop(self.process)


VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
# The set-up of docs/REMOTE.md, on free ports of 127.0.0.1: MaxMemPoolSize above its default of
# 400 MB, which office-holders' compilation reaches at times (Error SQ200).
_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxMemPoolSize = 1000000000
DirsAllowed = {dir}
[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {dir}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {timeout_s}
"""
# Anonymous SPARQL may write (the server listens on 127.0.0.1 only, in the test's own folder):
# the SPARQL user gets SPARQL_UPDATE, and every graph is readable and writable by default.
_VIRTUOSO_GRANTS = ('grant SPARQL_UPDATE to "SPARQL";'
                    " DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot run here, or None."""
    missing = [name for name in (VIRTUOSO, ISQL) if shutil.which(name) is None]
    if missing:
        return (f"{' and '.join(missing)} not found: install the Debian package "
                "virtuoso-opensource (.ci/run does)")
    return None


class VirtuosoServer:
    """Virtuoso 7 on 127.0.0.1 over the folder `location` (a context manager): the Graph Store
    at `store_url`, SPARQL at `query_url`. Its default graph is the union of all its graphs,
    system graphs included, so the tests push to the named graph `graph` and query with
    `default-graph-uri` (`dataset_url`)."""

    def __init__(self, location: Path, graph: str, timeout_s: int = 60) -> None:
        self.location = location
        self.graph = graph
        self.sql_port, self.port = free_port(), free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.query_url = f"{self.url}/sparql"
        self.store_url = f"{self.url}/sparql-graph-crud"
        self.dataset_url = f"{self.query_url}?{urlencode({'default-graph-uri': graph})}"
        self.timeout_s = timeout_s
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> VirtuosoServer:
        ini = self.location / "virtuoso.ini"
        ini.write_text(_VIRTUOSO_INI.format(
            dir=self.location, host=LOOPBACK, sql_port=self.sql_port, http_port=self.port,
            timeout_s=self.timeout_s), encoding="utf-8")
        self.process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=self.location,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_listening(self.port, self.process, timeout=120)
            subprocess.run([ISQL, f"{LOOPBACK}:{self.sql_port}", "dba", "dba",
                            f"exec={_VIRTUOSO_GRANTS}"], check=True, capture_output=True,
                           timeout=60)
        except BaseException:
            stop(self.process, 30)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.process is not None:
            stop(self.process, 30)
