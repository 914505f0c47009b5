"""How RDF terms are written, for people and in Turtle: one place for every report and output.

Reports (SHACL results, evidence problems, check rows), query tables, statistics and the Turtle
export write terms through this module: IRIs as prefixed names where kg.prefixes has one,
literals in Turtle syntax or by their text, and a blank node of the inputs (a skolem IRI,
kg.skolem) by the triple that points to it.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.backend import OxTerm
from kg.prefixes import RDF_LANGSTRING, XSD, XSD_STRING, qname
from kg.skolem import is_skolem

_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# What must be escaped in a string literal (canonical N-Triples), and what else is escaped when
# the output is for people: every space other than U+0020, C1 controls and invisible characters.
_STRING_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_STRING_ESCAPE_VISIBLE = re.compile(
    '["\\\\\x00-\x1f\x7f-\x9f' + _INVISIBLE
    + "".join(c for c in map(chr, range(0xA0, 0x3001)) if c.isspace()) + "]"
)
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_XSD_INTEGER, _XSD_BOOLEAN = XSD + "integer", XSD + "boolean"
_IN_TABLE = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group()
    return _ECHAR.get(ch) or f"\\u{ord(ch):04X}"


def escape_string(value: str, visible: bool = False) -> str:
    """Escape a string for a `"..."` literal in N-Triples or Turtle.

    The canonical form keeps every character as UTF-8 except the ECHARs and other C0 controls.
    With `visible=True`, spaces other than U+0020 and invisible characters become `\\uXXXX`, which
    is the same literal but lets an editor see a no-break space.
    """
    pattern = _STRING_ESCAPE_VISIBLE if visible else _STRING_ESCAPE
    return pattern.sub(_escape_char, value) if pattern.search(value) else value


def escape_iri(iri: str) -> str:
    return _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri)


def turtle_iri(iri: str) -> str:
    return qname(iri) or f"<{escape_iri(iri)}>"


def turtle_literal(literal: ox.Literal, visible: bool = False) -> str:
    """A literal in Turtle: integers and booleans bare, `xsd:string` implicit, datatypes as
    prefixed names."""
    lexical, language, datatype = literal.value, literal.language, literal.datatype.value
    if datatype == _XSD_INTEGER and _INTEGER.match(lexical):
        return lexical
    if datatype == _XSD_BOOLEAN and lexical in ("true", "false"):
        return lexical
    body = f'"{escape_string(lexical, visible)}"'
    if language:
        return f"{body}@{language}"
    if datatype not in (XSD_STRING, RDF_LANGSTRING):
        return f"{body}^^{turtle_iri(datatype)}"
    return body


def short(term: OxTerm) -> str:
    """A compact form for reports: prefixed name or `<iri>`, a literal in Turtle syntax with
    invisible characters escaped, `[]` for a blank node."""
    if isinstance(term, ox.NamedNode):
        return turtle_iri(term.value)
    if isinstance(term, ox.Literal):
        return turtle_literal(term, visible=True)
    return "[]"


def describe(store: ox.Store, term: OxTerm) -> str:
    """Like `short`, but a skolem IRI (a blank node of the inputs) is shown by the triples that
    lead to it from an IRI, e.g. `kgr:claim-x kg:hasEvidence [] oa:hasSelector []` (of several,
    the first in N-Triples order)."""
    steps: list[str] = []
    seen: set[OxTerm] = set()
    while is_skolem(term) and term not in seen:
        seen.add(term)
        parents = [(quad.subject, quad.predicate)
                   for quad in store.quads_for_pattern(None, None, term)
                   if not isinstance(quad.subject, ox.Triple)]
        if not parents:
            break
        term, predicate = min(parents, key=lambda sp: (str(sp[0]), str(sp[1])))
        steps.append(f"{short(predicate)} []")
    head = "[]" if is_skolem(term) else short(term)
    return " ".join([head, *reversed(steps)])


def text(term: OxTerm | None) -> str:
    """A term as a reader sees it in a table: prefixed name or <IRI>, a literal's text (line
    breaks and tabs shown as escapes), [] for a blank node, nothing for an unbound value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return qname(term.value) or f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return "[]"
    return term.value.translate(_IN_TABLE)
