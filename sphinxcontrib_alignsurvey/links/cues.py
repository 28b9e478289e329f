"""Cue words that relate a method to a challenge within one sentence.

Why apart from the link model: a method *addresses* a challenge only when a
sentence names both and relates them; co-occurrence is not enough.  The cue
lexicon is what decides that, and it is tested on its own.
"""

from __future__ import annotations

import re

ADDRESS_CUE = re.compile(
    r"\b(?:address\w*|mitigat\w*|prevent\w*|reduc\w*|tackl\w*|combat\w*|counter(?:s|ed|ing)?|"
    r"defend\w*|defen[cs]es?|alleviat\w*|overcom\w*|solv\w*|resolv\w*|avoid\w*|curb\w*|"
    r"guard\w* against|safeguard\w*|detect\w*|suppress\w*|minimi[sz]\w*|lessen\w*|remed\w*|"
    r"robust\w* (?:to|against)|resist\w*|correct\w*|fix(?:es|ed|ing)?|limit(?:s|ed|ing)?|"
    r"protect\w* against|neutrali[sz]\w*|counteract\w*)\b",
    re.IGNORECASE,
)


def relates(sentence: str) -> bool:
    """Whether a sentence uses a verb that relates a method to a challenge."""
    return ADDRESS_CUE.search(sentence) is not None
