"""Numeric in-text citations: ``[15]``, ``[36; 1]``, ``[3, 4]``, ``[3-5]``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core.model import Citation

MAX_RANGE = 200

_NUM = r"\d{1,6}(?:\s*[-–—]\s*\d{1,6})?"
CITATION_RE = re.compile(r"\[\s*(" + _NUM + r"(?:\s*[;,]\s*" + _NUM + r")*)\s*\]")
_PART = re.compile(r"(\d{1,6})(?:\s*[-–—]\s*(\d{1,6}))?")


def expand(body: str) -> tuple[tuple[int, ...], list[str]]:
    """Reference numbers named by the inside of a bracket, and problems found."""
    numbers: dict[int, None] = {}
    problems: list[str] = []
    for part in _PART.finditer(body):
        first = int(part.group(1))
        if part.group(2) is None:
            numbers.setdefault(first, None)
            continue
        last = int(part.group(2))
        if last < first:
            problems.append(f"range {part.group(0)!r} runs backwards; read as {first} and {last}")
            numbers.setdefault(first, None)
            numbers.setdefault(last, None)
        elif last - first > MAX_RANGE:
            problems.append(f"range {part.group(0)!r} spans more than {MAX_RANGE} references; read as its ends")
            numbers.setdefault(first, None)
            numbers.setdefault(last, None)
        else:
            for n in range(first, last + 1):
                numbers.setdefault(n, None)
    return tuple(numbers), problems


def find(text: str, skip: Iterable[tuple[int, int]] = ()) -> tuple[list[Citation], list[str]]:
    """Citations in *text*, ignoring any that overlap a *skip* span (math)."""
    skip = list(skip)
    found: list[Citation] = []
    problems: list[str] = []
    for match in CITATION_RE.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in skip):
            continue
        numbers, issues = expand(match.group(1))
        problems.extend(issues)
        found.append(Citation(start=start, end=end, text=match.group(0), numbers=numbers))
    return found, problems
