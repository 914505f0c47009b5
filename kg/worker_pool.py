"""Oxigraph servers that `kg serve` hands queries to, one query at a time each, and ends at will.

Each worker is an `oxigraph serve-read-only` process on the store, listening on a port of its own
on 127.0.0.1. The pool lends a worker to one request at a time; a request that runs past its
deadline has its worker killed (SIGKILL: whatever the engine was doing, the process and its
memory are gone at once) and a fresh worker takes its place. Oxigraph's own time limit cancels
what it can; killing is what holds for everything else (a sort over a cross join, say, which
Oxigraph does not cancel).
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from kg.errors import EXIT_FAILURE, KgError

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 20.0  # seconds for a worker to listen
_START_ATTEMPTS = 5  # a free port can be taken by another program before the worker binds it
_RETRY_AFTER = 1.0  # seconds between attempts to replace a worker that would not start


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _pass_messages(process: subprocess.Popen[bytes]) -> None:
    """The worker's messages (a query it could not answer, why it would not start) go to
    kg serve's stderr, but for the address it listens on: kg serve gives its own."""
    assert process.stderr is not None
    with process.stderr:
        for line in process.stderr:
            if not line.startswith(b"Listening for requests at "):
                sys.stderr.write(line.decode("utf-8", "replace"))
                sys.stderr.flush()


class Worker:
    """One `oxigraph serve-read-only` process, listening on 127.0.0.1:`port`."""

    def __init__(self, command: list[str], port: int, process: subprocess.Popen[bytes]) -> None:
        self.command = command
        self.port = port
        self.process = process

    @classmethod
    def start(cls, binary: str, store: Path, timeout_s: int) -> Worker:
        """A worker that listens; KgError if none could be started."""
        for _attempt in range(_START_ATTEMPTS):
            port = _free_port()
            command = [binary, "serve-read-only", "--location", str(store),
                       "--bind", f"{LOOPBACK}:{port}", "--timeout-s", str(timeout_s)]
            quiet = {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"}
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       env=quiet)
            threading.Thread(target=_pass_messages, args=(process,), daemon=True).start()
            worker = cls(command, port, process)
            if worker._wait_listening():
                return worker
            worker.kill()
        raise KgError("the oxigraph server did not start (its message is above)", EXIT_FAILURE)

    def _wait_listening(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection((LOOPBACK, self.port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.02)
        return False

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """End the process at once, whatever it is doing."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class WorkerPool:
    """`size` workers on `store`; `borrow` lends an idle one, `give_back` or `replace` ends
    the loan."""

    def __init__(self, binary: str, store: Path, size: int, timeout_s: int) -> None:
        self.binary = binary
        self.store = store
        self.timeout_s = timeout_s
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._restarts: set[threading.Thread] = set()  # starting a worker in place of another
        self._lock = threading.Lock()
        self._closed = False
        try:
            for _ in range(size):
                self._add(Worker.start(binary, store, timeout_s))
        except BaseException:
            self.close()
            raise

    def _add(self, worker: Worker) -> None:
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def borrow(self, deadline: float) -> Worker | None:
        """An idle worker, waiting for one until `deadline` (time.monotonic); None if none
        was free by then."""
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if worker.alive:
                return worker
            self.replace(worker)  # died on its own (killed from outside): start another

    def give_back(self, worker: Worker) -> None:
        if worker.alive:
            self._idle.put(worker)
        else:
            self.replace(worker)

    def replace(self, worker: Worker) -> None:
        """Kill `worker` and start another in its place, in the background."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
            thread = threading.Thread(target=self._restart, daemon=True)
            self._restarts.add(thread)
        thread.start()

    def _restart(self) -> None:
        try:
            while not self._closed:
                try:
                    self._add(Worker.start(self.binary, self.store, self.timeout_s))
                    return
                except KgError:
                    time.sleep(_RETRY_AFTER)
        finally:
            with self._lock:
                self._restarts.discard(threading.current_thread())

    def close(self) -> None:
        """End every worker, those being started included (no process outlives the pool)."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            restarts = list(self._restarts)
        for worker in workers:
            worker.kill()
        for thread in restarts:  # a worker started after this is killed by _add
            thread.join(START_TIMEOUT + _RETRY_AFTER)
