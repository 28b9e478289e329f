"""Sphinx against an endpoint: the catalog is cached under a fingerprint of the store's contents.

An unchanged store is not read again (one aggregate query instead of the
eleven catalog queries).  The default fingerprint (triples per predicate)
sees a change that adds or removes triples; "digest" also sees an in-place edit that
keeps every count.
"""

from __future__ import annotations

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.sparql import open_engine
from sphinxcontrib_alignsurvey.sparql.server import running_server

from .test_sphinx_helpers import build, copy_root

BETA = "<https://w3id.org/alignsurvey/method/beta>"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def test_an_unchanged_store_is_read_from_the_cache_and_changes_are_seen(tmp_path):
    root = copy_root("alignsurvey-mini", tmp_path / "docs")
    graph = root / "graph.ttl"
    with running_server([], writable=True) as url:
        store = url.rsplit("/", 1)[0] + "/store"
        assert main(["load", str(graph), "--endpoint", store, "--state-dir", str(tmp_path / "state")]) == 0
        writer = open_engine(endpoint=url, allow_update=True)

        first = build(root, alignsurvey_sources=[], alignsurvey_endpoint=url)
        assert "(cached)" not in first.status
        before = first.text("card.html")
        second = build(root, alignsurvey_sources=[], alignsurvey_endpoint=url)
        assert "(cached)" in second.status and second.text("card.html") == before

        assert "The beta definition." in before
        writer.execute(f'DELETE DATA {{ {BETA} <{SKOS}definition> "The beta definition."@en }}')
        third = build(root, alignsurvey_sources=[], alignsurvey_endpoint=url)
        assert "(cached)" not in third.status and "The beta definition." not in third.text("card.html")

        digest = {"alignsurvey_endpoint_fingerprint": "digest"}
        build(root, alignsurvey_sources=[], alignsurvey_endpoint=url, **digest)
        assert "(cached)" in build(root, alignsurvey_sources=[], alignsurvey_endpoint=url, **digest).status
        writer.execute(
            f'DELETE DATA {{ {BETA} <{SKOS}prefLabel> "Beta method"@en }};\n'
            f'INSERT DATA {{ {BETA} <{SKOS}prefLabel> "Beta methoX"@en }}'
        )  # same count, same length
        fifth = build(root, alignsurvey_sources=[], alignsurvey_endpoint=url, **digest)
    assert "(cached)" not in fifth.status and "Beta methoX" in fifth.text("card.html")
