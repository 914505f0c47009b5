"""Which store should `kg query` read? `python -m bench.store_compare [--triples 100k]`.

Compares, on the same built graph, each in a fresh process (so that each peak RSS is its own):

- rdflib: an in-memory `Graph` parsed from build/geokg.nt, queried by rdflib's SPARQL engine;
- pyoxigraph in memory: an in-memory `Store` bulk-loaded from build/geokg.nt;
- pyoxigraph on disk: the store `kg build` writes (kg.store.write_store, in the process that
  prepares the graph), opened read-only as `kg query` opens it (kg.store.open_store).

For each: the load time (for the on-disk store: writing it, a cost paid once by `kg build`, and
opening it, the cost every `kg query` pays), the median time of every documented example of every
catalogue query (each stopped after --query-limit seconds where the engine lets Python stop it),
and the peak RSS, with the RSS before loading. The graph is the repository's build/geokg.nt, or
with --triples a synthetic tree of bench.generate built (load and rules, without the checks:
the subject here is the store, not the validation).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from bench.generate import generate, parse_size
from bench.run import REPO, spawn
from bench.worker import catalogue_examples, median_of, peak_rss_kb
from kg.build import load_inputs, run_rules, write_outputs
from kg.namespaces import PREFIXES
from kg.project import OUTPUT_STEM, Project
from kg.store import StoreBackend, open_store, write_store
from kg.terms import to_rdf

BACKENDS = {"rdflib": "rdflib Graph (memory)", "memory": "pyoxigraph Store (memory)",
            "disk": "pyoxigraph Store (disk)"}

Json = dict[str, Any]
Runner = Callable[[Any, dict[str, Any]], int]


def _rdflib(nt: Path, _store: Path) -> tuple[Json, Runner]:
    graph = Graph()
    start = time.perf_counter()
    graph.parse(nt, format="nt")
    loaded = {"load_seconds": time.perf_counter() - start}
    return loaded, lambda entry, bindings: len(list(graph.query(
        entry.text, initNs=PREFIXES, initBindings={k: to_rdf(v) for k, v in bindings.items()})))


def _memory(nt: Path, _store: Path) -> tuple[Json, Runner]:
    store = ox.Store()
    start = time.perf_counter()
    store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
    loaded = {"load_seconds": time.perf_counter() - start}
    backend = StoreBackend(store, "memory")
    return loaded, lambda entry, bindings: len(backend.select(entry.text, bindings).rows)


def _disk(_nt: Path, store: Path) -> tuple[Json, Runner]:
    start = time.perf_counter()
    backend = open_store(store)
    loaded = {"open_seconds": time.perf_counter() - start}
    return loaded, lambda entry, bindings: len(backend.select(entry.text, bindings).rows)


OPENERS: dict[str, Callable[[Path, Path], tuple[Json, Runner]]] = {
    "rdflib": _rdflib, "memory": _memory, "disk": _disk}


def measure_one(backend: str, nt: Path, store: Path, root: Path, repeat: int,
                query_limit: float) -> Json:
    """One backend, in this process: load, every catalogue example, peak RSS."""
    figures: Json = {"base_rss_kb": peak_rss_kb()}
    loaded, run = OPENERS[backend](nt, store)
    figures.update(loaded, loaded_rss_kb=peak_rss_kb(), queries={})
    for label, entry, bindings in catalogue_examples(root):
        try:
            def once(e: Any = entry, b: Any = bindings) -> int:
                return run(e, b)
            figures["queries"][label] = median_of(once, repeat, per_run=query_limit,
                                                  budget=query_limit / 4)
        except Exception as exc:
            figures["queries"][label] = {"seconds": None, "error": str(exc)[:200]}
    figures["rss_kb"] = peak_rss_kb()
    return figures


def prepare(root: Path, workdir: Path, triples: int | None, seed: int) -> Json:
    """The graph to compare (generated first with `triples`) and its on-disk store, written
    as `kg build` writes it."""
    if triples:
        root = workdir / f"synthetic-{triples}"
        generate(root, triples, seed)
    nt, query_root = built_graph(root, workdir)
    shutil.rmtree(workdir / "store", ignore_errors=True)
    start = time.perf_counter()
    store = write_store(nt, workdir / "store")
    return {"nt": str(nt), "root": str(query_root), "store": str(store),
            "store_seconds": time.perf_counter() - start,
            "store_bytes": sum(f.stat().st_size for f in store.iterdir())}


def built_graph(root: Path, workdir: Path) -> tuple[Path, Path]:
    """(N-Triples, project root): build/geokg.nt of `root` if kg build left one, else the
    graph of `root` (load and rules, no checks) written under `workdir`."""
    nt = root / "build" / f"{OUTPUT_STEM}.nt"
    if nt.is_file():
        return nt, root
    project = Project(root)
    inputs = load_inputs(project)
    run_rules(inputs, project)
    target = Project(workdir / "built")
    shutil.rmtree(target.root, ignore_errors=True)
    shutil.copytree(root / "queries", target.root / "queries")
    target.build_dir.mkdir()
    write_outputs(inputs, target.build_dir)
    return target.build_dir / f"{OUTPUT_STEM}.nt", target.root


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def table(figures: dict[str, Json], triples: int) -> str:
    """The comparison: one line per backend, then one line per query."""
    labels = list(next(iter(figures.values()))["queries"])
    lines = [f"{triples:,} triples, {len(labels)} catalogue examples (median seconds)", "",
             f"{'store':<27}{'load':>9}{'open':>8}{'queries':>10}{'slowest':>10}"
             f"{'peak RSS':>11}{'for graph':>11}"]
    for name, f in figures.items():
        times = [q.get("seconds") for q in f["queries"].values()]
        done = [t for t in times if t is not None]
        failed = len(times) - len(done)
        total = f"{sum(done):.3f}" + (f"+{failed}✗" if failed else "")
        lines.append(f"{BACKENDS[name]:<27}{_secs(f.get('load_seconds')):>9}"
                     f"{_secs(f.get('open_seconds')):>8}{total:>10}"
                     f"{_secs(max(done, default=None)):>10}"
                     f"{f['process_rss_kb'] / 1024:>9.0f}MB"
                     f"{(f['loaded_rss_kb'] - f['base_rss_kb']) / 1024:>9.0f}MB")
    lines += ["", "load: parse build/geokg.nt into memory, or (on disk) write the store, "
              "once, in kg build;", "open: what every kg query pays for the store on disk; "
              "for graph: RSS after the load or open, less the RSS before it", "",
              f"{'query':<48}" + "".join(f"{n:>12}" for n in figures) + f"{'rows':>8}"]
    for label in labels:
        cells, rows = [], set()
        for f in figures.values():
            q = f["queries"][label]
            cells.append("error" if "error" in q else "timeout" if q.get("timeout")
                         else _secs(q["seconds"]))
            if q.get("seconds") is not None:
                rows.add(q["rows"])
        agree = "differ" if len(rows) > 1 else str(rows.pop()) if rows else "-"
        lines.append(f"{label[:47]:<48}" + "".join(f"{c:>12}" for c in cells) + f"{agree:>8}")
    return "\n".join(lines)


def child(args: Sequence[str], limit: float) -> Json:
    """`python -m bench.store_compare ARGS --out FILE` in a fresh process: the JSON it wrote,
    with the child's own peak RSS (the parent stays small: a child's peak starts from its
    parent's, which Linux keeps across exec)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        run = spawn([sys.executable, "-m", "bench.store_compare", *args, "--out", str(out)], limit)
        if run.code != 0 or not out.is_file():
            raise SystemExit(f"{' '.join(args)}: failed (exit {run.code}): {run.stderr[-2000:]}")
        return {**json.loads(out.read_text(encoding="utf-8")), "process_rss_kb": run.rss_kb}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store_compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=REPO, help="project root (default: this)")
    parser.add_argument("--triples", type=parse_size,
                        help="use a synthetic tree of about this many triples (bench.generate)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=REPO / "build" / "bench-store")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--query-limit", type=float, default=60.0,
                        help="stop a query after this many seconds, where the engine allows")
    parser.add_argument("--limit", type=float, default=3600.0, help="per process, in seconds")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--one", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--nt", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare or args.one:  # in a child process
        figures = (measure_one(args.one, args.nt, args.store, args.root, args.repeat,
                               args.query_limit) if args.one
                   else prepare(args.root, args.workdir, args.triples, args.seed))
        args.out.write_text(json.dumps(figures), encoding="utf-8")
        return 0
    prepared = child(["--prepare", "--root", str(args.root), "--workdir", str(args.workdir),
                      "--seed", str(args.seed),
                      *(["--triples", str(args.triples)] if args.triples else [])], args.limit)
    figures = {name: child(["--one", name, "--nt", prepared["nt"], "--root", prepared["root"],
                            "--store", prepared["store"], "--repeat", str(args.repeat),
                            "--query-limit", str(args.query_limit)], args.limit)
               for name in BACKENDS}
    with open(prepared["nt"], "rb") as lines:
        triples = sum(1 for _ in lines)
    figures["disk"]["load_seconds"] = prepared["store_seconds"]
    print(table(figures, triples))
    if args.json is not None:
        args.json.write_text(json.dumps({"triples": triples, "prepared": prepared,
                                         "figures": figures}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
