"""Read survey Markdown into the :mod:`..model`.

``read_survey(path)`` is the one entry point most callers need; it raises
:class:`~..diagnostics.SurveyError` only when the file cannot be read at all
and otherwise returns a survey whose ``diagnostics`` say what was wrong.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from ..core.diagnostics import Diagnostic, Severity, SurveyError
from ..core.model import Survey
from ..core.works import normalise
from . import assemble, checks, controls, quoted
from .pause import cycle_collector_paused
from .references import clean_title
from .source import Source, decode, load

__all__ = ["read_survey", "read_surveys", "read_text", "survey_id", "clean_title", "normalise", "SurveyError"]

_SLUG = re.compile(r"[^a-z0-9]+")


def survey_id(path: str | Path) -> str:
    """Stable identifier: the file name without extension, as a slug.

    Two surveys may share a title (the bundled seeds do); their file names
    differ, and stay the same when the content is edited.  The slug is ASCII
    (it names files and IRIs); accents are folded, and when a name holds
    characters a slug cannot keep ("★", "综述"), a digest of the whole name is
    added so that two such names still give two ids.
    """
    stem = Path(path).stem
    if stem.isascii():
        base = _SLUG.sub("-", stem.lower()).strip("-")
        lossy = False
    else:
        folded = "".join(ch for ch in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(ch))
        base = _SLUG.sub("-", folded.lower()).strip("-")
        lossy = not folded.isascii()
    if base and not lossy:
        return base
    digest = hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{base}-{digest}" if base else f"survey-{digest}"


def read_text(
    text: str,
    path: str = "<string>",
    sha256: str = "",
    sid: str | None = None,
    notes: Iterable[Diagnostic] = (),
) -> Survey:
    """Read survey text that is already decoded; never raises on content.

    *notes* are diagnostics found before the text was decoded (its encoding).
    """
    with cycle_collector_paused():
        return _read(text, path, sha256, sid, notes)


def _read(text: str, path: str, sha256: str, sid: str | None, notes: Iterable[Diagnostic]) -> Survey:
    text, found = controls.clean(text, path)
    b = assemble.build(text, path)
    b.diagnostics.extend(notes)
    b.diagnostics.extend(found)
    index = quoted.TitleIndex.build(b.references)
    assemble.split_paragraphs(b, index)
    if not text.strip():
        b.diagnostics.append(Diagnostic(path, 1, "empty", "the file is empty", Severity.ERROR))
    else:
        b.diagnostics.extend(checks.check(path, b.title, b.references_line, b.sections, b.sentences, b.references))
    # one line per finding: "[0][0]" on one line is one missing citation to report, not two
    diagnostics = sorted(dict.fromkeys(b.diagnostics), key=lambda d: (d.line, d.kind, d.message, d.severity.value))
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


def _notes(source: Source) -> list[Diagnostic]:
    if source.encoding == "UTF-8":
        return []
    return [
        Diagnostic(
            source.path,
            1,
            "encoding",
            f"read as {source.encoding} (its byte-order mark says so); surveys are normally UTF-8",
        )
    ]


def read_bytes(data: bytes, path: str) -> Survey:
    source = decode(data, path)
    return read_text(source.text, path, source.sha256, notes=_notes(source))


def read_survey(path: str | Path) -> Survey:
    """Read one survey file."""
    source = load(path)
    return read_text(source.text, source.path, source.sha256, notes=_notes(source))


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
