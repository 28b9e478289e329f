"""URLs printed with reference titles (issue 15, item 12): identifiers, the ``url`` field, curated metadata first."""

from __future__ import annotations

import bibtexparser
import pytest

from sphinxcontrib_alignsurvey.bibtex import prepare
from sphinxcontrib_alignsurvey.bibtex.export import entry
from sphinxcontrib_alignsurvey.bibtex.urls import PrintedIds, printed_ids
from sphinxcontrib_alignsurvey.core.identifiers import as_uri, identifier
from sphinxcontrib_alignsurvey.core.works import normalise
from sphinxcontrib_alignsurvey.reader import read_text


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("https://arxiv.org/abs/2402.01234", ("arxiv", "2402.01234")),
        ("https://arxiv.org/abs/2402.01234v3", ("arxiv", "2402.01234")),
        ("http://arxiv.org/pdf/2402.01234v2.pdf", ("arxiv", "2402.01234")),
        ("https://arxiv.org/pdf/2402.01234", ("arxiv", "2402.01234")),
        ("https://www.arxiv.org/abs/1706.0374", ("arxiv", "1706.0374")),
        ("https://export.arxiv.org/abs/2402.01234", ("arxiv", "2402.01234")),
        ("https://ARXIV.org/html/2402.01234v1", ("arxiv", "2402.01234")),
        ("https://doi.org/10.1145/3442188.3445922", ("doi", "10.1145/3442188.3445922")),
        ("https://dx.doi.org/10.1000/a%2Fb", ("doi", "10.1000/a/b")),
        ("https://doi.org/10.48550/arXiv.2402.01234", ("arxiv", "2402.01234")),
        ("https://arxiv.org/abs/hep-th/9901001", None),  # an old-style id: kept as a plain url
        ("https://arxiv.org/list/cs.CL/recent", None),
        ("https://doi.org/not-a-doi", None),
        ("https://example.org/arxiv.org/abs/2402.01234", None),
        ("https://github.com/example/doi.org", None),
    ],
)
def test_identifier(url, found):
    assert identifier(url) == found


@pytest.mark.parametrize(
    ("printed", "uri"),
    [
        ("https://example.org/a?b=1&c=2#d", "https://example.org/a?b=1&c=2#d"),
        ("www.example.org/p", "https://www.example.org/p"),  # no scheme printed: https assumed
        ("HTTP://Example.org/p", "HTTP://Example.org/p"),
        ("https://example.org/{x}\\y", "https://example.org/%7Bx%7D%5Cy"),  # would unbalance a BibTeX field
        ("https://example.org/a%20b", "https://example.org/a%20b"),  # escapes already made stay
        ("https://example.org/对齐", "https://example.org/%E5%AF%B9%E9%BD%90"),
    ],
)
def test_as_uri(printed, uri):
    assert as_uri(printed) == uri


def test_printed_ids_take_the_first_of_each_kind():
    urls = [
        "https://example.org/first",
        "https://arxiv.org/abs/2402.00002",
        "https://example.org/second",
        "https://arxiv.org/abs/2402.00001",
        "https://doi.org/10.5555/x",
    ]
    assert printed_ids(urls) == PrintedIds("2402.00002", "10.5555/x", "https://example.org/first")
    assert printed_ids([]) == PrintedIds()


SURVEY = """# A Survey

## 1 Introduction

Text cites [1], [2], [3] and [4].

## References

[1] A General Language Assistant as a Laboratory for Alignment https://arxiv.org/abs/2101.99999

[2] An Uncurated Preprint on Reward Models [https://arxiv.org/pdf/2402.01234v2.pdf](https://arxiv.org/pdf/2402.01234v2.pdf)

[3] An Uncurated Article on Oversight https://doi.org/10.5555/over.sight

[4] An Uncurated Blog Post on Debate <https://example.org/debate>
"""

OTHER = """# Another Survey

## 1 Introduction

Text cites [1].

## References

[1] A General Language Assistant as a Laboratory for Alignment https://example.org/assistant
"""


@pytest.fixture(scope="module")
def records():
    surveys = [read_text(SURVEY, "urls.md"), read_text(OTHER, "other.md")]
    assert not [e for s in surveys for e in s.errors]
    return {r.normalised: r for r in prepare(surveys).records.values()}


