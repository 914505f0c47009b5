"""`kg anchor`: a curator pastes a quote; the command writes its selectors into the file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parent / "fixtures" / "core" / "repo"

PASTED = """@prefix kg: <https://w3id.org/geokg/ontology#> .
@prefix kgr: <https://w3id.org/geokg/id/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# a comment the command must keep
kgr:evidence-new a kg:Evidence ;
    oa:hasSource kgr:doc-briefing ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{quote}" ] .
"""


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(REPO, target)
    return target


def anchor(repo: Path, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", "anchor", "--root", str(repo),
                           str(path)], capture_output=True, text=True, check=False)


def test_pasted_quote_gets_both_selectors(repo: Path) -> None:
    path = repo / "data" / "new.ttl"
    path.write_text(PASTED.format(quote="Nous n’abandonnerons pas nos alliés"), encoding="utf-8")
    result = anchor(repo, path)
    assert result.returncode == 0, result.stderr
    text = (repo / "data" / "sources" / "statement.txt").read_text(encoding="utf-8")
    start = text.index("Nous n’abandonnerons")
    written = path.read_text(encoding="utf-8")
    assert f'oa:start "{start}"^^xsd:nonNegativeInteger' in written
    assert f'oa:end "{start + 35}"^^xsd:nonNegativeInteger' in written
    assert 'oa:prefix "' in written and 'oa:suffix "' in written
    assert "# a comment the command must keep" in written
    # the result is complete: the build's evidence check accepts it
    build = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--root", str(repo)],
                           capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stdout + build.stderr


def test_quote_typed_with_a_plain_space_is_refused_and_file_untouched(repo: Path) -> None:
    path = repo / "data" / "new.ttl"
    # the text has a narrow no-break space after « ; the curator typed a plain space
    original = PASTED.format(quote="« Nous n’abandonnerons")
    path.write_text(original, encoding="utf-8")
    result = anchor(repo, path)
    assert result.returncode == 1
    assert "typed U+0020 SPACE, text has U+202F NARROW NO-BREAK SPACE" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == original
