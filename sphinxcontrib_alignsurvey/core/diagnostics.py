"""Diagnostics: what the reader noticed about a survey, with file and line.

Every problem a user can fix is reported as a :class:`Diagnostic` rather than
an exception, so one run shows all of them at once.  Only input that cannot be
read at all raises :class:`SurveyError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, addressable as ``path:line``."""

    path: str
    line: int
    kind: str
    message: str
    severity: Severity = Severity.WARNING

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity.value}: [{self.kind}] {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "kind": self.kind,
            "severity": self.severity.value,
            "message": self.message,
        }


class InputError(Exception):
    """A user's file that cannot be used at all, located as ``path:line``.

    Why one base: the CLI and the Sphinx extension turn every such error into
    the same one-line message (or a :class:`Diagnostic`) without knowing which
    reader raised it.
    """

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: error: {message}")
        self.path = path
        self.line = line
        self.message = message

    def diagnostic(self, kind: str) -> Diagnostic:
        return Diagnostic(self.path, self.line, kind, self.message, Severity.ERROR)


class SurveyError(InputError):
    """Input that cannot be read as a survey at all (missing, binary, undecodable)."""
