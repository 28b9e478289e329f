"""Sorted runs of N-Triples lines, spilled to files and merged on output.

An external merge sort: each run (one survey's triples, or a slice of the
corpus-wide ones) is sorted as text and written as canonical N-Triples (see
:mod:`.ntriples`) to a file, then all runs are merged into one sorted,
de-duplicated stream of bytes.  Only one run is ever held in memory, so
memory does not grow with the corpus, and the output order (N-Triples order)
makes files byte-identical whatever order the inputs came in.

Why a block merge and not ``heapq.merge`` line by line: a survey's lines
occupy one stretch of the order (they all start with its IRI), so the runs
barely interleave.  The merge copies, from the run with the smallest head,
every line up to the next run's head in one slice (found by bisection), so
its cost is per stretch, not per line.

A range of the order (``lo <= line < hi``) can be merged on its own
(:func:`merge_range`), which is how several processes write one output.
"""

from __future__ import annotations

import heapq
import itertools
import operator
import os
import re
import resource
import shutil
import tempfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .ntriples import Lines

READ_HINT = 1 << 20  # bytes of lines read from a run at a time, at most
MERGE_BUDGET = 64 << 20  # bytes of lines held for all the runs of one merge together (64 KiB a run at least)
CHUNK = 1 << 22  # bytes handed to pyoxigraph's parser at a time
RUN_LINES = 50_000  # a run built in one piece (the corpus-wide triples) is spilled at this size
MAX_OPEN = 512  # runs merged at once; more are first merged in groups


_SCRATCH = re.compile(r"alignsurvey-(?:runs|ranges)-(\d+)-")


def scratch(kind: str) -> tempfile.TemporaryDirectory:
    """A temporary folder for run files, named after this process so a later run can tell it is stale."""
    return tempfile.TemporaryDirectory(prefix=f"alignsurvey-{kind}-{os.getpid()}-")


