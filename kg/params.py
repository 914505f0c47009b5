"""Typed query parameters: declared in a query's header, given as `--param key=value`.

A value is checked against its declared type and turned into one RDF term (pyoxigraph's, as
kg.backend expects), which the backend binds to the query variable of the same name. Values are
never pasted into the query text, so no value can change what the query means: a value that is
not a well-formed term of its type is rejected with a message naming the parameter, and any
accepted text is only ever a literal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from kg.backend import OxTerm
from kg.errors import KgError
from kg.prefixes import PREFIXES

PARAM_TYPES: dict[str, str] = {
    "iri": "an IRI: a prefixed name such as kgr:russia, or a full IRI in <angle brackets>",
    "date": "a date written YYYY-MM-DD (xsd:date)",
    "string": "text (xsd:string)",
    "langString": "text with a language tag, written text@lang (e.g. Corée@fr)",
    "integer": "a whole number (xsd:integer)",
    "boolean": "true or false (xsd:boolean)",
}

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_FORBIDDEN = frozenset('<>"{}|^`\\')
_PREFIXED = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):"
                       r"([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_BOOLEANS = {"true": "true", "1": "true", "false": "false", "0": "false"}


@dataclass(frozen=True)
class Param:
    """A parameter declared by a query: `?name` in the query text is bound to its value."""

    name: str
    type: str
    required: bool = False
    default: str | None = None
    example: str | None = None
    doc: str = ""

    def usage(self) -> str:
        """`name=TYPE` with `(required)` or `(default …)`, for listings."""
        if self.required:
            how = "required"
        elif self.default is not None:
            how = f"default {self.default}"
        else:
            how = "optional"
        return f"{self.name}={self.type} ({how})"


def valid_name(name: str) -> bool:
    """A parameter name is a SPARQL variable name (ASCII letters, digits, underscore)."""
    return bool(_NAME.match(name))


def _typed(lexical: str, xsd_type: str) -> ox.Literal:
    return ox.Literal(lexical, datatype=ox.NamedNode(PREFIXES["xsd"] + xsd_type))


def _iri(raw: str) -> ox.NamedNode:
    if raw.startswith("<"):
        if not raw.endswith(">"):
            raise ValueError("a full IRI is written in <angle brackets> with nothing after them")
        iri = raw[1:-1]
    elif raw.startswith(("http://", "https://")):
        iri = raw
    else:
        match = _PREFIXED.match(raw)
        if match is None:
            raise ValueError("expected a prefixed name (kgr:russia) or a full IRI in "
                             "<angle brackets>")
        prefix, local = match.groups()
        if prefix not in PREFIXES:
            raise ValueError(f"unknown prefix {prefix!r}; known prefixes: "
                             + ", ".join(PREFIXES))
        return ox.NamedNode(PREFIXES[prefix] + local)
    bad = sorted({ch for ch in iri if ch in _IRI_FORBIDDEN or ord(ch) <= 0x20})
    if bad:
        shown = " ".join(repr(ch) for ch in bad)
        raise ValueError(f"an IRI cannot contain {shown}")
    if not _SCHEME.match(iri):
        raise ValueError("a full IRI starts with a scheme such as https:")
    return ox.NamedNode(iri)  # ValueError for what else RFC 3987 forbids (e.g. a bad %-escape)


def _text(raw: str) -> str:
    """Text as given, in Unicode normal form C; control characters are refused."""
    bad = sorted({ch for ch in raw if unicodedata.category(ch) == "Cc" and ch not in "\t\n"})
    if bad:
        raise ValueError("control characters are not allowed: "
                         + " ".join(f"U+{ord(ch):04X}" for ch in bad))
    return unicodedata.normalize("NFC", raw)


def _date(raw: str) -> ox.Literal:
    if not _DATE.match(raw):
        raise ValueError("expected a date written YYYY-MM-DD")
    try:
        date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw} is not a day of the calendar") from None
    return _typed(raw, "date")


def _lang_string(raw: str) -> ox.Literal:
    text, sep, lang = raw.rpartition("@")
    if not sep or not _LANG.match(lang):
        raise ValueError("expected text@lang with a language tag such as fr or en-GB")
    return ox.Literal(_text(text), language=lang.lower())  # ValueError if not BCP 47


def _integer(raw: str) -> ox.Literal:
    if not _INTEGER.match(raw):
        raise ValueError("expected a whole number such as 42")
    return _typed(str(int(raw)), "integer")


def _boolean(raw: str) -> ox.Literal:
    value = _BOOLEANS.get(raw.lower())
    if value is None:
        raise ValueError("expected true or false")
    return _typed(value, "boolean")


_PARSERS: dict[str, Callable[[str], OxTerm]] = {
    "iri": _iri,
    "date": _date,
    "string": lambda raw: ox.Literal(_text(raw)),
    "langString": _lang_string,
    "integer": _integer,
    "boolean": _boolean,
}


def term(type_name: str, raw: str) -> OxTerm:
    """The RDF term for `raw` read as `type_name`; ValueError saying what is wrong otherwise."""
    return _PARSERS[type_name](raw)


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """`["a=kgr:russia", ...]` as a dict; KgError for an item without `=`, a repeated key, or
    bytes that are not UTF-8 (Python hands them over as lone surrogates)."""
    given: dict[str, str] = {}
    for item in items:
        try:
            item.encode("utf-8")
        except UnicodeEncodeError:
            raw = item.encode("utf-8", "surrogateescape")
            raise KgError(f"--param {raw!r}: not valid UTF-8 text (is the terminal set to "
                          "UTF-8?)") from None
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise KgError(f"--param {item!r}: expected key=value")
        if name in given:
            raise KgError(f"parameter {name!r} is given twice")
        given[name] = value
    return given


def bind(params: Sequence[Param], given: Mapping[str, str], origin: str) -> dict[str, OxTerm]:
    """The terms to bind: given values and defaults, each checked against its declared type.

    KgError naming the parameter for an unknown name, a missing required value or a value that
    is not of its type. Optional parameters without a value stay unbound.
    """
    declared = {p.name: p for p in params}
    for name in given:
        if name not in declared:
            known = ", ".join(declared) if declared else "none"
            raise KgError(f"unknown parameter {name!r} for {origin} (parameters: {known})")
    bindings: dict[str, OxTerm] = {}
    for param in params:
        raw = given.get(param.name, param.default)
        if raw is None:
            if param.required:
                hint = f", e.g. --param {param.name}={param.example}" if param.example else ""
                raise KgError(f"missing required parameter {param.name!r} "
                              f"({PARAM_TYPES[param.type]}){hint}")
            continue
        try:
            bindings[param.name] = term(param.type, raw)
        except ValueError as exc:
            raise KgError(f"parameter {param.name!r}: {raw!r} is not {param.type}: {exc}") from None
    return bindings
