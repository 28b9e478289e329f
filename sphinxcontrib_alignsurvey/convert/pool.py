"""Build survey parts in this process or in a pool of worker processes.

Why processes: the per-survey work (read, check, link, build a sorted run)
is pure Python and needs the GIL, so only processes use more cores.  Each
worker holds the vocabulary's matchers and one survey at a time, and writes
its run to a file, sending back only what the merge needs (a slim part), so a
worker's memory does not grow with the corpus.

Workers start from a fork server (a clean, single-threaded process that has
imported this module), not by forking the caller, which may run a progress
display's thread.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..graph.partition import RangeOutput, cut_points, ranges_of, write_range
from .parts import Context, Settings, SurveyPart, build_part

#: Below this many surveys per worker, starting workers costs more than it saves.
MIN_SURVEYS_PER_JOB = 2

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


def build_parts(
    paths: Sequence[str | Path],
    settings: Settings,
    run_dir: Path,
    jobs: int = 1,
    advance: Callable[[str | Path], None] | None = None,
    context: Context | None = None,
) -> list[SurveyPart]:
    """A part per path, in the order given; *jobs* > 1 builds them in that many worker processes.

    In this process the parts keep the whole survey model (callers may read
    it); from workers they are slim (:meth:`SurveyPart.slim`).
    """
    advance = advance or (lambda path: None)
    jobs = effective_jobs(jobs, len(paths))
    if jobs == 1:
        ctx = context or Context(settings)
        out = []
        for k, path in enumerate(paths):
            out.append(build_part(path, ctx, run_dir, run_name(k)))
            advance(path)
        return out
    mp = _mp_context()
    parts: list[SurveyPart | None] = [None] * len(paths)
    with mp.Pool(jobs, initializer=_init, initargs=(settings, run_dir)) as pool:
        for k, part in pool.imap_unordered(_work, enumerate(paths)):
            parts[k] = part
            advance(paths[k])
        pool.close()
        pool.join()
    return [p for p in parts if p is not None]


def _mp_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        mp = multiprocessing.get_context("forkserver")
        mp.set_forkserver_preload([__name__])
        return mp
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows, macOS without forkserver


def _init(settings: Settings, run_dir: Path) -> None:
    global _context, _run_dir
    _context = Context(settings)
    _run_dir = run_dir


def _work(item: tuple[int, str | Path]) -> tuple[int, SurveyPart]:
    k, path = item
    assert _context is not None and _run_dir is not None
    return k, build_part(path, _context, _run_dir, run_name(k)).slim()


class RangePool:
    """Write one graph's ranges (:mod:`..graph.partition`) in *jobs* worker processes, in the background.

    Why in the background: the caller renders the BibTeX files meanwhile.
    """

    def __init__(
        self, paths: Sequence[Path], formats: Sequence[str], prefixes: dict[str, str], jobs: int, directory: Path
    ) -> None:
        cuts = cut_points(paths, jobs * 2)
        tasks = [
            (list(paths), lo, hi, list(formats), prefixes, directory, f"range-{k:04d}")
            for k, (lo, hi) in enumerate(ranges_of(cuts))
        ]
        self._pool = _mp_context().Pool(jobs)
        self._result = self._pool.starmap_async(write_range, tasks)

    def results(self) -> list[RangeOutput]:
        try:
            out = self._result.get()
            self._pool.close()
            return out
        finally:
            self.close()

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()
