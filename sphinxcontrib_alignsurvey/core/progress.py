"""Steps of a long run, reported to whoever shows progress (the CLI) and ignored otherwise.

Why a tiny protocol in the base layer: the converter and the validator say
what they are doing without knowing about terminals or rich; the CLI decides
whether and how to show it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Progress:
    """The default receiver: does nothing."""

    @contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        """A step called *label*; the block may call the yielded function to advance by n of *total*."""
        yield ignore


def ignore(n: int = 1) -> None:
    pass


QUIET = Progress()
