"""The Sphinx catalog read from a store that caps answers: paged, and identical to the embedded catalog.

The store is a loopback server that answers with pyoxigraph over the
bundled graph but sends at most CAP rows, saying so the way Virtuoso does
(``X-SPARQL-MaxRows``).  Before paging, such a store gave pages "(33
sentences)" for 300.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH
from sphinxcontrib_alignsurvey.sparql import open_engine
from sphinxcontrib_alignsurvey.sparql.complete import TruncatedAnswer
from sphinxcontrib_alignsurvey.sparql.formats import _json_term
from sphinxcontrib_alignsurvey.sphinxext.catalog import Q_SENTENCES, QUERY_PREFIXES, build_catalog

CAP = 400


@pytest.fixture(scope="module")
def store():
    graph = ox.Store()
    graph.bulk_load(path=str(BUNDLED_GRAPH), format=ox.RdfFormat.TURTLE)
    return graph


def capped(canned, store: ox.Store, cap: int = CAP) -> None:
    def answer(request):
        text = canned.query_of(request)
        solutions = store.query(text)
        variables = solutions.variables
        rows = []
        for solution in solutions:
            rows.append(solution)
            if len(rows) == cap:
                break
        doc = {
            "head": {"vars": [v.value for v in variables]},
            "results": {"bindings": [{v.value: _json_term(s[v]) for v in variables if s[v] is not None} for s in rows]},
        }
        headers = {"Content-Type": "application/sparql-results+json"}
        if len(rows) >= cap:
            headers["X-SPARQL-MaxRows"] = str(cap)
        return 200, headers, json.dumps(doc).encode()

    canned.answer = answer


def same(a, b) -> bool:
    return (a.records, a.sentences, a.by_iri, a.names) == (b.records, b.sentences, b.by_iri, b.names)


def test_a_capped_store_gives_the_whole_catalog(canned_endpoint, store) -> None:
    capped(canned_endpoint, store)
    remote = open_engine(endpoint=canned_endpoint.url)
    with pytest.raises(TruncatedAnswer, match="ResultSetMaxRows"):
        remote.select(QUERY_PREFIXES + Q_SENTENCES)
    embedded = build_catalog(open_engine())
    assert len(embedded.sentences) > 3 * CAP  # the cap really bites
    assert same(build_catalog(remote), embedded)
    paged = [canned_endpoint.query_of(r) for r in canned_endpoint.requests]
    assert any("ORDER BY ?s ?text ?survey ?sec ?line" in q and f"LIMIT {CAP}" in q for q in paged)
