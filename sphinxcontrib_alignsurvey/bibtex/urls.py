"""Web addresses printed with a title -> the work's arXiv id, DOI or URL.

Why: a survey that prints ``[3] Title https://arxiv.org/pdf/2203.02155`` names
the work's arXiv id, and a bare ``url`` would lose what styles and reference
managers read (``eprint``, ``doi``).  So an arXiv or doi.org address becomes
the identifier and any other address the ``url``.  What a survey prints only
fills what curated metadata (``works.yaml``) left empty, and a user's own
``--metadata`` file wins over both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..core.identifiers import as_uri, identifier


@dataclass(frozen=True, slots=True)
class PrintedIds:
    """What a work's printed addresses say: each fact ``None`` when none says it."""

    arxiv: str | None = None
    doi: str | None = None
    url: str | None = None


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
