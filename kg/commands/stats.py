"""`kg stats`: counts by class, relation type, stance and source over build/geokg.nt."""

from __future__ import annotations

import argparse

from kg.commands import add_command, project_of
from kg.project import OUTPUT_STEM


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "stats", "counts over the built graph",
                         "Counts by class, relation type, stance and source document, read "
                         "from build/geokg.nt (run kg build first).")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.stats import stats_report

    project = project_of(args)
    print(stats_report(project.build_dir / f"{OUTPUT_STEM}.nt"))
    return 0
