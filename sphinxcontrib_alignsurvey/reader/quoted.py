"""Works named by quoted title in the prose, matched to the References list.

Matching is fuzzy (rapidfuzz) because the prose quotes a title loosely: with
or without its subtitle, with the colon dropped.  Only quotes long enough to
be a title are considered, so "alignment tax" never matches a paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..core.model import QuotedWork, Reference
from ..core.works import normalise
from .fuzzy import Blocker

QUOTE_RE = re.compile(r"\"([^\"\n]{3,300})\"|“([^”\n]{3,300})”")
THRESHOLD = 90.0
MIN_WORDS = 3


@dataclass(frozen=True, slots=True)
class TitleIndex:
    """Normalised full titles and their parts before the first colon."""

    entries: tuple[tuple[int, str, str], ...]
    # the same strings keyed by entry index, for rapidfuzz's process functions
    fulls: dict[int, str] = field(default_factory=dict, compare=False)
    heads: dict[int, str] = field(default_factory=dict, compare=False)
    long_heads: dict[int, str] = field(default_factory=dict, compare=False)
    # bounded cost (see .fuzzy), and one lookup per distinct quote
    blocker: Blocker = field(default_factory=lambda: Blocker(()), compare=False)
    cache: dict[str, tuple[int | None, float]] = field(default_factory=dict, compare=False)

    @classmethod
    def build(cls, references: tuple[Reference, ...] | list[Reference]) -> TitleIndex:
        rows = []
        for ref in references:
            head = ref.title.split(":", 1)[0]
            rows.append((ref.number, normalise(ref.title), normalise(head)))
        return cls(
            tuple(rows),
            {i: full for i, (_, full, _) in enumerate(rows)},
            {i: head for i, (_, _, head) in enumerate(rows)},
            {i: head for i, (_, _, head) in enumerate(rows) if len(head.split()) >= MIN_WORDS},
            Blocker([full for _, full, _ in rows]),
        )

    def best(self, quote: str) -> tuple[int | None, float]:
        q = normalise(quote)
        if len(q.split()) < MIN_WORDS:
            return None, 0.0
        hit = self.cache.get(q)
        if hit is None:
            hit = self.cache[q] = self._best(q)
        return hit

    def _best(self, q: str) -> tuple[int | None, float]:
        fulls, heads, long_heads = self.fulls, self.heads, self.long_heads
        chosen = self.blocker.candidates(q)
        if chosen is not None:
            fulls = {i: fulls[i] for i in chosen}
            heads = {i: heads[i] for i in chosen}
            long_heads = {i: long_heads[i] for i in chosen if i in long_heads}
        # one C-level pass per scorer instead of three Python calls per entry;
        # ties go to the earliest entry, as a plain loop would
        best_index, best_score = -1, 0.0
        for choices, scorer in (
            (fulls, fuzz.ratio),
            (heads, fuzz.ratio),
            (long_heads, fuzz.token_set_ratio),
        ):
            hit = process.extractOne(q, choices, scorer=scorer) if choices else None
            if hit is None:
                continue
            _, score, index = hit
            if score > best_score or (score == best_score and score > 0 and index < best_index):
                best_index, best_score = index, score
        best_number = self.entries[best_index][0] if best_index >= 0 else None
        if best_score >= THRESHOLD:
            return best_number, round(best_score, 1)
        return None, round(best_score, 1)


def looks_like_title(text: str) -> bool:
    """Heuristic for a quoted string that names a work rather than a term."""
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    if len(words) < 4 or not text[:1].isupper():
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised * 2 >= len(words) or ":" in text


def find(text: str, index: TitleIndex) -> list[QuotedWork]:
    """Quoted titles in a sentence: matched ones, and unmatched title-like ones."""
    found: list[QuotedWork] = []
    for match in QUOTE_RE.finditer(text):
        inner = (match.group(1) or match.group(2)).strip().rstrip(",.;:")
        number, score = index.best(inner)
        if number is None and not looks_like_title(inner):
            continue
        found.append(QuotedWork(start=match.start(), end=match.end(), text=inner, reference=number, score=score))
    return found
