"""Per-query time limits, as a point in time every wait is measured against.

Why a point and not a duration per step: a query's answer arrives in many
reads (rows stream from the evaluating process or from an endpoint), and a
limit applied to each read would let an answer take many times the limit.
Stopping the work itself is the evaluator's job (:mod:`.evaluator` kills
the process that evaluates); this module only says how long is left.
"""

from __future__ import annotations

import time

from .errors import QueryTimeout


class Deadline:
    """*seconds* from now (None: no limit)."""

    __slots__ = ("at", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.at = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        """Seconds left (never below 0), or None without a limit."""
        return None if self.at is None else max(0.0, self.at - time.monotonic())

    def expired(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at

    def error(self) -> QueryTimeout:
        return QueryTimeout(f"query exceeded the time limit of {self.seconds:g} s and was stopped")
