"""Run catalogue queries on a Backend, with their parameters bound as RDF terms.

`kg query` runs on the embedded store under build/store (kg.store), or on a remote endpoint
(kg.remote) with `--endpoint`. Both are Backends: a query file's text goes to them unchanged and
its parameters as RDF terms, checked against their declared types by kg.params.bind.
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.backend import Backend, OxTerm, SelectResult
from kg.catalogue import QueryFile
from kg.errors import KgError
from kg.project import Project
from kg.settings import DEFAULT_TIMEOUT
from kg.store import open_built_store


def open_backend(project: Project, endpoint: str | None = None,
                 timeout: int = DEFAULT_TIMEOUT) -> Backend:
    """The store of the current build (build/store), opened read-only, its generation held
    until `close`; or, with `endpoint`, that SPARQL 1.1 endpoint, each request limited to
    `timeout` seconds."""
    if endpoint is not None:
        from kg.remote import RemoteBackend  # urllib and rdflib's parser: only for an endpoint

        return RemoteBackend(endpoint, timeout)
    return open_built_store(project.build_dir, project.root)


def select(backend: Backend, entry: QueryFile, bindings: Mapping[str, OxTerm]) -> SelectResult:
    """Run a query file with its parameters bound (see kg.params.bind); errors name the file."""
    try:
        return backend.select(entry.text, bindings)
    except KgError as exc:
        raise KgError(f"{entry.origin}: {exc.message}", exc.exit_code) from None
