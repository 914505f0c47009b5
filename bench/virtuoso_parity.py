"""Do the catalogue's examples give the same rows on Virtuoso 7 as on the local store, at scale?

    .venv/bin/python -m bench.virtuoso_parity --root ROOT [--timeout 120] [EXAMPLE ...]

Starts Virtuoso (bench/servers.py) on 127.0.0.1 over a temporary folder, pushes ROOT's built
graph (build/geokg.nt, as `kg push` does) into the named graph kgr:geokg, then runs each
documented example of the repository's catalogue (so that a query being rewritten is tried on a
tree generated before) on Virtuoso and on ROOT's own store, and compares the rows as
tests/test_virtuoso.py does (bench/answers.py). An EXAMPLE is a query's name (all its documented
examples) or its words after `kg query` ("time-relations --param x=kgr:a --param y=kgr:b"), any
parameters allowed. For each it prints SAME, DIFF (with the first differing cells) or ERROR,
the seconds on each engine, then a summary line; exit status 1 when one is not SAME. Where
virtuoso-t is not installed it says so and exits with 0.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.answers import Answer, answer_on, differences
from bench.run import REPO
from bench.servers import VirtuosoServer, virtuoso_missing
from bench.worker import catalogue_examples, example_bindings
from kg.backend import Backend
from kg.catalogue import QueryFile, find_query
from kg.description import DATASET
from kg.project import OUTPUT_STEM, Project
from kg.querying import open_backend
from kg.remote import RemoteBackend, push

SHOWN = 5  # differing cells printed per example


def chosen(names: Sequence[str]) -> list[tuple[str, QueryFile, dict[str, Any]]]:
    """(label, entry, bindings) of every documented example, or of those `names` give."""
    documented = catalogue_examples(REPO)
    if not names:
        return documented
    found = []
    for name in names:
        words = shlex.split(name)
        if len(words) == 1:
            found += [case for case in documented if case[0].split()[0] == words[0]]
        else:
            entry = find_query(REPO, words[0])
            found.append((" ".join(words), entry,
                          example_bindings(entry, shlex.join(["kg", "query", *words]))))
    return found


def answer(backend: Backend, entry: QueryFile, bindings: dict[str, Any]) -> tuple[Answer, float]:
    """The comparable answer of `entry` on `backend`, and the seconds it took."""
    start = time.perf_counter()
    found = answer_on(backend, entry, bindings)
    return found, time.perf_counter() - start


def compare(local: Backend, remote: Backend, entry: QueryFile,
            bindings: dict[str, Any]) -> tuple[str, list[str]]:
    """SAME, DIFF or ERROR for one example, and the lines that say more (times, cells)."""
    try:
        here, local_seconds = answer(local, entry, bindings)
    except Exception as error:  # a query that fails here is reported, and the next one runs
        return "ERROR", [f"oxigraph: {str(error)[:300]}"]
    try:
        there, remote_seconds = answer(remote, entry, bindings)
    except Exception as error:
        return "ERROR", [f"oxigraph {local_seconds:.2f} s, {len(here[1])} rows; "
                         f"virtuoso: {str(error)[:300]}"]
    found = differences(entry.body, here, there)
    times = (f"oxigraph {local_seconds:.2f} s, virtuoso {remote_seconds:.2f} s, "
             f"{len(here[1])} rows")
    more = [f"... {len(found) - SHOWN} more"] if len(found) > SHOWN else []
    return ("DIFF" if found else "SAME"), [times, *[line[:300] for line in found[:SHOWN]], *more]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.virtuoso_parity", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("examples", nargs="*", metavar="EXAMPLE",
                        help="a query's name or its words after `kg query` (default: every "
                        "documented example)")
    parser.add_argument("--root", type=Path, default=REPO,
                        help="a built tree (default: this repository)")
    parser.add_argument("--timeout", type=int, default=120, metavar="SECONDS",
                        help="Virtuoso's limit per query, and the push's (default: 120)")
    args = parser.parse_args(argv)
    missing = virtuoso_missing()
    if missing is not None:
        print(f"skipped: {missing}")
        return 0
    cases = chosen(args.examples)
    counts: Counter[str] = Counter()
    project = Project(args.root)
    local = open_backend(project)
    try:
        with tempfile.TemporaryDirectory() as folder, \
                VirtuosoServer(Path(folder), DATASET, args.timeout) as virtuoso:
            start = time.perf_counter()
            report = push(project.build_dir / f"{OUTPUT_STEM}.nt", virtuoso.store_url,
                          DATASET, replace=True, timeout=args.timeout)
            print(f"{report.format()} ({time.perf_counter() - start:.0f} s)", flush=True)
            remote = RemoteBackend(virtuoso.dataset_url, args.timeout)
            for label, entry, bindings in cases:
                status, lines = compare(local, remote, entry, bindings)
                counts[status] += 1
                print(f"{status:5} {label}", *(f"      {line}" for line in lines), sep="\n",
                      flush=True)
    finally:
        local.close()
    print(f"{len(cases)} examples on {args.root}: {counts['SAME']} SAME, {counts['DIFF']} DIFF, "
          f"{counts['ERROR']} ERROR")
    return 0 if counts["SAME"] == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
