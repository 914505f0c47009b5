"""Synthetic project trees for the benchmark: `python -m bench.generate --triples 1M --out DIR`.

DIR gets a copy of the repository's ontology/, rules/ and queries/ (so `kg build --root DIR`
runs the real pipeline with the real shapes, rules and checks), the repository's own data/ (so
the query catalogue's documented examples, which name kgr:russia or the 20 Minutes article, have
something to find), and synthetic data written beside it:

- data/syn-actors-NNN.ttl: states with unique three-letter codes, places, government bodies,
  armed forces, news outlets, research institutes, international organisations, collective
  actors and persons;
- data/syn-sources-NNN.ttl: source documents (articles with a stored text, wire stories and
  registers that are only cited) and the articles' relative dates (« mardi »);
- data/syn-{treaties,arms-flows,alignment,history,positions,visits}-NNN.ttl: relations (treaties
  with signings, obligations, content statuses and ratifications, partnerships, transfers,
  alignments with memberships, phases, alliances, trade, wars, positions, visits, publications)
  and the claims about them, with holding, alleged, suspected, predicted and denied stances;
- data/syn-dates.ttl: the shared kg:Date nodes (day, week, month, year, decade), each with the
  bounds of its precision;
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
import random
import re
import shutil
import sys
import unicodedata
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
COPIED = ("ontology", "rules", "queries")
MANIFEST = "synthetic.json"
GENERATOR_VERSION = 1

HEADER = """@prefix kg:      <https://w3id.org/geokg/ontology#> .
@prefix kgv:     <https://w3id.org/geokg/vocab/> .
@prefix kgr:     <https://w3id.org/geokg/id/> .
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
# The repository's states (data/actors.ttl), hubs of the synthetic graph, with the leaders the
# repository already names.
REAL_STATES = (("russia", "Russia", "Russie", "vladimir-putin"),
               ("north-korea", "North Korea", "Corée du Nord", "kim-jong-un"),
               ("china", "People's Republic of China", "Chine", None),
               ("iran", "Iran", "Iran", None),
               ("ukraine", "Ukraine", "Ukraine", None))
REAL_NAMES = {"vladimir-putin": "Vladimir Poutine", "kim-jong-un": "Kim Jong-un"}

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


Value = str | Blank | list[str | Blank]
Props = list[tuple[str, Value]]


def _objects(value: Value) -> list[str | Blank]:
    return value if isinstance(value, list) and not isinstance(value, Blank) else [value]


def _render_props(props: Props) -> tuple[list[str], int]:
    """One `predicate object , object` text per property, and the number of triples."""
    parts, count = [], 0
    for pred, value in props:
        texts = []
        for obj in _objects(value):
            if isinstance(obj, Blank):
                text, n = _render_blank(obj)
                texts.append(text)
                count += n + 1
            else:
                texts.append(obj)
                count += 1
        parts.append(f"{pred} {' , '.join(texts)}")
    return parts, count


def _render_blank(props: Props) -> tuple[str, int]:
    parts, count = _render_props(props)
    return "[ " + " ; ".join(parts) + " ]", count


def render(subject: str, props: Props) -> tuple[str, int]:
    """A Turtle subject block (ends with a blank line) and its number of triples."""
    lines, count = _render_props(props)
    return subject + " " + " ;\n    ".join(lines) + " .\n\n", count


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


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
class State:
    iri: str
    slug: str
    en: str
    fr: str
    places: list[str] = field(default_factory=list)
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
    about: list[str]
    text_en: str
    span: tuple[int, int]
    echoes: str | None = None


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


