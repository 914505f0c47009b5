"""Synthetic project trees for the benchmark: `python -m bench.generate --triples 1M --out DIR`.

DIR gets a copy of the repository's ontology/, rules/ and queries/ (so `kg build --root DIR`
runs the real pipeline with the real shapes, rules and checks), the repository's own data/ (so
the query catalogue's documented examples, which name kgr:russia or the 20 Minutes article, have
something to find), and synthetic data written beside it, on the statement-level model: a
relation, event, obligation or content status carries only its type and labels, and every fact
about it is a statement (rdf:subject, rdf:predicate, rdf:object) inside the claim whose words
make it (kg:supports); the build derives the direct triples from the statements.

- data/syn-actors-NNN.ttl: states, places, government bodies, armed forces, news outlets,
  research institutes, international organisations, collective actors and persons, and the
  claims of a gazetteer that state each state's ISO code, where its places lie and which state
  its bodies belong to;
- data/syn-sources-NNN.ttl: source documents (articles with a stored text; wire stories and
  registers that are only cited) and the articles' relative dates (« mardi »);
- data/syn-{treaties,arms-flows,alignment,history,positions,visits}-NNN.ttl: relations and the
  claims that state them. Claims of several sources state the same relation side by side: an
  article gives a year or a month where a register gives the day, later articles recall earlier
  treaties and flows. Every stance occurs (asserts, confirms, assesses, admits — revising the
  same party's denial —, alleges, suspects, hedges, predicts, denies), with attitudes the
  article attributes to a party (fears), and a few contradictions between sources are planted,
  of each kind the build flags (dates that cannot both hold, and so an end before a start; an
  obligation type both had and lacked; a denial of what another source holds); never one
  inside a source;
- data/syn-dates.ttl: the shared kg:Date nodes (day, week, month, year, decade, unknown), each
  with the bounds of its precision;
- data/sources/*.txt: one French text per article in which every quoted claim really occurs
  (no-break spaces, curly apostrophes, « » quotes), with TextQuoteSelector and
  TextPositionSelector (code-point offsets) on each evidence record, and a noise span.

The entity counts scale with the target triple count (counted over ontology/ and data/, what
`kg build` loads); states are picked with a Zipf-like skew, the repository's states first, so a
few states are hubs as in real news coverage. Turtle is written as text, streaming, file by file;
the same seed gives byte-identical files. synthetic.json in DIR records the counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import operator
import random
import re
import shutil
import sys
import unicodedata
from bisect import bisect
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
COPIED = ("ontology", "rules", "queries")
MANIFEST = "synthetic.json"
GENERATOR_VERSION = 3

HEADER = """@prefix kg:      <https://w3id.org/geokg/ontology#> .
@prefix kgv:     <https://w3id.org/geokg/vocab/> .
@prefix kgr:     <https://w3id.org/geokg/id/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix wd:      <http://www.wikidata.org/entity/> .
"""

NBSP = "\u00a0"
FIRST_DAY, LAST_DAY = date(1950, 1, 1), date(2025, 12, 31)
REGISTER_DAY = date(2026, 1, 15)
# Share of the chances to contradict another source that are taken (the first chance of each
# kind always is, so that even a small tree has one contradiction of each kind).
CONTRADICTION_RATE = 0.05
# Share of the flows taken up again by a later article that it denies (a rarer chance).
DENIAL_RATE = 0.3
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
SYLLABLES = ("ka", "ro", "va", "li", "mo", "sa", "te", "ri", "no", "bel", "dor", "mar", "ven",
             "zal", "tor", "ash", "el", "ur", "in", "os", "kel", "dra", "mi", "lu", "ne", "pa",
             "sto", "gra", "vi", "ze", "ha", "jo", "ber", "cal", "fen", "gor", "hal", "ist",
             "jul", "kor", "lem", "mun", "nor", "pel", "rak", "sil", "tam", "ul", "vor", "wen",
             "yar", "bo", "da", "fi", "gu", "ke", "la", "me", "ni", "po", "qui", "re", "su")
STATE_ENDINGS = (("ia", "ie"), ("land", "lande"), ("stan", "stan"), ("ara", "ara"),
                 ("ovia", "ovie"), ("esh", "esh"))
FIRST_NAMES = ("Anton", "Mikhaïl", "Élodie", "Jérôme", "Zoé", "Andreï", "Chloé", "Renée",
               "Sébastien", "Aurélien", "Ivan", "Olga", "Tamar", "Yusuf", "Leïla", "Farid",
               "Nadia", "Pavel", "Irina", "Kenji", "Mei", "Hana", "Omar", "Sofia", "Lucas",
               "Inès", "Dmitri", "Katya", "Bruno", "Agnès", "Hélène", "Noël", "Raphaël",
               "Amélie", "Joël", "Maëlle", "Gaël", "Anaïs", "Loïc", "Bérénice")
SURNAME_ENDINGS = ("ov", "ski", "ian", "escu", "sen", "berg", "ez", "oni", "ard", "ier", "enko",
                   "adze", "oglu", "son", "ek")
OBLIGATIONS = (("defence", "assistance militaire"), ("offence", "action militaire commune"),
               ("neutrality", "neutralité"), ("non-aggression", "non-agression"),
               ("consultation", "consultation"))
ARMS = (("arms", "armes"), ("munitions", "munitions"), ("missiles", "missiles"),
        ("ballistic-missiles", "missiles balistiques"), ("drones", "drones"))
TECHNOLOGY = (("space-technology", "technologies spatiales"),
              ("ballistic-technology", "technologies balistiques"))
TRENDS = (("support", "un soutien sans faille"), ("distancing", "une prise de distance"),
          ("degradation", "une nette dégradation"), ("revival", "un regain"),
          ("acceleration", "une accélération"))
TREATY_KINDS = (("Friendship and Cooperation", "d’amitié et de coopération"),
                ("Mutual Assistance", "d’assistance mutuelle"),
                ("Comprehensive Strategic Partnership", "de partenariat stratégique global"),
                ("Good-Neighbourliness", "de bon voisinage"),
                ("Military Cooperation", "de coopération militaire"))
# How precisely an article gives a date (registers and wire stories give the day).
ARTICLE_PRECISIONS = (("day", 0.35), ("month", 0.25), ("year", 0.35), ("decade", 0.05))
# The repository's states (data/actors.ttl), hubs of the synthetic graph, with the leaders the
# repository already names.
REAL_STATES = (("russia", "Russia", "Russie", "vladimir-putin"),
               ("north-korea", "North Korea", "Corée du Nord", "kim-jong-un"),
               ("china", "People's Republic of China", "Chine", None),
               ("iran", "Iran", "Iran", None),
               ("ukraine", "Ukraine", "Ukraine", None))
REAL_NAMES = {"vladimir-putin": "Vladimir Poutine", "kim-jong-un": "Kim Jong-un"}
# Visits the synthetic articles never report, whatever their date: the repository's article says
# that Putin's visit of June 2024 is his first to North Korea since 2000 (kg:firstSince), so a
# synthetic visit of his there in between would fail the build (first-since-gap). The states
# picked for such a visit swap roles (a visit of North Korea's leader to Russia), which keeps the
# random sequence, and so the rest of the tree, as it was.
NO_VISITS = frozenset({("russia", "north-korea")})

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                          NBSP: "\\u00A0", "\u202f": "\\u202F"})


# --- Turtle text ----------------------------------------------------------------------------

def lit(text: str) -> str:
    return '"' + text.translate(_ESCAPES) + '"'


def en(text: str) -> str:
    return lit(text) + "@en"


def fr(text: str) -> str:
    return lit(text) + "@fr"


def xsd_date(day: date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def offset(value: int) -> str:
    return f'"{value}"^^xsd:nonNegativeInteger'


class Blank(list):
    """The properties of a blank node written inline as `[ ... ]`."""


Value = str | Blank | Sequence[str | Blank]
Props = list[tuple[str, Value]]
# A statement a claim's words make: subject, kg: property and value, as Turtle terms.
Statement = tuple[str, str, str]


def _objects(value: Value) -> Sequence[str | Blank]:
    if isinstance(value, str | Blank):
        return [value]
    return value


def _render_props(props: Props, indent: str) -> tuple[list[str], int]:
    """One `predicate object , object` text per property, and the number of triples. Several
    blank nodes (a claim's statements) go one a line."""
    parts, count = [], 0
    for pred, value in props:
        texts = []
        objects = _objects(value)
        for obj in objects:
            if isinstance(obj, Blank):
                text, n = _render_blank(obj, indent + "    ")
                texts.append(text)
                count += n + 1
            else:
                texts.append(obj)
                count += 1
        if len(objects) > 1 and isinstance(objects[0], Blank):
            parts.append(f"{pred}\n{indent}    " + f" ,\n{indent}    ".join(texts))
        else:
            parts.append(f"{pred} {' , '.join(texts)}")
    return parts, count


def _render_blank(props: Props, indent: str) -> tuple[str, int]:
    parts, count = _render_props(props, indent)
    return "[ " + " ; ".join(parts) + " ]", count


def render(subject: str, props: Props) -> tuple[str, int]:
    """A Turtle subject block (ends with a blank line) and its number of triples."""
    lines, count = _render_props(props, "    ")
    return subject + " " + " ;\n    ".join(lines) + " .\n\n", count


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def day_fr(day: date) -> str:
    """« 1er mai 1987 », « 12 mai 1987 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number}{NBSP}{MONTHS_FR[day.month - 1]} {day.year}"


def date_phrase(day: date, precision: str, since: bool = False) -> str:
    """The French words for `day` at `precision`: « le 3 mai 1987 », « en mai 1987 »,
    « en 1987 », « dans les années 1980 »; with `since`, « depuis le 3 mai 1987 »..."""
    words = {"day": f"le {day_fr(day)}", "month": f"{MONTHS_FR[day.month - 1]} {day.year}",
             "year": str(day.year), "decade": f"les années{NBSP}{day.year - day.year % 10}"}
    text = words[precision]
    if since:
        return f"depuis{NBSP if precision == 'year' else ' '}{text}"
    return {"day": text, "month": f"en {text}", "year": f"en{NBSP}{text}",
            "decade": f"dans {text}"}[precision]


def capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def earlier(day: date, precision: str) -> date:
    """A day in the month, year or decade (`precision`) before the one holding `day`: a date at
    that precision whose bounds do not overlap `day` (a source that gives it is wrong)."""
    if precision == "month":
        return day.replace(day=1) - timedelta(days=1)
    if precision == "year":
        return date(day.year - 1, 6, 30)
    return date(day.year - day.year % 10 - 5, 6, 30)


# --- output files ---------------------------------------------------------------------------

class Sink:
    """Turtle files `data/syn-TOPIC-NNN.ttl`, a new one every `chunk` triples."""

    def __init__(self, folder: Path, topic: str, comment: str, chunk: int,
                 counter: Callable[[int], None]) -> None:
        self.folder, self.topic, self.comment, self.chunk = folder, topic, comment, chunk
        self.counter = counter
        self.handle: TextIO | None = None
        self.in_file = 0
        self.files: list[str] = []

    def write(self, subject: str, props: Props) -> None:
        text, count = render(subject, props)
        if self.handle is None or self.in_file >= self.chunk:
            self.close()
            name = f"syn-{self.topic}-{len(self.files) + 1:03d}.ttl"
            self.files.append(name)
            self.handle = open(self.folder / name, "w", encoding="utf-8", newline="\n")
            self.handle.write(f"# Synthetic data (bench/generate.py): {self.comment}\n{HEADER}\n")
            self.in_file = 0
        self.handle.write(text)
        self.in_file += count
        self.counter(count)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


# --- the world ------------------------------------------------------------------------------

@dataclass
class Org:
    iri: str
    en: str
    fr: str
    people: list[Person] = field(default_factory=list)


@dataclass
class Place:
    iri: str
    name: str


@dataclass
class State:
    iri: str
    slug: str
    en: str
    fr: str
    code: str | None = None  # ISO 3166 alpha-3, for the synthetic states
    places: list[Place] = field(default_factory=list)
    leader: Person | None = None
    ministry: Org | None = None
    forces: Org | None = None


@dataclass
class Person:
    iri: str
    name: str
    role: str = ""  # kgv: local name, "" for journalists
    role_fr: str = ""
    within: str = ""  # IRI of the state or organisation
    within_en: str = ""
    within_fr: str = ""
    position: bool = False  # a PositionHeld was written

    @property
    def said(self) -> str:
        """The person as an article names them the first time: name and position."""
        if not self.role_fr:
            return self.name
        space = "" if self.role_fr.endswith("’") else " "
        return f"{self.name}, {self.role_fr}{space}{self.within_fr}"


@dataclass
class Quote:
    """A claim whose evidence is a quote of the article being written."""

    topic: str
    iri: str
    claimant: str | None
    stance: str
    stated: str
    statements: list[Statement]
    text_en: str
    span: tuple[int, int]
    verb: str | None = None
    links: Props = field(default_factory=list)


@dataclass
class Article:
    number: int
    iri: str
    slug: str
    published: date
    outlet: Org
    author: Person
    parts: list[str] = field(default_factory=list)
    length: int = 0
    quotes: list[Quote] = field(default_factory=list)
    relative: dict[str, tuple[str, Props]] = field(default_factory=dict)
    recalled: set[str] = field(default_factory=set)  # treaties and flows taken up again

    def add(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def sentence(self, text: str, exact: str | None = None) -> tuple[int, int]:
        """Append a sentence (and a space); the span of `exact` in it, or of the sentence."""
        start, _ = self.add(text)
        self.add(" ")
        if exact is None:
            return start, start + len(text)
        at = start + text.index(exact)
        return at, at + len(exact)

    def paragraph(self) -> None:
        if self.parts and self.parts[-1] == " ":
            self.parts.pop()
            self.length -= 1
        self.add("\n\n")

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class TreatyMemo:
    """A treaty an earlier article reported, for later articles to recall."""

    iri: str
    signing: str
    a: State
    b: State
    signed: date
    entry: date
    kind_fr: str
    article: int


@dataclass
class TransferMemo:
    """An established flow (claims that hold state it) an earlier article reported."""

    iri: str
    supplier: State
    recipient: str
    recipient_fr: str
    items: list[tuple[str, str]]
    began: date
    article: int


def parse_size(text: str) -> int:
    """`10k`, `1M`, `5M` or a plain number of triples."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmM]?)\s*", text)
    if match is None:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 10k, 1M, 250000)")
    number, unit = match.groups()
    return int(float(number) * {"": 1, "k": 1_000, "m": 1_000_000}[unit.lower()])


