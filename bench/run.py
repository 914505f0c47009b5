"""The benchmark: `python -m bench.run --sizes 10k,100k,1M [--seed S] [--json out.json]`.

For each size it generates a synthetic tree (bench.generate) and measures, each in a fresh
process so that the peak RSS of each is its own:

- `kg build` end to end (the CLI), with the seconds of each step it reports;
- each step of the build alone (load, rules, evidence, checks, shacl, export with the time of
  each output format, store), after the steps it needs;
- every catalogue query's documented examples on the backend `kg query` uses (median of
  --repeat runs after a warm-up, in a process of its own per example, each run stopped after
  --query-limit seconds), the time to open that backend, and `kg query` wall time including
  start-up;
- pyoxigraph alone loading the same files (the build's target is at most 5x that);
- the naive peer pipeline on the same data: rdflib parsing, pyshacl, rdflib's SPARQL engine for
  the rules, checks and queries, rdflib's Turtle and N-Triples serializers. Each naive step is
  stopped after --naive-limit seconds (each query after a tenth of it) and reported as
  "> limit"; the naive pipeline is skipped above --naive-max triples.

It prints a table per size with the ratios side by side and writes every figure as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.generate import generate, parse_size
from bench.worker import NAIVE_ON_BUILT, STEPS, catalogue_examples

REPO = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).parent / "kg"

Json = dict[str, Any]


@dataclass
class Child:
    """A finished child process: exit code, wall seconds, peak RSS (KiB) and output."""

    code: int
    wall: float
    rss_kb: int
    stdout: str
    stderr: str
    timed_out: bool


def spawn(cmd: Sequence[str], timeout: float | None, cwd: Path = REPO) -> Child:
    """Run `cmd` from the repository (or `cwd`), killed after `timeout` seconds; its own peak
    RSS comes from wait4, so it is this child's and not the maximum over all children."""
    killed = threading.Event()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                cwd=cwd)

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer is not None:
            timer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer is not None:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Child(proc.returncode, wall, usage.ru_maxrss, out.read().decode(errors="replace"),
                     err.read().decode(errors="replace"), killed.is_set())


