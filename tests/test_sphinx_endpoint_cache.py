"""Sphinx against an endpoint: the catalog is cached under a fingerprint of the store's contents.

An unchanged store is not read again (one aggregate query instead of the
eleven catalog queries).  The default fingerprint (triples per predicate)
sees a change that adds or removes triples; "digest" also sees an in-place edit that
keeps every count.
"""

from __future__ import annotations

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.sparql import open_engine
from sphinxcontrib_alignsurvey.sparql.server import running_server

from .conftest import build

BETA = "<https://w3id.org/alignsurvey/method/beta>"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.mark.sphinx("html", testroot="alignsurvey-mini")
def test_an_unchanged_store_is_read_from_the_cache_and_changes_are_seen(srcdir, make_marked_app, tmp_path):
    graph = srcdir / "graph.ttl"
    with running_server([], writable=True) as url:
        store = url.rsplit("/", 1)[0] + "/store"
        assert main(["load", str(graph), "--endpoint", store, "--state-dir", str(tmp_path / "state")]) == 0
        writer = open_engine(endpoint=url, allow_update=True)

        def rebuild(**overrides):
            overrides = {"alignsurvey_sources": [], "alignsurvey_endpoint": url, **overrides}
            return build(make_marked_app(confoverrides=overrides))

        first = rebuild()
        assert "(cached)" not in first.status
        before = first.text("card.html")
        second = rebuild()
        assert "(cached)" in second.status and second.text("card.html") == before

        assert "The beta definition." in before
        writer.execute(f'DELETE DATA {{ {BETA} <{SKOS}definition> "The beta definition."@en }}')
        third = rebuild()
        assert "(cached)" not in third.status and "The beta definition." not in third.text("card.html")

        digest = {"alignsurvey_endpoint_fingerprint": "digest"}
        rebuild(**digest)
        assert "(cached)" in rebuild(**digest).status
        writer.execute(
            f'DELETE DATA {{ {BETA} <{SKOS}prefLabel> "Beta method"@en }};\n'
            f'INSERT DATA {{ {BETA} <{SKOS}prefLabel> "Beta methoX"@en }}'
        )  # same count, same length
        fifth = rebuild(**digest)
    assert "(cached)" not in fifth.status and "Beta methoX" in fifth.text("card.html")
