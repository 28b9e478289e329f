"""Query tables: widths from the content in text output, captions as markup, :min-confidence:,
flagged evidence and plain-words hints for syntax errors."""

from __future__ import annotations

import re

import pytest

from sphinxcontrib_alignsurvey.sphinxext.query_hints import syntax_hint

from .conftest import build, strip_tags

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-tables")


@pytest.fixture
def html(built):
    return built


@pytest.fixture
def text(shared_builds):
    return shared_builds.get("text", testroot="alignsurvey-tables")


def tables(page: str) -> list[str]:
    return re.findall(r"<table.*?</table>", page, re.S)


def test_text_tables_take_their_widths_from_the_content(text):
    out = text.text("index.txt")
    grid = [line for line in out.splitlines() if line.startswith(("|", "+"))]
    assert grid, out
    assert max(len(line) for line in grid) <= 101  # a table fits a wide terminal
    cells = [c.strip() for line in grid if line.startswith("|") for c in line.strip("|").split("|")]
    words = [w for c in cells for w in c.split()]
    # no column one letter wide: the longest method and challenge labels stand on one line
    assert "Alignment benchmarks" in cells and "Benchmark limitations" in cells, cells
    assert sum(1 for w in words if len(w) == 1 and w.isalpha()) <= 5  # words, not letters one per line
    assert "Benchmark datasets such as" in out  # a sentence wraps at word boundaries


def test_caption_is_parsed_as_inline_markup(html, text):
    first = tables(html.text("index.html"))[0]
    assert re.search(
        r"<caption>.*<code[^>]*><span class=\"pre\">limitations.rq</span></code>.*"
        r"<em>strongest first</em>",
        first,
        re.S,
    ), first
    assert "``" not in text.text("index.txt")


@pytest.mark.sphinx("html", testroot="alignsurvey-flagged")
def test_flagged_evidence_is_marked_in_table_cells(app):
    # a link with one sound sentence ([2]) and one resting on an off-topic work ([5]): the link stays,
    # and only the flagged sentence carries the marker (the bundled graph has no such mixed link)
    first = tables(build(app).text("index.html"))[0]
    assert re.search(
        r'long training runs \[5\]\. <span class="alignsurvey-flag">flagged: off-topic citation \[5\]', first
    ), first
    assert first.count("off-topic citation") == 1, first  # the sound sentence is only "unverified" (not curated)


def test_min_confidence_binds_the_query_default(html):
    second = strip_tags(tables(html.text("index.html"))[1])
    assert "0.99" in second and "0.96" in second
    assert "0.95" not in second and "0.9 " not in second  # below :min-confidence: 0.96
    lines = html.warning_lines()
    assert any(
        re.search(
            r"index\.rst:\d+: WARNING: :min-confidence: does nothing here: the query has no "
            r"\?minConfidence variable to bind \[alignsurvey\.option\]",
            w,
        )
        for w in lines
    ), lines


def test_syntax_errors_get_a_plain_words_hint(html):
    lines = html.warning_lines()
    assert any(
        re.search(
            r"query syntax error at column \d+: the brace '\{' opened on line 2 of the query is "
            r"never closed \(missing '\}'\); the parser says: expected",
            w,
        )
        for w in lines
    ), lines


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("SELECT ?x WHERE { ?x ?y ?z", "the brace '{' opened on line 1 of the query is never closed (missing '}')"),
        ("SELECT ?x WHERE { ?x ?y ?z } }", "the brace '}' on line 1 of the query closes nothing (one too many)"),
        (
            "SELECT ?x WHERE {\n ?x ?y ?z FILTER (?z > 3 }",
            "the parenthesis '(' opened on line 2 of the query is never closed (missing ')' before the '}' on line 2)",
        ),
        (
            "SELECT ?x WHERE { ?x a align:Method }",
            "the prefix 'align:' on line 1 of the query is not declared (add a PREFIX line for it)",
        ),
        ("SELECT ?x, ?y WHERE { ?x ?y ?z }", "selected variables are separated by spaces, not commas"),
        ('SELECT ?x WHERE { ?x ?y "abc }', 'a string opened on line 1 of the query is never closed (missing ")'),
        ("SELECT x WHERE { ?x ?y ?z }", "'x' after SELECT: variables start with '?' (write ?x)"),
        ("PREFIX a: <x:>\nSELECT ?x WHERE { ?x a:b '}' . FILTER (?x != \"(\") } # }", None),  # inert text
    ],
)
def test_syntax_hints(query, hint):
    assert syntax_hint(query) == hint


def test_no_link_to_an_index_that_is_not_written(html):
    page = html.text("index.html")
    assert "align-challengeindex.html" not in page and "align-benchmarkindex.html" not in page
    assert not (html.outdir / "align-challengeindex.html").exists()
    assert re.search(
        r"Indices: <span class=\"alignsurvey-unwritten-index\">Alignment challenges</span>, "
        r"<span class=\"alignsurvey-unwritten-index\">the benchmark index</span>",
        page,
    ), page
    lines = [w for w in html.warning_lines() if "[alignsurvey.index]" in w]
    assert len(lines) == 2 and "this documentation has no challenge cards" in lines[0], lines


def test_an_empty_diagram_says_which_option_removed_everything(html):
    lines = [w for w in html.warning_lines() if "[alignsurvey.empty]" in w]
    assert any(
        re.search(
            r"the graph is empty: nothing to draw \(:min-evidence: 5 removed all \d+ links; the best "
            r"supported has \d+ sentences\)",
            w,
        )
        for w in lines
    ), lines
    assert any(
        re.search(
            r"the graph is empty: nothing to draw \(:min-confidence: 1 removed all \d+ links; the most "
            r"confident has 0\.99\)",
            w,
        )
        for w in lines
    ), lines
