"""Every route of `kg serve`: the SPARQL Protocol's (kg.server), the query page and its files
(kg.web.page), the pictures (kg.web.pictures) and the project's IRIs (kg.web.linked)."""

from __future__ import annotations

from kg.server import SPARQL_ROUTES, Route
from kg.web import linked, page, pictures

GET = frozenset(("GET",))
ROUTES: tuple[Route, ...] = (
    *SPARQL_ROUTES,
    Route("/", GET, page.index),
    Route("/static/", GET, page.static, prefix=True),
    Route("/catalogue.json", GET, page.catalogue),
    Route("/run", frozenset(("POST",)), page.run),
    Route("/plot/", GET, pictures.picture, prefix=True),
    Route(linked.CONTEXT_PATH, GET, linked.context_document),
    *(Route(path, GET, linked.resource, prefix=True) for path in linked.PATHS),
    *(Route(path, GET, linked.resource) for path in linked.HASH_DOCUMENTS),
    *(Route(path + suffix, GET, linked.resource) for path in linked.HASH_DOCUMENTS
      for suffix in linked.SUFFIXES),
)
