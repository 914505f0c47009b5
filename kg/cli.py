"""`kg`: the command line. Subcommands live in kg/commands/<name>.py."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kg import __version__
from kg.errors import EXIT_FAILURE, EXIT_USAGE, KgError

# One name per module in kg/commands/; each exposes register(subparsers).
COMMANDS: tuple[str, ...] = ("build", "validate", "stats", "locate", "anchor", "query", "queries",
                             "serve", "push", "completion")


class _NoTraceback(logging.Formatter):
    """Libraries (rdflib) log tracebacks for bad literals; show the one-line message only."""

    def formatException(self, ei: object) -> str:  # noqa: N802 - overrides logging's name
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = None
        record.exc_text = None
        return super().format(record)


def _setup_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_NoTraceback("kg: warning: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="Geopolitical-relations knowledge "
                                     "graph: build, validate, locate evidence, statistics.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--root", type=Path, default=None,
                        help="repository root (default: the checkout kg is installed from)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"kg.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kg` console script; returns the exit code."""
    _setup_logging()
    parser = make_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell asks what to complete (kg.completion)
        from kg.completion import complete

        complete(parser)
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        return int(args.func(args) or 0)
    except KgError as exc:
        sys.stdout.flush()
        print(f"kg: error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # the system refused a read or write (disk full, permissions...)
        sys.stdout.flush()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"kg: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
