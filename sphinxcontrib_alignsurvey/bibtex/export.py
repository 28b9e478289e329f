"""Records -> BibTeX text, in the layout bibtexparser v2 writes.

Why one renderer for every file: ``references.bib`` (every work, by key) and
``<survey-id>.bib`` (one survey's reference list, in its printed order) must
carry identical entries, so both come from :func:`render`.  Output depends
only on the records and keywords: same inputs, byte-identical files.

Why not bibtexparser's writer on every conversion: the layout is fixed (two
spaces, ``key = {value},``, a blank line between entries) and the values are
escaped here, so its writer only adds braces; importing it and its middleware
cost more than the whole BibTeX step.  :func:`entry` still gives its model,
and ``tests/test_bibtex_export.py`` checks that its writer gives the same text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..core.model import Survey
from ..core.works import normalise
from .latex import escape, format_names, protect_title
from .records import BibRecord

if TYPE_CHECKING:
    from bibtexparser import model

REFERENCES_FILE = "references.bib"


def entry(record: BibRecord, keywords: Sequence[str] = ()) -> model.Entry:
    """One entry as bibtexparser's model (for readers of the fields; :func:`render` writes the text)."""
    from bibtexparser import model

    return model.Entry(record.bibtype, record.key, [model.Field(k, v) for k, v in entry_fields(record, keywords)])


def entry_fields(record: BibRecord, keywords: Sequence[str] = ()) -> list[tuple[str, str]]:
    """One entry's fields, in a fixed order, absent facts left out; values escaped, not yet braced."""
    fields: list[tuple[str, str]] = []
    if record.authors:
        fields.append(("author", format_names(record.authors)))
    fields.append(("title", protect_title(record.title)))
    if record.year:
        fields.append(("year", str(record.year)))
    if record.venue and record.bibtype == "article":
        fields.append(("journal", escape(record.venue)))
    elif record.venue and record.bibtype == "inproceedings":
        fields.append(("booktitle", escape(record.venue)))
    elif record.venue:
        fields.append(("note", escape(record.venue)))
    if record.arxiv:
        # eprinttype is what Zotero, citation-js and pandoc read.  arXiv's own archivePrefix and
        # primaryClass are biber's aliases of eprinttype and eprintclass: writing both spellings makes
        # biber drop one with a data-model warning, so only the biblatex names are written.
        fields += [("eprint", record.arxiv), ("eprinttype", "arXiv")]
        if record.primary_class:
            fields.append(("eprintclass", record.primary_class))
    doi = record.doi or (f"10.48550/arXiv.{record.arxiv}" if record.arxiv else None)
    if doi:  # arXiv's DataCite DOI: the one identifier every importer keeps
        fields.append(("doi", escape(doi)))
    url = record.arxiv_url or record.doi_url or record.url  # an identifier's page before a printed one
    if url:
        fields.append(("url", url))
    if record.former_keys:  # biblatex resolves a document's old \cite keys through `ids`
        fields.append(("ids", ",".join(record.former_keys)))
    if not record.authors:  # styles sort and label by `key` without an author; a short one reads once
        fields.append(("key", escape(short_label(record.title))))
    if keywords:
        fields.append(("keywords", ", ".join(escape(k.replace(",", " ")) for k in keywords)))
    return fields


def short_label(title: str, words: int = 3) -> str:
    """The first words of a title up to its subtitle, for the ``key`` of an author-less entry.

    Why not the whole title: natbib prints the key as the citation label and the
    title again in the entry, so a full-title key showed the title twice.
    """
    head = title.split(":", 1)[0].split()
    return " ".join(head[:words])


def render(records: Iterable[BibRecord], keywords: Mapping[str, Sequence[str]] | None = None) -> str:
    """BibTeX text for *records*, in the order given: what bibtexparser writes with two spaces of
    indent, a trailing comma, braces around every value and a blank line between entries."""
    keywords = keywords or {}
    blocks: list[str] = []
    keys: set[str] = set()
    for record in records:
        if record.key in keys:  # bibtexparser refuses a library with a key twice
            raise ValueError(f"citation key {record.key!r} is given to two entries")
        keys.add(record.key)
        fields = entry_fields(record, keywords.get(record.normalised, ()))
        body = "".join(f"  {k} = {{{v}}},\n" for k, v in fields)
        blocks.append(f"@{record.bibtype}{{{record.key},\n{body}}}\n")
    return "\n".join(blocks)


def all_works(records: Mapping[str, BibRecord]) -> list[BibRecord]:
    """Every work, sorted by key (the order reference managers show anyway)."""
    return sorted(records.values(), key=lambda r: r.key)


def survey_works(survey: Survey, records: Mapping[str, BibRecord]) -> list[BibRecord]:
    """A survey's reference list in printed order, each work once."""
    seen: set[str] = set()
    out: list[BibRecord] = []
    for ref in survey.references:
        norm = normalise(ref.title)
        if norm in records and norm not in seen:
            seen.add(norm)
            out.append(records[norm])
    return out


def bib_files(
    surveys: Sequence[Survey], records: Mapping[str, BibRecord], keywords: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """File name -> text: ``references.bib`` plus one ``<survey-id>.bib`` per survey.

    Each entry is rendered once and shared by every file that lists it: a file
    is its entries joined by a blank line, exactly what :func:`render` writes
    for them together (a work cited by fifty surveys is not written fifty times).
    """
    entries = {r.normalised: render([r], keywords) for r in all_works(records)}
    files = {REFERENCES_FILE: "\n".join(entries[r.normalised] for r in all_works(records))}
    for survey in sorted(surveys, key=lambda s: s.id):
        files[f"{survey.id}.bib"] = "\n".join(entries[r.normalised] for r in survey_works(survey, records))
    return files
