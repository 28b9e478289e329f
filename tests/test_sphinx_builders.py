"""Every supported builder builds the same root without a single warning."""

from __future__ import annotations

import pytest

from .conftest import build, require_tool, strip_tags

BUILDERS = ["html", "dirhtml", "singlehtml", "latex", "text", "man", "epub"]

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-builders")


@pytest.mark.parametrize("builder", [pytest.param(b, marks=pytest.mark.sphinx(b)) for b in BUILDERS])
def test_builder_without_warnings(builder, built):
    require_tool("dot")
    result = built
    assert result.warning_lines() == []
    out = result.outdir
    if builder == "text":
        text = (out / "index.txt").read_text()
        assert "Direct Preference Optimization (DPO)" in text and "Evidence" in text
    elif builder == "latex":
        tex = (out / "builders.tex").read_text()
        assert "Direct Preference Optimization" in tex and "\\sphinxincludegraphics" in tex
    elif builder == "man":
        assert "Direct Preference Optimization" in (out / "builders.1").read_text()
    elif builder == "singlehtml":
        html = (out / "index.html").read_text()
        assert 'href="#align-method-rlhf"' in html
    elif builder == "html":
        html = (out / "index.html").read_text()
        assert "alignsurvey.css" in html and (out / "_static" / "alignsurvey.css").is_file()
        assert 'href="other.html#align-method-rlhf"' in html
        assert "Direct Preference Optimization" in strip_tags(html)


@pytest.mark.sphinx(confoverrides={"graphviz_output_format": "svg"})
def test_graph_nodes_link_to_cards(built):
    require_tool("dot")
    result = built
    svg = "".join(p.read_text() for p in (result.outdir / "_images").glob("*.svg"))
    # SVG links are rebased onto _images/ by sphinx.ext.graphviz: "../page.html#anchor"
    assert 'href="../index.html#align-method-dpo"' in svg  # same page: name spelled out
    assert 'href="../other.html#align-method-rlhf"' in svg  # the addresses graph in other.rst
    assert ">DPO<" in svg  # long labels are drawn as their acronym; the tooltip has the definition


def test_rebuild_over_an_older_stylesheet(srcdir, make_marked_app):
    """Upgrading the package and rebuilding into the same folder replaces our CSS without a warning."""
    require_tool("dot")
    first = build(make_marked_app())
    css = first.outdir / "_static" / "alignsurvey.css"
    css.write_text("/* left by an older release */\n")
    second = build(make_marked_app())
    assert second.warning_lines() == []
    assert css.read_text() != "/* left by an older release */\n"
