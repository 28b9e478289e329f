"""Sphinx against an endpoint: the catalog is cached under a fingerprint of the store's contents.

An unchanged store is not read again (one aggregate query instead of the
eleven catalog queries); a change to one literal is seen and shown.
"""

from __future__ import annotations

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.sparql import open_engine
from sphinxcontrib_alignsurvey.sparql.server import running_server

from .test_sphinx_helpers import build, copy_root


def test_an_unchanged_store_is_read_from_the_cache_and_a_change_is_seen(tmp_path, capsys):
    root = copy_root("alignsurvey-mini", tmp_path / "docs")
    graph = root / "graph.ttl"
    with running_server([], writable=True) as url:
        store = url.rsplit("/", 1)[0] + "/store"
        assert main(["load", str(graph), "--endpoint", store, "--state-dir", str(tmp_path / "state")]) == 0
        first = build(root, alignsurvey_sources=[], alignsurvey_endpoint=url)
        assert "(cached)" not in first.status
        before = first.text("card.html")
        second = build(root, alignsurvey_sources=[], alignsurvey_endpoint=url)
        assert "(cached)" in second.status
        assert second.text("card.html") == before

        label = next(r for r in open_engine(endpoint=url).select(
            "SELECT ?l WHERE { <https://w3id.org/alignsurvey/method/beta> "
            "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }").rows)[0]
        changed = label.value[:-1] + ("X" if label.value[-1] != "X" else "Y")  # same length: only a digest sees it
        update = (f'DELETE DATA {{ <https://w3id.org/alignsurvey/method/beta> '
                  f'<http://www.w3.org/2004/02/skos/core#prefLabel> "{label.value}"@{label.language} }};\n'
                  f'INSERT DATA {{ <https://w3id.org/alignsurvey/method/beta> '
                  f'<http://www.w3.org/2004/02/skos/core#prefLabel> "{changed}"@{label.language} }}')
        open_engine(endpoint=url, allow_update=True).execute(update)
        third = build(root, alignsurvey_sources=[], alignsurvey_endpoint=url)
    assert "(cached)" not in third.status
    assert changed in third.text("card.html") and changed not in before
