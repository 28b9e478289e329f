"""The bibliography of a conversion: records, graph triples and ``.bib`` files.

Why one entry point: ``alignsurvey convert`` and the Sphinx extension must
produce the same keys and entries.  Both call :func:`prepare` (curated
metadata + optional user overlays -> records with keys) and then either
:func:`bib_payloads` (all files, for an atomic write together with the graph)
or :func:`write_bibliography` (just ``references.bib``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core import namespaces as ns
from ..core.atomic import write_text
from ..core.model import Survey
from ..core.works import collect_works
from ..links.model import LinkModel, keywords_by_work
from ..reader.references import clean_title
from .export import all_works, bib_files, render
from .metadata import curated_metadata
from .overlay import Conflict, UserEntry, apply_overlay
from .records import BibRecord, build_records
from .register import load_register


@dataclass
class Bibliography:
    records: dict[str, BibRecord]
    conflicts: list[Conflict] = field(default_factory=list)
    unmatched: list[UserEntry] = field(default_factory=list)

    def titles(self) -> dict[str, str]:
        """Normalised title -> title as published, where it differs from the survey's."""
        return {n: r.title for n, r in self.records.items() if r.title != r.survey_title}


def uncited_works(
    named: Collection[str], cited: Collection[str], works_file: str | Path | None = None
) -> list[BibRecord]:
    """The curated records of the works whose IRIs are in *named* and whose normalised titles are not in
    *cited*, in title order: a concept names them and no survey cites them, so they have no key (no
    .bib file has them)."""
    out = []
    for n, r in sorted(curated_metadata(works_file).items()):
        if n in cited or ns.work_iri(n).value not in named:
            continue
        title = clean_title(r.published_title or r.printed)
        out.append(BibRecord(n, "", title, title, r.authors, r.year, r.arxiv, r.doi, venue=r.venue))
    return out


def prepare(
    surveys: Sequence[Survey], overlays: Sequence[str | Path] = (), works_file: str | Path | None = None
) -> Bibliography:
    """Records for every cited work; raises MetadataError / OverlayError on bad input."""
    records = build_records(collect_works(surveys), curated_metadata(works_file), load_register())
    if not overlays:
        return Bibliography(records)
    merged, conflicts, unmatched = apply_overlay(records, overlays)
    return Bibliography(merged, conflicts, unmatched)


def keywords(links: LinkModel, labels: Mapping[str, str], records: Mapping[str, BibRecord]) -> dict[str, list[str]]:
    """Normalised title -> labels of the concepts the work is cited alongside."""
    by_iri = {ns.work_iri(n).value: n for n in records}
    return {by_iri[w]: labels for w, labels in keywords_by_work(links, labels, by_iri).items()}


def bib_payloads(
    surveys: Sequence[Survey], bibliography: Bibliography, links: LinkModel, labels: Mapping[str, str]
) -> dict[str, bytes]:
    """File name -> bytes for ``references.bib`` and every ``<survey-id>.bib``."""
    kw = keywords(links, labels, bibliography.records)
    return {name: text.encode("utf-8") for name, text in bib_files(surveys, bibliography.records, kw).items()}


def write_bibliography(
    surveys: Sequence[Survey],
    links: LinkModel,
    labels: Mapping[str, str],
    path: str | Path,
    overlays: Sequence[str | Path] = (),
) -> Path:
    """Write every cited work to *path* (e.g. ``references.bib``) atomically.

    *links* is the link model of the same surveys and *labels* the concepts'
    labels (both from a conversion); the ``keywords`` come from them.  Keys
    equal those stored as ``align:citationKey`` by the converter.
    """
    bibliography = prepare(surveys, overlays)
    target = Path(path)
    write_text(target, render(all_works(bibliography.records), keywords(links, labels, bibliography.records)))
    return target
