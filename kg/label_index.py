"""The label index: `labels.sqlite`, beside the store in each build generation, that answers the
`label-search` catalogue query on the embedded store without reading every label.

queries/label-search.rq stays standard SPARQL, for remote endpoints and for builds without
the index; it folds each label with the term (lower case, accents and ligatures removed,
apostrophes, dashes and spaces made plain) and must read the text of every label to do so. The
index holds each label folded the same way in Python (`fold`) under an SQLite FTS5 trigram
index, which finds the labels that contain the folded term by their trigrams; each candidate is
then tested exactly (`needle in folded`), so the index gives the rows the query gives
(tests/test_label_index.py compares both). FTS5's own case and accent folding is not used: it
folds differently from the query (œ, ß, no-break spaces, dashes).

The index records the SHA-256 of the query text built beside it and the version of `fold`: the
embedded store answers a query from the index only when its text is that one (an edited query
runs as SPARQL), and a generation without the index (an older build) runs the SPARQL. The index
is written into the build's new generation (kg.generations), which becomes current only once
complete, under a temporary name renamed when the file is whole. It is not an export.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from contextlib import closing
from pathlib import Path

import pyoxigraph as ox

from kg.backend import OxTerm, SelectResult
from kg.prefixes import PREFIXES

INDEX_NAME = "labels.sqlite"
LABEL_SEARCH = "label-search"  # the catalogue query it answers: queries/label-search.rq
FOLD_VERSION = "1"  # bump when `fold` changes: an index of another version is not used
VARIABLES = ["term", "node", "label", "lang", "name"]

# The fold of queries/label-search.rq, step by step: LCASE; marks removed; single letters
# (the query's character classes); ligatures; apostrophes; runs of White_Space (Unicode's
# property, which the regular expressions' \s means), no-break spaces and dashes made one
# space; one space dropped at each end.
_LETTERS = {
    "àáâãäåāăą": "a", "çćĉċč": "c", "ďđ": "d", "èéêëēĕėęě": "e", "ğĝġģ": "g",
    "ìíîïĩīĭįı": "i", "ĺļľł": "l", "ñńņňŉ": "n", "òóôõöøōŏő": "o", "ŕŗř": "r",
    "śŝşšș": "s", "ţťțŧ": "t", "ùúûüũūŭůűų": "u", "ýÿŷ": "y", "źżž": "z",
    "œ": "oe", "æ": "ae", "ß": "ss", "‘’ʼ`´": "'",
}
_TABLE = str.maketrans({char: plain for chars, plain in _LETTERS.items() for char in chars})
_WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
                + "\u2028\u2029\u202f\u205f\u3000")
_DASHES = "".join(map(chr, range(0x2010, 0x2016))) + "-"
_SPACES = re.compile("[" + re.escape(_WHITE_SPACE + _DASHES) + "]+")


def fold(text: str) -> str:
    """`text` folded as queries/label-search.rq folds the term and each label."""
    lowered = text.lower()
    unmarked = "".join(char for char in lowered if not unicodedata.category(char).startswith("M"))
    return _SPACES.sub(" ", unmarked.translate(_TABLE)).strip(" ")


_LABELS = """
SELECT DISTINCT ?node ?label WHERE {
  VALUES ?property { rdfs:label skos:prefLabel skos:altLabel kg:officialName dcterms:title }
  ?node ?property ?label .
  FILTER (isIRI(?node) && !isBlank(?label))
  FILTER NOT EXISTS { ?node a sh:SPARQLExecutable }
}"""
_NAMES = """
SELECT DISTINCT ?node ?name WHERE {
  ?node rdfs:label|skos:prefLabel ?name .
  FILTER (isIRI(?node) && LANGMATCHES(LANG(?name), "en"))
}"""
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE labels (id INTEGER PRIMARY KEY, node TEXT NOT NULL, is_iri INTEGER NOT NULL,
                     value TEXT NOT NULL, lang TEXT NOT NULL, datatype TEXT NOT NULL,
                     folded TEXT NOT NULL);
CREATE VIRTUAL TABLE label_text USING fts5 (folded, content='labels', content_rowid='id',
                                        tokenize='trigram case_sensitive 1');
CREATE TABLE names (node TEXT NOT NULL, value TEXT NOT NULL, lang TEXT NOT NULL);
CREATE INDEX names_by_node ON names (node);
"""


