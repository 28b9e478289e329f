"""The worker side of the evaluator: what a forked process does with one request.

Why a separate module: this code runs in the child, where only the store,
two pipes and the kernel's limits exist (see :mod:`.sandbox`); the parent's
side -- forking, deadlines, reuse -- is :mod:`.evaluator`.  A request comes
as one pickled :class:`Request`; the answer goes back as frames (a type byte
and a length): one HEAD, then ROWS (pickled lists of tuples of plain data,
see :func:`encode`) or BYTES (the answer serialised by pyoxigraph), and
finally END or ERROR.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox

from . import sandbox

FRAME = struct.Struct(">cI")
HEAD, ROWS, BYTES, ERROR, END = b"H", b"R", b"B", b"E", b"Z"
BATCH = 512  # rows per frame
CHUNK = 64 * 1024  # bytes per frame in bytes mode
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "turtle": ox.RdfFormat.TURTLE,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS,
}


@dataclass(frozen=True, slots=True)
class Request:
    """What a worker is asked to do.

    ``op``: "query", "update" (then the whole store comes back as N-Quads)
    or "parse" (only report a syntax error).  ``mode``: "rows" (pickled
    tuples) or "bytes" (the answer serialised as ``fmt``).  ``limit`` stops
    after that many rows or triples; ``memory`` (bytes) and ``cpu`` (s) are
    the ceilings for this request.
    """

    op: str
    text: str
    mode: str = "rows"
    fmt: str | None = None
    limit: int | None = None
    memory: int | None = None
    cpu: float | None = None
    union: bool = True
    prefixes: dict[str, str] = field(default_factory=dict)


def encode(term: object) -> object:
    """A pyoxigraph term as plain picklable data: an IRI is its string, others a short tuple."""
    if term is None:
        return None
    cls = term.__class__
    if cls is ox.NamedNode:
        return term.value  # type: ignore[attr-defined]
    if cls is ox.Literal:
        lang = term.language  # type: ignore[attr-defined]
        if lang:
            return ("l", term.value, lang)  # type: ignore[attr-defined]
        dt = term.datatype.value  # type: ignore[attr-defined]
        return ("s", term.value) if dt == XSD_STRING else ("d", term.value, dt)  # type: ignore[attr-defined]
    if cls is ox.BlankNode:
        return ("b", term.value)  # type: ignore[attr-defined]
    if cls is ox.Triple:
        return ("t", encode(term.subject), encode(term.predicate), encode(term.object))  # type: ignore[attr-defined]
    raise TypeError(f"unsupported term {term!r}")


class _ByteFrames:
    """A binary file object for pyoxigraph's serialisers that emits ``B`` frames of CHUNK bytes."""

    def __init__(self, emit: Callable[[bytes, bytes], None]) -> None:
        self.emit = emit
        self.buf = bytearray()

    def write(self, data: bytes) -> int:
        self.buf += data
        if len(self.buf) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buf:
            self.emit(BYTES, bytes(self.buf))
            self.buf.clear()


_EMPTY_STORE: ox.Store | None = None


