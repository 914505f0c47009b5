"""Pictures of the graph: the network of states, organisations and alignments
(kg.plots.network) and the timeline of a bilateral relationship (kg.plots.timeline).

Each picture is drawn from the answer of a catalogue query (`network`, `timeline`), so that what
it shows is what `kg query` answers, by matplotlib into SVG: a library installed from a wheel
with its own fonts (DejaVu Sans, whose measures place the text), so that the same data gives the
same bytes on every machine (`make docs` puts two pictures in the README and CI checks them).
Text stays text: searchable, and tested for. The SVG is for documents; the standalone HTML page
holds it inline, with the notes below it, and loads nothing from elsewhere. Nodes link to their
IRIs (`link`), and hovering an edge or a bar shows its details (an SVG <title>).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.backend import Backend
from kg.errors import EXIT_FAILURE, KgError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SVG_NS = "http://www.w3.org/2000/svg"
FORMATS = ("svg", "html")
INSTALL_HINT = "pictures need matplotlib: pip install 'geokg[plot]'"


@dataclass
class Picture:
    """A drawn picture: its SVG, its title, and notes that say what it leaves out."""

    title: str
    svg: str
    notes: list[str] = field(default_factory=list)

    def render(self, form: str) -> str:
        """The picture as `svg` or as a standalone `html` page."""
        if form == "svg":
            return self.svg
        from kg.web.render import render

        return render("picture.html", picture=self)


def pyplot() -> Any:
    """matplotlib's pyplot, drawing off screen with settings that give the same bytes each time;
    KgError when matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        raise KgError(INSTALL_HINT, EXIT_FAILURE) from None
    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "geokg", "svg.fonttype": "none",
                         "font.family": "DejaVu Sans", "font.size": 9})
    return plt


def to_svg(figure: Figure, tooltips: Mapping[str, str],
           links: Mapping[str, str] | None = None) -> str:
    """The figure as SVG text, with a <title> (a tooltip) in each group whose id (set with
    `set_gid`) is a key of `tooltips`; no date or program version in it."""
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(out.getvalue())
    for group in root.iter(f"{{{SVG_NS}}}g"):
        tip = tooltips.get(group.get("id", ""))
        if tip is not None:
            title = ET.Element(f"{{{SVG_NS}}}title")
            title.text = tip
            group.insert(0, title)
    return ET.tostring(root, encoding="unicode") + "\n"


KINDS = ("network", "timeline")  # each drawn from the catalogue query of the same name


def draw_picture(root: Path, backend: Backend, kind: str, values: Mapping[str, str],
                 link: Callable[[str], str]) -> Picture:
    """The picture `kind` of the graph `backend` answers for, drawn from the catalogue query
    of the same name with its parameters `values` (text, checked against their types as
    `kg query --param` checks them: KgError names a wrong one)."""
    from kg.catalogue import find_query
    from kg.params import bind
    from kg.querying import select

    pyplot()  # before any query: say at once that matplotlib is missing
    entry = find_query(root, kind)
    bindings = bind(entry.params, values, f"the {kind} picture")
    result = select(backend, entry, bindings)
    if kind == "network":
        from kg.plots.network import network_picture

        as_of = bindings.get("asOf")
        return network_picture(backend, result, as_of.value if as_of else None, link)
    from kg.plots.timeline import timeline_picture

    return timeline_picture(backend, result, bindings["a"].value, bindings["b"].value, link)
