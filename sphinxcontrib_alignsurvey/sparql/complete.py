"""Exact answers or a clear error: spotting answers a store cut short.

Why: stores cap answers and say so quietly.  Virtuoso stops at its
``ResultSetMaxRows`` (10,000 by default) and only adds an
``X-SPARQL-MaxRows`` response header; an "anytime" query past
``MaxQueryExecutionTime`` returns what it had with ``X-SQL-State: S1TAT``;
QLever's JSON carries the full size in ``meta.result-size-total``.  Each
signal, and an answer exactly as long as a common cap (confirmed by asking
for one row past it), becomes a :class:`TruncatedAnswer` that names the
server setting, never a short answer with exit status 0.

An answer no longer than the query's own LIMIT is complete by definition,
whatever the signals say (Virtuoso sends the header whenever the cap was
reached, also for ``LIMIT 10000``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .errors import QueryError

#: Row caps stores ship with; an answer of exactly this length is checked with a probe.
KNOWN_CAPS = frozenset({1000, 10_000, 100_000})
VIRTUOSO_CAP = "ResultSetMaxRows in the [SPARQL] section of virtuoso.ini"
VIRTUOSO_TIME = "MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini"


class TruncatedAnswer(QueryError):
    """The store returned part of the answer (a row cap or a time cap), so it is refused.

    ``cap`` is the number of rows the store sends at most, when that is what
    cut the answer: a caller can page with LIMIT/OFFSET in pages of that size.
    """

    def __init__(self, message: str, cap: int | None = None) -> None:
        super().__init__(message)
        self.cap = cap


def _int(text: object) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def check(
    url: str,
    headers: Mapping[str, str],
    rows: int,
    query_limit: int | None,
    extra: Mapping[str, object] | None = None,
    probe: Callable[[int], bool] | None = None,
) -> None:
    """Raise :class:`TruncatedAnswer` if the answer of *rows* rows was cut short.

    *query_limit* is the query's own top-level LIMIT; *extra* holds unknown
    top-level members of a JSON answer; *probe(n)* says whether the query has
    a row at offset *n* (only asked when nothing else decides).
    """
    if query_limit is not None and rows >= query_limit:
        return  # the query asked for no more than it got
    server = headers.get("Server", "") or ""
    cap = _int(headers.get("X-SPARQL-MaxRows"))
    if cap and rows >= cap:
        raise TruncatedAnswer(
            f"endpoint {url} cut the answer at {cap} rows (it sent X-SPARQL-MaxRows: {cap}); the answer would be "
            f"wrong, so nothing is printed.  Raise the server's row cap ({VIRTUOSO_CAP}), or page with LIMIT/OFFSET "
            "under an ORDER BY",
            cap,
        )
    state = (headers.get("X-SQL-State") or "").strip().upper()
    if state == "S1TAT":
        raise TruncatedAnswer(
            f"endpoint {url} returned a partial answer (X-SQL-State: S1TAT, "
            f"{headers.get('X-SQL-Message', '')!s:.200}): the query ran past the server's time cap; "
            f"raise {VIRTUOSO_TIME}, or set it to 0"
        )
    meta = (extra or {}).get("meta")
    if isinstance(meta, Mapping):
        total = _int(meta.get("result-size-total"))
        if total is not None and total > rows:
            raise TruncatedAnswer(
                f"endpoint {url} sent {rows} of {total} rows (meta.result-size-total); raise the server's limit on "
                "rows sent (QLever: the send= parameter or its default result size), or page with LIMIT/OFFSET",
                rows or None,
            )
    if rows in KNOWN_CAPS and probe is not None and probe(rows):
        where = VIRTUOSO_CAP if "virtuoso" in server.lower() else "the server's maximum number of result rows"
        raise TruncatedAnswer(
            f"endpoint {url} sent exactly {rows} rows but the answer has more (a row exists at offset {rows}): "
            f"the server caps answers; raise {where}, or page with LIMIT/OFFSET under an ORDER BY",
            rows,
        )
