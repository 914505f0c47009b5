"""Where SPARQL queries run: the embedded store under build/, or a remote SPARQL 1.1 endpoint.

Both answer with Oxigraph's RDF terms (pyoxigraph), the store's own, so that a local query
converts nothing and loads no other RDF library; formatting, tests and comparisons are the
same everywhere. Parameters are passed as RDF terms (`bindings`), never as text pasted into the
query: the local store substitutes them (SEP-0007), a remote endpoint receives them as a VALUES
block whose terms are serialised in N-Triples after their types were checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass
class SelectResult:
    """The answer to a SELECT (or ASK, as one boolean row) query."""

    variables: list[str]
    rows: list[dict[str, OxTerm]] = field(default_factory=list)
    boolean: bool | None = None


class Backend(Protocol):
    """Anything that can answer a SELECT/ASK query with bound parameters."""

    def select(self, query: str, bindings: Mapping[str, OxTerm]) -> SelectResult:
        """Run `query` with each variable in `bindings` bound to its RDF term."""
        ...

    def describe(self) -> str:
        """A short human name for messages, e.g. 'build/store' or an endpoint URL."""
        ...

    def close(self) -> None:
        """Release what the backend holds (a local store holds its build's generation, which
        no build removes until then); it answers no more queries."""
        ...
