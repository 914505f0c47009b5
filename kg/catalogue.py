"""The analysts' query catalogue: `queries/*.rq`, one question per file, with a header.

The header is the run of comment lines at the top of the file (syntax in queries/README.md):

    # title: Treaties between two states, as of a date
    # description: Which treaties bind ...
    #   (a line starting with "#" and two or more spaces continues the line before)
    # keywords: treaty, obligation, as-of
    # param: asOf  date  default=2024-06-19  example=1990-01-01  -- the day the status is for
    # example: kg query treaties-between --param asOf=1990-01-01

The catalogue is also published as RDF (`catalogue_graph`, a build hook): each query is an
`sh:SPARQLExecutable` as in the SIB sparql-examples, so an endpoint can describe its own examples.
"""

from __future__ import annotations

import difflib
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.files import read_text, rel_path
from kg.params import PARAM_TYPES, Param, bind, parse_assignments, term, valid_name

FIELDS = ("title", "description", "keywords", "param", "example")
_SINGLE = ("title", "description", "keywords")
_FIELD = re.compile(r"#[ \t]?([A-Za-z]+):[ \t]*(.*?)\s*\Z")
_CONTINUATION = re.compile(r"#[ \t]{2,}(\S.*?)\s*\Z")
_QUERY_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_PARAM_FORM = "param: NAME TYPE required|optional|default=VALUE [example=VALUE] -- what it is"


@dataclass(frozen=True)
class QueryFile:
    """A SPARQL query file and what its header declares."""

    name: str
    origin: str
    text: str
    header_end: int
    title: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        """The query without its header (prefixes, then the query itself)."""
        return self.text[self.header_end:].lstrip("\n")


def _param(value: str, where: str) -> Param:
    spec, _sep, doc = value.partition(" -- ")
    try:
        tokens = shlex.split(spec)
    except ValueError as exc:
        raise KgError(f"{where}: {exc}") from None
    if len(tokens) < 3:
        raise KgError(f"{where}: expected '{_PARAM_FORM}'")
    name, type_name, *options = tokens
    if not valid_name(name):
        raise KgError(f"{where}: parameter name {name!r} is not a SPARQL variable name")
    if type_name not in PARAM_TYPES:
        raise KgError(f"{where}: unknown type {type_name!r} (types: {', '.join(PARAM_TYPES)})")
    values: dict[str, str] = {}
    modes = 0
    for option in options:
        key, sep, given = option.partition("=")
        if not sep and key in ("required", "optional"):
            values[key] = ""
            modes += 1
        elif sep and key in ("default", "example") and key not in values:
            values[key] = given
            modes += key == "default"
        else:
            raise KgError(f"{where}: unexpected {option!r}; expected '{_PARAM_FORM}'")
    if modes != 1:
        raise KgError(f"{where}: give exactly one of required, optional, default=VALUE")
    for key in ("default", "example"):
        if key in values:
            try:
                term(type_name, values[key])
            except ValueError as exc:
                raise KgError(f"{where}: {key} {values[key]!r} is not {type_name}: {exc}") from None
    return Param(name, type_name, "required" in values, values.get("default"),
                 values.get("example"), doc.strip())


def _check_example(entry: QueryFile, example: str, where: str) -> None:
    try:
        words = shlex.split(example)
    except ValueError as exc:
        raise KgError(f"{where}: {exc}") from None
    if words[:3] != ["kg", "query", entry.name]:
        raise KgError(f"{where}: an example starts with 'kg query {entry.name}'")
    rest = words[3:]
    if len(rest) % 2 or any(flag != "--param" for flag in rest[::2]):
        raise KgError(f"{where}: an example gives only --param key=value options")
    try:
        bind(entry.params, parse_assignments(rest[1::2]), f"kg query {entry.name}")
    except KgError as exc:
        raise KgError(f"{where}: {exc.message}") from None


def _check_complete(entry: QueryFile, lines: dict[str, int]) -> None:
    """What a catalogue entry needs beyond a well-formed header."""
    origin = entry.origin
    if not _QUERY_NAME.match(entry.name):
        raise KgError(f"{origin}: a query file is named lower-case-hyphenated.rq")
    for name in _SINGLE:
        if not getattr(entry, name):
            raise KgError(f"{origin}: the header has no '# {name}:' line")
    if not entry.examples:
        raise KgError(f"{origin}: the header has no '# example:' line")
    for param in entry.params:
        if not re.search(rf"[?$]{param.name}\b", entry.body):
            raise KgError(f"{origin}:{lines[param.name]}: parameter {param.name!r} is not used "
                          f"as ?{param.name} in the query")
    for example in entry.examples:
        _check_example(entry, example, f"{origin}:{lines[example]}")


