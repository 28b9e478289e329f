"""Helpers shared by the sub-commands: reading inputs, reporting failures."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:  # the reader is imported by the commands that read, not at start-up
    from ..core.diagnostics import Diagnostic
    from ..core.model import Survey

SURVEY_SUFFIXES = (".md", ".markdown", ".txt")
F = TypeVar("F", bound=Callable[..., object])


class UserError(Exception):
    """A mistake the user can fix; printed without a traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class _Kept:
    """What a command leaves for the operating system to reclaim when the ``alignsurvey`` script exits."""

    def __init__(self) -> None:
        self.enabled = False  # only the console script exits fast; main() called in-process frees as usual
        self.objects: list[object] = []
        self.stops: list[Callable[[], None]] = []


KEPT = _Kept()


def keep_until_exit(obj: object, stop: Callable[[], None] | None = None) -> None:
    """Leave *obj* (a loaded store, a conversion) to the process's end instead of freeing it; *stop* runs first.

    Why: a loaded store's pages are shared copy-on-write with the query
    worker forked from it, so freeing it faults on every page (34 ms for the
    bundled graph, more than the query); freeing a conversion's objects one
    by one took 30-45 ms of a 0.6 s ``convert``.  ``alignsurvey`` ends by
    ``os._exit`` after a command kept something, once *stop* (the workers'
    shutdown) has run and the output is flushed; called in-process (tests,
    scripts), this does nothing and the object is freed as usual.
    """
    if KEPT.enabled:
        KEPT.objects.append(obj)
        if stop is not None:
            KEPT.stops.append(stop)


def expand_inputs(paths: Iterable[str]) -> list[str]:
    """Files as given; directories contribute their survey files, sorted."""
    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(str(f) for f in p.iterdir() if f.suffix.lower() in SURVEY_SUFFIXES and f.is_file())
            if not found:
                raise UserError(f"{raw}: directory holds no survey files ({', '.join(SURVEY_SUFFIXES)})")
            out.extend(found)
        else:
            out.append(raw)
    return out


def read_all(paths: Iterable[str]) -> tuple[list[Survey], list[Diagnostic]]:
    """Read every survey; unreadable ones become error diagnostics."""
    from ..reader import read_surveys

    return read_surveys(paths)


def query_limits(memory_mb: float) -> Callable[[F], F]:
    """``--timeout`` and ``--memory-limit``, the same two limits for every command that runs queries.

    Why one decorator: ``query`` and ``serve`` must offer the same ceilings
    under the same names; only the memory default differs (a server keeps
    room for the queries of others).
    """

    def apply(command: F) -> F:
        command = click.option(
            "--memory-limit",
            type=click.FloatRange(min=0),
            default=memory_mb,
            show_default=True,
            metavar="MB",
            help="Memory one query may allocate beyond the loaded graph, in MB (0: none).",
        )(command)
        return click.option(
            "--timeout", type=float, default=60.0, show_default=True, help="Time limit per query in seconds (0: none)."
        )(command)

    return apply


def jobs_option(work: str) -> Callable[[F], F]:
    """``--jobs/-j N``: *work* done in N processes (default: the machine's cores; 1: in this process).

    Why shared: ``convert`` and ``validate`` promise the same thing under the same name -- the
    result does not depend on N -- and should say it the same way.
    """
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help=f"{work} in N processes (default: the machine's cores; 1: in this process). "
        "The result is the same for any N.",
    )
