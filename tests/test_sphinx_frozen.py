"""Card bodies are kept as bytes between reading and writing, and come back unchanged."""

from __future__ import annotations

import pickle

import pytest
from docutils import nodes

from sphinxcontrib_alignsurvey.sphinxext import frozen
from sphinxcontrib_alignsurvey.sphinxext.directives import card as card_module

from .conftest import build, copy_root, sphinx_app

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-basic")

QUOTED = """Quotes
======

.. alignment-method:: bergeron

.. alignment-paper:: shah2022goal
"""


def quoted_root(tmp_path):
    root = tmp_path / "quoted"
    root.mkdir()
    (root / "conf.py").write_text("extensions = ['sphinxcontrib_alignsurvey']\n", encoding="utf-8")
    (root / "index.rst").write_text(QUOTED, encoding="utf-8")
    return root


def _body(html: str) -> str:
    return html[html.index('<div class="body"') : html.index('<div class="sphinxsidebar"')]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The basic root built with freezing switched off (once, for every page compared)."""
    patch = pytest.MonkeyPatch()
    patch.setattr(card_module, "freeze", lambda card, document: None)
    try:
        return build(sphinx_app("html", copy_root("alignsurvey-basic", tmp_path_factory.mktemp("live"))))
    finally:
        patch.undo()


@pytest.fixture
def frozen_and_live(built, live):
    """The basic root built as shipped, and again with freezing switched off."""
    return built, live


@pytest.mark.parametrize("page", ["index.html", "cards.html", "refs.html", "queries.html"])
def test_frozen_cards_write_exactly_what_live_cards_write(frozen_and_live, page):
    shipped, live = frozen_and_live
    assert 'class="alignsurvey-card' in shipped.text("index.html")
    assert _body(shipped.text(page)) == _body(live.text(page))


def test_doctree_on_disk_holds_each_card_as_one_value(built):
    shipped = built
    env = shipped.app.env
    doctree = env.get_doctree("index")
    cards = [c for c in doctree.findall(nodes.container) if "alignsurvey-card" in c["classes"]]
    assert cards and all(len(c) == 0 and isinstance(c[frozen.PAYLOAD], bytes) for c in cards)
    assert not [x for c in cards for x in c.findall(nodes.Element) if x is not c]
    resolved = env.get_and_resolve_doctree("index", shipped.app.builder, tags=shipped.app.tags)
    thawed = [c for c in resolved.findall(nodes.container) if "alignsurvey-card" in c["classes"]]
    assert len(thawed) == len(cards) and all(frozen.PAYLOAD not in c for c in thawed)
    assert any(isinstance(x, nodes.reference) for c in thawed for x in c.findall())


def test_pickled_card_does_not_carry_the_document(built):
    shipped = built
    doctree = shipped.app.env.get_doctree("index")
    card = next(c for c in doctree.findall(nodes.container) if frozen.PAYLOAD in c)
    children = pickle.loads(card[frozen.PAYLOAD])
    assert all(child.parent is None for child in children)
    assert not [n for child in children for n in child.findall() if n.__dict__.get("_document") is not None]
    assert len(card[frozen.PAYLOAD]) < 20_000  # a card, not a whole document


@pytest.mark.parametrize(("smartquotes", "expected"), [(True, "“conscience”"), (False, "&quot;conscience&quot;")])
def test_card_text_follows_the_projects_smart_quotes(tmp_path, make_app, smartquotes, expected):
    html = build(make_app("html", srcdir=quoted_root(tmp_path), confoverrides={"smartquotes": smartquotes})).text(
        "index.html"
    )
    assert expected in html
    # a title as published keeps its apostrophe typography in step with the definition's quotes
    assert ("Aren’t" if smartquotes else "Aren't") in html


def test_text_builder_gets_thawed_cards(tmp_path, make_app):
    text = build(make_app("text", srcdir=quoted_root(tmp_path))).text("index.txt")
    assert "Bergeron" in text and "conscience" in text and "Goal Misgeneralization" in text