def parse_query(text: str, name: str, origin: str, catalogue: bool = True) -> QueryFile:
    """Read the header of a query file; KgError `origin:line: reason` when it is malformed.

    Catalogue entries (`catalogue=True`) must be complete: title, description, keywords, at least
    one example that binds, every parameter used in the query, no unknown header line. A query
    given with `kg query --file` may have any comment lines; only its `param:` lines count.
    """
    fields: dict[str, str] = {}
    params: list[Param] = []
    examples: list[str] = []
    lines: dict[str, int] = {}
    extendable: str | None = None
    header_end = 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        if not line.startswith("#"):
            break
        header_end += len(line)
        where = f"{origin}:{number}"
        content = line.rstrip("\r\n")
        continuation = _CONTINUATION.match(content)
        field = _FIELD.match(content)
        if continuation and extendable:
            fields[extendable] += " " + continuation.group(1)
            continue
        extendable = None
        if field and field.group(1) in FIELDS:
            key, value = field.groups()
            if key in _SINGLE:
                if key in fields:
                    raise KgError(f"{where}: '{key}:' is given twice")
                fields[key] = value
                extendable = key
            elif key == "param":
                param = _param(value, where)
                if param.name in lines:
                    raise KgError(f"{where}: parameter {param.name!r} is declared twice")
                params.append(param)
                lines[param.name] = number
            else:
                examples.append(value)
                lines[value] = number
        elif catalogue and content.strip() != "#":
            raise KgError(f"{where}: expected '# key: value' with a key among "
                          f"{', '.join(FIELDS)}, or a continuation line '#   text'")
    keywords = tuple(k.strip() for k in fields.get("keywords", "").split(",") if k.strip())
    entry = QueryFile(name, origin, text, header_end, fields.get("title", ""),
                      fields.get("description", ""), keywords, tuple(params), tuple(examples))
    if catalogue:
        _check_complete(entry, lines)
    return entry


def load_query_file(path: Path, root: Path | None = None, catalogue: bool = False) -> QueryFile:
    """A query file from disk (by default leniently, as for `kg query --file`)."""
    return parse_query(read_text(path, root), path.stem, rel_path(path, root), catalogue)


def catalogue_files(root: Path) -> list[Path]:
    """`queries/*.rq` (the quality checks in queries/checks/ are not analyst queries)."""
    folder = root / "queries"
    return sorted(folder.glob("*.rq")) if folder.is_dir() else []


def load_catalogue(root: Path) -> list[QueryFile]:
    return [load_query_file(path, root, catalogue=True) for path in catalogue_files(root)]


def find_query(root: Path, name: str) -> QueryFile:
    """The catalogue entry called `name`; KgError with the nearest names otherwise."""
    names = [path.stem for path in catalogue_files(root)]
    if name not in names:
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; `kg queries` lists them"
        raise KgError(f"no query {name!r} in queries/{hint}")
    return load_query_file(root / "queries" / f"{name}.rq", root, catalogue=True)


def catalogue_graph(root: Path) -> list[ox.Triple]:
    """The catalogue as RDF, one `sh:SPARQLSelectExecutable` per query (build hook)."""
    from kg.vocab import KGQ, PROV, RDF, RDFS, SCHEMA, SH

    triples = []
    for entry in load_catalogue(root):
        node = KGQ[entry.name]
        triples += [
            ox.Triple(node, RDF.type, SH.SPARQLExecutable),
            ox.Triple(node, RDF.type, SH.SPARQLSelectExecutable),
            ox.Triple(node, RDFS.label, ox.Literal(entry.title, language="en")),
            ox.Triple(node, RDFS.comment, ox.Literal(entry.description, language="en")),
            ox.Triple(node, SH.select, ox.Literal(entry.body)),
            ox.Triple(node, PROV.atLocation, ox.Literal(entry.origin)),
        ]
        triples += [ox.Triple(node, SCHEMA.keywords, ox.Literal(keyword))
                    for keyword in entry.keywords]
    return triples
