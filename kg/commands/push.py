"""`kg push --endpoint URL [--graph IRI] [--replace]`: load the built graph into a SPARQL store."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.commands import add_command, project_of, seconds
from kg.errors import EXIT_FAILURE, KgError
from kg.files import rel_path
from kg.project import OUTPUT_STEM, Project
from kg.settings import CREDENTIALS_HINT, DEFAULT_TIMEOUT


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "push", "load the built graph into a SPARQL 1.1 store",
        "Send build/geokg.nt to a store through the SPARQL 1.1 Graph Store HTTP Protocol, "
        "then count the triples of the graph through the store's query endpoint and compare. "
        "Only a current build is pushed (kg build writes it only when everything validates). "
        f"Credentials: {CREDENTIALS_HINT}; never on the command line.")
    parser.add_argument("--endpoint", required=True, metavar="URL",
                        help="the Graph Store endpoint: http://HOST:3030/DATASET/data (Fuseki), "
                        "http://HOST:7200/repositories/REPO/statements (GraphDB), "
                        "http://HOST:7878/store (Oxigraph)")
    parser.add_argument("--graph", metavar="IRI",
                        help="the named graph to load (a full IRI or a prefixed name such as "
                        "kgr:graph); default: the default graph")
    parser.add_argument("--replace", action="store_true",
                        help="replace the graph (HTTP PUT); without it the triples are merged "
                        "into it (HTTP POST)")
    parser.add_argument("--query-endpoint", metavar="URL",
                        help="the SPARQL query endpoint for the count (default: beside "
                        "--endpoint for Fuseki, GraphDB and Oxigraph)")
    parser.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"time limit of each request (default: {DEFAULT_TIMEOUT})")
    parser.set_defaults(func=run)


def current_build(project: Project) -> Path:
    """build/geokg.nt, if the build that wrote it is current (kg.stamp); KgError otherwise."""
    from kg.stamp import input_digests, read_stamp, stale_reason
    from kg.store import store_path

    nt_file = project.build_dir / f"{OUTPUT_STEM}.nt"
    name = f"{rel_path(project.build_dir, project.root)}/{nt_file.name}"  # not the generation's
    why = "kg push sends only a graph that kg build validated"
    if not nt_file.is_file():
        raise KgError(f"{name} not found: run kg build first ({why})")
    stamp = read_stamp(project)
    if stamp is None:
        raise KgError(f"{name} has no stamp of a complete build: run kg build first ({why})",
                      EXIT_FAILURE)
    reason = stale_reason(project, stamp, input_digests(project, stamp.engine, stamp.endpoint),
                          store_path(project.build_dir))
    if reason is not None:
        raise KgError(f"the build is not current ({reason}): run kg build first ({why})",
                      EXIT_FAILURE)
    return nt_file


def run(args: argparse.Namespace) -> int:
    from kg.params import term
    from kg.remote import push

    project = project_of(args)
    nt_file = current_build(project)
    graph = None
    if args.graph is not None:
        try:
            graph = term("iri", args.graph).value
        except ValueError as exc:
            raise KgError(f"--graph {args.graph!r}: {exc}") from None
    report = push(nt_file, args.endpoint, graph, args.replace, args.query_endpoint, args.timeout)
    print(report.format())
    if report.remote > report.local:
        raise KgError(f"the remote graph holds {report.remote - report.local} triple(s) that this "
                      "build does not: triples from elsewhere or from an earlier build (push "
                      "with --replace to make the graph this build), or a server that shows the "
                      "union of its graphs as the default graph (push to a named graph with "
                      "--graph)", EXIT_FAILURE)
    if report.remote < report.local:
        raise KgError(f"the remote graph does not hold what was pushed: "
                      f"{report.local - report.remote} triple(s) are missing", EXIT_FAILURE)
    return 0
