"""Where the graph comes from: survey Markdown converted at build time, a SPARQL
endpoint instead of files, and another project reaching our objects through intersphinx."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH
from sphinxcontrib_alignsurvey.sparql.server import running_server

from .conftest import build, require_tool, strip_tags

EXTENSION = Path(__file__).resolve().parents[1] / "sphinxcontrib_alignsurvey" / "sphinxext"


@pytest.mark.sphinx("html", testroot="alignsurvey-markdown-sources")
def test_markdown_sources_are_converted_at_build_time(app):
    result = build(app)
    assert result.warning_lines() == []
    text = strip_tags(result.text("index.html"))
    # the survey card outlines the tiny survey, read from its Markdown
    assert "Preference Learning in Practice" in text and "2.1 Feedback" in text
    # the method card's evidence comes from the tiny survey's sentences, not the bundled ones
    assert "Direct Preference Optimization (DPO) reduces reward hacking" in text
    assert "alignment-survey-1ef323be" not in result.text("index.html")


@pytest.mark.sphinx("html", testroot="alignsurvey-basic")
def test_endpoint_gives_the_same_cards_as_local_files(make_marked_app, built):
    with running_server([BUNDLED_GRAPH]) as url:
        remote = build(make_marked_app(confoverrides={"alignsurvey_endpoint": url}))
    by_file = built
    # the same warnings (the root has deliberate unknown IDs), at the same places
    assert [w.split("alignsurvey-basic", 1)[1] for w in remote.warning_lines()] == [
        w.split("alignsurvey-basic", 1)[1] for w in by_file.warning_lines()
    ]
    for page in ("index.html", "cards.html", "queries.html"):
        assert strip_tags(remote.text(page)) == strip_tags(by_file.text(page)), page


@pytest.mark.sphinx("html", testroot="alignsurvey-intersphinx")
def test_objects_reach_other_projects_through_intersphinx(make_marked_app, shared_builds):
    first = shared_builds.get("html", testroot="alignsurvey-basic")
    inventory = first.outdir / "objects.inv"
    assert inventory.is_file()
    result = build(
        make_marked_app(confoverrides={"intersphinx_mapping": {"handbook": (str(first.outdir), str(inventory))}})
    )
    assert result.warning_lines() == []
    html = result.text("index.html")
    assert f'href="{first.outdir}/index.html#align-method-dpo"' in html or "index.html#align-method-dpo" in html
    assert "#align-challenge-reward-hacking" in html


@pytest.mark.sphinx("html", testroot="alignsurvey-mini")
def test_endpoint_is_the_graph_when_set(srcdir, make_marked_app):
    """A method that exists only in the server's graph renders: the endpoint, not the bundled graph, is used."""
    graph = srcdir / "graph.ttl"
    with running_server([graph]) as url:
        graph.unlink()  # nothing local to fall back on
        result = build(make_marked_app(confoverrides={"alignsurvey_sources": [], "alignsurvey_endpoint": url}))
    assert not [w for w in result.warning_lines() if "unknown" in w]
    assert 'id="align-method-beta"' in result.text("card.html")


@pytest.mark.sphinx(
    "html", testroot="alignsurvey-markdown-sources", confoverrides={"alignsurvey_bibtex_file": "_generated/refs.bib"}
)
def test_markdown_sources_give_their_bibtex_to_alignsurvey_bibtex_file(app):
    root = app.srcdir
    result = build(app)
    assert [w for w in result.warning_lines() if "bibtex" in w.lower()] == []
    bib = (root / "_generated" / "refs.bib").read_text(encoding="utf-8")
    # exactly the two works of the tiny survey, not the bundled 150
    assert bib.count("\n@") + bib.startswith("@") == 2
    assert "Direct Preference Optimization" in bib


def sphinx_build(root, capsys) -> tuple[int, str]:
    """``sphinx-build`` as a user runs it: exit status and what it printed on stderr."""
    status = build_main(["-N", "-q", "-b", "html", str(root), str(root / "_build" / "html")])
    return status, capsys.readouterr().err


