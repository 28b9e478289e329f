"""Which entries a fuzzy lookup compares a query with, at a cost bounded by the input.

Why: rapidfuzz compares a query with every entry it is given, so quoted
titles against references, or references against each other, cost
queries x entries comparisons: 10,000 quoted titles took a minute.  Each
index spends up to :data:`FULL_SCAN` comparisons the exact way (every
entry), which covers any survey written by hand or by the generator; past
that, a query is compared only with the entries that share its rarest words,
at most :data:`CANDIDATES` of them.  A title that matches at 90% shares its
distinctive words with the query, so the rarest ones find it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

FULL_SCAN = 500_000
CANDIDATES = 32


class Blocker:
    """Chooses the entries (by index) a query is compared with; ``None`` means all of them."""

    def __init__(self, keys: Sequence[str], full_scan: int = FULL_SCAN, candidates: int = CANDIDATES) -> None:
        self.keys = keys
        self.left = full_scan
        self.limit = candidates
        self._postings: dict[str, list[int]] | None = None

    def _index(self) -> dict[str, list[int]]:
        if self._postings is None:
            postings: dict[str, list[int]] = {}
            for i, key in enumerate(self.keys):
                for word in dict.fromkeys(key.split()):
                    postings.setdefault(word, []).append(i)
            self._postings = postings
        return self._postings

    def candidates(self, query: str, cost: int | None = None, after: int = -1) -> list[int] | None:
        """Entries after index *after* to compare *query* with, in index order;
        ``None`` (all of them) while the exact budget lasts.

        *cost* is what comparing with all of them would spend (default: one
        per entry).
        """
        cost = len(self.keys) if cost is None else cost
        if cost <= self.left:
            self.left -= cost
            return None
        self.left = 0  # once past the budget, stay past it: the choice does not flip back and forth
        postings = self._index()
        words = sorted((w for w in dict.fromkeys(query.split()) if w in postings), key=lambda w: (len(postings[w]), w))
        chosen: dict[int, None] = {}
        for word in words:
            posting = postings[word]
            start = bisect.bisect_right(posting, after)
            for i in posting[start : start + self.limit - len(chosen)]:
                chosen[i] = None
            if len(chosen) >= self.limit:
                break
        return sorted(chosen)
