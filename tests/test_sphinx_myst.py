"""Every directive and role from Markdown, through myst-parser."""

from __future__ import annotations

import re

import pytest

from .conftest import build, require_tool, strip_tags

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-myst")


@pytest.fixture
def myst(shared_builds):
    require_tool("dot")
    return shared_builds.get("html", testroot="alignsurvey-myst")


def test_cards_render_from_markdown(myst):
    index = strip_tags(myst.text("index.html"))
    other = strip_tags(myst.text("other.html"))
    assert "Direct Preference Optimization (DPO)" in index and "Outline" in index and "Evidence" in index
    assert "Reward hacking" in other and "Beyond Reverse KL" in other


def test_roles_resolve_from_markdown(myst):
    html = myst.text("index.html")
    assert 'href="other.html#align-method-rlhf"' in html
    assert 'href="other.html#align-challenge-reward-hacking"' in html
    # An explicit title is kept; the label sits directly in the link, which carries the role's classes.
    link = re.search(r'<a [^>]*href="#align-method-dpo"[^>]*>Named</a>', html)
    assert link and "alignsurvey-ref" in link.group(0) and "align-method" in link.group(0)
    assert 'href="other.html#align-paper-wang2023beyond"' in myst.text("other.html") or "Beyond" in html
    assert 'href="index.html#align-method-dpo"' in myst.text("other.html")


def test_query_and_graph_from_markdown(myst):
    html = myst.text("index.html")
    assert "<table" in html and "alignsurvey-query" in html
    assert "graphviz" in html


def test_unknown_role_target_warns_with_markdown_location(myst):
    assert any(
        re.search(r"index\.md:\d+: WARNING: unknown method 'missing-thing'.*\[alignsurvey\.unknown_id\]", w)
        for w in myst.warning_lines()
    ), myst.warnings
    assert len(myst.warning_lines()) == 1


def test_query_syntax_error_in_markdown_names_the_directive_and_query_line(app):
    """MyST numbers a directive's body from 0, so the warning sits at the fence with the query's own line."""
    page = app.srcdir / "index.md"
    text = page.read_text(encoding="utf-8")
    fence_line = text.count("\n") + 2
    page.write_text(
        text + "\n```{alignment-query}\nPREFIX a: <http://x/>\nSELECT ?m\nWHERE { ?m ?p ] }\n```\n", encoding="utf-8"
    )
    result = build(app)
    errors = [w for w in result.warning_lines() if "syntax error" in w]
    assert len(errors) == 1 and f"index.md:{fence_line}: " in errors[0], errors
    assert "line 3, column 17" in errors[0]
