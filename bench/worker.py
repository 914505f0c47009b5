"""One measurement in a fresh process; bench.run starts it and reads the JSON it writes.

    python -m bench.worker step NAME ROOT OUT      a step of `kg build` (after its prerequisites)
    python -m bench.worker queries ROOT OUT        every catalogue example on the embedded store
    python -m bench.worker oxigraph ROOT OUT       pyoxigraph alone loading the same files
    python -m bench.worker naive NAME ROOT OUT     a step of the naive peer pipeline (NAME may
                                                   be several steps on the built graph: a,b)

Every result has `seconds` for the measured work only (prerequisites are timed apart, in
`setup_seconds`), `rss_kb`, the process's peak resident set size at the end, and
`setup_rss_kb`, the peak before the measured work began. A naive step that runs past
`--limit` seconds is stopped (SIGALRM) and reported with `"timeout": true`.
"""

from __future__ import annotations

import argparse
import json
import resource
import shlex
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STEPS = ("load", "rules", "evidence", "checks", "shacl", "export", "store")  # as kg build
NAIVE_STEPS = ("load", "rules", "shacl", "checks", "export", "queries")

Json = dict[str, Any]


def peak_rss_kb() -> int:
    """Peak resident set size of this process so far, in KiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class StepTimeout(BaseException):
    """Raised by SIGALRM when a step runs past its limit; a BaseException, so that the
    `except Exception` of a parser or of pyshacl does not turn it into an error."""


def _alarm(_signum: int, _frame: object) -> None:
    raise StepTimeout


@contextmanager
def limit(seconds: float | None) -> Iterator[None]:
    """Raise StepTimeout in the block after `seconds` (no limit when None)."""
    if not seconds:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed(work: Callable[[], object], seconds: float | None = None) -> tuple[Json, object]:
    """Run `work` under a time limit: {seconds, rss_kb} (or timeout) and its result."""
    start = time.perf_counter()
    try:
        with limit(seconds):
            result = work()
    except StepTimeout:
        return {"seconds": None, "timeout": True, "limit": seconds, "rss_kb": peak_rss_kb()}, None
    return {"seconds": time.perf_counter() - start, "rss_kb": peak_rss_kb()}, result


def example_bindings(entry: Any, example: str) -> dict[str, Any]:
    """The parameter terms of one `# example:` line of a catalogue entry."""
    from kg.params import bind, parse_assignments

    words = shlex.split(example)[3:]
    return bind(entry.params, parse_assignments(words[1::2]), entry.origin)


def catalogue_examples(root: Path) -> list[tuple[str, Any, dict[str, Any]]]:
    """(label, entry, bindings) for every documented example of every catalogue query."""
    from kg.catalogue import load_catalogue

    found = []
    for entry in load_catalogue(root):
        for example in entry.examples:
            label = " ".join(shlex.split(example)[2:])
            found.append((label, entry, example_bindings(entry, example)))
    return found


# --- kg build, step by step ---------------------------------------------------------------

def kg_step(name: str, root: Path, seconds: float | None) -> Json:
    """Run `name` of the pipeline in kg.build after the steps it needs; time `name` only,
    stopped after `seconds` (at the next Python bytecode: a long Oxigraph query runs on)."""
    from kg import build as kb

    if name not in STEPS:
        raise SystemExit(f"unknown step {name!r}")
    project = kb.Project(root)
    setup_start = time.perf_counter()
    inputs: Any = None  # the loaded inputs, for the steps that need them
    if name not in ("load", "store"):
        inputs = kb.load_inputs(project)
    if name in ("shacl", "checks", "export"):
        kb.run_rules(inputs, project)
    setup: Json = {"setup_seconds": time.perf_counter() - setup_start,
                   "setup_rss_kb": peak_rss_kb()}
    store_step: Any = getattr(kb, "write_store_dir", None)
    scratch = Path(tempfile.mkdtemp(prefix="bench-step-"))  # a folder as a new generation is
    if name == "store":
        (scratch / "geokg.nt").symlink_to((project.build_dir / "geokg.nt").resolve())
    work: dict[str, tuple[Callable[[], Any], Callable[[Any], Json]]] = {
        "load": (lambda: kb.load_inputs(project), lambda r: {"triples": r.dataset.triples}),
        "rules": (lambda: kb.run_rules(inputs, project), lambda r: {"derived": r.total}),
        "shacl": (lambda: kb.run_shacl(inputs), lambda r: {"results": len(r)}),
        "evidence": (lambda: kb.run_evidence(inputs, project), lambda r: {"problems": len(r)}),
        "checks": (lambda: kb.run_checks(inputs, project), lambda r: {"failures": len(r)}),
        "export": (lambda: kb.write_outputs(inputs, scratch),
                   lambda r: {"formats": export_formats(inputs.dataset.chunks())}),
        "store": (lambda: store_step(scratch), lambda r: {}),
    }
    if name == "store" and store_step is None:
        return {"skipped": "kg.build has no store step", **setup}
    run, describe = work[name]
    try:
        result, value = timed(run, seconds)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {**setup, **result, **(describe(value) if result["seconds"] is not None else {})}


def export_formats(chunks: list[bytes]) -> Json:
    """Seconds for each output format of kg.export, written to /dev/null: the shared
    preparation (the distinct N-Triples lines, sorted), Turtle, N-Triples."""
    from kg import export

    figures: Json = {}
    start = time.perf_counter()
    lines = export.sorted_lines(chunks)
    figures["prepare"] = time.perf_counter() - start
    for fmt, writer in (("turtle", export.write_turtle), ("ntriples", export.write_ntriples)):
        with open("/dev/null", "w", encoding="utf-8") as sink:
            start = time.perf_counter()
            writer(lines, sink)
            figures[fmt] = time.perf_counter() - start
    return figures


# --- queries on the embedded store ---------------------------------------------------------

def median_of(run: Callable[[], int], repeat: int, per_run: float | None = None,
              budget: float | None = None) -> Json:
    """Median, min and max seconds over up to `repeat` runs after one warm-up run; fewer runs
    when one takes longer than `budget` seconds. Each run is stopped after `per_run` seconds."""
    times, rows = [], 0
    for i in range(repeat + 1):
        figure, count = timed(run, per_run)
        if figure["seconds"] is None:
            return {"seconds": None, "timeout": True, "limit": per_run}
        rows = count  # type: ignore[assignment]
        if i > 0 or (budget is not None and figure["seconds"] > budget):
            times.append(figure["seconds"])
        if budget is not None and figure["seconds"] > budget:
            break
    return {"seconds": statistics.median(times), "min": min(times), "max": max(times),
            "runs": len(times), "rows": rows}


def queries(root: Path, repeat: int, only: int | None, per_run: float | None = None) -> Json:
    """Catalogue examples (all, or the `only`-th) on the backend `kg query` uses
    (kg.querying.open_backend): the time to open it and each query's median. Runs stop repeating
    once one takes more than 10 s; a run still going after `per_run` seconds is a timeout."""
    from kg.project import Project
    from kg.querying import open_backend, select

    start = time.perf_counter()
    backend = open_backend(Project(root))
    opened = time.perf_counter() - start
    results = {}
    for index, (label, entry, bindings) in enumerate(catalogue_examples(root)):
        if only is None or index == only:
            def rows(e: Any = entry, b: Any = bindings) -> int:
                return len(select(backend, e, b).rows)
            results[label] = median_of(rows, repeat, per_run, budget=10.0)
    return {"backend": type(backend).__name__, "open_seconds": opened, "queries": results,
            "rss_kb": peak_rss_kb()}


# --- pyoxigraph alone ------------------------------------------------------------------------

def oxigraph_load(root: Path) -> Json:
    """pyoxigraph alone: the files `kg build` loads, parsed into an in-memory store."""
    import pyoxigraph as ox

    from kg.project import Project

    project = Project(root)
    files = project.ontology_files + project.data_files + [project.shapes_file]

    def load() -> int:
        store = ox.Store()
        for path in files:
            store.load(path=path, format=ox.RdfFormat.TURTLE)
        return len(store)

    result, triples = timed(load)
    return {**result, "triples": triples, "files": len(files)}


# --- the naive peer pipeline: rdflib, pyshacl, rdflib's SPARQL engine and serializers ------

# The steps that start from the built graph: it is parsed once, and each step runs in a child
# process forked from there (at 1M triples rdflib's parse takes minutes).
NAIVE_ON_BUILT = ("shacl", "checks", "export", "queries")


def naive_step(name: str, root: Path, step_limit: float, query_limit: float,
               repeat: int) -> Json:
    """One naive step: `load` parses the sources, `rules` runs on them, any other name on the
    built graph. Several names of NAIVE_ON_BUILT joined by commas share one parse: the result
    then maps each name to its figures, each from its own forked child."""
    from rdflib import Graph

    from kg.project import Project

    project = Project(root)
    names = name.split(",")
    if len(names) > 1 and not set(names) <= set(NAIVE_ON_BUILT):
        raise SystemExit(f"only {', '.join(NAIVE_ON_BUILT)} can share a parse, not {name!r}")
    setup_start = time.perf_counter()
    graph = Graph()
    if name == "rules":
        for path in project.ontology_files + project.data_files:
            graph.parse(path, format="turtle")
    elif name != "load":
        # the built graph: data, derived triples, catalogue
        graph.parse(root / "build" / "geokg.nt", format="nt")
    setup: Json = {"setup_seconds": time.perf_counter() - setup_start,
                   "setup_rss_kb": peak_rss_kb(), "triples_in": len(graph)}
    if len(names) == 1:
        return {**setup, **_naive_work(name, graph, project, step_limit, query_limit, repeat)}
    figures = {}
    for each in names:
        def work(n: str = each) -> Json:
            return _naive_work(n, graph, project, step_limit, query_limit, repeat)
        figure = _in_child(work)
        # A forked child's own peak can read lower than the parse it inherited: the step's
        # peak is at least that of the parse.
        figure["rss_kb"] = max(figure.get("rss_kb") or 0, setup["setup_rss_kb"])
        figures[each] = {**setup, **figure}
    return figures


def _in_child(work: Callable[[], Json]) -> Json:
    """`work()` in a forked child (its own peak RSS and time limit), its JSON through a pipe."""
    import os

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write the figures, then leave without running any cleanup
        os.close(read_end)
        try:
            data = json.dumps(work()).encode("utf-8")
        except BaseException as exc:
            data = json.dumps({"seconds": None, "error": f"{type(exc).__name__}: {exc}"}
                              ).encode("utf-8")
        with os.fdopen(write_end, "wb") as out:
            out.write(data)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as source:
        data = source.read()
    os.waitpid(pid, 0)
    return json.loads(data) if data else {"seconds": None, "error": "the child wrote nothing"}


def _naive_work(name: str, graph: Any, project: Any, step_limit: float, query_limit: float,
                repeat: int) -> Json:
    from rdflib import Graph

    from kg.namespaces import PREFIXES
    from kg.terms import to_rdf

    root = project.root
    if name == "load":
        def parse() -> int:
            loaded = Graph()
            for path in project.ontology_files + project.data_files:
                loaded.parse(path, format="turtle")
            shapes = Graph()
            shapes.parse(project.shapes_file, format="turtle")
            return len(loaded) + len(shapes)
        result, triples = timed(parse, step_limit)
        return {**result, "triples": triples}
    if name == "rules":
        rules = [path.read_text(encoding="utf-8") for path in project.rule_files]

        def derive() -> int:
            added = 0
            for _round in range(10):
                new: set[Any] = set()
                for text in rules:
                    new.update(t for t in graph.query(text, initNs=PREFIXES)
                               if t not in graph)
                if not new:
                    break
                for triple in new:
                    graph.add(triple)
                added += len(new)
            return added
        result, added = timed(derive, step_limit)
        return {**result, "derived": added}
    if name == "shacl":
        import pyshacl

        shapes = Graph()
        shapes.parse(project.shapes_file, format="turtle")

        def validate() -> bool:
            conforms, _report, _text = pyshacl.validate(
                graph, shacl_graph=shapes, inference="none", advanced=True,
                allow_warnings=True, allow_infos=True, abort_on_first=False)
            return bool(conforms)
        result, conforms = timed(validate, step_limit)
        return {**result, "conforms": conforms}
    if name == "checks":
        checks = [path.read_text(encoding="utf-8") for path in project.check_files]

        def run_checks() -> int:
            return sum(len(graph.query(text, initNs=PREFIXES)) for text in checks)
        result, rows = timed(run_checks, step_limit)
        return {**result, "rows": rows}
    if name == "export":
        figures: Json = {}
        total = 0.0
        for fmt in ("turtle", "nt"):
            def serialize(f: str = fmt) -> object:
                return graph.serialize(destination="/dev/null", format=f)
            figure, _ = timed(serialize, step_limit)
            figures["ntriples" if fmt == "nt" else fmt] = figure["seconds"]
            if figure["seconds"] is None:
                return {**figure, "formats": figures}
            total += figure["seconds"]
        return {"seconds": total, "rss_kb": peak_rss_kb(), "formats": figures}
    if name == "queries":
        results: dict[str, Json] = {}
        start = time.perf_counter()
        for label, entry, bindings in catalogue_examples(root):
            remaining = step_limit - (time.perf_counter() - start)
            if remaining <= 1:
                results[label] = {"seconds": None, "timeout": True, "limit": query_limit}
                continue

            def run(e: Any = entry, b: Mapping[str, Any] = bindings) -> int:
                terms = {name: to_rdf(value) for name, value in b.items()}  # rdflib's terms
                return len(graph.query(e.text, initNs=PREFIXES, initBindings=terms))
            try:
                results[label] = median_of(run, min(repeat, 3), min(query_limit, remaining),
                                           budget=1.0)
            except Exception as exc:  # e.g. a regular expression Python's re cannot compile
                results[label] = {"seconds": None, "error": f"{type(exc).__name__}: {exc}"}
        return {"seconds": time.perf_counter() - start, "rss_kb": peak_rss_kb(),
                "queries": results}
    raise SystemExit(f"unknown naive step {name!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("step", "queries", "oxigraph", "naive"))
    parser.add_argument("args", nargs="+", help="[NAME] ROOT OUT")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", type=int, help="queries: run only this example (0-based)")
    parser.add_argument("--limit", type=float, default=600.0, help="step time limit (s)")
    parser.add_argument("--query-limit", type=float, default=60.0,
                        help="the time limit of one run of a query (s)")
    args = parser.parse_args(argv)
    *name, root_text, out_text = args.args
    root = Path(root_text)
    sys.setrecursionlimit(10_000)  # rdflib's SPARQL evaluation recurses deeply
    if args.mode == "step":
        result = kg_step(name[0], root, args.limit)
    elif args.mode == "queries":
        result = queries(root, args.repeat, args.only, args.query_limit)
    elif args.mode == "oxigraph":
        result = oxigraph_load(root)
    else:
        result = naive_step(name[0], root, args.limit, args.query_limit, args.repeat)
    Path(out_text).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
