"""Numeric in-text citations: ``[15]``, ``[36; 1]``, ``[3, 4]``, ``[3-5]``.

A bracket holding only numbers, separators and dashes is either a citation
or a mistake worth one diagnostic: ``[-4]``, ``[1234567]`` or digits of
another script are never read silently as something else, nor dropped
silently.  What one bracket can cost is bounded: a range expands to at most
:data:`MAX_RANGE` numbers, and all ranges of one survey together to the
:class:`Budget` it was given (a 1 MB file of ``[1-200]`` would otherwise name
25 million numbers).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.model import Citation

MAX_RANGE = 200
MAX_DIGITS = 6
MANY_NUMBERS = 200  # a bracket naming more works than this is reported (and still read)
MIN_BUDGET = 100_000  # numbers all ranges of a survey may add, at least; more for longer prose

# The whole bracket, if it holds nothing but digits (of any script), separators,
# dashes, signs and spaces.  The class holds no bracket, so every attempt stops
# at the next "[" or earlier: one pass over the text.
NUMERIC_BRACKET = re.compile(r"\[([\d\s;,+\-–—−]*)\]")
_PART = re.compile(r"([0-9]+)(?:\s*[-–—]\s*([0-9]+))?")
_NUM = r"[0-9]{1,6}(?:\s*[-–—]\s*[0-9]{1,6})?"
_VALID_BODY = re.compile(r"\s*" + _NUM + r"(?:\s*[;,]\s*" + _NUM + r")*\s*")
_DIGIT = re.compile(r"\d")
_LONG_NUMBER = re.compile(r"[0-9]{7,}")
_NEGATIVE = re.compile(r"(?:^|[;,])\s*[-−]\s*[0-9]")

# kept for callers that only need to know whether text holds a citation
CITATION_RE = re.compile(r"\[" + _VALID_BODY.pattern + r"\]")


@dataclass
class Budget:
    """How many numbers ranges may still add, for one survey."""

    remaining: int
    exhausted: bool = False


def _short(text: str, limit: int = 40, tail: str = " ...]") -> str:
    return text if len(text) <= limit else text[: limit - len(tail)] + tail


def _digits_of(body: str) -> str:
    return "".join(sorted({ch for ch in body if _DIGIT.match(ch) and not "0" <= ch <= "9"}))


def why_not(body: str) -> str | None:
    """Why a numeric-looking bracket is not a citation, or ``None`` if it is one."""
    if not _DIGIT.search(body):
        return "no number"  # "[ ]", "[;]": not citation-like at all; the caller ignores it
    if _VALID_BODY.fullmatch(body):
        return None
    others = _digits_of(body)
    if others:
        return f"uses digits other than 0-9 ({others}); write reference numbers with 0-9"
    long = _LONG_NUMBER.search(body)
    if long:
        return f"number {long.group()[:12]} has more than {MAX_DIGITS} digits; no reference list is that long"
    if _NEGATIVE.search(body):
        return "holds a negative number; reference numbers start at 1"
    return "is not a citation list: expected [n], [n; m], [n, m] or [n-m]"


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding about one bracket: ``citation-range``, ``citation-long`` or ``citation-malformed``."""

    kind: str
    message: str


def expand(body: str, budget: Budget | None = None) -> tuple[tuple[int, ...], list[Problem]]:
    """Reference numbers named by the inside of a bracket, and problems found (at most one per kind)."""
    numbers: dict[int, None] = {}
    backwards: list[str] = []
    too_wide: list[str] = []
    over_budget = False
    for part in _PART.finditer(body):
        first = int(part.group(1))
        if part.group(2) is None:
            numbers.setdefault(first, None)
            continue
        last = int(part.group(2))
        if last < first:
            backwards.append(part.group(0))
        elif last - first > MAX_RANGE:
            too_wide.append(part.group(0))
        elif budget is not None and budget.remaining < last - first + 1:
            over_budget = True
        else:
            if budget is not None:
                budget.remaining -= last - first + 1
            for n in range(first, last + 1):
                numbers.setdefault(n, None)
            continue
        numbers.setdefault(first, None)
        numbers.setdefault(last, None)
    problems: list[Problem] = []
    if backwards:
        more = f" (and {len(backwards) - 1} more like it)" if len(backwards) > 1 else ""
        problems.append(
            Problem(
                "citation-range",
                f"range {_short(backwards[0], 30, '...')!r} runs backwards{more}; read as its two ends",
            )
        )
    if too_wide:
        more = f" (and {len(too_wide) - 1} more like it)" if len(too_wide) > 1 else ""
        problems.append(
            Problem(
                "citation-range",
                f"range {_short(too_wide[0], 30, '...')!r} spans more than {MAX_RANGE} references{more}; "
                "read as its ends",
            )
        )
    if over_budget and budget is not None and not budget.exhausted:
        budget.exhausted = True
        problems.append(
            Problem(
                "citation-range",
                "ranges in this survey already name more numbers than the file has "
                "characters; this range and later ones are read as their ends",
            )
        )
    if len(numbers) > MANY_NUMBERS:
        problems.append(
            Problem(
                "citation-long",
                f"one citation names {len(numbers)} reference numbers (more than "
                f"{MANY_NUMBERS}); all are read, but this is likely a generator error",
            )
        )
    return tuple(numbers), problems


def _overlaps(start: int, end: int, starts: Sequence[int], skip: Sequence[tuple[int, int]]) -> bool:
    """Whether [start, end) meets one of the sorted, disjoint *skip* spans."""
    k = bisect.bisect_left(starts, end) - 1  # the last span starting before *end*
    return k >= 0 and skip[k][1] > start


def find(
    text: str, skip: Iterable[tuple[int, int]] = (), budget: Budget | None = None
) -> tuple[list[Citation], list[Problem]]:
    """Citations in *text*, ignoring any that overlap a *skip* span (math).

    *skip* must be sorted and disjoint (the reader's math spans are).
    """
    spans = sorted(skip)
    starts = [s for s, _ in spans]
    found: list[Citation] = []
    problems: list[Problem] = []
    for match in NUMERIC_BRACKET.finditer(text):
        start, end = match.span()
        if spans and _overlaps(start, end, starts, spans):
            continue
        body = match.group(1)
        reason = why_not(body)
        if reason == "no number":
            continue
        if reason is not None:
            problems.append(Problem("citation-malformed", f"{_short(match.group(0))} {reason}; not read as a citation"))
            continue
        numbers, issues = expand(body, budget)
        problems.extend(Problem(p.kind, f"{_short(match.group(0))}: {p.message}") for p in issues)
        found.append(Citation(start=start, end=end, text=match.group(0), numbers=numbers))
    return found, problems
