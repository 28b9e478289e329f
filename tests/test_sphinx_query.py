"""alignment-query: tables, cross-references in cells, options, refusals, errors."""

from __future__ import annotations

import re

import pytest

from sphinxcontrib_alignsurvey.sphinxext.safety import refusal

from .conftest import build, strip_tags

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-basic")


@pytest.fixture
def basic(built):
    return built


def tables(html: str) -> list[str]:
    return re.findall(r"<table.*?</table>", html, re.S)


def test_file_query_with_columns_and_limit(basic):
    first = tables(basic.text("queries.html"))[0]
    assert re.findall(r"<th[^>]*><p>(\w+)</p></th>", first) == ["concept", "broader"]
    assert first.count("<tr") == 1 + 3


def test_known_iris_become_cross_references(basic):
    second = tables(basic.text("queries.html"))[1]
    assert (
        'href="cards.html#align-method-rlhf"' in second
        or 'href="index.html#align-method-dpo"' in second
        or "alignsurvey-nocard" in second
    )
    assert "https://w3id.org/alignsurvey/method/" not in strip_tags(second)  # labels, not IRIs


def test_updates_and_service_are_refused_with_a_located_warning(basic):
    lines = basic.warning_lines()
    assert any(re.search(r"queries\.rst:\d+: WARNING: query refused: updates \(DELETE\)", w) for w in lines), lines
    assert any(re.search(r"queries\.rst:\d+: WARNING: query refused: federated queries \(SERVICE\)", w) for w in lines)


def test_query_errors_are_warnings_not_crashes(basic):
    assert any(
        re.search(r"WARNING: query syntax error at column \d+: .*\[alignsurvey\.query\]", w)
        for w in basic.warning_lines()
    )
    assert len(tables(basic.text("queries.html"))) == 2


def test_syntax_errors_point_at_the_query_line(basic):
    """At the document line inside the directive body, or at the line of the :file: query."""
    lines = [w for w in basic.warning_lines() if "syntax error" in w]
    body = (basic.app.srcdir / "queries.rst").read_text().splitlines()
    broken_line = body.index("   SELECT ?x WHERE { ?x ?y") + 1
    assert any(w.startswith(f"{basic.app.srcdir / 'queries.rst'}:{broken_line}: ") for w in lines), lines
    assert any(w.startswith(f"{basic.app.srcdir / 'broken.rq'}:3: ") for w in lines), lines


@pytest.mark.parametrize(
    "query, refused",
    [
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ('SELECT * WHERE { ?s ?p "LOAD DELETE" } # INSERT', False),
        ("SELECT * WHERE { ?s <http://x/service> ?o }", False),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", True),
        ("LOAD <http://example.org/x>", True),
        ("CLEAR ALL", True),
        ("SELECT * WHERE { SERVICE <http://e/sparql> { ?s ?p ?o } }", True),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
    ],
)
def test_refusal_rules(query, refused):
    assert (refusal(query) is not None) is refused


def test_queries_have_a_deadline_and_limit_is_pushed_into_the_query(tmp_path, make_app):
    """Issue 15: a cartesian query stops at the deadline with a located warning; ``:limit: 3`` stops the
    engine after three rows instead of building 2.6 billion."""
    src = tmp_path / "cartesian"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinxcontrib_alignsurvey"]\nalignsurvey_query_timeout = 2\n')
    (src / "index.rst").write_text(
        "Cartesian\n=========\n\n"
        ".. alignment-query::\n   :limit: 3\n\n   SELECT ?a ?c WHERE { ?a ?p ?b . ?c ?q ?d }\n\n"
        ".. alignment-query::\n\n   SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d }\n"
    )
    result = build(make_app("html", srcdir=src))
    found = tables(result.text("index.html"))
    assert len(found) == 1 and found[0].count("<tr") == 1 + 3
    lines = result.warning_lines()
    assert any(
        re.search(r"index\.rst:\d+: WARNING: query failed: query exceeded the time limit of 2 s", w) for w in lines
    ), lines
