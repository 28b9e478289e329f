"""SPARQL over the alignsurvey graph: embedded (pyoxigraph) or a remote endpoint.

The public entry point is :mod:`.api`; the CLI and the Sphinx extension both
use it, so a query answers the same everywhere.
"""

from .api import (
    Answer,
    EmbeddedEngine,
    EndpointEngine,
    Engine,
    Policy,
    QueryError,
    QuerySyntaxError,
    QueryTimeout,
    Result,
    Term,
    open_engine,
)

__all__ = [
    "Answer",
    "EmbeddedEngine",
    "EndpointEngine",
    "Engine",
    "Policy",
    "QueryError",
    "QuerySyntaxError",
    "QueryTimeout",
    "Result",
    "Term",
    "open_engine",
]
