"""`kg locate SOURCE "quote"`: offsets and ready-to-paste selectors for a quote."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.commands import add_command, project_of
from kg.errors import KgError
from kg.files import read_text, rel_path
from kg.project import Project
from kg.settings import CONTEXT


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "locate", "find a quote in a stored source text",
                         "Print the code-point offsets, prefix and suffix of a quote and a "
                         "Turtle snippet with both selectors. SOURCE is a text file or a source "
                         "document (kgr:name or IRI) that has kg:textFile. Exit 1 if the quote "
                         "is not found, with the nearest passage.")
    parser.add_argument("source", metavar="SOURCE")
    parser.add_argument("quote", metavar="QUOTE")
    parser.add_argument("--context", type=int, default=CONTEXT,
                        help=f"prefix/suffix length in code points (default {CONTEXT})")
    parser.add_argument("--occurrence", type=int, default=None, metavar="N",
                        help="which occurrence to give the snippet for (1-based)")
    parser.set_defaults(func=run)


def source_text(project: Project, source: str) -> tuple[str, str]:
    """The name and stored text for SOURCE: a file path as given, or the kg:textFile of a
    document in data/ (refused unless it leads into data/sources/, see kg.sources)."""
    from rdflib import Literal, URIRef

    from kg.export import short
    from kg.loader import load_files
    from kg.namespaces import KG, expand
    from kg.sources import read_source

    path = Path(source)
    if path.is_file():
        return rel_path(path, project.root), read_text(path, project.root)
    iri = expand(source)
    if ":" not in iri:
        raise KgError(f"{source}: no such file, and not an IRI or prefixed name")
    loaded = load_files(project.data_files, project.root)
    document = URIRef(iri)
    text_file = loaded.graph.value(document, KG.textFile)
    if not isinstance(text_file, Literal):
        raise KgError(f"{source}: no kg:textFile for this document in data/")
    try:
        return str(text_file), read_source(project.root, str(text_file))
    except KgError as exc:
        where = ", ".join(loaded.files_of(document)) or "data/"
        raise KgError(f"{where}: {short(document)}: {exc.message}", exc.exit_code) from None


def run(args: argparse.Namespace) -> int:
    from kg.evidence import locate, visible

    project = project_of(args)
    name, text = source_text(project, args.source)
    found = locate(text, args.quote, args.context)
    chosen = args.occurrence or 1
    if not 1 <= chosen <= len(found):
        raise KgError(f"--occurrence {chosen}: the quote occurs {len(found)} time(s)")
    print(f"{name}: {len(found)} occurrence(s) "
          f"in {len(text)} code points")
    for number, sel in enumerate(found, 1):
        print(f"\noccurrence {number}: start={sel.start} end={sel.end}")
        print(f"  exact:  {visible(sel.exact)}")
        print(f"  prefix: {visible(sel.prefix)}")
        print(f"  suffix: {visible(sel.suffix)}")
    note = f" (occurrence {chosen}; choose with --occurrence N)" if len(found) > 1 else ""
    print(f"\nTurtle{note}:\n")
    print(found[chosen - 1].turtle(), end="")
    return 0
