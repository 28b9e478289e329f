"""The curation rules for ontology/works.yaml, checked record by record.

Why a test: the two researchers who gathered the metadata loosened the rules in
places (dates from sites that copy arXiv, authors from mirrors, ids seen on one
domain only).  These checks make the rules reproducible, so a record that does
not meet them fails here instead of being trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlparse

import pytest
import tldextract
import yaml

from sphinxcontrib_alignsurvey.bibtex.metadata import load_metadata
from sphinxcontrib_alignsurvey.core.works import collect_works
from sphinxcontrib_alignsurvey.reader.references import clean_title
from sphinxcontrib_alignsurvey.core.works import normalise

from .conftest import ROOT

WORKS = ROOT / "ontology" / "works.yaml"

# Only these sites publish an author list taken from the authors themselves or the proceedings.
AUTHOR_DOMAINS = {"arxiv.org", "ar5iv.org", "huggingface.co", "aclanthology.org", "openreview.net"}
# Pages that carry arXiv's own metadata (submission date, id): arXiv, ar5iv and Hugging Face paper
# pages (filled from the arXiv API); ar5iv.labs.arxiv.org counts as arxiv.org.
ARXIV_METADATA_DOMAINS = {"arxiv.org", "ar5iv.org", "huggingface.co"}
# Proceedings, the conference's own site, or the publisher: the only sources for a venue.
VENUE_DOMAINS = {
    "aclanthology.org", "openreview.net", "mlr.press", "nips.cc", "neurips.cc", "icml.cc", "iclr.cc",
    "aaai.org", "ijcai.org", "acm.org", "ieee.org", "springer.com", "sciencedirect.com", "mit.edu",
}
FIELDS = {"title", "authors", "year", "arxiv", "doi", "venue"}
ENTRY_TYPES = {"article", "inproceedings", "misc"}
NEW_ARXIV = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<num>\d{4,5})$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
NAME = re.compile(r"^[^,]+, [^,]+$|^[^,\s]+$")

_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


@lru_cache(maxsize=None)
def registrable(url: str) -> str:
    """huggingface.co and arxiv.org differ; arxiv.org/abs and ar5iv.labs.arxiv.org do not."""
    host = (urlparse(url).hostname or "").rstrip(".").lower()
    parts = _extract(host)
    return parts.top_domain_under_public_suffix or host


def valid_arxiv(identifier: str) -> bool:
    """``YYMM.NNNN`` up to 1412, ``YYMM.NNNNN`` from 1501, months 01-12, from 0704 on."""
    m = NEW_ARXIV.match(identifier)
    if not m:
        return False
    yymm = int(m["yy"] + m["mm"])
    digits = 4 if yymm < 1501 else 5
    return 1 <= int(m["mm"]) <= 12 and yymm >= 704 and len(m["num"]) == digits


def _domains(record: dict, field: str) -> set[str]:
    return {registrable(s["url"]) for s in record.get("sources") or [] if field in s.get("confirms", [])}


def problems(record: dict) -> list[str]:
    """Every rule the record breaks; empty when it is acceptable."""
    out: list[str] = []
    sources = record.get("sources") or []
    for s in sources:
        if not urlparse(s.get("url", "")).hostname:
            out.append(f"source without a URL host: {s!r}")
        unknown = set(s.get("confirms", [])) - FIELDS
        if unknown:
            out.append(f"source {s.get('url')} confirms unknown fields {sorted(unknown)}")
    if not _domains(record, "title"):
        out.append("no source confirms the title")
    arxiv, year = record.get("arxiv"), record.get("year")
    if arxiv is not None:
        if not isinstance(arxiv, str) or not valid_arxiv(arxiv):
            out.append(f"arxiv {arxiv!r} is not a valid YYMM.NNNNN id")
        else:
            if len(_domains(record, "arxiv")) < 2:
                out.append(f"arxiv {arxiv} confirmed by fewer than two domains: {sorted(_domains(record, 'arxiv'))}")
            if not (_domains(record, "arxiv") | _domains(record, "year")) & ARXIV_METADATA_DOMAINS:
                out.append(f"arxiv {arxiv} has no page carrying arXiv's own metadata")
            if year != 2000 + int(arxiv[:2]):
                out.append(f"year {year} is not the year of arXiv v1 ({arxiv[:4]})")
    if year is not None:
        if not isinstance(year, int) or not 1900 < year < 2100:
            out.append(f"year {year!r} is not a year")
        if arxiv is None and not _domains(record, "year"):
            out.append("no source confirms the year")
    authors = record.get("authors")
    if authors is not None:
        if not authors or not all(isinstance(a, str) and NAME.match(a) for a in authors):
            out.append(f"authors must be a non-empty list of 'Family, Given': {authors!r}")
        if not _domains(record, "authors") & AUTHOR_DOMAINS:
            out.append(f"authors not confirmed by {sorted(AUTHOR_DOMAINS)}: {sorted(_domains(record, 'authors'))}")
    doi = record.get("doi")
    if doi is not None:
        if not isinstance(doi, str) or not DOI.match(doi):
            out.append(f"doi {doi!r} is not a bare DOI")
        if not _domains(record, "doi"):
            out.append("no source confirms the DOI")
    venue = record.get("venue")
    if venue is not None and not _domains(record, "venue") & VENUE_DOMAINS:
        out.append(f"venue {venue!r} not confirmed by proceedings: {sorted(_domains(record, 'venue'))}")
    if record.get("entrytype") not in ENTRY_TYPES:
        out.append(f"entrytype {record.get('entrytype')!r} not one of {sorted(ENTRY_TYPES)}")
    if record.get("entrytype") == "inproceedings" and venue is None:
        out.append("an @inproceedings entry needs a confirmed venue")
    return out


def verified_authors_and_year(records: Iterable[dict]) -> int:
    return sum(1 for r in records if r.get("authors") and r.get("year") and not problems(r))


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return yaml.safe_load(WORKS.read_text(encoding="utf-8"))


def test_every_record_meets_the_rules(records: list[dict]) -> None:
    failures = {r["printed"]: problems(r) for r in records if problems(r)}
    assert not failures, "\n".join(f"{t}: {'; '.join(p)}" for t, p in failures.items())


def test_one_record_per_cited_work_sorted(records, survey_a, survey_b) -> None:
    works = collect_works([survey_a, survey_b])
    keys = [normalise(clean_title(r["printed"])) for r in records]
    assert keys == sorted(keys), "records are sorted by normalised printed title"
    assert sorted(keys) == sorted(works), "exactly one record per distinct cited work"


def test_published_title_only_when_it_differs(records, survey_a, survey_b) -> None:
    works = collect_works([survey_a, survey_b])
    for r in records:
        if "published_title" in r:
            assert r["published_title"] != works[normalise(clean_title(r["printed"]))].title, r["printed"]


def test_arxiv_ids_are_unique(records) -> None:
    ids = [r["arxiv"] for r in records if r.get("arxiv")]
    assert len(ids) == len(set(ids))


def test_loader_reads_every_record() -> None:
    assert len(load_metadata(WORKS)) == 150


def test_coverage_of_verified_authors_and_year(records) -> None:
    """Recorded honestly: the figure is the one reported in docs/bibtex.rst."""
    assert verified_authors_and_year(records) >= COVERAGE_FLOOR


COVERAGE_FLOOR = 55  # works with verified authors and year; see docs/bibtex.rst


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"arxiv": "2404.1235"}, "not a valid"),
        ({"arxiv": "2413.12358"}, "not a valid"),
        ({"arxiv": "2404.12358v2"}, "not a valid"),
        ({"arxiv": "2404.12358", "year": 2023}, "not the year of arXiv v1"),
        ({"arxiv": "2404.12358", "sources": [{"url": "https://arxiv.org/abs/2404.12358", "confirms": ["arxiv"]},
                                              {"url": "https://arxiv.org/html/2404.12358", "confirms": ["arxiv"]}]},
         "fewer than two domains"),
        ({"arxiv": "2404.12358", "sources": [{"url": "https://www.emergentmind.com/papers/2404.12358", "confirms": ["arxiv"]},
                                              {"url": "https://tomesphere.com/paper/2404.12358", "confirms": ["arxiv"]}]},
         "no page carrying arXiv's own metadata"),
        ({"authors": ["Leike, Jan"], "sources": [{"url": "https://arxiv.cnoctave.top/abs/1811.07871", "confirms": ["authors"]}]},
         "authors not confirmed"),
        ({"venue": "ICML 2024", "sources": [{"url": "https://www.emergentmind.com/x", "confirms": ["venue"]}]},
         "not confirmed by proceedings"),
        ({"doi": "doi:10.1/x"}, "not a bare DOI"),
    ],
)
def test_checker_rejects(record: dict, expected: str) -> None:
    base = {"printed": "T", "year": 2024, "entrytype": "misc",
            "sources": [{"url": "https://example.org/t", "confirms": ["title", "year"]}]}
    merged = {**base, **record}
    if "sources" in record:
        merged["sources"] = base["sources"] + record["sources"]
    assert any(expected in p for p in problems(merged)), problems(merged)


def test_checker_accepts_a_clean_record() -> None:
    record = {
        "printed": "Scalable agent alignment via reward modeling: a research direction",
        "authors": ["Leike, Jan", "Krueger, David"], "year": 2018, "arxiv": "1811.07871",
        "doi": None, "venue": None, "entrytype": "misc",
        "sources": [
            {"url": "https://arxiv.org/abs/1811.07871", "confirms": ["title", "authors", "year", "arxiv"]},
            {"url": "https://huggingface.co/papers/1811.07871", "confirms": ["title", "arxiv"]},
        ],
    }
    assert problems(record) == []
