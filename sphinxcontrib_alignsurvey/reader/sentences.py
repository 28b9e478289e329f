"""Sentence boundaries for survey prose.

A small rule-based splitter is enough here and measurably fast: survey prose
is edited English whose traps are known in advance (abbreviations, decimals,
citations in brackets, math).  It never splits inside brackets, parentheses
or inline math, nor after an abbreviation or an initial.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ABBREVIATIONS = frozenset(
    """e.g i.e et al vs cf etc fig figs eq eqs sec no nos dr mr ms mrs prof st approx resp
    incl viz al ca""".split()
)

# Only the first mark of a run may start a candidate, and the run is taken
# whole (possessive): trying every suffix of a long run of "." or "!" was
# quadratic, and a shorter run could never be followed by white space anyway.
_CANDIDATE = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]*_]*+(?=\s)")
_NEXT_START = re.compile(r"\s+[\"'“‘(\[*_]*[A-Z0-9\[$]")
_BRACKET = re.compile(r"[()\[\]]")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")


def protected_spans(text: str, extra: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Spans of matched ``[...]`` and ``(...)`` pairs plus *extra* spans.

    Unmatched brackets protect nothing, so one stray ``[`` cannot swallow the
    rest of a paragraph into one sentence.
    """
    spans: list[tuple[int, int]] = list(extra)
    # One stack of open brackets, and for each kind the stack depths where
    # that kind was opened: a closer finds its opener without scanning the
    # stack ("(" * n then "]" * n made every "]" walk all n openers).
    stack: list[int] = []
    depths: dict[str, list[int]] = {"(": [], "[": []}
    closer = {")": "(", "]": "["}
    for match in _BRACKET.finditer(text):  # only brackets, not every character
        i, ch = match.start(), match.group()
        if ch in depths:
            depths[ch].append(len(stack))
            stack.append(i)
            continue
        same = depths[closer[ch]]
        if not same:
            continue  # no opener of its kind: the closer is stray
        depth = same.pop()
        spans.append((stack[depth], i + 1))
        # openers above the match are dropped, as unmatched
        del stack[depth:]
        for kind_depths in depths.values():
            while kind_depths and kind_depths[-1] >= depth:
                kind_depths.pop()
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether *pos* lies strictly inside one of the sorted, disjoint *spans*."""
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid][1] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo < len(spans) and spans[lo][0] < pos < spans[lo][1]


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    # Walk back over the word by hand: a regex anchored at ``dot`` would scan
    # the whole paragraph before it each time, quadratic on long paragraphs.
    start = dot
    while start > 0 and text[start - 1] in _WORD_CHARS:
        start -= 1
    while start < dot and text[start] == ".":
        start += 1
    if start == dot:
        return False
    word = text[start:dot].rstrip(".")
    lower = word.lower()
    if lower in ABBREVIATIONS:
        return True
    if "." in word:  # "U.S", "e.g" already handled: dotted initialisms
        return True
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return True
    if lower == "al" or text[max(0, dot - 6) : dot].lower().endswith("et al"):
        return True
    return False


def split(
    text: str,
    hard_breaks: Iterable[int] = (),
    protect: Iterable[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of *text*, trimmed."""
    spans: list[tuple[int, int]] | None = None  # made at the first candidate: many paragraphs have none
    cuts: set[int] = set(hard_breaks)
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        if spans is None:
            spans = protected_spans(text, protect)
        if _inside(match.start(), spans):
            continue
        if not _NEXT_START.match(text, end):
            continue
        if _is_abbreviation(text, match.start()):
            continue
        cuts.add(end)
    out: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        if cut <= start:
            continue
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        start = cut
    return out
