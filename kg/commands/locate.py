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
                         "Turtle snippet with both selectors. SOURCE is a source document that "
                         "has a kg:textFile (a prefixed name such as "
                         "kgr:article-20minutes-2024-06, or its full IRI), a stored text by its "
                         "name in data/sources/ (with or without .txt), or the path of any text "
                         "file. Exit 1 if the quote is not found, with the nearest passage.")
    parser.add_argument("source", metavar="SOURCE")
    parser.add_argument("quote", metavar="QUOTE")
    parser.add_argument("--context", type=int, default=CONTEXT,
                        help=f"prefix/suffix length in code points (default {CONTEXT})")
    parser.add_argument("--occurrence", type=int, default=None, metavar="N",
                        help="which occurrence to give the snippet for (1-based)")
    parser.set_defaults(func=run)


def source_text(project: Project, source: str) -> tuple[str, str]:
    """The name and stored text for SOURCE: a file path as given, a stored text's name in
    data/sources/, or the kg:textFile of a source document named by a prefixed name or an IRI
    (refused unless it leads into data/sources/, see kg.sources)."""
    from kg.sources import read_source

    path = Path(source)
    if path.is_file():
        return rel_path(path, project.root), read_text(path, project.root)
    for name in (source, f"{source}.txt"):
        if "/" not in name and (project.root / "data" / "sources" / name).is_file():
            return f"data/sources/{name}", read_source(project.root, f"data/sources/{name}")
    if ":" not in source:
        raise KgError(f"{source}: not a file, nor a text in data/sources/, nor a source "
                      "document's IRI or prefixed name (e.g. kgr:article-20minutes-2024-06)")
    return _document_text(project, source)


def _document_text(project: Project, name: str) -> tuple[str, str]:
    """The kg:textFile of the source document `name` and its text."""
    import pyoxigraph as ox

    from kg.dataset import load_dataset
    from kg.display import short
    from kg.prefixes import expand
    from kg.sources import read_source
    from kg.vocab import KG

    try:
        document = ox.NamedNode(expand(name))
    except ValueError as exc:
        raise KgError(f"{name}: not an IRI: {exc}") from None
    dataset = load_dataset(project.data_files, project.root)
    text_file = next((quad.object.value for quad in dataset.store.quads_for_pattern(
        document, KG.textFile, None) if isinstance(quad.object, ox.Literal)), None)
    if text_file is None:
        raise KgError(f"{name}: no kg:textFile for this document in data/")
    try:
        return text_file, read_source(project.root, text_file)
    except KgError as exc:
        where = ", ".join(dataset.files_of(document)) or "data/"
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
