"""A work's identifier read from a web address: arXiv and doi.org addresses, as a survey prints them.

Why in the base layer: BibTeX export turns a printed address into the work's
``eprint``/``doi`` (:mod:`..bibtex.urls`), and the citation check compares the
same reading with the verified record (a survey that prints another paper's
arXiv id); both must read an address the same way.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

_ARXIV_URL = re.compile(
    r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/(?:arxiv:)?([0-9]{4}\.[0-9]{4,5})"
    r"(?:v[0-9]+)?(?:\.pdf)?/?(?:[?#][^\s]*)?",
    re.IGNORECASE,
)
_DOI_URL = re.compile(r"https?://(?:dx\.|www\.)?doi\.org/([^#]+)(?:#.*)?", re.IGNORECASE)
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")  # the shape of prism:doi in ontology/shapes.ttl
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.([0-9]{4}\.[0-9]{4,5})(?:v[0-9]+)?", re.IGNORECASE)
# RFC 3986 reserved and unreserved characters, and "%" of escapes already made: the rest
# (spaces, quotes, braces, backslashes, non-ASCII) is percent-encoded, so the address is a
# valid xsd:anyURI and cannot unbalance a BibTeX field
_URI_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


def as_uri(printed: str) -> str:
    """The printed address as an absolute URI (``www.`` gets ``https://``), percent-encoded where needed."""
    url = printed if re.match(r"https?://", printed, re.IGNORECASE) else f"https://{printed}"
    return quote(url, safe=_URI_SAFE)


def identifier(url: str) -> tuple[str, str] | None:
    """``("arxiv", id)`` or ``("doi", doi)`` when *url* is an arXiv or doi.org address of a work."""
    match = _ARXIV_URL.fullmatch(url)
    if match:
        return "arxiv", match.group(1)
    match = _DOI_URL.fullmatch(url)
    if match:
        doi = unquote(match.group(1))
        arxiv = _ARXIV_DOI.fullmatch(doi)
        if arxiv:  # arXiv's DataCite DOI names the preprint
            return "arxiv", arxiv.group(1)
        if _DOI.fullmatch(doi):
            return "doi", doi
    return None
