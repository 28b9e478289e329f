"""With sphinxcontrib-bibtex: the generated .bib is used, :cite:p: and paper cards agree."""

from __future__ import annotations

import re

import pytest

from .conftest import build

pytestmark = pytest.mark.sphinx("html", testroot="alignsurvey-bibtex")


def test_generated_bibtex_cite_and_card_link(app):
    result = build(app)
    assert result.warning_lines() == []
    bib = (app.srcdir / "_generated" / "references.bib").read_text()
    assert "@misc{wang2023beyond," in bib or "{wang2023beyond," in bib
    index = result.text("index.html")
    works = result.text("works.html")
    # the bibliography entry exists and both the :cite:p: and the paper card link to it
    m = re.search(r'id="(id\d+|[^"]*wang2023beyond[^"]*)"[^>]*>[^<]*<span[^>]*>[^<]*Wa', works) or re.search(
        r'<div class="citation" id="([^"]+)"', works
    )
    assert m, works[:2000]
    links = re.findall(r'href="works.html#([^"]+)"', index)
    assert len(links) >= 2 and len(set(links)) >= 1
    card = index[index.index('id="align-paper-wang2023beyond"') :]
    assert "Bibliography" in card[:2500] and 'href="works.html#' in card[:2500]
    # one label style on the card: the citation shows the BibTeX key of the badge, not the style's "[1]"
    bibliography = card[card.index("Bibliography") : card.index("</dd>", card.index("Bibliography"))]
    assert re.search(
        r'<a class="reference internal" href="works.html#[^"]+"[^>]*><code[^>]*><span class="pre">'
        r"wang2023beyond</span></code></a>",
        bibliography,
    ), bibliography
    assert "[" not in re.sub(r"<[^>]+>", "", bibliography)


def test_bibtex_file_is_not_rewritten_when_unchanged(srcdir, make_marked_app):
    build(make_marked_app())
    bib = srcdir / "_generated" / "references.bib"
    mtime = bib.stat().st_mtime_ns
    second = build(make_marked_app())
    assert bib.stat().st_mtime_ns == mtime
    assert "0 changed" in second.status or "no targets are out of date" in second.status


@pytest.mark.sphinx("html", testroot="alignsurvey-bibtex")
def test_citations_do_not_scan_the_installed_packages_each(srcdir, make_marked_app, monkeypatch):
    # sphinxcontrib-bibtex looks pybtex's plaintext backend up per citation it resolves; each look-up of an
    # installed plugin scans every package's entry points (0.6 s of the handbook's build for 167 citations)
    import pybtex.plugin

    scans = []
    real = pybtex.plugin.entry_points

    def counted(**selection):
        scans.append(selection)
        return real(**selection)

    monkeypatch.setattr(pybtex.plugin, "entry_points", counted)
    with (srcdir / "index.rst").open("a", encoding="utf-8") as page:
        page.write("\n" + "".join(f"Cited again :cite:p:`wang2023beyond` ({k}).\n\n" for k in range(20)))
    result = build(make_marked_app())
    assert result.warning_lines() == []
    assert result.text("index.html").count('href="works.html#') >= 22  # every citation resolved
    # the look-ups made while setting the backend up, not one per citation
    assert scans.count({"group": "pybtex.backends", "name": "plaintext"}) <= 3