def repository_base(root: Path) -> tuple[int, set[str], set[str], set[str]]:
    """Triples in ontology/ (without the shapes) and data/, with the labels, ISO codes (stated
    by claims) and kgr: subjects the repository's data already uses (the synthetic data must not
    reuse them)."""
    files = sorted(p for p in (root / "ontology").glob("*.ttl") if p.name != "shapes.ttl")
    data = sorted(p for p in (root / "data").rglob("*.ttl")
                  if p.relative_to(root / "data").parts[0] != "sources")
    store = ox.Store()
    for path in files + data:
        store.load(path=path, format=ox.RdfFormat.TURTLE)
    labels, codes, subjects = set(), set(), set()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    predicate = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate")
    value = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")
    iso = ox.NamedNode("https://w3id.org/geokg/ontology#iso3166Alpha3")
    for quad in store.quads_for_pattern(None, label, None):
        if isinstance(quad.object, ox.Literal):
            labels.add(quad.object.value.lower())
    for quad in store.quads_for_pattern(None, predicate, iso):
        for code in store.quads_for_pattern(quad.subject, value, None):
            if isinstance(code.object, ox.Literal):
                codes.add(code.object.value)
    for quad in store.quads_for_pattern(None, None, None):
        if isinstance(quad.subject, ox.NamedNode):
            subjects.add(quad.subject.value.replace("https://w3id.org/geokg/id/", "kgr:"))
    return len(store), labels, codes, subjects


