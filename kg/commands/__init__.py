"""Subcommands of `kg`: each module exposes `register(subparsers)` and is listed in kg.cli.

Every command module is imported to build the parser on each run of `kg`, so at the top a
module imports only what registering needs: the standard library, this package, and the kg
modules that import nothing outside the standard library (kg.atomic, kg.completion, kg.errors,
kg.files, kg.project, kg.settings). Everything else (rdflib, pyoxigraph, pyshacl, urllib and the
kg modules that use them) is imported inside its `run`, so that a command loads only what it
uses: `kg query` must answer in well under half a second, start-up included.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.project import Project, find_root


def add_command(subparsers: argparse._SubParsersAction, name: str, help_text: str,
                description: str | None = None) -> argparse.ArgumentParser:
    """Add a subcommand parser that also accepts `--root` after the command name."""
    parser = subparsers.add_parser(name, help=help_text, description=description or help_text)
    parser.add_argument("--root", type=Path, default=argparse.SUPPRESS,
                        help="repository root (default: the checkout kg is installed from)")
    return parser


def seconds(text: str) -> int:
    """A time limit in whole seconds, at least 1 (an argparse type)."""
    value = int(text)
    if value < 1:
        raise ValueError("at least 1 second")
    return value


def project_of(args: argparse.Namespace) -> Project:
    return Project(find_root(getattr(args, "root", None)))


def sources_project(args: argparse.Namespace) -> Project:
    """The project of a command that reads the sources (build, validate, anchor): its root must
    hold ontology/shapes.ttl and data/."""
    project = project_of(args)
    project.check_sources()
    return project
