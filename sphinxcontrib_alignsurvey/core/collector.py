"""The cyclic garbage collector's pace during the long runs: a conversion and a Sphinx build.

Why: both allocate millions of short-lived objects (tokens and mentions;
doctree nodes, whose parent links make cycles).  With Python's default
thresholds (700, 10, 10) a full collection runs every ~70,000 net
allocations and rescans every long-lived object (imported modules, the
environment, the graph) while finding little: a tenth of the CPU time of a
100-survey conversion, 5.3 of the 12.8 s of a 200-page Sphinx build
(``benchmarks/bench_sphinx.py --breakdown``) and 76 of the 123 s of a
600-page one.  Raised thresholds keep collecting cycles, in fewer and larger
passes; the cost is memory, published in ``docs/reference.rst``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: The thresholds while a conversion builds (Python's default: 700, 10, 10); its peak memory did
#: not change with them.
BUILD_GC_THRESHOLD = (20_000, 50, 100)

#: The thresholds while Sphinx builds: full passes every 10 (not 100) of the middle ones, because a
#: build's garbage is cyclic (doctrees) and reaches the oldest generation.  On 600 pages: 79 s and
#: 244 MB peak, against 123 s and 159 MB at Python's pace and 72 s and 414 MB at BUILD_GC_THRESHOLD.
DOCS_GC_THRESHOLD = (20_000, 20, 10)


def collect_less(threshold: tuple[int, int, int] = BUILD_GC_THRESHOLD) -> tuple[int, int, int]:
    """Raise the thresholds to *threshold* (never lower one a host chose higher); returns the previous ones."""
    previous = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(previous, threshold, strict=True)))
    return previous


def restore(previous: tuple[int, ...]) -> None:
    gc.set_threshold(*previous)


@contextmanager
def collecting_less(threshold: tuple[int, int, int] = BUILD_GC_THRESHOLD) -> Iterator[None]:
    """Within the block, the collector runs less often (:func:`collect_less`); the previous pace after it."""
    previous = collect_less(threshold)
    try:
        yield
    finally:
        restore(previous)
