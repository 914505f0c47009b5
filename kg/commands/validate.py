"""`kg validate FILE...`: check Turtle files against our shapes and evidence rules."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.commands import add_command, project_of
from kg.errors import EXIT_FAILURE, KgError
from kg.files import rel_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "validate", "validate Turtle files against the shapes",
                         "Validate Turtle files with ontology/shapes.ttl and check their "
                         "evidence selectors. The files are merged with the ontology and the "
                         "existing data so that references resolve; only results about "
                         "resources the files define are reported. Exit 0 valid, 1 invalid, "
                         "2 unreadable input.")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--alone", action="store_true",
                        help="leave out data/ (the ontology is still loaded): faster, but "
                             "references to existing resources do not resolve")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.build import load_inputs, run_evidence, run_rules, run_shacl
    from kg.evidence import format_evidence_problems
    from kg.shacl import format_results

    project = project_of(args)
    inputs = load_inputs(project, hooks=(), exclude=args.files, with_data=not args.alone,
                         extra=args.files)
    names = {rel_path(f, project.root) for f in args.files}
    run_rules(inputs, project)

    shacl = [r for r in run_shacl(inputs) if names.intersection(r.files)]
    evidence = [p for p in run_evidence(inputs, project) if names.intersection(p.data_files)]
    if shacl:
        print("SHACL\n" + format_results(shacl))
    if evidence:
        print(("\n" if shacl else "") + "Evidence\n" + format_evidence_problems(evidence))
    failures = sum(r.is_violation for r in shacl) + len(evidence)
    if failures:
        raise KgError(f"{failures} problem(s) in {len(names)} file(s)", EXIT_FAILURE)
    print(f"ok: {len(names)} file(s) valid")
    return 0
