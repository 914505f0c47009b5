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
