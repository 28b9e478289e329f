"""Work identity: the title key and one record per distinct cited work.

Why in the base layer: the reader (duplicate references), the graph (work
IRIs), BibTeX (metadata matching) and overlays must agree on which printed
titles name the same work, so the rule lives once, below all of them.

Works are identified by their normalised title, so the same paper listed as
[15] in one survey and [8] in another becomes one node, and its IRI does not
depend on reference numbers or on the order the surveys were given in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Survey
from .namespaces import work_key

_TEX = re.compile(r"\$[^$]*\$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def normalise(title: str) -> str:
    """A key for comparing titles: case, accents, punctuation and spacing folded.

    Letters and digits of every script count (a title in Chinese must not
    reduce to nothing, nor "LLM对齐..." and "LLM安全..." to the same "llm").
    Work IRIs are digests of this key, so for text in Latin script it stays
    exactly what it always was: accents taken off (NFKD), lower case, every
    run of other characters one space.  Letters of other scripts are kept,
    compared by NFKC and case-folding, with their combining marks (which
    carry meaning there: が is not か).
    """
    text = title
    if text.isascii():  # ASCII has nothing to decompose; skip the per-character pass
        return _NON_ALNUM.sub(" ", _TEX.sub(" ", text).lower()).strip()
    text = unicodedata.normalize("NFKD", text)
    text = _TEX.sub(" ", text)  # TeX fragments vary between printings
    out: list[str] = []
    kept = False  # whether the last base character was kept as a letter of another script
    for ch in text:
        if unicodedata.combining(ch):
            if kept:
                out.append(ch)  # a mark on a letter of another script is part of the letter
            continue  # a mark on a Latin letter is an accent: folded away
        low = ch.lower()
        if low.isascii():
            kept = False
            out.append(low if low.isalnum() else " ")
        elif ch.isalnum() or unicodedata.category(ch).startswith("M"):
            kept = True
            out.append(ch)
        else:
            kept = False
            out.append(" ")
    key = unicodedata.normalize("NFKC", "".join(out)).casefold()
    return " ".join(key.split())


@dataclass
class Work:
    key: str
    normalised: str
    titles: set[str] = field(default_factory=set)
    printed: set[str] = field(default_factory=set)
    cited_by: set[tuple[str, int]] = field(default_factory=set)  # (survey id, reference number)
    # URL printed with a title -> the references that printed it (survey id, reference number)
    printed_urls: dict[str, set[tuple[str, int]]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The clean title; when surveys disagree, the longest, then first in order."""
        return sorted(self.titles, key=lambda t: (-len(t), t))[0]

    @property
    def urls(self) -> list[str]:
        """The printed URLs, the one most references printed first, ties in code-point order.

        Why counted over references, not surveys or input order: the choice must
        not depend on the order surveys arrive in (``--jobs``, shards, ``--add``).
        """
        return sorted(self.printed_urls, key=lambda u: (-len(self.printed_urls[u]), u))


def collect_works(surveys: Iterable[Survey]) -> dict[str, Work]:
    """Works keyed by normalised title."""
    works: dict[str, Work] = {}
    for survey in surveys:
        for ref in survey.references:
            norm = normalise(ref.title)
            if not norm:
                continue
            work = works.get(norm)
            if work is None:
                work = works[norm] = Work(key=work_key(norm), normalised=norm)
            work.titles.add(ref.title)
            work.printed.add(ref.printed.strip())
            work.cited_by.add((survey.id, ref.number))
            if ref.url:
                work.printed_urls.setdefault(ref.url, set()).add((survey.id, ref.number))
    return works
