"""A paper card links the address a survey printed for the work (fabio:hasURL)."""

from __future__ import annotations

from .conftest import URL_SURVEYS, build


def test_paper_card_links_the_printed_url(tmp_path, make_app):
    """The project is written here: its sources are the URL surveys of conftest.py."""
    for name, text in URL_SURVEYS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    sources = sorted(URL_SURVEYS)
    (tmp_path / "conf.py").write_text(
        f'extensions = ["sphinxcontrib_alignsurvey"]\nalignsurvey_sources = {sources!r}\n'
        'exclude_patterns = ["urls-*.md"]\n',
        encoding="utf-8",
    )
    (tmp_path / "index.rst").write_text(
        "Papers\n======\n\n"
        ".. align:paper:: Scalable Oversight through Structured Debate\n\n"
        ".. align:paper:: A General Language Assistant as a Laboratory for Alignment\n\n"
        ".. align:paper:: Ensembles of Reward Models against Overoptimisation\n",
        encoding="utf-8",
    )
    result = build(make_app("html", srcdir=tmp_path))
    html = result.text("index.html")
    # the address two references print wins over the one a third prints, and it is a link
    assert 'href="https://example.org/debate-v2"' in html
    assert "debate-v1" not in html
    # a printed arXiv address became the work's identifier, shown as arXiv:ID, not as a bare URL
    assert '<a class="reference external" href="https://arxiv.org/abs/2402.01234">arXiv:2402.01234</a>' in html
    assert "2402.01234v2.pdf" not in html
    # a curated work keeps its own arXiv id; the id its survey printed is not shown
    assert ">arXiv:2112.00861</a>" in html
    assert "2101.99999" not in html
