"""When a service's record is accepted as the work a survey cites.

A survey gives only a title, so a wrong match is the main risk: a paper with a
similar title but other authors.  The thresholds, documented in
``docs/bibtex.rst``:

* the normalised titles must be at least :data:`TITLE_MIN` similar (rapidfuzz
  ratio; 1.0 is identical after case, accents and punctuation are folded);
* a Crossref record found without an arXiv record needs :data:`CROSSREF_ALONE_MIN`
  and at least one author (title search in a registry of 150M records is noisier);
* when both services answer, their first authors' family names must agree and
  the published year may not precede the arXiv year nor follow it by more than
  :data:`MAX_PUBLICATION_LAG` years; otherwise only the arXiv record is kept and
  the disagreement is reported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

from ...core.works import normalise
from .services import Candidate

TITLE_MIN = 0.95
CROSSREF_ALONE_MIN = 0.97
MAX_PUBLICATION_LAG = 3


def title_score(a: str, b: str) -> float:
    return fuzz.ratio(normalise(a), normalise(b)) / 100.0


def family(author: str) -> str:
    name = author.partition(", ")[0]
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


def best(title: str, candidates: Sequence[Candidate], service: str, minimum: float) -> Candidate | None:
    """The most similar candidate of *service* at or above *minimum* (first wins a tie)."""
    scored = [(title_score(title, c.title), -i, c) for i, c in enumerate(candidates) if c.service == service]
    scored = [s for s in scored if s[0] >= minimum]
    return max(scored, key=lambda s: (s[0], s[1]))[2] if scored else None


def agree(preprint: Candidate, published: Candidate) -> str | None:
    """Why the two records cannot be the same work, or None when they agree."""
    if preprint.authors and published.authors and family(preprint.authors[0]) != family(published.authors[0]):
        return f"first authors differ ({preprint.authors[0]} on arXiv, {published.authors[0]} at Crossref)"
    if preprint.year and published.year and not 0 <= published.year - preprint.year <= MAX_PUBLICATION_LAG:
        return f"years disagree ({preprint.year} on arXiv, {published.year} at Crossref)"
    return None
