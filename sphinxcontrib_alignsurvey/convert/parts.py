"""One survey's share of a conversion, computed from that survey alone.

Why parts: a conversion is read -> check -> link -> graph for each survey,
then a few values that depend on the whole corpus (works merged by
normalised title, citation keys, evidence counts and confidence of links
found in several surveys, the provenance run).  Everything before the merge
is a function of one survey and the conversion's :class:`Settings`, so it can
run in any process, in any order, and be kept on disk for a later
``convert --add``; :func:`.merge.merge_parts` computes the corpus-wide values.
Converting in one process, in five, or in two sittings gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..bibtex.verified import verified_identifiers, verified_titles
from ..check import DEFAULT, Finding, Thresholds, check_survey, flagged_citations
from ..check.model import VocabularyWords
from ..check.rdf import finding_triples
from ..core.diagnostics import Diagnostic, Severity, SurveyError
from ..core.manifest import sha256_file
from ..core.model import Survey
from ..core.version import __version__
from ..graph.build import survey_lines
from ..graph.runs import sort_lines
from ..links.mentions import finders
from ..links.model import FlaggedCitations, Linker, SurveyLinks
from ..links.vocabulary import Vocabulary
from ..reader import read_survey


@dataclass(frozen=True)
class Settings:
    """What every part of one conversion must share: parts made with other settings do not merge."""

    vocabulary: Vocabulary
    verified: frozenset[str] | None = None  # normalised titles with verified metadata (None: not checked)
    metadata: tuple[str, ...] = ()  # SHA-256 of the user's metadata files, in order
    thresholds: Thresholds = DEFAULT
    # (normalised title, "arxiv" or "doi", id) of verified records: printed addresses are compared with them
    identifiers: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def read(cls, vocabulary: Vocabulary, metadata: Sequence[str | Path] = ()) -> Settings:
        """The settings of a conversion with these metadata files (the curated works file first).

        Why one constructor: workers, shards and ``--add`` must compare parts made with
        exactly the settings ``convert`` makes; raises ``InputError`` on a malformed file.
        """
        identifiers = verified_identifiers(metadata)
        return cls(
            vocabulary,
            frozenset(verified_titles(metadata)),
            tuple(sha256_file(Path(m)) for m in metadata),
            identifiers=tuple(sorted((t, k, v) for t, ids in identifiers.items() for k, v in ids.items())),
        )

    def digest(self) -> str:
        """Version, vocabulary, verified titles and ids, metadata files and check thresholds, as one digest."""
        h = hashlib.sha256(f"alignsurvey {__version__}\0{self.thresholds!r}\0".encode())
        for line in sorted(f"{t}" for t in self.vocabulary.triples):
            h.update(line.encode() + b"\n")
        h.update(b"\0verified\0")
        for title in sorted(self.verified) if self.verified is not None else ["<unchecked>"]:
            h.update(title.encode() + b"\n")
        h.update(b"\0identifiers\0" + "\n".join("\t".join(i) for i in self.identifiers).encode())
        h.update(b"\0metadata\0" + "\n".join(self.metadata).encode())
        return h.hexdigest()[:32]


class Context:
    """The per-process state built once from :class:`Settings`: the matchers of the vocabulary."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # two matchers: linking reads the vocabulary's context cues, the citation check's does not
        plain, cued = finders(settings.vocabulary)
        self.words = VocabularyWords.of_vocabulary(settings.vocabulary, plain)
        self.link = Linker(settings.vocabulary, cued)
        self.identifiers: dict[str, dict[str, str]] = {}
        for title, kind, value in settings.identifiers:
            self.identifiers.setdefault(title, {})[kind] = value


@dataclass
class SurveyPart:
    """What one survey contributes: its model, findings and links, and its triples as a sorted run file.

    *survey* and *links* are complete when the part was built in this process;
    a part that came from another process or from disk carries only what the
    merge needs (:meth:`slim`): the survey's header and references, and the
    links that are merged across surveys.
    """

    survey: Survey
    findings: tuple[Finding, ...] = ()
    links: SurveyLinks | None = None
    run: Path | None = None  # sorted, distinct N-Triples lines (graph.runs.sort_lines)
    namespaces: frozenset[str] = frozenset()
    mentions: int = 0
    errors: tuple[Diagnostic, ...] = ()  # reading errors: the conversion stops
    source: str = ""  # the path as given
    run_sha256: str = ""

    def slim(self) -> SurveyPart:
        """Only what the merge reads: no sentences or sections, no per-sentence mentions."""
        survey = replace(self.survey, sections=(), sentences=())
        links = None
        if self.links is not None:
            links = SurveyLinks(self.links.survey, corpus=self.links.corpus)
        return replace(self, survey=survey, links=links)


def build_part(path: str | Path, ctx: Context, run_dir: Path, name: str) -> SurveyPart:
    """Read, check, link and build one survey; its sorted run is written to ``run_dir/name``."""
    part = read_part(path, ctx)
    return part if part.errors else write_run(part, run_dir / name)


#: How :func:`read_part` has a survey's citations checked: started with the survey, the findings
#: when called (in this process: already there; see ``convert.pool`` for a forked child's).
Checking = Callable[[Survey, Context], Callable[[], tuple[Finding, ...]]]


def check_part(survey: Survey, ctx: Context) -> tuple[Finding, ...]:
    """The citation check's findings for one survey."""
    return tuple(check_survey(survey, ctx.words, ctx.settings.verified, ctx.settings.thresholds, ctx.identifiers))


def check_here(survey: Survey, ctx: Context) -> Callable[[], tuple[Finding, ...]]:
    findings = check_part(survey, ctx)
    return lambda: findings


def read_part(path: str | Path, ctx: Context, checking: Checking = check_here) -> SurveyPart:
    """Read, check and link one survey: its part without triples (no run yet, see :func:`write_run`).

    The sentences' mentions and claimed links are read while *checking* runs
    (they do not depend on its findings); the findings then decide which
    citations the links may rest on.
    """
    try:
        survey = read_survey(path)
    except SurveyError as exc:
        bad = Diagnostic(exc.path, exc.line, "unreadable", exc.message, Severity.ERROR)
        return SurveyPart(_unread(str(path)), errors=(bad,), source=str(path))
    if survey.errors:
        return SurveyPart(survey, errors=survey.errors, source=str(path))
    findings_of = checking(survey, ctx)
    readings = ctx.link.read(survey)
    findings = findings_of()
    refs, cites = flagged_citations(findings)
    links = ctx.link(survey, FlaggedCitations(frozenset(refs), frozenset(cites)), readings)
    mentions = sum(len(m) for m in links.mentions.values())
    return SurveyPart(survey, findings, links, mentions=mentions, source=str(path))


def write_run(part: SurveyPart, run: Path) -> SurveyPart:
    """*part* (from :func:`read_part`) with its triples built, sorted and written to *run*."""
    if part.links is None:
        raise ValueError(f"survey part {part.source!r} has no links to build triples from")
    lines = survey_lines(part.survey, part.links, finding_triples(part.findings))
    data = sort_lines(lines.lines)
    run.write_bytes(data)
    namespaces = frozenset(lines.all_namespaces())
    return replace(part, run=run, namespaces=namespaces, run_sha256=hashlib.sha256(data).hexdigest())


def _unread(path: str) -> Survey:
    return Survey(id="", path=path, title="", title_line=0, sha256="", sections=(), sentences=(), references=())
