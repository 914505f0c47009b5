"""Every documented catalogue example, answered locally and by a SPARQL endpoint, compared row
for row (tests/test_remote.py on Oxigraph's server, tests/test_virtuoso.py on Virtuoso) with
bench/answers.py's comparison."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from bench.answers import Answer, comparable, differences
from kg.catalogue import QueryFile, find_query, load_catalogue
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [pytest.param(entry, example, id=" ".join(shlex.split(example)[2:]))
            for entry in load_catalogue(ROOT) for example in entry.examples]


def answer(capsys: pytest.CaptureFixture[str], root: Path, example: str, *extra: str) -> Answer:
    """The variables and rows of an example, as JSON terms; a GROUP_CONCAT's values sorted."""
    code = main(["--root", str(root), *shlex.split(example)[1:], "-f", "json", *extra])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return comparable(json.loads(out), find_query(root, shlex.split(example)[2]).body)


def same_answers(capsys: pytest.CaptureFixture[str], root: Path, entry: QueryFile, example: str,
                 endpoint: str) -> bool:
    """Whether `example` gives the same variables and rows locally and at `endpoint`."""
    assert_same(entry.body, answer(capsys, root, example),
                answer(capsys, root, example, "--endpoint", endpoint))
    return True


def assert_same(query: str, local: Answer, remote: Answer) -> None:
    """The same variables, and the same rows: in the same order when `query` orders them, else
    as the same multiset."""
    assert differences(query, local, remote) == []
