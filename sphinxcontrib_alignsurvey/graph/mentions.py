"""Find where sentences name a method or challenge.

Labels and altLabels match on word boundaries; all-capital acronyms ("DPO",
"RLHF") match case-sensitively so ordinary words are not mistaken for them,
other labels case-insensitively; a hyphen and a space are interchangeable and
a plural "s"/"es" is accepted.  When matches overlap the longest wins, so
"reward model overoptimization" is not also "reward model".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .vocabulary import Concept


@dataclass(frozen=True, slots=True)
class Mention:
    concept: str  # IRI
    start: int
    end: int
    exact: str


def _is_acronym(label: str) -> bool:
    letters = [c for c in label if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1) and " " not in label


def _pattern(label: str) -> str:
    words = re.split(r"[\s\-‐–]+", label.strip())
    body = r"[\s\-‐]?".join(re.escape(w) for w in words if w)
    return body + r"(?:e?s)?"


class MentionFinder:
    """One compiled matcher for a whole vocabulary."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        for concept in concepts:
            for label in concept.labels:
                label = label.strip()
                if len(label) < 2:
                    continue
                if _is_acronym(label):
                    exact.setdefault(label, concept.iri)
                else:
                    folded.setdefault(label.lower(), concept.iri)
        self._exact = exact
        self._folded = folded
        self._exact_re = self._compile(exact, 0)
        self._folded_re = self._compile(folded, re.IGNORECASE)
        self._folded_patterns = [(re.compile(r"^" + _pattern(k) + r"$", re.I), v) for k, v in folded.items()]

    @staticmethod
    def _compile(labels: dict[str, str], flags: int) -> re.Pattern[str] | None:
        if not labels:
            return None
        ordered = sorted(labels, key=lambda s: (-len(s), s))
        alternation = "|".join(_pattern(label) for label in ordered)
        return re.compile(r"(?<![\w\-])(?:" + alternation + r")(?![\w\-])", flags)

    def _concept_for(self, text: str, exact: bool) -> str | None:
        if exact:
            base = text[:-1] if text.endswith("s") and text[:-1] in self._exact else text
            return self._exact.get(base)
        key = re.sub(r"[\s\-‐]+", " ", text.lower())
        for candidate in (key, key[:-1] if key.endswith("s") else key, key[:-2] if key.endswith("es") else key):
            if candidate in self._folded:
                return self._folded[candidate]
        for pattern, iri in self._folded_patterns:
            if pattern.match(text):
                return iri
        return None

    def find(self, text: str) -> list[Mention]:
        spans: list[tuple[int, int, str]] = []
        for regex, exact in ((self._folded_re, False), (self._exact_re, True)):
            if regex is None:
                continue
            for match in regex.finditer(text):
                iri = self._concept_for(match.group(0), exact)
                if iri:
                    spans.append((match.start(), match.end(), iri))
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        out: list[Mention] = []
        last_end = -1
        for start, end, iri in spans:
            if start < last_end:
                continue
            out.append(Mention(concept=iri, start=start, end=end, exact=text[start:end]))
            last_end = end
        return out
