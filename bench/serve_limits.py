"""How `kg serve` holds its time limit, against the Oxigraph server it runs, on one built graph.

    .venv/bin/python -m bench.serve_limits [--root ROOT] [--limit 5] [--wait 60] [--json FILE]

On the current build of ROOT (default: this repository; run `kg build` first), it measures:

- the query of issue 11 that escapes Oxigraph's own limit (a sort over a cross join), sent to
  `oxigraph serve-read-only --timeout-s LIMIT` alone: the answer, or none after `--wait` seconds,
  with the server's CPU share and resident memory meanwhile;
- the same query sent to `kg serve --timeout-s LIMIT`: the status and when it came, the time of
  the next query, and how long until the ended worker was replaced;
- the cost of the front on ordinary queries: the median of `--repeat` runs of a triple count and
  of each catalogue example without parameters, through `kg serve` and straight to an Oxigraph
  server on the same store.

It prints a table and writes the figures as JSON (`--json`). docs/REMOTE.md reports one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException
from pathlib import Path
from typing import Any

from kg.catalogue import load_catalogue
from kg.commands.serve import oxigraph_binary
from kg.generations import current_path
from kg.prefixes import PREFIXES

Json = dict[str, Any]
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
_TICKS = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ask(url: str, query: str, timeout: float) -> tuple[int | None, float]:
    """(HTTP status, or None when no whole answer came within `timeout`, seconds)."""
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(f"{url}/query", data=data,
                                     headers={"Accept": "application/sparql-results+json"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status: int | None = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except (OSError, HTTPException):  # no answer in time, or the connection closed without one
        status = None
    return status, time.monotonic() - start


def _wait_listening(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        if ask(url, "ASK {}", 1)[0] == 200:
            return
        time.sleep(0.05)
    raise SystemExit("the server did not answer within 30 s")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def oxigraph_alone(store: Path, limit: int, wait: float) -> Json:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(store),
                                "--bind", f"127.0.0.1:{port}", "--timeout-s", str(limit)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_listening(url, process)
        cpu_before = _cpu_seconds(process.pid)
        status, seconds = ask(url, RUNAWAY, wait)
        cpu = _cpu_seconds(process.pid) - cpu_before
        return {"status": status, "seconds": round(seconds, 2),
                "cpu_share": round(cpu / seconds, 2), "rss_mb": round(_rss_mb(process.pid)),
                "next_query": _next(url, wait)}
    finally:
        process.kill()
        process.wait()


def _next(url: str, wait: float) -> Json:
    status, seconds = ask(url, COUNT, wait)
    return {"status": status, "seconds": round(seconds, 3)}


def through_kg_serve(root: Path, limit: int, wait: float) -> Json:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "--root", str(root), "serve",
                                "--port", str(port), "--timeout-s", str(limit)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_listening(url, process)
        workers = _children(process.pid)
        status, seconds = ask(url, RUNAWAY, wait)
        answered = time.monotonic()
        following = _next(url, wait)
        while len(_children(process.pid) - workers) < 1 and time.monotonic() - answered < wait:
            time.sleep(0.01)
        return {"status": status, "seconds": round(seconds, 2), "next_query": following,
                "worker_replaced_after": round(time.monotonic() - answered, 3),
                "server_up": process.poll() is None}
    finally:
        process.terminate()
        process.wait()


def _median(url: str, query: str, repeat: int) -> float:
    ask(url, query, 60)  # warm-up
    return statistics.median(ask(url, query, 60)[1] for _ in range(repeat))


def overhead(root: Path, store: Path, repeat: int) -> Json:
    queries = {"count": COUNT}
    queries |= {entry.name: _PROLOGUE + entry.text for entry in load_catalogue(root)
                if not any(p.required for p in entry.params)}
    front_port, direct_port = _free_port(), _free_port()
    front = subprocess.Popen([sys.executable, "-m", "kg.cli", "--root", str(root), "serve",
                              "--port", str(front_port)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    direct = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(store),
                               "--bind", f"127.0.0.1:{direct_port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        urls = {"kg_serve": f"http://127.0.0.1:{front_port}",
                "oxigraph": f"http://127.0.0.1:{direct_port}"}
        _wait_listening(urls["kg_serve"], front)
        _wait_listening(urls["oxigraph"], direct)
        return {name: {where: round(_median(url, query, repeat) * 1000, 1)
                       for where, url in urls.items()} for name, query in queries.items()}
    finally:
        for process in (front, direct):
            process.terminate()
            process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--limit", type=int, default=5, help="the time limit, in seconds")
    parser.add_argument("--wait", type=float, default=60.0,
                        help="seconds to wait for an answer from Oxigraph alone")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    generation = current_path(args.root / "build")
    if generation is None:
        raise SystemExit(f"no build in {args.root}: run kg build first")
    store = generation / "store"
    figures = {
        "limit": args.limit,
        "oxigraph_alone": oxigraph_alone(store, args.limit, args.wait),
        "kg_serve": through_kg_serve(args.root, args.limit, args.wait),
        "overhead_ms": overhead(args.root, store, args.repeat),
    }
    alone, front = figures["oxigraph_alone"], figures["kg_serve"]
    print(f"The runaway query, time limit {args.limit} s: {RUNAWAY}")
    print(f"  oxigraph serve-read-only: status {alone['status'] or 'none'} after "
          f"{alone['seconds']} s, {alone['cpu_share']:.0%} of a core, {alone['rss_mb']} MB; "
          f"next query: {alone['next_query']}")
    print(f"  kg serve:                 status {front['status']} after {front['seconds']} s; "
          f"next query: {front['next_query']}; worker replaced "
          f"{front['worker_replaced_after']} s after the answer")
    print(f"\nMedian ms over {args.repeat} runs   kg serve  oxigraph")
    for name, times in figures["overhead_ms"].items():
        print(f"  {name:<28}{times['kg_serve']:9.1f}{times['oxigraph']:10.1f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
