"""Citation keys: stable, unique and readable (``leike2018scalable``).

Why this shape: people type keys by hand in LaTeX and Sphinx, so a key is the
first author's family name, the year and the first significant title word.
Without authors the first two significant title words stand in for the name.
Keys that would collide get ``b``, ``c``, ... in normalised-title order, so
the result depends only on the set of works, not on file or survey order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

STOPWORDS = frozenset(
    """a an and are as at be by can do does for from how in into is it its of on or our over than that the
    their this to toward towards via vs what when where which who why will with without we you your""".split()
)


def ascii_word(text: str) -> str:
    """Accents folded, lowercase, letters and digits only: 'Müller' -> 'muller'."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("ł", "l").replace("Ł", "l")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def significant_words(title: str) -> list[str]:
    words = [ascii_word(w) for w in re.split(r"[\s\-:/]+", title)]
    return [w for w in words if w and w not in STOPWORDS] or [w for w in words if w] or ["untitled"]


def base_key(authors: Iterable[str], year: int | None, title: str) -> str:
    """The key before collisions are resolved."""
    words = significant_words(title)
    first = next(iter(authors), "")
    family = ascii_word(first.partition(", ")[0]) if first else ""
    name = family or "".join(words[:2])
    key = f"{name}{year or ''}{words[0] if family else ''}"
    if not key[0].isalnum():  # pragma: no cover - ascii_word keeps only [a-z0-9]
        key = "w" + key
    return key


def assign_keys(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(normalised title, base key) pairs -> unique key per normalised title."""
    groups: dict[str, list[str]] = {}
    for normalised, key in items:
        groups.setdefault(key, []).append(normalised)
    taken = set(groups)
    out: dict[str, str] = {}
    for key in sorted(groups):
        members = sorted(groups[key])
        out[members[0]] = key
        suffix = ord("b")
        for normalised in members[1:]:
            while True:
                candidate = key + _suffix(suffix)
                suffix += 1
                if candidate not in taken:
                    break
            taken.add(candidate)
            out[normalised] = candidate
    return out


def _suffix(n: int) -> str:
    """b..z, then ba, bb, ... (never a bare digit, which would read as part of the year)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    n -= ord("a")
    out = ""
    while True:
        out = letters[n % 26] + out
        n //= 26
        if n == 0:
            return out
