"""Conversion work in other processes: survey parts in a pool of workers, or in children forked from this one.

Why processes: the per-survey work (read, check, link, build a sorted run)
is pure Python and needs the GIL, so only processes use more cores.  Each
worker holds the vocabulary's matchers and one survey at a time, and writes
its run to a file, sending back only what the merge needs (a slim part), so a
worker's memory does not grow with the corpus.

Pool workers start from a fork server (a clean, single-threaded process that
has imported this module), not by forking the caller, which may run a
progress display's thread.  For a few surveys or a small graph, whose work
the pool's start would eat, a caller with one thread forks children that
share what it built (:mod:`.forking`): for surveys (:func:`_forked_parts`),
for the citation check and the run of the survey it reads last
(:func:`_read_part_checked_apart`, :class:`PendingRuns`) and for one range
of the graph (:class:`ForkedRanges`).
"""

from __future__ import annotations

import gc
import os
import resource
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..check import Finding
from ..core.collector import BUILD_GC_THRESHOLD
from ..core.model import Survey
from ..graph.partition import RangeOutput, cut_at, cut_points, ranges_of, write_range
from ..graph.runs import allow_open, merge_to
from .forking import collect, fork, forkable, reap
from .parts import Context, Settings, SurveyPart, build_part, check_part, read_part, write_run

if TYPE_CHECKING:  # multiprocessing is imported when workers start: one job never needs it
    import multiprocessing.context
    import multiprocessing.pool

#: Below this many surveys per worker, starting workers costs more than it saves.
MIN_SURVEYS_PER_JOB = 4
#: The share of a graph's lines this process writes when a forked child writes the rest
#: (:class:`ForkedRanges`): less than half, as it renders the BibTeX files first.
FORKED_FIRST_SHARE = 0.45