def answer(store: ox.Store, request: Request, emit: Callable[[bytes, bytes], None]) -> None:
    """Evaluate *request* on *store*, emitting a HEAD frame and then the answer's frames."""
    global _EMPTY_STORE
    if request.op == "parse":
        if _EMPTY_STORE is None:
            _EMPTY_STORE = ox.Store()
        with contextlib.suppress(OSError, RuntimeError, ValueError, TypeError):
            _EMPTY_STORE.query(request.text)  # a SyntaxError goes on; evaluation errors say nothing here
        emit(HEAD, pickle.dumps(("PARSED",)))
        return
    if request.op == "update":
        store.update(request.text)
        emit(HEAD, pickle.dumps(("UPDATE",)))
        out = _ByteFrames(emit)
        store.dump(out, ox.RdfFormat.N_QUADS)  # type: ignore[arg-type]  # pyoxigraph's stub wants IO[bytes]; it only calls .write()
        out.flush()
        return
    result = store.query(request.text, use_default_graph_as_union=request.union)
    if isinstance(result, ox.QuerySolutions):
        emit(HEAD, pickle.dumps(("SELECT", tuple(v.value for v in result.variables))))
        if request.mode == "bytes":
            out = _ByteFrames(emit)
            result.serialize(out, RESULT_FORMATS[request.fmt or "json"])  # type: ignore[arg-type]  # pyoxigraph's stub wants IO[bytes]; it only calls .write()
            out.flush()
            return
        width = len(result.variables)
        rows = islice(result, request.limit) if request.limit is not None else result
        batch: list[tuple[object, ...]] = []
        for solution in rows:
            batch.append(tuple(encode(solution[i]) for i in range(width)))
            if len(batch) >= BATCH:
                emit(ROWS, pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
                batch = []
        if batch:
            emit(ROWS, pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
        return
    if isinstance(result, ox.QueryBoolean):
        emit(HEAD, pickle.dumps(("ASK", bool(result))))
        if request.mode == "bytes":
            out = _ByteFrames(emit)
            result.serialize(out, RESULT_FORMATS[request.fmt or "json"])  # type: ignore[arg-type]  # pyoxigraph's stub wants IO[bytes]; it only calls .write()
            out.flush()
        return
    emit(HEAD, pickle.dumps(("GRAPH",)))
    triples = islice(result, request.limit) if request.limit is not None else result
    if request.mode == "bytes":
        out = _ByteFrames(emit)
        fmt = GRAPH_FORMATS[request.fmt or "ntriples"]
        ox.serialize(triples, out, fmt, prefixes=request.prefixes or None)  # type: ignore[arg-type]  # pyoxigraph's stub wants IO[bytes]; it only calls .write()
        out.flush()
        return
    tbatch: list[tuple[object, object, object]] = []
    for t in triples:
        tbatch.append((encode(t.subject), encode(t.predicate), encode(t.object)))
        if len(tbatch) >= BATCH:
            emit(ROWS, pickle.dumps(tbatch, pickle.HIGHEST_PROTOCOL))
            tbatch = []
    if tbatch:
        emit(ROWS, pickle.dumps(tbatch, pickle.HIGHEST_PROTOCOL))


def failure(exc: BaseException) -> tuple[str, str]:
    """The (kind, message) an exception raised while answering is reported as."""
    if isinstance(exc, SyntaxError):
        return "syntax", str(exc)
    if isinstance(exc, MemoryError):
        return "memory", "out of memory"
    if isinstance(exc, PermissionError):
        return "query", f"query failed: {exc} (network access is off: SERVICE and LOAD are not allowed)"
    return "query", f"query failed: {exc}"


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exact(fd: int, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def serve(store: ox.Store, requests: int, replies: int, parent: int, network: bool) -> None:
    """The worker's life: answer requests until the request pipe closes.  Never returns."""
    code = 0
    try:
        sandbox.die_with_parent(parent)
        sandbox.quiet_and_detached(keep=(requests, replies))
        if not network:
            with contextlib.suppress(OSError):  # a kernel without seccomp: the text check stands alone
                sandbox.deny_sockets()

        def emit(kind: bytes, payload: bytes) -> None:
            write_all(replies, FRAME.pack(kind, len(payload)) + payload)

        while True:
            header = _read_exact(requests, 4)
            if header is None:
                break
            body = _read_exact(requests, struct.unpack(">I", header)[0])
            if body is None:
                break
            request: Request = pickle.loads(body)
            fatal = False
            try:
                sandbox.set_ceilings(request.memory, request.cpu)
                answer(store, request, emit)
                emit(END, b"")
            except BrokenPipeError:
                raise
            except BaseException as exc:  # noqa: BLE001 - reported to the caller, who decides what it means
                kind, message = failure(exc)
                fatal = kind == "memory" or not isinstance(exc, Exception)
                emit(ERROR, pickle.dumps((kind, message)))
            finally:
                sandbox.set_ceilings(None, None)
            if fatal or request.op == "update":
                break
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child, which must _exit
        code = 70
    os._exit(code)
