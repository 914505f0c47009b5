"""`kg diff OLD NEW`: claims and statements added, removed and changed between two builds."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.commands import add_command


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "diff", "what changed between two builds or releases",
        "Compare two built graphs: build folders (build/), release folders (kg release) or "
        "N-Triples files. Says how many triples were added and removed; which claims were "
        "added, removed or changed (with their stance and sources); which statements (claim, "
        "subject, property, value) were added or removed, with their sources, and whose rank "
        "changed; and which other nodes changed. Blank nodes are named by their content, so "
        "reordering a data file gives no difference. Exit status 0 whether or not they differ.")
    parser.add_argument("old", type=Path, metavar="OLD", help="the earlier build or release")
    parser.add_argument("new", type=Path, metavar="NEW", help="the later build or release")
    parser.add_argument("--format", "-f", choices=("text", "json"), default="text",
                        help="a summary for people (default) or JSON for programs")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.diff import diff

    found = diff(args.old, args.new)
    print(found.json() if args.format == "json" else found.text(), end="")
    return 0
