"""One bibliographic record per cited work: survey facts + curated metadata.

Why here: the graph, the ``.bib`` export and the Sphinx extension must agree
on titles, authors and citation keys, so all of them read these records,
which are a pure function of the surveys and the metadata files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from ..core.works import Work
from .keys import assign_keys, base_key
from .metadata import WorkMetadata
from .register import Registered
from .urls import printed_ids


@dataclass(frozen=True, slots=True)
class BibRecord:
    """What the exporters need to know about one work."""

    normalised: str
    key: str
    title: str
    survey_title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    arxiv: str | None = None
    doi: str | None = None
    url: str | None = None  # a web address printed with the title that is not an arXiv or DOI one
    venue: str | None = None
    entrytype: str = "misc"
    primary_class: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())  # fields from a user's overlay, verbatim
    former_keys: tuple[str, ...] = ()  # published keys this work had before (biblatex `ids`)
    registered: bool = False  # the key is published (ontology/citation-keys.tsv): never recomputed

    @property
    def bibtype(self) -> str:
        """@article/@inproceedings only with what those types require; else @misc."""
        if self.entrytype in ("article", "inproceedings") and self.venue and self.authors and self.year:
            return self.entrytype
        return "misc"

    @property
    def arxiv_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None


def build_records(
    works: Mapping[str, Work], metadata: Mapping[str, WorkMetadata], register: Mapping[str, Registered] | None = None
) -> dict[str, BibRecord]:
    """Records keyed by normalised title, with unique citation keys (registered keys first).

    An arXiv id or DOI read from a URL a survey printed fills only what the
    curated metadata leaves empty (see :mod:`.urls`).
    """
    draft: dict[str, BibRecord] = {}
    for norm, work in works.items():
        meta = metadata.get(norm)
        printed = printed_ids(work.urls)
        title = (meta.published_title if meta and meta.published_title else None) or work.title
        draft[norm] = BibRecord(
            normalised=norm,
            key="",
            title=title,
            survey_title=work.title,
            authors=meta.authors if meta else (),
            year=meta.year if meta else None,
            arxiv=(meta.arxiv if meta else None) or printed.arxiv,
            doi=(meta.doi if meta else None) or printed.doi,
            url=printed.url,
            venue=meta.venue if meta else None,
            entrytype=meta.entrytype if meta else "misc",
        )
    register = register or {}
    for norm in draft.keys() & register.keys():
        published = register[norm]
        draft[norm] = replace(draft[norm], key=published.key, former_keys=published.former, registered=True)
    reserved = {k for published in register.values() for k in (published.key, *published.former)}
    return with_keys(draft, reserved=reserved)


def with_keys(
    records: Mapping[str, BibRecord], fixed: Mapping[str, str] | None = None, reserved: Iterable[str] = ()
) -> dict[str, BibRecord]:
    """(Re)assign keys; registered keys and *fixed* ones (from a user's file, which win) are kept.

    *reserved* keys (every registered key and former key) are never given to
    another work, even one the register does not list.
    """
    fixed = {**{n: r.key for n, r in records.items() if r.registered}, **(fixed or {})}
    free = {n: r for n, r in records.items() if n not in fixed}
    keys = assign_keys((n, base_key(r.authors, r.year, r.title)) for n, r in free.items())
    taken = set(fixed.values()) | set(reserved)
    for norm in sorted(keys):
        if keys[norm] in taken:  # a user's key took this one: move ours aside deterministically
            base, n = keys[norm], 0
            while keys[norm] in taken:
                n += 1
                keys[norm] = f"{base}x{n}"
        taken.add(keys[norm])
    keys.update(fixed)
    return {n: replace(r, key=keys[n]) for n, r in sorted(records.items())}
