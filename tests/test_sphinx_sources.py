"""Where the graph comes from: survey Markdown converted at build time, a SPARQL
endpoint instead of files, and another project reaching our objects through intersphinx."""

from __future__ import annotations

import pytest

from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH
from sphinxcontrib_alignsurvey.sparql.server import running_server

from .test_sphinx_helpers import build, copy_root, strip_tags


def test_markdown_sources_are_converted_at_build_time(tmp_path):
    result = build(copy_root("alignsurvey-markdown-sources", tmp_path))
    assert result.warning_lines() == []
    text = strip_tags(result.text("index.html"))
    # the survey card outlines the tiny survey, read from its Markdown
    assert "Preference Learning in Practice" in text and "2.1 Feedback" in text
    # the method card's evidence comes from the tiny survey's sentences, not the bundled ones
    assert "Direct Preference Optimization (DPO) reduces reward hacking" in text
    assert "alignment-survey-1ef323be" not in result.text("index.html")


def test_endpoint_gives_the_same_cards_as_local_files(tmp_path):
    src = copy_root("alignsurvey-basic", tmp_path / "remote")
    with running_server([BUNDLED_GRAPH]) as url:
        remote = build(src, alignsurvey_endpoint=url)
    files = copy_root("alignsurvey-basic", tmp_path / "files")
    by_file = build(files)
    # the same warnings (the root has deliberate unknown IDs), at the same places
    assert [w.split("alignsurvey-basic", 1)[1] for w in remote.warning_lines()] == [
        w.split("alignsurvey-basic", 1)[1] for w in by_file.warning_lines()
    ]
    for page in ("index.html", "cards.html", "queries.html"):
        assert strip_tags(remote.text(page)) == strip_tags(by_file.text(page)), page


def test_objects_reach_other_projects_through_intersphinx(tmp_path):
    first = build(copy_root("alignsurvey-basic", tmp_path / "a"))
    inventory = first.outdir / "objects.inv"
    assert inventory.is_file()
    second = copy_root("alignsurvey-intersphinx", tmp_path / "b")
    result = build(
        second,
        intersphinx_mapping={"handbook": (str(first.outdir), str(inventory))},
    )
    assert result.warning_lines() == []
    html = result.text("index.html")
    assert f'href="{first.outdir}/index.html#align-method-dpo"' in html or "index.html#align-method-dpo" in html
    assert "#align-challenge-reward-hacking" in html


def test_endpoint_is_the_graph_when_set(tmp_path):
    """A method that exists only in the server's graph renders: the endpoint, not the bundled graph, is used."""
    root = copy_root("alignsurvey-mini", tmp_path)
    graph = root / "graph.ttl"
    with running_server([graph]) as url:
        graph.unlink()  # nothing local to fall back on
        result = build(root, alignsurvey_sources=[], alignsurvey_endpoint=url)
    assert not [w for w in result.warning_lines() if "unknown" in w]
    assert 'id="align-method-beta"' in result.text("card.html")


def test_markdown_sources_give_their_bibtex_to_alignsurvey_bibtex_file(tmp_path):
    root = copy_root("alignsurvey-markdown-sources", tmp_path)
    result = build(root, alignsurvey_bibtex_file="_generated/refs.bib")
    assert [w for w in result.warning_lines() if "bibtex" in w.lower()] == []
    bib = (root / "_generated" / "refs.bib").read_text(encoding="utf-8")
    # exactly the two works of the tiny survey, not the bundled 150
    assert bib.count("\n@") + bib.startswith("@") == 2
    assert "Direct Preference Optimization" in bib