def parse_size(text: str) -> int:
    """`10k`, `1M`, `5M` or a plain number of triples."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmM]?)\s*", text)
    if match is None:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 10k, 1M, 250000)")
    number, unit = match.groups()
    return int(float(number) * {"": 1, "k": 1_000, "m": 1_000_000}[unit.lower()])


def repository_base(root: Path) -> tuple[int, set[str], set[str], set[str]]:
    """Triples in ontology/ (without the shapes) and data/, with the labels, ISO codes and kgr:
    subjects the repository's data already uses (the synthetic data must not reuse them)."""
    files = sorted(p for p in (root / "ontology").glob("*.ttl") if p.name != "shapes.ttl")
    data = sorted(p for p in (root / "data").rglob("*.ttl")
                  if p.relative_to(root / "data").parts[0] != "sources")
    store = ox.Store()
    for path in files + data:
        store.load(path=path, format=ox.RdfFormat.TURTLE)
    labels, codes, subjects = set(), set(), set()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    iso = ox.NamedNode("https://w3id.org/geokg/ontology#iso3166Alpha3")
    for quad in store.quads_for_pattern(None, label, None):
        labels.add(quad.object.value.lower())
    for quad in store.quads_for_pattern(None, iso, None):
        codes.add(quad.object.value)
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
        self.counts: dict[str, int] = {}
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

    # --- bookkeeping ------------------------------------------------------------------------

    def count(self, n: int) -> None:
        self.triples += n

    def sink(self, topic: str) -> Sink:
        if topic not in self.sinks:
            comments = {
                "actors": "states, places, organisations, collective actors and persons",
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
        self.counts[kind] = self.counts.get(kind, 0) + 1

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

    def dated(self, day: date) -> str | Blank:
        """A date node for `day` at a random precision (bounds that contain `day`)."""
        roll = self.rng.random()
        if roll < 0.55:
            return self.day(day)
        if roll < 0.72:
            first = day.replace(day=1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            return self._date(f"kgr:date-{day:%Y-%m}", [
                ("a", "kg:Date"), ("kg:precision", "kgv:month"),
                ("kg:earliest", xsd_date(first)), ("kg:latest", xsd_date(last)),
                ("time:inXSDgYearMonth", f'"{day:%Y-%m}"^^xsd:gYearMonth')])
        if roll < 0.87:
            first = date(day.year, 1, 1)
            return self._date(f"kgr:date-{day.year}", [
                ("a", "kg:Date"), ("kg:precision", "kgv:year"),
                ("kg:earliest", xsd_date(first)), ("kg:latest", xsd_date(date(day.year, 12, 31))),
                ("time:inXSDgYear", f'"{day.year}"^^xsd:gYear')])
        if roll < 0.92:
            first = date(day.year - day.year % 10, 1, 1)
            return self._date(f"kgr:date-{first.year}s", [
                ("a", "kg:Date"), ("kg:precision", "kgv:decade"),
                ("kg:earliest", xsd_date(first)),
                ("kg:latest", xsd_date(date(first.year + 9, 12, 31)))])
        if roll < 0.97:
            monday = day - timedelta(days=day.weekday())
            iso_year, iso_week, _ = monday.isocalendar()
            return self._date(f"kgr:date-{iso_year}-w{iso_week:02d}", [
                ("a", "kg:Date"), ("kg:precision", "kgv:week"),
                ("kg:earliest", xsd_date(monday)),
                ("kg:latest", xsd_date(monday + timedelta(days=6)))])
        return Blank([("a", "kg:Date"), ("kg:precision", "kgv:unknown-precision"),
                      ("kg:latest", xsd_date(day))])

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

    def span(self, props: Props, start: date, last: date) -> None:
        """kg:start, and kg:end or kg:endStatus, for a relation that begins on `start`."""
        node = self.dated(start)
        props.append(("kg:start", node))
        roll = self.rng.random()
        if roll < 0.35 and start < last:
            end_node = self.dated(self.between(start, last))
            if isinstance(end_node, Blank):
                end_node = self.day(self.between(start, last))
            props.append(("kg:end", end_node))
        elif roll < 0.8:
            props.append(("kg:endStatus", "kgv:ongoing"))
            props.append(("kg:ongoingAsOf", self.day(last)))
        else:
            props.append(("kg:endStatus", "kgv:end-unknown"))

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

    def make_org(self, kind: str, name_en: str, name_fr: str, part_of: str | None) -> Org:
        org = Org(f"kgr:{slugify(name_en)}", name_en, name_fr)
        props: Props = [("a", f"kg:{kind}"), ("rdfs:label", [en(name_en), fr(name_fr)])]
        if part_of is not None:
            props.append(("kg:partOf", part_of))
        self.write("actors", org.iri, props, kind)
        return org

    def actors(self) -> None:
        n_states = max(12, min(2000, round(8 * math.sqrt(self.target / 1000))))
        for slug, name_en, name_fr, _ in REAL_STATES:
            self.states.append(State(f"kgr:{slug}", slug, name_en, name_fr))
        codes = set(self.taken_codes)
        for _ in range(n_states):
            root = self.unique_name(lambda: self.root_name(2))
            ending_en, ending_fr = self.rng.choice(STATE_ENDINGS)
            name_en = self.unique_name(lambda r=root, e=ending_en: r + e)
            name_fr = root + ending_fr
            self.names.add(name_fr.lower())
            code = (root[:2] + ending_en[0]).upper()
            while code in codes:
                code = "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3))
            codes.add(code)
            state = State(f"kgr:{slugify(name_en)}", slugify(name_en), name_en, name_fr)
            self.write("actors", state.iri, [("a", "kg:State"),
                                             ("rdfs:label", [en(name_en), fr(name_fr)]),
                                             ("kg:iso3166Alpha3", lit(code))], "State")
            self.states.append(state)
        total = 0.0
        for rank in range(len(self.states)):
            total += 1 / (rank + 1)
            self.state_weights.append(total)

        for state in self.states:
            for _ in range(2):
                name = self.unique_name(lambda: self.root_name(self.rng.randint(2, 3)))
                iri = f"kgr:{slugify(name)}"
                self.write("actors", iri, [("a", "kg:Place"), ("rdfs:label", [en(name), fr(name)]),
                                           ("kg:locatedIn", state.iri)], "Place")
                state.places.append(iri)
            state.ministry = self.make_org(
                "GovernmentBody", f"Ministry of Foreign Affairs of {state.en}",
                f"ministère des Affaires étrangères de {state.fr}", state.iri)
            state.forces = self.make_org("ArmedForce", f"Armed forces of {state.en}",
                                         f"forces armées de {state.fr}", state.iri)
        n_small = max(3, len(self.states) // 4)
        for _ in range(n_small):
            name = self.unique_name(lambda: self.root_name(2))
            self.outlets.append(self.make_org("NewsOutlet", f"{name} Times",
                                              f"Le {name} Times", None))
            name = self.unique_name(lambda: self.root_name(3))
            self.institutes.append(self.make_org(
                "ResearchInstitute", f"{name} Institute of Strategic Studies",
                f"Institut {name} d’études stratégiques", None))
            name = self.unique_name(lambda: self.root_name(2))
            self.collectives.append(self.make_org("CollectiveActor", f"The {name} bloc countries",
                                                  f"les pays du bloc {name}", None))
        for _ in range(max(2, len(self.states) // 12)):
            name = self.unique_name(lambda: self.root_name(2))
            org = self.make_org("InternationalOrganisation", f"{name} Treaty Organisation",
                                f"Organisation du traité {name}", None)
            self.registers.append((self.register(org, "Treaty Series", "Recueil des traités"),
                                   "treaty"))
        for institute in self.institutes[: max(1, len(self.institutes) // 3)]:
            self.registers.append((self.register(institute, "Arms Transfers Register",
                                                 "Registre des transferts d’armes"), "transfer"))

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
        iri = f"kgr:src-{slugify(publisher.en)}-register"
        self.write("sources", iri, [
            ("a", "kg:SourceDocument"),
            ("rdfs:label", [en(f"{publisher.en}, {title_en}"), fr(f"{publisher.fr}, {title_fr}")]),
            ("dcterms:title", en(title_en)), ("dcterms:publisher", publisher.iri),
            ("kg:published", self.day(REGISTER_DAY)),
            ("kg:sourceUrl", f'"https://example.org/{slugify(publisher.en)}/register"^^xsd:anyURI'),
        ], "SourceDocument")
        return iri

    # --- claims -----------------------------------------------------------------------------

    def quote(self, art: Article, topic: str, claimant: str | None, stance: str, stated: str,
              about: list[str], text_en: str, span: tuple[int, int],
              echoes: str | None = None) -> str:
        iri = f"kgr:claim-a{art.number}-{len(art.quotes) + 1}"
        art.quotes.append(Quote(topic, iri, claimant, stance, stated, about, text_en, span,
                                echoes))
        return iri

    def cite(self, topic: str, source: str, stated: str, about: list[str], text_en: str,
             citation: str) -> None:
        """A claim of a source whose text is not stored: the evidence is its citation."""
        self.write(topic, f"kgr:claim-c{self.next_id()}", [
            ("a", "kg:Claim"), ("kg:claimant", source), ("kg:stance", "kgv:asserts"),
            ("kg:statedOn", stated), ("kg:about", about), ("kg:claimText", en(text_en)),
            ("kg:hasEvidence", Blank([("a", "kg:Evidence"), ("oa:hasSource", source),
                                      ("kg:citation", lit(citation))]))], "Claim")

    def wire(self, day: date, about: str) -> tuple[str, str]:
        """A wire story (not stored) published on `day`; its IRI and its date."""
        outlet = self.rng.choice(self.outlets)
        iri = f"kgr:src-{slugify(outlet.en)}-{day.isoformat()}-{self.next_id()}"
        published = self.day(day)
        title = f"{about}"
        self.write("sources", iri, [
            ("a", "kg:SourceDocument"),
            ("rdfs:label", [en(f"{outlet.en}, {day.day} {MONTHS_EN[day.month - 1]} {day.year}: "
                               f"{title}"),
                            fr(f"{outlet.fr}, {day.day} {MONTHS_FR[day.month - 1]} {day.year} : "
                               f"{title}")]),
            ("dcterms:title", en(title)), ("dcterms:publisher", outlet.iri),
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
        self.write("positions", iri, [
            ("a", "kg:PositionHeld"),
            ("rdfs:label", [en(f"{person.name}, {person.role.replace('-', ' ')} of "
                               f"{person.within_en}"), fr(person.said)]),
            ("kg:holder", person.iri), ("kg:role", f"kgv:{person.role}"),
            ("kg:roleWithin", person.within),
            ("kg:start", Blank([("a", "kg:Date"), ("kg:precision", "kgv:unknown-precision"),
                                ("kg:latest", xsd_date(art.published))])),
            ("kg:endStatus", "kgv:ongoing"), ("kg:ongoingAsOf", self.day(art.published))],
            "PositionHeld")
        return iri

    def said_by(self, art: Article, person: Person, stated: str, sentence: str, verb: str,
                topic: str, stance: str, about: list[str], text_en: str) -> str:
        """« sentence », VERB NAME. -- a quoted claim of `person`; named with their position
        the first time, which the article's own claim about the position quotes."""
        position = self.position(art, person)
        full = f"«{NBSP}{sentence}{NBSP}», {verb} {person.said if position else person.name}."
        start, end = art.sentence(full)
        claim = self.quote(art, topic, person.iri, stance, stated, about, text_en, (start, end))
        if position is not None:
            at = start + full.index(person.said)
            self.quote(art, "positions", art.iri, "kgv:asserts", self.day(art.published),
                       [position], f"{person.name} is {person.role.replace('-', ' ')} of "
                       f"{person.within_en}.", (at, at + len(person.said)))
        return claim

    def spokesperson(self, state: State) -> Person:
        assert state.ministry is not None and state.leader is not None
        people = state.ministry.people
        return self.rng.choice(people) if people else state.leader

    def researcher(self) -> Person:
        return self.rng.choice(self.researchers)

    # --- stories: each writes relations and adds sentences and claims to the article --------

    def treaty(self, art: Article) -> None:
        a = self.pick_state()
        b = self.pick_state([a])
        signed = self.between(FIRST_DAY, art.published)
        kind_en, kind_fr = self.rng.choice(TREATY_KINDS)
        n = self.next_id()
        iri = f"kgr:treaty-{signed.year}-{a.slug}-{b.slug}-{n}"
        signing = f"kgr:signing-{signed.year}-{a.slug}-{b.slug}-{n}"
        assert a.leader is not None and b.leader is not None
        place = self.rng.choice(a.places + b.places)
        date_fr = f"{signed.day}{NBSP}{MONTHS_FR[signed.month - 1]} {signed.year}"
        props: Props = [
            ("a", "kg:Treaty"),
            ("rdfs:label", [en(f"{signed.year} {a.en}–{b.en} Treaty of {kind_en}"),
                            fr(f"Traité {kind_fr} {a.fr}–{b.fr} de {signed.year}")]),
            ("kg:officialName", en(f"Treaty of {kind_en} between {a.en} and {b.en}")),
            ("kg:party", [a.iri, b.iri]), ("kg:signing", signing)]
        obligations = []
        for i in range(self.rng.randint(0, 3)):
            obligation = f"{iri[4:]}-obligation-{i + 1}"
            obligations.append(f"kgr:{obligation}")
        if obligations:
            props.append(("kg:obligation", obligations))
        elif self.rng.random() < 0.5:
            props.append(("kg:lacksObligationType", "kgv:defence"))
        status = f"kgr:{iri[4:]}-content-{art.published.isoformat()}"
        props.append(("kg:contentStatus", status))
        entry = signed + timedelta(days=self.rng.randint(20, 400))
        start = signed
        if entry < art.published and self.rng.random() < 0.5:
            props.append(("kg:entryIntoForce", self.day(entry)))
            start = entry
        self.span(props, start, art.published)
        self.write("treaties", iri, props, "Treaty")
        self.write("treaties", signing, [
            ("a", "kg:Signing"),
            ("rdfs:label", [en(f"Signing of the {signed.year} {a.en}–{b.en} treaty"),
                            fr(f"Signature du traité {a.fr}–{b.fr} de {signed.year}")]),
            ("kg:agreement", iri), ("kg:signatory", [a.leader.iri, b.leader.iri]),
            ("kg:place", place), ("kg:start", self.day(signed)), ("kg:end", self.day(signed))],
            "Signing")
        stated = self.day(art.published)
        start_at, end_at = art.sentence(
            f"Le {date_fr}, {a.fr} et {b.fr} ont signé un traité {kind_fr}, qui lie depuis les "
            "deux pays.")
        self.quote(art, "treaties", art.iri, "kgv:asserts", stated, [iri, signing],
                   f"{a.en} and {b.en} signed a treaty of {kind_en.lower()} on "
                   f"{signed.isoformat()}.", (start_at, end_at))
        for i, obligation in enumerate(obligations):
            type_name, type_fr = self.rng.choice(OBLIGATIONS)
            self.write("treaties", obligation, [
                ("a", "kg:Obligation"), ("kg:obligationType", f"kgv:{type_name}"),
                ("kg:treatyArticle", lit(f"Article {i + 1}"))], "Obligation")
            self.said_by(art, self.researcher(), stated,
                         f"L’article {i + 1} du traité prévoit une {type_fr} entre {a.fr} et "
                         f"{b.fr}", "analyse", "treaties", "kgv:assesses", [obligation, iri],
                         f"Article {i + 1} of the treaty is a {type_name} obligation.")
        undisclosed = self.rng.random() < 0.6
        self.write("treaties", status, [
            ("a", "kg:ContentStatus"),
            ("kg:status", "kgv:undisclosed" if undisclosed else "kgv:text-published"),
            ("kg:asOf", self.day(art.published))], "ContentStatus")
        if undisclosed:
            span = art.sentence(f"Les contours de l’accord entre {a.fr} et {b.fr} restent "
                                "toutefois encore secrets à ce stade.")
            self.quote(art, "treaties", art.iri, "kgv:asserts", stated, [status, iri],
                       "The terms of the agreement are still secret.", span)
        else:
            span = art.sentence(f"Le texte du traité a été publié par {a.fr}.")
            self.quote(art, "treaties", art.iri, "kgv:asserts", stated, [status, iri],
                       "The text of the treaty has been published.", span)
        if self.rng.random() < 0.5:
            register = self.rng.choice([r for r, kind in self.registers if kind == "treaty"])
            self.cite("treaties", register, self.day(REGISTER_DAY), [iri, signing],
                      f"The treaty was signed on {signed.isoformat()}.",
                      f"{signed.isoformat()}, {kind_en}, parties: {a.en}, {b.en}")
        ratified = signed + timedelta(days=self.rng.randint(10, 300))
        if ratified < art.published and self.rng.random() < 0.3:
            ratification = f"kgr:ratification-{iri[4:]}-{a.slug}"
            self.write("treaties", ratification, [
                ("a", "kg:Ratification"),
                ("rdfs:label", [en(f"{a.en}'s ratification of the {signed.year} treaty with "
                                   f"{b.en}"),
                                fr(f"Ratification par {a.fr} du traité de {signed.year} avec "
                                   f"{b.fr}")]),
                ("kg:ratifyingState", a.iri), ("kg:agreement", iri),
                ("kg:participant", a.leader.iri),
                ("kg:start", self.day(ratified)), ("kg:end", self.day(ratified))],
                "Ratification")
            wire, published = self.wire(ratified, f"{a.en} ratifies its treaty with {b.en}")
            self.cite("treaties", wire, published, [ratification],
                      f"{a.en} ratified the treaty on {ratified.isoformat()}.",
                      f"law of ratification signed on {ratified.isoformat()}")
        if self.rng.random() < 0.4:
            partnership = f"kgr:partnership-{a.slug}-{b.slug}-{n}"
            self.write("treaties", partnership, [
                ("a", "kg:StrategicPartnership"),
                ("rdfs:label", [en(f"{a.en}–{b.en} strategic partnership ({signed.year})"),
                                fr(f"Partenariat stratégique {a.fr}–{b.fr} ({signed.year})")]),
                ("kg:partner", [a.iri, b.iri]), ("kg:establishedBy", iri),
                ("kg:start", self.day(signed)), ("kg:endStatus", "kgv:ongoing"),
                ("kg:ongoingAsOf", self.day(art.published))], "StrategicPartnership")
            span = art.sentence(f"De quoi sceller encore un peu plus ce partenariat "
                                f"«{NBSP}stratégique{NBSP}» entre {a.fr} et {b.fr}.")
            self.quote(art, "treaties", art.iri, "kgv:assesses", stated, [partnership],
                       "The treaty seals a strategic partnership.", span)
        art.paragraph()

    def transfer(self, art: Article) -> None:
        supplier = self.pick_state()
        recipient_state = self.pick_state([supplier])
        assert recipient_state.forces is not None
        recipient = (recipient_state.forces.iri if self.rng.random() < 0.2
                     else recipient_state.iri)
        technology = self.rng.random() < 0.3
        items = self.rng.sample(TECHNOLOGY if technology else ARMS, self.rng.randint(1, 2))
        items_fr = " et ".join(fr_name for _, fr_name in items)
        n = self.next_id()
        iri = f"kgr:transfer-{supplier.slug}-{recipient_state.slug}-{items[0][0]}-{n}"
        kind = "kg:TechnologyTransfer" if technology else "kg:ArmsTransfer"
        props: Props = [
            ("a", kind),
            ("rdfs:label", [en(f"{items[0][0].replace('-', ' ').capitalize()} from "
                               f"{supplier.en} for {recipient_state.en}"),
                            fr(f"{items[0][1].capitalize()} de {supplier.fr} pour "
                               f"{recipient_state.fr}")]),
            ("kg:supplier", supplier.iri), ("kg:recipient", recipient),
            ("kg:itemCategory", [f"kgv:{name}" for name, _ in items])]
        intermediary = None
        if self.rng.random() < 0.15:
            intermediary = self.pick_state([supplier, recipient_state])
            props.append(("kg:intermediary", intermediary.iri))
        if not technology and self.rng.random() < 0.3:
            model = f"{self.root_name(2)}-{self.rng.randint(1, 99)}"
            props.append(("kg:itemDesignation", lit(model)))
        target = None
        if not technology and self.rng.random() < 0.4:
            target = self.pick_state([supplier, recipient_state])
            props.append(("kg:endUse", [en(f"strikes on {target.en}"),
                                        fr(f"frapper {target.fr}")]))
            props.append(("kg:usedAgainst", target.iri))
        began = self.between(max(FIRST_DAY, art.published - timedelta(days=3650)), art.published)
        self.span(props, began, art.published)
        self.write("arms-flows", iri, props, "Transfer")
        days = self.rng.randint(1, 6)  # stated « mardi », a relative date made when used
        pattern = self.rng.random()
        text_en = f"{supplier.en} supplies {items[0][0].replace('-', ' ')} to {recipient_state.en}."
        if pattern < 0.6:  # holds: asserted, and sometimes confirmed
            self.said_by(art, self.spokesperson(recipient_state if pattern < 0.3 else supplier),
                         self.relative(art, days),
                         f"Nous savons que {supplier.fr} livre des {items_fr} à "
                         f"{recipient_state.fr}", "a assuré", "arms-flows", "kgv:asserts",
                         [iri], text_en)
            if pattern < 0.2:
                self.said_by(art, self.researcher(), self.day(art.published),
                             f"{recipient_state.fr} compte sur les stocks de {supplier.fr}",
                             "confirme", "arms-flows", "kgv:confirms", [iri], text_en)
        if 0.5 < pattern < 0.85:  # alleged (and, between 0.5 and 0.6, also holding)
            collective = self.rng.choice(self.collectives)
            span = art.sentence(f"Depuis des mois, {collective.fr} n’ont cessé d’accuser "
                                f"{supplier.fr} de livrer des {items_fr} à {recipient_state.fr}.")
            self.quote(art, "arms-flows", collective.iri, "kgv:alleges",
                       self.day(art.published), [iri], f"Accusation: {text_en}", span)
        if pattern >= 0.85:  # suspected only
            collective = self.rng.choice(self.collectives)
            via = f" d’utiliser {intermediary.fr}" if intermediary else ""
            span = art.sentence(f"Certains observateurs, dont {collective.fr}, soupçonnent "
                                f"{supplier.fr}{via} d’envoyer discrètement des {items_fr} à "
                                f"{recipient_state.fr}.")
            self.quote(art, "arms-flows", collective.iri, "kgv:suspects",
                       self.day(art.published), [iri], f"Suspicion: {text_en}", span)
        if self.rng.random() < 0.25:
            self.said_by(art, self.spokesperson(supplier), self.relative(art, days),
                         f"{supplier.fr} ne livre aucune arme à {recipient_state.fr}",
                         "a démenti", "arms-flows", "kgv:denies", [iri],
                         f"Denial: {supplier.en} supplies nothing to {recipient_state.en}.")
        if self.rng.random() < 0.2:
            self.said_by(art, self.researcher(), self.day(art.published),
                         f"Cette aide ne suffira pas à {recipient_state.fr} pour l’emporter",
                         "estime", "arms-flows", "kgv:predicts", [iri],
                         "This aid will not be enough.")
        if self.rng.random() < 0.3:
            register = self.rng.choice([r for r, kind in self.registers if kind == "transfer"])
            self.cite("arms-flows", register, self.day(REGISTER_DAY), [iri], text_en,
                      f"{supplier.en} to {recipient_state.en}: {items[0][0]}")
        art.paragraph()

    def alignment(self, art: Article) -> None:
        members = [self.pick_state()]
        while len(members) < self.rng.randint(2, 5):
            members.append(self.pick_state(members))
        n = self.next_id()
        names_en = "–".join(m.en for m in members[:3])
        names_fr = "-".join(m.fr for m in members[:3])
        iri = f"kgr:axis-{'-'.join(m.slug for m in members[:3])}-{n}"
        props: Props = [
            ("a", "kg:Alignment"),
            ("rdfs:label", [en(f"{names_en} axis"),
                            fr(f"Axe {names_fr}")]),
            ("kg:start", Blank([("a", "kg:Date"), ("kg:precision", "kgv:unknown-precision"),
                                ("kg:latest", xsd_date(art.published))])),
            ("kg:endStatus", "kgv:ongoing"), ("kg:ongoingAsOf", self.day(art.published))]
        if self.rng.random() < 0.5:
            props.insert(2, ("kg:characterisation", "kgv:anti-western"))
        self.write("alignment", iri, props, "Alignment")
        memberships = []
        for member in members:
            membership = f"kgr:membership-{iri[4:]}-{member.slug}"
            joined = self.between(max(FIRST_DAY, art.published - timedelta(days=7000)),
                                  art.published)
            node = self.dated(joined)
            self.write("alignment", membership, [
                ("a", "kg:Membership"),
                ("rdfs:label", [en(f"{member.en} in the {names_en} axis"),
                                fr(f"{member.fr} dans l’axe {names_fr}")]),
                ("kg:alignment", iri), ("kg:member", member.iri), ("kg:start", node),
                ("kg:endStatus", "kgv:ongoing"), ("kg:ongoingAsOf", self.day(art.published))],
                "Membership")
            memberships.append(membership)
        suspected = memberships[-1] if len(memberships) > 2 and self.rng.random() < 0.2 else None
        holding = [m for m in memberships if m != suspected]
        self.said_by(art, self.researcher(), self.day(art.published),
                     f"Au-delà des avantages concrets, {members[0].fr} étend l’axe "
                     f"{names_fr} à {members[-1].fr}",
                     "analyse", "alignment", "kgv:assesses", [iri, *holding],
                     f"{members[0].en} extends the {names_en} axis.")
        if suspected is not None:
            collective = self.rng.choice(self.collectives)
            who = collective.fr[0].upper() + collective.fr[1:]
            span = art.sentence(f"{who} soupçonnent {members[-1].fr} de rejoindre l’axe.")
            self.quote(art, "alignment", collective.iri, "kgv:suspects", self.day(art.published),
                       [suspected], f"{members[-1].en} may be joining the axis.", span)
        art.paragraph()

    def alliance(self, art: Article) -> None:
        a = self.pick_state()
        b = self.pick_state([a])
        assert a.leader is not None and b.leader is not None
        iri = f"kgr:alliance-{a.slug}-{b.slug}-{self.next_id()}"
        self.write("alignment", iri, [
            ("a", "kg:Alliance"),
            ("rdfs:label", [en(f"{a.en}–{b.en} alliance"), fr(f"Alliance {a.fr}–{b.fr}")]),
            ("kg:partner", [a.iri, b.iri]),
            ("kg:start", Blank([("a", "kg:Date"), ("kg:precision", "kgv:unknown-precision"),
                                ("kg:latest", xsd_date(art.published))])),
            ("kg:endStatus", "kgv:ongoing"), ("kg:ongoingAsOf", self.day(art.published))],
            "Alliance")
        quoted = f"«{NBSP}une étroite et véritable alliance entre {a.fr} et {b.fr}{NBSP}»"
        span = art.sentence(f"Une visite qui confirme {quoted}.", quoted)
        self.quote(art, "alignment", None, "kgv:asserts", self.day(art.published), [iri],
                   f"There is a close alliance between {a.en} and {b.en}.", span)
        echoed = self.said_by(art, b.leader, self.last_week(art),
                              "Les deux pays sont liés par des liens indéfectibles de frères "
                              "d’armes", "a estimé la semaine dernière", "alignment",
                              "kgv:assesses", [iri], "The two countries are brothers in arms.")
        stated = self.relative(art, 1)
        span = art.sentence(f"Un mot repris par {a.leader.name} "
                            f"{WEEKDAYS_FR[(art.published - timedelta(days=1)).weekday()]}, "
                            f"lorsqu’il a assuré {b.fr} du «{NBSP}soutien indéfectible{NBSP}» "
                            f"de {a.fr}.")
        self.quote(art, "alignment", a.leader.iri, "kgv:asserts", stated, [iri],
                   f"{a.en} gives {b.en} its unwavering support.", span, echoes=echoed)
        art.paragraph()

    def history(self, art: Article) -> None:
        a = self.pick_state()
        b = self.pick_state([a])
        assert a.leader is not None
        roll = self.rng.random()
        n = self.next_id()
        stated = self.day(art.published)
        if roll < 0.6:
            trend, trend_fr = self.rng.choice(TRENDS)
            began = self.between(FIRST_DAY, art.published)
            iri = f"kgr:phase-{trend}-{a.slug}-{b.slug}-{n}"
            props: Props = [
                ("a", "kg:RelationPhase"),
                ("rdfs:label", [en(f"{a.en}–{b.en} relations: {trend} since {began.year}"),
                                fr(f"Relations {a.fr}–{b.fr} : {trend_fr} depuis {began.year}")]),
                ("kg:partner", [a.iri, b.iri]), ("kg:trend", f"kgv:{trend}"),
                ("kg:underLeadershipOf", a.leader.iri)]
            self.span(props, began, art.published)
            self.write("history", iri, props, "RelationPhase")
            span = art.sentence(f"Dès{NBSP}{began.year}, les relations entre {a.fr} et {b.fr} "
                                f"connaissent {trend_fr}.")
            self.quote(art, "history", art.iri, "kgv:asserts", stated, [iri],
                       f"Since {began.year}, {a.en}–{b.en} relations show {trend}.", span)
        elif roll < 0.85:
            began = self.between(FIRST_DAY, art.published)
            iri = f"kgr:trade-{a.slug}-{b.slug}-raw-materials-{n}"
            props = [("a", "kg:TradeExchange"),
                     ("rdfs:label", [en(f"{a.en}–{b.en} trade in raw materials"),
                                     fr(f"Échanges de matières premières {a.fr}–{b.fr}")]),
                     ("kg:partner", [a.iri, b.iri]), ("kg:itemCategory", "kgv:raw-materials")]
            self.span(props, began, art.published)
            self.write("history", iri, props, "TradeExchange")
            span = art.sentence(f"Les échanges de matières premières entre {a.fr} et {b.fr} ont "
                                f"doublé depuis{NBSP}{began.year}.")
            self.quote(art, "history", art.iri, "kgv:asserts", stated, [iri],
                       f"{a.en}–{b.en} trade in raw materials has doubled.", span)
        else:
            began = self.between(FIRST_DAY, art.published - timedelta(days=400))
            war = f"kgr:invasion-{a.slug}-{b.slug}-{began.year}-{n}"
            props = [("a", "kg:Invasion"),
                     ("rdfs:label", [en(f"{a.en}'s invasion of {b.en} ({began.year})"),
                                     fr(f"Invasion de {b.fr} par {a.fr} ({began.year})")]),
                     ("kg:invader", a.iri), ("kg:invaded", b.iri)]
            about = [war]
            ended = self.between(began + timedelta(days=30), art.published)
            if self.rng.random() < 0.5:
                armistice = f"kgr:armistice-{a.slug}-{b.slug}-{ended.year}-{n}"
                props += [("kg:start", self.day(began)), ("kg:end", self.day(ended))]
                self.write("history", armistice, [
                    ("a", "kg:Armistice"),
                    ("rdfs:label", [en(f"{a.en}–{b.en} armistice ({ended.year})"),
                                    fr(f"Armistice {a.fr}–{b.fr} ({ended.year})")]),
                    ("kg:ends", war), ("kg:place", self.rng.choice(b.places)),
                    ("kg:start", self.day(ended)), ("kg:end", self.day(ended))], "Armistice")
                about.append(armistice)
            else:
                props += [("kg:start", self.day(began)), ("kg:endStatus", "kgv:ongoing"),
                          ("kg:ongoingAsOf", self.day(art.published))]
            self.write("history", war, props, "Invasion")
            span = art.sentence(f"En{NBSP}{began.year}, {a.fr} a envahi {b.fr}, une guerre qui "
                                "a marqué la région.")
            self.quote(art, "history", art.iri, "kgv:asserts", stated, about,
                       f"{a.en} invaded {b.en} in {began.year}.", span)
        art.paragraph()

    def visit(self, art: Article) -> None:
        a = self.pick_state()
        b = self.pick_state([a])
        assert a.leader is not None and b.leader is not None and a.ministry is not None
        n = self.next_id()
        first, second = self.relative(art, 2), self.relative(art, 1)
        iri = f"kgr:visit-{a.slug}-{b.slug}-{art.published.isoformat()}-{n}"
        self.write("visits", iri, [
            ("a", "kg:StateVisit"),
            ("rdfs:label", [en(f"{a.leader.name}'s state visit to {b.en}"),
                            fr(f"Visite d'État de {a.leader.name} en {b.fr}")]),
            ("kg:visitor", a.leader.iri), ("kg:host", [b.iri, b.leader.iri]),
            ("kg:place", b.places[0]), ("kg:start", first), ("kg:end", second)], "StateVisit")
        span = art.sentence(f"Le président {a.leader.name} est en visite d’État en {b.fr} "
                            f"{WEEKDAYS_FR[(art.published - timedelta(days=2)).weekday()]} et "
                            f"{WEEKDAYS_FR[(art.published - timedelta(days=1)).weekday()]}.")
        self.quote(art, "visits", art.iri, "kgv:asserts", self.day(art.published), [iri],
                   f"{a.leader.name} is on a state visit to {b.en}.", span)
        if self.rng.random() < 0.5:
            publication = f"kgr:publication-{a.ministry.iri[4:]}-{art.published.isoformat()}-{n}"
            self.write("visits", publication, [
                ("a", "kg:Publication"),
                ("rdfs:label", [en(f"Document published by the {a.ministry.en}"),
                                fr(f"Document publié par le {a.ministry.fr}")]),
                ("kg:publisher", a.ministry.iri), ("kg:start", first), ("kg:end", first)],
                "Publication")
            quoted = f"d’après un document publié par le {a.ministry.fr}"
            span = art.sentence(f"La rencontre pourrait accoucher d’un nouvel accord, {quoted}.",
                                quoted)
            self.quote(art, "visits", art.iri, "kgv:asserts", self.day(art.published),
                       [publication], f"The {a.ministry.en} published a document.", span)
        art.paragraph()

    STORIES: tuple[tuple[str, float], ...] = (
        ("treaty", 0.28), ("transfer", 0.3), ("alignment", 0.1), ("alliance", 0.07),
        ("history", 0.15), ("visit", 0.1))

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
        for story in self.rng.choices(names, weights, k=self.rng.randint(3, 5)):
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
            props = [("a", "kg:Claim")]
            props.append(("kg:claimant", q.claimant) if q.claimant
                         else ("kg:unattributed", "true"))
            props += [("kg:stance", q.stance), ("kg:statedOn", q.stated), ("kg:about", q.about)]
            if q.echoes:
                props.append(("kg:echoes", q.echoes))
            props += [("kg:claimText", en(q.text_en)),
                      ("kg:hasEvidence", Blank([("a", "kg:Evidence"), ("oa:hasSource", art.iri),
                                                ("oa:hasSelector", selectors)]))]
            self.write(q.topic, q.iri, props, "Claim")

    def run(self) -> None:
        (self.data / "sources").mkdir(parents=True, exist_ok=True)
        self.actors()
        while self.triples + 5 * len(self.dates) < self.target:
            self.article()
        sink = Sink(self.data, "dates", "the shared dates (kg:Date)", 1 << 62, self.count)
        for iri in sorted(self.dates):
            sink.write(iri, self.dates[iri])
        sink.close()
        self.counts["Date"] = self.counts.get("Date", 0) + len(self.dates)
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
    manifest: dict[str, object] = {
        "generator": GENERATOR_VERSION, "seed": seed, "target": triples,
        "triples": gen.triples, "entities": dict(sorted(gen.counts.items())),
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
