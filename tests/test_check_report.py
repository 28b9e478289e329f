"""The ``alignment-citation-report`` directive: findings as a table, linked to cards."""

from __future__ import annotations

import re

import pytest

from .conftest import build, strip_tags

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-report")


@pytest.fixture
def report(built):
    return built


def test_report_is_a_table_of_findings_with_file_and_line(report) -> None:
    html = report.text("index.html")
    table = html[html.index("alignsurvey-citation-report") :]
    table = table[: table.index("</table>")]
    text = strip_tags(table)
    assert "alignment-survey-1ef323be.md:455" in text  # the entity-alignment entry
    assert "citation-off-topic (error)" in text and "citation-unsupported (warning)" in text
    assert "claim-quantitative" not in text and "citation-unverified" not in text  # :kinds: filters
    summary = r"finding\(s\) in 1 survey\(s\): \d+ citation-off-topic, \d+ citation-unsupported"
    assert re.search(summary, strip_tags(html))


def test_report_links_the_work_and_survey_cards(report) -> None:
    html = report.text("index.html")
    table = html[html.index("alignsurvey-citation-report") :]
    table = table[: table.index("</table>")]
    assert re.search(r'<a class="[^"]*" href="#align-paper-[^"]+"[^>]*>Reinforcement Learning based', table)
    assert 'href="#align-survey-alignment-survey-1ef323be"' in table


def test_report_builds_without_warnings(report) -> None:
    assert not [w for w in report.warning_lines() if "citation" in w], report.warning_lines()


def test_a_missing_survey_file_is_a_warning_with_the_path(app) -> None:
    (app.srcdir / "index.rst").write_text("T\n=\n\n.. alignment-citation-report:: nope.md\n", encoding="utf-8")
    result = build(app)
    assert any("nope.md" in w for w in result.warning_lines())
