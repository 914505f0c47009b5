"""Choices and defaults that the command line offers and the library applies.

Every command is registered on each run of `kg`, so what argparse needs (choices, defaults,
names for help texts) lives here, in a module without imports; the modules that apply these
values import them from here.
"""

from __future__ import annotations

FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "xml", "md")  # of kg query (kg.results)

SHELLS: tuple[str, ...] = ("bash", "zsh", "fish")  # of kg completion (kg.completion)

ENGINES: tuple[str, ...] = ("turbo", "pyshacl")  # SHACL engines (kg.shacl)
DEFAULT_ENGINE = "turbo"

CONTEXT = 32  # code points of prefix and suffix around a quote (kg.evidence)

DEFAULT_TIMEOUT = 60  # seconds per request to a remote store (kg.remote)
USER_VAR = "KG_SPARQL_USER"
PASSWORD_VAR = "KG_SPARQL_PASSWORD"
CREDENTIALS_HINT = f"set {USER_VAR} and {PASSWORD_VAR}, or add the host to ~/.netrc"
