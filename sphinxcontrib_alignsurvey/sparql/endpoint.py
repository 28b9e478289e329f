"""A SPARQL 1.1 Protocol client on the standard library (urllib).

Why no HTTP dependency: one request per query, no sessions or pooling are
needed, and urllib streams the response body, which pyoxigraph parses
incrementally.  Queries go by GET when the URL stays short and by POST
(form-encoded) otherwise; SELECT/ASK answers are requested as SPARQL JSON,
CONSTRUCT/DESCRIBE answers as N-Triples.  The Graph Store Protocol upload
used by ``alignsurvey load`` lives here too.

Credentials (HTTP Basic or Digest, whichever the server asks for) come from
``ALIGNSURVEY_ENDPOINT_USER``/``ALIGNSURVEY_ENDPOINT_PASSWORD`` or a netrc
file, never from the URL: a ``user:password@`` in a URL ends up in shell
history, process lists and logs, so such URLs are refused.
"""

from __future__ import annotations

import http.client
import netrc
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import IO

from .deadline import Deadline
from .errors import QueryError, QueryTimeout

JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
MAX_GET_URL = 2000
USER_AGENT = "sphinxcontrib-alignsurvey"


USER_VAR = "ALIGNSURVEY_ENDPOINT_USER"
PASSWORD_VAR = "ALIGNSURVEY_ENDPOINT_PASSWORD"
WHERE_CREDENTIALS = (
    f"set {USER_VAR} and {PASSWORD_VAR} in the environment, or add a line "
    "'machine HOST login USER password PASSWORD' to ~/.netrc (or the file NETRC names)"
)


def _check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"{_redacted(url)!r}: an endpoint must be an http:// or https:// URL")
    if "@" in parts.netloc:
        raise QueryError(
            f"{_redacted(url)}: credentials in the URL are refused (they leak into shell history, process lists "
            f"and logs); {WHERE_CREDENTIALS}"
        )
    return url


def _redacted(url: str) -> str:
    """*url* without its userinfo, so a password given by mistake is not printed back."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def credentials(url: str) -> tuple[str, str] | None:
    """(user, password) for *url*'s host: the environment first, then netrc; None for anonymous access."""
    user, password = os.environ.get(USER_VAR), os.environ.get(PASSWORD_VAR)
    if user or password:
        if not (user and password is not None):
            raise QueryError(f"set both {USER_VAR} and {PASSWORD_VAR} (only one is set)")
        return user, password
    host = urllib.parse.urlsplit(url).hostname or ""
    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        found = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise QueryError(f"cannot read the netrc file {path}: {exc}") from None
    if not found or not found[0]:
        return None
    return found[0], found[2] or ""


def _opener(url: str) -> urllib.request.OpenerDirector:
    """urllib's opener, answering Basic and Digest challenges when credentials are configured."""
    found = credentials(url)
    if found is None:
        return urllib.request.build_opener()
    parts = urllib.parse.urlsplit(url)
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", *found)
    # Digest runs first (handler order 490): Basic's handler refuses a Digest challenge.
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(manager), urllib.request.HTTPBasicAuthHandler(manager)
    )


