"""queries/contested-facts.rq: facts resting on weak claims or on claims that differ."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kg.catalogue import find_query
from kg.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parent.parent

Ask = Callable[..., list[dict[str, str]]]


def test_contested_and_weak_facts(ask: Ask) -> None:
    # The article and the reference facts contradict each other nowhere: the only facts to
    # doubt are the suspected Chinese flow and the Western sanctions it would avoid, which only
    # that suspicion names (the end of the 1961 treaty and the Russian note of 1996 are two
    # statements of one source that do not conflict: docs/EDITORS.md).
    suspicion = {"issue": "weak: no claim that holds states anything of it", "property": "",
                 "value": "", "claim": "kgr:claim-observers-suspect-china",
                 "claimant": "kgr:some-observers", "stance": "kgv:suspects"}
    assert ask("contested-facts") == [
        {"node": "kgr:transfer-china-russia-via-north-korea", **suspicion},
        {"node": "kgr:western-sanctions", **suspicion},
    ]


# --- the rewrite keeps the answer of the straightforward query, on a graph of corner cases ----

# The query written straightforwardly (the relation test as one path, the claims of weak
# relations read directly, ORDER BY on the IRIs).
REFERENCE = """PREFIX kg: <https://w3id.org/geokg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

SELECT DISTINCT ?node ?issue ?property ?value ?valueLatest ?valuePrecision ?claim ?claimant
       ?stance
WHERE {
  {
    ?contradiction kg:contradictionKind/skos:prefLabel ?kindName ;
        kg:conflictingStatement ?statement .
    FILTER (LANGMATCHES(LANG(?kindName), "en"))
    ?statement rdf:subject ?node ; rdf:predicate ?property ; rdf:object ?object .
    ?claim kg:supports ?statement .
    OPTIONAL { ?object kg:earliest ?earliest }
    OPTIONAL { ?object kg:latest ?valueLatest }
    OPTIONAL { ?object kg:precision ?valuePrecision }
    BIND (IF(BOUND(?valuePrecision), ?earliest, ?object) AS ?value)
    BIND (CONCAT("contradiction: ", STR(?kindName)) AS ?issue)
    OPTIONAL { ?claim kg:stance ?stance }
    OPTIONAL { ?claim kg:claimant ?speaker }
    BIND (COALESCE(?speaker, "unattributed") AS ?claimant)
  } UNION {
    ?node a/rdfs:subClassOf* kg:Relation .
    FILTER NOT EXISTS { ?claim0 kg:supports/rdf:subject ?node ;
                                kg:stance/kg:stanceHolds true }
    OPTIONAL {
      ?claim kg:supports/rdf:subject ?node .
      OPTIONAL { ?claim kg:stance ?stance }
      OPTIONAL { ?claim kg:claimant ?speaker }
      BIND (COALESCE(?speaker, "unattributed") AS ?claimant)
    }
    BIND (IF(BOUND(?claim), "weak: no claim that holds states anything of it",
             "unsupported: no claim states anything of it") AS ?issue)
  }
}
ORDER BY ?issue ?node ?property ?value ?claim ?claimant
"""

# Relations two subclasses below kg:Relation and directly of it, a node that is no relation,
# blank nodes, IRIs that are prefixes of each other, relations stated by claims that hold, by
# claims that do not and by none, and contradictions (as rules/60-contradictions.rq records
# them) between dates, values and a denial, with claims without a claimant.
CORNER_CASES = """
@prefix kg: <https://w3id.org/geokg/ontology#> .
@prefix kgv: <https://w3id.org/geokg/vocab/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .

ex:Pact rdfs:subClassOf kg:Relation .
ex:Treaty rdfs:subClassOf ex:Pact .
kgv:asserts kg:stanceHolds true .
kgv:denies kg:stanceHolds false .
kgv:suspects kg:stanceHolds false .
kgv:disjoint-dates skos:prefLabel "dates that cannot both be true"@en , "dates incompatibles"@fr .
kgv:denied skos:prefLabel "denied"@en .
ex:d1 kg:earliest "2001-01-01"^^xsd:date ; kg:latest "2001-01-01"^^xsd:date ; kg:precision ex:day .
ex:d2 kg:earliest "2002-01-01"^^xsd:date ; kg:latest "2002-12-31"^^xsd:date ; kg:precision ex:year .

