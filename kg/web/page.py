"""The query page of `kg serve` (`/`): an editor in which the project's prefixes need not be
declared, the catalogue offered as examples with their titles, descriptions and parameters,
results with the labels of their IRIs beside them, and links to the pictures. The page is
kg/web/static (no script from elsewhere: it loads nothing but this server's files).

It reads the catalogue at `/catalogue.json` and runs a query at `/run`: the query's text with
the `# param:` lines of its header, and the values of those parameters, checked against their
types and bound as `kg query --endpoint` binds them (a VALUES block, kg.remote.prepare_query),
before the query goes to a worker as any other (no SERVICE, the time limit).
"""

from __future__ import annotations

import json
import mimetypes
from urllib.parse import parse_qs

from kg.catalogue import load_catalogue, parse_query
from kg.errors import KgError
from kg.params import bind, parse_assignments
from kg.prefixes import PREFIXES
from kg.server import FORM, RESULTS_JSON, SERVICE_REFUSED, Exchange, forward
from kg.sparql_text import UPDATES, query_form, uses_service
from kg.web.render import STATIC

GRAPH_RESULTS = "application/n-triples"


def index(exchange: Exchange) -> None:
    exchange.send(200, (STATIC / "index.html").read_bytes(), "text/html; charset=utf-8")


def static(exchange: Exchange) -> None:
    """A file of kg/web/static, by its name alone (no folder, nothing outside)."""
    name = exchange.request.path.removeprefix("/static/")
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        exchange.send_text(404, f"no file {name} in the page's files")
        return
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    text = kind.startswith("text/") or kind.endswith("javascript")
    exchange.send(200, path.read_bytes(), kind + ("; charset=utf-8" if text else ""),
                  {"Cache-Control": "no-cache"})


def catalogue(exchange: Exchange) -> None:
    """The queries of queries/*.rq with what their headers say, and the prefix table."""
    entries = [{
        "name": entry.name, "title": entry.title, "description": entry.description,
        "keywords": list(entry.keywords), "examples": list(entry.examples), "text": entry.text,
        "params": [{"name": p.name, "type": p.type, "required": p.required,
                    "default": p.default, "example": p.example, "doc": p.doc}
                   for p in entry.params],
    } for entry in load_catalogue(exchange.front.root)]
    body = json.dumps({"queries": entries, "prefixes": PREFIXES}, ensure_ascii=False)
    exchange.send(200, body.encode("utf-8"), "application/json; charset=utf-8")


def run(exchange: Exchange) -> None:
    """POST of a form: `query` (its text) and `param` (`name=value`, once per parameter)."""
    from kg.remote import prepare_query

    request = exchange.request
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
        exchange.send_text(415, f"send the query as {FORM}")
        return
    try:
        form = parse_qs(request.body.decode("ascii"), keep_blank_values=True, errors="strict")
    except UnicodeError:
        exchange.send_text(400, "the form is not URL-encoded UTF-8")
        return
    texts = form.get("query", [])
    if len(texts) != 1 or not texts[0].strip():
        exchange.send_text(400, "give one query")
        return
    text = texts[0]
    if uses_service(text):
        exchange.send_text(400, SERVICE_REFUSED)
        return
    if query_form(text) in UPDATES:
        exchange.send_text(403, "this endpoint is read-only: SPARQL Update is refused")
        return
    try:
        entry = parse_query(text, "query", "the query", catalogue=False)
        bindings = bind(entry.params, parse_assignments(form.get("param", [])), "the query")
        prepared = prepare_query(text, bindings)
    except KgError as exc:
        exchange.send_text(400, exc.message)
        return
    forward(exchange, "POST", "/query", _form(prepared),
            {"Content-Type": FORM, "Accept": f"{RESULTS_JSON}, {GRAPH_RESULTS}"})


def _form(query: str) -> bytes:
    from urllib.parse import urlencode

    return urlencode({"query": query}).encode("ascii")
