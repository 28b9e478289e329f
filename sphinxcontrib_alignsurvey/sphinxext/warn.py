"""Every warning and error the extension reports, with a declared subtype.

Why: ``suppress_warnings = ["alignsurvey.<subtype>"]`` only helps if each
message carries a subtype the documentation lists.  Like sphinx-needs'
``log_warning``, all messages go through :func:`warn` (or :func:`error`),
which takes only the subtypes declared in :data:`SUBTYPES`; the reference
page's table is checked against that registry by the tests.
"""

from __future__ import annotations

from typing import Literal

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger("sphinxcontrib_alignsurvey")

TYPE = "alignsurvey"

Subtype = Literal[
    "unknown_id", "duplicate", "option", "refused", "query", "empty", "large", "index", "survey", "source"
]

#: What each subtype means, as the reference documentation explains it.
SUBTYPES: dict[Subtype, str] = {
    "unknown_id": "a directive argument or role target is not in the graph",
    "duplicate": "two cards for the same object (the first document in name order keeps the link)",
    "option": "an unknown field, a missing column, a query both inline and in a file",
    "refused": "an update, LOAD or SERVICE query",
    "query": "a query failed (syntax error, engine error, unreadable file)",
    "empty": "a diagram has nothing to draw",
    "large": "a diagram too large to stay legible in a builder's output",
    "index": "a link to a domain index that is not written (no cards of its kind)",
    "survey": "a finding from converting survey Markdown; errors fail the build",
    "source": "the graph could not be read from ``alignsurvey_sources`` or the endpoint; fails the build",
}

#: Where a message points, as Sphinx's logger takes it: ``(docname, line)``, ``"path:line"`` or a node.
Location = str | tuple[str | None, int | None] | nodes.Node | None


def unknown_message(noun: str, name: str, suggestion: str | None, what: str = "an ID, key or label") -> str:
    """``unknown method 'rhlf': not an ID, key or label in the alignment graph; did you mean rlhf?``"""
    hint = f"; did you mean {suggestion}?" if suggestion else ""
    return f"unknown {noun} {name!r}: not {what} in the alignment graph{hint}"


def _check(subtype: str) -> None:
    if subtype not in SUBTYPES:  # a typo in a caller would otherwise escape suppress_warnings silently
        raise ValueError(f"undeclared alignsurvey warning subtype {subtype!r}: add it to warn.SUBTYPES and the docs")


def warn(message: str, subtype: Subtype, location: Location = None) -> None:
    """A located warning of type ``alignsurvey``; *message* is final text, never a format string."""
    _check(subtype)
    logger.warning("%s", message, location=location, type=TYPE, subtype=subtype)


def error(message: str, subtype: Subtype, location: Location = None) -> None:
    """A located error, for input the build cannot use; the caller decides how the build fails."""
    _check(subtype)
    logger.error("%s", message, location=location, type=TYPE, subtype=subtype)
