"""One node per distinct cited work across all surveys.

Works are identified by their normalised title, so the same paper listed as
[15] in one survey and [8] in another becomes one node, and its IRI does not
depend on reference numbers or on the order the surveys were given in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Survey
from ..reader.references import normalise
from .namespaces import work_key


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
