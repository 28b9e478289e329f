"""Diagnostics: what the reader noticed about a survey, with file and line.

Every problem a user can fix is reported as a :class:`Diagnostic` rather than
an exception, so one run shows all of them at once.  Only input that cannot be
read at all raises :class:`SurveyError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

# C0 and C1 controls and DEL, shown as escapes when a diagnostic is printed: a
# file name or an excerpt must never move the cursor or recolour a terminal
_TERMINAL_SAFE = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0)) if code not in (0x09,)}


def excerpt(text: str, limit: int = 120) -> str:
    """*text* quoted for a message, cut at *limit* characters: one diagnostic stays one readable line."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def printable(text: str) -> str:
    """*text* with control characters written as ``\\xNN`` escapes (tabs kept)."""
    return text.translate(_TERMINAL_SAFE)


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
        """One line for a terminal: ``path:line: severity: [kind] message``, control characters escaped."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return printable(f"{where}: {self.severity.value}: [{self.kind}] {self.message}")

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
