"""The conversion pipeline: survey files -> model -> graph -> files on disk.

Shared by ``alignsurvey convert`` and by the Sphinx extension when it is
given survey Markdown instead of RDF.  Nothing is written unless every input
reads without errors, and every file is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from .core.atomic import atomic_group
from .bibtex import Bibliography, bib_payloads, prepare
from .bibtex.verified import verified_titles
from .check import Finding, check_surveys, flagged_citations
from .check.rdf import finding_triples
from .core.diagnostics import Diagnostic, InputError, Severity
from .graph.build import GraphBuild, build_graph
from .core.namespaces import PREFIXES
from .graph.metadata import metadata_triples
from .graph.serialize import FORMATS, serialize_to
from .links.model import FlaggedCitations, LinkModel, build_links, concept_labels
from .links.vocabulary import Vocabulary, load_vocabulary
from .core.model import Survey
from .reader import read_surveys as read_each

GRAPH_STEM = "graph"


class ConversionError(Exception):
    """The inputs have errors; nothing was written."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} error(s) in the input")
        self.diagnostics = list(diagnostics)


@dataclass
class Conversion:
    surveys: list[Survey]
    vocabulary: Vocabulary
    links: LinkModel
    build: GraphBuild
    bibliography: Bibliography | None = None
    warnings: list[Diagnostic] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @cached_property
    def triples(self) -> list[ox.Triple]:
        """The whole graph, sorted; large runs should stream ``build.iter_sorted()``."""
        return self.build.triples


def read_surveys(paths: Iterable[str | Path], progress: Callable[[str], None] | None = None) -> list[Survey]:
    """Read every input; raise :class:`ConversionError` listing all errors."""
    surveys, errors = read_each(paths, progress)
    errors += [d for survey in surveys for d in survey.errors]
    ids: dict[str, str] = {}
    for survey in surveys:
        if survey.id in ids:
            errors.append(
                Diagnostic(survey.path, 0, "survey-id-duplicate",
                           f"survey id {survey.id!r} is also the id of {ids[survey.id]}; rename one file",
                           Severity.ERROR)
            )
        ids.setdefault(survey.id, survey.path)
    if errors:
        raise ConversionError(errors)
    return surveys


def convert(
    paths: Sequence[str | Path],
    vocabulary: Vocabulary | None = None,
    extra: Iterable[ox.Triple] = (),
    progress: Callable[[str], None] | None = None,
    metadata: Sequence[str | Path] = (),
    strict_citations: bool = False,
) -> Conversion:
    """Read and build, without writing anything.

    Work metadata (``ontology/works.yaml``, then the user's *metadata* ``.bib``
    files, which win) adds creators, dates, identifiers and citation keys.

    The citation check runs on every survey: its findings are recorded in the
    graph and the citations it flags give no citation-context link (so no
    BibTeX keyword).  With *strict_citations*, an error-level finding (an
    off-topic work) stops the conversion like a reading error.
    """
    surveys = read_surveys(paths, progress)
    try:
        bibliography = prepare(surveys, metadata)
        verified = verified_titles(metadata)
    except InputError as exc:
        raise ConversionError([exc.diagnostic("metadata")]) from None
    vocab = vocabulary or load_vocabulary()
    findings = check_surveys(surveys, vocab, verified)
    if strict_citations and any(f.is_error for f in findings):
        raise ConversionError([Diagnostic(f.path, f.line, f.kind.value, f.message, f.severity)
                               for f in findings if f.is_error])
    refs, cites = flagged_citations(findings)
    links = build_links(surveys, vocab, FlaggedCitations(frozenset(refs), frozenset(cites)))
    extra = [*extra, *metadata_triples(bibliography.records.values()), *finding_triples(findings)]
    build = build_graph(surveys, vocab, links, extra, titles=bibliography.titles())
    warnings = [d for s in surveys for d in s.diagnostics if not d.is_error]
    warnings += [Diagnostic(c.path, c.line, "metadata-conflict",
                            f"{c.key}: {c.field} {c.ours!r} replaced by {c.theirs!r} from your file")
                 for c in bibliography.conflicts]
    warnings += [Diagnostic(u.path, u.line, "metadata-unmatched", f"entry {u.key!r} matches no cited work")
                 for u in bibliography.unmatched]
    return Conversion(surveys=surveys, vocabulary=vocab, links=links, build=build, bibliography=bibliography,
                      warnings=warnings, findings=findings)


def write_graph(conversion: Conversion, out: str | Path, formats: Sequence[str] = ("ttl",)) -> list[Path]:
    """Stream every format to a temporary file, then move all into place.

    If any format fails, no output file is created or replaced.
    """
    out = Path(out)
    build = conversion.build
    prefixes = {name: iri for name, iri in sorted(PREFIXES.items()) if iri in build.runs.namespaces}
    targets = [out / f"{GRAPH_STEM}{FORMATS[fmt].suffix}" for fmt in formats]
    bibs = {}
    if conversion.bibliography:
        labels = concept_labels(conversion.vocabulary)
        bibs = bib_payloads(conversion.surveys, conversion.bibliography, conversion.links, labels)
    bib_targets = [out / name for name in bibs]
    with atomic_group(targets + bib_targets) as temps:
        for fmt, temp in zip(formats, temps):
            with open(temp, "wb") as fh:
                serialize_to(build.iter_sorted(), fmt, fh, prefixes)
        for data, temp in zip(bibs.values(), temps[len(targets):]):
            temp.write_bytes(data)
    targets += bib_targets
    conversion.written.extend(targets)
    return targets
