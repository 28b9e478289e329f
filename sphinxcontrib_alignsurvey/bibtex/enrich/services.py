"""The bibliographic services: how to ask them, and how to read their answers.

Why arXiv and Crossref: most works an alignment survey cites are arXiv
preprints, and arXiv's own API is the authoritative record of their authors,
first-version date and id (our sourcing policy counts it on its own).  Works
that were published get their DOI, venue and type from Crossref, the DOI
registry.  Both answer without a key; both ask to be identified (Crossref's
"polite pool" takes a ``mailto``) and arXiv asks for one request every three
seconds, which :mod:`.http` enforces.  Answers are parsed from the formats the
services document (arXiv's Atom feed, Crossref's ``/works`` JSON).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode

from .http import ServiceError, Transport

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
ARXIV_HOST = "export.arxiv.org"
CROSSREF_HOST = "api.crossref.org"
INTERVALS = {ARXIV_HOST: 3.0, CROSSREF_HOST: 1.0}
_ABS = re.compile(r"arxiv\.org/abs/(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v(?P<v>\d+))?$")
# Crossref types that are a publication of the work itself (not a review, a component or a dataset).
PUBLISHED_TYPES = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book-chapter": "misc",
    "posted-content": "misc",
    "report": "misc",
    "monograph": "misc",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One record a service returned for a title."""

    service: str  # "arxiv" | "crossref"
    title: str
    authors: tuple[str, ...]  # "Family, Given", in the record's order
    year: int | None
    url: str  # the record's canonical address
    arxiv: str | None = None
    version: str | None = None  # the arXiv version the authors came from ("v1")
    doi: str | None = None
    venue: str | None = None
    entrytype: str = "misc"
    primary_class: str | None = None


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def family_given(name: str) -> str:
    """'Paul F. Christiano' -> 'Christiano, Paul F.' (arXiv gives names in display order)."""
    parts = _clean(name).split(" ")
    if len(parts) < 2:
        return parts[0] if parts else ""
    particles = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "la", "le"}
    cut = len(parts) - 1
    while cut > 1 and parts[cut - 1].lower() in particles:
        cut -= 1
    return f"{' '.join(parts[cut:])}, {' '.join(parts[:cut])}"


def _query_title(title: str) -> str:
    """arXiv's search syntax breaks on punctuation; words are enough to find a title."""
    return " ".join(re.findall(r"[^\W_]+", title))


def arxiv_title_url(title: str) -> str:
    return f"https://{ARXIV_HOST}/api/query?" + urlencode(
        {"search_query": f'ti:"{_query_title(title)}"', "start": 0, "max_results": 5}
    )


def arxiv_id_url(arxiv: str) -> str:
    return f"https://{ARXIV_HOST}/api/query?" + urlencode({"id_list": arxiv})


def crossref_title_url(title: str, mailto: str | None) -> str:
    params = {"query.bibliographic": title, "rows": 5, "select": "DOI,title,author,issued,container-title,type"}
    if mailto:
        params["mailto"] = mailto
    return f"https://{CROSSREF_HOST}/works?" + urlencode(params)


def parse_arxiv(data: bytes) -> list[Candidate]:
    """Entries of an arXiv API Atom feed."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ServiceError(f"arXiv answered something that is not an Atom feed: {exc}") from None
    out: list[Candidate] = []
    for entry in root.iter(f"{ATOM}entry"):
        ident = _clean(entry.findtext(f"{ATOM}id"))
        m = _ABS.search(ident)
        if not m:  # the API reports errors as an entry without an abs id
            continue
        published = _clean(entry.findtext(f"{ATOM}published"))
        primary = entry.find(f"{ARXIV}primary_category")
        out.append(
            Candidate(
                service="arxiv",
                title=_clean(entry.findtext(f"{ATOM}title")),
                authors=tuple(family_given(a.findtext(f"{ATOM}name") or "") for a in entry.iter(f"{ATOM}author")),
                year=int(published[:4]) if published[:4].isdigit() else None,
                url=f"https://arxiv.org/abs/{m['id']}",
                arxiv=m["id"],
                version=f"v{m['v']}" if m["v"] else None,
                doi=_clean(entry.findtext(f"{ARXIV}doi")) or None,
                primary_class=primary.get("term") if primary is not None else None,
            )
        )
    return out


def parse_crossref(data: bytes) -> list[Candidate]:
    """Items of a Crossref ``/works`` answer."""
    try:
        message = json.loads(data)["message"]
        items = message["items"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ServiceError(f"Crossref answered something that is not a /works list: {exc}") from None
    out: list[Candidate] = []
    for item in items:
        kind = item.get("type", "")
        if kind not in PUBLISHED_TYPES or not item.get("DOI"):
            continue
        authors = []
        for a in item.get("author") or []:
            if a.get("family"):
                authors.append(f"{_clean(a['family'])}, {_clean(a.get('given'))}".rstrip(", "))
            elif a.get("name"):
                authors.append(_clean(a["name"]))
        parts = ((item.get("issued") or {}).get("date-parts") or [[None]])[0]
        container = item.get("container-title") or []
        entrytype = PUBLISHED_TYPES[kind]
        out.append(
            Candidate(
                service="crossref",
                title=_clean((item.get("title") or [""])[0]),
                authors=tuple(authors),
                year=parts[0] if parts and isinstance(parts[0], int) else None,
                url=f"https://doi.org/{item['DOI']}",
                doi=item["DOI"].lower(),
                venue=_clean(container[0]) if container and entrytype != "misc" else None,
                entrytype=entrytype,
            )
        )
    return out


def search(transport: Transport, title: str, services: tuple[str, ...]) -> list[Candidate]:
    """Every candidate the chosen services return for *title*."""
    transport.intervals = {**INTERVALS, **transport.intervals}
    found: list[Candidate] = []
    if "arxiv" in services:
        found += parse_arxiv(transport.get(ARXIV_HOST, arxiv_title_url(title)))
    if "crossref" in services:
        found += parse_crossref(transport.get(CROSSREF_HOST, crossref_title_url(title, transport.mailto)))
    return found
