"""The character classes of the SPARQL 1.1 and Turtle name grammars, kept once.

Why here: two places must agree on them exactly -- the display of prefixed
names (:func:`.namespaces.is_local_name`, which decides whether an IRI may be
shown as ``prefix:name``) and the SPARQL lexer that decides which parts of a
request are inert text.  A difference between the two would either print a
name the engine refuses or open a gap in the SERVICE check.
"""

from __future__ import annotations

Ranges = tuple[tuple[int, int], ...]

#: PN_CHARS_BASE as code-point ranges (ASCII letters first).
PN_CHARS_BASE: Ranges = (
    (0x41, 0x5A),
    (0x61, 0x7A),
    (0xC0, 0xD6),
    (0xD8, 0xF6),
    (0xF8, 0x2FF),
    (0x370, 0x37D),
    (0x37F, 0x1FFF),
    (0x200C, 0x200D),
    (0x2070, 0x218F),
    (0x2C00, 0x2FEF),
    (0x3001, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFFD),
    (0x10000, 0xEFFFF),
)
#: The underscore that PN_CHARS_U adds to PN_CHARS_BASE.
UNDERSCORE: Ranges = ((0x5F, 0x5F),)
#: ASCII digits.
DIGITS: Ranges = ((0x30, 0x39),)
#: What PN_CHARS adds to PN_CHARS_U besides '-': digits, the middle dot, combining marks, ties.
PN_CHARS_EXTRA: Ranges = (*DIGITS, (0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040))


def in_ranges(ranges: Ranges, ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in ranges)
