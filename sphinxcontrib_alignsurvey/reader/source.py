"""Turn a path into normalised text, or a :class:`SurveyError` naming the spot.

Binary and non-UTF-8 files are refused with the line of the first bad byte:
guessing an encoding would silently corrupt titles and names.  The one
exception is text that says what it is: a UTF-16 or UTF-32 byte-order mark
is read as such (and reported, see :attr:`Source.encoding`).  Only regular
files are read: a named pipe, a device or a socket would block the reader
forever, or feed it without end.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..core.diagnostics import SurveyError

MAX_BYTES = 64 * 1024 * 1024

# longest marks first: the UTF-32-LE mark begins with the UTF-16-LE one
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32LE"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32BE"),
    (b"\xff\xfe", "utf-16-le", "UTF-16LE"),
    (b"\xfe\xff", "utf-16-be", "UTF-16BE"),
)

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    text: str
    sha256: str
    had_bom: bool
    had_crlf: bool
    encoding: str = "UTF-8"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _utf16_without_mark(data: bytes) -> str | None:
    """ "UTF-16LE"/"UTF-16BE" when NUL bytes fall on every other byte, as ASCII text in UTF-16 does."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "UTF-16LE"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "UTF-16BE"
    return None


def _decode_marked(data: bytes, path: str, digest: str) -> Source | None:
    for mark, codec, name in _BOMS:
        if data.startswith(mark):
            try:
                text = data[len(mark) :].decode(codec)
            except UnicodeDecodeError as exc:
                line = data[len(mark) : len(mark) + exc.start].decode(codec, "replace").count("\n") + 1
                raise SurveyError(
                    path,
                    line,
                    f"{name} byte-order mark, but byte {exc.start + len(mark)} is not valid {name}; "
                    "re-save the file as UTF-8",
                ) from None
            return _source(path, text, digest, True, name)
    return None


def _source(path: str, text: str, digest: str, had_bom: bool, encoding: str) -> Source:
    had_crlf = "\r" in text
    if had_crlf:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Source(path=path, text=text, sha256=digest, had_bom=had_bom, had_crlf=had_crlf, encoding=encoding)


def decode(data: bytes, path: str) -> Source:
    """Decode UTF-8 (with or without BOM; UTF-16/32 with a BOM) and normalise line ends to ``\\n``."""
    digest = hashlib.sha256(data).hexdigest()
    marked = _decode_marked(data, path, digest)
    if marked is not None:
        return marked
    nul = data.find(b"\x00")
    if nul != -1:
        wide = _utf16_without_mark(data)
        if wide:
            raise SurveyError(path, 1, f"looks like {wide} text without a byte-order mark; re-save the file as UTF-8")
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
    return _source(path, text, digest, had_bom, "UTF-8")


def _kind(mode: int) -> str | None:
    """What a non-regular file is, or ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def load(path: str | Path) -> Source:
    """Read a survey file; every failure becomes a :class:`SurveyError`."""
    name = str(path)
    try:
        info = os.stat(path)  # never blocks, whatever the file is
    except FileNotFoundError:
        raise SurveyError(name, 0, "no such file") from None
    except OSError as exc:
        raise SurveyError(name, 0, f"cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise SurveyError(name, 0, "is a directory, not a survey file")
    kind = _kind(info.st_mode)
    if kind:
        raise SurveyError(name, 0, f"is {kind}, not a regular file; a survey must be a file on disk")
    if info.st_size > MAX_BYTES:
        raise SurveyError(name, 0, f"file is {info.st_size} bytes; surveys larger than {MAX_BYTES} bytes are refused")
    try:
        # O_NONBLOCK: if the path was swapped for a pipe since the stat, opening
        # it must not wait for a writer; fstat then sees what was opened
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise SurveyError(name, 0, f"cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(handle.fileno())
        kind = _kind(opened.st_mode)
        if kind:
            raise SurveyError(name, 0, f"is {kind}, not a regular file; a survey must be a file on disk")
        try:
            data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise SurveyError(name, 0, f"cannot read: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise SurveyError(name, 0, f"file grew past {MAX_BYTES} bytes while being read; refused")
    return decode(data, name)