@pytest.mark.sphinx("html", testroot="alignsurvey-markdown-sources")
def test_a_broken_survey_fails_the_build_with_located_errors_not_a_crash_banner(srcdir, capsys):
    require_tool("dot")
    root = srcdir
    survey = root / "surveys" / "tiny-survey.md"
    good = survey.read_text(encoding="utf-8")
    survey.write_text(good.replace("[2; 1]", "[2; 9]"), encoding="utf-8")
    with open(root / "index.rst", "a", encoding="utf-8") as fh:  # more that needs the graph
        fh.write(
            "\nSee :align:method:`dpo`.\n\n.. align:graph:: taxonomy\n   :depth: 1\n\n"
            ".. align:query::\n\n   SELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n"
        )
    status, err = sphinx_build(root, capsys)
    assert status == 1  # a failed build, not Sphinx's exit status 2 for a crash
    assert f"{survey}:11: ERROR: [2; 9] cites [9]" in err and "[alignsurvey.survey]" in err
    assert "please report" not in err and "Extension error" not in err and "Traceback" not in err
    # no warning per card, role or diagram about the graph that could not be read
    assert [line for line in err.splitlines() if "WARNING" in line] == []

    survey.write_text(good, encoding="utf-8")  # fixed: the pages built without the graph are read again
    status, err = sphinx_build(root, capsys)
    assert (status, err) == (0, "")
    assert "alignsurvey-query" in (root / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    text = strip_tags((root / "_build" / "html" / "index.html").read_text(encoding="utf-8"))
    assert "Preference Learning in Practice" in text and "2.1 Feedback" in text


@pytest.mark.sphinx("html", testroot="alignsurvey-mini")
def test_a_malformed_rdf_source_is_a_located_error_too(srcdir, capsys):
    root = srcdir
    (root / "graph.ttl").write_text("@prefix a: <http://example.org/> .\na:b a:c a:d .\na:e a:f\n", encoding="utf-8")
    status, err = sphinx_build(root, capsys)
    assert status == 1
    assert "graph.ttl" in err and "line 4" in err and "[alignsurvey.source]" in err
    assert "please report" not in err and "Traceback" not in err and "unknown" not in err


def test_the_extensions_writers_replace_files_atomically():
    """The catalog cache and the BibTeX copy are written through core.atomic, not by a rename of their own."""
    own = []
    for path in sorted(EXTENSION.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            method = isinstance(func, ast.Attribute)  # path.write_bytes(), not core.atomic's write_bytes()
            writes = name in ("replace", "rename", "mkstemp", "NamedTemporaryFile") or (
                method and name in ("write_bytes", "write_text")
            )
            if name == "open" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                writes = any(c in str(node.args[1].value) for c in "wax+")
            if writes and not (name == "replace" and isinstance(func, ast.Attribute) and _is_str_method(func)):
                own.append(f"{path.relative_to(EXTENSION)}:{node.lineno}: {ast.unparse(func)}")
    assert own == []


def _is_str_method(func: ast.Attribute) -> bool:
    """``text.replace(a, b)`` on a string, not ``os.replace(src, dst)``."""
    return not (isinstance(func.value, ast.Name) and func.value.id in ("os", "shutil", "Path"))


@pytest.mark.sphinx("html", testroot="alignsurvey-own-vocabulary")
def test_survey_markdown_is_converted_with_the_projects_own_vocabulary(app):
    """Concepts of any namespace typed as methods, challenges or benchmarks get cards, roles and an index."""
    root = app.srcdir
    result = build(app)
    assert result.warning_lines() == []
    html = result.text("index.html")
    text = strip_tags(html)
    assert 'id="align-method-canopy-imaging"' in html and 'id="align-benchmark-plot-trials"' in html
    assert "Canopy imaging" in text and "Plot trials" in text
    # evidence comes from the crop survey, and no bundled concept is there (the bundled schemes were replaced)
    assert "suffer from cloud cover during the rainy season" in text
    assert 'href="#align-challenge-cloud-cover"' in html
    assert "Plot trials" in strip_tags(result.text("align-benchmarkindex.html"))
    converted = next((root / "_build" / "doctrees" / "alignsurvey").glob("converted-*/graph.ttl"))
    graph = converted.read_text(encoding="utf-8")
    assert "https://example.org/crops/cloud-cover" in graph and "method:rlhf" not in graph


@pytest.mark.sphinx("html", testroot="alignsurvey-own-vocabulary")
def test_a_wrong_own_vocabulary_fails_the_build_with_its_line(srcdir, capsys):
    root = srcdir
    vocabulary = root / "data" / "crops.ttl"
    vocabulary.write_text(
        vocabulary.read_text(encoding="utf-8").replace('    skos:prefLabel "Cloud cover"@en ;\n', ""), encoding="utf-8"
    )
    status, err = sphinx_build(root, capsys)
    assert status == 1
    assert f"{vocabulary}:11: ERROR: cloud-cover has no skos:prefLabel" in err and "[alignsurvey.source]" in err
    assert "Traceback" not in err


@pytest.fixture
def graph_loads(monkeypatch) -> list[list[Path]]:
    """The RDF files of every store the embedded engine loads from files, in order."""
    from sphinxcontrib_alignsurvey.sparql import api

    loads: list[list[Path]] = []
    real = api.EmbeddedEngine.from_files.__func__

    def counted(cls, sources, policy=None):
        loads.append(list(sources))
        return real(cls, sources, policy)

    monkeypatch.setattr(api.EmbeddedEngine, "from_files", classmethod(counted))
    return loads


@pytest.mark.sphinx("html", testroot="alignsurvey-basic")
def test_the_graph_is_loaded_once_per_build(make_marked_app, graph_loads):
    # the catalog and the query tables read one store: loading the graph is the largest part of a build's start
    result = build(make_marked_app())
    assert "alignsurvey-query" in result.text("queries.html")  # the page's query tables were answered
    assert graph_loads == [[BUNDLED_GRAPH]]


def test_the_compiled_bundled_catalog_is_fresh():
    """Run ``python docs/_tools/compile_catalog.py`` after converting the bundled surveys again."""
    from sphinxcontrib_alignsurvey.sparql import api
    from sphinxcontrib_alignsurvey.sphinxext.catalog import build_catalog
    from sphinxcontrib_alignsurvey.sphinxext.sources import compiled_bundled_catalog

    compiled = compiled_bundled_catalog()
    assert compiled is not None, "no compiled catalog of this bundled graph: run docs/_tools/compile_catalog.py"
    # compared as values: a set's pickled order depends on the process's string hashing
    assert compiled == build_catalog(api.open_engine([BUNDLED_GRAPH]))


def _cards_only(root: Path) -> Path:
    root.mkdir()
    (root / "conf.py").write_text("extensions = ['sphinxcontrib_alignsurvey']\n")
    (root / "index.rst").write_text("Cards\n=====\n\n.. alignment-method:: dpo\n\nSee :align:method:`rlhf`.\n")
    return root


def test_a_clean_build_on_the_bundled_graph_reads_the_compiled_catalog(tmp_path, capsys, graph_loads):
    """Neither parsed nor queried: cards and roles come from the catalog compiled with the graph."""
    root = _cards_only(tmp_path / "docs")
    status, err = sphinx_build(root, capsys)
    assert (status, graph_loads) == (0, [])
    html = (root / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "Direct Preference Optimization" in html and 'id="align-method-dpo"' in html


def test_a_stale_compiled_catalog_is_not_read(tmp_path, capsys, monkeypatch, graph_loads):
    from sphinxcontrib_alignsurvey.sphinxext import sources

    stale = tmp_path / "catalog.pickle"
    stale.write_bytes(pickle.dumps(("the key of another graph", sources.compiled_bundled_catalog())))
    monkeypatch.setattr(sources, "BUNDLED_CATALOG", stale)
    assert sources.compiled_bundled_catalog() is None
    root = _cards_only(tmp_path / "docs")
    status, err = sphinx_build(root, capsys)
    assert (status, graph_loads) == (0, [[BUNDLED_GRAPH]])  # the catalog was built from the graph
    assert "Direct Preference Optimization" in (root / "_build" / "html" / "index.html").read_text(encoding="utf-8")
