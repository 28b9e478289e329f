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
    """A key for comparing titles: case, accents, punctuation and spacing folded."""
    text = title
    if not text.isascii():  # ASCII has nothing to decompose; skip the per-character pass
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _TEX.sub(" ", text)  # TeX fragments vary between printings
    return _NON_ALNUM.sub(" ", text.lower()).strip()


@dataclass
class Work:
    key: str
    normalised: str
    titles: set[str] = field(default_factory=set)
    printed: set[str] = field(default_factory=set)
    cited_by: set[tuple[str, int]] = field(default_factory=set)  # (survey id, reference number)

    @property
    def title(self) -> str:
        """The clean title; when surveys disagree, the longest, then first in order."""
        return sorted(self.titles, key=lambda t: (-len(t), t))[0]


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
    return works
