"""Which titles have verified metadata: the curated works files plus the user's own library.

Why here: ``alignsurvey check`` reports a reference whose title matches no
verified work (possibly invented), but the check layer may not import
BibTeX; the CLI and the conversion pipeline call this and hand the set down.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..core.works import normalise
from ..reader.references import clean_title
from .metadata import curated_metadata


def verified_titles(overlays: Sequence[str | Path] = (), works_file: str | Path | None = None) -> set[str]:
    """Normalised titles of works with something verified (authors, year, arXiv id or DOI) in the
    curated works files (or *works_file*), and of every titled entry of the user's .bib files; raises
    MetadataError / OverlayError on malformed input."""
    out: set[str] = set()
    for record in curated_metadata(works_file).values():
        if record.authors or record.year or record.arxiv or record.doi:
            out.add(record.normalised)
            if record.published_title:
                out.add(normalise(clean_title(record.published_title)))
    if overlays:  # bibtexparser only when the user gave a library: `check` starts faster without
        from .latex import decode
        from .overlay import read_bib
    for path in overlays:
        for entry in read_bib(path):
            title = entry.fields.get("title")
            if title:
                out.add(normalise(clean_title(decode(title))))
    out.discard("")
    return out


def verified_identifiers(
    overlays: Sequence[str | Path] = (), works_file: str | Path | None = None
) -> dict[str, dict[str, str]]:
    """Normalised title -> its verified ``{"arxiv": id, "doi": doi}`` (either may be missing), from the
    works file and then the user's .bib files (whose ids win); for the check that a printed arXiv or
    doi.org address names the work it is printed with."""
    out: dict[str, dict[str, str]] = {}

    def note(title: str, arxiv: str | None, doi: str | None) -> None:
        ids = {k: v for k, v in (("arxiv", arxiv), ("doi", doi.lower() if doi else None)) if v}
        if title and ids:
            out.setdefault(title, {}).update(ids)

    for record in curated_metadata(works_file).values():
        for title in {record.normalised, normalise(clean_title(record.published_title or ""))}:
            note(title, record.arxiv, record.doi)
    if overlays:
        from .latex import decode
        from .overlay import arxiv_of, doi_of, read_bib
    for path in overlays:
        for entry in read_bib(path):
            title = normalise(clean_title(decode(entry.fields.get("title", ""))))
            note(title, arxiv_of(entry.fields), doi_of(entry.fields))
    out.pop("", None)
    return out
