"""`kg`: the command line. Subcommands live in kg/commands/<name>.py."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from kg import __version__
from kg.errors import EXIT_FAILURE, EXIT_USAGE, KgError

# One name per module in kg/commands/; each exposes register(subparsers).
COMMANDS: tuple[str, ...] = ("build", "validate", "stats", "locate", "anchor", "query", "queries",
                             "serve", "push", "plot", "release", "diff", "completion")


class _NoTraceback(logging.Formatter):
    """Libraries (rdflib) log tracebacks for bad literals; show the one-line message only."""

    def formatException(self, ei: object) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = None
        record.exc_text = None
        return super().format(record)


def _not_an_ill_typed_literal(record: logging.LogRecord) -> bool:
    """rdflib warns of every literal whose lexical form is not of its datatype, naming its own
    converter function and neither the value nor the file. The shapes report those literals
    with the file, the node and the property (sh:datatype), so the warning is left out."""
    return not (record.name == "rdflib.term"
                and record.getMessage().startswith("Failed to convert Literal lexical form"))


def _setup_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_NoTraceback("kg: warning: %(message)s"))
    handler.addFilter(_not_an_ill_typed_literal)
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (`kg stats | head`): stop quietly, as other Unix tools
    do (their exit status is that of SIGPIPE). Further writes go nowhere, so that the interpreter
    does not complain when it flushes stdout at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 128 + signal.SIGPIPE


def _flush_stdout() -> None:
    """What was printed goes out before the error line (unless its reader is gone)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg", description="geokg, a knowledge graph of relations between states: build it "
        "from ontology/ and data/ (validated, every fact tied to its source's words), query it "
        "here or on a SPARQL store, serve it, push it. Each command has its own --help.")
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
        _flush_stdout()
        print(f"kg: error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except OSError as exc:  # the system refused a read or write (disk full, permissions...)
        _flush_stdout()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"kg: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
