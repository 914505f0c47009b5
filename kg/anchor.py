"""Complete quote-only selectors in a curator's Turtle file (`kg anchor FILE...`).

A curator pastes the verbatim quote as `oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "…" ]`.
This module finds the quote in the evidence's stored source text (exactly, no normalisation) and
rewrites that block in place with the prefix, suffix and a TextPositionSelector. The rest of the
file (layout, comments) is left as it is; the file is replaced atomically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.atomic import atomic_write_text
from kg.dataset import turtle_to_ntriples
from kg.display import short
from kg.errors import KgError
from kg.evidence import CONTEXT, Selection, locate, visible
from kg.files import read_text, rel_path
from kg.sources import read_source
from kg.vocab import KG, OA

# A quote-only TextQuoteSelector block as curators write it.
_BLOCK = re.compile(
    r'\[\s*a\s+oa:TextQuoteSelector\s*;\s*oa:exact\s+"(?P<lit>(?:[^"\\\n]|\\.)*)"\s*\]'
)
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")


def unescape(literal: str) -> str:
    """The value of a Turtle short string literal body (ECHAR and UCHAR escapes)."""
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code not in _ESCAPES:
            raise KgError(f"invalid escape \\{code} in a string literal")
        return _ESCAPES[code]
    return _ESCAPE.sub(one, literal)


@dataclass(frozen=True)
class Anchored:
    """One quote that was anchored, for the command's report."""

    line: int
    selection: Selection


def _quote_sources(file_store: ox.Store, known: ox.Store
                   ) -> dict[str, dict[str, ox.NamedNode | ox.BlankNode]]:
    """For each quote-only selector's exact text, the kg:textFile of its evidence's sources
    (documents described in the file or in `known`) and the document that names each."""
    found = file_store.query("""
        SELECT ?exact ?evidence WHERE {
            ?selector a oa:TextQuoteSelector ; oa:exact ?exact .
            ?evidence oa:hasSelector ?selector .
            FILTER NOT EXISTS { ?selector oa:prefix|oa:suffix ?context }
        }""", prefixes={"oa": OA.iri})
    assert isinstance(found, ox.QuerySolutions)
    sources: dict[str, dict[str, ox.NamedNode | ox.BlankNode]] = {}
    for row in found:
        exact, evidence = row["exact"], row["evidence"]
        assert isinstance(exact, ox.Literal) and isinstance(evidence, ox.NamedNode | ox.BlankNode)
        for source in file_store.quads_for_pattern(evidence, OA.hasSource, None):
            doc = source.object
            if not isinstance(doc, ox.NamedNode | ox.BlankNode):
                continue
            for store in (known, file_store):
                for text_file in store.quads_for_pattern(doc, KG.textFile, None):
                    if isinstance(text_file.object, ox.Literal):
                        sources.setdefault(exact.value, {})[text_file.object.value] = doc
    return sources


def _replacement(sel: Selection, indent: str, xsd: str) -> str:
    inner = indent + "    "
    return (
        f"[ a oa:TextQuoteSelector ;\n{inner}oa:exact {visible(sel.exact)} ;\n"
        f"{inner}oa:prefix {visible(sel.prefix)} ;\n{inner}oa:suffix {visible(sel.suffix)} ] ,\n"
        f"{indent}[ a oa:TextPositionSelector ; "
        f'oa:start "{sel.start}"^^{xsd} ; oa:end "{sel.end}"^^{xsd} ]'
    )


def anchor_file(path: Path, root: Path, known: ox.Store,
                context: int = CONTEXT) -> list[Anchored]:
    """Rewrite `path` so that every quote-only selector carries its full selectors.

    `known` holds the project's graph so that source documents defined elsewhere resolve.
    Raises KgError (and writes nothing) if a quote is missing from its text or is ambiguous.
    """
    name = rel_path(path, root)
    content = read_text(path, root)
    file_store = ox.Store()
    file_store.extend(ox.parse(turtle_to_ntriples(content, name, path.resolve().as_uri()),
                               format=ox.RdfFormat.N_TRIPLES))
    sources = _quote_sources(file_store, known)
    xsd = ("xsd:nonNegativeInteger" if re.search(r"@prefix\s+xsd:", content)
           else "<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>")
    texts: dict[str, str] = {}
    anchored: list[Anchored] = []
    pieces: list[str] = []
    last = 0
    for match in _BLOCK.finditer(content):
        exact = unescape(match.group("lit"))
        files = sources.get(exact)
        line = content.count("\n", 0, match.start()) + 1
        if not files:
            continue  # not evidence of a document with stored text: nothing to compute
        if len(files) > 1:
            raise KgError(f"{name}:{line}: the quote's evidence has several stored-text sources")
        [(text_file, doc)] = files.items()
        if text_file not in texts:
            try:
                texts[text_file] = read_source(root, text_file)
            except KgError as exc:
                raise KgError(f"{name}:{line}: {short(doc)}: {exc.message}") from None
        try:
            found = locate(texts[text_file], exact, context)
        except KgError as exc:
            raise KgError(f"{name}:{line}: {exc.message}", exc.exit_code) from None
        if len(found) > 1:
            starts = ", ".join(str(s.start) for s in found)
            raise KgError(f"{name}:{line}: the quote occurs {len(found)} times in {text_file} "
                          f"(at {starts}); quote more words, or write the selectors by hand "
                          "from `kg locate`")
        line_start = content.rfind("\n", 0, match.start()) + 1
        indent = re.match(r"\s*", content[line_start:]).group(0)  # type: ignore[union-attr]
        pieces += [content[last:match.start()], _replacement(found[0], indent + "    ", xsd)]
        last = match.end()
        anchored.append(Anchored(line, found[0]))
    if anchored:
        pieces.append(content[last:])
        atomic_write_text(path, "".join(pieces))
    return anchored
