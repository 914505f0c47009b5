"""`kg queries [NAME]`: the analyst query catalogue, or one query's question and parameters."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING

from kg.commands import add_command, project_of
from kg.completion import complete_with, query_names

if TYPE_CHECKING:
    from kg.catalogue import QueryFile


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "queries", "list the analyst queries",
                         "List queries/*.rq with their titles and parameters; with NAME, show "
                         "the query's question, parameters and example invocations.")
    complete_with(parser.add_argument("name", nargs="?", metavar="NAME",
                                      help="show this query in full"), query_names)
    parser.set_defaults(func=run)


def listing(entries: list[QueryFile]) -> str:
    """One block per query: name and title, then its parameters."""
    width = max((len(e.name) for e in entries), default=0) + 2
    lines = []
    for entry in entries:
        lines.append(f"{entry.name.ljust(width)}{entry.title}")
        if entry.params:
            lines.append(" " * width + "  ".join(p.usage() for p in entry.params))
    return "\n".join(lines) if lines else "(no queries in queries/)"


def details(entry: QueryFile) -> str:
    """Title, question, parameters with their meaning, keywords, examples and file."""
    from kg.params import PARAM_TYPES

    lines = [f"{entry.name}: {entry.title}", "", textwrap.fill(entry.description, 100), ""]
    if entry.params:
        lines.append("Parameters:")
        for param in entry.params:
            example = f"; e.g. {param.example}" if param.example else ""
            lines.append(f"  {param.usage()}  {param.doc}{example}")
            lines.append(f"      {PARAM_TYPES[param.type]}")
    else:
        lines.append("Parameters: none")
    lines += [f"Keywords: {', '.join(entry.keywords)}", "Examples:"]
    lines += [f"  {example}" for example in entry.examples]
    lines.append(f"File: {entry.origin}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from kg.catalogue import find_query, load_catalogue

    root = project_of(args).root
    if args.name:
        print(details(find_query(root, args.name)))
    else:
        print(listing(load_catalogue(root)))
    return 0
