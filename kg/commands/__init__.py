"""Subcommands of `kg`: each module exposes `register(subparsers)` and is listed in kg.cli.

Every command module is imported to build the parser, so a module imports the build pipeline
(pyshacl, rdflib's SPARQL engine) inside its `run`, not at the top: `kg query` must start in
well under half a second."""

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


def project_of(args: argparse.Namespace) -> Project:
    return Project(find_root(getattr(args, "root", None)))
