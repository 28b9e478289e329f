"""Merge a user's own BibTeX export (Zotero, JabRef) over the curated records.

Why: users keep better metadata in their reference manager than any bundled
file.  Entries match a work by DOI, then arXiv id, then normalised title; the
user's fields win and every disagreement is reported.  Malformed BibTeX is an
error with file and line, raised before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.diagnostics import InputError
from ..core.works import normalise
from .latex import decode, parse_names
from .records import BibRecord, with_keys
from .urls import printed_ids

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.-]*$")
_ARXIV = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?")


class OverlayError(InputError):
    """The user's file is unreadable or malformed (``path:line``)."""


@dataclass(frozen=True, slots=True)
class Conflict:
    path: str
    line: int
    key: str
    field: str
    ours: str
    theirs: str

    def format(self) -> str:
        return (
            f"{self.path}:{self.line}: warning: [metadata-conflict] {self.key}: {self.field} "
            f"{self.ours!r} replaced by {self.theirs!r} from your file"
        )


@dataclass(frozen=True, slots=True)
class UserEntry:
    path: str
    line: int
    key: str
    entrytype: str
    fields: dict[str, str]


def read_bib(path: str | Path) -> list[UserEntry]:
    """Parse strictly: any block bibtexparser could not read is an error."""
    import bibtexparser  # only for a user's file: a conversion without one does not load the parser

    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OverlayError(where, 0, f"cannot read BibTeX file: {exc}") from None
    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        # the parser sets start_line and raw on every block it read; they are Optional only for
        # blocks built by hand, so a missing one counts as the file's start / an empty block
        block = min(library.failed_blocks, key=lambda b: b.start_line or 0)
        reason = getattr(block, "error", None) or "cannot parse this block"
        raw = (block.raw or "").strip()
        first = raw.splitlines()[0][:60] if raw else ""
        raise OverlayError(where, (block.start_line or 0) + 1, f"malformed BibTeX ({_reason(reason)}): {first}")
    out = []
    for entry in library.entries:
        fields = {f.key.lower(): f.value.strip() for f in entry.fields}
        out.append(UserEntry(where, (entry.start_line or 0) + 1, entry.key, entry.entry_type.lower(), fields))
    return out


def _reason(error: object) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]


def arxiv_of(fields: Mapping[str, str]) -> str | None:
    for name in ("eprint", "arxivid", "arxiv"):
        m = _ARXIV.search(fields.get(name, ""))
        if m:
            return m.group(1)
    m = re.search(r"arxiv\.org/abs/" + _ARXIV.pattern, fields.get("url", ""), re.I)
    return m.group(1) if m else None


def doi_of(fields: Mapping[str, str]) -> str | None:
    doi = fields.get("doi", "").strip()
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.I)
    return doi.lower() or None


def apply_overlay(
    records: Mapping[str, BibRecord], paths: Sequence[str | Path]
) -> tuple[dict[str, BibRecord], list[Conflict], list[UserEntry]]:
    """Records with the user's fields merged in, conflicts, and unmatched entries."""
    entries = [e for p in paths for e in read_bib(p)]
    by_doi = {r.doi.lower(): n for n, r in records.items() if r.doi}
    by_arxiv = {r.arxiv: n for n, r in records.items() if r.arxiv}
    by_title = {n: n for n in records}
    for n, r in records.items():
        by_title.setdefault(normalise(r.title), n)
    merged = dict(records)
    conflicts: list[Conflict] = []
    unmatched: list[UserEntry] = []
    fixed: dict[str, str] = {}
    for entry in entries:
        f = entry.fields
        doi, arxiv = doi_of(f), arxiv_of(f)
        norm = (by_doi.get(doi) if doi else None) or (by_arxiv.get(arxiv) if arxiv else None)
        norm = norm or by_title.get(normalise(decode(f.get("title", ""))))
        if norm is None:
            unmatched.append(entry)
            continue
        ours = merged[norm]
        theirs: dict[str, object] = {}
        if f.get("title"):
            theirs["title"] = decode(f["title"])
        if f.get("author"):
            theirs["authors"] = tuple(parse_names(f["author"]))
        year = re.match(r"\d{4}", f.get("year") or f.get("date") or "")
        if year:
            theirs["year"] = int(year.group())
        if doi:
            theirs["doi"] = f["doi"].strip()
        if arxiv:
            theirs["arxiv"] = arxiv
        url = printed_ids([f["url"]]).url if f.get("url") else None
        if url:  # an arXiv or doi.org url says what eprint and doi say
            theirs["url"] = url
        venue = f.get("journal") or f.get("journaltitle") or f.get("booktitle")
        if venue:
            theirs["venue"] = decode(venue)
        if entry.entrytype in ("article", "inproceedings", "misc"):
            theirs["entrytype"] = entry.entrytype
        for name, value in theirs.items():
            current = getattr(ours, name)
            if current not in (None, (), "") and current != value and name != "entrytype":
                shown = "; ".join(current) if isinstance(current, tuple) else str(current)
                new = "; ".join(value) if isinstance(value, tuple) else str(value)
                conflicts.append(Conflict(entry.path, entry.line, ours.key, name, shown, new))
        merged[norm] = replace(ours, **theirs)  # type: ignore[arg-type]
        resolved = "alignsurvey-source" in f  # written by `alignsurvey enrich`: facts, not the user's key
        if KEY.match(entry.key) and entry.key not in fixed.values() and not resolved:
            fixed[norm] = entry.key
    return with_keys(merged, fixed), conflicts, unmatched