def record(records, title):
    return records[normalise(title)]


def test_an_arxiv_or_doi_url_gives_the_identifier_not_a_bare_url(records):
    preprint = record(records, "An Uncurated Preprint on Reward Models")
    assert (preprint.arxiv, preprint.doi, preprint.url) == ("2402.01234", None, None)
    fields = entry(preprint).fields_dict
    assert fields["eprint"].value == "2402.01234" and fields["eprinttype"].value == "arXiv"
    assert fields["url"].value == "https://arxiv.org/abs/2402.01234"
    article = record(records, "An Uncurated Article on Oversight")
    assert (article.arxiv, article.doi, article.url) == (None, "10.5555/over.sight", None)
    assert entry(article).fields_dict["doi"].value == "10.5555/over.sight"


def test_any_other_url_is_the_url_field(records):
    blog = record(records, "An Uncurated Blog Post on Debate")
    assert (blog.arxiv, blog.doi, blog.url) == (None, None, "https://example.org/debate")
    fields = entry(blog).fields_dict
    assert fields["url"].value == "https://example.org/debate"
    assert "eprint" not in fields and "doi" not in fields


def test_curated_metadata_wins_over_a_printed_url(records):
    # works.yaml gives this work arXiv 2112.00861; one survey printed another id, one a web page
    curated = record(records, "A General Language Assistant as a Laboratory for Alignment")
    assert (curated.arxiv, curated.doi, curated.url) == ("2112.00861", None, "https://example.org/assistant")
    fields = entry(curated).fields_dict
    assert fields["eprint"].value == "2112.00861"
    assert fields["url"].value == "https://arxiv.org/abs/2112.00861"  # the identifier's page first


def test_titles_and_keys_carry_no_url(records):
    for r in records.values():
        assert "http" not in r.title and "example" not in r.title and "arxiv" not in r.title.lower()
        assert not any(piece in r.key for piece in ("http", "arxiv", "example", "doi", "www"))


def test_a_users_url_wins(records, tmp_path):
    survey = read_text(SURVEY, "urls.md")
    mine = tmp_path / "mine.bib"
    mine.write_text(
        "@misc{blog, title = {An Uncurated Blog Post on Debate}, url = {https://example.com/mine}}\n", encoding="utf-8"
    )
    bibliography = prepare([survey], [mine])
    blog = bibliography.records[normalise("An Uncurated Blog Post on Debate")]
    assert blog.url == "https://example.com/mine"
    assert [(c.field, c.ours, c.theirs) for c in bibliography.conflicts] == [
        ("url", "https://example.org/debate", "https://example.com/mine")
    ]


FIELDS = ("eprint", "doi", "url")


def test_the_converted_bib_files(url_outputs):
    """Both URL shapes, three surveys: the .bib entries and the per-survey files."""
    library = bibtexparser.parse_file(str(url_outputs / "references.bib"))
    assert not library.failed_blocks
    got = {
        e.fields_dict["title"].value: (e.key, *(e.fields_dict[f].value if f in e.fields_dict else None for f in FIELDS))
        for e in library.entries
    }
    assert got == {
        "A General Language Assistant as a Laboratory for Alignment": (
            "askell2021general",
            "2112.00861",
            "10.48550/arXiv.2112.00861",
            "https://arxiv.org/abs/2112.00861",
        ),
        "Ensembles of Reward Models against Overoptimisation": (
            "ensemblesreward",
            "2402.01234",
            "10.48550/arXiv.2402.01234",
            "https://arxiv.org/abs/2402.01234",
        ),
        "Preference Optimisation without Rewards": (
            "preferenceoptimisation",
            None,
            "10.5555/pref.opt.2024",
            "https://doi.org/10.5555/pref.opt.2024",
        ),
        # printed as debate-v2 by two references and as debate-v1 by one
        "Scalable Oversight through Structured Debate": (
            "scalableoversight",
            None,
            None,
            "https://example.org/debate-v2",
        ),
        "Interpreting Reward Models by Probing": (
            "interpretingreward",
            None,
            None,
            "https://www.example.org/probing?a=1&b=%7B2%7D",
        ),
    }
    survey_b = (url_outputs / "urls-b.bib").read_text(encoding="utf-8")
    assert "url = {https://example.org/debate-v2}" in survey_b  # one entry per work, in every file
