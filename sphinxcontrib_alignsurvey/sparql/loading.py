"""Loading a graph into a store in bounded chunks, with progress and resume.

Why chunks: one POST of a whole graph made the store parse and index it in
one transaction -- 5.3M triples took 246 s and 4.8 GB of server memory, and
at 1,000 surveys it cannot work.  Here the inputs are parsed with pyoxigraph
and sent as N-Triples documents of at most ``chunk`` triples each, so the
store's memory per request is bounded and a failure costs one chunk.

Blank nodes are scoped to one document, so a chunk is only cut where no
blank node seen in it occurs again later (a first pass notes each blank
node's last position; it runs only when a file may hold blank nodes).  A
blank node used all over a file therefore makes a long chunk: correctness
before the bound.

Resume: after each chunk a small state file (named after the inputs'
SHA-256, recording endpoint, graph, chunk size and chunks done) is replaced
atomically; a later run with the same inputs and target skips the chunks
done.  A chunk sent just before a crash may be sent twice: triples are a
set, so only its blank nodes would be doubled.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..core.atomic import atomic_write
from .errors import QueryError

CHUNK_TRIPLES = 100_000
STATE_VERSION = 1
QUAD_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)


def input_digest(paths: Sequence[Path]) -> str:
    """SHA-256 over the inputs' names (suffix decides the syntax) and bytes: the resume key."""
    h = hashlib.sha256(f"load-v{STATE_VERSION}\0".encode())
    for path in paths:
        h.update(path.suffix.lower().encode() + b"\0")
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(2**20), b""):
                h.update(block)
        h.update(b"\0")
    return h.hexdigest()


def state_dir() -> Path:
    """Where resume state lives: ``$XDG_STATE_HOME/alignsurvey/load`` (default ``~/.local/state``)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "alignsurvey" / "load"


@dataclass
class Resume:
    """The state file of one load: which chunks of which inputs reached which target."""

    path: Path
    key: dict[str, object]
    done: int = 0

    @classmethod
    def open(cls, folder: Path, digest: str, endpoint: str, graph: str | None, chunk: int) -> Resume:
        key = {"version": STATE_VERSION, "inputs": digest, "endpoint": endpoint, "graph": graph, "chunk": chunk}
        path = folder / f"{digest[:32]}.json"
        done = 0
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(saved, dict) and saved.get("key") == key and isinstance(saved.get("done"), int):
                done = saved["done"]
        except (OSError, ValueError):
            pass
        return cls(path, key, done)

    def record(self, done: int) -> None:
        self.done = done
        with atomic_write(self.path, "w") as fh:
            json.dump({"key": self.key, "done": done}, fh)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)


def _format(path: Path) -> ox.RdfFormat:
    from .api import FORMATS_BY_SUFFIX

    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise QueryError(f"{path}: unknown RDF format (use {', '.join(sorted(FORMATS_BY_SUFFIX))})")
    return fmt


def _triples(path: Path, fmt: ox.RdfFormat) -> Iterator[ox.Triple]:
    try:
        for quad in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()):
            if fmt in QUAD_FORMATS and not isinstance(quad.graph_name, ox.DefaultGraph):
                raise QueryError(
                    f"{path}: holds named graphs ({quad.graph_name}); load sends triples into one graph (--graph)"
                )
            yield quad.triple
    except SyntaxError as exc:
        raise QueryError(f"{path}: cannot parse: {exc}") from None
    except OSError as exc:
        raise QueryError(f"{path}: cannot read: {exc}") from None


def _may_hold_blank_nodes(path: Path, fmt: ox.RdfFormat) -> bool:
    """Conservative and cheap: no ``_:`` (and, beyond N-Triples/N-Quads, no ``[``) means no blank node."""
    marks = (b"_:",) if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) else (b"_:", b"[")
    tail = b""
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(2**20), b""):
            if any(mark in tail + block for mark in marks):
                return True
            tail = block[-1:]
    return False


def _blank_nodes(triple: ox.Triple) -> tuple[ox.BlankNode, ...]:
    return tuple(t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode))


def chunks(paths: Sequence[Path], size: int = CHUNK_TRIPLES) -> Iterator[list[ox.Triple]]:
    """The triples of each chunk: at most *size* (unless a blank node spans more), never splitting a blank node."""
    for path in paths:
        fmt = _format(path)
        last: dict[ox.BlankNode, int] = {}
        if _may_hold_blank_nodes(path, fmt):
            for i, triple in enumerate(_triples(path, fmt)):
                for node in _blank_nodes(triple):
                    last[node] = i
        batch: list[ox.Triple] = []
        open_until = -1
        for i, triple in enumerate(_triples(path, fmt)):
            if len(batch) >= size and i > open_until:
                yield batch
                batch = []
            batch.append(triple)
            if last:
                for node in _blank_nodes(triple):
                    open_until = max(open_until, last.get(node, i))
        if batch:
            yield batch


def load(
    paths: Sequence[Path],
    send: Callable[[bytes, bool], None],
    resume: Resume | None,
    *,
    size: int = CHUNK_TRIPLES,
    replace: bool = False,
    progress: Callable[[int, int, int, bool], None] | None = None,
) -> tuple[int, int]:
    """Send every chunk not yet done; returns (chunks, triples) in the inputs.

    *send(body, first)* uploads one N-Triples chunk (*first*: replace the
    graph when asked to); *progress(chunk, triples_so_far, chunk_triples,
    skipped)* is called after each chunk.
    """
    done = resume.done if resume else 0
    count = total = 0
    for count, batch in enumerate(chunks(paths, size), start=1):
        n = len(batch)
        total += n
        if count <= done:
            if progress:
                progress(count, total, n, True)
            continue
        body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
        assert body is not None  # no output file given: the bytes are returned
        send(body, replace and count == 1)
        if resume:
            resume.record(count)
        if progress:
            progress(count, total, n, False)
    if resume:
        resume.finish()
    return count, total
