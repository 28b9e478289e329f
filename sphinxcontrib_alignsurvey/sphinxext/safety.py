"""Which SPARQL a documentation build may run: read-only SELECT only.

Why: documentation sources are not always trusted, and a build must never
change a store or make the engine fetch remote data.  Comments, strings and
IRIs are blanked before looking for keywords, so ``"LOAD"`` in a literal or
``<.../service>`` in an IRI is not mistaken for an operation.
"""

from __future__ import annotations

import re

_BLANK = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\s]*>"
    r"|#[^\n]*",
)
_REFUSED = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|SERVICE)\b", re.IGNORECASE
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def refusal(query: str) -> str | None:
    """Why *query* must not run, or None when it is a plain SELECT."""
    code = _BLANK.sub(" ", query)
    found = _REFUSED.search(code)
    if found:
        word = found.group(1).upper()
        kind = "federated queries (SERVICE)" if word == "SERVICE" else f"updates ({word})"
        return f"{kind} are refused: only read-only SELECT queries run during a build"
    form = _FORM.search(code)
    if form is None:
        return "not a SELECT query"
    if form.group(1).upper() != "SELECT":
        return f"{form.group(1).upper()} queries are not supported: use SELECT"
    return None
