"""Domain indices of the cards: methods, challenges, benchmarks and works.

Why: readers of a handbook look things up alphabetically; Sphinx renders
these pages (``align-methodindex`` ...) for every builder that has indices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from sphinx.domains import Index, IndexEntry

if TYPE_CHECKING:
    from .domain import AlignDomain


class _KindIndex(Index):
    kind = ""

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        wanted = set(docnames) if docnames is not None else None
        groups: dict[str, list[IndexEntry]] = defaultdict(list)
        for entry in cast("AlignDomain", self.domain).cards():
            if entry.kind != self.kind or (wanted is not None and entry.docname not in wanted):
                continue
            letter = (entry.label[:1] or "?").upper()
            groups[letter].append(IndexEntry(entry.label, 0, entry.docname, entry.anchor, entry.id, "", ""))
        content = [(letter, sorted(items, key=lambda e: e.name.lower())) for letter, items in sorted(groups.items())]
        return content, False


class MethodIndex(_KindIndex):
    name = "methodindex"
    localname = "Alignment methods"
    shortname = "methods"
    kind = "method"


class ChallengeIndex(_KindIndex):
    name = "challengeindex"
    localname = "Alignment challenges"
    shortname = "challenges"
    kind = "challenge"


class BenchmarkIndex(_KindIndex):
    name = "benchmarkindex"
    localname = "Alignment benchmarks"
    shortname = "benchmarks"
    kind = "benchmark"


class WorkIndex(_KindIndex):
    name = "workindex"
    localname = "Works"
    shortname = "works"
    kind = "paper"
