"""The bibliography of a conversion: records, graph triples and ``.bib`` files.

Why one entry point: ``alignsurvey convert`` and the Sphinx extension must
produce the same keys and entries.  Both call :func:`prepare` (curated
metadata + optional user overlays -> records with keys) and then either
:func:`bib_payloads` (all files, for an atomic write together with the graph)
or :func:`write_bibliography` (just ``references.bib``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..atomic import write_text
from ..graph import namespaces as ns
from ..graph.works import collect_works
from ..model import Survey
from .export import bib_files, render, all_works
from .metadata import load_metadata
from .overlay import Conflict, UserEntry, apply_overlay
from .records import BibRecord, build_records

SKOS_PREF = ns.SKOS.prefLabel
CITED_ALONGSIDE = ns.ALIGN.citedAlongside


@dataclass
class Bibliography:
    records: dict[str, BibRecord]
    conflicts: list[Conflict] = field(default_factory=list)
    unmatched: list[UserEntry] = field(default_factory=list)

    def triples(self) -> list[ox.Triple]:
        from ..graph.metadata import metadata_triples

        return metadata_triples(self.records.values())

    def titles(self) -> dict[str, str]:
        """Normalised title -> title as published, where it differs from the survey's."""
        return {n: r.title for n, r in self.records.items() if r.title != r.survey_title}


def prepare(
    surveys: Sequence[Survey], overlays: Sequence[str | Path] = (), works_file: str | Path | None = None
) -> Bibliography:
    """Records for every cited work; raises MetadataError / OverlayError on bad input."""
    records = build_records(collect_works(surveys), load_metadata(works_file))
    if not overlays:
        return Bibliography(records)
    merged, conflicts, unmatched = apply_overlay(records, overlays)
    return Bibliography(merged, conflicts, unmatched)


def keywords(triples: Iterable[ox.Triple], records: Mapping[str, BibRecord]) -> dict[str, list[str]]:
    """Normalised title -> labels of the methods and challenges the work is cited alongside."""
    by_iri = {ns.work_iri(n).value: n for n in records}
    labels: dict[str, str] = {}
    links: list[tuple[str, str]] = []
    for t in triples:
        if t.predicate == CITED_ALONGSIDE and t.subject.value in by_iri:
            links.append((by_iri[t.subject.value], t.object.value))
        elif t.predicate == SKOS_PREF and isinstance(t.object, ox.Literal) and t.object.language in (None, "en"):
            labels[t.subject.value] = t.object.value
    out: dict[str, set[str]] = {}
    for norm, concept in links:
        out.setdefault(norm, set()).add(labels.get(concept, ns.local_name(concept)))
    return {n: sorted(v, key=str.casefold) for n, v in out.items()}


def bib_payloads(surveys: Sequence[Survey], bibliography: Bibliography, triples: Iterable[ox.Triple]) -> dict[str, bytes]:
    """File name -> bytes for ``references.bib`` and every ``<survey-id>.bib``."""
    kw = keywords(triples, bibliography.records)
    return {name: text.encode("utf-8") for name, text in bib_files(surveys, bibliography.records, kw).items()}


def write_bibliography(
    surveys: Sequence[Survey],
    build: object,
    path: str | Path,
    overlays: Sequence[str | Path] = (),
) -> Path:
    """Write every cited work to *path* (e.g. ``references.bib``) atomically.

    *build* is the :class:`~sphinxcontrib_alignsurvey.graph.build.GraphBuild`
    (its ``triples``) or any iterable of triples, used for the ``keywords``.
    Keys equal those stored as ``align:citationKey`` by the converter.
    """
    bibliography = prepare(surveys, overlays)
    triples = getattr(build, "triples", build)
    kw = keywords(triples, bibliography.records)  # type: ignore[arg-type]
    target = Path(path)
    write_text(target, render(all_works(bibliography.records), kw))
    return target
