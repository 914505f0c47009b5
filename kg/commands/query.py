"""`kg query NAME` / `kg query --file FILE`: run an analyst query on the built graph."""

from __future__ import annotations

import argparse
import shutil
import sys
from contextlib import closing
from pathlib import Path

from kg.atomic import atomic_write_text
from kg.commands import add_command, project_of, seconds
from kg.completion import complete_with, param_values, query_names
from kg.errors import KgError
from kg.settings import DEFAULT_TIMEOUT, FORMATS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "query", "run an analyst query on the built graph",
                         "Run queries/NAME.rq (`kg queries` lists them) or any SPARQL SELECT or "
                         "ASK query file on build/store (run kg build first) or on a SPARQL "
                         "endpoint (--endpoint). The parameters a query declares in its header "
                         "are given as --param key=value and bound "
                         "as RDF terms of their declared type, never pasted into the query.")
    complete_with(parser.add_argument("name", nargs="?", metavar="NAME",
                                      help="a query of the catalogue"), query_names)
    parser.add_argument("--file", type=Path, metavar="FILE", help="run this query file instead")
    complete_with(parser.add_argument("--param", "-p", action="append", default=[],
                                      metavar="KEY=VALUE",
                                      help="a parameter value (repeat for each parameter)"),
                  param_values)
    parser.add_argument("--format", "-f", choices=FORMATS, default="table",
                        help="table or md to read; csv, tsv or json (SPARQL 1.1 results formats) "
                        "for other tools (default: table)")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write the result to FILE (replaced atomically) instead of stdout")
    parser.add_argument("--endpoint", metavar="URL",
                        help="run the query on this SPARQL 1.1 query endpoint instead of "
                        "build/store; credentials from KG_SPARQL_USER and KG_SPARQL_PASSWORD "
                        "or ~/.netrc, never in the URL")
    parser.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"time limit for --endpoint (default: {DEFAULT_TIMEOUT})")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.catalogue import find_query, load_query_file
    from kg.params import bind, parse_assignments
    from kg.querying import open_backend, select
    from kg.results import render

    project = project_of(args)
    if (args.name is None) == (args.file is None):
        raise KgError("give either a query NAME or --file FILE; `kg queries` lists the names")
    if args.name is not None:
        entry = find_query(project.root, args.name)
    else:
        entry = load_query_file(args.file, project.root)
    bindings = bind(entry.params, parse_assignments(args.param), entry.origin)
    with closing(open_backend(project, args.endpoint, args.timeout)) as backend:
        result = select(backend, entry, bindings)  # a local store's build is held till closed
    width = shutil.get_terminal_size((100, 24)).columns
    text = render(result, args.format, width, hidden=[p.name for p in entry.params])
    if args.output is not None:
        atomic_write_text(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
