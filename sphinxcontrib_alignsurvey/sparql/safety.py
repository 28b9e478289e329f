"""Read-only by default: classify a SPARQL request and refuse what is not allowed.

Why a tokenizer and not a substring test: the words UPDATE or SERVICE may
appear inside a string literal, a comment, an IRI or a prefixed name
(``ex:SERVICE``) without meaning anything.  The tokenizer below skips those,
so only real keywords count.  It is also what finds the variables a query
mentions and where its top-level WHERE group opens (used to bind variables
on remote endpoints, see :mod:`.binding`).
"""

from __future__ import annotations

from functools import lru_cache

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import QueryError, QuerySyntaxError

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\n]|\\.)*"
              | '(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w.\-:%]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.X | re.S,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens (no whitespace or comments) with their offsets."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        yield Token(kind, m.group(), m.start())


@dataclass(frozen=True, slots=True)
class QueryInfo:
    """What a request is: its form (SELECT, ASK, ..., or UPDATE) and its variables."""

    form: str
    variables: frozenset[str]
    uses_service: bool
    keyword: str = ""  # the first keyword after the prologue, as written (e.g. "DELETE")

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE"


@lru_cache(maxsize=256)
def inspect(text: str) -> QueryInfo:
    """Classify *text* by its first keyword after the prologue (BASE/PREFIX).

    Cached: documentation builds and benchmarks run the same query text many
    times, and tokenising it costs as much as answering a small query.
    """
    form = ""
    keyword = ""
    variables: set[str] = set()
    service = False
    for tok in tokens(text):
        if tok.kind == "var":
            variables.add(tok.text[1:])
        elif tok.kind == "word":
            word = tok.text.upper()
            if not form and word not in ("PREFIX", "BASE"):
                keyword = word
                form = word if word in QUERY_FORMS else "UPDATE" if word in UPDATE_WORDS else word
            if word == "SERVICE":
                service = True
    return QueryInfo(form, frozenset(variables), service, keyword)


def check(text: str, *, allow_update: bool = False, allow_service: bool = False) -> QueryInfo:
    """Return the request's :class:`QueryInfo`, or raise :class:`QueryError` if it is refused."""
    info = inspect(text)
    if info.is_update and not allow_update:
        raise QueryError(
            "refused: this is a SPARQL UPDATE (INSERT, DELETE, LOAD, CLEAR, DROP, ...); "
            "queries are read-only unless updates are explicitly allowed (--allow-update)"
        )
    if info.uses_service and not allow_service:
        raise QueryError(
            "refused: the query calls a remote SERVICE; federated queries are off "
            "unless explicitly allowed (--allow-service)"
        )
    if not info.form:
        raise QueryError("empty query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    if info.form not in QUERY_FORMS and not info.is_update:
        raise QueryError(f"not a SPARQL query: starts with {info.form!r} (expected SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return info


_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


def syntax_error(exc: BaseException) -> QuerySyntaxError:
    """Turn a pyoxigraph parse error ("error at 3:15: expected ...") into one with line and column."""
    message = str(exc)
    m = _POSITION.search(message)
    if m:
        return QuerySyntaxError(m.group(3).strip(), int(m.group(1)), int(m.group(2)))
    return QuerySyntaxError(message, None, None)


def where_brace(text: str) -> int | None:
    """Offset just after the ``{`` that opens the top-level WHERE group, or None.

    The CONSTRUCT template brace is skipped; the short form
    ``CONSTRUCT WHERE { ... }`` has no group to insert into, so it gives None.
    """
    depth = 0
    before, previous = "", ""
    for tok in tokens(text):
        if tok.text == "{":
            if depth == 0:
                if previous == "CONSTRUCT":  # the template, not the pattern
                    depth += 1
                    before, previous = previous, "{"
                    continue
                if previous == "WHERE" and before == "CONSTRUCT":
                    return None
                return tok.start + 1
            depth += 1
        elif tok.text == "}":
            depth -= 1
        before, previous = previous, (tok.text.upper() if tok.kind == "word" else tok.text)
    return None
