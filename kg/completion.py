"""Shell completion of `kg`: commands, options, query names and each query's parameters.

`kg completion bash|zsh|fish` prints the script that hooks `kg` into the shell. At each TAB the
shell runs `kg` again with argcomplete's environment variables set; `kg.cli.main` then gives the
parser to `complete`, which writes the candidates for the shell and exits. Commands, options and
choices come from the parser itself; a query name (`kg query NAME`, `kg queries NAME`) and a
`--param` of the named query come from the completers below, which read queries/ of the
repository (`--root` if given). argcomplete is imported only by `complete` and `shell_script`,
so that `kg` starts no slower.

Nothing here may print or fail while the shell completes: a repository or query file that
cannot be read gives no candidates.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path

from kg.errors import KgError
from kg.project import find_root

Completer = Callable[..., Mapping[str, str]]
"""argcomplete calls a completer with keywords prefix, action, parser and parsed_args; it
answers candidates with a description each (zsh and fish show them)."""


def complete_with(action: argparse.Action, completer: Completer) -> None:
    """Let `completer` offer the values of `action` (argcomplete reads this attribute)."""
    action.completer = completer  # type: ignore[attr-defined]


def _root(parsed_args: argparse.Namespace) -> Path:
    return find_root(getattr(parsed_args, "root", None))


def query_names(prefix: str, parsed_args: argparse.Namespace, **_: object) -> dict[str, str]:
    """The catalogue's query names that start with `prefix`, each with its title."""
    from kg.catalogue import catalogue_files, load_query_file

    try:
        root = _root(parsed_args)
        paths = [path for path in catalogue_files(root) if path.stem.startswith(prefix)]
    except (KgError, OSError):
        return {}
    names = {}
    for path in paths:
        try:
            names[path.stem] = load_query_file(path, root, catalogue=True).title
        except (KgError, OSError):
            names[path.stem] = "(its header does not parse: kg queries NAME says why)"
    return names


def param_values(prefix: str, parsed_args: argparse.Namespace, **_: object) -> dict[str, str]:
    """`NAME=` for each parameter of the query named on the line that is not given yet; once
    `NAME=` is typed, its example and default values (and true, false for a boolean)."""
    from kg.catalogue import find_query

    name = getattr(parsed_args, "name", None)
    if not name:
        return {}
    try:
        params = find_query(_root(parsed_args), name).params
    except (KgError, OSError):
        return {}
    key, typed_value, _start = prefix.partition("=")
    if not typed_value:
        given = {item.partition("=")[0] for item in getattr(parsed_args, "param", None) or []}
        return {f"{p.name}=": f"{p.doc} [{p.usage()}]" for p in params
                if p.name.startswith(prefix) and p.name not in given}
    offered: dict[str, str] = {}
    for param in params:
        if param.name == key:
            if param.type == "boolean":
                offered.update(true="boolean", false="boolean")
            if param.example is not None:
                offered[param.example] = "example"
            if param.default is not None:
                offered[param.default] = "default"
    return {f"{key}={value}": label for value, label in offered.items()
            if f"{key}={value}".startswith(prefix)}


def complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request and exit (only when the shell asked for one)."""
    import argcomplete

    argcomplete.autocomplete(parser, always_complete_options=False)  # options after a "-"


def shell_script(shell: str) -> str:
    """The script that makes `shell` complete `kg`."""
    import argcomplete

    return argcomplete.shellcode(["kg"], shell=shell)