class Generator:
    def __init__(self, out: Path, target: int, seed: int) -> None:
        self.out, self.target = out, target
        self.rng = random.Random(seed)
        self.data = out / "data"
        base, self.taken_labels, self.taken_codes, self.real_subjects = repository_base(out)
        self.triples = base
        self.chunk = max(1_000, min(50_000, target // 50))
        self.sinks: dict[str, Sink] = {}
        self.dates: dict[str, Props] = {}
        self.counts: Counter[str] = Counter()
        self.stances: Counter[str] = Counter()
        self.statements = 0
        # (kind, node) of each contradiction planted between two sources: the nodes whose
        # statements rules/60-contradictions.rq must find in contradiction, no more.
        self.contradictions: set[tuple[str, str]] = set()
        self.asked: set[str] = set()  # the rare things already written once (chance)
        self.denials = 0  # recalled flows denied by their supplier: every other is admitted
        self.recalled_flows = 0  # recalled flows said to go on: every other is feared
        self.offices: set[str] = set()  # the kg:Office nodes written
        self.serial = 0
        self.states: list[State] = []
        self.state_weights: list[float] = []
        self.outlets: list[Org] = []
        self.institutes: list[Org] = []
        self.collectives: list[Org] = []
        self.researchers: list[Person] = []
        self.journalists: list[Person] = []
        self.registers: list[tuple[str, str]] = []  # (IRI, kind) of cited reference sources
        self.names: set[str] = set()
        self.treaties: deque[TreatyMemo] = deque(maxlen=64)
        self.flows: deque[TransferMemo] = deque(maxlen=64)

    # --- bookkeeping ------------------------------------------------------------------------

    def count(self, n: int) -> None:
        self.triples += n

    def sink(self, topic: str) -> Sink:
        if topic not in self.sinks:
            comments = {
                "actors": "states, places, organisations, collective actors, persons and the "
                          "gazetteer's claims about them",
                "sources": "source documents and the relative dates of the articles",
                "treaties": "treaties, signings, obligations, content statuses, partnerships",
                "arms-flows": "arms and technology transfers",
                "alignment": "alignments, memberships and alliances",
                "history": "phases, trade exchanges, wars and armistices",
                "positions": "positions held",
                "visits": "state visits and publications",
            }
            self.sinks[topic] = Sink(self.data, topic, comments[topic], self.chunk, self.count)
        return self.sinks[topic]

    def write(self, topic: str, subject: str, props: Props, kind: str) -> None:
        self.sink(topic).write(subject, props)
        self.counts[kind] += 1

    def node(self, topic: str, iri: str, kind: str, label_en: str, label_fr: str) -> None:
        """A relation, event or other node: its type and labels only (its facts are statements
        of the claims that make them)."""
        self.write(topic, iri, [("a", f"kg:{kind}"), ("rdfs:label", [en(label_en),
                                                                     fr(label_fr)])], kind)

    def next_id(self) -> int:
        self.serial += 1
        return self.serial

    def unique_name(self, make: Callable[[], str]) -> str:
        for _ in range(1000):
            name = make()
            key = name.lower()
            if (key not in self.names and key not in self.taken_labels
                    and f"kgr:{slugify(name)}" not in self.real_subjects):
                self.names.add(key)
                return name
        raise RuntimeError("cannot find a fresh name")

    def root_name(self, syllables: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()

    def chance(self, name: str, rate: float) -> bool:
        """True the first time `name` is asked, so that even a small tree has one of each rare
        claim and contradiction, then with probability `rate`."""
        if name not in self.asked:
            self.asked.add(name)
            return True
        return self.rng.random() < rate

    # --- dates ------------------------------------------------------------------------------

    def _date(self, iri: str, props: Props) -> str:
        if iri not in self.dates and iri not in self.real_subjects:
            self.dates[iri] = props
        return iri

    def day(self, day: date) -> str:
        return self._date(f"kgr:date-{day.isoformat()}", [
            ("a", "kg:Date"), ("kg:precision", "kgv:day"),
            ("kg:earliest", xsd_date(day)), ("kg:latest", xsd_date(day)),
            ("time:inXSDDate", xsd_date(day))])

    def at(self, day: date, precision: str) -> str:
        """The date node holding `day` at `precision` (day, month, year or decade)."""
        if precision == "day":
            return self.day(day)
        if precision == "month":
            first = day.replace(day=1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            return self._date(f"kgr:date-{day:%Y-%m}", [
                ("a", "kg:Date"), ("kg:precision", "kgv:month"),
                ("kg:earliest", xsd_date(first)), ("kg:latest", xsd_date(last)),
                ("time:inXSDgYearMonth", f'"{day:%Y-%m}"^^xsd:gYearMonth')])
        if precision == "year":
            return self._date(f"kgr:date-{day.year}", [
                ("a", "kg:Date"), ("kg:precision", "kgv:year"),
                ("kg:earliest", xsd_date(date(day.year, 1, 1))),
                ("kg:latest", xsd_date(date(day.year, 12, 31))),
                ("time:inXSDgYear", f'"{day.year}"^^xsd:gYear')])
        first = date(day.year - day.year % 10, 1, 1)
        return self._date(f"kgr:date-{first.year}s", [
            ("a", "kg:Date"), ("kg:precision", "kgv:decade"),
            ("kg:earliest", xsd_date(first)),
            ("kg:latest", xsd_date(date(first.year + 9, 12, 31)))])

    def by(self, day: date) -> str:
        """A date of unknown precision known to be no later than `day`."""
        return self._date(f"kgr:date-by-{day.isoformat()}", [
            ("a", "kg:Date"), ("kg:precision", "kgv:unknown-precision"),
            ("kg:latest", xsd_date(day))])

    def precision(self) -> str:
        names = [name for name, _weight in ARTICLE_PRECISIONS]
        weights = [weight for _name, weight in ARTICLE_PRECISIONS]
        return self.rng.choices(names, weights)[0]

    def between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def relative(self, art: Article, days_before: int) -> str:
        """A relative date of the article (« mardi »), resolved against its publication date."""
        day = art.published - timedelta(days=days_before)
        word = WEEKDAYS_FR[day.weekday()]
        iri = f"kgr:date-{day.isoformat()}-{word}-a{art.number}"
        if iri not in art.relative:
            art.relative[iri] = (iri, [
                ("a", "kg:Date"), ("kg:precision", "kgv:day"),
                ("kg:earliest", xsd_date(day)), ("kg:latest", xsd_date(day)),
                ("time:inXSDDate", xsd_date(day)), ("kg:originalExpression", fr(word)),
                ("kg:resolvedAgainst", self.day(art.published))])
        return iri

    def last_week(self, art: Article) -> str:
        """« la semaine dernière »: the calendar week before the article's week."""
        anchor = self.relative(art, 1)
        monday = art.published - timedelta(days=art.published.weekday() + 7)
        iri = f"kgr:date-{monday:%Y-%m-%d}-semaine-derniere-a{art.number}"
        if iri not in art.relative:
            art.relative[iri] = (iri, [
                ("a", "kg:Date"), ("kg:precision", "kgv:week"),
                ("kg:earliest", xsd_date(monday)),
                ("kg:latest", xsd_date(monday + timedelta(days=6))),
                ("kg:originalExpression", fr("la semaine dernière")),
                ("kg:resolvedAgainst", anchor)])
        return iri

    # --- actors -----------------------------------------------------------------------------

    def pick_state(self, exclude: Sequence[State] = ()) -> State:
        while True:
            state = self.states[bisect(self.state_weights, self.rng.random()
                                       * self.state_weights[-1])]
            if state not in exclude:
                return state

    def make_person(self, role: str, role_fr: str, within: str, within_en: str,
                    within_fr: str) -> Person:
        def make() -> str:
            surname = self.root_name(self.rng.randint(1, 2)) + self.rng.choice(SURNAME_ENDINGS)
            return f"{self.rng.choice(FIRST_NAMES)} {surname}"
        name = self.unique_name(make)
        person = Person(f"kgr:{slugify(name)}", name, role, role_fr, within, within_en, within_fr)
        self.write("actors", person.iri, [("a", "kg:Person"),
                                          ("rdfs:label", [en(name), fr(name)])], "Person")
        return person

    def make_org(self, kind: str, name_en: str, name_fr: str) -> Org:
        org = Org(f"kgr:{slugify(name_en)}", name_en, name_fr)
        self.node("actors", org.iri, kind, name_en, name_fr)
        return org

    def actors(self) -> None:
        n_states = max(12, min(2000, round(8 * math.sqrt(self.target / 1000))))
        for slug, name_en, name_fr, _ in REAL_STATES:
            self.states.append(State(f"kgr:{slug}", slug, name_en, name_fr))
        codes = set(self.taken_codes)
        for _ in range(n_states):
            root = self.unique_name(lambda: self.root_name(2))
            ending_en, ending_fr = self.rng.choice(STATE_ENDINGS)
            name_en = self.unique_name(partial(operator.add, root, ending_en))
            name_fr = root + ending_fr
            self.names.add(name_fr.lower())
            code = (root[:2] + ending_en[0]).upper()
            while code in codes:
                code = "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3))
            codes.add(code)
            state = State(f"kgr:{slugify(name_en)}", slugify(name_en), name_en, name_fr, code)
            self.node("actors", state.iri, "State", name_en, name_fr)
            self.states.append(state)
        total = 0.0
        for rank in range(len(self.states)):
            total += 1 / (rank + 1)
            self.state_weights.append(total)

        for state in self.states:
            for _ in range(2):
                name = self.unique_name(lambda: self.root_name(self.rng.randint(2, 3)))
                place = Place(f"kgr:{slugify(name)}", name)
                self.node("actors", place.iri, "Place", name, name)
                state.places.append(place)
            state.ministry = self.make_org(
                "GovernmentBody", f"Ministry of Foreign Affairs of {state.en}",
                f"ministère des Affaires étrangères de {state.fr}")
            state.forces = self.make_org("ArmedForce", f"Armed forces of {state.en}",
                                         f"forces armées de {state.fr}")
        n_small = max(3, len(self.states) // 4)
        for _ in range(n_small):
            name = self.unique_name(lambda: self.root_name(2))
            self.outlets.append(self.make_org("NewsOutlet", f"{name} Times", f"Le {name} Times"))
            name = self.unique_name(lambda: self.root_name(3))
            self.institutes.append(self.make_org(
                "ResearchInstitute", f"{name} Institute of Strategic Studies",
                f"Institut {name} d’études stratégiques"))
            name = self.unique_name(lambda: self.root_name(2))
            self.collectives.append(self.make_org("CollectiveActor", f"The {name} bloc countries",
                                                  f"les pays du bloc {name}"))
        organisations = []
        for _ in range(max(2, len(self.states) // 12)):
            name = self.unique_name(lambda: self.root_name(2))
            org = self.make_org("InternationalOrganisation", f"{name} Treaty Organisation",
                                f"Organisation du traité {name}")
            organisations.append(org)
            self.registers.append((self.register(org, "Treaty Series", "Recueil des traités"),
                                   "treaty"))
        for institute in self.institutes[: max(1, len(self.institutes) // 3)]:
            self.registers.append((self.register(institute, "Arms Transfers Register",
                                                 "Registre des transferts d’armes"), "transfer"))
        self.gazetteer(organisations[0])

        for state, (_, _, _, leader) in zip(self.states, REAL_STATES, strict=False):
            if leader is not None:
                state.leader = Person(f"kgr:{leader}", REAL_NAMES[leader], position=True)
        for state in self.states:
            if state.leader is None:
                state.leader = self.make_person("head-of-state", "président de", state.iri,
                                                state.en, state.fr)
        n_people = max(3 * len(self.states), self.target // 350)
        for i in range(n_people):
            kind = i % 10
            if kind < 4:
                state = self.pick_state()
                assert state.ministry is not None
                ministry = state.ministry
                ministry.people.append(self.make_person(
                    "spokesperson", "porte-parole du", ministry.iri, ministry.en, ministry.fr))
            elif kind < 7:
                institute = self.rng.choice(self.institutes)
                self.researchers.append(self.make_person(
                    "researcher", "chercheur à l’", institute.iri, institute.en, institute.fr))
            else:
                outlet = self.rng.choice(self.outlets)
                journalist = self.make_person("", "", outlet.iri, outlet.en, outlet.fr)
                outlet.people.append(journalist)
                self.journalists.append(journalist)

    def register(self, publisher: Org, title_en: str, title_fr: str) -> str:
        iri = f"kgr:src-{slugify(publisher.en)}-{slugify(title_en)}"
        self.write("sources", iri, [
            ("a", "kg:SourceDocument"),
            ("rdfs:label", [en(f"{publisher.en}, {title_en}"), fr(f"{publisher.fr}, {title_fr}")]),
            ("dcterms:title", en(title_en)), ("dcterms:publisher", publisher.iri),
            ("kg:published", self.day(REGISTER_DAY)),
            ("kg:sourceUrl", f'"https://example.org/{slugify(publisher.en)}/'
                             f'{slugify(title_en)}"^^xsd:anyURI'),
        ], "SourceDocument")
        return iri

    def gazetteer(self, publisher: Org) -> None:
        """A reference list of states: one claim per state states its ISO code, the state each
        of its places lies in and the state its ministry and armed forces belong to."""
        source = self.register(publisher, "Gazetteer of States", "Répertoire des États")
        for state in self.states:
            assert state.ministry is not None and state.forces is not None
            statements: list[Statement] = []
            if state.code is not None:
                statements.append((state.iri, "kg:iso3166Alpha3", lit(state.code)))
            statements += [(place.iri, "kg:locatedIn", state.iri) for place in state.places]
            statements += [(state.ministry.iri, "kg:partOf", state.iri),
                           (state.forces.iri, "kg:partOf", state.iri)]
            code = f" ({state.code})" if state.code else ""
            self.cite("actors", source, self.day(REGISTER_DAY), statements,
                      f"{state.en}: places, ministry and armed forces.",
                      f"{state.en}{code}: {', '.join(p.name for p in state.places)}; "
                      f"{state.ministry.en}; {state.forces.en}")

    # --- claims -----------------------------------------------------------------------------

    def claim_props(self, claimant: str | None, stance: str, stated: str,
                    statements: list[Statement], text_en: str, evidence: Blank,
                    verb: str | None = None, links: Props | None = None) -> Props:
        """A claim's properties: who, stance, when, its reporting verb, its links (an echoed
        or revised claim, an attitude and its holder), the statements its words make
        (kg:supports) and its evidence."""
        props: Props = [("a", "kg:Claim")]
        props.append(("kg:claimant", claimant) if claimant else ("kg:unattributed", "true"))
        props += [("kg:stance", stance), ("kg:statedOn", stated)]
        if verb:
            props.append(("kg:reportingVerb", fr(verb)))
        props += links or []
        props.append(("kg:claimText", en(text_en)))
        if statements:
            props.append(("kg:supports", [Blank([("rdf:subject", s), ("rdf:predicate", p),
                                                 ("rdf:object", o)])
                                          for s, p, o in statements]))
        props.append(("kg:hasEvidence", evidence))
        self.stances[stance] += 1
        self.statements += len(statements)
        return props

    def quote(self, art: Article, topic: str, claimant: str | None, stance: str, stated: str,
              statements: list[Statement], text_en: str, span: tuple[int, int],
              verb: str | None = None, links: Props | None = None) -> str:
        iri = f"kgr:claim-a{art.number}-{len(art.quotes) + 1}"
        art.quotes.append(Quote(topic, iri, claimant, stance, stated, statements, text_en, span,
                                verb, links or []))
        return iri

    def cite(self, topic: str, source: str, stated: str, statements: list[Statement],
             text_en: str, citation: str) -> None:
        """A claim of a source whose text is not stored: the evidence is its citation."""
        evidence = Blank([("a", "kg:Evidence"), ("oa:hasSource", source),
                          ("kg:citation", lit(citation))])
        self.write(topic, f"kgr:claim-c{self.next_id()}",
                   self.claim_props(source, "kgv:asserts", stated, statements, text_en,
                                    evidence), "Claim")

    def wire(self, day: date, about: str) -> tuple[str, str]:
        """A wire story (not stored) published on `day`; its IRI and its date."""
        outlet = self.rng.choice(self.outlets)
        iri = f"kgr:src-{slugify(outlet.en)}-{day.isoformat()}-{self.next_id()}"
        published = self.day(day)
        self.write("sources", iri, [
            ("a", "kg:SourceDocument"),
            ("rdfs:label", [en(f"{outlet.en}, {day.day} {MONTHS_EN[day.month - 1]} {day.year}: "
                               f"{about}"),
                            fr(f"{outlet.fr}, {day.day} {MONTHS_FR[day.month - 1]} {day.year} : "
                               f"{about}")]),
            ("dcterms:title", en(about)), ("dcterms:publisher", outlet.iri),
            ("kg:published", published),
            ("kg:sourceUrl", f'"https://example.org/{slugify(outlet.en)}/{self.serial}"'
                             "^^xsd:anyURI")], "SourceDocument")
        return iri, published

    def position(self, art: Article, person: Person) -> str | None:
        """The first time an article quotes a person with a role: their PositionHeld (IRI)."""
        if person.position or not person.role:
            return None
        person.position = True
        iri = f"kgr:position-{person.iri[4:]}-{person.role}"
        self.node("positions", iri, "PositionHeld", f"{person.name}, "
                  f"{person.role.replace('-', ' ')} of {person.within_en}", person.said)
        return iri

    def said_by(self, art: Article, person: Person, stated: str, sentence: str, verb: str,
                topic: str, stance: str, statements: list[Statement], text_en: str,
                when: str = "", links: Props | None = None) -> str:
        """« sentence », VERB [WHEN] NAME. -- a quoted claim of `person`; named with their
        position the first time, which the article's own claim about the position quotes."""
        position = self.position(art, person)
        said = person.said if position else person.name
        full = f"«{NBSP}{sentence}{NBSP}», {verb}{' ' + when if when else ''} {said}."
        start, end = art.sentence(full)
        claim = self.quote(art, topic, person.iri, stance, stated, statements, text_en,
                           (start, end), verb, links)
        if position is not None:
            at = start + full.index(said)
            day = self.day(art.published)
            self.quote(art, "positions", art.iri, "kgv:asserts", day, [
                (position, "kg:holder", person.iri), (position, "kg:role", f"kgv:{person.role}"),
                (position, "kg:roleWithin", person.within), (position, "kg:ongoingAsOf", day),
                *self.office(position, person)],
                f"{person.name} is {person.role.replace('-', ' ')} of {person.within_en}.",
                (at, at + len(said)))
        return claim

    def office(self, position: str, person: Person) -> list[Statement]:
        """A head of state's position fills the office of head of state of their state (a
        kg:Office, written once per state): the statements that say so. No random draw, so that
        the rest of a seed's tree stays as it was."""
        if person.role != "head-of-state":
            return []
        office = f"kgr:office-head-of-state-{person.within[4:]}"
        if office not in self.offices:
            self.offices.add(office)
            self.node("positions", office, "Office", f"head of state of {person.within_en}",
                      f"{person.role_fr} {person.within_fr}")
        return [(position, "kg:office", office), (office, "kg:officeRole", "kgv:head-of-state"),
                (office, "kg:officeOf", person.within)]

    def spokesperson(self, state: State) -> Person:
        assert state.ministry is not None and state.leader is not None
        people = state.ministry.people
        return self.rng.choice(people) if people else state.leader

    def researcher(self) -> Person:
        return self.rng.choice(self.researchers)

    # --- stories: each writes relations and adds sentences and claims to the article --------

    def treaty(self, art: Article) -> None:
        """A treaty and its signing, as the article gives them (the date at its own precision)
        and, for half of them, as a treaty register gives them (the day, the place, the entry
        into force): the best-value rule picks the register's day. Obligations, a content
        status, a ratification reported by a wire story, a partnership it establishes."""
        a = self.pick_state()
        b = self.pick_state([a])
        assert a.leader is not None and b.leader is not None
        signed = self.between(FIRST_DAY, art.published - timedelta(days=30))
        entry = signed + timedelta(days=self.rng.randint(20, 400))
        in_force = entry < art.published - timedelta(days=1)
        ended = (self.between(entry, art.published - timedelta(days=1))
                 if in_force and self.rng.random() < 0.3 else None)
        kind_en, kind_fr = self.rng.choice(TREATY_KINDS)
        n = self.next_id()
        iri = f"kgr:treaty-{signed.year}-{a.slug}-{b.slug}-{n}"
        signing = f"kgr:signing-{signed.year}-{a.slug}-{b.slug}-{n}"
        self.node("treaties", iri, "Treaty", f"{signed.year} {a.en}–{b.en} Treaty of {kind_en}",
                  f"Traité {kind_fr} {a.fr}–{b.fr} de {signed.year}")
        self.node("treaties", signing, "Signing",
                  f"Signing of the {signed.year} {a.en}–{b.en} treaty",
                  f"Signature du traité {a.fr}–{b.fr} de {signed.year}")
        cited = self.rng.random() < 0.5
        precision = self.precision()
        told = signed
        if cited and self.chance("disjoint-dates", CONTRADICTION_RATE):
            # The register's day contradicts the article's month, year or decade: the dates do
            # not overlap, and the register's start comes after the article's end. (Two days
            # would be two best values side by side, and the signing would end before it
            # starts.)
            precision = "year" if precision == "day" else precision
            told = earlier(signed, precision)
            self.contradictions |= {("disjoint-dates", signing), ("ends-before-start", signing)}
        when = self.at(told, precision)
        stated = self.day(art.published)
        statements: list[Statement] = [
            (iri, "kg:party", a.iri), (iri, "kg:party", b.iri), (iri, "kg:signing", signing),
            (signing, "kg:agreement", iri), (signing, "kg:start", when),
            (signing, "kg:end", when)]
        tail = ""
        if ended is not None:
            tail = f", dénoncé {date_phrase(ended, 'year')}"
            statements.append((iri, "kg:end", self.at(ended, "year")))
        elif in_force:
            tail = ", qui lie depuis les deux pays"
            statements.append((iri, "kg:ongoingAsOf", stated))
        span = art.sentence(f"{capitalised(date_phrase(told, precision))}, {a.fr} et {b.fr} ont "
                            f"signé un traité {kind_fr}{tail}.")
        self.quote(art, "treaties", art.iri, "kgv:asserts", stated, statements,
                   f"{a.en} and {b.en} signed a treaty of {kind_en.lower()}.", span)

        obligations = []
        for i in range(self.rng.randint(0, 3)):
            obligation = f"kgr:{iri[4:]}-obligation-{i + 1}"
            type_name, type_fr = self.rng.choice(OBLIGATIONS)
            self.write("treaties", obligation, [("a", "kg:Obligation")], "Obligation")
            self.said_by(art, self.researcher(), stated,
                         f"L’article {i + 1} du traité prévoit une {type_fr} entre {a.fr} et "
                         f"{b.fr}", "analyse", "treaties", "kgv:assesses", [
                             (iri, "kg:obligation", obligation),
                             (obligation, "kg:obligationType", f"kgv:{type_name}"),
                             (obligation, "kg:treatyArticle", lit(f"Article {i + 1}"))],
                         f"Article {i + 1} of the treaty is a {type_name} obligation.")
            obligations.append(type_name)
        lacks = not obligations and self.rng.random() < 0.5
        if lacks and not cited:
            self.said_by(art, self.researcher(), stated,
                         "Ce traité ne prévoit aucune assistance militaire", "note", "treaties",
                         "kgv:asserts", [(iri, "kg:lacksObligationType", "kgv:defence")],
                         "The treaty has no military assistance commitment.")
        if "defence" in obligations and self.chance("has-and-lacks", CONTRADICTION_RATE):
            self.contradictions.add(("has-and-lacks", iri))
            wire, published = self.wire(self.between(signed, art.published),
                                        f"{a.en}–{b.en} treaty has no defence clause")
            self.cite("treaties", wire, published,
                      [(iri, "kg:lacksObligationType", "kgv:defence")],
                      "The treaty contains no military assistance commitment.",
                      "no military assistance commitment")

        status = f"kgr:{iri[4:]}-content-{art.published.isoformat()}"
        undisclosed = self.rng.random() < 0.6
        self.write("treaties", status, [("a", "kg:ContentStatus")], "ContentStatus")
        status_statements: list[Statement] = [
            (iri, "kg:contentStatus", status),
            (status, "kg:status", "kgv:undisclosed" if undisclosed else "kgv:text-published"),
            (status, "kg:asOf", stated)]
        if undisclosed:
            span = art.sentence(f"Les contours de l’accord entre {a.fr} et {b.fr} restent "
                                "toutefois encore secrets à ce stade.")
            self.quote(art, "treaties", art.iri, "kgv:asserts", stated, status_statements,
                       "The terms of the agreement are still secret.", span)
        else:
            span = art.sentence(f"Le texte du traité a été publié par {a.fr}.")
            self.quote(art, "treaties", art.iri, "kgv:asserts", stated, status_statements,
                       "The text of the treaty has been published.", span)

        if cited:
            register = self.rng.choice([r for r, kind in self.registers if kind == "treaty"])
            place = self.rng.choice(a.places + b.places)
            official = f"Treaty of {kind_en} between {a.en} and {b.en}"
            statements = [
                (iri, "kg:officialName", en(official)), (iri, "kg:party", a.iri),
                (iri, "kg:party", b.iri), (iri, "kg:signing", signing),
                (signing, "kg:agreement", iri), (signing, "kg:place", place.iri),
                (signing, "kg:signatory", a.leader.iri), (signing, "kg:signatory", b.leader.iri),
                (signing, "kg:start", self.day(signed)), (signing, "kg:end", self.day(signed))]
            citation = f"{official}, signed {signed.isoformat()} at {place.name}"
            if in_force:
                statements.append((iri, "kg:start", self.day(entry)))
                citation += f"; in force {entry.isoformat()}"
            if ended is not None:
                statements.append((iri, "kg:end", self.day(ended)))
                citation += f"; terminated {ended.isoformat()}"
            if lacks:
                statements.append((iri, "kg:lacksObligationType", "kgv:defence"))
                citation += "; no defence commitment"
            self.cite("treaties", register, self.day(REGISTER_DAY), statements,
                      f"The treaty was signed on {signed.isoformat()}.", citation)
        ratified = signed + timedelta(days=self.rng.randint(10, 300))
        if ratified < art.published and self.rng.random() < 0.3:
            ratification = f"kgr:ratification-{iri[4:]}-{a.slug}"
            self.node("treaties", ratification, "Ratification",
                      f"{a.en}'s ratification of the {signed.year} treaty with {b.en}",
                      f"Ratification par {a.fr} du traité de {signed.year} avec {b.fr}")
            wire, published = self.wire(ratified, f"{a.en} ratifies its treaty with {b.en}")
            self.cite("treaties", wire, published, [
                (ratification, "kg:ratifyingState", a.iri), (ratification, "kg:agreement", iri),
                (ratification, "kg:participant", a.leader.iri),
                (ratification, "kg:start", self.day(ratified)),
                (ratification, "kg:end", self.day(ratified))],
                f"{a.en} ratified the treaty on {ratified.isoformat()}.",
                f"law of ratification signed on {ratified.isoformat()}")
        if ended is None and self.rng.random() < 0.4:
            partnership = f"kgr:partnership-{a.slug}-{b.slug}-{n}"
            self.node("treaties", partnership, "StrategicPartnership",
                      f"{a.en}–{b.en} strategic partnership ({signed.year})",
                      f"Partenariat stratégique {a.fr}–{b.fr} ({signed.year})")
            span = art.sentence(f"De quoi sceller encore un peu plus ce partenariat "
                                f"«{NBSP}stratégique{NBSP}» entre {a.fr} et {b.fr}.")
            self.quote(art, "treaties", art.iri, "kgv:assesses", stated, [
                (partnership, "kg:partner", a.iri), (partnership, "kg:partner", b.iri),
                (partnership, "kg:establishedBy", iri),
                (partnership, "kg:ongoingAsOf", stated)],
                "The treaty seals a strategic partnership.", span)
        if ended is None:
            self.treaties.append(TreatyMemo(iri, signing, a, b, signed, entry, kind_fr,
                                            art.number))
        art.paragraph()

    def transfer(self, art: Article) -> None:
        """A flow stated by claims of every stance: established (asserted, confirmed, and for
        some given by a register with the day it began, where the article gives the year or
        the month), alleged, suspected, hedged, predicted or denied (never where a claim of
        the same article holds it)."""
        supplier = self.pick_state()
        recipient_state = self.pick_state([supplier])
        assert recipient_state.forces is not None
        forces = self.rng.random() < 0.2
        recipient = recipient_state.forces.iri if forces else recipient_state.iri
        to_fr = f"aux {recipient_state.forces.fr}" if forces else f"à {recipient_state.fr}"
        technology = self.rng.random() < 0.3
        items = self.rng.sample(TECHNOLOGY if technology else ARMS, self.rng.randint(1, 2))
        items_fr = " et des ".join(fr_name for _, fr_name in items)
        n = self.next_id()
        iri = f"kgr:transfer-{supplier.slug}-{recipient_state.slug}-{items[0][0]}-{n}"
        self.node("arms-flows", iri, "TechnologyTransfer" if technology else "ArmsTransfer",
                  f"{items[0][0].replace('-', ' ').capitalize()} from {supplier.en} for "
                  f"{recipient_state.en}",
                  f"{items[0][1].capitalize()} de {supplier.fr} pour {recipient_state.fr}")
        core: list[Statement] = [(iri, "kg:supplier", supplier.iri),
                                 (iri, "kg:recipient", recipient)]
        flow = core + [(iri, "kg:itemCategory", f"kgv:{name}") for name, _ in items]
        # What the first claim about the flow says besides: a designation, an intermediary,
        # an end use.
        details: list[Statement] = []
        what = f"des {items_fr}"
        if not technology and self.rng.random() < 0.3:
            model = f"{self.root_name(2)}-{self.rng.randint(1, 99)}"
            what = f"des {items_fr} {model}"
            details.append((iri, "kg:itemDesignation", lit(model)))
        via = ""
        if self.rng.random() < 0.15:
            intermediary = self.pick_state([supplier, recipient_state])
            via = f" via {intermediary.fr}"
            details.append((iri, "kg:intermediary", intermediary.iri))
        use = ""
        if not technology and self.rng.random() < 0.4:
            target = self.pick_state([supplier, recipient_state])
            use = f" pour frapper {target.fr}"
            details += [(iri, "kg:endUse", fr(f"frapper {target.fr}")),
                        (iri, "kg:endUse", en(f"strikes on {target.en}")),
                        (iri, "kg:usedAgainst", target.iri)]
        text_en = f"{supplier.en} supplies {items[0][0].replace('-', ' ')} to {recipient_state.en}."
        today = self.day(art.published)
        pattern = self.rng.random()
        holds = pattern < 0.6
        if holds:  # asserted, and sometimes confirmed; an allegation may come on top
            began = self.between(max(FIRST_DAY, art.published - timedelta(days=3650)),
                                 art.published - timedelta(days=10))
            precision = self.rng.choice(("month", "year"))
            stated = self.relative(art, self.rng.randint(1, 6))
            self.said_by(art, self.spokesperson(recipient_state if pattern < 0.3 else supplier),
                         stated, f"Nous savons que {supplier.fr} livre {what} {to_fr}{via}{use} "
                         f"{date_phrase(began, precision, since=True)}", "a assuré",
                         "arms-flows", "kgv:asserts", flow + details + [
                             (iri, "kg:start", self.at(began, precision)),
                             (iri, "kg:ongoingAsOf", stated)], text_en)
            if pattern < 0.2:
                self.said_by(art, self.researcher(), today,
                             f"{recipient_state.fr} compte sur les stocks de {supplier.fr}",
                             "confirme", "arms-flows", "kgv:confirms", core, text_en)
            if self.rng.random() < 0.3:
                register = self.rng.choice([r for r, kind in self.registers
                                            if kind == "transfer"])
                self.cite("arms-flows", register, self.day(REGISTER_DAY),
                          flow + [(iri, "kg:start", self.day(began))], text_en,
                          f"{supplier.en} to {recipient_state.en}: {items[0][0]}, deliveries "
                          f"since {began.isoformat()}")
            if pattern >= 0.2:
                # Only a flow that one claim of its article holds is taken up later, perhaps to
                # be denied: rules/60-contradictions.rq names a contradiction by its values, so
                # a denial of what two claims of one article hold makes one record of the
                # three, which the build reads as a contradiction inside that article.
                self.flows.append(TransferMemo(iri, supplier, recipient, to_fr, items, began,
                                               art.number))
        if 0.5 < pattern < 0.85:  # alleged (and, between 0.5 and 0.6, also holding)
            collective = self.rng.choice(self.collectives)
            span = art.sentence(f"Depuis des mois, {collective.fr} n’ont cessé d’accuser "
                                f"{supplier.fr} de livrer {what} {to_fr}{via}{use}.")
            self.quote(art, "arms-flows", collective.iri, "kgv:alleges",
                       self.by(art.published), flow + ([] if holds else details),
                       f"Accusation: {text_en}", span, "n’ont cessé d’accuser")
        if pattern >= 0.85:  # suspected only
            collective = self.rng.choice(self.collectives)
            span = art.sentence(f"Certains observateurs, dont {collective.fr}, soupçonnent "
                                f"{supplier.fr} d’envoyer discrètement {what} {to_fr}{via}{use}.")
            self.quote(art, "arms-flows", collective.iri, "kgv:suspects", today, flow + details,
                       f"Suspicion: {text_en}", span, "soupçonnent")
        if self.chance("hedge", 0.15):
            span = art.sentence(f"Ces livraisons peuvent s’avérer décisives pour "
                                f"{recipient_state.fr}.")
            self.quote(art, "arms-flows", art.iri, "kgv:hedges", today, core,
                       "These deliveries may prove decisive.", span)
        if not holds and self.chance("denial", 0.35):
            self.said_by(art, self.spokesperson(supplier), self.relative(art, 1),
                         f"{supplier.fr} ne livre aucune arme {to_fr}", "a démenti",
                         "arms-flows", "kgv:denies", core,
                         f"Denial: {supplier.en} supplies nothing to {recipient_state.en}.")
        if self.chance("prediction", 0.2):
            self.said_by(art, self.researcher(), today,
                         f"{supplier.fr} continuera de livrer {what} {to_fr}", "prédit",
                         "arms-flows", "kgv:predicts", flow, f"Prediction: {text_en}")
        art.paragraph()

    def alignment(self, art: Article) -> None:
        """An axis: the article states its founders (with the year) and the members that joined
        since, a researcher extends it, observers suspect one more member."""
        members = [self.pick_state()]
        while len(members) < self.rng.randint(2, 5):
            members.append(self.pick_state(members))
        n = self.next_id()
        names_en = "–".join(m.en for m in members[:3])
        names_fr = "-".join(m.fr for m in members[:3])
        iri = f"kgr:axis-{'-'.join(m.slug for m in members[:3])}-{n}"
        self.node("alignment", iri, "Alignment", f"{names_en} axis", f"Axe {names_fr}")
        memberships = []
        for member in members:
            membership = f"kgr:membership-{iri[4:]}-{member.slug}"
            self.node("alignment", membership, "Membership", f"{member.en} in the {names_en} axis",
                      f"{member.fr} dans l’axe {names_fr}")
            memberships.append((membership, member))
        suspected = memberships[-1] if len(memberships) > 2 and self.rng.random() < 0.2 else None
        holding = [m for m in memberships if m != suspected]
        since = self.between(max(FIRST_DAY, art.published - timedelta(days=7000)),
                             art.published - timedelta(days=1))
        founded = self.at(since, "year")
        today = self.day(art.published)
        statements: list[Statement] = [(iri, "kg:ongoingAsOf", today)]
        for membership, member in holding:
            statements += [(membership, "kg:alignment", iri), (membership, "kg:member", member.iri)]
        for membership, _ in holding[:2]:
            statements.append((membership, "kg:start", founded))
        anti = self.rng.random() < 0.5
        if anti:
            statements.append((iri, "kg:characterisation", "kgv:anti-western"))
        later = [m.fr for _, m in holding[2:]]
        joined = (f", que {' et '.join(later)} {'ont' if len(later) > 1 else 'a'} rejoint depuis"
                  if later else "")
        span = art.sentence(f"{capitalised(date_phrase(since, 'year', since=True))}, "
                            f"{holding[0][1].fr} et {holding[1][1].fr} forment un axe"
                            f"{f' «{NBSP}anti-occidental{NBSP}»' if anti else ''}{joined}.")
        self.quote(art, "alignment", art.iri, "kgv:asserts", today, statements,
                   f"{holding[0][1].en} and {holding[1][1].en} form an axis.", span)
        extended, member = holding[-1]
        self.said_by(art, self.researcher(), today,
                     f"Au-delà des avantages concrets, {members[0].fr} étend l’axe "
                     f"{names_fr} à {member.fr}", "analyse", "alignment", "kgv:assesses",
                     [(extended, "kg:alignment", iri), (extended, "kg:member", member.iri)],
                     f"{members[0].en} extends the {names_en} axis to {member.en}.")
        if suspected is not None:
            membership, member = suspected
            collective = self.rng.choice(self.collectives)
            span = art.sentence(f"{capitalised(collective.fr)} soupçonnent {member.fr} de "
                                "rejoindre l’axe.")
            self.quote(art, "alignment", collective.iri, "kgv:suspects", today,
                       [(membership, "kg:alignment", iri), (membership, "kg:member", member.iri)],
                       f"{member.en} may be joining the axis.", span, "soupçonnent")
        art.paragraph()

    def alliance(self, art: Article) -> None:
        a = self.pick_state()
        b = self.pick_state([a])
        assert a.leader is not None and b.leader is not None
        iri = f"kgr:alliance-{a.slug}-{b.slug}-{self.next_id()}"
        self.node("alignment", iri, "Alliance", f"{a.en}–{b.en} alliance",
                  f"Alliance {a.fr}–{b.fr}")
        partners: list[Statement] = [(iri, "kg:partner", a.iri), (iri, "kg:partner", b.iri)]
        today = self.day(art.published)
        quoted = f"«{NBSP}une étroite et véritable alliance entre {a.fr} et {b.fr}{NBSP}»"
        span = art.sentence(f"Une visite qui confirme {quoted}.", quoted)
        self.quote(art, "alignment", None, "kgv:asserts", today,
                   partners + [(iri, "kg:ongoingAsOf", today)],
                   f"There is a close alliance between {a.en} and {b.en}.", span)
        echoed = self.said_by(art, b.leader, self.last_week(art),
                              "Les deux pays sont liés par des liens indéfectibles de frères "
                              "d’armes", "a estimé", "alignment", "kgv:assesses", partners,
                              "The two countries are brothers in arms.", "la semaine dernière")
        stated = self.relative(art, 1)
        span = art.sentence(f"Un mot repris par {a.leader.name} "
                            f"{WEEKDAYS_FR[(art.published - timedelta(days=1)).weekday()]}, "
                            f"lorsqu’il a assuré {b.fr} du «{NBSP}soutien indéfectible{NBSP}» "
                            f"de {a.fr}.")
        self.quote(art, "alignment", a.leader.iri, "kgv:asserts", stated, partners,
                   f"{a.en} gives {b.en} its unwavering support.", span, "a assuré",
                   links=[("kg:echoes", echoed)])
        art.paragraph()

    def history(self, art: Article) -> None:
        a = self.pick_state()
        b = self.pick_state([a])
        assert a.leader is not None
        roll = self.rng.random()
        n = self.next_id()
        today = self.day(art.published)
        partners: list[Statement] = []
        if roll < 0.6:
            trend, trend_fr = self.rng.choice(TRENDS)
            began = self.between(FIRST_DAY, art.published - timedelta(days=1))
            iri = f"kgr:phase-{trend}-{a.slug}-{b.slug}-{n}"
            self.node("history", iri, "RelationPhase",
                      f"{a.en}–{b.en} relations: {trend} since {began.year}",
                      f"Relations {a.fr}–{b.fr} : {trend_fr} depuis {began.year}")
            partners = [(iri, "kg:partner", a.iri), (iri, "kg:partner", b.iri),
                        (iri, "kg:trend", f"kgv:{trend}")]
            if self.rng.random() < 0.7:
                precision = self.precision()
                span = art.sentence(f"{capitalised(date_phrase(began, precision, since=True))}, "
                                    f"les relations entre {a.fr} et {b.fr} connaissent "
                                    f"{trend_fr}, sous l’impulsion de {a.leader.name}.")
                statements = partners + [
                    (iri, "kg:underLeadershipOf", a.leader.iri),
                    (iri, "kg:start", self.at(began, precision)), (iri, "kg:ongoingAsOf", today)]
            else:
                ended = self.between(began, art.published - timedelta(days=1))
                span = art.sentence(f"De{NBSP}{began.year} à {ended.year}, les relations entre "
                                    f"{a.fr} et {b.fr} ont connu {trend_fr}.")
                statements = partners + [(iri, "kg:start", self.at(began, "year")),
                                         (iri, "kg:end", self.at(ended, "year"))]
            self.quote(art, "history", art.iri, "kgv:asserts", today, statements,
                       f"Since {began.year}, {a.en}–{b.en} relations show {trend}.", span)
        elif roll < 0.85:
            began = self.between(FIRST_DAY, art.published - timedelta(days=1))
            iri = f"kgr:trade-{a.slug}-{b.slug}-raw-materials-{n}"
            self.node("history", iri, "TradeExchange",
                      f"{a.en}–{b.en} trade in raw materials",
                      f"Échanges de matières premières {a.fr}–{b.fr}")
            span = art.sentence(f"Les échanges de matières premières entre {a.fr} et {b.fr} ont "
                                f"doublé {date_phrase(began, 'year', since=True)}.")
            self.quote(art, "history", art.iri, "kgv:asserts", today, [
                (iri, "kg:partner", a.iri), (iri, "kg:partner", b.iri),
                (iri, "kg:itemCategory", "kgv:raw-materials"),
                (iri, "kg:start", self.at(began, "year")), (iri, "kg:ongoingAsOf", today)],
                f"{a.en}–{b.en} trade in raw materials has doubled.", span)
        else:
            began = self.between(FIRST_DAY, art.published - timedelta(days=400))
            war = f"kgr:invasion-{a.slug}-{b.slug}-{began.year}-{n}"
            self.node("history", war, "Invasion", f"{a.en}'s invasion of {b.en} ({began.year})",
                      f"Invasion de {b.fr} par {a.fr} ({began.year})")
            statements = [(war, "kg:invader", a.iri), (war, "kg:invaded", b.iri),
                          (war, "kg:start", self.at(began, "year"))]
            ongoing = self.rng.random() < 0.5
            if ongoing:
                statements.append((war, "kg:ongoingAsOf", today))
            span = art.sentence(f"{capitalised(date_phrase(began, 'year'))}, {a.fr} a envahi "
                                f"{b.fr}, une guerre qui "
                                f"{'dure toujours' if ongoing else 'a marqué la région'}.")
            self.quote(art, "history", art.iri, "kgv:asserts", today, statements,
                       f"{a.en} invaded {b.en} in {began.year}.", span)
            if not ongoing:
                ended = self.between(began + timedelta(days=30), art.published)
                # An armistice is an agreement: where and when it was signed is its signing's.
                armistice = f"kgr:armistice-{a.slug}-{b.slug}-{ended.year}-{n}"
                signing = f"kgr:signing-armistice-{a.slug}-{b.slug}-{ended.year}-{n}"
                self.node("history", armistice, "Armistice",
                          f"{a.en}–{b.en} armistice ({ended.year})",
                          f"Armistice {a.fr}–{b.fr} ({ended.year})")
                self.node("history", signing, "Signing",
                          f"Signing of the {a.en}–{b.en} armistice ({ended.year})",
                          f"Signature de l'armistice {a.fr}–{b.fr} ({ended.year})")
                place = self.rng.choice(b.places)
                year = self.at(ended, "year")
                span = art.sentence(f"Un armistice signé à {place.name} "
                                    f"{date_phrase(ended, 'year')} y a mis fin.")
                self.quote(art, "history", art.iri, "kgv:asserts", today, [
                    (armistice, "kg:ends", war), (armistice, "kg:signing", signing),
                    (signing, "kg:agreement", armistice), (signing, "kg:place", place.iri),
                    (signing, "kg:start", year), (signing, "kg:end", year),
                    (war, "kg:end", year)],
                    f"An armistice signed in {ended.year} ended the war.", span)
        art.paragraph()

    def visit(self, art: Article) -> None:
        """A state visit the article dates with weekdays; a wire story gives the same days."""
        a = self.pick_state()
        b = self.pick_state([a])
        if (a.slug, b.slug) in NO_VISITS:
            a, b = b, a
        assert a.leader is not None and b.leader is not None and a.ministry is not None
        n = self.next_id()
        first, second = self.relative(art, 2), self.relative(art, 1)
        iri = f"kgr:visit-{a.slug}-{b.slug}-{art.published.isoformat()}-{n}"
        self.node("visits", iri, "StateVisit", f"{a.leader.name}'s state visit to {b.en}",
                  f"Visite d'État de {a.leader.name} en {b.fr}")
        place = b.places[0]
        visit: list[Statement] = [(iri, "kg:visitor", a.leader.iri), (iri, "kg:host", b.iri),
                                  (iri, "kg:place", place.iri)]
        span = art.sentence(f"Le président {a.leader.name} est en visite d’État en {b.fr} "
                            f"{WEEKDAYS_FR[(art.published - timedelta(days=2)).weekday()]} et "
                            f"{WEEKDAYS_FR[(art.published - timedelta(days=1)).weekday()]}, "
                            f"reçu par {b.leader.name} à {place.name}.")
        self.quote(art, "visits", art.iri, "kgv:asserts", self.day(art.published),
                   visit + [(iri, "kg:host", b.leader.iri), (iri, "kg:start", first),
                            (iri, "kg:end", second)],
                   f"{a.leader.name} is on a state visit to {b.en}.", span)
        if self.rng.random() < 0.4:
            arrived = art.published - timedelta(days=2)
            wire, published = self.wire(arrived, f"{a.leader.name} arrives in {b.en}")
            self.cite("visits", wire, published, visit + [(iri, "kg:start", published)],
                      f"{a.leader.name} arrived in {place.name} on {arrived.isoformat()}.",
                      f"{a.leader.name} arrived in {place.name} for a state visit")
        if self.rng.random() < 0.5:
            publication = f"kgr:publication-{a.ministry.iri[4:]}-{art.published.isoformat()}-{n}"
            self.node("visits", publication, "Publication",
                      f"Document published by the {a.ministry.en}",
                      f"Document publié par le {a.ministry.fr}")
            day = self.relative(art, 3)
            quoted = (f"d’après un document publié "
                      f"{WEEKDAYS_FR[(art.published - timedelta(days=3)).weekday()]} par le "
                      f"{a.ministry.fr}")
            span = art.sentence(f"La rencontre pourrait accoucher d’un nouvel accord, {quoted}.",
                                quoted)
            self.quote(art, "visits", art.iri, "kgv:asserts", self.day(art.published), [
                (publication, "kg:publisher", a.ministry.iri), (publication, "kg:start", day),
                (publication, "kg:end", day)],
                f"The {a.ministry.en} published a document.", span)
        art.paragraph()

    def recall(self, art: Article) -> None:
        """A later article takes up a treaty or a flow an earlier one reported: it states the
        treaty again (with the year of its signing), or the flow again, or denies the flow
        (which contradicts the earlier article). Without anything to recall, a history."""
        treaties = [t for t in self.treaties if t.article != art.number
                    and t.iri not in art.recalled and t.entry < art.published]
        flows = [f for f in self.flows if f.article != art.number
                 and f.iri not in art.recalled and f.began < art.published]
        if flows and (not treaties or not self.denial_planted() or self.rng.random() < 0.5):
            flow = self.rng.choice(flows)
            art.recalled.add(flow.iri)
            supplier = flow.supplier
            core: list[Statement] = [(flow.iri, "kg:supplier", supplier.iri),
                                     (flow.iri, "kg:recipient", flow.recipient)]
            items_fr = " et des ".join(name for _, name in flow.items)
            if self.chance("denied", DENIAL_RATE):
                self.contradictions.add(("denied", flow.iri))
                spokesperson = self.spokesperson(supplier)
                denial = self.said_by(art, spokesperson, self.relative(art, 1),
                                      f"{supplier.fr} n’a jamais livré de {items_fr} "
                                      f"{flow.recipient_fr}", "a démenti", "arms-flows",
                                      "kgv:denies", core,
                                      f"Denial: {supplier.en} never supplied these items.")
                self.denials += 1
                if self.denials % 2 == 1:  # the same party takes its denial back (no random
                    # draw, so that the rest of a seed's tree stays as it was)
                    self.said_by(art, spokesperson, self.day(art.published),
                                 f"{supplier.fr} a bien livré des {items_fr} "
                                 f"{flow.recipient_fr}", "a reconnu", "arms-flows", "kgv:admits",
                                 core, f"Admission: {supplier.en} supplied these items.",
                                 links=[("kg:revises", denial)])
            else:
                today = self.day(art.published)
                span = art.sentence(f"{capitalised(supplier.fr)} continue de livrer des "
                                    f"{items_fr} {flow.recipient_fr}.")
                self.quote(art, "arms-flows", art.iri, "kgv:asserts", today,
                           core + [(flow.iri, "kg:ongoingAsOf", today)],
                           f"{supplier.en} still supplies these items.", span)
                self.recalled_flows += 1
                if self.recalled_flows % 2 == 1:  # an attitude the article attributes (no draw)
                    collective = self.collectives[self.recalled_flows % len(self.collectives)]
                    span = art.sentence(f"Ces livraisons sont redoutées par {collective.fr}.")
                    self.quote(art, "arms-flows", art.iri, "kgv:asserts", today, [],
                               "These deliveries are feared.", span,
                               links=[("kg:attitude", "kgv:fears"),
                                      ("kg:attitudeHolder", collective.iri),
                                      ("kg:attitudeObject", flow.iri)])
        elif treaties:
            treaty = self.rng.choice(treaties)
            art.recalled.add(treaty.iri)
            year = self.at(treaty.signed, "year")
            today = self.day(art.published)
            span = art.sentence(f"{capitalised(treaty.a.fr)} et {treaty.b.fr} restent liés par "
                                f"le traité {treaty.kind_fr} signé "
                                f"{date_phrase(treaty.signed, 'year')}.")
            self.quote(art, "treaties", art.iri, "kgv:asserts", today, [
                (treaty.iri, "kg:party", treaty.a.iri), (treaty.iri, "kg:party", treaty.b.iri),
                (treaty.iri, "kg:signing", treaty.signing),
                (treaty.signing, "kg:agreement", treaty.iri), (treaty.signing, "kg:start", year),
                (treaty.signing, "kg:end", year), (treaty.iri, "kg:ongoingAsOf", today)],
                f"The {treaty.signed.year} treaty still binds the two countries.", span)
        else:
            self.history(art)
            return
        art.paragraph()

    def denial_planted(self) -> bool:
        """Whether a denial was planted. It is the rarest contradiction (only a recalled flow
        can be denied), so until one is, every article that can recall a flow does: a small
        tree, whose ontology takes a larger share of its triples, still has one."""
        return "denied" in self.asked

    STORIES: tuple[tuple[str, float], ...] = (
        ("treaty", 0.26), ("transfer", 0.28), ("alignment", 0.1), ("alliance", 0.07),
        ("history", 0.14), ("visit", 0.1), ("recall", 0.05))

    # --- articles ---------------------------------------------------------------------------

    def article(self) -> None:
        number = self.next_id()
        outlet = self.rng.choice(self.outlets)
        author = self.rng.choice(outlet.people or self.journalists)
        published = self.between(date(2000, 1, 1), LAST_DAY)
        slug = f"article-{slugify(outlet.en)}-{published:%Y-%m}-{number}"
        art = Article(number, f"kgr:{slug}", slug, published, outlet, author)
        a = self.pick_state()
        b = self.pick_state([a])
        title = f"{a.fr} – {b.fr}, d’où vient cette bromance «{NBSP}anti-occident{NBSP}»{NBSP}?"
        art.add("PotOcrates")
        art.add(f"{title}\n\n{author.name}\n\nL'essentiel\n\n")
        names, weights = zip(*self.STORIES, strict=True)
        stories = self.rng.choices(names, weights, k=self.rng.randint(3, 5))
        if not self.denial_planted() and any(f.began < published for f in self.flows):
            stories.append("recall")
        for story in stories:
            getattr(self, story)(art)
            art.sentence(f"Mais pourquoi {a.fr} et {b.fr} se rapprochent-ils{NBSP}?")
            art.paragraph()
        art.add(f"{outlet.fr} fait le point pour vous.\n")
        self.finish(art, title)

    def finish(self, art: Article, title: str) -> None:
        text = art.text
        path = self.data / "sources" / f"{art.slug}.txt"
        path.write_bytes(text.encode("utf-8"))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        props: Props = [
            ("a", "kg:SourceDocument"),
            ("rdfs:label", [en(f"{art.outlet.en} article ({MONTHS_EN[art.published.month - 1]} "
                               f"{art.published.year}, no. {art.number})"),
                            fr(f"Article de {art.outlet.fr} ({MONTHS_FR[art.published.month - 1]} "
                               f"{art.published.year}, n° {art.number})")]),
            ("dcterms:title", fr(title)), ("dcterms:creator", art.author.iri),
            ("dcterms:publisher", art.outlet.iri), ("dcterms:language", '"fr"^^xsd:language'),
            ("kg:published", self.day(art.published)),
            ("kg:textFile", lit(f"data/sources/{art.slug}.txt")), ("kg:sha256", lit(digest)),
            ("kg:noiseSpan", Blank([("a", "oa:TextPositionSelector"), ("oa:start", offset(0)),
                                    ("oa:end", offset(10))]))]
        self.write("sources", art.iri, props, "SourceDocument")
        for iri, date_props in art.relative.values():
            self.write("sources", iri, date_props, "Date")
        for q in art.quotes:
            start, end = q.span
            selectors = [
                Blank([("a", "oa:TextQuoteSelector"), ("oa:exact", lit(text[start:end])),
                       ("oa:prefix", lit(text[max(0, start - 32):start])),
                       ("oa:suffix", lit(text[end:end + 32]))]),
                Blank([("a", "oa:TextPositionSelector"), ("oa:start", offset(start)),
                       ("oa:end", offset(end))])]
            evidence = Blank([("a", "kg:Evidence"), ("oa:hasSource", art.iri),
                              ("oa:hasSelector", selectors)])
            self.write(q.topic, q.iri, self.claim_props(q.claimant, q.stance, q.stated,
                                                        q.statements, q.text_en, evidence,
                                                        q.verb, q.links), "Claim")

    def run(self) -> None:
        (self.data / "sources").mkdir(parents=True, exist_ok=True)
        self.actors()
        while self.triples + 5 * len(self.dates) < self.target:
            self.article()
        sink = Sink(self.data, "dates", "the shared dates (kg:Date)", 1 << 62, self.count)
        for iri in sorted(self.dates):
            sink.write(iri, self.dates[iri])
        sink.close()
        self.counts["Date"] += len(self.dates)
        for s in self.sinks.values():
            s.close()


def prepare(out: Path) -> None:
    """Empty `out` of a previous tree (refusing a folder that holds anything else) and copy the
    repository's ontology/, rules/, queries/ and data/ into it."""
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise SystemExit(f"{out} is not empty and holds no {MANIFEST}: refusing to overwrite it")
    for name in (*COPIED, "data", "build"):
        shutil.rmtree(out / name, ignore_errors=True)
    (out / MANIFEST).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    for name in (*COPIED, "data"):
        shutil.copytree(REPO / name, out / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def generate(out: Path, triples: int, seed: int) -> dict[str, object]:
    """Write a synthetic project tree of about `triples` triples into `out`; the manifest."""
    prepare(out)
    gen = Generator(out, triples, seed)
    gen.run()
    files = sorted(p.relative_to(out).as_posix() for p in (out / "data").rglob("*") if p.is_file())
    planted = Counter(kind for kind, _ in gen.contradictions)
    manifest: dict[str, object] = {
        "generator": GENERATOR_VERSION, "seed": seed, "target": triples,
        "triples": gen.triples, "entities": dict(sorted(gen.counts.items())),
        "claims": gen.counts["Claim"], "statements": gen.statements,
        "claims_by_stance": dict(sorted(gen.stances.items())),
        "contradictions": dict(sorted(planted.items())),
        "data_files": sum(f.endswith(".ttl") for f in files),
        "text_files": sum(f.endswith(".txt") for f in files),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=parse_size, required=True,
                        help="target number of triples (ontology and data), e.g. 10k, 1M")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the tree into")
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.triples, args.seed)
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
