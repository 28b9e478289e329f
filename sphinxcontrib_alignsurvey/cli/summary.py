"""``alignsurvey summary``: what the reader found, as a table."""

from __future__ import annotations

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..core.diagnostics import printable
from .common import expand_inputs, read_all


@click.command()
@click.argument("surveys", nargs=-1, required=True, metavar="SURVEY_OR_DIR...")
def summary(surveys: tuple[str, ...]) -> None:
    """Read surveys and print their structure and citation counts."""
    read, failures = read_all(expand_inputs(surveys))
    console = Console()
    table = Table(title="Surveys read", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("survey (id, title)", min_width=25, max_width=30)
    for column in ("sect.", "sent.", "cites", "refs", "warn", "err"):
        table.add_column(column, justify="right", no_wrap=True)
    for s in read:
        table.add_row(
            # the reader has taken control characters out of titles; printable() keeps it so
            f"[bold]{escape(printable(s.id))}[/bold]\n{escape(printable(s.title))}",
            str(len(s.sections)),
            str(len(s.sentences)),
            str(sum(len(x.citations) for x in s.sentences)),
            str(len(s.references)),
            str(len(s.diagnostics) - len(s.errors)),
            str(len(s.errors)),
        )
    console.print(table)
    for d in failures:
        click.echo(d.format(), err=True)
    if failures or any(s.errors for s in read):
        raise click.exceptions.Exit(1)
