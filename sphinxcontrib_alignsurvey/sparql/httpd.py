"""``alignsurvey serve``: a read-only SPARQL 1.1 Protocol endpoint on loopback, answered by us.

Why our own server (``http.server``) and not the Oxigraph server binary:
every decision that makes serving safe must be ours -- refusing SERVICE,
checking the ``Host`` header, the deadline and the memory ceiling -- and the
Oxigraph server executes SERVICE (it fetched a URL on request), accepts any
``Host`` and kept a cartesian query running 150 s past its ``--timeout``.
Queries here go through the same evaluator as the CLI and the Python API
(:mod:`.evaluator`): each runs in a worker process killed at its deadline or
memory ceiling, which cannot open sockets unless SERVICE is allowed and dies
with the server, however the server dies.  The server holds its graph in
memory and writes nothing to disk, so a killed server leaves nothing behind.
It serves any :class:`~.api.EmbeddedEngine`, so a persistent store can be
served the same way later.

Threat model (see ``docs/cli-query.rst``):

* Who can send requests: anything that can reach 127.0.0.1 -- other users and
  programs on the machine, and web pages in a browser on it.  The graph is
  public data, so reading it is not the risk; making the server *act* is.
* Fetching URLs on request (SSRF): SERVICE is refused unless ``serve`` was
  started with ``--allow-service``; LOAD and every other update are refused
  always; the evaluating process has no sockets.
* DNS rebinding: a page on ``evil.example`` whose name is re-pointed at
  127.0.0.1 reaches the server with ``Host: evil.example``; only
  ``127.0.0.1:PORT`` and ``localhost:PORT`` are answered.  Requests a browser
  marks as cross-site (``Sec-Fetch-Site``) are refused as well.
* Exhausting the machine: each query has a deadline and a memory ceiling,
  at most ``max_queries`` are evaluated at once, request bodies are capped
  at :data:`MAX_BODY` bytes and idle connections time out.
"""

from __future__ import annotations

import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .api import EmbeddedEngine
from .errors import QueryError, QuerySyntaxError, QueryTimeout
from .evaluator import Reply
from .safety import inspect

LOOPBACK = "127.0.0.1"
MAX_BODY = 1 << 20  # bytes of query a request may carry
IDLE_TIMEOUT = 30.0  # s a connection may sit idle or trickle its request

RESULT_TYPES = (
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "json"),
    ("application/xml", "xml"),
)
GRAPH_TYPES = (
    ("text/turtle", "turtle"),
    ("application/n-triples", "ntriples"),
    ("application/rdf+xml", "rdfxml"),
    ("text/plain", "ntriples"),
)
CONTENT_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}


def negotiate(accept: str | None, offers: tuple[tuple[str, str], ...]) -> str | None:
    """The format to answer in, from an ``Accept`` header; None if nothing offered is acceptable."""
    if not accept or not accept.strip():
        return offers[0][1]
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0]:
            ranges.append((fields[0].lower(), q))
    best, best_q = None, 0.0
    for media, fmt in offers:
        kind = media.split("/")[0]
        q = max(
            (q for r, q in ranges if r == media or r == f"{kind}/*" or r == "*/*"),
            default=0.0,
        )
        if q > best_q:
            best, best_q = fmt, q
    return best


class QueryServer(ThreadingHTTPServer):
    """Answers ``/query`` on 127.0.0.1:*port* from *engine*; at most *max_queries* at once."""

    daemon_threads = True

    def __init__(self, engine: EmbeddedEngine, port: int, *, max_queries: int = 2) -> None:
        self.engine = engine
        self.slots = threading.BoundedSemaphore(max_queries)
        engine.evaluator.max_idle = max_queries  # a warm worker per concurrent query
        super().__init__((LOOPBACK, port), _Handler)
        self.port = int(self.server_address[1])
        self.allowed_hosts = {f"{LOOPBACK}:{self.port}", f"localhost:{self.port}"}

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/query"


