"""geokg: machinery for the geopolitical-relations knowledge graph.

The Python API (kg.api) is reached from here and loaded on first use, so that `import kg`, and
the `kg` command that imports it, stay quick:

    import kg
    kg.queries()                                # the query catalogue
    kg.query("timeline", a="kgr:north-korea")   # rows as dicts; .to_pandas() for a DataFrame
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

TYPE_CHECKING = False  # as typing.TYPE_CHECKING (type checkers take it as true): `import kg`
# would otherwise import typing, a third of its time

if TYPE_CHECKING:
    from kg.api import QueryInfo, Result, queries, query
    from kg.errors import KgError
    from kg.params import Param

# What `kg.NAME` gives, and the module that defines it.
_API = {"queries": "kg.api", "query": "kg.api", "QueryInfo": "kg.api", "Result": "kg.api",
        "Param": "kg.params", "KgError": "kg.errors"}

__all__ = ["KgError", "Param", "QueryInfo", "Result", "__version__", "queries", "query"]


def __getattr__(name: str) -> object:
    if name not in _API:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    found = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
