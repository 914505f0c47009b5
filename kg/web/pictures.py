"""The pictures of kg.plots on kg serve: `/plot/network.svg`, `/plot/network.html?asOf=DATE`,
`/plot/timeline.svg?a=IRI&b=IRI`, `/plot/timeline.html`; their nodes link to the pages of their
IRIs on the same server (kg.web.linked)."""

from __future__ import annotations

from kg.errors import EXIT_USAGE, KgError
from kg.plots import KINDS, draw_picture
from kg.server import Exchange, PoolBackend
from kg.web.linked import local_path


def picture(exchange: Exchange) -> None:
    name = exchange.request.path.rsplit("/", 1)[-1]
    kind, _dot, form = name.partition(".")
    if kind not in KINDS or form not in ("svg", "html"):
        exchange.send_text(404, f"no picture {name}: the pictures are "
                           + ", ".join(f"/plot/{k}.svg, /plot/{k}.html" for k in KINDS))
        return
    values = {key: values[-1] for key, values in exchange.request.params.items() if values[-1]}
    try:
        drawn = draw_picture(exchange.front.root, PoolBackend(exchange.front), kind, values,
                             lambda iri: local_path(iri) or iri)
    except KgError as exc:  # a parameter of the wrong type (400), or no matplotlib here
        exchange.send_text(400 if exc.exit_code == EXIT_USAGE else 501, exc.message)
        return
    kinds = {"svg": "image/svg+xml", "html": "text/html; charset=utf-8"}
    exchange.send(200, drawn.render(form).encode("utf-8"), kinds[form])
