"""Per-query time limits.

pyoxigraph has no cancellation, but it releases the GIL while it evaluates,
so the work runs in a daemon worker thread and the caller waits at most the
limit.  On timeout the caller gets :class:`QueryTimeout` at once; the
abandoned evaluation keeps its thread until the engine finishes (its result
is dropped).  The CLI exits right after, which ends it.  Remote endpoints
get the same limit as their socket timeout, so a hung server is not waited
on either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from .errors import QueryTimeout

T = TypeVar("T")


def run_limited(fn: Callable[[], T], timeout: float | None) -> T:
    """Call *fn*; with a *timeout* (seconds), give up after that long."""
    if timeout is None:
        return fn()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, name="alignsurvey-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"query exceeded the time limit of {timeout:g} s and was abandoned")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
