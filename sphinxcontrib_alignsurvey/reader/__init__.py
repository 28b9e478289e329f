"""Read survey Markdown into the :mod:`..model`.

``read_survey(path)`` is the one entry point most callers need; it raises
:class:`~..diagnostics.SurveyError` only when the file cannot be read at all
and otherwise returns a survey whose ``diagnostics`` say what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..core.diagnostics import Diagnostic, Severity, SurveyError
from ..core.model import Survey
from . import assemble, checks, quoted
from .references import clean_title
from ..core.works import normalise
from .source import decode, load

__all__ = ["read_survey", "read_surveys", "read_text", "survey_id", "clean_title", "normalise", "SurveyError"]


def survey_id(path: str | Path) -> str:
    """Stable identifier: the file name without extension, as a slug.

    Two surveys may share a title (the bundled seeds do); their file names
    differ, and stay the same when the content is edited.
    """
    return assemble.slug(Path(path).stem)


def read_text(text: str, path: str = "<string>", sha256: str = "", sid: str | None = None) -> Survey:
    """Read survey text that is already decoded; never raises on content."""
    b = assemble.build(text, path)
    index = quoted.TitleIndex.build(b.references)
    assemble.split_paragraphs(b, index)
    if not text.strip():
        b.diagnostics.append(Diagnostic(path, 1, "empty", "the file is empty", Severity.ERROR))
    else:
        b.diagnostics.extend(
            checks.check(path, b.title, b.references_line, b.sections, b.sentences, b.references)
        )
    diagnostics = sorted(b.diagnostics, key=lambda d: (d.line, d.kind, d.message))
    return Survey(
        id=sid or survey_id(path),
        path=path,
        title=b.title,
        title_line=b.title_line,
        sha256=sha256,
        sections=tuple(b.sections),
        sentences=tuple(b.sentences),
        references=tuple(b.references),
        diagnostics=tuple(diagnostics),
    )


def read_bytes(data: bytes, path: str) -> Survey:
    source = decode(data, path)
    return read_text(source.text, path, source.sha256)


def read_survey(path: str | Path) -> Survey:
    """Read one survey file."""
    source = load(path)
    return read_text(source.text, source.path, source.sha256)


def read_surveys(
    paths: Iterable[str | Path], progress: Callable[[str], None] | None = None
) -> tuple[list[Survey], list[Diagnostic]]:
    """Read every file; a file that cannot be read becomes an ``unreadable`` error, not an exception,
    so one run reports every bad input."""
    surveys: list[Survey] = []
    failures: list[Diagnostic] = []
    for path in paths:
        if progress:
            progress(str(path))
        try:
            surveys.append(read_survey(path))
        except SurveyError as exc:
            failures.append(Diagnostic(exc.path, exc.line, "unreadable", exc.message, Severity.ERROR))
    return surveys, failures
