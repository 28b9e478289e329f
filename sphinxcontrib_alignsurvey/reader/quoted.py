"""Works named by quoted title in the prose, matched to the References list.

Matching is fuzzy (rapidfuzz) because the prose quotes a title loosely: with
or without its subtitle, with the colon dropped.  Only quotes long enough to
be a title are considered, so "alignment tax" never matches a paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..model import QuotedWork, Reference
from .references import normalise

QUOTE_RE = re.compile(r"\"([^\"\n]{3,300})\"|“([^”\n]{3,300})”")
THRESHOLD = 90.0
MIN_WORDS = 3


@dataclass(frozen=True, slots=True)
class TitleIndex:
    """Normalised full titles and their parts before the first colon."""

    entries: tuple[tuple[int, str, str], ...]

    @classmethod
    def build(cls, references: tuple[Reference, ...] | list[Reference]) -> TitleIndex:
        rows = []
        for ref in references:
            head = ref.title.split(":", 1)[0]
            rows.append((ref.number, normalise(ref.title), normalise(head)))
        return cls(tuple(rows))

    def best(self, quote: str) -> tuple[int | None, float]:
        q = normalise(quote)
        if len(q.split()) < MIN_WORDS:
            return None, 0.0
        best_number, best_score = None, 0.0
        for number, full, head in self.entries:
            score = max(
                fuzz.ratio(q, full),
                fuzz.ratio(q, head),
                fuzz.token_set_ratio(q, head) if len(head.split()) >= MIN_WORDS else 0.0,
            )
            if score > best_score:
                best_number, best_score = number, score
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
        found.append(
            QuotedWork(start=match.start(), end=match.end(), text=inner, reference=number, score=score)
        )
    return found