def worker(args: Sequence[str], timeout: float | None, options: Sequence[str] = ()) -> Json:
    """Run bench.worker in a fresh process; its JSON, with the child's wall time and RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        child = spawn([sys.executable, "-m", "bench.worker", *options, *args, str(out)], timeout)
        if child.timed_out:
            return {"seconds": None, "timeout": True, "limit": timeout, "rss_kb": child.rss_kb}
        if child.code != 0 or not out.is_file():
            return {"seconds": None, "error": child.stderr.strip().splitlines()[-1:],
                    "rss_kb": child.rss_kb}
        result = json.loads(out.read_text(encoding="utf-8"))
        result["process_rss_kb"] = child.rss_kb
        result["wall"] = child.wall
        return result


# A step's line of `kg build --timings`, with the note a rebuild gives its store step.
_TIMING = re.compile(r"^\s+(\w+)\s+([0-9.]+) s(?: \(.*\))?$", re.MULTILINE)
_BUILT = re.compile(r"^(built|up to date:) (\d+) triples", re.MULTILINE)


def kg_build(root: Path, timeout: float | None, force: bool = True,
             kg: Sequence[str] = (str(KG),)) -> Json:
    """`kg build --root ROOT --timings [--force]`: wall time, peak RSS, the step timings it
    prints, and whether it found the build up to date (only possible without `force`). `kg`
    is the command (another checkout's, for instance)."""
    child = spawn([*kg, "build", "--root", str(root), "--timings",
                   *(["--force"] if force else [])], timeout)
    built = _BUILT.search(child.stdout)
    result: Json = {
        "ok": child.code == 0 and not child.timed_out,
        "seconds": None if child.timed_out else child.wall, "rss_kb": child.rss_kb,
        "timings": {name: float(value) for name, value in _TIMING.findall(child.stdout)},
        "triples": int(built.group(2)) if built else None,
        "up_to_date": built is not None and built.group(1) != "built",
    }
    if child.timed_out:
        result.update(timeout=True, limit=timeout)
    elif child.code != 0:
        result["error"] = (child.stdout + child.stderr).strip().splitlines()[-20:]
    return result


_FIRST_ENGLISH_LABEL = re.compile(r'(rdfs:label "[^"\\]*)("@en)')


def edit_one_triple(root: Path) -> Json:
    """Change one triple in one data file: the first English label of the first synthetic
    treaty file gets " (edited)" (still unique, so the build stays valid). Returns the file
    and its share of the data files' bytes."""
    data = root / "data"
    path = sorted(data.glob("syn-treaties-*.ttl"))[0]
    text, edits = _FIRST_ENGLISH_LABEL.subn(r"\1 (edited)\2", path.read_text(encoding="utf-8"),
                                            count=1)
    if edits != 1:
        raise SystemExit(f"{path}: no English label to edit")
    path.write_text(text, encoding="utf-8")
    total = sum(p.stat().st_size for p in data.glob("*.ttl"))
    return {"file": path.name, "share": path.stat().st_size / total}


def local_queries(root: Path, args: argparse.Namespace) -> Json:
    """Each catalogue example in a process of its own, each run stopped after --query-limit
    seconds: by the worker between rows, and by ending the process when the engine does not
    yield (an Oxigraph query cannot be interrupted from Python), after the limit of every run
    (the warm-up and --repeat)."""
    merged: Json = {"queries": {}}
    for index, (label, _entry, _bindings) in enumerate(catalogue_examples(root)):
        log(f"  query {label}")
        result = worker(["queries", str(root)], args.query_limit * (args.repeat + 1),
                        ["--repeat", str(args.repeat), "--only", str(index),
                         "--query-limit", str(args.query_limit)])
        if result.get("queries"):
            merged["queries"].update(result["queries"])
            merged.setdefault("backend", result["backend"])
            merged.setdefault("open_seconds", result["open_seconds"])
        else:
            merged["queries"][label] = result
    return merged


def kg_query_wall(root: Path, timeout: float | None) -> Json:
    """`kg query` of the catalogue's first example, start-up included."""
    label = catalogue_examples(root)[0][0]
    child = spawn([str(KG), "query", *shlex.split(label), "--root", str(root), "--format", "tsv"],
                  timeout)
    return {"query": label, "seconds": None if child.timed_out else child.wall,
            "ok": child.code == 0, "rss_kb": child.rss_kb}


def measure(size: int, args: argparse.Namespace) -> Json:
    root = args.workdir / f"{label_of(size)}-s{args.seed}"
    start = time.perf_counter()
    manifest = generate(root, size, args.seed)
    figures: Json = {"size": size, "root": str(root), "generate_seconds":
                     time.perf_counter() - start, "manifest": manifest}
    log(f"{label_of(size)}: generated {manifest['triples']} triples in "
        f"{figures['generate_seconds']:.1f} s; kg build ...")
    figures["build"] = build = kg_build(root, args.limit)
    if not build["ok"] and not build.get("timeout"):
        log(f"{label_of(size)}: kg build failed; no further figures")
        return figures
    if build["ok"]:
        log(f"{label_of(size)}: kg build again, nothing changed ...")
        figures["rebuild_unchanged"] = kg_build(root, args.limit, force=False)
        edited = edit_one_triple(root)
        log(f"{label_of(size)}: kg build again, one triple of {edited['file']} changed ...")
        figures["rebuild_one_triple"] = rebuilt = {**kg_build(root, args.limit, force=False),
                                                   "edited": edited}
        if rebuilt["ok"] and rebuilt["seconds"] and build["seconds"]:
            # the incremental rebuild (kg.build: the previous store, updated) ÷ the full build
            figures["rebuild_ratio"] = rebuilt["seconds"] / build["seconds"]
    figures["steps"] = {}
    for step in STEPS:
        log(f"{label_of(size)}: step {step} alone ...")
        figures["steps"][step] = worker(["step", step, str(root)], 2 * args.limit + 600,
                                        ["--limit", str(args.limit)])
    if not (root / "build" / "geokg.nt").is_file():
        log(f"{label_of(size)}: nothing was exported; no query or naive figures")
        return figures
    log(f"{label_of(size)}: queries ...")
    figures["queries"] = local_queries(root, args)
    figures["kg_query"] = kg_query_wall(root, args.limit)
    log(f"{label_of(size)}: pyoxigraph alone ...")
    figures["oxigraph"] = worker(["oxigraph", str(root)], args.limit)
    figures["floors"] = floors(figures)
    if size <= args.naive_max:
        figures["naive"] = naive(root, args)
    return figures


def floors(figures: Json) -> Json | None:
    """What a build cannot go below, measured in the same run: pyoxigraph alone loading the
    files, SHACL alone (pyshacl-turbo, with its own parse of the graph) and the store step
    alone (Oxigraph's bulk load of the export into the on-disk store, and the label index),
    with `kg build`'s wall time as a multiple of their sum (the target is at most 1.3x). None
    when one of them has no figure (stopped or failed)."""
    steps = figures.get("steps", {})
    parts = {"load": figures.get("oxigraph", {}).get("seconds"),
             "shacl": steps.get("shacl", {}).get("seconds"),
             "store": steps.get("store", {}).get("seconds")}
    build = figures["build"].get("seconds")
    if build is None or any(value is None for value in parts.values()):
        return None
    total = sum(parts.values())
    return {**parts, "sum": total, "ratio": build / total}


def naive(root: Path, args: argparse.Namespace) -> Json:
    """The naive pipeline's steps: load and rules on their own, the steps on the built graph
    after one shared parse (bench.worker forks a child per step)."""
    options = ["--limit", str(args.naive_limit), "--query-limit", str(args.naive_limit / 10),
               "--repeat", str(args.repeat)]
    # each child stops itself; the timeout only guards against a step that ignores SIGALRM
    guard = 3 * args.naive_limit + 600
    figures: Json = {}
    for step in ("load", "rules"):
        log(f"{root.name}: naive {step} ...")
        figures[step] = worker(["naive", step, str(root)], guard, options)
    log(f"{root.name}: naive {', '.join(NAIVE_ON_BUILT)} (one parse) ...")
    shared = worker(["naive", ",".join(NAIVE_ON_BUILT), str(root)],
                    len(NAIVE_ON_BUILT) * guard, options)
    for step in NAIVE_ON_BUILT:
        figures[step] = shared.get(step, shared)  # the whole failure when the parse failed
    return figures


# --- the table -------------------------------------------------------------------------------

def label_of(size: int) -> str:
    for unit, name in ((1_000_000, "M"), (1_000, "k")):
        if size >= unit and size % unit == 0:
            return f"{size // unit}{name}"
    return str(size)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def secs(figure: Json | None) -> str:
    if not figure:
        return "-"
    if figure.get("timeout"):
        return f"> {figure['limit']:.0f}"
    value = figure.get("seconds")
    if value is None:
        return "error" if "error" in figure else "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def millis(figure: Json | None) -> str:
    if not figure:
        return "-"
    if figure.get("timeout"):
        return f"> {figure['limit'] * 1000:.0f}"
    if figure.get("seconds") is None:
        return "error"
    return f"{figure['seconds'] * 1000:.1f}"


def mb(kb: int | None) -> str:
    return "-" if not kb else f"{kb / 1024:.0f}"


def ratio(naive: Json | None, ours: float | None) -> str:
    if not naive or not ours:
        return "-"
    if naive.get("timeout"):
        return f"> {naive['limit'] / ours:.1f}x"
    if naive.get("seconds") is None:
        return "-"
    return f"{naive['seconds'] / ours:.1f}x"


def naive_total(naive: Json) -> Json:
    """The naive pipeline's steps added up (a lower bound when a step hit its limit)."""
    parts = [naive.get(step, {}) for step in ("load", "rules", "shacl", "checks", "export")]
    total = sum(p.get("seconds") or p.get("limit") or 0 for p in parts)
    if any(p.get("timeout") for p in parts):
        return {"timeout": True, "limit": total, "seconds": None}
    return {"seconds": total}


def table(figures: Json) -> str:
    size = figures["size"]
    manifest = figures["manifest"]
    build = figures["build"]
    lines = [f"== {label_of(size)}: {manifest['triples']:,} triples loaded from "
             f"{manifest['data_files']} data files and {manifest['text_files']} texts; "
             f"generated in {figures['generate_seconds']:.1f} s"]
    if build["ok"]:
        lines.append(f"kg build: {build['triples']:,} triples built in {secs(build)} s wall, "
                     f"peak RSS {mb(build['rss_kb'])} MB = "
                     f"{build['rss_kb'] * 1.024 / build['triples']:.2f} KB/triple")
        again = figures.get("rebuild_unchanged")
        if again:
            state = "up to date" if again["up_to_date"] else "built again"
            lines.append(f"kg build again with nothing changed: {secs(again)} s wall ({state})")
        edited = figures.get("rebuild_one_triple")
        if edited:
            lines.append(f"kg build again with one triple of {edited['edited']['file']} changed "
                         f"({edited['edited']['share']:.1%} of the data files): "
                         f"{secs(edited)} s wall")
        if "rebuild_ratio" in figures:
            lines.append(f"rebuild after a one-label edit ÷ full build: "
                         f"{figures['rebuild_ratio']:.2f}")
    elif build.get("timeout"):
        lines.append(f"kg build: stopped after {secs(build)} s (peak RSS so far "
                     f"{mb(build['rss_kb'])} MB); the steps below ran one by one")
    else:
        lines.append("kg build failed: " + " | ".join(build.get("error", [])[-3:]))
    if "steps" not in figures:
        return "\n".join(lines)
    naive = figures.get("naive", {})
    header = (f"{'step':<10}{'in build s':>11}{'alone s':>10}{'RSS MB':>8}"
              f"{'naive s':>10}{'naive MB':>9}{'naive/kg':>10}")
    lines += [header, "-" * len(header)]
    for step, alone in figures["steps"].items():
        in_build = build["timings"].get(step)
        peer = naive.get(step) if step != "evidence" else None
        lines.append(f"{step:<10}{'-' if in_build is None else f'{in_build:.3f}':>11}"
                     f"{secs(alone):>10}{mb(alone.get('rss_kb')):>8}{secs(peer):>10}"
                     f"{mb(peer.get('rss_kb') if peer else None):>9}"
                     f"{ratio(peer, alone.get('seconds')):>10}")
        if step == "export" and alone.get("formats"):
            fmt = alone["formats"]
            peer_fmt = (peer or {}).get("formats", {})
            for name in ("turtle", "ntriples"):
                theirs = peer_fmt.get(name)
                lines.append(f"  {name:<8}{'':>11}{fmt[name]:>10.3f}{'':>8}"
                             f"{'-' if theirs is None else f'{theirs:.3f}':>10}{'':>9}"
                             f"{ratio({'seconds': theirs}, fmt[name]) if theirs else '-':>10}")
            lines.append(f"  {'prepare':<8}{'':>11}{fmt['prepare']:>10.3f}   (distinct "
                         "N-Triples lines, sorted: shared by both formats)")
    if naive:
        total = naive_total(naive)
        lines.append(f"{'total':<10}{secs(build):>11}{'':>10}{mb(build['rss_kb']):>8}"
                     f"{secs(total):>10}{'':>9}{ratio(total, build['seconds']):>10}"
                     "   (naive: load+rules+shacl+checks+export; kg: CLI wall)")
    ox = figures.get("oxigraph", {})
    if ox.get("seconds"):
        versus = (f": kg build = {build['seconds'] / ox['seconds']:.0f}x that (target <= 5x)"
                  if build.get("seconds") else "")
        lines.append(f"pyoxigraph alone loads the same files in {secs(ox)} s, peak RSS "
                     f"{mb(ox['rss_kb'])} MB{versus}")
    bounds = figures.get("floors")
    if bounds:
        lines.append(f"floors: pyoxigraph load {bounds['load']:.1f} + SHACL alone "
                     f"{bounds['shacl']:.1f} + store alone {bounds['store']:.1f} = "
                     f"{bounds['sum']:.1f} s: kg build = {bounds['ratio']:.1f}x their sum "
                     "(target <= 1.3x)")
    queries = figures.get("queries", {})
    if queries.get("queries"):
        lines.append(f"queries on {queries['backend']} (opened in {queries['open_seconds']:.2f} s"
                     f"; `kg query {figures['kg_query']['query']}` takes "
                     f"{secs(figures['kg_query'])} s wall with start-up):")
        naive_queries = naive.get("queries", {}).get("queries", {})
        lines.append(f"  {'query (documented example)':<72}{'median ms':>10}{'rows':>7}"
                     f"{'naive ms':>10}{'ratio':>8}")
        for label, q in queries["queries"].items():
            peer = naive_queries.get(label)
            lines.append(f"  {label[:71]:<72}{millis(q):>10}{q.get('rows', '-'):>7}"
                         f"{millis(peer):>10}{ratio(peer, q.get('seconds')):>8}")
    return "\n".join(lines)


def machine() -> Json:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 ** 2, 1),
            "python": platform.python_version(), "system": platform.platform(),
            "packages": {p: metadata.version(p) for p in ("rdflib", "pyshacl", "pyshacl-turbo",
                                                          "pyoxigraph")}}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1M",
                        help="comma-separated target sizes in triples (default 10k,100k,1M)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    parser.add_argument("--workdir", type=Path, default=REPO / "build" / "bench",
                        help="where the synthetic trees go (default build/bench)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--limit", type=float, default=7200.0,
                        help="stop a kg build or a step of it after this many seconds")
    parser.add_argument("--query-limit", type=float, default=300.0,
                        help="stop a catalogue query on the store after this many seconds")
    parser.add_argument("--naive-limit", type=float, default=600.0,
                        help="stop a naive step after this many seconds (default 600)")
    parser.add_argument("--naive-max", type=parse_size, default=parse_size("1M"),
                        help="skip the naive pipeline above this size (default 1M)")
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    report: Json = {"machine": machine(), "seed": args.seed, "sizes": {}}
    for size in sizes:
        figures = measure(size, args)
        report["sizes"][label_of(size)] = figures
        print(table(figures) + "\n", flush=True)
        if args.json is not None:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0 if all(f["build"]["ok"] for f in report["sizes"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
