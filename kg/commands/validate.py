"""`kg validate FILE...`: check Turtle files against our shapes and evidence rules."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.commands import add_command, sources_project
from kg.errors import EXIT_FAILURE, KgError
from kg.files import rel_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "validate", "validate Turtle files as kg build would",
                         "Validate Turtle files with every check kg build validates with: the "
                         "SHACL shapes of ontology/shapes.ttl, the evidence selectors, the "
                         "queries/checks/*-violation.rq checks and the checked reference data. "
                         "The files are merged with the ontology and the existing data (and "
                         "the rules applied) so that references resolve; only results about "
                         "resources the files state are reported, each under its file. Exit 0 "
                         "valid, 1 invalid, 2 unreadable input.")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--alone", action="store_true",
                        help="leave out data/ (the ontology is still loaded): faster, but "
                             "references to existing resources do not resolve")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.build import load_inputs, run_rules, validate_inputs

    project = sources_project(args)
    inputs = load_inputs(project, exclude=args.files, with_data=not args.alone, extra=args.files)
    names = {rel_path(f, project.root) for f in args.files}
    run_rules(inputs, project)
    found = validate_inputs(inputs, project).concerning(names)
    if found.format():
        print(found.format())
    if not found.ok:
        raise KgError(f"{found.problem_count} problem(s) in {len(names)} file(s)", EXIT_FAILURE)
    print(f"ok: {len(names)} file(s) valid")
    return 0
