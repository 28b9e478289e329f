"""Derived links and their evidence: which sentences support which relation.

Three relations are derived from concept mentions: a section *discusses* a
concept, a work is *cited alongside* a concept, and a method *addresses* a
challenge.  The last needs more than co-occurrence: the sentence must name
both and relate them with a verb of addressing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

ADDRESS_CUE = re.compile(
    r"\b(?:address\w*|mitigat\w*|prevent\w*|reduc\w*|tackl\w*|combat\w*|counter(?:s|ed|ing)?|"
    r"defend\w*|defen[cs]es?|alleviat\w*|overcom\w*|solv\w*|resolv\w*|avoid\w*|curb\w*|"
    r"guard\w* against|safeguard\w*|detect\w*|suppress\w*|minimi[sz]\w*|lessen\w*|remed\w*|"
    r"robust\w* (?:to|against)|resist\w*|correct\w*|fix(?:es|ed|ing)?|limit(?:s|ed|ing)?|"
    r"protect\w* against|neutrali[sz]\w*|counteract\w*)\b",
    re.IGNORECASE,
)


def relates(sentence: str) -> bool:
    """Whether a sentence uses a verb that relates a method to a challenge."""
    return ADDRESS_CUE.search(sentence) is not None


@dataclass
class Evidence:
    """Sentences (by IRI) supporting one link, kept sorted on output."""

    sentences: set[str] = field(default_factory=set)

    def add(self, sentence: str) -> None:
        self.sentences.add(sentence)

    @property
    def count(self) -> int:
        return len(self.sentences)


class LinkTable:
    """Accumulates evidence per (left, right) key."""

    def __init__(self) -> None:
        self._links: dict[tuple[str, str], Evidence] = defaultdict(Evidence)

    def add(self, left: str, right: str, sentence: str) -> None:
        self._links[(left, right)].add(sentence)

    def items(self) -> list[tuple[tuple[str, str], Evidence]]:
        return sorted(self._links.items())

    def __len__(self) -> int:
        return len(self._links)