_context: Context | None = None
_run_dir: Path | None = None


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def effective_jobs(jobs: int, surveys: int) -> int:
    """Workers worth starting for *surveys* surveys (1: convert in this process)."""
    return max(1, min(jobs, surveys // MIN_SURVEYS_PER_JOB))


def run_name(index: int) -> str:
    return f"{index:06d}.nt"


@dataclass
class WorkerStats:
    """CPU seconds and peak memory of each worker process, by pid (for benchmarks and reports)."""

    cpu: dict[int, float] = field(default_factory=dict)
    peak_mb: dict[int, float] = field(default_factory=dict)

    def note(self, sample: tuple[int, float, float]) -> None:
        pid, cpu, peak = sample
        self.cpu[pid] = max(cpu, self.cpu.get(pid, 0.0))
        self.peak_mb[pid] = max(peak, self.peak_mb.get(pid, 0.0))


def _sample() -> tuple[int, float, float]:
    return os.getpid(), time.process_time(), peak_mb()


def peak_mb() -> float:
    """This process's peak resident memory in MB (VmHWM where Linux reports it, else ru_maxrss)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_parts(
    paths: Sequence[str | Path],
    settings: Settings,
    run_dir: Path,
    jobs: int = 1,
    done: Callable[[str], None] | None = None,
    context: Context | None = None,
    stats: WorkerStats | None = None,
    pending: PendingRuns | None = None,
) -> list[SurveyPart]:
    """A part per path, in the order given; *jobs* > 1 builds them in that many worker processes.

    In this process the parts keep the whole survey model (callers may read
    it); from workers they are slim (:meth:`SurveyPart.slim`).  *done* hears
    of each path as its part is ready.  Given *pending*, the run of a part
    read here may still be being written when this returns (see
    :func:`_forked_parts`): everything but the part's ``namespaces`` and
    ``run_sha256`` is there, and ``pending.finish()`` waits for the rest.
    """
    done = done or (lambda path: None)
    few = min(jobs, len(paths))
    jobs = effective_jobs(jobs, len(paths))
    if jobs == 1:
        ctx = context or Context(settings)
        if few > 1 and forkable():
            return _forked_parts(paths, ctx, run_dir, few, done, stats, pending)
        out = []
        for k, path in enumerate(paths):
            out.append(build_part(path, ctx, run_dir, run_name(k)))
            done(str(path))
        return out
    parts: list[SurveyPart | None] = [None] * len(paths)
    light = replace(settings, vocabulary=replace(settings.vocabulary, triples=()))  # workers match, never emit it
    with _pool(jobs, initializer=_init, initargs=(light, run_dir)) as pool:
        for k, part, sample in pool.imap_unordered(_work, enumerate(paths)):
            parts[k] = part
            if stats is not None:
                stats.note(sample)
            done(str(paths[k]))
        pool.close()
        pool.join()
    return [p for p in parts if p is not None]


def _forked_parts(
    paths: Sequence[str | Path],
    ctx: Context,
    run_dir: Path,
    workers: int,
    done: Callable[[str], None],
    stats: WorkerStats | None,
    pending: PendingRuns | None = None,
) -> list[SurveyPart]:
    """A few surveys on several cores: this process builds the largest, children forked from it the rest.

    Why forked, and not from the fork server: such a worker builds the matchers
    again, which takes as long as converting the smaller bundled survey; a
    forked child shares this process's.  A child's parts come back slim, as
    from the pool, through a pipe.  With *pending*, this process reads its
    last survey and leaves the triples to one more child (:class:`PendingRuns`),
    so the caller merges the parts while that run is written.
    """
    sizes = [_size(p) for p in paths]
    shares: list[list[int]] = [[] for _ in range(workers)]  # share 0 is this process's
    load = [0] * workers
    for k in sorted(range(len(paths)), key=lambda k: (-sizes[k], k)):  # largest first, to the lightest share
        least = min(range(workers), key=lambda w: (load[w], w))
        shares[least].append(k)
        load[least] += sizes[k]
    children = [fork(partial(_forked_work, share, paths, ctx, run_dir)) for share in shares[1:] if share]
    parts: list[SurveyPart | None] = [None] * len(paths)
    try:
        for k in shares[0]:
            if pending is not None and k == shares[0][-1]:
                part = parts[k] = _read_part_checked_apart(paths[k], ctx)
                if not part.errors:
                    pending.add(part, run_dir / run_name(k))
            else:
                parts[k] = build_part(paths[k], ctx, run_dir, run_name(k))
            done(str(paths[k]))
        for pid, fh in children:
            for k, part, sample in collect(pid, fh, list):
                parts[k] = part
                if stats is not None:
                    stats.note(sample)
                done(str(paths[k]))
    finally:
        for child in children:
            reap(*child)
    return [p for p in parts if p is not None]


def _read_part_checked_apart(path: str | Path, ctx: Context) -> SurveyPart:
    """:func:`read_part`, the citation check in a forked child while this process reads the mentions.

    Why: the check and the mentions are each about a third of a survey's
    conversion and independent until the links are assembled, so the last
    survey this process converts (the largest) is shared with the cores the
    other children leave idle once their surveys are done.
    """
    children: list[tuple[int, IO[bytes]]] = []

    def checking(survey: Survey, ctx: Context) -> Callable[[], tuple[Finding, ...]]:
        pid, fh = fork(partial(check_part, survey, ctx))
        children.append((pid, fh))
        return partial(collect, pid, fh, tuple)

    try:
        return read_part(path, ctx, checking)
    finally:
        for child in children:  # a no-op once collected
            reap(*child)


class PendingRuns:
    """Runs that children forked from this process write for parts it read (:func:`_forked_parts`).

    Why: a survey's triples (building, sorting and writing its run) are a
    quarter of its conversion and nothing the merge reads but the file's
    name; a child writes them while this process merges.
    """

    def __init__(self) -> None:
        self._children: list[tuple[SurveyPart, int, IO[bytes]]] = []

    def add(self, part: SurveyPart, run: Path) -> None:
        """Fork a child writing *part*'s run to *run*; the part names its run at once."""
        pid, fh = fork(partial(_run_work, part, run))
        part.run = run
        self._children.append((part, pid, fh))

    def finish(self, namespaces: set[str]) -> None:
        """Wait for the runs (raises if a child failed); each part gets its run's namespaces and digest,
        and *namespaces* (the merged runs', added while they were unknown) gets the namespaces."""
        try:
            for part, pid, fh in self._children:
                part.namespaces, part.run_sha256 = collect(pid, fh, tuple)
                namespaces.update(part.namespaces)
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the children whose runs were not waited for (the conversion is failing)."""
        for _, pid, fh in self._children:
            reap(pid, fh)
        self._children.clear()


def _run_work(part: SurveyPart, run: Path) -> tuple[frozenset[str], str]:
    written = write_run(part, run)
    return written.namespaces, written.run_sha256


def _forked_work(
    share: list[int], paths: Sequence[str | Path], ctx: Context, run_dir: Path
) -> list[tuple[int, SurveyPart, tuple[int, float, float]]]:
    """In a forked child: the parts of *share*, as a pool worker builds them (:func:`_work`)."""
    global _context, _run_dir
    _context, _run_dir = ctx, run_dir  # what a pool worker's initializer sets
    return [_work((k, paths[k])) for k in share]


def _size(path: str | Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def start_early(jobs: int, surveys: int) -> None:
    """Start the fork server now, so it imports while this process reads metadata and vocabularies."""
    if effective_jobs(jobs, surveys) > 1:
        ctx = _mp_context()
        if ctx.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            with suppress(OSError):  # it will be spawned instead (see _pool)
                forkserver.ensure_running()


def _pool(jobs: int, **options: Any) -> multiprocessing.pool.Pool:
    """A pool of *jobs* workers from the fork server, or spawned when the server cannot start.

    The fork server listens on a Unix socket in the temporary folder; a long
    ``TMPDIR`` makes its path too long for the system, and then each worker is
    started as a fresh interpreter instead (slower to start, the same work).
    """
    import multiprocessing

    try:
        return _mp_context().Pool(jobs, **options)
    except OSError:
        return multiprocessing.get_context("spawn").Pool(jobs, **options)


def _mp_context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        mp = multiprocessing.get_context("forkserver")
        mp.set_forkserver_preload([__name__])
        return mp
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows, macOS without forkserver


def _init(settings: Settings, run_dir: Path) -> None:
    global _context, _run_dir
    gc.set_threshold(*BUILD_GC_THRESHOLD)  # a worker only builds parts (see core.collector)
    _context = Context(settings)
    _run_dir = run_dir


def _work(item: tuple[int, str | Path]) -> tuple[int, SurveyPart, tuple[int, float, float]]:
    k, path = item
    assert _context is not None and _run_dir is not None
    part = build_part(path, _context, _run_dir, run_name(k)).slim()
    return k, part, _sample()


def _range_work(*args: Any) -> tuple[RangeOutput, tuple[int, float, float]]:
    return write_range(*args), _sample()


class RangePool:
    """Write one graph's ranges (:mod:`..graph.partition`) in *jobs* worker processes, in the background.

    Why in the background: the caller renders the BibTeX files meanwhile.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        formats: Sequence[str],
        prefixes: dict[str, str],
        jobs: int,
        directory: Path,
        stats: WorkerStats | None = None,
        keep_nt: bool = True,
    ) -> None:
        self._stats = stats
        self._pool = _pool(jobs)
        width = allow_open(len(paths))
        if len(paths) > width:  # too many runs to open at once: the workers merge them in groups first
            groups = [
                (list(paths[k : k + width]), directory / f"group-{k // width:04d}.nt")
                for k in range(0, len(paths), width)
            ]
            paths = self._pool.starmap(merge_to, groups)
        cuts = cut_points(paths, jobs * 2)
        tasks = [
            (list(paths), lo, hi, list(formats), prefixes, directory, f"range-{k:04d}", keep_nt)
            for k, (lo, hi) in enumerate(ranges_of(cuts))
        ]
        self._result = self._pool.starmap_async(_range_work, tasks)

    def results(self) -> list[RangeOutput]:
        try:
            out = self._result.get()
            self._pool.close()
        finally:
            self.close()
        if self._stats is not None:
            for _, sample in out:
                self._stats.note(sample)
        return [o for o, _ in out]

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


class ForkedRanges:
    """Write a small graph's ranges on two cores: a child forked from this process writes the second
    range while this one renders the BibTeX, then writes the first (:meth:`results`).

    Why forked, and not :class:`RangePool`: below :data:`~.RANGED_BYTES` a
    pool's start costs more than a range saves, while a fork costs a few
    milliseconds and the child already has everything it reads.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        formats: Sequence[str],
        prefixes: dict[str, str],
        directory: Path,
        stats: WorkerStats | None = None,
        keep_nt: bool = True,
    ) -> None:
        self._stats = stats
        tasks = [
            (list(paths), lo, hi, list(formats), prefixes, directory, f"range-{k:04d}", keep_nt)
            for k, (lo, hi) in enumerate(ranges_of(cut_at(paths, FORKED_FIRST_SHARE)))
        ]
        self._first = tasks[0]
        self._children = [fork(partial(_range_work, *task)) for task in tasks[1:]]

    def results(self) -> list[RangeOutput]:
        try:
            out = [write_range(*self._first)]
            for pid, fh in self._children:
                output, sample = collect(pid, fh, tuple)
                if self._stats is not None:
                    self._stats.note(sample)
                out.append(output)
        finally:
            self.close()
        return out

    def close(self) -> None:
        for child in self._children:
            reap(*child)
