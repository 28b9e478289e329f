"""Turn a path into normalised text, or a :class:`SurveyError` naming the spot.

Binary and non-UTF-8 files are refused with the line of the first bad byte:
guessing an encoding would silently corrupt titles and names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core.diagnostics import SurveyError

MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    text: str
    sha256: str
    had_bom: bool
    had_crlf: bool


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, path: str) -> Source:
    """Decode UTF-8 (with or without BOM) and normalise line ends to ``\\n``."""
    digest = hashlib.sha256(data).hexdigest()
    nul = data.find(b"\x00")
    if nul != -1:
        raise SurveyError(path, _line_of(data, nul), "binary file (NUL byte); a survey is UTF-8 Markdown text")
    had_bom = data.startswith(b"\xef\xbb\xbf")
    if had_bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise SurveyError(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8"
        ) from None
    had_crlf = "\r" in text
    if had_crlf:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Source(path=path, text=text, sha256=digest, had_bom=had_bom, had_crlf=had_crlf)


def load(path: str | Path) -> Source:
    """Read a survey file; every failure becomes a :class:`SurveyError`."""
    p = Path(path)
    name = str(path)
    if p.is_dir():
        raise SurveyError(name, 0, "is a directory, not a survey file")
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise SurveyError(name, 0, "no such file") from None
    except OSError as exc:
        raise SurveyError(name, 0, f"cannot read: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise SurveyError(name, 0, f"file is {size} bytes; surveys larger than {MAX_BYTES} bytes are refused")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SurveyError(name, 0, f"cannot read: {exc.strerror}") from None
    return decode(data, name)
