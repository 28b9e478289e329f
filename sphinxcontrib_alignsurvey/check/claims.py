"""Sentences that state a figure ("19% higher", "a 12% drop", "3x faster").

Why a separate check: a machine-written survey invents figures and attributes
them to a citation; no lexical score can tell a real figure from an invented
one, so every such sentence is listed for a person to verify.
"""

from __future__ import annotations

import re

FIGURE = re.compile(
    r"(?<![\w.])(?:"
    r"\d+(?:\.\d+)?\s?(?:%|percent\b|per cent\b|percentage points?\b)"  # 19%, 12 percent
    r"|\d+(?:\.\d+)?\s?(?:x|×)(?![\w])"  # 3x, 2.5×
    r"|\d+(?:\.\d+)?-?fold\b"  # 3-fold
    r"|(?:two|three|four|five|six|seven|eight|nine|ten)fold\b"
    r"|by a factor of \d+(?:\.\d+)?"
    r")",
    re.IGNORECASE,
)


def figures(sentence: str) -> list[str]:
    """The figures a sentence states, as printed."""
    return [m.group(0) for m in FIGURE.finditer(sentence)]
