"""The References list: ``[n] Title`` lines, and conservative title clean-up.

The generator that wrote the seed surveys turned a title's colon (or question
mark) into a double space and joined wrapped lines with extra spaces.  A
double space early in a title is a lost colon; later ones are line wraps; a
run of three or more spaces is both.  The printed title is always kept.
"""

from __future__ import annotations

import re

REFERENCE_LINE = re.compile(r"^\s*(?:[-*+]\s+)?\[(\d{1,6})\][ \t]*(.*)$")
REFERENCES_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?(references|bibliography|works cited)\s*$", re.I)
TEX_REMNANT = re.compile(r"\$|\\[A-Za-z]+|\^")

COLON_WINDOW = 55
_SPACES = re.compile(r" {2,}")


def clean_title(printed: str) -> str:
    """Restore lost colons, collapse white space; keep everything else."""
    text = printed.strip()
    out: list[str] = []
    pos = 0
    restored = False
    for match in _SPACES.finditer(text):
        out.append(text[pos : match.start()])
        width = match.end() - match.start()
        before = "".join(out).rstrip()
        lost_colon = not restored and (width >= 3 or len(before) < COLON_WINDOW)
        if lost_colon and before and before[-1] not in ":;,.?!-–—":
            out.append(": ")
            restored = True
        else:
            out.append(" ")
        pos = match.end()
    out.append(text[pos:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def has_tex(title: str) -> bool:
    return bool(TEX_REMNANT.search(title))
