"""`kg plot timeline`: the relations, phases and events of a bilateral relationship over time,
from the catalogue query `timeline`, one row per item, with the precision of each date visible.

A date is drawn as the span of days it may fall on: a day is a thin mark, a year a band a year
wide, a decade ten. A relation is a bar from its start to its end; where a date is imprecise,
the bar is hatched over that date's span and solid where the relation certainly holds. A
relation no source gives an end of runs to the right edge, faded; one whose start no source
gives is dotted from the left edge to its end. An event is a diamond on its day, or a hatched
band over its span. Reports that a relation still held ("holds") are small bands. The claims of
the two sides (the query's "statement" rows) are not drawn; undated relations are listed below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from kg.backend import Backend, OxTerm, SelectResult
from kg.labels import Name, names
from kg.plots import Picture, pyplot, to_svg

COLOURS = {  # the group of an item's class: colour
    "treaty": "#1f4e9c", "partnership": "#1e8449", "transfer": "#c0392b",
    "phase": "#7f8c8d", "event": "#222222", "other": "#a0522d",
}
_GROUPS = (("Treaty", "treaty"), ("Agreement", "treaty"), ("Partnership", "partnership"),
           ("Alliance", "partnership"), ("Transfer", "transfer"), ("Phase", "phase"))
_MARGIN = timedelta(days=700)


@dataclass(frozen=True)
class Span:
    """The days a date may fall on, and its precision (day, year, ...; '' when not given)."""

    first: date | None
    last: date | None
    precision: str
    terms: tuple[OxTerm | None, OxTerm | None, OxTerm | None]  # as the query gave them

    @property
    def known(self) -> bool:
        return self.first is not None or self.last is not None

    @property
    def low(self) -> date:
        assert self.first or self.last
        return self.first or self.last  # type: ignore[return-value]

    @property
    def high(self) -> date:
        assert self.first or self.last
        return self.last or self.first  # type: ignore[return-value]

    def text(self) -> str:
        from kg.results import date_text

        return date_text(*self.terms)


@dataclass
class Item:
    iri: str
    kind: str  # the IRI of its class
    event: bool = False
    starts: list[Span] = field(default_factory=list)
    ends: list[Span] = field(default_factory=list)
    holds: list[Span] = field(default_factory=list)
    undated: bool = False

    @property
    def first(self) -> date | None:
        spans = [s for s in self.starts + self.holds + self.ends if s.known]
        return min((s.low for s in spans), default=None)

    def group(self) -> str:
        if self.event:
            return "event"
        local = self.kind.rsplit("#", 1)[-1]
        return next((group for word, group in _GROUPS if word in local), "other")


def _day(term: OxTerm | None) -> date | None:
    return date.fromisoformat(term.value) if term is not None else None


def items_of(result: SelectResult) -> list[Item]:
    """The rows of `timeline`, one Item per relation or event, in the order of their first
    date (undated ones last)."""
    found: dict[str, Item] = {}
    for row in result.rows:
        what = row["what"].value
        if what == "statement":
            continue
        item = found.setdefault(row["item"].value, Item(row["item"].value, row["kind"].value))
        terms = (row.get("date"), row.get("dateLatest"), row.get("datePrecision"))
        precision = terms[2].value.rsplit("/", 1)[-1] if terms[2] is not None else ""
        span = Span(_day(terms[0]), _day(terms[1]), precision, terms)
        if what == "event":
            item.event = True
            item.starts.append(span)
        elif what == "begins":
            item.starts.append(span)
        elif what == "ends":
            item.ends.append(span)
        elif what == "holds":
            item.holds.append(span)
        else:
            item.undated = True
    dated = [i for i in found.values() if i.first is not None]
    dated.sort(key=lambda i: (i.first, i.iri))
    return dated + sorted((i for i in found.values() if i.first is None), key=lambda i: i.iri)


def _hatched(axes: object, row: int, span: Span, colour: str, gid: str) -> None:
    """The span of an imprecise date (at least a few days wide, so that it shows)."""
    from matplotlib.dates import date2num

    width = max((span.high - span.low).days + 1, 1)
    bars = axes.broken_barh([(date2num(span.low), width)], (row - 0.3, 0.6),  # type: ignore[attr-defined]
                            facecolors="none", edgecolors=colour, hatch="////", linewidth=0.8)
    bars.set_gid(gid)


def draw(items: list[Item], labels: dict[str, Name], title: str,
         link: Callable[[str], str]) -> str:
    """The SVG of the timeline."""
    plt = pyplot()
    from matplotlib.dates import YearLocator, date2num

    dated = [i for i in items if i.first is not None]
    spans = [s for i in dated for s in i.starts + i.ends + i.holds if s.known]
    left = min(s.low for s in spans) - _MARGIN if spans else date(2000, 1, 1)
    right = max(s.high for s in spans) + _MARGIN if spans else date(2025, 1, 1)
    figure, axes = plt.subplots(figsize=(10, 0.42 * len(dated) + 1.6))
    tooltips: dict[str, str] = {}
    for row, item in enumerate(dated):
        colour = COLOURS[item.group()]
        name = labels[item.iri].text
        gid = f"item-{row}"
        details = [f"{kind} {s.text()}" for kind, spans_ in
                   (("start", item.starts), ("end", item.ends), ("reported going on", item.holds))
                   for s in spans_ if s.known]
        tooltips[gid] = f"{name}: " + "; ".join(details)
        known_starts = [s for s in item.starts if s.known]
        known_ends = [s for s in item.ends if s.known]
        if item.event:
            for span in known_starts:
                if span.first == span.last:
                    marker = axes.plot([date2num(span.low)], [row], marker="D", color=colour,
                                       markersize=6)[0]
                    marker.set_gid(gid)
                else:
                    _hatched(axes, row, span, colour, gid)
        elif known_starts or known_ends:
            end = max((s.low for s in known_ends), default=None)
            if known_starts:
                start = min(s.high for s in known_starts)
                solid_to = end or right
                if solid_to > start:
                    bar = axes.broken_barh([(date2num(start), (solid_to - start).days)],
                                           (row - 0.3, 0.6), facecolors=colour,
                                           alpha=0.85 if end else 0.45)
                    bar.set_gid(gid)
            elif end is not None:  # the sources give no start: it held by its end, since when?
                line = axes.plot([date2num(left), date2num(end)], [row, row], linestyle=":",
                                 linewidth=2.5, color=colour)[0]
                line.set_gid(gid)
                mark = axes.plot([date2num(end)], [row], marker="|", color=colour,
                                 markersize=12)[0]
                mark.set_gid(gid)
            for span in known_starts + known_ends:
                if span.first != span.last:
                    _hatched(axes, row, span, colour, gid)
        for span in item.holds:
            if span.known:
                _hatched(axes, row, span, colour, gid)
                mark = axes.plot([date2num(span.high)], [row], marker="|", color=colour,
                                 markersize=10)[0]
                mark.set_gid(gid)
    axes.set_yticks(range(len(dated)))
    ticks = axes.set_yticklabels([_short(labels[i.iri].text) for i in dated], fontsize=8)
    for tick, item in zip(ticks, dated, strict=True):
        tick.set_url(link(item.iri))
    axes.set_ylim(len(dated) - 0.5, -0.5)
    axes.set_xlim(date2num(left), date2num(right))
    axes.xaxis.set_major_locator(YearLocator(10))
    axes.xaxis.set_minor_locator(YearLocator(1))
    axes.xaxis_date()
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.set_title(title, fontsize=11)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    svg = to_svg(figure, tooltips)
    plt.close(figure)
    return svg


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def timeline_picture(backend: Backend, result: SelectResult, a: str, b: str,
                     link: Callable[[str], str]) -> Picture:
    """The picture of `result` (the answer of the catalogue query `timeline` for a and b)."""
    items = items_of(result)
    labels = names(backend, {i.iri for i in items} | {a, b})
    title = f"Timeline: {labels[a].text} and {labels[b].text}"
    notes = ["Solid: the relation holds (faded where no source gives its end); hatched: the "
             "span an imprecise date may fall on (a year, a decade); dotted up to an end: no "
             "source gives the start. Diamonds: events on a day. Small hatched bands: days a "
             "source reports the relation still held. The claims the two sides made are not "
             "drawn (`kg query timeline` lists them)."]
    undated = [labels[i.iri].text for i in items if i.first is None]
    if undated:
        notes.append("No source dates: " + "; ".join(undated) + ".")
    if not items:
        notes.append("Nothing dated between them: nothing to draw.")
    return Picture(title, draw(items, labels, title, link), notes)
