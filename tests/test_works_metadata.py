"""The sourcing policy for ontology/works.yaml, checked record by record.

Why a test: author lists, years and identifiers were gathered by hand from
public pages of very uneven reliability.  These checks make the policy in
docs/bibtex.rst ("Sourcing policy") reproducible: a field is kept only when one
source authoritative for it, or two independent sources that agree, confirm it;
every address is canonical (no proxy or mirror); an arXiv id agrees with its
year; a venue fixes the entry type and the year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

import pytest
import tldextract
import yaml

from sphinxcontrib_alignsurvey.bibtex.metadata import ENTRY_TYPES, RECORD_KEYS, load_metadata
from sphinxcontrib_alignsurvey.core.works import collect_works, normalise
from sphinxcontrib_alignsurvey.reader.references import clean_title

from .conftest import ROOT

WORKS = ROOT / "ontology" / "works.yaml"

FIELDS = {"title", "authors", "year", "arxiv", "doi", "venue"}
KINDS = {"arxiv", "publisher", "proceedings", "openreview", "dblp", "author-bibtex", "secondary"}
# What one source of each kind settles on its own.  A venue needs the proceedings or the publisher
# (or DBLP's record of them, or an accepted OpenReview paper); the authors' own BibTeX is first-hand
# for their names and the preprint, not for where the paper appeared.
AUTHORITATIVE_FOR = {
    "arxiv": {"title", "authors", "year", "arxiv"},
    "publisher": {"title", "authors", "year", "doi", "venue"},
    "proceedings": {"title", "authors", "year", "doi", "venue"},
    "openreview": {"title", "authors", "year", "venue"},
    "dblp": FIELDS,
    "author-bibtex": {"title", "authors", "year", "arxiv", "doi"},
    "secondary": set(),
}
# Where each authoritative kind lives (registrable domains).  A copy read elsewhere is recorded
# under the canonical address with `via` saying how it was read.
KIND_DOMAINS = {
    "arxiv": {"arxiv.org"},
    "openreview": {"openreview.net"},
    "dblp": {"dblp.org"},
    "proceedings": {
        "mlr.press",
        "aclanthology.org",
        "neurips.cc",
        "icml.cc",
        "iclr.cc",
        "aaai.org",
        "ijcai.org",
    },
    "publisher": {
        "doi.org",
        "acm.org",
        "ieee.org",
        "springer.com",
        "sciencedirect.com",
        "plos.org",
        "liebertpub.com",
        "wiley.com",
        "nature.com",
    },
}
# Aggregators seen to reorder, truncate or invent author lists, or to file papers under wrong ids:
# never a source for the fields listed.
UNRELIABLE = {
    "arxivlens.com": {"authors"},  # lists authors alphabetically in its BibTeX
    "42papers.com": {"authors"},  # cuts author lists after 20 names
    "tomesphere.com": {"authors"},  # split names at commas and dropped the tail of a 26-name list
    "pith.science": {"authors"},  # lists arXiv authors sorted by given name
    "meno.sh": {"authors"},  # gave wrong co-authors
    "google.com": {"authors"},  # Scholar truncates long author lists with an ellipsis
    "researchgate.net": {"authors"},  # truncates long author lists
    "grokipedia.com": FIELDS,  # gave an invented author list
    "fate-oracle.com": FIELDS,  # gave wrong arXiv ids
    "dp.tech": {"arxiv"},  # bohrium.dp.tech files some papers under another paper's arXiv id
}
# Proxies and mirrors seen in earlier versions of this file; structural checks below catch others.
PROXY_HOSTS = {
    "anonyproxies.com",
    "rhythmusic.net",
    "paperai.life",
    "cnoctave.top",
    "boxedpaper.com",
    "prescheme.top",
    "salvatore.rest",
    "longhoe.net",
    "bingheai.cn",
    "rst.im",
    "xodi.top",
    "xwall.us.kg",
    "g-215.ru",
    "kigml.com",
    "hf-mirror.com",
    "erdda.com",
    "lnyan.com",
    "selenelake.com",
    "workers.dev",
    "qichangzheng.net",
    "dothings.top",
    "dpdns.org",
    "zsm.im",
    "accos.tk",
    "kk6lht.com",
    "qwak.ai",
    "hugflare.com",
    "keenetic.pro",
    "hatenablog-parts.com",
    "cloudfront.net",
}
AUTHORS_FROM = re.compile(r"^(arXiv v[1-9]\d*|arXiv latest|published)$")
NEW_ARXIV = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<num>\d{4,5})$")
ARXIV_PAGE = re.compile(r"^/(abs|html|pdf)/\d{4}\.\d{4,5}")
HF_PAGE = re.compile(r"^/papers/\d{4}\.\d{4,5}")
EMBEDDED_URL = re.compile(r"(https?(%3A|:)(%2F|/){2}|aHR0c)", re.IGNORECASE)
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
NAME = re.compile(r"^[^,]+, [^,]+$|^[^,\s]+$")
YEAR_IN_VENUE = re.compile(r"\b(19|20)\d{2}\b")

_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


@cache
def registrable(url: str) -> str:
    """huggingface.co and arxiv.org differ; arxiv.org/abs and export.arxiv.org do not."""
    host = (urlparse(url).hostname or "").rstrip(".").lower()
    parts = _extract(host)
    return parts.top_domain_under_public_suffix or host


_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org", "ar5iv.org", "ar5iv.labs.arxiv.org"}
_TRACKING = re.compile(r"^(utm_\w+|context|locale|from|ref|lang)$")


def canonical_url(url: str) -> str:
    """The address a source is recorded under: https, no tracking, arXiv pages as /abs/ID."""
    parts = urlparse(url.strip())
    host = (parts.hostname or "").rstrip(".").lower()
    path = parts.path
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    if host in _ARXIV_HOSTS or host.endswith(".arxiv.org"):
        m = re.search(r"(\d{4}\.\d{4,5})", path)
        host, query = "arxiv.org", []
        path = f"/abs/{m.group(1)}" if m else path
    elif host in {"hf.co", "www.huggingface.co"}:
        host = "huggingface.co"
    elif host in {"nips.cc", "www.nips.cc", "www.neurips.cc"}:
        host = "neurips.cc"
    elif host == "papers.nips.cc":
        host = "proceedings.neurips.cc"
    elif host in {"www.iclr.cc", "www.icml.cc", "www.openreview.net", "www.aclanthology.org"}:
        host = host[4:]
    elif host in {"dx.doi.org", "www.doi.org"}:
        host = "doi.org"
    elif host == "dblp.uni-trier.de":
        host = "dblp.org"
    if host == "dblp.org":
        path = re.sub(r"\.(bib|html|xml)$", "", path)
    if host == "openreview.net" and path == "/pdf":
        path = "/forum"
    return urlunparse(("https", host, path, "", urlencode(query), ""))


def proxy_reason(url: str) -> str | None:
    """Why *url* is a proxy or mirror address rather than the page's own, or None."""
    parts = urlparse(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if registrable(url) in PROXY_HOSTS or any(host.endswith("." + p) or host == p for p in PROXY_HOSTS):
        return f"{host} is a proxy or mirror"
    if EMBEDDED_URL.search(parts.path[1:] + "?" + parts.query):
        return "the address wraps another address"
    if registrable(url) != "arxiv.org" and ARXIV_PAGE.match(parts.path):
        return f"{host} serves a copy of an arXiv page"
    labels = set(re.split(r"[.-]", host))
    if registrable(url) != "huggingface.co" and HF_PAGE.match(parts.path) and labels & {"hf", "huggingface"}:
        return f"{host} serves a copy of a Hugging Face page"
    return None


def valid_arxiv(identifier: str) -> bool:
    """``YYMM.NNNN`` up to 1412, ``YYMM.NNNNN`` from 1501, months 01-12, from 0704 on."""
    m = NEW_ARXIV.match(identifier)
    if not m:
        return False
    yymm = int(m["yy"] + m["mm"])
    digits = 4 if yymm < 1501 else 5
    return 1 <= int(m["mm"]) <= 12 and yymm >= 704 and len(m["num"]) == digits


def v1_years(identifier: str) -> set[int]:
    """Years arXiv v1 can carry: the id's year, or the year before for a January id that was
    submitted in December and announced after the new year (the id follows the announcement)."""
    yy, mm = int(identifier[:2]), int(identifier[2:4])
    return {2000 + yy, 2000 + yy - 1} if mm == 1 else {2000 + yy}


def confirmed(record: dict, field: str) -> tuple[bool, str]:
    """One authoritative source, or two agreeing sources on distinct domains (none unreliable)."""
    backers = [s for s in record.get("sources") or [] if field in s.get("confirms", [])]
    if field == "year" and record.get("arxiv_year") is not None:
        # the arXiv record dates v1 (arxiv_year); the later published year needs another source
        backers = [s for s in backers if s.get("kind") != "arxiv"]
    if any(field in AUTHORITATIVE_FOR.get(s.get("kind"), set()) for s in backers):
        return True, ""
    if field == "venue":
        return False, "a venue needs a proceedings, publisher, DBLP or OpenReview source"
    domains = {registrable(s["url"]) for s in backers if field not in UNRELIABLE.get(registrable(s["url"]), ())}
    if len(domains) >= 2:
        return True, ""
    return False, f"{field} has no authoritative source and fewer than two independent ones: {sorted(domains)}"


def source_problems(s: dict) -> list[str]:
    out: list[str] = []
    url = s.get("url", "")
    if not isinstance(url, str) or not urlparse(url).hostname:
        return [f"source without a URL host: {s!r}"]
    if set(s) - {"url", "kind", "confirms", "via"}:
        out.append(f"source {url} has unknown keys {sorted(set(s) - {'url', 'kind', 'confirms', 'via'})}")
    if reason := proxy_reason(url):
        out.append(f"source {url}: {reason}; record the canonical address and say how it was read in `via`")
    if canonical_url(url) != url:
        out.append(f"source {url} is not in canonical form ({canonical_url(url)})")
    kind = s.get("kind")
    if kind not in KINDS:
        out.append(f"source {url} has kind {kind!r}, not one of {sorted(KINDS)}")
    elif kind in KIND_DOMAINS and registrable(url) not in KIND_DOMAINS[kind]:
        out.append(f"source {url} is not on a {kind} domain {sorted(KIND_DOMAINS[kind])}")
    if kind == "arxiv" and not re.fullmatch(r"https://arxiv\.org/abs/\d{4}\.\d{4,5}", url):
        out.append(f"arXiv source {url} must be https://arxiv.org/abs/ID")
    confirms = s.get("confirms")
    if not confirms or not isinstance(confirms, list):
        out.append(f"source {url} confirms nothing")
    elif set(confirms) - FIELDS:
        out.append(f"source {url} confirms unknown fields {sorted(set(confirms) - FIELDS)}")
    unreliable = set(confirms or []) & set(UNRELIABLE.get(registrable(url), ()))
    if kind == "secondary" and unreliable:
        out.append(f"source {url} is an aggregator known to get {sorted(unreliable)} wrong")
    if "via" in s and not (isinstance(s["via"], str) and s["via"].strip()):
        out.append(f"source {url} has an empty `via`")
    return out


def problems(record: dict) -> list[str]:
    """Every rule the record breaks; empty when it is acceptable."""
    out: list[str] = []
    if set(record) - RECORD_KEYS:
        out.append(f"unknown keys {sorted(set(record) - RECORD_KEYS)}")
    sources = record.get("sources") or []
    for s in sources:
        out += source_problems(s)
    if not any("title" in s.get("confirms", []) for s in sources):
        out.append("no source confirms the title")
    urls = [s.get("url") for s in sources]
    if len(urls) != len(set(urls)):
        out.append("a source address is listed twice")

    arxiv, year, arxiv_year = record.get("arxiv"), record.get("year"), record.get("arxiv_year")
    venue, entrytype = record.get("venue"), record.get("entrytype")
    if arxiv is not None:
        if not isinstance(arxiv, str) or not valid_arxiv(arxiv):
            out.append(f"arxiv {arxiv!r} is not a valid YYMM.NNNNN id")
        else:
            arxiv_sources = [s for s in sources if "arxiv" in s.get("confirms", [])]
            if not any(s.get("kind") == "arxiv" and s["url"].endswith("/" + arxiv) for s in arxiv_sources):
                ok, why = confirmed(record, "arxiv")
                if not ok:
                    out.append(f"arxiv {arxiv}: no arXiv page for it and {why}")
            first = arxiv_year if arxiv_year is not None else year
            if first not in v1_years(arxiv):
                out.append(f"year of arXiv v1 ({first}) does not fit the id {arxiv}")
    if arxiv_year is not None:
        if arxiv is None:
            out.append("arxiv_year without an arXiv id")
        if arxiv_year == year:
            out.append("arxiv_year is only written when it differs from year")
    if year is not None:
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 < year < 2100:
            out.append(f"year {year!r} is not a year")
        elif not (arxiv is not None and arxiv_year is None) and not confirmed(record, "year")[0]:
            out.append(confirmed(record, "year")[1])

    authors = record.get("authors")
    if authors is not None:
        if not authors or not all(isinstance(a, str) and NAME.match(a) for a in authors):
            out.append(f"authors must be a non-empty list of 'Family, Given': {authors!r}")
        ok, why = confirmed(record, "authors")
        if not ok:
            out.append(why)
        source = record.get("authors_from")
        if not isinstance(source, str) or not AUTHORS_FROM.match(source):
            out.append(f"authors_from {source!r} must be 'arXiv vN', 'arXiv latest' or 'published'")
        elif source.startswith("arXiv") and arxiv is None:
            out.append("authors from an arXiv version, but no arXiv id")
    elif record.get("authors_from") is not None:
        out.append("authors_from without authors")

    doi = record.get("doi")
    if doi is not None:
        if not isinstance(doi, str) or not DOI.match(doi):
            out.append(f"doi {doi!r} is not a bare DOI")
        ok, why = confirmed(record, "doi")
        if not ok:
            out.append(why)
    if venue is not None:
        ok, why = confirmed(record, "venue")
        if not ok:
            out.append(why)
        m = YEAR_IN_VENUE.search(venue)
        if m and year != int(m.group(0)):
            out.append(f"year {year} disagrees with the venue {venue!r}")
        expected = "inproceedings" if m else "article"
        if entrytype != expected:
            out.append(f"venue {venue!r} makes the entry @{expected}, not @{entrytype}")
    elif entrytype != "misc":
        out.append(f"@{entrytype} needs a confirmed venue; a work without one is @misc")
    if entrytype not in ENTRY_TYPES:
        out.append(f"entrytype {entrytype!r} not one of {sorted(ENTRY_TYPES)}")
    if not isinstance(record.get("note"), str) or not record["note"].strip():
        out.append("every record says in `note` how it was checked")
    return out


def complete(record: dict) -> bool:
    """Verified authors, year and an identifier: what a reference manager needs."""
    return bool(record.get("authors") and record.get("year") and (record.get("arxiv") or record.get("doi")))


def coverage(records: Iterable[dict]) -> dict[str, int]:
    records = list(records)
    one = sum(1 for r in records if r.get("authors") and _single_authority(r))
    return {
        "works": len(records),
        "authors": sum(1 for r in records if r.get("authors")),
        "year": sum(1 for r in records if r.get("year")),
        "identifier": sum(1 for r in records if r.get("arxiv") or r.get("doi")),
        "complete": sum(1 for r in records if complete(r)),
        "authors_one_authority": one,
        "authors_two_sources": sum(1 for r in records if r.get("authors")) - one,
        "not_found": sum(1 for r in records if "not found" in (r.get("note") or "")),
    }


def _single_authority(record: dict) -> bool:
    return any(
        "authors" in s.get("confirms", []) and "authors" in AUTHORITATIVE_FOR.get(s.get("kind"), set())
        for s in record.get("sources") or []
    )


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return yaml.safe_load(WORKS.read_text(encoding="utf-8"))


def test_every_record_meets_the_policy(records: list[dict]) -> None:
    failures = {r["printed"]: problems(r) for r in records if problems(r)}
    assert not failures, "\n".join(f"{t}: {'; '.join(p)}" for t, p in failures.items())


def test_no_proxy_or_mirror_address(records: list[dict]) -> None:
    found = [s["url"] for r in records for s in r.get("sources") or [] if proxy_reason(s["url"])]
    assert not found, found


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


def test_identifiers_are_unique(records) -> None:
    for field in ("arxiv", "doi"):
        ids = [r[field] for r in records if r.get(field)]
        assert len(ids) == len(set(ids)), field


def test_loader_reads_every_record() -> None:
    loaded = load_metadata(WORKS)
    assert len(loaded) == 150
    assert sum(1 for m in loaded.values() if m.authors_from) == sum(1 for m in loaded.values() if m.authors)


def test_coverage_of_complete_records(records) -> None:
    """Target: >= 95% of the works with verified authors, year and an identifier (docs/bibtex.rst)."""
    figures = coverage(records)
    assert figures["complete"] >= COVERAGE_FLOOR, figures


COVERAGE_FLOOR = 144  # reached (96%); the target is 143 (95% of 150), see docs/bibtex.rst


def _clean() -> dict:
    return {
        "printed": "Scalable agent alignment via reward modeling: a research direction",
        "authors": ["Leike, Jan", "Krueger, David"],
        "authors_from": "arXiv v1",
        "year": 2018,
        "arxiv": "1811.07871",
        "doi": None,
        "venue": None,
        "entrytype": "misc",
        "sources": [
            {
                "url": "https://arxiv.org/abs/1811.07871",
                "kind": "arxiv",
                "confirms": ["title", "authors", "year", "arxiv"],
            },
        ],
        "note": "arXiv abs page.",
    }


def test_checker_accepts_a_clean_record() -> None:
    assert problems(_clean()) == []


def test_checker_accepts_two_agreeing_secondary_sources() -> None:
    record = _clean()
    record["sources"] = [
        {"url": "https://huggingface.co/papers/1811.07871", "kind": "secondary", "confirms": ["title", "arxiv"]},
        {
            "url": "https://www.emergentmind.com/papers/1811.07871",
            "kind": "secondary",
            "confirms": ["title", "authors", "arxiv"],
        },
        {"url": "https://www.sciencestack.ai/paper/1811.07871", "kind": "secondary", "confirms": ["authors"]},
    ]
    assert problems(record) == []


def _with(**changes) -> dict:
    record = _clean()
    extra = changes.pop("extra_sources", [])
    record.update(changes)
    record["sources"] = record["sources"] + extra
    return record


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (_with(arxiv="2404.1235"), "not a valid"),
        (_with(arxiv="2413.12358"), "not a valid"),
        (_with(arxiv="2404.12358v2"), "not a valid"),
        (_with(arxiv="1912.07871"), "does not fit the id"),
        (_with(year=2019, arxiv_year=2018), "year has no authoritative source"),
        (_with(year=2019), "does not fit the id"),
        (_with(arxiv_year=2018), "only written when it differs"),
        (
            _with(
                sources=[
                    {
                        "url": "https://www.emergentmind.com/papers/1811.07871",
                        "kind": "secondary",
                        "confirms": ["title", "authors", "arxiv"],
                    }
                ]
            ),
            "fewer than two independent",
        ),
        (
            _with(
                sources=[
                    {"url": "https://arxivlens.com/x", "kind": "secondary", "confirms": ["title", "authors"]},
                    {
                        "url": "https://tomesphere.com/paper/1811.07871",
                        "kind": "secondary",
                        "confirms": ["title", "authors", "arxiv"],
                    },
                    {"url": "https://huggingface.co/papers/1811.07871", "kind": "secondary", "confirms": ["arxiv"]},
                ]
            ),
            "known to get ['authors'] wrong",
        ),
        (
            _with(
                extra_sources=[
                    {
                        "url": "https://anonyproxies.com/a2/index.php?q=https%3A%2F%2Farxiv.org%2Fabs%2F1811.07871",
                        "kind": "arxiv",
                        "confirms": ["title"],
                    }
                ]
            ),
            "proxy or mirror",
        ),
        (
            _with(
                extra_sources=[
                    {
                        "url": "https://rhythmusic.net/De1337/nothing/index.php?q=aHR0cHM6Ly9hY2xhbnRob2xvZ3kub3Jn",
                        "kind": "proceedings",
                        "confirms": ["venue"],
                    }
                ]
            ),
            "proxy or mirror",
        ),
        (
            _with(
                extra_sources=[
                    {
                        "url": "https://arxiv.example-mirror.top/abs/1811.07871",
                        "kind": "secondary",
                        "confirms": ["title"],
                    }
                ]
            ),
            "serves a copy",
        ),
        (
            _with(
                extra_sources=[
                    {"url": "https://hf.some-mirror.ru/papers/1811.07871", "kind": "secondary", "confirms": ["title"]}
                ]
            ),
            "serves a copy",
        ),
        (
            _with(
                extra_sources=[
                    {"url": "https://proxy.example/https://doi.org/10.1/x", "kind": "secondary", "confirms": ["title"]}
                ]
            ),
            "wraps another address",
        ),
        (
            _with(
                sources=[
                    {
                        "url": "http://arxiv.org/abs/1811.07871v2?context=cs",
                        "kind": "arxiv",
                        "confirms": ["title", "authors", "year", "arxiv"],
                    }
                ]
            ),
            "not in canonical form",
        ),
        (
            _with(
                sources=[
                    {
                        "url": "https://ar5iv.labs.arxiv.org/html/1811.07871",
                        "kind": "arxiv",
                        "confirms": ["title", "authors", "year", "arxiv"],
                    }
                ]
            ),
            "not in canonical form",
        ),
        (
            _with(
                extra_sources=[
                    {"url": "https://tomesphere.com/paper/1811.07871", "kind": "arxiv", "confirms": ["title"]}
                ]
            ),
            "not on a arxiv domain",
        ),
        (_with(extra_sources=[{"url": "https://x.org/1", "kind": "blog", "confirms": ["title"]}]), "has kind"),
        (_with(authors_from=None), "authors_from"),
        (_with(authors_from="arXiv"), "authors_from"),
        (
            _with(
                arxiv=None,
                year=2018,
                sources=[{"url": "https://dblp.org/rec/x", "kind": "dblp", "confirms": ["title", "authors", "year"]}],
            ),
            "no arXiv id",
        ),
        (_with(authors=None), "authors_from without authors"),
        (
            _with(
                venue="ICML 2024",
                entrytype="inproceedings",
                year=2024,
                arxiv_year=2018,
                extra_sources=[
                    {"url": "https://www.emergentmind.com/x", "kind": "secondary", "confirms": ["venue"]},
                    {"url": "https://tomesphere.com/x", "kind": "secondary", "confirms": ["venue"]},
                ],
            ),
            "a venue needs",
        ),
        (
            _with(
                venue="ICML 2019",
                entrytype="inproceedings",
                extra_sources=[
                    {"url": "https://proceedings.mlr.press/v97/x.html", "kind": "proceedings", "confirms": ["venue"]}
                ],
            ),
            "disagrees with the venue",
        ),
        (
            _with(
                venue="ICML 2018",
                entrytype="misc",
                extra_sources=[
                    {"url": "https://proceedings.mlr.press/v80/x.html", "kind": "proceedings", "confirms": ["venue"]}
                ],
            ),
            "makes the entry @inproceedings",
        ),
        (
            _with(
                venue="Minds and Machines",
                entrytype="inproceedings",
                extra_sources=[{"url": "https://doi.org/10.1007/x", "kind": "publisher", "confirms": ["venue"]}],
            ),
            "makes the entry @article",
        ),
        (_with(entrytype="inproceedings"), "needs a confirmed venue"),
        (_with(doi="doi:10.1/x"), "not a bare DOI"),
        (_with(note=""), "how it was checked"),
    ],
)
def test_checker_rejects(record: dict, expected: str) -> None:
    assert any(expected in p for p in problems(record)), problems(record)


def test_a_january_id_may_carry_the_previous_year() -> None:
    record = _with(
        arxiv="2401.06785",
        year=2023,
        sources=[
            {
                "url": "https://arxiv.org/abs/2401.06785",
                "kind": "arxiv",
                "confirms": ["title", "authors", "year", "arxiv"],
            }
        ],
    )
    assert problems(record) == []
    record["arxiv"] = "2402.01694"
    assert any("does not fit the id" in p for p in problems(record))


def test_venue_year_with_arxiv_year_kept_apart() -> None:
    record = _with(
        venue="ICLR 2020",
        entrytype="inproceedings",
        year=2020,
        arxiv_year=2018,
        extra_sources=[
            {"url": "https://openreview.net/forum?id=x", "kind": "openreview", "confirms": ["venue", "year"]}
        ],
    )
    assert problems(record) == []
