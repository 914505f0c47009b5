"""`kg plot network`: states, organisations and alignments as nodes, the edges of the catalogue
query `network` between them, coloured by kind and drawn by claim status.

Layout: alignments in the middle, the other nodes on a circle in the order of their IRIs (the
same graph gives the same picture). Edges of one kind and status between the same two nodes are
one line, whose tooltip names the relations it comes from; lines between the same two nodes
bend apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from kg.backend import Backend, SelectResult
from kg.labels import Name, names
from kg.plots import Picture, pyplot, to_svg

KINDS = {  # kind: colour, drawn with an arrow
    "arms supply": ("#c0392b", True),
    "technology supply": ("#8e44ad", True),
    "treaty": ("#1f4e9c", False),
    "partnership": ("#1e8449", False),
    "membership": ("#7f8c8d", True),
}
LineStyle = Literal["solid", "dashed", "dotted"]
STATUSES: dict[str, LineStyle] = {"established": "solid", "alleged": "dashed",
                                  "suspected": "dotted"}
NODE_STYLES = {  # group: face colour, box style
    "state": ("#dbe9f6", "round,pad=0.4"),
    "alignment": ("#fbe3c2", "sawtooth,pad=0.4"),
}
OTHER_NODE = ("#eeeeee", "square,pad=0.4")
UNCERTAIN_ALPHA = 0.35


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    status: str
    relations: list[str] = field(default_factory=list)
    uncertain: bool = True  # on the day asked, no relation of it certainly holds

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.source, self.target, self.kind, self.status


def edges_of(result: SelectResult) -> list[Edge]:
    """The rows of `network`, one Edge per source, target, kind and status."""
    found: dict[tuple[str, str, str, str], Edge] = {}
    for row in result.rows:
        edge = Edge(row["source"].value, row["target"].value, row["kind"].value,
                    row["status"].value)
        edge = found.setdefault(edge.key, edge)
        relation = row["relation"].value
        if relation not in edge.relations:
            edge.relations.append(relation)
        on_day = row["onDay"].value if "onDay" in row else ""
        edge.uncertain = edge.uncertain and on_day == "uncertain"
    return list(found.values())


def _positions(nodes: list[Name], edges: list[Edge]) -> dict[str, tuple[float, float]]:
    """The two nodes with the most edges at the left and right ends of a circle (the lines
    between them run across the middle), the others on its upper and lower arcs in the order of
    their IRIs, alignments below the middle."""
    degree = {node.iri: 0 for node in nodes}
    for edge in edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    middle = [n for n in nodes if n.group == "alignment"]
    ring = [n for n in nodes if n.group != "alignment"]
    ends = sorted(ring, key=lambda n: (-degree[n.iri], n.iri))[:2]
    places: dict[str, tuple[float, float]] = {}
    for node, x in zip(sorted(ends, key=lambda n: n.iri), (-1.0, 1.0), strict=False):
        places[node.iri] = (x, 0.0)
    rest = [n for n in ring if n not in ends]
    upper, lower = rest[:(len(rest) + 1) // 2], rest[(len(rest) + 1) // 2:]
    for arc, sign in ((upper, 1), (lower, -1)):
        for index, node in enumerate(arc):
            angle = math.pi * (index + 1) / (len(arc) + 1)
            places[node.iri] = (-math.cos(angle), sign * math.sin(angle))
    for index, node in enumerate(middle):
        places[node.iri] = ((index - (len(middle) - 1) / 2) * 0.6, -0.55)
    return places


def _bends(edges: list[Edge]) -> dict[tuple[str, str, str, str], float]:
    """How much each edge bends: edges between the same two nodes fan out."""
    pairs: dict[frozenset[str], list[Edge]] = {}
    for edge in edges:
        pairs.setdefault(frozenset((edge.source, edge.target)), []).append(edge)
    bends = {}
    for group in pairs.values():
        for index, edge in enumerate(group):
            rad = (index - (len(group) - 1) / 2) * 0.22
            # arc3 bends to the left of the direction drawn: the same side for both directions
            bends[edge.key] = rad if edge.source < edge.target else -rad
    return bends


def draw(edges: list[Edge], nodes: dict[str, Name], title: str,
         link: Callable[[str], str]) -> tuple[str, dict[str, str]]:
    """The SVG of the network and the tooltips of its edges."""
    plt = pyplot()
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    shown = sorted((nodes[iri] for iri in {e.source for e in edges} | {e.target for e in edges}),
                   key=lambda name: name.iri)
    places = _positions(shown, edges)
    figure, axes = plt.subplots(figsize=(8.5, 7.5))
    axes.set_xlim(-1.45, 1.45)
    axes.set_ylim(-1.3, 1.3)
    axes.set_aspect("equal")
    axes.axis("off")
    axes.set_title(title, fontsize=11)
    tooltips: dict[str, str] = {}
    bends = _bends(edges)
    for number, edge in enumerate(edges):
        colour, arrow = KINDS.get(edge.kind, ("#000000", False))
        patch = FancyArrowPatch(
            places[edge.source], places[edge.target],
            connectionstyle=f"arc3,rad={bends[edge.key]:.2f}",
            arrowstyle="-|>,head_length=6,head_width=3" if arrow else "-",
            color=colour, linewidth=2.0, linestyle=STATUSES.get(edge.status, "solid"),
            alpha=UNCERTAIN_ALPHA if edge.uncertain else 1.0, shrinkA=28, shrinkB=28)
        gid = f"edge-{number}"
        patch.set_gid(gid)
        axes.add_patch(patch)
        relations = "; ".join(nodes[r].text for r in edge.relations)
        tooltips[gid] = (f"{nodes[edge.source].text} → {nodes[edge.target].text}: {edge.kind} "
                         f"({edge.status}{', uncertain on that day' if edge.uncertain else ''})"
                         f" — {relations}")
    for number, node in enumerate(shown):
        face, box = NODE_STYLES.get(node.group, OTHER_NODE)
        label = axes.text(*places[node.iri], node.text.replace(" ", "\n", 1)
                          if len(node.text) > 14 else node.text,
                          ha="center", va="center", fontsize=9, zorder=3,
                          bbox={"boxstyle": box, "facecolor": face, "edgecolor": "#555555"})
        label.set_url(link(node.iri))
        label.set_gid(f"node-{number}")
        tooltips[f"node-{number}"] = f"{node.text} ({node.group or 'actor'})"
    handles = [Line2D([], [], color=colour, linewidth=2, label=kind)
               for kind, (colour, _arrow) in KINDS.items()]
    handles += [Line2D([], [], color="#333333", linewidth=2, linestyle=style, label=status)
                for status, style in STATUSES.items()]
    axes.legend(handles=handles, loc="lower center", ncol=4, fontsize=8, frameon=False,
                bbox_to_anchor=(0.5, -0.08))
    svg = to_svg(figure, tooltips)
    plt.close(figure)
    return svg, tooltips


def network_picture(backend: Backend, result: SelectResult, as_of: str | None,
                    link: Callable[[str], str]) -> Picture:
    """The picture of `result` (the answer of the catalogue query `network`)."""
    edges = edges_of(result)
    iris = {e.source for e in edges} | {e.target for e in edges}
    iris |= {r for e in edges for r in e.relations}
    nodes = names(backend, iris)
    when = f", as of {as_of}" if as_of else ""
    title = f"States, organisations and alignments{when}"
    notes = ["Colour: the kind of edge. Line: established (solid: claims that hold state it), "
             "alleged (dashed: only an allegation does), suspected (dotted: only a suspicion "
             "does). Arrows point from supplier to recipient and from member to alignment."]
    if as_of:
        notes.append(f"Only the relations the sources date as holding on {as_of} (started "
                     "by then, not ended, or reported going on by then); faded: the day falls "
                     "within the bounds of an imprecise start or end. Relations no source "
                     "dates are left out: `kg plot network` without --as-of shows them.")
    if not edges:
        notes.append("No edge: nothing to draw.")
    svg, _tooltips = draw(edges, nodes, title, link)
    return Picture(title, svg, notes)
