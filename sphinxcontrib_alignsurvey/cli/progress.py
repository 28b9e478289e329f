"""Progress on stderr for the long commands: live on a terminal, one line per step with ``--progress``.

Why not always: a log file or a pipe should receive results, not spinner
frames, so without a terminal nothing is shown unless asked for.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from ..core.progress import QUIET, Progress, ignore

if TYPE_CHECKING:  # rich is imported only when progress is shown: a quiet run does not pay for it
    from rich.console import Console
    from rich.progress import Progress as RichProgress


def progress_option(fn: Callable) -> Callable:
    return click.option(
        "--progress/--no-progress",
        "show_progress",
        default=None,
        help="Show each step on stderr (default: only when stderr is a terminal).",
    )(fn)


class LiveProgress(Progress):
    """One rich line per step, kept with its time when the step ends."""

    def __init__(self, bar: RichProgress) -> None:
        self.bar = bar

    @contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        task = self.bar.add_task(label, total=total, count="")
        done = 0

        def advance(n: int = 1) -> None:
            nonlocal done
            done += n
            self.bar.update(task, advance=n, count=f"{done}/{total}" if total else "")

        yield advance
        self.bar.update(task, total=total or 1, completed=total or 1)


class LineProgress(Progress):
    """A line when a step starts and one with its time when it ends (for logs)."""

    def __init__(self, console: Console) -> None:
        self.console = console

    @contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        start = time.perf_counter()
        self.console.print(f"{label} ...", highlight=False)
        yield ignore
        self.console.print(f"{label}: done in {time.perf_counter() - start:.1f} s", highlight=False)


@contextmanager
def reporter(show: bool | None) -> Iterator[Progress]:
    """The progress receiver for one command; *show* None means 'if stderr is a terminal'."""
    tty = sys.stderr.isatty()
    if show is False or (show is None and not tty):
        yield QUIET
        return
    from rich.console import Console
    from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    console = Console(stderr=True)
    if not tty:
        yield LineProgress(console)
        return
    columns = (
        SpinnerColumn(finished_text="[green]✓"),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[count]}"),
        TimeElapsedColumn(),
    )
    with RichProgress(*columns, console=console, transient=False) as bar:
        yield LiveProgress(bar)
