"""Incremental builds: a changed graph re-reads exactly the documents that show it."""

from __future__ import annotations

import gc

import pytest

from sphinxcontrib_alignsurvey.core.collector import DOCS_GC_THRESHOLD

from .conftest import build

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-mini")


def read_times(result):
    return dict(result.app.env.all_docs)


def reread(before, after):
    return {d for d in after if before.get(d) != after[d]}


def test_changed_source_rereads_exactly_the_documents_that_use_it(srcdir, make_marked_app):
    first = build(make_marked_app())
    assert first.warning_lines() == []
    t1 = read_times(first)

    second = build(make_marked_app())  # nothing changed: nothing is read, catalog comes from the cache
    assert reread(t1, read_times(second)) == set()
    assert "(cached)" in second.status

    graph = srcdir / "graph.ttl"
    graph.write_text(graph.read_text().replace('"Beta mitigates gamma."', '"Beta mitigates gamma a lot."'))
    third = build(make_marked_app())
    t3 = read_times(third)
    # the card shows the evidence sentence; the table depends on the whole graph
    assert reread(t1, t3) == {"card", "table"}

    graph.write_text(graph.read_text().replace('"Alpha method"@en', '"Alpha renamed"@en'))
    fourth = build(make_marked_app())
    t4 = read_times(fourth)
    # the label is shown by the role, by the card (broader) and by the table
    assert reread(t3, t4) == {"card", "table", "role"}
    assert "Alpha renamed" in fourth.text("role.html")
    assert "Alpha renamed" in fourth.text("card.html")
    assert "Alpha renamed" in fourth.text("table.html")


def test_new_card_elsewhere_relinks_references(srcdir, make_marked_app):
    first = build(make_marked_app())
    assert "align-method-alpha" not in first.text("role.html")  # no card yet: label only
    (srcdir / "later.rst").write_text("Later\n=====\n\n.. alignment-method:: alpha\n")
    second = build(make_marked_app())
    assert 'href="later.html#align-method-alpha"' in second.text("role.html")
    assert 'href="later.html#align-method-alpha"' in second.text("card.html")  # the card's "Broader" link


@pytest.mark.parametrize("moderate", [True, False])
def test_collector_paced_during_the_build_and_restored_after(make_marked_app, moderate):
    """``alignsurvey_moderate_gc``: raised thresholds from builder-inited to build-finished, or none."""
    gc.set_threshold(700, 10, 10)
    seen: list[tuple[int, ...]] = []
    app = make_marked_app(confoverrides={"alignsurvey_moderate_gc": moderate})
    app.connect("doctree-read", lambda app, doctree: seen.append(gc.get_threshold()))
    result = build(app)
    assert result.warning_lines() == []
    assert seen and set(seen) == {DOCS_GC_THRESHOLD if moderate else (700, 10, 10)}
    assert gc.get_threshold() == (700, 10, 10)
