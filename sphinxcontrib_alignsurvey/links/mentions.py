"""Find where sentences name a method or challenge.

Labels and altLabels match on word boundaries; all-capital acronyms ("DPO",
"RLHF") match case-sensitively so ordinary words are not mistaken for them,
other labels case-insensitively; a hyphen and a space are interchangeable and
a plural "s"/"es" is accepted.  A label does not match inside a hyphenated
prefix compound ("f-DPO" is not "DPO") but does before one ("RLHF-based").
When matches overlap the longest wins, so "reward model overoptimization" is
not also "reward model".

Matching walks the sentence's words once and looks candidates up by their
first word, instead of trying hundreds of regex alternatives at every
character: about 10x faster on the seeds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .vocabulary import Concept

WORD = re.compile(r"[^\W_]+")
SOFT_SEPARATORS = {"", " ", "-", "‐", "–"}


@dataclass(frozen=True, slots=True)
class Mention:
    concept: str  # IRI
    start: int
    end: int
    exact: str


@dataclass(frozen=True, slots=True)
class _Label:
    words: tuple[str, ...]  # lower-cased unless exact
    seps: tuple[str, ...]  # separator before each word after the first
    exact: bool
    concept: str


def is_acronym(label: str) -> bool:
    """All-capital (or nearly) single tokens such as DPO, RLHF, LLMs, f-DPO."""
    letters = [c for c in label if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1) and " " not in label


def _split(label: str) -> tuple[list[str], list[str]]:
    words, seps = [], []
    last = None
    for match in WORD.finditer(label):
        if last is not None:
            seps.append(label[last : match.start()].strip() or " ")
        words.append(match.group(0))
        last = match.end()
    return words, seps


def _soft(sep: str) -> bool:
    return sep.strip() in SOFT_SEPARATORS


class MentionFinder:
    """One matcher for a whole vocabulary, built once and reused."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._by_first: dict[str, list[_Label]] = {}
        seen: set[tuple[tuple[str, ...], tuple[str, ...], bool]] = set()
        for concept in concepts:
            for raw in concept.labels:
                words, seps = _split(raw.strip())
                if not words or len(raw.strip()) < 2:
                    continue
                exact = is_acronym(raw.strip())
                if not exact:
                    words = [w.lower() for w in words]
                key = (tuple(words), tuple(s if not _soft(s) else " " for s in seps), exact)
                if key in seen:
                    continue
                seen.add(key)
                label = _Label(tuple(words), tuple(seps), exact, concept.iri)
                self._by_first.setdefault(words[0], []).append(label)

    @staticmethod
    def _word_matches(expected: str, actual: str, exact: bool, last: bool) -> bool:
        if not exact:
            actual = actual.lower()
        if actual == expected:
            return True
        if last:
            return actual == expected + "s" or actual == expected + "es"
        return False

    def find(self, text: str) -> list[Mention]:
        tokens = [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text)]
        out: list[Mention] = []
        i = 0
        n = len(tokens)
        while i < n:
            start = tokens[i][0]
            if start > 0 and text[start - 1] in "-‐":
                i += 1  # inside a prefix compound: "f-DPO", "post-hoc"
                continue
            word = tokens[i][2]
            candidates: list[_Label] = []
            for key in dict.fromkeys((word, word.lower(), word[:-1], word[:-2], word.lower()[:-1], word.lower()[:-2])):
                candidates.extend(self._by_first.get(key, ()))
            candidates.sort(key=lambda lb: -len(lb.words))
            best: tuple[int, str] | None = None
            for label in candidates:
                length = len(label.words)
                if i + length > n or (best and length <= best[0]):
                    continue
                ok = True
                for k in range(length):
                    tok = tokens[i + k]
                    if not self._word_matches(label.words[k], tok[2], label.exact, k == length - 1):
                        ok = False
                        break
                    if k:
                        sep = text[tokens[i + k - 1][1] : tok[0]]
                        wanted = label.seps[k - 1]
                        if not (sep == wanted or (_soft(wanted) and (sep.isspace() or _soft(sep)) and len(sep) <= 2)):
                            ok = False
                            break
                if not ok:
                    continue
                end = tokens[i + length - 1][1]
                if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                    continue
                best = (length, label.concept)
            if best is None:
                i += 1
                continue
            length, concept = best
            end = tokens[i + length - 1][1]
            out.append(Mention(concept=concept, start=start, end=end, exact=text[start:end]))
            i += length
        return out
