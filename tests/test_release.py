"""A release's version is one: pyproject.toml, the ontology's owl:versionInfo and owl:versionIRI,
and the newest released section of CHANGELOG.md say the same."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
OWL = "http://www.w3.org/2002/07/owl#"


def test_the_version_is_the_same_everywhere() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"]
    store = ox.Store()
    store.load(path=ROOT / "ontology" / "geokg.ttl", format=ox.RdfFormat.TURTLE)
    ontology = ox.NamedNode("https://w3id.org/geokg/ontology")
    [info] = store.quads_for_pattern(ontology, ox.NamedNode(OWL + "versionInfo"), None)
    [iri] = store.quads_for_pattern(ontology, ox.NamedNode(OWL + "versionIRI"), None)
    assert info.object == ox.Literal(version)
    assert iri.object == ox.NamedNode(f"https://w3id.org/geokg/ontology/{version}")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert released and released[0] == version
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{version}]")
