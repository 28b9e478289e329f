"""The reference tables in ``docs/`` are read from the code and refuse to drift from it.

``docs/_ext/alignsurvey_reference.py`` takes option names, value types, allowed
values and defaults from the registered directive classes; the page only
describes them, and a description missing or left over is a warning (so
``-W`` fails).  These build a small project with that extension.
"""

from __future__ import annotations

from pathlib import Path

from .conftest import ROOT, build, strip_tags

EXT = ROOT / "docs" / "_ext"

GRAPH_DESCRIBED = "\n".join(
    f"   :{name}: described"
    for name in (
        "argument",
        "root",
        "depth",
        "relation",
        "kind",
        "min-evidence",
        "min-confidence",
        "direction",
        "caption",
        "align",
        "class",
    )
)


def _project(tmp_path: Path, body: str) -> Path:
    root = tmp_path / "ref"
    root.mkdir()
    (root / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT)!r})\n"
        "extensions = ['sphinxcontrib_alignsurvey', 'alignsurvey_reference']\n",
        encoding="utf-8",
    )
    (root / "index.rst").write_text("Reference\n=========\n\n" + body, encoding="utf-8")
    return root


def test_graph_table_is_read_from_the_code(tmp_path, make_app) -> None:
    from sphinxcontrib_alignsurvey.sphinxext.graphviz import RELATIONS

    result = build(
        make_app("html", srcdir=_project(tmp_path, f".. alignsurvey-options:: align:graph\n\n{GRAPH_DESCRIBED}\n"))
    )
    assert result.warning_lines() == []
    html = strip_tags(result.text("index.html"))
    assert "also written .. alignment-graph::" in html
    assert all(f" {relation}" in html for relation in RELATIONS)
    assert "one of LR , TB , RL , BT" in html.replace("  ", " ")
    assert "taxonomy (same as broader )" in html


def test_an_option_without_description_and_a_stale_one_are_warnings(tmp_path, make_app) -> None:
    described = GRAPH_DESCRIBED.replace("   :align: described\n", "") + "\n   :max-size: gone\n"
    result = build(
        make_app("html", srcdir=_project(tmp_path, f".. alignsurvey-options:: align:graph\n\n{described}\n"))
    )
    warnings = "\n".join(result.warning_lines())
    assert "option 'align' has no description" in warnings
    assert "described option 'max-size' does not exist" in warnings


def test_card_fields_and_defaults_come_from_the_card_module(tmp_path, make_app) -> None:
    from sphinxcontrib_alignsurvey.sphinxext.directives.card_body import ALL_FIELDS, DEFAULT_FIELDS

    body = (
        ".. alignsurvey-options:: align:survey\n\n"
        + "\n".join(
            f"   :{n}: d"
            for n in ("argument", "fields", "papers", "evidence", "min-confidence", "noindex", "no-index", "class")
        )
        + "\n"
    )
    result = build(make_app("html", srcdir=_project(tmp_path, body)))
    assert result.warning_lines() == []
    html = result.text("index.html")
    assert all(f'<span class="pre">{field}</span>' in html for field in ALL_FIELDS["survey"])
    assert f"<p>{', '.join(DEFAULT_FIELDS['survey'])}</p>" in html
    assert '<span class="pre">5</span>' in html  # :papers: default, read from the directive's options.get("papers", 5)


def test_roles_indices_and_config_cover_what_is_registered(tmp_path, make_app) -> None:
    body = (
        ".. alignsurvey-roles::\n\n   :method: m\n   :challenge: c\n   :paper: p\n   :benchmark: b\n\n"
        ".. alignsurvey-indices::\n\n   :methodindex: m\n   :challengeindex: c\n   :workindex: w\n"
        "   :benchmarkindex: b\n\n"
        ".. alignsurvey-config::\n\n   :alignsurvey_sources: s\n   :alignsurvey_endpoint: e\n"
        "   :alignsurvey_query_timeout: t\n   :alignsurvey_query_memory_limit: m\n"
        "   :alignsurvey_min_confidence: c\n   :alignsurvey_vocabularies: v\n"
        "   :alignsurvey_bundled_vocabulary: b\n   :alignsurvey_endpoint_fingerprint: f\n"
        "   :alignsurvey_moderate_gc: g\n"
    )
    result = build(make_app("html", srcdir=_project(tmp_path, body)))
    warnings = "\n".join(result.warning_lines())
    assert "role 'survey' has no description" in warnings
    assert "configuration value 'alignsurvey_bibtex_file' has no description" in warnings
    assert len(result.warning_lines()) == 2
    assert "align-workindex.html" in strip_tags(result.text("index.html"))
