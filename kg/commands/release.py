"""`kg release`: check that the version agrees everywhere, build, write the release folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.commands import add_command, sources_project
from kg.errors import EXIT_FAILURE, KgError
from kg.files import rel_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "release", "write a release folder: exports, checksums, description",
        "Check that the release's version (the newest dated section of CHANGELOG.md) is the one "
        "of pyproject.toml, of the ontology (owl:versionInfo, owl:versionIRI) and of the "
        "dataset's description, that its date is the description's dcterms:modified, that the "
        "Unreleased section is empty and, in a git checkout, that the inputs are committed and "
        "that the tag vVERSION, if it exists, names this commit. Then build (unless the build "
        "is current) and write build/releases/VERSION/: the exports (.ttl, .nt, .nq, .trig, "
        ".jsonld), the JSON-LD context, the description with each export's size and SHA-256 "
        "(geokg.void.ttl), LICENSE-DATA and SHA256SUMS (sha256sum -c reads it).")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="the release folder (default: build/releases/VERSION)")
    parser.add_argument("--force", action="store_true",
                        help="replace a release folder that exists")
    parser.add_argument("--sparql-endpoint", metavar="URL",
                        help="the SPARQL endpoint the release will be served at (as for kg "
                        "build: the description names it)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.build import build
    from kg.progress import StepPrinter
    from kg.release import changelog_version, check_release, untagged, write_release

    project = sources_project(args)
    version = changelog_version(project.root)
    endpoint = None
    if args.sparql_endpoint is not None:
        from kg.remote import check_url

        endpoint = check_url(args.sparql_endpoint)
    report = build(project, skip_if_current=True, progress=StepPrinter(sys.stderr),
                   sparql_endpoint=endpoint)
    if not report.ok:
        print(report.format())
        raise KgError(f"the build failed with {report.problem_count} problem(s): no release",
                      EXIT_FAILURE)
    problems = check_release(project, version, project.build_dir / "geokg.nt")
    if problems:
        raise KgError(f"release {version.number} ({version.date}, CHANGELOG.md) does not "
                      f"agree: {'; '.join(problems)}", EXIT_FAILURE)
    target = args.out or project.build_dir / "releases" / version.number
    written = write_release(project, version, target, args.force)
    print(f"release {version.number} ({version.date}): {rel_path(target, project.root)}/")
    for path in written:
        print(f"  {path.name:<22} {path.stat().st_size:>12,} bytes")
    if untagged(project.root, version):
        print(f"not tagged yet: tag this commit with git tag -a {version.tag} "
              f"-m 'geokg {version.number}'")
    return 0
