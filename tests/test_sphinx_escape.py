"""Strings from the ontology are text nodes: HTML and LaTeX writers escape them."""

from __future__ import annotations

import pytest

from .conftest import build

pytestmark = pytest.mark.sphinx(testroot="alignsurvey-escape")


@pytest.mark.sphinx("html")
def test_html_escapes_script_and_specials(app):
    html = build(app).text("index.html")
    assert "<script>alert(1)</script>" not in html and "<script>x</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {}\\% alpha" in html
    assert "<b>tags</b>" not in html and "&lt;b&gt;tags&lt;/b&gt;" in html


@pytest.mark.sphinx("latex")
def test_latex_escapes_braces_backslash_percent(app):
    tex = build(app).text("escape.tex")
    assert r"\{\}\textbackslash{}\% alpha" in tex
    assert r"\textless{}script\textgreater{}" in tex
    assert r" {}\% alpha" not in tex  # never the raw string
    assert r"\{braces\}" in tex and r"\$dollar" in tex
