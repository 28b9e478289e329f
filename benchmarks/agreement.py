"""Agreement between two labellings of the same items, for the evaluations' second readers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa: the share of items labelled alike, corrected for what the labels' frequencies
    alone would make alike."""
    n = len(a)
    seen = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    chance = sum(ca[k] * cb[k] for k in ca.keys() | cb.keys()) / (n * n)
    return (seen - chance) / (1 - chance) if chance < 1 else 1.0
