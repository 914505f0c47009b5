"""Blank nodes named by their content: skolem IRIs under the project's base.

Every blank node of an input becomes `https://w3id.org/geokg/.well-known/genid/<digest>`
(skolemization, RDF 1.1 Concepts section 3.5) when the input is loaded, so that the store, the
checks, the reports, the exports and any store the graph is pushed to all name it alike, and a
second push of the same build adds nothing. The digest is computed from the node's content:

- what it says: each triple it is the subject of, a blank object written as the digest of what
  that node says, recursively (a selector's exact text, an evidence record's selectors);
- how it is reached: each triple that points to it, from an IRI, or from a blank node written
  as that node's own name, so the path back to an IRI (a claim, a treaty) is part of the name.

Neither the order of a file, nor its blank node labels, nor anything outside the node's own
neighbourhood changes a name. Two blank nodes that say the same and are reached the same way get
one name: they are one node (the graph is the same in RDF's meaning, with fewer triples). A cycle
of blank nodes has no such name and is refused, as is an input IRI in the reserved namespace.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Iterable

import pyoxigraph as ox

from kg.errors import KgError
from kg.prefixes import PREFIXES

GENID = PREFIXES["genid"]
_DIGEST_CHARS = 32  # hex digits of SHA-256 kept: 128 bits
_GENID = GENID.encode()
_GENID_IRI = b"<" + _GENID
# Something that looks like a blank node label in N-Triples; `skolemize` replaces only those in
# subject or object position. (A pattern with the context in lookarounds is exact too, but much
# slower: the regex engine can no longer scan for "_:".)
_BLANK = re.compile(rb'_:[^ "<>\n]+')


def is_skolem(term: object) -> bool:
    """Whether `term` is an IRI that names a blank node of the inputs."""
    return isinstance(term, ox.NamedNode) and term.value.startswith(GENID)


def _digest(parts: Iterable[bytes]) -> str:
    return hashlib.sha256(b"\n".join(sorted(set(parts)))).hexdigest()


def _blank_lines(nt: bytes) -> list[bytes]:
    """The lines of N-Triples that hold "_:": those with a blank node, and a few with the text
    in a literal (found by a scan for "_:", faster than a regular expression per line)."""
    lines = []
    end = 0
    for match in _BLANK.finditer(nt):
        start = match.start()
        if start >= end:  # not on the line taken last
            end = nt.find(b"\n", start) + 1
            lines.append(nt[nt.rfind(b"\n", 0, start) + 1:end])
    return lines


def _refuse_reserved_iris(nt: bytes, origin: str) -> None:
    if _GENID_IRI not in nt:
        return
    lines = b"".join(line for line in nt.splitlines(keepends=True) if _GENID_IRI in line)
    for triple in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES):
        for term in (triple.subject, triple.predicate, triple.object):
            if is_skolem(term):
                raise KgError(f"{origin}: {term} is in the namespace reserved for the names of "
                              "blank nodes; write a blank node, or an IRI of your own")


def skolem_names(lines: Iterable[bytes], origin: str) -> dict[bytes, bytes]:
    """The skolem IRI (N-Triples) of each blank node (`_:label`) in lines of canonical
    N-Triples (see the module docstring). Terms are compared and hashed in their N-Triples
    form, read off the line: in canonical N-Triples subject and predicate hold no space."""
    says: dict[bytes, set[bytes]] = {}  # node -> "predicate object" of its triples
    reached: dict[bytes, set[tuple[bytes, bytes]]] = {}  # node -> (subject, predicate)
    children: dict[bytes, set[bytes]] = {}
    for line in lines:
        subject, predicate, obj = line[:-3].split(b" ", 2)  # each line ends with " .\n"
        blank_subject = subject.startswith(b"_:")
        if blank_subject:
            says.setdefault(subject, set()).add(predicate + b" " + obj)
        if obj.startswith(b"_:"):
            reached.setdefault(obj, set()).add((subject, predicate))
            if blank_subject:
                children.setdefault(subject, set()).add(obj)
    # Parents before children (Kahn's algorithm); what is left over lies on a cycle.
    nodes = says.keys() | reached.keys()
    parents = dict.fromkeys(nodes, 0)
    for kids in children.values():
        for kid in kids:
            parents[kid] += 1
    queue = deque(sorted(node for node, count in parents.items() if count == 0))
    order: list[bytes] = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for kid in sorted(children.get(node, ())):
            parents[kid] -= 1
            if parents[kid] == 0:
                queue.append(kid)
    if len(order) < len(nodes):
        cycle = sorted(node.decode() for node, count in parents.items() if count > 0)
        raise KgError(f"{origin}: blank nodes that point to one another in a cycle cannot be "
                      f"named by their content ({', '.join(cycle[:3])}); give one of them an "
                      "IRI")
    description: dict[bytes, bytes] = {}
    for node in reversed(order):  # children first
        parts = says.get(node, set())
        if node in children:  # a blank object is written as the digest of what it says
            parts = {_blank_object(part, description) for part in parts}
        description[node] = _digest(parts).encode()
    names: dict[bytes, bytes] = {}
    for node in order:  # parents first
        digest = _digest([b"says " + description[node], *(
            b"from " + names.get(subject, subject) + b" " + predicate
            for subject, predicate in reached.get(node, ()))])
        names[node] = b"<" + _GENID + digest[:_DIGEST_CHARS].encode() + b">"
    return names


def _blank_object(part: bytes, description: dict[bytes, bytes]) -> bytes:
    """`predicate object` with a blank object written `[digest of what it says]`."""
    predicate, obj = part.split(b" ", 1)
    if obj.startswith(b"_:"):
        return predicate + b" [" + description[obj] + b"]"
    return part


def skolemize(nt: bytes, origin: str) -> bytes:
    """Canonical N-Triples (as Oxigraph writes them) with every blank node replaced by its
    skolem IRI; KgError naming `origin` for a cycle of blank nodes or a reserved IRI."""
    _refuse_reserved_iris(nt, origin)
    if b"_:" not in nt:
        return nt
    names = skolem_names(_blank_lines(nt), origin)

    def rename(match: re.Match[bytes]) -> bytes:
        # In canonical N-Triples a blank node is the subject, at the start of a line, or the
        # object, between a space and the line's closing " .": a "_:" inside a literal is
        # neither, since a literal has no raw newline and ends with a quote, a language tag or
        # a datatype IRI.
        start, end = match.span()
        subject = start == 0 or nt[start - 1] == 0x0A
        if not subject and not (nt[start - 1] == 0x20 and nt[end:end + 3] == b" .\n"):
            return match.group(0)
        return names[match.group(0)]

    return _BLANK.sub(rename, nt)