def _open(request: urllib.request.Request, timeout: float | None, url: str) -> http.client.HTTPResponse:
    """The HTTP response (``_check_url`` admits only http/https, so urllib hands back an HTTPResponse)."""
    try:
        return _opener(url).open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        body = exc.read(600).decode("utf-8", "replace").strip()
        hint = ""
        if exc.code in (401, 403):
            hint = f" (credentials: {WHERE_CREDENTIALS})"
        elif "SR353" in body:
            hint = " (Virtuoso: raise MaxSortedTopRows in the [Parameters] section of virtuoso.ini)"
        raise QueryError(f"endpoint {url} answered HTTP {exc.code} {exc.reason}: {body}{hint}") from None
    except ValueError as exc:  # urllib's auth handlers: a challenge in a scheme they do not speak
        raise QueryError(f"endpoint {url}: {exc}") from None
    except TimeoutError:
        raise QueryTimeout(f"endpoint {url} did not answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (socket.timeout, TimeoutError)):
            raise QueryTimeout(f"endpoint {url} did not answer within {timeout:g} s") from None
        raise QueryError(f"cannot reach endpoint {url}: {exc.reason}") from None
    except OSError as exc:
        raise QueryError(f"cannot reach endpoint {url}: {exc}") from None


class _Timed:
    """A response body read under one deadline for the whole answer, not one per read.

    Why: a socket timeout alone bounds each read, so a server that trickles
    its answer could take many times the limit.  Before each read the socket
    is given the time left (when the socket is reachable), and a read that
    finds the deadline passed raises :class:`QueryTimeout`.
    """

    def __init__(self, response: IO[bytes], deadline: Deadline, url: str) -> None:
        self.response = response
        self.deadline = deadline
        self.url = url
        raw = getattr(getattr(response, "fp", None), "raw", None)
        self.sock = getattr(raw, "_sock", None)
        self.headers = getattr(response, "headers", None) or {}

    def read(self, n: int = -1) -> bytes:
        left = self.deadline.remaining()
        if left is not None:
            if left <= 0:
                raise self._late()
            if self.sock is not None and not getattr(self.response, "isclosed", lambda: False)():
                try:
                    self.sock.settimeout(max(left, 0.001))
                except OSError:  # the body is complete and the socket already closed
                    pass
        try:
            return self.response.read(n)
        except TimeoutError:
            raise self._late() from None
        except OSError as exc:
            raise QueryError(f"endpoint {self.url}: connection failed while reading: {exc}") from None

    def _late(self) -> QueryTimeout:
        return QueryTimeout(f"endpoint {self.url} did not answer within {self.deadline.seconds:g} s (time limit)")

    def close(self) -> None:
        self.response.close()


def query(url: str, text: str, accept: str, timeout: float | Deadline | None) -> _Timed:
    """Send a query; return the open response (a binary stream read under the deadline)."""
    deadline = timeout if isinstance(timeout, Deadline) else Deadline(timeout)
    timeout = deadline.remaining()
    _check_url(url)
    encoded = urllib.parse.urlencode({"query": text})
    headers = {"Accept": accept, "User-Agent": USER_AGENT}
    if len(url) + len(encoded) + 1 <= MAX_GET_URL:
        sep = "&" if urllib.parse.urlsplit(url).query else "?"
        request = urllib.request.Request(url + sep + encoded, headers=headers, method="GET")
    else:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=encoded.encode("ascii"), headers=headers, method="POST")
    return _Timed(_open(request, timeout, url), deadline, url)


def update(url: str, text: str, timeout: float | None) -> None:
    """Send a SPARQL UPDATE (only called when updates are explicitly allowed)."""
    _check_url(url)
    data = urllib.parse.urlencode({"update": text}).encode("utf-8")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT}
    with _open(urllib.request.Request(url, data=data, headers=headers, method="POST"), timeout, url) as resp:
        resp.read()


def update_url(query_url: str) -> str:
    """Where updates go: ``.../query`` -> ``.../update`` (Oxigraph, Fuseki); otherwise the same URL."""
    if query_url.rstrip("/").endswith("/query"):
        return query_url.rstrip("/")[: -len("query")] + "update"
    return query_url


def put_graph(
    url: str,
    body: bytes | IO[bytes],
    content_type: str,
    *,
    length: int | None = None,
    graph: str | None = None,
    replace: bool = False,
    timeout: float | None = None,
) -> int:
    """Upload RDF with the SPARQL 1.1 Graph Store Protocol; returns the HTTP status.

    POST merges into the target graph, PUT (``replace``) overwrites it.
    Without *graph* the default graph is the target (``?default``).
    """
    _check_url(url)
    target = {"graph": graph} if graph else {"default": ""}
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    full = url + sep + urllib.parse.urlencode(target).replace("default=", "default")
    headers = {"Content-Type": content_type, "User-Agent": USER_AGENT}
    if length is not None:
        headers["Content-Length"] = str(length)
    request = urllib.request.Request(full, data=body, headers=headers, method="PUT" if replace else "POST")
    with _open(request, timeout, url) as resp:
        resp.read()
        return int(getattr(resp, "status", 0))