ex:n a ex:Treaty .
ex:n-a a kg:Claim ; kg:stance kgv:asserts ; kg:claimant ex:gov ; kg:supports _:start1 , _:party .
ex:n-b kg:stance kgv:asserts ; kg:supports _:start2 .
ex:n-d a kg:Claim ; kg:stance kgv:denies ; kg:claimant ex:rival ; kg:supports _:party-denied .
_:start1 rdf:subject ex:n ; rdf:predicate kg:start ; rdf:object ex:d1 .
_:start2 rdf:subject ex:n ; rdf:predicate kg:start ; rdf:object ex:d2 .
_:party rdf:subject ex:n ; rdf:predicate kg:party ; rdf:object ex:s .
_:party-denied rdf:subject ex:n ; rdf:predicate kg:party ; rdf:object ex:s .
ex:contradiction-dates kg:contradictionKind kgv:disjoint-dates ;
    kg:conflictingStatement _:start1 , _:start2 .
ex:contradiction-denied kg:contradictionKind kgv:denied ;
    kg:conflictingStatement _:party , _:party-denied .
ex:n-1 a ex:Pact .
ex:n-1-s a kg:Claim ; kg:stance kgv:suspects ; kg:claimant ex:press ;
    kg:supports [ rdf:subject ex:n-1 ; rdf:predicate kg:end ; rdf:object ex:d1 ] .
ex:n-1-d a kg:Claim ; kg:stance kgv:denies ;
    kg:supports [ rdf:subject ex:n-1 ; rdf:predicate kg:end ; rdf:object ex:d2 ] .
ex:n-1-x a kg:Relation .
ex:m1 a kg:Relation .
ex:m-1 a kg:Relation .
ex:m a kg:Relation .
ex:n1 a ex:Thing .
ex:n1-d kg:stance kgv:denies ;
    kg:supports [ rdf:subject ex:n1 ; rdf:predicate kg:end ; rdf:object ex:d1 ] .
ex:n2 a ex:Pact, ex:Treaty .
ex:n2-s kg:stance kgv:suspects ; kg:claimant ex:a, ex:b ;
    kg:supports [ rdf:subject ex:n2 ; rdf:predicate kg:start ; rdf:object ex:d2 ] .
[] a ex:Pact .
_:weak a ex:Treaty .
ex:weak-claim kg:stance kgv:suspects ;
    kg:supports [ rdf:subject _:weak ; rdf:predicate kg:end ; rdf:object ex:d1 ] .
"""


# The rules whose records the query reads.
RULES = ("04-statements-of-nodes.rq", "61-weak-support.rq")


def test_the_same_rows_as_the_reference_on_corner_cases() -> None:
    store = ox.Store()
    store.load(CORNER_CASES.encode(), format=ox.RdfFormat.TURTLE)
    # The build derives before anything is queried (the reference reads none of the records).
    for rule in RULES:
        derived = store.query((ROOT / "rules" / rule).read_text(encoding="utf-8"))
        assert isinstance(derived, ox.QueryTriples)
        store.extend([ox.Quad(t.subject, t.predicate, t.object) for t in derived])

    def rows(query: str) -> list[tuple[str | None, ...]]:
        answer = store.query(query, prefixes=PREFIXES)
        assert isinstance(answer, ox.QuerySolutions)
        names = [v.value for v in answer.variables]
        return [tuple(None if s[n] is None else "_:" if isinstance(s[n], ox.BlankNode)
                      else str(s[n]) for n in names) for s in answer]

    expected = rows(REFERENCE)
    assert rows(find_query(ROOT, "contested-facts").text) == expected
    # ORDER BY ?issue ?node ..., a blank node before the IRIs, which sort character by
    # character; a node that is no relation is left out, a relation stated by a claim that holds
    # is not weak.
    assert [r[:2] for r in expected] == [
        ("<http://example.org/n>", '"contradiction: dates that cannot both be true"'),
        ("<http://example.org/n>", '"contradiction: dates that cannot both be true"'),
        ("<http://example.org/n>", '"contradiction: denied"'),
        ("<http://example.org/n>", '"contradiction: denied"'),
        ("_:", '"unsupported: no claim states anything of it"'),
        ("<http://example.org/m>", '"unsupported: no claim states anything of it"'),
        ("<http://example.org/m-1>", '"unsupported: no claim states anything of it"'),
        ("<http://example.org/m1>", '"unsupported: no claim states anything of it"'),
        ("<http://example.org/n-1-x>", '"unsupported: no claim states anything of it"'),
        ("_:", '"weak: no claim that holds states anything of it"'),
        ("<http://example.org/n-1>", '"weak: no claim that holds states anything of it"'),
        ("<http://example.org/n-1>", '"weak: no claim that holds states anything of it"'),
        ("<http://example.org/n2>", '"weak: no claim that holds states anything of it"'),
        ("<http://example.org/n2>", '"weak: no claim that holds states anything of it"'),
    ]
