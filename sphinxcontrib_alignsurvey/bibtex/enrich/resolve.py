"""Resolve each cited work's metadata and write the ``.bib`` that ``convert --metadata`` reads.

Every field written says where it came from (an ``alignsurvey-source`` field
that the converter reads past), and a work is either resolved whole or listed
as not found: the list is what ``alignsurvey check`` reports as unverified.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model

from ...core.atomic import write_text
from ..keys import assign_keys, base_key
from ..latex import escape, format_names, protect_title
from .http import Transport
from .match import CROSSREF_ALONE_MIN, TITLE_MIN, agree, best
from .services import Candidate, search

SOURCE_FIELD = "alignsurvey-source"


@dataclass
class Resolution:
    """What was found for one work (by normalised title)."""

    normalised: str
    title: str
    preprint: Candidate | None = None
    published: Candidate | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.preprint is not None or self.published is not None

    @property
    def authors(self) -> tuple[str, ...]:
        return (self.preprint or self.published).authors if self.found else ()  # type: ignore[union-attr]

    @property
    def year(self) -> int | None:
        """The year of the version cited: the published one when there is a venue, else arXiv v1."""
        if self.published and self.published.venue and self.published.year:
            return self.published.year
        return (self.preprint or self.published).year if self.found else None  # type: ignore[union-attr]

    def sources(self) -> dict[str, str]:
        """Field -> the record it came from."""
        out: dict[str, str] = {}
        pre, pub = self.preprint, self.published
        main = pre or pub
        if main is None:
            return out
        version = f" ({main.version})" if main.version else ""
        out["title"] = out["author"] = f"{main.url}{version}"
        if pre:
            out["eprint"] = pre.url
        if pub:
            out["doi"] = pub.url
            if pub.venue:
                out["venue"] = pub.url
        out["year"] = pub.url if pub and pub.venue else main.url
        return out


def resolve_one(transport: Transport, normalised: str, title: str, services: tuple[str, ...]) -> Resolution:
    result = Resolution(normalised, title)
    candidates = search(transport, title, services)
    result.preprint = best(title, candidates, "arxiv", TITLE_MIN)
    published = best(title, candidates, "crossref", TITLE_MIN)
    if published and result.preprint:
        problem = agree(result.preprint, published)
        if problem:
            result.problems.append(problem)
            published = None
    elif published and (best(title, [published], "crossref", CROSSREF_ALONE_MIN) is None or not published.authors):
        result.problems.append("only a Crossref record with a less similar title or no authors")
        published = None
    result.published = published
    return result


def enrich(
    works: Iterable[tuple[str, str]],
    transport: Transport,
    services: tuple[str, ...] = ("arxiv", "crossref"),
    progress: Callable[[str], None] | None = None,
) -> list[Resolution]:
    """Resolve every (normalised title, title) pair, in the order given."""
    out = []
    for normalised, title in works:
        if progress:
            progress(title)
        out.append(resolve_one(transport, normalised, title, services))
    return out


def _entry(resolution: Resolution, key: str) -> model.Entry:
    pre, pub = resolution.preprint, resolution.published
    main = pre or pub
    assert main is not None
    fields: list[tuple[str, str]] = [("title", protect_title(main.title))]
    if resolution.authors:
        fields.insert(0, ("author", format_names(resolution.authors)))
    if resolution.year:
        fields.append(("year", str(resolution.year)))
    if pub and pub.venue:
        fields.append(("journal" if pub.entrytype == "article" else "booktitle", escape(pub.venue)))
    if pre:
        fields += [("eprint", pre.arxiv or ""), ("eprinttype", "arXiv")]
        if pre.primary_class:
            fields.append(("eprintclass", pre.primary_class))
    if pub:
        fields.append(("doi", escape(pub.doi or "")))
    fields.append(("url", main.url))
    fields.append((SOURCE_FIELD, "; ".join(f"{k}: {v}" for k, v in sorted(resolution.sources().items()))))
    entrytype = pub.entrytype if pub and pub.venue else "misc"
    return model.Entry(entrytype, key, [model.Field(k, v) for k, v in fields])


def write_metadata_bib(resolutions: Sequence[Resolution], path: str | Path) -> int:
    """Write the found works as BibTeX (keys by the package's rule); returns how many."""
    found = sorted((r for r in resolutions if r.found), key=lambda r: r.normalised)
    keys = assign_keys(
        (r.normalised, base_key(r.authors, r.year, (r.preprint or r.published).title))  # type: ignore[union-attr]
        for r in found
    )
    library = bibtexparser.Library()
    for r in found:
        library.add(_entry(r, keys[r.normalised]))
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    fmt.trailing_comma = True
    text = bibtexparser.write_string(library, bibtex_format=fmt) if found else ""
    header = (
        "% Written by `alignsurvey enrich`; each entry's alignsurvey-source field says where its fields come from.\n"
    )
    write_text(Path(path), header + text.strip("\n") + ("\n" if text.strip() else ""))
    return len(found)
