"""Python's cycle collector paused while one survey is read.

Why: reading builds millions of short-lived objects (markdown-it tokens, then
blocks, sentences, citations) and none of them forms a reference cycle, so
the collector's passes during a read find nothing (tests/test_reader_pause.py
checks that a read leaves no cyclic garbage) yet cost 40% of the time on a
survey of many small blocks.  Reference counting still frees everything as
usual.  Nested and concurrent reads share one pause; the collector is turned
back on only if it was on when the first of them began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
