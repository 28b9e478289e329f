"""Which SPARQL a documentation build may run: read-only SELECT only.

Why: documentation sources are not always trusted, and a build must never
change a store or make the engine fetch remote data.  The classification is
the shared SPARQL layer's (:func:`..sparql.safety.refused`, the same rules the
CLI, the API and ``serve`` apply); this module only narrows them to SELECT and
words the refusal for a build warning.
"""

from __future__ import annotations

from ..sparql.safety import inspect, refused

_BUILD = "only read-only SELECT queries run during a build"


def refusal(query: str) -> str | None:
    """Why *query* must not run, or None when it is a plain SELECT."""
    info = inspect(query)
    rule = refused(info)  # the engine's default policy: read-only, no federation
    if rule == "update":
        return f"updates ({info.keyword}) are refused: {_BUILD}"
    if rule in ("service", "load"):
        return f"federated queries (SERVICE) are refused: {_BUILD}"
    if rule is not None:
        return "not a SELECT query"
    if info.form != "SELECT":
        return f"{info.form} queries are not supported: use SELECT"
    return None
