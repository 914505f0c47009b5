"""Evidence selectors: find a quote in a stored source text and check recorded selectors.

Offsets are Unicode code points (Python string indices), end exclusive, over the text decoded
from UTF-8 exactly as stored: no newline translation, no normalisation.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import pyoxigraph as ox

from kg.backend import OxTerm
from kg.display import describe, escape_string, short
from kg.errors import EXIT_FAILURE, KgError
from kg.settings import CONTEXT
from kg.sources import read_source
from kg.vocab import KG, OA, RDF

# Characters typed in place of one another. Each maps to one representative, one for one, so
# offsets in the folded text are offsets in the original.
_KINDS: dict[str, str] = {
    ch: kind for kind, chars in (
        ("apostrophe", "'\u2019\u2018\u02bc\u201b\u2032`\u00b4"),
        ("quote mark", '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2033'),
        ("dash", "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"),
    ) for ch in chars
}
_FOLD_REP = {"apostrophe": "'", "quote mark": '"', "dash": "-", "whitespace": " "}


def _kind(ch: str) -> str | None:
    if ch.isspace():
        return "whitespace"
    return _KINDS.get(ch)


def _fold_char(ch: str) -> str:
    kind = _kind(ch)
    if kind is not None:
        return _FOLD_REP[kind]
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


def fold(text: str) -> str:
    """Fold typographic variants (space kinds, apostrophes, quote marks, dashes, case).

    The result has the same length as `text`, character for character.
    """
    return "".join(_fold_char(ch) for ch in text)


def visible(text: str) -> str:
    """`text` in double quotes, with no-break spaces and other invisible characters escaped."""
    return '"' + escape_string(text, visible=True) + '"'


_CONTROL_NAMES = {"\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}


def describe_char(ch: str) -> str:
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch, "control character")
    return f"U+{ord(ch):04X} {name}"


@dataclass(frozen=True)
class Selection:
    """The two selectors of one occurrence of a quote."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str

    def turtle(self, indent: str = "    ") -> str:
        """A ready-to-paste `oa:hasSelector` property with both selectors as blank nodes.

        Offsets are typed xsd:nonNegativeInteger, the range of oa:start and oa:end.
        """
        i2 = indent * 2
        return (
            f"{indent}oa:hasSelector [\n"
            f"{i2}a oa:TextQuoteSelector ;\n"
            f"{i2}oa:exact {visible(self.exact)} ;\n"
            f"{i2}oa:prefix {visible(self.prefix)} ;\n"
            f"{i2}oa:suffix {visible(self.suffix)}\n"
            f"{indent}] , [\n"
            f"{i2}a oa:TextPositionSelector ;\n"
            f'{i2}oa:start "{self.start}"^^xsd:nonNegativeInteger ;\n'
            f'{i2}oa:end "{self.end}"^^xsd:nonNegativeInteger\n'
            f"{indent}] ;\n"
        )


@dataclass(frozen=True)
class Passage:
    """The stretch of text most like a quote that was not found."""

    start: int
    end: int
    text: str
    ratio: float


class NotFound(KgError):
    """The quote does not occur in the text; carries the nearest passage and a typing hint."""

    def __init__(self, quote: str, nearest: Passage | None, hint: str | None) -> None:
        message = f"quote not found: {visible(quote)}"
        if nearest is not None:
            message += (
                f"\n  nearest passage (start={nearest.start}, end={nearest.end}, "
                f"similarity {nearest.ratio:.2f}): {visible(nearest.text)}"
            )
        if hint:
            message += f"\n  hint: {hint}"
        super().__init__(message, EXIT_FAILURE)
        self.quote = quote
        self.nearest = nearest
        self.hint = hint