def available() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer (SQLite 3.34 or later,
    built with FTS5); without it no index is written and the query runs as SPARQL."""
    with closing(sqlite3.connect(":memory:")) as db:
        try:
            db.execute("CREATE VIRTUAL TABLE probe USING fts5 (x, tokenize='trigram')")
        except sqlite3.OperationalError:
            return False
    return True


def query_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _solutions(store: ox.Store, query: str) -> Iterable[ox.QuerySolution]:
    answer = store.query(query, prefixes=PREFIXES)
    assert isinstance(answer, ox.QuerySolutions)
    return answer


def write_label_index(store: ox.Store, target: Path, query_text: str) -> Path:
    """Index the labels of `store` into `target` (which must not exist), for the label-search
    query `query_text`. The file appears under its name only when complete."""
    partial = target.with_name(f".{target.name}.tmp")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(partial)) as db, db:
            db.executescript(_SCHEMA)
            db.executemany("INSERT INTO meta VALUES (?, ?)",
                           [("fold", FOLD_VERSION), ("query", query_digest(query_text))])
            db.executemany(
                "INSERT INTO labels (node, is_iri, value, lang, datatype, folded) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (_label_row(s["node"], s["label"]) for s in _solutions(store, _LABELS)))
            db.execute("INSERT INTO label_text (label_text) VALUES ('rebuild')")
            db.executemany("INSERT INTO names VALUES (?, ?, ?)",
                           ((s["node"].value, s["name"].value, s["name"].language or "")
                            for s in _solutions(store, _NAMES)))
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def _label_row(node: OxTerm, label: OxTerm) -> tuple[str, int, str, str, str, str]:
    if isinstance(label, ox.Literal):
        return (node.value, 0, label.value, label.language or "", label.datatype.value,
                fold(label.value))
    return node.value, 1, label.value, "", "", fold(label.value)


class LabelIndex:
    """A generation's label index, read-only, on one connection kept open until `close` (the
    first search of a connection reads the file's pages; a backend may be shared by threads,
    which take turns)."""

    def __init__(self, path: Path, query: str, db: sqlite3.Connection) -> None:
        self.path = path
        self.query = query  # the digest of the query text it answers
        self._db = db
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    @classmethod
    def open(cls, path: Path) -> LabelIndex | None:
        """The index at `path`, or None when there is none or it is not one this version of
        kg can use (then the query runs as SPARQL)."""
        if not path.is_file():
            return None
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error:
            meta = {}
        if meta.get("fold") != FOLD_VERSION or "query" not in meta:
            db.close()
            return None
        return cls(path, meta["query"], db)

    def answers(self, query: str, bindings: Mapping[str, OxTerm]) -> bool:
        """Whether `query` with `bindings` is the indexed label search with a term the index
        folds as the query does (a plain string without U+0001, which the query treats
        specially)."""
        term = bindings.get("term")
        return (query_digest(query) == self.query and set(bindings) == {"term"}
                and isinstance(term, ox.Literal) and term.language is None
                and term.datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
                and "\x01" not in term.value)

    def search(self, term: ox.Literal) -> SelectResult:
        """The rows of the label search for `term`, in the query's order (node, then label);
        sqlite3.Error when the file cannot be read."""
        needle = fold(term.value)
        if not needle:
            return SelectResult(variables=list(VARIABLES))
        # The labels found first (by their trigrams, or by a scan for a needle too short to
        # have any), then their nodes' names: CROSS JOIN keeps SQLite to that order.
        if len(needle) >= 3:
            found = ("SELECT rowid AS id FROM label_text WHERE label_text MATCH ?",
                     '"' + needle.replace('"', '""') + '"')
        else:
            found = ("SELECT id FROM labels WHERE instr(folded, ?) > 0", needle)
        with self._lock:
            cursor = self._db.execute(
                "SELECT l.node, l.is_iri, l.value, l.lang, l.datatype, l.folded, n.value, n.lang "
                f"FROM ({found[0]}) AS f CROSS JOIN labels AS l ON l.id = f.id "
                "LEFT JOIN names AS n ON n.node = l.node", (found[1],))
            matched = {row for row in cursor if needle in row[5]}
        ordered = sorted(matched, key=lambda r: (r[0], r[1] == 0, r[2], r[4], r[3], r[6] or "",
                                                 r[7] or ""))
        return SelectResult(variables=list(VARIABLES),
                            rows=[_row(term, found_row) for found_row in ordered])


def _row(term: ox.Literal, found: tuple[str, int, str, str, str, str, str | None, str | None],
         ) -> dict[str, OxTerm]:
    node, is_iri, value, lang, datatype, _folded, name, name_lang = found
    row: dict[str, OxTerm] = {"term": term, "node": ox.NamedNode(node)}
    if is_iri:
        row["label"] = ox.NamedNode(value)
    else:
        row["label"] = (ox.Literal(value, language=lang) if lang
                        else ox.Literal(value, datatype=ox.NamedNode(datatype)))
        row["lang"] = ox.Literal(lang)
    if name is not None:
        row["name"] = ox.Literal(name, language=name_lang) if name_lang else ox.Literal(name)
    return row
