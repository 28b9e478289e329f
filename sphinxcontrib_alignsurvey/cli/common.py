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
