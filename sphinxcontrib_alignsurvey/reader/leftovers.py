"""Recognise text the survey generator left behind that is not survey content.

Three shapes occur in the wild: a preamble ("Here is the corrected subsection
with accurate citations:"), a "Changes made:" list that runs to the next
heading, and closing notes about the edit ("The citations have been verified
...").  Stray ``---`` separators are reported by the reader directly.
"""

from __future__ import annotations

import re

PREAMBLE = re.compile(
    r"^(?:here\s+is|here's|below\s+is)\b.{0,80}?\b(?:subsection|section|version|text|paragraph|draft|revision)\b.*:\s*$",
    re.I | re.S,
)
CHANGES = re.compile(
    r"^(?:\*\*)?\s*(?:changes\s+made|summary\s+of\s+changes|key\s+changes|revisions?\s+made)\s*:?", re.I
)
NOTE = re.compile(
    r"^(?:the\s+)?(?:citations?|references?)\s+(?:have\s+been|has\s+been|were|was)\s+(?:verified|corrected|updated|checked|fixed)\b",
    re.I,
)


def classify(text: str) -> str | None:
    """Kind of leftover *text* is, or ``None`` for survey content."""
    stripped = text.strip()
    if len(stripped) <= 200 and PREAMBLE.match(stripped):
        return "leftover-preamble"
    if CHANGES.match(stripped):
        return "leftover-changes"
    if len(stripped) <= 300 and NOTE.match(stripped):
        return "leftover-note"
    return None