class _Refused(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "alignsurvey-serve"
    timeout = IDLE_TIMEOUT
    server: QueryServer

    # ---- methods

    def do_GET(self) -> None:
        self._respond(lambda: self._params(urllib.parse.urlsplit(self.path).query))

    def do_POST(self) -> None:
        self._respond(self._post_params)

    def _not_allowed(self) -> None:
        self.close_connection = True
        self._send_text(
            HTTPStatus.METHOD_NOT_ALLOWED,
            "read-only SPARQL endpoint: use GET or POST on /query\n",
            {"Allow": "GET, POST", "Connection": "close"},
        )

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    # ---- the checks, in order

    def _respond(self, params: Any) -> None:
        try:
            self._check_origin()
            path = urllib.parse.urlsplit(self.path).path
            if path in ("/update", "/store"):
                raise _Refused(HTTPStatus.FORBIDDEN, "read-only endpoint: updates and uploads are refused\n")
            if path == "/":
                self._send_text(HTTPStatus.OK, f"SPARQL endpoint (read-only): {self.server.url}\n")
                return
            if path != "/query":
                raise _Refused(HTTPStatus.NOT_FOUND, "not found: queries go to /query\n")
            query = self._query_text(params())
            self._answer(query)
        except _Refused as exc:
            # a refused request's body may be unread: never parse it as the next request
            self.close_connection = True
            self._send_text(exc.status, str(exc), {"Connection": "close"})

    def _check_origin(self) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.allowed_hosts:
            raise _Refused(
                HTTPStatus.FORBIDDEN,
                f"refused: Host {host or '(none)'!r} is not this server "
                f"(expected {LOOPBACK}:{self.server.port} or localhost:{self.server.port})\n",
            )
        site = (self.headers.get("Sec-Fetch-Site") or "none").strip().lower()
        if site not in ("none", "same-origin"):
            raise _Refused(HTTPStatus.FORBIDDEN, f"refused: a {site} request from a web page\n")

    def _post_params(self) -> dict[str, list[str]]:
        if self.headers.get("Transfer-Encoding"):
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "send the query with a Content-Length\n")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "send the query with a Content-Length\n") from None
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a query may have at most {MAX_BODY} bytes\n")
        body = self.rfile.read(length)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-query":
            params = self._params(urllib.parse.urlsplit(self.path).query)
            params.setdefault("query", []).append(body.decode("utf-8", "replace"))
            return params
        if ctype == "application/x-www-form-urlencoded":
            return self._params(body.decode("utf-8", "replace"))
        if ctype == "application/sparql-update":
            raise _Refused(HTTPStatus.FORBIDDEN, "read-only endpoint: updates are refused\n")
        raise _Refused(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "POST a query as application/sparql-query or application/x-www-form-urlencoded\n",
        )

    def _params(self, text: str) -> dict[str, list[str]]:
        if len(text) > MAX_BODY * 3:
            raise _Refused(HTTPStatus.REQUEST_URI_TOO_LONG, "query too long\n")
        return urllib.parse.parse_qs(text, keep_blank_values=True)

    def _query_text(self, params: dict[str, list[str]]) -> str:
        if "update" in params:
            raise _Refused(HTTPStatus.FORBIDDEN, "read-only endpoint: updates are refused\n")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            raise _Refused(HTTPStatus.BAD_REQUEST, "default-graph-uri and named-graph-uri are not supported\n")
        queries = params.get("query", [])
        if len(queries) != 1:
            raise _Refused(HTTPStatus.BAD_REQUEST, "give exactly one query parameter\n")
        return queries[0]

    # ---- evaluation

    def _answer(self, query: str) -> None:
        engine = self.server.engine
        form = inspect(query).form
        offers = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
        fmt = negotiate(self.headers.get("Accept"), offers)
        if fmt is None:
            raise _Refused(HTTPStatus.NOT_ACCEPTABLE, f"acceptable: {', '.join(m for m, _ in offers)}\n")
        wait = engine.policy.timeout if engine.policy.timeout is not None else 10.0
        if not self.server.slots.acquire(timeout=min(wait, 10.0)):
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, "busy: too many queries at once, try again\n")
        try:
            try:
                _, reply = engine.start(query, mode="bytes", fmt=fmt)
                chunks = reply.chunks()
                first = next(chunks, b"")
            except QuerySyntaxError as exc:
                raise _Refused(HTTPStatus.BAD_REQUEST, f"{exc}\n") from None
            except QueryTimeout as exc:
                raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"{exc}\n") from None
            except QueryError as exc:
                status = HTTPStatus.FORBIDDEN if str(exc).startswith("refused") else HTTPStatus.BAD_REQUEST
                if "memory limit" in str(exc):
                    status = HTTPStatus.SERVICE_UNAVAILABLE
                raise _Refused(status, f"{exc}\n") from None
            self._stream(reply, first, chunks, fmt)
        finally:
            self.server.slots.release()

    def _stream(self, reply: Reply, first: bytes, chunks: Any, fmt: str) -> None:
        """Send the answer in chunks; a failure after the headers cuts the response short."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", CONTENT_TYPE[fmt])
        self.send_header("Transfer-Encoding", "chunked")
        self._safe_headers()
        self.end_headers()
        try:
            self._chunk(first)
            for chunk in chunks:
                self._chunk(chunk)
        except QueryError as exc:
            self.log_error("answer cut short: %s", exc)
            self.close_connection = True  # no final chunk: the client sees an incomplete answer
            return
        except OSError:
            reply.close()
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")

    def _chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(f"{len(data):x}\r\n".encode("ascii") + data + b"\r\n")

    def _safe_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")

    def _send_text(self, status: HTTPStatus, text: str, extra: dict[str, str] | None = None) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._safe_headers()
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        message = format % args
        super().log_message("%s", message if len(message) <= 300 else message[:300] + "...")
