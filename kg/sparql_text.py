"""SPARQL text read as tokens, without a parser: comments, strings, IRIs, braces and words.

Enough to tell a query's form (SELECT, ASK, an update...), to find its WHERE group (kg.remote
binds parameters there) and to find the SERVICE keyword (`kg serve` refuses federated queries)
without mistaking a word inside a comment, a string or an IRI for a keyword. Standard library
only: `kg query` and `kg serve` use it on every request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Comments, the four kinds of strings, IRIs (the IRIREF rule: a `<` that does not start one is
# the less-than operator), braces and parentheses, and words (escapes in prefixed names kept).
TOKEN = re.compile("|".join((
    r"(?P<comment>#[^\r\n]*)",
    r"(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\r\n]|\\.)*'|\"(?:[^\"\\\r\n]|\\.)*\")",
    r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
    r"(?P<punct>[{}()])",
    r"(?P<word>(?:[^\s{}()#'\"<\\]|\\.)+)",
    r"(?P<other>\S)",
)), re.DOTALL)

UPDATES = frozenset(("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                     "WITH"))
_FORMS = frozenset(("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")) | UPDATES
# The keyword SERVICE inside a word token: not part of a name (ex:SERVICE, ?service, SERVICE:x).
_SERVICE = re.compile(r"(?<![\w:?$.\-])SERVICE(?![\w:\-])", re.IGNORECASE)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE or the first keyword of an update ('' if none)."""
    for token in TOKEN.finditer(query):
        if token.lastgroup == "word" and token.group().upper() in _FORMS:
            return token.group().upper()
    return ""


def uses_service(query: str) -> bool:
    """Whether the query holds the SERVICE keyword (a federated query) outside comments,
    strings and IRIs. Words are read with their \\u escapes decoded, in case an engine does."""
    for token in TOKEN.finditer(query):
        if token.lastgroup == "word":
            word = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token.group())
            if _SERVICE.search(word):
                return True
    return False


def declare_prefixes(query: str, prefixes: Mapping[str, str]) -> str:
    """The query with each of `prefixes` that it does not declare itself declared in front of
    its first token, on the same line: line numbers in error messages stay the query's."""
    tokens = [t for t in TOKEN.finditer(query) if t.lastgroup != "comment"]
    words = [t.group() for t in tokens]
    declared = {b[:-1] for a, b in zip(words, words[1:], strict=False)
                if a.upper() == "PREFIX" and b.endswith(":")}
    prologue = "".join(f"PREFIX {p}: <{iri}> " for p, iri in prefixes.items()
                       if p not in declared)
    at = tokens[0].start() if tokens else len(query)
    return query[:at] + prologue + query[at:]
