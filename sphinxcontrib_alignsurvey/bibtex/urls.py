"""Web addresses printed with a title -> the work's arXiv id, DOI or URL.

Why: a survey that prints ``[3] Title https://arxiv.org/pdf/2203.02155`` names
the work's arXiv id, and a bare ``url`` would lose what styles and reference
managers read (``eprint``, ``doi``).  So an arXiv or doi.org address becomes
the identifier and any other address the ``url``.  What a survey prints only
fills what curated metadata (``works.yaml``) left empty, and a user's own
``--metadata`` file wins over both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class PrintedIds:
    """What a work's printed addresses say: each fact ``None`` when none says it."""

    arxiv: str | None = None
    doi: str | None = None
    url: str | None = None


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


def printed_ids(urls: Iterable[str]) -> PrintedIds:
    """The first arXiv id, the first DOI and the first other address among *urls*.

    *urls* come in the work's order of preference (:attr:`..core.works.Work.urls`:
    most printed first, then in code-point order), so the choice between two
    surveys that print different addresses is the same in every run.
    """
    found: dict[str, str] = {}
    for printed in urls:
        url = as_uri(printed)
        kind, value = identifier(url) or ("url", url)
        found.setdefault(kind, value)
    return PrintedIds(found.get("arxiv"), found.get("doi"), found.get("url"))
