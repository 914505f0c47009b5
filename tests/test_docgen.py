"""The generator of the docs' generated parts (docs/docgen.py; `make docs-check` runs it in CI)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))  # docs/ is not a package: import it from the checkout

import docgen  # noqa: E402

from kg.catalogue import load_catalogue  # noqa: E402
from kg.cli import COMMANDS  # noqa: E402

EXPANDED = """-[ 1 ]---
a | one
-[ 2 ]---
a | two
-[ 3 ]---
a | three
(3 rows)
"""


def test_records_keep_the_chosen_ones_and_mark_the_others() -> None:
    assert docgen._records(EXPANDED, (1, 3)) == (
        "-[ 1 ]---\na | one\n...\n-[ 3 ]---\na | three\n(3 rows)\n")
    assert docgen._records(EXPANDED, (2,)) == "...\n-[ 2 ]---\na | two\n...\n(3 rows)\n"


def test_paragraphs_keep_those_that_start_with_a_title() -> None:
    text = "3 triples\n\nClasses\nx  1\n\nStances\ny  2\n"
    assert docgen._paragraphs(text, ("Stances",)) == "Stances\ny  2\n...\n"


def test_the_catalogue_table_has_a_row_per_query_from_its_header() -> None:
    rows = docgen.catalogue_table().splitlines()[2:]
    entries = load_catalogue(ROOT)
    assert [row.split(" | ")[0] for row in rows] == [f"| `{e.name}`" for e in entries]
    assert all(f"| {e.title} |" in row for e, row in zip(entries, rows, strict=True))


def test_the_cli_reference_has_every_command_at_a_fixed_width() -> None:
    reference = docgen.cli_reference()
    for command in COMMANDS:
        assert f"## `kg {command}`" in reference
        assert f"usage: kg {command}" in reference
    assert max(len(line) for line in reference.splitlines()) <= docgen.WIDTH


def test_a_figure_is_shown_against_its_target() -> None:
    assert docgen._against(0.15, 0.2) == "0.15× (met)"
    assert docgen._against(1.04, 0.2) == "1.04× (not met)"
    assert docgen._against(40.2, 5) == "40× (not met)"
    assert docgen._against(0.93, 0.6, " KB") == "0.93 KB (not met)"
    assert docgen._against(None, 5) == "–"


def test_the_targets_table_has_a_row_per_target_and_a_column_per_size() -> None:
    lines = docgen.targets_table().splitlines()
    _name, results = docgen._newest()
    assert len(lines) == 2 + 5
    assert all(line.count(" | ") == len(results["sizes"]) for line in lines[2:])
