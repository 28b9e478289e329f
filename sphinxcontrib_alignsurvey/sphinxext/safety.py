"""Which SPARQL a documentation build may run: read-only SELECT only.

Why: documentation sources are not always trusted, and a build must never
change a store or make the engine fetch remote data.  The classification is
the shared SPARQL layer's (:func:`..sparql.safety.inspect`, which skips
strings, comments and IRIs); this module only narrows it to SELECT and words
the refusal for a build warning.
"""

from __future__ import annotations

from ..sparql.safety import QUERY_FORMS, inspect


def refusal(query: str) -> str | None:
    """Why *query* must not run, or None when it is a plain SELECT."""
    info = inspect(query)
    if info.is_update:
        return f"updates ({info.keyword}) are refused: only read-only SELECT queries run during a build"
    if info.uses_service:
        return "federated queries (SERVICE) are refused: only read-only SELECT queries run during a build"
    if info.form not in QUERY_FORMS:
        return "not a SELECT query"
    if info.form != "SELECT":
        return f"{info.form} queries are not supported: use SELECT"
    return None
