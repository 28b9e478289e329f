"""Read-only by default: classify a SPARQL request and refuse what is not allowed.

Why a lexer and not a substring test: the words UPDATE or SERVICE may appear
inside a string literal, a comment, an IRI or a prefixed name
(``ex:SERVICE``) without meaning anything.  :mod:`.lexer` follows the
grammar's terminals, so only text the engine could read as a keyword counts.
It is also what finds the variables a query mentions and where its
top-level WHERE group opens (used to bind variables, see :mod:`.binding`).

Why not decide on the parsed algebra: no Python binding exposes Oxigraph's
parser, and a second parser (rdflib's) disagrees with Oxigraph on the very
rule that opened the ``\\r`` bypass -- rdflib runs a comment to ``\\n`` only,
so ``?s ?p ?o # c\\rSERVICE <u> {...}\\n}`` is a plain triple pattern to rdflib
and a SERVICE call to Oxigraph.  Checking with another parser moves the gap.
So the check errs towards refusing: SERVICE counts wherever the engine could
read it (see :func:`.lexer.mentions`), and the request is checked both as
written and with ``\\u``/``\\U`` escapes decoded (engines that decode them
before parsing).  The embedded engine also evaluates in a process that
cannot open sockets unless SERVICE is allowed (:mod:`.sandbox`), so a
request that slipped past this check still could not fetch anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import QueryError, QuerySyntaxError
from .lexer import Token, mentions, tokens

__all__ = [
    "QueryInfo",
    "Token",
    "check",
    "inspect",
    "slice_of",
    "syntax_error",
    "tokens",
    "where_brace",
    "with_limit",
    "with_slice",
]

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _decoded(text: str) -> str:
    """*text* with SPARQL codepoint escapes decoded (SPARQL 1.1, 19.2), as some engines read it."""

    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group()

    return _CODEPOINT.sub(one, text)


def _mentions(text: str, word: str) -> bool:
    if mentions(text, word):
        return True
    decoded = _decoded(text)
    return decoded != text and mentions(decoded, word)


@dataclass(frozen=True, slots=True)
class QueryInfo:
    """What a request is: its form (SELECT, ASK, ..., or UPDATE) and its variables."""

    form: str
    variables: frozenset[str]
    uses_service: bool
    keyword: str = ""  # the first keyword after the prologue, as written (e.g. "DELETE")
    uses_load: bool = False  # an UPDATE that could LOAD a document from the web

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
    for tok in tokens(text):
        if tok.kind == "var":
            variables.add(tok.text[1:])
        elif tok.kind == "word" and not form:
            word = tok.text.upper()
            if word not in ("PREFIX", "BASE"):
                keyword = word
                form = word if word in QUERY_FORMS else "UPDATE" if word in UPDATE_WORDS else word
    service = _mentions(text, "SERVICE")
    load = form == "UPDATE" and _mentions(text, "LOAD")
    return QueryInfo(form, frozenset(variables), service, keyword, load)


def refused(info: QueryInfo, *, allow_update: bool = False, allow_service: bool = False) -> str | None:
    """Which rule refuses *info* ("update", "service", "load", "empty", "form"), or None.

    Why a separate decision: the CLI, the API, ``serve`` and documentation
    builds word a refusal differently (a build has no ``--allow-update`` to
    suggest), but they must refuse exactly the same requests.
    """
    if info.is_update and not allow_update:
        return "update"
    if info.uses_service and not allow_service:
        return "service"
    if info.uses_load and not allow_service:
        return "load"
    if not info.form:
        return "empty"
    if info.form not in QUERY_FORMS and not info.is_update:
        return "form"
    return None


def check(text: str, *, allow_update: bool = False, allow_service: bool = False) -> QueryInfo:
    """Return the request's :class:`QueryInfo`, or raise :class:`QueryError` if it is refused."""
    info = inspect(text)
    rule = refused(info, allow_update=allow_update, allow_service=allow_service)
    if rule == "update":
        raise QueryError(
            "refused: this is a SPARQL UPDATE (INSERT, DELETE, LOAD, CLEAR, DROP, ...); "
            "queries are read-only unless updates are explicitly allowed (--allow-update)"
        )
    if rule == "service":
        raise QueryError(
            "refused: the query calls a remote SERVICE; federated queries are off "
            "unless explicitly allowed (--allow-service)"
        )
    if rule == "load":
        raise QueryError(
            "refused: the update LOADs a document from the web; fetching is off "
            "unless explicitly allowed (--allow-service)"
        )
    if rule == "empty":
        raise QueryError("empty query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    if rule == "form":
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


def with_limit(text: str, limit: int) -> str:
    """A SELECT *text* that yields at most *limit* rows, the limit written into the query.

    Why in the text: the engine (or a remote endpoint) then stops after
    *limit* solutions instead of building every row and dropping most of them
    (a ``:limit: 3`` once built 1.7 GB first).  An existing top-level
    ``LIMIT n`` becomes ``LIMIT min(n, limit)``; otherwise ``LIMIT`` goes after
    the solution modifiers, before a trailing ``VALUES`` block.  Only SELECT:
    a LIMIT on a CONSTRUCT counts solutions, not triples.  A query whose shape
    is not recognised is returned unchanged (callers still stop reading).
    """
    tail = _modifiers(text)
    if tail is None:
        return text
    for j, tok in enumerate(tail):
        if tok.kind == "word" and tok.text.upper() == "LIMIT":
            if j + 1 < len(tail) and tail[j + 1].kind == "number" and tail[j + 1].text.isdigit():
                n = tail[j + 1]
                return text[: n.start] + str(min(int(n.text), limit)) + text[n.start + len(n.text) :]
            return text
    return _append_modifier(text, tail, f"LIMIT {limit}")


def _append_modifier(text: str, tail: list[Token], modifier: str) -> str:
    """*text* with *modifier* after its solution modifiers, before a trailing ``VALUES`` block."""
    for tok in tail:
        if tok.kind == "word" and tok.text.upper() == "VALUES":
            return text[: tok.start] + f"{modifier}\n" + text[tok.start :]
    end = len(text.rstrip())
    return text[:end] + f"\n{modifier}" + text[end:]


def with_slice(text: str, offset: int, limit: int) -> str | None:
    """A SELECT that has no LIMIT or OFFSET of its own, with ``OFFSET offset LIMIT limit``; else None."""
    tail = _modifiers(text)
    if tail is None or slice_of(text) != (None, None):
        return None
    return _append_modifier(text, tail, f"OFFSET {offset} LIMIT {limit}")


def _modifiers(text: str) -> list[Token] | None:
    """The tokens after a SELECT's top-level WHERE group (its solution modifiers), or None."""
    toks = list(tokens(text))
    if not toks or inspect(text).form != "SELECT" or any(t.kind == "error" for t in toks):
        return None
    opened = where_brace(text)
    if opened is None:
        return None
    first = next(k for k, t in enumerate(toks) if t.start >= opened - 1)
    depth = 0
    for k in range(first, len(toks)):
        if toks[k].text == "{":
            depth += 1
        elif toks[k].text == "}":
            depth -= 1
            if depth == 0:
                return toks[k + 1 :]
    return None


def slice_of(text: str) -> tuple[int | None, int | None] | None:
    """A SELECT's top-level ``(LIMIT, OFFSET)`` (None where absent); None when its shape is not recognised.

    Why: an answer as long as the query's own LIMIT is complete, whatever a
    store's row cap says (see :mod:`.complete`).
    """
    tail = _modifiers(text)
    if tail is None:
        return None
    found: dict[str, int | None] = {"LIMIT": None, "OFFSET": None}
    for j, tok in enumerate(tail):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word in found and j + 1 < len(tail) and tail[j + 1].kind == "number" and tail[j + 1].text.isdigit():
            found[word] = int(tail[j + 1].text)
    return found["LIMIT"], found["OFFSET"]
