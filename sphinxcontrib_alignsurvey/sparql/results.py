"""Reading an endpoint's SELECT/ASK answer whole, tolerantly, in JSON, XML or TSV.

Why whole: a streaming parser hands out rows before it has seen the end of
the document, so an answer that turns out to be malformed -- or that other
stores extend after ``results`` (QLever's ``"meta"``, Comunica's
``"metadata"``) -- used to fail after rows had been printed.  The body is
spooled (memory, then a temporary file) and parsed completely; only then is
anything handed out, and the row count is known for the truncation checks
(:mod:`.complete`).

Why our own JSON reading: the SPARQL 1.1 JSON format says nothing against
extra members, and stores use them; members other than ``head``,
``results`` and ``boolean`` are ignored (returned as ``extra`` for the
truncation checks).  Virtuoso's legacy ``"typed-literal"`` is read as a
literal.  XML and TSV answers (a server that ignores our preference for
JSON) go to pyoxigraph's parsers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any, Protocol

import pyoxigraph as ox

from .errors import QueryError

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
TSV = "text/tab-separated-values"
#: What we ask for: JSON first, XML or TSV accepted (all three are read whole).
ACCEPT = f"{JSON}, {XML};q=0.9, {TSV};q=0.8"
SPOOL_IN_MEMORY = 16 * 2**20  # bytes kept in memory before the answer goes to a temporary file


@dataclass
class Parsed:
    """A whole answer: SELECT columns and rows (pyoxigraph terms or None), or an ASK boolean."""

    columns: tuple[str, ...] = ()
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # unknown top-level JSON members


class Readable(Protocol):
    """Anything with a binary ``read``: a deadline-bound response body is not a full file object."""

    def read(self, n: int = -1, /) -> bytes: ...


def spool(stream: Readable) -> IO[bytes]:
    """The whole body of *stream*, rewound (reads go through the caller's deadline)."""
    import shutil
    import tempfile  # only for an endpoint's answer: a local query does not load them

    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - handed to the caller
    shutil.copyfileobj(stream, body, 2**16)
    body.seek(0)
    return body


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def parse(body: IO[bytes], content_type: str | None, url: str) -> Parsed:
    """Parse a complete SELECT/ASK answer by its media type (JSON when the server does not say)."""
    kind = media_type(content_type)
    try:
        if kind in (XML, "application/xml", "text/xml"):
            return _parse_oxigraph(body, ox.QueryResultsFormat.XML)
        if kind == TSV:
            return _parse_oxigraph(body, ox.QueryResultsFormat.TSV)
        if kind in ("text/csv",):
            raise QueryError(f"endpoint {url} answered in CSV, which loses term types; it must offer JSON, XML or TSV")
        return _parse_json(body)
    except QueryError as exc:
        raise QueryError(f"endpoint {url} sent an unreadable answer: {exc}") from None
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise QueryError(f"endpoint {url} sent an unreadable answer: {exc}") from None


def _parse_oxigraph(body: IO[bytes], fmt: ox.QueryResultsFormat) -> Parsed:
    parsed = ox.parse_query_results(body, fmt)
    if isinstance(parsed, ox.QueryBoolean):
        return Parsed(boolean=bool(parsed))
    columns = tuple(v.value for v in parsed.variables)
    width = len(columns)
    return Parsed(columns, [tuple(s[i] for i in range(width)) for s in parsed])


def _parse_json(body: IO[bytes]) -> Parsed:
    import json

    doc = json.load(body)
    if not isinstance(doc, dict):
        raise QueryError("not a SPARQL JSON results document")
    extra = {k: v for k, v in doc.items() if k not in ("head", "results", "boolean")}
    if "boolean" in doc:
        if not isinstance(doc["boolean"], bool):
            raise QueryError("'boolean' is not true or false")
        return Parsed(boolean=doc["boolean"], extra=extra)
    head, results = doc.get("head"), doc.get("results")
    if not isinstance(head, dict) or not isinstance(results, dict):
        raise QueryError("no 'head' and 'results' members")
    columns = tuple(head.get("vars") or ())
    bindings = results.get("bindings")
    if not isinstance(bindings, list) or not all(isinstance(c, str) for c in columns):
        raise QueryError("'head.vars' or 'results.bindings' is malformed")
    memo: dict[tuple[Any, ...], Any] = {}
    bnodes: dict[str, ox.BlankNode] = {}
    rows = []
    for solution in bindings:
        if not isinstance(solution, dict):
            raise QueryError("a solution is not an object")
        rows.append(tuple(_cell(solution.get(c), memo, bnodes) for c in columns))
    return Parsed(columns, rows, extra=extra)


def _cell(value: Any, memo: dict[tuple[Any, ...], Any], bnodes: dict[str, ox.BlankNode]) -> Any:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise QueryError(f"malformed term {value!r:.80}")
    kind = value.get("type")
    if kind == "triple":
        inner = value.get("value") or {}
        return ox.Triple(*(_cell(inner.get(k), memo, bnodes) for k in ("subject", "predicate", "object")))
    if not isinstance(value.get("value"), str):
        raise QueryError(f"malformed term {value!r:.80}")
    key = (kind, value["value"], value.get("datatype"), value.get("xml:lang"))
    found = memo.get(key)
    if found is not None:
        return found
    text = value["value"]
    if kind == "uri":
        term: Any = ox.NamedNode(text)
    elif kind == "bnode":
        term = bnodes.get(text)
        if term is None:
            try:
                term = ox.BlankNode(text)
            except ValueError:  # a label pyoxigraph does not accept (e.g. "nodeID://b1"): keep it distinct
                term = ox.BlankNode()
            bnodes[text] = term
    elif kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            term = ox.Literal(text, language=value["xml:lang"])
        elif value.get("datatype"):
            term = ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
        else:
            term = ox.Literal(text)
    else:
        raise QueryError(f"unknown term type {kind!r}")
    memo[key] = term
    return term
