"""`kg anchor FILE...`: compute the selectors of pasted quotes, in place."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.commands import add_command, sources_project
from kg.files import rel_path
from kg.settings import CONTEXT


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "anchor", "add selectors to quotes pasted in Turtle files",
                         "For every `[ a oa:TextQuoteSelector ; oa:exact \"...\" ]` whose "
                         "evidence points to a document with a stored text, find the quote "
                         "(exactly) and rewrite the block with prefix, suffix and a "
                         "TextPositionSelector. Other content is left untouched. Exit 1 if a "
                         "quote is not found (the nearest passage is shown) or is ambiguous.")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--context", type=int, default=CONTEXT,
                        help=f"prefix/suffix length in code points (default {CONTEXT})")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.anchor import anchor_file
    from kg.dataset import load_dataset

    project = sources_project(args)
    known = load_dataset(project.ontology_files + project.data_files, project.root).store
    for path in args.files:
        done = anchor_file(path, project.root, known, args.context)
        print(f"{rel_path(path, project.root)}: {len(done)} quote(s) anchored")
        for item in done:
            sel = item.selection
            print(f"  line {item.line}: start={sel.start} end={sel.end}")
    return 0
