"""The typed document model every output is built from.

The reader fills these records once; the graph, BibTeX and lint layers only
read them.  They are frozen so a survey can be shared between threads and
cached without defensive copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class Citation:
    """A numeric in-text citation such as ``[36; 1]`` or ``[3-5]``.

    ``start``/``end`` are offsets into :attr:`Sentence.text`, so
    ``sentence.text[start:end]`` is the bracket exactly as printed.
    """

    start: int
    end: int
    text: str
    numbers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class QuotedWork:
    """A work named by its quoted title in the prose, not by number."""

    start: int
    end: int
    text: str
    reference: int | None
    score: float


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    text: str
    line: int
    section: str | None
    paragraph: int
    citations: tuple[Citation, ...] = ()
    quoted: tuple[QuotedWork, ...] = ()

    @property
    def cited_numbers(self) -> tuple[int, ...]:
        seen: dict[int, None] = {}
        for citation in self.citations:
            for number in citation.numbers:
                seen.setdefault(number, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered heading.  ``key`` is the number ("3.4") or, for an
    unnumbered heading, a slug of its title."""

    key: str
    number: str | None
    title: str
    level: int
    line: int
    parent: str | None


@dataclass(frozen=True, slots=True)
class Reference:
    """An entry of the References list; ``printed`` is kept verbatim.

    ``url`` is a web address printed with the title (a Markdown link or a bare
    URL), kept apart so it never becomes part of the title or the work's key.
    """

    number: int
    printed: str
    title: str
    line: int
    url: str = ""


@dataclass(frozen=True, slots=True)
class Survey:
    id: str
    path: str
    title: str
    title_line: int
    sha256: str
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    references: tuple[Reference, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    def reference(self, number: int) -> Reference | None:
        for ref in self.references:
            if ref.number == number:
                return ref
        return None

    def section(self, key: str) -> Section | None:
        for sec in self.sections:
            if sec.key == key:
                return sec
        return None

    def citation_pairs(self) -> set[tuple[str | None, int]]:
        """Distinct (section, reference number) pairs cited in the body."""
        return {(s.section, n) for s in self.sentences for n in s.cited_numbers}
