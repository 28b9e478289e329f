"""Strings from the ontology are text nodes: HTML and LaTeX writers escape them."""

from __future__ import annotations

from .test_sphinx_helpers import build, copy_root


def test_html_escapes_script_and_specials(tmp_path):
    result = build(copy_root("alignsurvey-escape", tmp_path), "html")
    html = result.text("index.html")
    assert "<script>alert(1)</script>" not in html and "<script>x</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {}\\% alpha" in html
    assert "<b>tags</b>" not in html and "&lt;b&gt;tags&lt;/b&gt;" in html


def test_latex_escapes_braces_backslash_percent(tmp_path):
    result = build(copy_root("alignsurvey-escape", tmp_path), "latex")
    tex = result.text("escape.tex")
    assert r"\{\}\textbackslash{}\% alpha" in tex
    assert r"\textless{}script\textgreater{}" in tex
    assert r" {}\% alpha" not in tex  # never the raw string
    assert r"\{braces\}" in tex and r"\$dollar" in tex
