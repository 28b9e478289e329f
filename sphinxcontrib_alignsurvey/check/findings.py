"""One finding of the citation checks, addressable as ``path:line``.

Why not :class:`~..core.diagnostics.Diagnostic`: a finding also names the
reference it is about, a score, and where it sits in the graph (the in-text
pointer or the reference entry), which ``convert`` needs to record it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from ..core.diagnostics import Severity


class Kind(str, Enum):
    OFF_TOPIC = "citation-off-topic"
    UNSUPPORTED = "citation-unsupported"
    UNVERIFIED = "citation-unverified"
    ID_MISMATCH = "citation-id-mismatch"
    QUANTITATIVE = "claim-quantitative"


SEVERITY: dict[Kind, Severity] = {
    Kind.OFF_TOPIC: Severity.ERROR,
    Kind.UNSUPPORTED: Severity.WARNING,
    Kind.UNVERIFIED: Severity.WARNING,
    Kind.ID_MISMATCH: Severity.WARNING,
    Kind.QUANTITATIVE: Severity.WARNING,
}


@dataclass(frozen=True, slots=True)
class Finding:
    """``sentence``/``pointer`` locate a citation finding (the pointer is the
    index of the bracket within the sentence); reference-level findings leave
    them ``None``.  ``lines`` are the lines that cite the reference."""

    survey: str
    path: str
    line: int
    kind: Kind
    message: str
    reference: int | None = None
    score: float | None = None
    sentence: int | None = None
    pointer: int | None = None
    lines: tuple[int, ...] = field(default=())

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.kind]

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.kind.value, self.reference or 0, self.sentence or 0)

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity.value}: [{self.kind.value}] {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "kind": self.kind.value,
            "severity": self.severity.value,
            "message": self.message,
            "reference": self.reference,
            "score": self.score,
            "survey": self.survey,
            "sentence": self.sentence,
            "lines": list(self.lines),
        }
