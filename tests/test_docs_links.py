"""``docs/_tools/check_links.py`` finds links to pages and anchors that were never written.

Why a tool and its test: Sphinx's ``linkcheck`` does not follow resolved
cross-references, so a ``:ref:`` to an index page that is never written got
past ``-W`` (issue 17, item 5).  These sites are written by hand.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "docs" / "_tools" / "check_links.py"
spec = importlib.util.spec_from_file_location("check_links", TOOL)
assert spec and spec.loader
check_links = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_links)


def _site(root: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return root


def test_a_link_to_a_page_never_written_is_dead(tmp_path) -> None:
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="align-methodindex.html">m</a> <a href="align-challengeindex.html">c</a>',
            "align-methodindex.html": "<p>methods</p>",
        },
    )
    assert [(p.name, link) for p, link in check_links.dead_links(site)] == [("index.html", "align-challengeindex.html")]
    assert check_links.main([str(site)]) == 1


def test_anchors_svg_links_and_external_links(tmp_path) -> None:
    site = _site(
        tmp_path,
        {
            "index.html": (
                '<a href="other.html#align-method-dpo">x</a><a href="#top">t</a><span id="top"></span>'
                '<a href="https://example.org/missing">ext</a><img src="_images/g.svg"/>'
                '<a href="other.html#gone">gone</a>'
            ),
            "other.html": '<div id="align-method-dpo"></div>',
            "_images/g.svg": (
                '<svg><a xlink:href="../other.html#align-method-dpo"/><a xlink:href="../nope.html"/></svg>'
            ),
        },
    )
    dead = sorted((p.name, link) for p, link in check_links.dead_links(site))
    assert dead == [("g.svg", "../nope.html"), ("index.html", "other.html#gone")]


def test_a_whole_site_passes(tmp_path) -> None:
    site = _site(
        tmp_path, {"index.html": '<a href="sub/">s</a><a href="a%20b.html">a</a>', "sub/index.html": "", "a b.html": ""}
    )
    assert check_links.dead_links(site) == []
    assert check_links.main([str(site)]) == 0
