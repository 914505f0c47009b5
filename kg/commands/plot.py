"""`kg plot network` and `kg plot timeline`: pictures of the built graph, as SVG or as a
standalone HTML page (kg.plots)."""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from pathlib import Path

from kg.atomic import atomic_write_text
from kg.commands import add_command, project_of
from kg.errors import KgError

FORMATS = ("svg", "html")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "plot", "draw the network or the timeline of the built graph (SVG, HTML)",
        "Draw a picture of build/store (run kg build first) from the catalogue query of the "
        "same name: `kg plot network` (states, organisations and alignments; edges by kind, "
        "lines by claim status) or `kg plot timeline` (relations, phases and events of two "
        "states over time, each date drawn as the span its precision gives). Needs matplotlib "
        "(pip install 'geokg[plot]').")
    pictures = parser.add_subparsers(dest="picture", metavar="PICTURE", required=True)
    network = add_command(pictures, "network", "states, organisations and alignments, and "
                          "the edges between them")
    network.add_argument("--as-of", metavar="DATE", dest="asOf",
                         help="only the relations the sources date as holding on DATE "
                         "(YYYY-MM-DD; default: every edge)")
    timeline = add_command(pictures, "timeline", "the relations, phases and events of two "
                           "states over time")
    timeline.add_argument("--a", metavar="IRI", help="one state (default: kgr:russia)")
    timeline.add_argument("--b", metavar="IRI", help="the other state (default: "
                          "kgr:north-korea)")
    for picture in (network, timeline):
        picture.add_argument("--format", "-f", choices=FORMATS, default=None,
                             help="svg or html (a standalone page); default: from the name of "
                             "--output, else svg")
        picture.add_argument("--output", "-o", type=Path, metavar="FILE",
                             help="write the picture to FILE (replaced atomically) instead of "
                             "stdout")
        picture.set_defaults(func=run)


def output_format(given: str | None, output: Path | None) -> str:
    if given is not None:
        return given
    if output is not None and output.suffix.lower() in (".html", ".htm"):
        return "html"
    return "svg"


def run(args: argparse.Namespace) -> int:
    from kg.plots import draw_picture
    from kg.querying import open_backend

    project = project_of(args)
    names = ("asOf",) if args.picture == "network" else ("a", "b")
    values = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    form = output_format(args.format, args.output)
    if args.output is not None and not args.output.parent.is_dir():
        raise KgError(f"{args.output.parent}: no such folder (to write {args.output.name} in)")
    with closing(open_backend(project)) as backend:
        picture = draw_picture(project.root, backend, args.picture, values, lambda iri: iri)
    text = picture.render(form)
    if args.output is not None:
        atomic_write_text(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