def selection_at(text: str, start: int, end: int, context: int = CONTEXT) -> Selection:
    """Selectors for `text[start:end]`, prefix and suffix clipped at the text's bounds."""
    return Selection(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - context):start],
        suffix=text[end:end + context],
    )


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every occurrence of `quote`, overlapping ones included."""
    found = []
    pos = text.find(quote)
    while pos != -1 and quote:
        found.append(pos)
        pos = text.find(quote, pos + 1)
    return found


def locate(
    text: str, quote: str, context: int = CONTEXT, occurrence: int | None = None
) -> list[Selection]:
    """Selectors of every occurrence of `quote` in `text`, or only the 1-based `occurrence`.

    Raises NotFound (with the nearest passage) when the quote is not in the text.
    """
    if not quote:
        raise KgError("the quote is empty")
    starts = occurrences(text, quote)
    if not starts:
        nearest = nearest_passage(text, quote)
        raise NotFound(quote, nearest, typography_hint(quote, nearest.text) if nearest else None)
    selections = [selection_at(text, s, s + len(quote), context) for s in starts]
    if occurrence is None:
        return selections
    if not 1 <= occurrence <= len(selections):
        raise KgError(f"occurrence {occurrence} asked for, but the quote occurs "
                      f"{len(selections)} time(s)")
    return [selections[occurrence - 1]]


def nearest_passage(text: str, quote: str, min_ratio: float = 0.4) -> Passage | None:
    """The passage of `text` most similar to `quote`, or None if none is close.

    First an exact search modulo typography (folded text). Otherwise windows of the quote's
    length are scored with difflib's ratio, but only around the alignments (diagonals) where many
    character trigrams of the quote occur, which keeps it fast on long texts; the best window's
    ends are then adjusted by a few code points.
    """
    if not quote or not text:
        return None
    m = len(quote)
    folded_text, folded_quote = fold(text), fold(quote)
    pos = folded_text.find(folded_quote)
    if pos != -1:
        window = text[pos:pos + m]
        return Passage(pos, pos + m, window, SequenceMatcher(None, window, quote).ratio())

    q = min(3, m)
    grams: dict[str, list[int]] = {}
    for i in range(m - q + 1):
        grams.setdefault(folded_quote[i:i + q], []).append(i)
    votes: dict[int, int] = {}
    for t in range(len(folded_text) - q + 1):
        hits = grams.get(folded_text[t:t + q])
        if hits:
            for i in hits:
                votes[t - i] = votes.get(t - i, 0) + 1
    if not votes:
        return None

    last_start = max(0, len(text) - m)
    spread = max(2, m // 8)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(folded_quote)
    scores: dict[tuple[int, int], float] = {}

    def score(start: int, end: int) -> float:
        if (start, end) not in scores:
            matcher.set_seq1(folded_text[start:end])
            scores[start, end] = matcher.ratio()
        return scores[start, end]

    def better(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return (score(*a), -a[0], -a[1]) > (score(*b), -b[0], -b[1])

    best: tuple[int, int] | None = None
    for diagonal in sorted(votes, key=lambda d: (-votes[d], d))[:8]:
        for start in range(diagonal - spread, diagonal + spread + 1):
            start = min(max(start, 0), last_start)
            span = (start, min(start + m, len(text)))
            if best is None or better(span, best):
                best = span
    assert best is not None
    if score(*best) < min_ratio:
        return None
    # The window has the quote's length; a missing or extra word shifts its true ends, so move
    # the start, then the end, to where the similarity is highest.
    start, end = best
    for s in range(max(0, start - spread), min(end, start + spread + 1)):
        if better((s, end), (start, end)):
            start = s
    best_end = end
    for e in range(max(start + 1, end - spread), min(len(text), end + spread) + 1):
        if better((start, e), (start, best_end)):
            best_end = e
    end = best_end
    window = text[start:end]
    return Passage(start, end, window, SequenceMatcher(None, window, quote, autojunk=False).ratio())


def typography_hint(typed: str, found: str) -> str | None:
    """Explain differences that are only a matter of typing: space kind, apostrophe, quotes...

    Returns None when no such difference is present.
    """
    pairs: list[tuple[int, str, str]] = []
    other = False
    if len(typed) == len(found):
        diffs = [(i, a, b) for i, (a, b) in enumerate(zip(typed, found, strict=True)) if a != b]
        blocks = [diffs]
    else:
        blocks = []
        opcodes = SequenceMatcher(None, typed, found, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                blocks.append([(i1 + k, typed[i1 + k], found[j1 + k]) for k in range(i2 - i1)])
            else:
                other = True
    for block in blocks:
        for i, a, b in block:
            if a != b and _fold_char(a) == _fold_char(b):
                pairs.append((i, a, b))
            elif a != b:
                other = True
    if not pairs:
        return None
    kinds = sorted({_kind(a) or "letter case" for _, a, _ in pairs})
    details = "; ".join(
        f"at quote position {i}: typed {describe_char(a)}, text has {describe_char(b)}"
        for i, a, b in pairs[:5]
    )
    more = f" (and {len(pairs) - 5} more)" if len(pairs) > 5 else ""
    lead = "the quote differs" + ("" if other else " only") + " in " + " and ".join(kinds)
    return f"{lead}: {details}{more}"


# --- checking evidence records in a graph ----------------------------------------------------

Subject = ox.NamedNode | ox.BlankNode


# Lookups in the store. (Oxigraph's types allow RDF 1.2 triple terms, which N-Triples 1.1 input
# cannot hold: they are left out.)

def _objects(store: ox.Store, subject: Subject, predicate: ox.NamedNode) -> list[OxTerm]:
    return [quad.object for quad in store.quads_for_pattern(subject, predicate, None)
            if not isinstance(quad.object, ox.Triple)]


def _subjects(store: ox.Store, predicate: ox.NamedNode, obj: OxTerm | None) -> list[Subject]:
    return [quad.subject for quad in store.quads_for_pattern(None, predicate, obj)
            if not isinstance(quad.subject, ox.Triple)]


def _value(store: ox.Store, subject: Subject, predicate: ox.NamedNode) -> OxTerm | None:
    return next(iter(_objects(store, subject, predicate)), None)


@dataclass
class EvidenceProblem:
    """One failed evidence check, with what a reader needs to fix it."""

    node: Subject  # the evidence record (or the source document for document-level problems)
    label: str  # the node for people: a prefixed name, or `kgr:claim kg:hasEvidence []`
    kind: str
    message: str
    claims: list[Subject] = field(default_factory=list)
    quote: str | None = None
    expected: str | None = None
    found: str | None = None
    nearest: Passage | None = None
    hint: str | None = None
    text_file: str | None = None
    data_files: list[str] = field(default_factory=list)


@dataclass
class _Document:
    text: str | None
    noise: list[tuple[int, int]]


def _int(value: OxTerm | None) -> int | None:
    if isinstance(value, ox.Literal):
        try:
            return int(value.value)
        except ValueError:
            return None
    return None


def _str(store: ox.Store, node: Subject, prop: ox.NamedNode) -> str | None:
    value = _value(store, node, prop)
    return value.value if isinstance(value, ox.Literal) else None


class _Checker:
    def __init__(self, store: ox.Store, root: Path,
                 files_of: Callable[[OxTerm], list[str]]) -> None:
        self.store = store
        self.root = root
        self.files_of = files_of
        self.docs: dict[Subject, _Document] = {}
        self.problems: list[EvidenceProblem] = []

    def problem(self, node: Subject, kind: str, message: str, **details: object) -> None:
        claims = sorted(_subjects(self.store, KG.hasEvidence, node), key=str)
        self.problems.append(EvidenceProblem(
            node=node, label=describe(self.store, node), kind=kind, message=message,
            claims=claims,
            data_files=self.files_of(node), **details,  # type: ignore[arg-type]
        ))

    def document(self, doc: Subject, text_file: str) -> _Document:
        if doc in self.docs:
            return self.docs[doc]
        noise = []
        for span in _objects(self.store, doc, KG.noiseSpan):
            start = end = None
            if not isinstance(span, ox.Literal):
                start = _int(_value(self.store, span, OA.start))
                end = _int(_value(self.store, span, OA.end))
            if start is None or end is None:
                self.problem(doc, "noise-span", f"kg:noiseSpan {short(span)} lacks integer "
                             "oa:start/oa:end", text_file=text_file)
            else:
                noise.append((start, end))
        try:
            text = read_source(self.root, text_file)
        except KgError as exc:
            self.problem(doc, "text-file", str(exc), text_file=text_file)
            self.docs[doc] = _Document(None, noise)
            return self.docs[doc]
        expected = _str(self.store, doc, KG.sha256)
        if expected is not None:
            actual = hashlib.sha256(text.encode("utf-8")).hexdigest()  # the bytes as read
            if actual != expected.strip().lower():
                self.problem(doc, "sha256", f"{text_file}: stored text does not match kg:sha256",
                             expected=expected, found=actual, text_file=text_file)
        self.docs[doc] = _Document(text, sorted(noise))
        return self.docs[doc]

    def selectors(self, ev: Subject) -> tuple[list[Subject], list[Subject]]:
        quotes, positions = [], []
        for sel in _objects(self.store, ev, OA.hasSelector):
            if isinstance(sel, ox.Literal):
                continue
            types = _objects(self.store, sel, RDF.type)
            if OA.TextQuoteSelector in types or _value(self.store, sel, OA.exact) is not None:
                quotes.append(sel)
            elif OA.TextPositionSelector in types or _value(self.store, sel, OA.start) is not None:
                positions.append(sel)
        return quotes, positions

    def check(self, ev: Subject) -> None:
        sources = [(doc, text_file) for doc in _objects(self.store, ev, OA.hasSource)
                   if not isinstance(doc, ox.Literal)
                   and (text_file := _str(self.store, doc, KG.textFile)) is not None]
        if not sources:
            return
        if len(sources) > 1:
            self.problem(ev, "source", "several oa:hasSource documents with kg:textFile")
            return
        doc, text_file = sources[0]
        document = self.document(doc, text_file)
        if document.text is None:
            return
        quotes, positions = self.selectors(ev)
        if len(quotes) > 1 or len(positions) > 1:
            self.problem(ev, "selector", "several selectors of one kind", text_file=text_file)
            return
        quote_sel = quotes[0] if quotes else None
        pos_sel = positions[0] if positions else None
        self.check_selectors(ev, document, text_file, quote_sel, pos_sel)

    def check_selectors(self, ev: Subject, document: _Document, text_file: str,
                        quote_sel: Subject | None, pos_sel: Subject | None) -> None:
        text = document.text
        assert text is not None
        store = self.store
        exact = prefix = suffix = None
        if quote_sel is not None:
            exact = _str(store, quote_sel, OA.exact)
            prefix = _str(store, quote_sel, OA.prefix)
            suffix = _str(store, quote_sel, OA.suffix)
            if not exact:
                self.problem(ev, "selector", "TextQuoteSelector without a non-empty oa:exact",
                             text_file=text_file)
                return
        span: tuple[int, int] | None = None
        if pos_sel is not None:
            start = _int(_value(store, pos_sel, OA.start))
            end = _int(_value(store, pos_sel, OA.end))
            if start is None or end is None:
                self.problem(ev, "selector", "TextPositionSelector without integer oa:start and "
                             "oa:end", quote=exact, text_file=text_file)
                return
            if not 0 <= start <= end <= len(text):
                self.problem(ev, "offsets", f"offsets start={start} end={end} outside the text "
                             f"(length {len(text)})", quote=exact, text_file=text_file)
                return
            span = (start, end)

        if exact is not None:
            starts = occurrences(text, exact)
            if not starts:
                nearest = nearest_passage(text, exact)
                self.problem(ev, "quote", "oa:exact does not occur in the text", quote=exact,
                             expected=exact, found=text[span[0]:span[1]] if span else None,
                             nearest=nearest, text_file=text_file,
                             hint=typography_hint(exact, nearest.text) if nearest else None)
                return
            if span is not None and text[span[0]:span[1]] != exact:
                where = ", ".join(f"start={s} end={s + len(exact)}" for s in starts[:5])
                self.problem(ev, "offsets",
                             f"text at start={span[0]} end={span[1]} is not oa:exact",
                             quote=exact, expected=exact, found=text[span[0]:span[1]],
                             hint=f"the quote occurs at {where}", text_file=text_file)
                return
            if span is None:
                # Quote selector alone: prefix and suffix must pick out one occurrence.
                fitting = [s for s in starts if self._context_fits(text, s, s + len(exact),
                                                                  prefix, suffix)]
                if len(fitting) == 1:
                    span = (fitting[0], fitting[0] + len(exact))
                elif len(starts) == 1:
                    span = (starts[0], starts[0] + len(exact))
                    self.check_context(ev, text, span, exact, prefix, suffix, text_file)
                else:
                    where = ", ".join(f"start={s}" for s in (fitting or starts)[:5])
                    self.problem(ev, "ambiguous", f"the quote occurs {len(starts)} times and "
                                 f"{len(fitting)} fit its prefix and suffix; add a "
                                 "TextPositionSelector", quote=exact, text_file=text_file,
                                 hint=f"occurrences at {where}")
            else:
                self.check_context(ev, text, span, exact, prefix, suffix, text_file)
        if span is not None:
            for n_start, n_end in document.noise:
                if span[0] < n_end and n_start < span[1]:
                    self.problem(ev, "noise", f"quote overlaps the document's noise span "
                                 f"start={n_start} end={n_end}: {visible(text[n_start:n_end])}",
                                 quote=exact, text_file=text_file)

    @staticmethod
    def _context_fits(text: str, start: int, end: int, prefix: str | None,
                      suffix: str | None) -> bool:
        return ((prefix is None or text[max(0, start - len(prefix)):start] == prefix)
                and (suffix is None or text[end:end + len(suffix)] == suffix))

    def check_context(self, ev: Subject, text: str, span: tuple[int, int], exact: str,
                      prefix: str | None, suffix: str | None, text_file: str) -> None:
        start, end = span
        if prefix is not None:
            actual = text[max(0, start - len(prefix)):start]
            if actual != prefix:
                self.problem(ev, "prefix", "oa:prefix does not match the text before the quote",
                             quote=exact, expected=prefix, found=actual, text_file=text_file,
                             hint=typography_hint(prefix, actual))
        if suffix is not None:
            actual = text[end:end + len(suffix)]
            if actual != suffix:
                self.problem(ev, "suffix", "oa:suffix does not match the text after the quote",
                             quote=exact, expected=suffix, found=actual, text_file=text_file,
                             hint=typography_hint(suffix, actual))


def check_evidence(
    store: ox.Store, root: Path, files_of: Callable[[OxTerm], list[str]] | None = None
) -> list[EvidenceProblem]:
    """Check every evidence record whose source document has a stored text (`kg:textFile`).

    Verifies the text at the position selector equals oa:exact character for character, that
    prefix and suffix match the text around it, that the quote avoids the document's noise
    spans, and that the stored file matches kg:sha256 when given.
    """
    checker = _Checker(store, root, files_of or (lambda _node: []))
    for ev in sorted(set(_subjects(store, OA.hasSelector, None)), key=str):
        checker.check(ev)
    return sorted(checker.problems,
                  key=lambda p: (p.data_files, p.label, p.kind, p.message, p.quote or ""))


def format_evidence_problems(problems: list[EvidenceProblem]) -> str:
    """A readable report, grouped by the data file that defines the evidence record."""
    lines: list[str] = []
    current: list[str] | None = None
    for p in problems:
        if p.data_files != current:
            current = p.data_files
            lines.append(", ".join(current) if current else "(no data file)")
        lines.append(f"  {p.label}: {p.message}")
        if p.claims:
            lines.append(f"    claim(s): {', '.join(short(c) for c in p.claims)}")
        if p.text_file:
            lines.append(f"    text:     {p.text_file}")
        if p.quote is not None and p.quote != p.expected:
            lines.append(f"    quote:    {visible(p.quote)}")
        if p.expected is not None:
            lines.append(f"    expected: {visible(p.expected)}")
        if p.found is not None:
            lines.append(f"    found:    {visible(p.found)}")
        if p.nearest is not None:
            lines.append(f"    nearest:  {visible(p.nearest.text)} (start={p.nearest.start}, "
                         f"end={p.nearest.end}, similarity {p.nearest.ratio:.2f})")
        if p.hint:
            lines.append(f"    hint:     {p.hint}")
    return "\n".join(lines)
