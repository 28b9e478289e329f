"""The cyclic garbage collector's pace during the long runs: a conversion and a Sphinx build.

Why: both allocate millions of short-lived objects (tokens and mentions;
doctree nodes, whose parent links make cycles).  With Python's default
thresholds (700, 10, 10) a full collection runs every ~70,000 net
allocations and rescans every long-lived object (imported modules, the
environment, the graph) while finding little: a tenth of the CPU time of a
100-survey conversion, and 5.3 of the 12.8 s of a 200-page Sphinx build
(``benchmarks/bench_sphinx.py --breakdown``).  Raised thresholds keep
collecting cycles, in fewer and larger passes; the cost is memory (the
Sphinx build above: 134 -> 196 MB peak), published in ``docs/reference.rst``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: The thresholds while a long run allocates (Python's default: 700, 10, 10).
BUILD_GC_THRESHOLD = (20_000, 50, 100)


def collect_less() -> tuple[int, int, int]:
    """Raise the thresholds (never lower one a host chose higher); returns the previous ones."""
    previous = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(previous, BUILD_GC_THRESHOLD, strict=True)))
    return previous


def restore(previous: tuple[int, ...]) -> None:
    gc.set_threshold(*previous)


@contextmanager
def collecting_less() -> Iterator[None]:
    """Within the block, the collector runs less often (:func:`collect_less`); the previous pace after it."""
    previous = collect_less()
    try:
        yield
    finally:
        restore(previous)