def remove_stale_scratch(where: str | Path | None = None) -> list[Path]:
    """Remove the run folders of conversions whose process is gone (killed before it could clean up)."""
    removed: list[Path] = []
    folder = Path(where or tempfile.gettempdir())
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for path in entries:
        m = _SCRATCH.match(path.name)
        if not m or not path.is_dir() or _alive(int(m.group(1))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours to signal
        return True
    return True


def sort_lines(lines: Iterable[str]) -> bytes:
    """A run's lines sorted, distinct and encoded: the bytes of a sorted N-Triples run.

    Sorted as bytes: UTF-8 keeps code point order (the order of ``str(triple)``),
    and comparing bytes is a plain memcmp whatever characters a line holds.
    Sorted in the order they were made, not deduplicated through a set first:
    a builder writes a node's lines together, and the sort takes such stretches
    whole (two to three times faster than sorting a set's order); repeats,
    rare, are dropped afterwards.
    """
    encoded = list(map(str.encode, lines))
    encoded.sort()
    if any(map(operator.eq, encoded, itertools.islice(encoded, 1, None))):
        encoded = [line for line, before in zip(encoded, [None, *encoded]) if line != before]
    return b"".join(encoded)


def lower_bound(fh: IO[bytes], key: bytes) -> int:
    """Offset of the first line of a sorted line file that is >= *key* (the file's size if none)."""
    fh.seek(0, 2)
    size = fh.tell()
    lo, hi = 0, size  # lo: a line start whose line is < key (or 0); the answer is in [lo, hi]
    while hi - lo > READ_HINT:
        mid = (lo + hi) // 2
        fh.seek(mid)
        fh.readline()  # to the next line start
        start = fh.tell()
        line = fh.readline()
        if not line or start >= hi:
            hi = mid
        elif line >= key:
            hi = start
        else:
            lo = start + len(line)
    fh.seek(lo)
    offset = lo
    for line in fh.readlines(hi - lo + 1) if hi > lo else ():
        if line >= key:
            return offset
        offset += len(line)
    return offset


def read_hint(runs: int) -> int:
    """Bytes to read from each of *runs* runs at a time, so that a merge's memory does not grow with them."""
    return max(64 << 10, min(READ_HINT, MERGE_BUDGET // max(runs, 1)))


class _Run:
    """A sorted run file read in blocks of lines, up to an optional end (exclusive)."""

    __slots__ = ("block", "done", "fh", "hint", "pos", "stop")

    def __init__(self, fh: IO[bytes], stop: bytes | None = None, hint: int = READ_HINT) -> None:
        self.fh = fh
        self.block: list[bytes] = []
        self.pos = 0
        self.stop = stop
        self.hint = hint
        self.done = False

    def fill(self) -> bool:
        if self.done:
            return False
        self.block = self.fh.readlines(self.hint)
        self.pos = 0
        if self.stop is not None and self.block and self.block[-1] >= self.stop:
            self.block = self.block[: bisect_left(self.block, self.stop)]
            self.done = True
        if not self.block:
            self.done = True
        return bool(self.block)


def _merge(runs: Iterable[_Run]) -> Iterator[list[bytes]]:
    heap: list[tuple[bytes, int, _Run]] = []
    for k, run in enumerate(runs):
        if run.fill():
            heap.append((run.block[0], k, run))
    heapq.heapify(heap)
    last = b""
    while heap:
        _, k, run = heapq.heappop(heap)
        block = run.block
        end = bisect_right(block, heap[0][0], run.pos) if heap else len(block)  # up to the next run's head
        out = block[run.pos : end]
        if out and out[0] == last:  # the same line ended the previous slice, from another run
            out = out[1:]
        if out:
            last = out[-1]
            yield out
        run.pos = end
        if run.pos < len(block) or run.fill():
            heapq.heappush(heap, (run.block[run.pos], k, run))


def merge_sorted(files: Iterable[IO[bytes]]) -> Iterator[list[bytes]]:
    """Blocks of the distinct lines of sorted line files, in order.

    Each file's lines must be sorted and distinct; a line present in several
    files is yielded once.
    """
    files = list(files)
    hint = read_hint(len(files))
    return _merge(_Run(fh, None, hint) for fh in files)


def merge_range(paths: Sequence[Path], lo: bytes | None, hi: bytes | None) -> Iterator[list[bytes]]:
    """Blocks of the distinct lines ``lo <= line < hi`` of sorted run files (None: unbounded)."""
    files = [open(p, "rb") for p in paths]  # noqa: SIM115 - closed below
    hint = read_hint(len(files))
    try:
        runs = []
        for fh in files:
            if lo is not None:
                fh.seek(lower_bound(fh, lo))
            runs.append(_Run(fh, hi, hint))
        yield from _merge(runs)
    finally:
        for fh in files:
            fh.close()


def merge_to(paths: Sequence[Path], target: Path) -> Path:
    """Merge sorted runs into one sorted run file (for more runs than can be open at once)."""
    with open(target, "wb") as fh:
        for block in merge_range(paths, None, None):
            fh.write(b"".join(block))
    return target


def allow_open(n: int) -> int:
    """Runs one merge may open at once, for *n* runs (the open-files limit raised towards it if allowed)."""
    return _allow_open(n)


def _allow_open(n: int) -> int:
    """Raise the soft limit of open files towards *n* (+ a margin); the number of runs to merge at once."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n + 64
    if soft != resource.RLIM_INFINITY and soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
            soft = new
        except (ValueError, OSError):  # pragma: no cover - not allowed here
            pass
    return max(2, min(MAX_OPEN, soft - 64 if soft != resource.RLIM_INFINITY else MAX_OPEN))


class TripleRuns:
    """Add runs of lines; iterate them merged, sorted and distinct."""

    def __init__(self) -> None:
        self._current = Lines()
        self._paths: list[Path] = []
        self._dir: tempfile.TemporaryDirectory | None = None  # our own spilled runs
        self._kept: list[tempfile.TemporaryDirectory] = []  # folders of run files other code wrote
        self.namespaces: set[str] = set()
        self.count = 0  # distinct triples, known after a full iteration

    # -- building ---------------------------------------------------------------------
    @property
    def current(self) -> Lines:
        """The run being built: add lines to it, then :meth:`close_run`."""
        return self._current

    @property
    def paths(self) -> list[Path]:
        """The sorted run files (after :meth:`close_run`)."""
        return list(self._paths)

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

    def add_run(self, lines: Iterable[str], namespaces: Iterable[str]) -> None:
        """A finished run: sorted here and spilled to a temporary file."""
        if self._dir is None:
            self._dir = scratch("runs")
        path = Path(self._dir.name) / f"run-{len(self._paths):06d}.nt"
        path.write_bytes(sort_lines(lines))
        self._paths.append(path)
        self.namespaces.update(namespaces)

    def add_sorted_file(self, path: str | Path, namespaces: Iterable[str]) -> None:
        """A run another process sorted and wrote (see :func:`sort_lines`); read, never changed."""
        self._paths.append(Path(path))
        self.namespaces.update(namespaces)

    def keep(self, folder: tempfile.TemporaryDirectory) -> None:
        """Hold *folder* (where workers wrote run files) as long as these runs; :meth:`close` removes it."""
        self._kept.append(folder)

    # -- reading ----------------------------------------------------------------------
    def blocks(self) -> Iterator[list[bytes]]:
        """The merged, distinct lines in blocks; sets :attr:`count` when exhausted."""
        self.close_run()
        paths = self._paths
        width = _allow_open(len(paths))
        if len(paths) > width:  # too many to open at once: merge them in groups first
            paths = self._premerge(paths, width)
        n = 0
        for block in merge_range(paths, None, None):
            n += len(block)
            yield block
        self.count = n

    def _premerge(self, paths: list[Path], width: int) -> list[Path]:
        if self._dir is None:
            self._dir = scratch("runs")
        out: list[Path] = []
        for k in range(0, len(paths), width):
            out.append(merge_to(paths[k : k + width], Path(self._dir.name) / f"merged-{len(out):06d}.nt"))
        return out if len(out) <= width else self._premerge(out, width)

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The merged N-Triples document as byte chunks of whole lines, about *size* bytes each."""
        return join_blocks(self.blocks(), size)

    def __iter__(self) -> Iterator[ox.Triple]:
        return triples_of(self.chunks())

    def close(self) -> None:
        """Remove the run files now (otherwise when these runs are freed, or at exit)."""
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
        for folder in self._kept:
            folder.cleanup()
        self._kept.clear()
        self._paths.clear()


def join_blocks(blocks: Iterable[list[bytes]], size: int = CHUNK) -> Iterator[bytes]:
    """Blocks of lines as byte chunks of about *size* bytes."""
    pending: list[bytes] = []
    held = 0
    for block in blocks:
        pending.extend(block)
        held += sum(map(len, block))
        if held >= size:
            yield b"".join(pending)
            pending, held = [], 0
    if pending:
        yield b"".join(pending)


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


def quads_of(chunks: Iterable[bytes]) -> Iterator[ox.Quad]:
    """Like :func:`triples_of`, as the default-graph quads the parser makes (every serialiser takes them)."""
    return itertools.chain.from_iterable(ox.parse(c, format=ox.RdfFormat.N_TRIPLES, lenient=True) for c in chunks)


class Merged:
    """The merged lines of some runs, for *readers* consumers (one per output format).

    Why: every format is written from one merge.  The first reader drives the
    merge; when others follow, it keeps a copy of the merged document in a
    temporary file as it goes, and they read that copy instead of merging again.
    """

    def __init__(self, runs: TripleRuns, readers: int = 1) -> None:
        self.runs = runs
        self._left = readers
        self._copy: IO[bytes] | None = None

    def chunks(self) -> Iterator[bytes]:
        self._left -= 1
        if self._copy is not None:
            self._copy.seek(0)
            while chunk := self._copy.read(CHUNK):
                if not chunk.endswith(b"\n"):  # keep lines whole: finish the last one
                    chunk += self._copy.readline()
                yield chunk
            return
        if self._left <= 0:
            yield from self.runs.chunks()
            return
        self._copy = tempfile.TemporaryFile(prefix="alignsurvey-merged-")  # noqa: SIM115 - closed by close()
        for chunk in self.runs.chunks():
            self._copy.write(chunk)
            yield chunk

    def triples(self) -> Iterator[ox.Quad]:
        """The merged triples (as default-graph quads, which every serialiser takes)."""
        return quads_of(self.chunks())

    def close(self) -> None:
        if self._copy is not None:
            self._copy.close()
            self._copy = None
