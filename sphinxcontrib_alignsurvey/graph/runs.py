"""Sorted runs of N-Triples lines, spilled to files and merged on output.

An external merge sort: each run (one survey's triples, or the corpus-wide
ones) is sorted as text and written as canonical N-Triples (see
:mod:`.ntriples`) to a file, then all runs are merged into one sorted,
de-duplicated stream of bytes.  Only one run is ever held in memory, so
memory does not grow with the corpus, and the output order (N-Triples order)
makes files byte-identical whatever order the inputs came in.

Why a block merge and not ``heapq.merge`` line by line: a survey's lines
occupy one stretch of the order (they all start with its IRI), so the runs
barely interleave.  The merge copies, from the run with the smallest head,
every line up to the next run's head in one slice (found by bisection), so
its cost is per stretch, not per line.
"""

from __future__ import annotations

import heapq
import itertools
import tempfile
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .ntriples import Lines

READ_HINT = 1 << 20  # bytes of lines read from a run at a time
CHUNK = 1 << 22  # bytes handed to pyoxigraph's parser at a time


RUN_LINES = 200_000  # a run built in one piece (the corpus-wide triples) is spilled at this size


def sort_lines(lines: list[str]) -> bytes:
    """A run's lines sorted, distinct and encoded: the bytes of a sorted N-Triples run.

    Sorted as bytes: UTF-8 keeps code point order, and comparing bytes is a
    plain memcmp whatever characters a line holds.
    """
    return b"".join(sorted({line.encode("utf-8") for line in lines}))


class _Run:
    """A sorted run file read in blocks of lines."""

    __slots__ = ("fh", "block", "pos")

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.block: list[bytes] = []
        self.pos = 0

    def fill(self) -> bool:
        self.block = self.fh.readlines(READ_HINT)
        self.pos = 0
        return bool(self.block)


def merge_sorted(files: Iterable[IO[bytes]]) -> Iterator[list[bytes]]:
    """Blocks of the distinct lines of sorted line files, in order.

    Each file's lines must be sorted and distinct; a line present in several
    files is yielded once.
    """
    heap: list[tuple[bytes, int, _Run]] = []
    for k, fh in enumerate(files):
        run = _Run(fh)
        if run.fill():
            heap.append((run.block[0], k, run))
    heapq.heapify(heap)
    last = b""
    while heap:
        _, k, run = heapq.heappop(heap)
        block = run.block
        if heap:
            end = bisect_right(block, heap[0][0], run.pos)  # every line up to the next run's head
        else:
            end = len(block)
        out = block[run.pos : end]
        if out and out[0] == last:  # the same line ended the previous slice, from another run
            out = out[1:]
        if out:
            last = out[-1]
            yield out
        run.pos = end
        if run.pos < len(block) or run.fill():
            heapq.heappush(heap, (run.block[run.pos], k, run))


class TripleRuns:
    """Add runs of lines; iterate them merged, sorted and distinct."""

    def __init__(self) -> None:
        self._current = Lines()
        self._files: list[IO[bytes]] = []
        self._kept: list[object] = []  # what must live as long as the runs (a folder of run files)
        self.namespaces: set[str] = set()
        self.count = 0  # distinct triples, known after a full iteration

    # -- building ---------------------------------------------------------------------
    @property
    def current(self) -> Lines:
        """The run being built: add lines to it, then :meth:`close_run`."""
        return self._current

    def add(self, triple: ox.Triple) -> None:
        self._current.extend((triple,))

    def extend(self, triples: Iterable[ox.Triple]) -> None:
        self._current.extend(triples)

    def spill_if_full(self) -> Lines:
        """Close the current run once it holds :data:`RUN_LINES` lines; the run to add to next."""
        if len(self._current.lines) >= RUN_LINES:
            self.close_run()
        return self._current

    def close_run(self) -> None:
        """Sort the current run and move it to disk."""
        run, self._current = self._current, Lines()
        if run.lines:
            self.add_run(run.lines, run.all_namespaces())

    def add_run(self, lines: list[str], namespaces: Iterable[str]) -> None:
        """A finished run: sorted here and spilled to an anonymous temporary file."""
        fh = tempfile.TemporaryFile(prefix="alignsurvey-run-")
        fh.write(sort_lines(lines))
        self._files.append(fh)
        self.namespaces.update(namespaces)

    def add_sorted_file(self, path: str | Path, namespaces: Iterable[str]) -> None:
        """A run another process sorted and wrote (see :func:`sort_lines`); read, never changed."""
        self._files.append(open(path, "rb"))  # noqa: SIM115 - closed by close()
        self.namespaces.update(namespaces)

    def keep(self, owner: object) -> None:
        """Hold *owner* (e.g. the temporary folder of the run files) as long as these runs."""
        self._kept.append(owner)

    # -- reading ----------------------------------------------------------------------
    def blocks(self) -> Iterator[list[bytes]]:
        """The merged, distinct lines in blocks; sets :attr:`count` when exhausted."""
        self.close_run()
        for fh in self._files:
            fh.seek(0)
        n = 0
        for block in merge_sorted(self._files):
            n += len(block)
            yield block
        self.count = n

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The merged N-Triples document as byte chunks of whole lines, about *size* bytes each."""
        pending: list[bytes] = []
        held = 0
        for block in self.blocks():
            pending.extend(block)
            held += sum(map(len, block))
            if held >= size:
                yield b"".join(pending)
                pending, held = [], 0
        if pending:
            yield b"".join(pending)

    def __iter__(self) -> Iterator[ox.Triple]:
        return triples_of(self.chunks())

    def close(self) -> None:
        for fh in self._files:
            fh.close()
        self._files.clear()


def triples_of(chunks: Iterable[bytes]) -> Iterator[ox.Triple]:
    """Parse N-Triples chunks of whole lines, one after the other.

    Why chunks and not a file object: pyoxigraph reads a Python file 1 KB per
    call; a chunk of bytes it parses without calling back.  Each chunk holds
    whole lines, and N-Triples has no state between lines, so the triples are
    those of the whole document.
    """
    for chunk in chunks:
        for quad in ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES):
            yield quad.triple


class Merged:
    """The merged lines of some runs, for *readers* consumers (one per output format).

    Why: every format is written from one merge.  The first reader drives the
    merge; when others follow, it keeps a copy of the merged document in a
    temporary file as it goes, and they parse that file (pyoxigraph reads it
    directly) instead of merging again.
    """

    def __init__(self, runs: TripleRuns, readers: int = 1) -> None:
        self.runs = runs
        self._left = readers
        self._copy: IO[bytes] | None = None

    def chunks(self) -> Iterator[bytes]:
        self._left -= 1
        if self._copy is not None:
            self._copy.seek(0)
            while True:
                chunk = self._copy.read(CHUNK)
                if not chunk:
                    return
                if not chunk.endswith(b"\n"):  # keep lines whole: finish the last one
                    chunk += self._copy.readline()
                yield chunk
        if self._left <= 0:
            yield from self.runs.chunks()
            return
        self._copy = tempfile.TemporaryFile(prefix="alignsurvey-merged-")
        for chunk in self.runs.chunks():
            self._copy.write(chunk)
            yield chunk

    def triples(self) -> Iterator[ox.Quad]:
        """The merged triples (as default-graph quads, which every serialiser takes)."""
        return itertools.chain.from_iterable(ox.parse(c, format=ox.RdfFormat.N_TRIPLES) for c in self.chunks())

    def close(self) -> None:
        if self._copy is not None:
            self._copy.close()
            self._copy = None
