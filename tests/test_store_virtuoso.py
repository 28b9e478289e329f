"""Virtuoso, the tested scale-out store: loaded with ``alignsurvey load``, every competency query identical.

One Virtuoso per module (Debian's ``virtuoso-opensource``), on 127.0.0.1 with
free ports and a project-written ``virtuoso.ini`` in a temporary folder.  The
bundled graph and a generated 10x graph go into two named graphs; each
competency query is compared with the embedded engine term by term (kind,
value, datatype, language), in order where the query has an ORDER BY.
"""

from __future__ import annotations

import shutil
import sys

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH
from sphinxcontrib_alignsurvey.sparql import QueryError, open_engine, safety
from sphinxcontrib_alignsurvey.sparql.complete import TruncatedAnswer
from sphinxcontrib_alignsurvey.sparql.queries import bundled_names, read

from .conftest import ROOT, require_tool

SCALED = "https://w3id.org/alignsurvey/graph-10x"


@pytest.fixture(scope="module")
def ten_x(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import scale_graph
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    path = tmp_path_factory.mktemp("scaled") / "graph-10x.nt"
    scale_graph.scale(10, path)
    return path


@pytest.fixture(scope="module")
def virtuoso(ten_x, tmp_path_factory):
    require_tool("virtuoso-t")
    from sphinxcontrib_alignsurvey.sparql import virtuoso as vt

    mp = pytest.MonkeyPatch()
    with vt.running(tmp_path_factory.mktemp("virtuoso")) as server:
        mp.setenv("ALIGNSURVEY_ENDPOINT_USER", "dba")
        mp.setenv("ALIGNSURVEY_ENDPOINT_PASSWORD", server.password)
        state = tmp_path_factory.mktemp("load-state")
        for path, graph in ((BUNDLED_GRAPH, server.graph), (ten_x, SCALED)):
            code = main(
                ["load", str(path), "--endpoint", server.store_url, "--graph", graph, "--state-dir", str(state)]
            )
            assert code == 0
        yield server
        mp.undo()


@pytest.fixture(scope="module")
def engines(virtuoso, ten_x):
    url = virtuoso.base + "/sparql?default-graph-uri="
    return {
        "1x": (open_engine(), open_engine(endpoint=url + virtuoso.graph)),
        "10x": (open_engine([ten_x]), open_engine(endpoint=url + SCALED)),
    }


def ordered(text: str) -> bool:
    return any(t.kind == "word" and t.text.upper() == "ORDER" for t in safety.tokens(text))


@pytest.mark.tools
@pytest.mark.parametrize("size", ["1x", "10x"])
@pytest.mark.parametrize("name", bundled_names())
def test_every_competency_query_is_identical_on_virtuoso(engines, name: str, size: str) -> None:
    text = read(name)[1]
    embedded, remote = engines[size]
    mine, theirs = embedded.select(text), remote.select(text)
    assert theirs.columns == mine.columns
    if ordered(text):
        assert theirs.rows == mine.rows
    else:
        assert sorted(map(repr, theirs.rows)) == sorted(map(repr, mine.rows))
    assert mine.rows


@pytest.mark.tools
def test_a_row_cap_on_virtuoso_is_an_error_not_a_short_answer(virtuoso) -> None:
    """The same server with a 100-row cap in force for one query (``define`` pragma is Virtuoso's own)."""
    url = virtuoso.base + "/sparql?default-graph-uri=" + virtuoso.graph + "&maxrows=100"
    engine = open_engine(endpoint=url)
    with pytest.raises(TruncatedAnswer, match="ResultSetMaxRows"):
        engine.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(engine.select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 100")) == 100


@pytest.mark.tools
def test_bulk_loader_through_isql_gives_the_same_answers(virtuoso, engines) -> None:
    copy = virtuoso.folder / "bundled.ttl"  # the loader reads only folders in DirsAllowed
    shutil.copyfile(BUNDLED_GRAPH, copy)
    graph = "https://w3id.org/alignsurvey/graph-bulk"
    assert (
        main(["load", str(copy), "--bulk", "virtuoso", "--isql", f"127.0.0.1:{virtuoso.sql_port}", "--graph", graph])
        == 0
    )
    bulk = open_engine(endpoint=virtuoso.base + "/sparql?default-graph-uri=" + graph)
    embedded = engines["1x"][0]
    for name in ("citation-edges", "survey-coverage", "taxonomy"):
        text = read(name)[1]
        assert bulk.select(text).rows == embedded.select(text).rows


def _whole(catalog) -> tuple:
    """What a catalog read through pages must hold as the embedded one does."""
    return (catalog.records, catalog.sentences, catalog.by_iri, catalog.names)


@pytest.mark.tools
def test_the_sphinx_catalog_is_whole_on_a_virtuoso_that_caps_answers(virtuoso, engines) -> None:
    """Virtuoso's own ``maxrows`` cap (1,000) in force: the catalog is read in pages and equals the embedded one."""
    from sphinxcontrib_alignsurvey.sphinxext.catalog import build_catalog

    url = virtuoso.base + "/sparql?default-graph-uri=" + virtuoso.graph + "&maxrows=1000"
    remote, embedded = build_catalog(open_engine(endpoint=url)), build_catalog(engines["1x"][0])
    assert len(embedded.sentences) > 1000
    assert _whole(remote) == _whole(embedded)


@pytest.mark.tools
def test_the_catalog_is_whole_on_a_virtuoso_with_both_caps_low(engines, tmp_path) -> None:
    """Both caps at 1,000 (like Virtuoso's defaults of 10,000, but reached by the bundled graph's sentences).

    A sorted page past ``MaxSortedTopRows`` is refused (SR353, named in the
    error); the catalog then pages with the sort in a subquery and is still
    the embedded one.
    """
    from sphinxcontrib_alignsurvey.sparql import virtuoso as vt
    from sphinxcontrib_alignsurvey.sphinxext.catalog import Q_SENTENCES, QUERY_PREFIXES, build_catalog

    with vt.running(tmp_path / "capped", max_rows=1000) as server:
        mp = pytest.MonkeyPatch()
        mp.setenv("ALIGNSURVEY_ENDPOINT_USER", "dba")
        mp.setenv("ALIGNSURVEY_ENDPOINT_PASSWORD", server.password)
        try:
            assert (
                main(
                    [
                        "load",
                        "--endpoint",
                        server.store_url,
                        "--graph",
                        server.graph,
                        "--state-dir",
                        str(tmp_path / "state"),
                    ]
                )
                == 0
            )
        finally:
            mp.undo()
        engine = open_engine(endpoint=server.query_url)
        with pytest.raises(QueryError, match=r"(?s)SR353.*MaxSortedTopRows"):
            page = "\nORDER BY ?s ?text ?survey ?sec ?line\nLIMIT 1000 OFFSET 1000"
            engine.select(QUERY_PREFIXES + Q_SENTENCES + page)
        remote, embedded = build_catalog(engine), build_catalog(engines["1x"][0])
    assert len(embedded.sentences) > 1000
    assert _whole(remote) == _whole(embedded)
