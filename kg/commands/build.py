"""`kg build`: load, derive, validate, check evidence, export build/geokg.{ttl,nt,...}."""

from __future__ import annotations

import argparse
import sys

from kg.commands import add_command, sources_project
from kg.errors import EXIT_FAILURE, KgError
from kg.settings import DEFAULT_ENGINE, ENGINES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "build", "build and validate the graph, write build/",
                         "Load ontology/ and data/, apply rules/, validate with SHACL, check "
                         "evidence and queries/checks/, then write the exports "
                         "(build/geokg.ttl, .nt, .nq, .trig, .jsonld), the JSON-LD context and "
                         "the dataset's description (build/geokg.void.ttl). On any failure "
                         "nothing is written. When nothing it reads has changed since the last "
                         "build (build/geokg.stamp.json), it says so and does nothing; when only "
                         "files under data/ changed, the files that did not are taken as the "
                         "previous build parsed them, and the store is the previous build's, "
                         "updated with the triples that differ (--timings says so): the outputs "
                         "are those --force would write.")
    parser.add_argument("--timings", action="store_true", help="print seconds per step")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="show no progress on stderr (by default each step is shown as it "
                        "runs, with its counts, when stderr is a terminal or once the build has "
                        "taken two seconds)")
    parser.add_argument("--force", action="store_true",
                        help="build everything anew, even if nothing has changed since the last "
                        "build, taking nothing from it")
    parser.add_argument("--sparql-endpoint", metavar="URL",
                        help="the SPARQL endpoint the graph will be served at: the dataset's "
                        "description (VoID void:sparqlEndpoint) names it")
    parser.add_argument("--shacl-engine", choices=ENGINES, default=DEFAULT_ENGINE,
                        help="pyshacl-turbo (default, fast) or pyshacl (the reference "
                        "implementation; the same report, slower)")
    parser.set_defaults(func=run)


def _outputs(names: list[str]) -> str:
    """`build/geokg.ttl, .nt, .nq`: the outputs, each after the first by its ending."""
    stem = names[0].split(".", 1)[0] + "." if names else ""
    return ", ".join([f"build/{name}" for name in names[:1]] + [
        name[len(stem) - 1:] if name.startswith(stem) else f"build/{name}" for name in names[1:]])


def run(args: argparse.Namespace) -> int:
    from kg.build import build
    from kg.progress import SILENT, StepPrinter

    project = sources_project(args)
    endpoint = None
    if args.sparql_endpoint is not None:
        from kg.remote import check_url

        endpoint = check_url(args.sparql_endpoint)
    progress = SILENT if args.quiet else StepPrinter(sys.stderr)
    report = build(project, shacl_engine=args.shacl_engine, skip_if_current=not args.force,
                   progress=progress, sparql_endpoint=endpoint)
    stamp = report.reused
    text = stamp.printed if stamp is not None else report.format()
    if text:
        print(text)
    if not report.ok:
        raise KgError(f"build failed with {report.problem_count} problem(s); "
                      "nothing was written", EXIT_FAILURE)
    if text:
        print()
    triples, derived = ((stamp.triples, stamp.derived) if stamp is not None
                        else (report.triples, report.rules.total))
    names = stamp.outputs if stamp is not None else [path.name for path in report.outputs]
    outputs = _outputs(list(names))
    summary = f"{triples} triples" + (f", {derived} derived by rules" if derived else "")
    if stamp is not None:
        print(f"up to date: {summary}: {outputs} (nothing the build reads has changed since "
              "it wrote them; --force builds again)")
    else:
        print(f"built {summary}: {outputs}")
    if args.timings:
        for step, seconds in report.timings.items():
            note = (" (the previous store, updated)" if step == "store" and report.store_updated
                    else "")
            print(f"  {step:<9}{seconds:8.3f} s{note}")
    return 0
