"""The conversion pipeline: survey files -> model -> graph -> files on disk.

Shared by ``alignsurvey convert`` and by the Sphinx extension when it is
given survey Markdown instead of RDF.  Nothing is written unless every input
reads without errors, and every file is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ..bibtex import Bibliography, bib_payloads, prepare
from ..bibtex.bibliography import uncited_works
from ..check import Finding
from ..core.collector import collecting_less
from ..core.diagnostics import Diagnostic, InputError, Severity
from ..core.manifest import Entry, sha256_file
from ..core.model import Survey
from ..core.namespaces import PREFIXES
from ..core.progress import QUIET, Progress
from ..core.publish import Output, Published, publish
from ..core.version import __version__
from ..core.works import collect_works
from ..graph.build import GraphBuild, add_corpus
from ..graph.metadata import metadata_triples, uncited_work_triples
from ..graph.partition import SPLITTABLE, Ranges
from ..graph.runs import Merged, remove_stale_scratch, scratch
from ..graph.serialize import FORMATS, serialize_to
from ..links.model import LinkModel, concept_labels
from ..links.vocabulary import Vocabulary, load_vocabulary
from ..reader import read_surveys as read_each
from .forking import forkable
from .parts import Settings, SurveyPart
from .pool import ForkedRanges, PendingRuns, RangePool, WorkerStats, build_parts, start_early
from .store import INDEX_NAME, PartsError, load_parts, prune, write_index

GRAPH_STEM = "graph"
RANGED_BYTES = 16 << 20  # graphs smaller than this (in N-Triples) are written without a pool
FORKED_RANGE_BYTES = 2 << 20  # and smaller than this, by this process alone (a fork costs more than it saves)
BIB_NAME = "references.bib"


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
    metadata: list[Path] = field(default_factory=list)
    published: Published | None = None
    parts: list[SurveyPart] = field(default_factory=list)  # by survey id
    settings: Settings | None = None
    jobs: int = 1  # processes that built it, and that write it
    worker_stats: WorkerStats = field(default_factory=WorkerStats)  # of the worker processes, if any

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
                Diagnostic(
                    survey.path,
                    0,
                    "survey-id-duplicate",
                    f"survey id {survey.id!r} is also the id of {ids[survey.id]}; rename one file",
                    Severity.ERROR,
                )
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
    steps: Progress = QUIET,
    jobs: int = 1,
    add_to: str | Path | None = None,
) -> Conversion:
    """Read and build, without writing anything.

    Work metadata (``ontology/works.yaml``, then the user's *metadata* ``.bib``
    files, which win) adds creators, dates, identifiers and citation keys.

    The citation check runs on every survey: its findings are recorded in the
    graph and the citations it flags give no citation-context link (so no
    BibTeX keyword).  With *strict_citations*, an error-level finding (an
    off-topic work) stops the conversion like a reading error.
    *steps* hears of each step (reading, checking, building) for a progress display.

    Each survey is converted on its own (:mod:`.parts`), in *jobs* worker
    processes (1: in this one), and the parts are merged (:func:`merge_parts`),
    so the result is the same for any *jobs*.  With *add_to*, the surveys are
    added to the conversion in that folder, whose parts it kept
    (``convert --keep-parts``; see :mod:`.store`), without reading its surveys
    again; a survey with the id of one there replaces it.
    """
    start_early(jobs, len(paths))
    vocab = vocabulary or load_vocabulary()
    with steps.step("reading work metadata"):
        try:
            settings = Settings.read(vocab, metadata)
        except InputError as exc:
            raise ConversionError([exc.diagnostic("metadata")]) from None
    base: list[SurveyPart] = []
    if add_to is not None:
        try:
            base = load_parts(add_to, settings.digest())
        except PartsError as exc:
            raise ConversionError([Diagnostic(str(add_to), 0, "parts", str(exc), Severity.ERROR)]) from None
    remove_stale_scratch()
    run_dir = scratch("runs")
    stats = WorkerStats()
    pending = PendingRuns()  # runs forked children still write while the parts are merged
    try:
        with collecting_less(), steps.step(f"reading {len(paths)} survey(s)", total=len(paths)) as advance:

            def seen(path: str) -> None:
                advance(1)
                if progress:
                    progress(path)

            parts = build_parts(paths, settings, Path(run_dir.name), jobs, seen, stats=stats, pending=pending)
        with collecting_less():
            conversion = merge_parts([*base, *parts], settings, metadata, extra, strict_citations, steps, fresh=parts)
        pending.finish(conversion.build.runs.namespaces)  # runs written while merging
    except BaseException:  # errors in the input, Ctrl-C, SIGTERM (raised by the CLI): no run files left behind
        pending.cancel()
        run_dir.cleanup()
        raise
    conversion.build.runs.keep(run_dir)
    conversion.jobs = jobs
    conversion.worker_stats = stats
    return conversion


def merge_parts(
    parts: Sequence[SurveyPart],
    settings: Settings,
    metadata: Sequence[str | Path] = (),
    extra: Iterable[ox.Triple] = (),
    strict_citations: bool = False,
    steps: Progress = QUIET,
    fresh: Sequence[SurveyPart] = (),
) -> Conversion:
    """One conversion from the parts of its surveys: the corpus-wide values are computed here.

    Those are the works (one per normalised title, with the longest printed
    title), the bibliography's citation keys (disambiguated over all works),
    the links found in several surveys (evidence counts and confidence), and
    the provenance run.  A later part with the id of an earlier one replaces
    it, unless both are *fresh* (read in this run): that is a duplicate.
    """
    errors = [d for p in parts for d in p.errors if d.kind == "unreadable"]
    errors += [d for p in parts for d in p.errors if d.kind != "unreadable"]
    fresh_ids: dict[str, str] = {}
    fresh_parts = {id(p) for p in fresh}
    by_id: dict[str, SurveyPart] = {}
    for part in parts:
        if part.errors:
            continue
        survey = part.survey
        if id(part) in fresh_parts:
            if survey.id in fresh_ids:
                errors.append(
                    Diagnostic(
                        survey.path,
                        0,
                        "survey-id-duplicate",
                        f"survey id {survey.id!r} is also the id of {fresh_ids[survey.id]}; rename one file",
                        Severity.ERROR,
                    )
                )
                continue
            fresh_ids[survey.id] = survey.path
        by_id[survey.id] = part
    if errors:
        raise ConversionError(errors)
    ordered = [by_id[k] for k in sorted(by_id)]
    findings = [f for p in ordered for f in p.findings]
    if strict_citations and any(f.is_error for f in findings):
        raise ConversionError(
            [Diagnostic(f.path, f.line, f.kind.value, f.message, f.severity) for f in findings if f.is_error]
        )
    surveys = [p.survey for p in ordered]
    with steps.step("building the graph"):
        try:
            bibliography = prepare(surveys, metadata)
        except InputError as exc:
            raise ConversionError([exc.diagnostic("metadata")]) from None
        links = LinkModel()
        for part in ordered:
            if part.links is None or part.run is None:  # a part read without errors has both
                raise ValueError(f"survey part {part.source or part.survey.path!r} has no links or run file")
            links.add(part.links)
        build = GraphBuild()
        build.works = collect_works(surveys)
        uncited = uncited_works(settings.vocabulary.cited_works(), build.works)
        extra = [
            *extra,
            *metadata_triples(bibliography.records.values()),
            *uncited_work_triples(uncited),
        ]
        add_corpus(build.runs, surveys, settings.vocabulary, links, build.works, extra, titles=bibliography.titles())
        for part in ordered:
            assert part.run is not None  # checked above
            build.runs.add_sorted_file(part.run, part.namespaces)
            build.mentions += part.mentions
    warnings = [d for s in surveys for d in s.diagnostics if not d.is_error]
    warnings += [
        Diagnostic(
            c.path,
            c.line,
            "metadata-conflict",
            f"{c.key}: {c.field} {c.ours!r} replaced by {c.theirs!r} from your file",
        )
        for c in bibliography.conflicts
    ]
    warnings += [
        Diagnostic(u.path, u.line, "metadata-unmatched", f"entry {u.key!r} matches no cited work")
        for u in bibliography.unmatched
    ]
    return Conversion(
        surveys=surveys,
        vocabulary=settings.vocabulary,
        links=links,
        build=build,
        bibliography=bibliography,
        warnings=warnings,
        findings=findings,
        metadata=[Path(m) for m in metadata],
        parts=ordered,
        settings=settings,
    )


def write_graph(
    conversion: Conversion,
    out: str | Path,
    formats: Sequence[str] = ("ttl",),
    *,
    force: bool = False,
    wait: float = 0.0,
    on_wait: Callable[[int | None], None] | None = None,
    progress: Progress = QUIET,
    jobs: int | None = None,
    keep_parts: bool = False,
) -> list[Path]:
    """Write the graph in *formats*, the BibTeX files and the manifest into *out* as one conversion.

    Everything is streamed to temporary files first and switched in as a group
    (see :mod:`.core.publish`): a failure or SIGTERM leaves the previous
    conversion untouched, our stale outputs are removed, and files alignsurvey
    did not write are refused (:class:`~.core.publish.ForeignFiles`) unless *force*.

    With *jobs* > 1 (default: the conversion's) and a large graph, worker
    processes write ranges of the graph (:mod:`..graph.partition`) while this
    one renders the BibTeX; the bytes are those of the single pass.
    With *keep_parts*, the surveys' parts are kept in the folder (see
    :mod:`.store`) for a later ``convert(..., add_to=out)``.
    """
    build = conversion.build
    build.runs.close_run()
    prefixes = {name: iri for name, iri in sorted(PREFIXES.items()) if iri in build.runs.namespaces}
    jobs = conversion.jobs if jobs is None else jobs
    size = sum(p.stat().st_size for p in build.runs.paths)
    ranges_dir = scratch("ranges")
    pool: RangePool | ForkedRanges | None = None
    ranged = [f for f in formats if f in SPLITTABLE]
    where, stats, keep_nt = Path(ranges_dir.name), conversion.worker_stats, any(f != "ttl" for f in formats)
    if jobs > 1 and size >= RANGED_BYTES:  # ranges written by a pool while the BibTeX is rendered here
        pool = RangePool(build.runs.paths, ranged, prefixes, jobs, where, stats, keep_nt)
    elif jobs > 1 and "ttl" in formats and size >= FORKED_RANGE_BYTES and forkable():  # a forked child: one range
        pool = ForkedRanges(build.runs.paths, ranged, prefixes, where, stats, keep_nt)
    # one merge feeds every format, or the ranges written apart
    source = Ranges(pool.results) if pool is not None else Merged(build.runs, readers=len(formats))
    outputs = [
        Output(f"{GRAPH_STEM}{FORMATS[fmt].suffix}", "graph", partial(_write_graph, source, fmt, prefixes), fmt)
        for fmt in formats
    ]
    try:
        with collecting_less():  # pyoxigraph hands every triple over as an object
            written = _publish(
                conversion,
                out,
                outputs,
                force=force,
                wait=wait,
                on_wait=on_wait,
                progress=progress,
                source=source,
                keep_parts=keep_parts,
            )
        prune(out, wait)
        return written
    finally:
        if pool is not None:
            pool.close()
        source.close()
        ranges_dir.cleanup()


def _publish(
    conversion: Conversion,
    out: str | Path,
    outputs: list[Output],
    *,
    force: bool,
    wait: float,
    on_wait: Callable[[int | None], None] | None,
    progress: Progress,
    source: Merged | Ranges,
    keep_parts: bool,
) -> list[Path]:
    if conversion.bibliography:
        labels = concept_labels(conversion.vocabulary)
        bibs = bib_payloads(conversion.surveys, conversion.bibliography, conversion.links, labels)
        outputs += [
            Output(name, "bibtex" if name == BIB_NAME else "survey-bibtex", partial(_write_bytes, data))
            for name, data in bibs.items()
        ]
    if keep_parts:
        if conversion.settings is None:
            raise ValueError("this conversion was not made from parts; convert() it to keep parts")
        outputs.append(
            Output(INDEX_NAME, "parts", partial(write_index, Path(out), conversion.parts, conversion.settings.digest()))
        )
    inputs = [Entry(Path(s.path).name, "survey", s.sha256) for s in sorted(conversion.surveys, key=lambda s: s.id)]
    inputs += [Entry(Path(m).name, "metadata", sha256_file(Path(m))) for m in conversion.metadata]
    result = publish(
        out,
        outputs,
        inputs,
        f"sphinxcontrib-alignsurvey {__version__}",
        force=force,
        wait=wait,
        on_wait=on_wait,
        progress=progress,
    )
    if isinstance(source, Ranges):
        conversion.build.runs.count = source.count
    conversion.published = result
    conversion.written.extend(result.written)
    return result.written


def _write_graph(source: Merged | Ranges, fmt: str, prefixes: dict[str, str], fh: IO[bytes]) -> None:
    serialize_to(source, fmt, fh, prefixes)


def _write_bytes(data: bytes, fh: IO[bytes]) -> None:
    fh.write(data)
