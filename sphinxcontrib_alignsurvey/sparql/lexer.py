"""A SPARQL 1.1 lexer that follows the grammar's terminals (SPARQL 1.1 Query, 19.8).

Why exact terminals: the refusal of SERVICE (see :mod:`.safety`) decides which
parts of a request are inert text -- comments, strings, IRIs -- and a lexer
that ends a comment at a different character than the engine opens a gap.
The old tokenizer ended comments at ``\\n`` only, while the grammar (and
Oxigraph) also end them at ``\\r``, so ``# c\\rSERVICE <...>`` hid a SERVICE
clause from the check and not from the engine.  Here whitespace is exactly
``[ \\t\\r\\n]``, a comment runs to ``\\r`` or ``\\n``, strings admit only
ECHAR and UCHAR escapes, and names use the grammar's character classes.

A quote that opens no well-formed string makes the whole request a syntax
error for the engine; the lexer then stops with one ``error`` token holding
the rest of the text (so callers can refuse conservatively), and no input
is scanned twice: every pass is linear in the length of the request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..core.grammar import DIGITS, PN_CHARS_BASE, PN_CHARS_EXTRA, UNDERSCORE

# The grammar's character classes (PN_CHARS_BASE, PN_CHARS_U, PN_CHARS and VARNAME's) come from
# core.grammar, which the display of prefixed names shares.  They are written into the patterns as
# *negated* classes of their complements: ``re`` builds a bitmap over every code point a class
# lists, so the complement (about 12k BMP code points instead of 60k) compiles about five times
# faster, and the lexer is imported by every command that runs a query.  tests/test_sparql_lexer.py
# checks both forms agree.
BASE_RANGES = PN_CHARS_BASE
_EXTRA = PN_CHARS_EXTRA


def _merge(ranges: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _escape(cp: int) -> str:
    return f"\\U{cp:08x}" if cp > 0xFFFF else f"\\u{cp:04x}"


def char_class(*parts: tuple[tuple[int, int], ...], extra: str = "", ascii_only: bool = False) -> str:
    """A class matching the union of *parts* and the ASCII characters in *extra*, written negated.

    With *ascii_only*, only the class's ASCII members, listed: for text known to be ASCII it
    matches the same characters and compiles in a fraction of the time.
    """
    ranges = [r for part in parts for r in part] + [(ord(c), ord(c)) for c in extra]
    if ascii_only:
        listed = [(lo, min(hi, 0x7F)) for lo, hi in _merge(ranges) if lo <= 0x7F]
        return "[" + "".join(_escape(lo) if lo == hi else f"{_escape(lo)}-{_escape(hi)}" for lo, hi in listed) + "]"
    complement, start = [], 0
    for lo, hi in _merge(ranges):
        if lo > start:
            complement.append((start, lo - 1))
        start = hi + 1
    if start <= 0x10FFFF:
        complement.append((start, 0x10FFFF))
    body = "".join(_escape(lo) if lo == hi else f"{_escape(lo)}-{_escape(hi)}" for lo, hi in complement)
    return f"[^{body}]"


def _classes(ascii_only: bool = False) -> dict[str, str]:
    def cls(*parts: tuple[tuple[int, int], ...], extra: str = "") -> str:
        return char_class(*parts, extra=extra, ascii_only=ascii_only)

    u = UNDERSCORE
    return {
        "B": cls(BASE_RANGES),  # PN_CHARS_BASE
        "CU09": cls(BASE_RANGES, u, DIGITS),  # PN_CHARS_U | [0-9]
        "C": cls(BASE_RANGES, u, _EXTRA, extra="-"),  # PN_CHARS
        "CDOT": cls(BASE_RANGES, u, _EXTRA, extra="-."),  # PN_CHARS | "."
        "CDOTCOLON": cls(BASE_RANGES, u, _EXTRA, extra="-.:"),
        "CCOLON": cls(BASE_RANGES, u, _EXTRA, extra="-:"),
        "CU09COLON": cls(BASE_RANGES, u, DIGITS, extra=":"),
        "VAR": cls(BASE_RANGES, u, _EXTRA),  # VARNAME's characters
        "VARDASH": cls(BASE_RANGES, u, _EXTRA, extra="-"),
    }


_FULL = _classes()
_B, _CU09, _C, _VAR = _FULL["B"], _FULL["CU09"], _FULL["C"], _FULL["VAR"]
_ESC = r"""\\[tbnrf\\"']|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"""
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"


def _token_source(c: dict[str, str]) -> str:
    return rf"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ESC}))*'''
              | \"\"\"(?:(?:"|"")?(?:[^"\\]|{_ESC}))*\"\"\"
              | '(?:[^'\\\n\r]|{_ESC})*'
              | "(?:[^"\\\n\r]|{_ESC})*")
  | (?P<error>['"])
  | (?P<iri><[^<>"{{}}|^`\x00-\x20]*>)
  | (?P<var>[?$]{c["VAR"]}+)
  | (?P<bnode>_:{c["CU09"]}(?:{c["CDOT"]}*{c["C"]})?)
  | (?P<pname>(?:{c["B"]}(?:{c["CDOT"]}*{c["C"]})?)?:
              (?:(?:{c["CU09COLON"]}|{_PLX})(?:(?:{c["CDOTCOLON"]}|{_PLX})*(?:{c["CCOLON"]}|{_PLX}))?)?)
  | (?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[A-Za-z]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<other>.)
    """


@lru_cache(maxsize=2)
def patterns(ascii_only: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The token pattern and the name-head pattern, compiled on first use.

    Why two sets: the full character classes take ~15 ms to compile, more than
    a cold query's answer; for ASCII text (nearly every query) the ASCII-only
    classes match the same characters (``tests/test_sparql_lexer.py`` checks
    both lex every query alike) and compile in well under a millisecond.
    """
    c = _classes(ascii_only) if ascii_only else _FULL
    token = re.compile(_token_source(c), re.VERBOSE | re.DOTALL)
    #: the part of a name the engine reads greedily as one name: letters, digits, ``_ - ·``
    #: and combining marks, but not ``. : % \\``, after which we stop trusting the boundary
    head = re.compile(rf"{c['VARDASH']}*")
    return token, head


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ws comment string error iri var bnode pname number word langtag other
    text: str
    start: int


def lex(text: str) -> Iterator[Token]:
    """Every token of *text*, whitespace and comments included; stops after an ``error`` token."""
    for m in patterns(text.isascii())[0].finditer(text):
        kind = m.lastgroup or "other"
        if kind == "error":  # a quote that opens no well-formed string: the rest cannot parse
            yield Token("error", text[m.start() :], m.start())
            return
        yield Token(kind, m.group(), m.start())


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens (no whitespace or comments) with their offsets."""
    for tok in lex(text):
        if tok.kind not in ("ws", "comment"):
            yield tok


def _inert_head(tok: Token) -> tuple[int, int]:
    """The range of *tok* the engine can only read as inert text (relative to the token)."""
    kind = tok.kind
    if kind in ("ws", "comment", "string", "iri"):
        return 0, len(tok.text)
    skip = {"var": 1, "bnode": 2}.get(kind)
    if skip is None and kind == "pname":
        skip = tok.text.index(":") + 1
    if skip is None:
        return 0, 0
    m = patterns(tok.text.isascii())[1].match(tok.text, skip)
    return skip, m.end() if m else skip


def code_text(text: str) -> str:
    """*text* with every inert part replaced by one space: what could be read as keywords.

    Inert: whitespace, comments, strings, IRIs, and the head of a variable,
    blank node label or prefixed name's local part (which the engine reads
    greedily as one name).  Kept: words, numbers, prefixes, punctuation, the
    tail of a name after ``. : % \\``, and everything after a lexical error.
    Erring towards code is safe: it can only refuse more.
    """
    out: list[str] = []
    for tok in lex(text):
        lo, hi = _inert_head(tok)
        if lo == hi:
            out.append(tok.text)
        else:
            out.append(tok.text[:lo] + " " + tok.text[hi:])
    return "".join(out)


def mentions(text: str, word: str) -> bool:
    """Whether *word* (any case) could be read as a keyword anywhere in *text*.

    Why "anywhere in the code text" and not "a token equal to the word": the
    engine's parser (a PEG) needs no boundary after a keyword, so
    ``SERVICE:x``, ``SERVICESILENT<...>`` and ``1e0SERVICE`` all call a
    service in Oxigraph although no token reads ``SERVICE``.  ``.upper()``
    also maps some non-ASCII letters to ASCII ones, which only refuses more.
    """
    return word.upper() in code_text(text).upper()
