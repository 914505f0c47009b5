"""Checked reference data: a `kg:wikidata` link only to an identifier of the checked list.

`data/reference/wikidata-qids.tsv` lists the Wikidata identifiers that were checked against more
than one public listing, each with the entity's English and French names (data/reference/
README.md). A link to an identifier that is not on the list is an error, and so is a link from a
node that has neither the listed English name as its English label nor the listed French name as
its French label: the identifier was checked for that entity, not for any node that names it.
(One name may differ: a label must not carry a fact no claim states, such as the year in the
list's "2022 Russian invasion of Ukraine".)
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.backend import OxTerm
from kg.dataset import Dataset
from kg.display import describe
from kg.errors import KgError
from kg.files import read_text
from kg.prefixes import PREFIXES

QIDS_FILE = Path("data", "reference", "wikidata-qids.tsv")
COLUMNS = ("entity_en", "entity_fr", "wikidata_qid")
_LINKS = """SELECT ?node ?qid ?label WHERE {
    ?node kg:wikidata ?qid .
    OPTIONAL { ?node rdfs:label ?label FILTER (LANG(?label) IN ("en", "fr")) }
}"""


@dataclass(frozen=True)
class Listed:
    qid: str
    english: str
    french: str


@dataclass(frozen=True)
class ReferenceProblem:
    """A kg:wikidata link the checked list does not vouch for."""

    node: OxTerm
    label: str  # the node for people
    qid: str
    message: str
    files: tuple[str, ...]


def read_checked_list(root: Path) -> dict[str, Listed] | None:
    """The checked identifiers by Q-number (`Q159`), or None when the project has no list."""
    path = root / QIDS_FILE
    if not path.is_file():
        return None
    rows = csv.DictReader(read_text(path, root).splitlines(), delimiter="\t")
    if tuple(rows.fieldnames or ()) != COLUMNS:
        raise KgError(f"{QIDS_FILE}:1: expected the columns {', '.join(COLUMNS)} (tab-separated)")
    listed = {}
    for line, row in enumerate(rows, start=2):
        qid = (row["wikidata_qid"] or "").strip()
        if not qid.startswith("Q") or not qid[1:].isdigit():
            raise KgError(f"{QIDS_FILE}:{line}: {qid!r} is not a Wikidata item identifier (Q...)")
        listed[qid] = Listed(qid, row["entity_en"] or "", row["entity_fr"] or "")
    return listed


def check_wikidata(dataset: Dataset, root: Path,
                   files_of: Callable[[OxTerm], list[str]]) -> list[ReferenceProblem]:
    """Every kg:wikidata link must name an identifier of the checked list, from a node labelled
    with the listed English or French name in that language. (A value that is not a Wikidata
    item IRI at all is the SHACL shapes' to report.)"""
    _names, rows = dataset.select(_LINKS, "(the checked list of Wikidata identifiers)")
    links: dict[tuple[OxTerm, OxTerm], set[tuple[str, str]]] = {}
    for node, value, label in rows:
        assert node is not None and value is not None
        labels = links.setdefault((node, value), set())
        if isinstance(label, ox.Literal):
            labels.add((label.value, label.language or ""))
    if not links:
        return []
    listed = read_checked_list(root)
    problems = []
    for (node, value), labels in sorted(links.items(), key=lambda item: str(item[0])):
        if not isinstance(value, ox.NamedNode) or not value.value.startswith(PREFIXES["wd"]):
            continue
        qid = value.value[len(PREFIXES["wd"]):]
        if listed is None:
            message = (f"kg:wikidata wd:{qid}: the project has no checked list ({QIDS_FILE}); "
                       "link entities to Wikidata only through it")
        elif qid not in listed:
            message = (f"kg:wikidata wd:{qid} is not on the checked list {QIDS_FILE}: check the "
                       "identifier against more than one public listing and add it there "
                       "first, or leave the entity unlinked")
        elif not {(listed[qid].english, "en"), (listed[qid].french, "fr")} & labels:
            shown = ", ".join(f'"{label}"@{lang}' for label, lang in sorted(labels)) or "no label"
            message = (f"kg:wikidata wd:{qid} is listed in {QIDS_FILE} for "
                       f'"{listed[qid].english}"@en / "{listed[qid].french}"@fr, but this node '
                       f"has {shown}: a wrong identifier, or labels that differ from the list")
        else:
            continue
        problems.append(ReferenceProblem(node, describe(dataset.store, node), qid, message,
                                         tuple(files_of(node))))
    return problems


def format_reference_problems(problems: list[ReferenceProblem]) -> str:
    """One line per problem, grouped by the data file that states the link."""
    lines: list[str] = []
    current: tuple[str, ...] | None = None
    for problem in sorted(problems, key=lambda p: (p.files, p.label, p.qid)):
        if problem.files != current:
            current = problem.files
            lines.append(", ".join(current) if current else "(no data file)")
        lines.append(f"  {problem.label}: {problem.message}")
    return "\n".join(lines)
