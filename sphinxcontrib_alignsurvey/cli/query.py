"""``alignsurvey query``: run a SPARQL query file on the graph or an endpoint.

Exit status: 0 on success (and for an ASK that is true), 1 for an ASK that
is false, 2 for any error (bad query, refused operation, timeout, bad data).
Only the SPARQL modules are imported on this path, so a cold run stays fast.
The query is evaluated in a worker process (see ``sparql.evaluator``) that is
killed at ``--timeout`` or when it allocates more than ``--memory-limit``.
"""

from __future__ import annotations

import itertools
import sys
from typing import TYPE_CHECKING

import click

from .common import UserError, keep_until_exit, query_limits

if TYPE_CHECKING:
    from ..sparql.term import Term

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle",)
QUERY_ERROR_STATUS = 2


class QueryCommand(click.Command):
    """Lists the bundled query names under the help text, read from the shipped folder at ``--help`` time."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        import textwrap

        from ..core.resources import query_names

        with formatter.section("Bundled queries (use the name as FILE)"):
            width = max((formatter.width or 80) - formatter.current_indent, 20)
            # click's own wrapping breaks names at their hyphens
            for line in textwrap.wrap(", ".join(query_names()), width, break_on_hyphens=False):
                formatter.write(f"{'':>{formatter.current_indent}}{line}\n")
        super().format_epilog(ctx, formatter)


@click.command("query", cls=QueryCommand)
@click.argument("query_file", metavar="FILE")
@click.option(
    "--data", "data", multiple=True, metavar="DIR_OR_FILE", help="RDF files or directories (default: bundled graph)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(SELECT_FORMATS + GRAPH_FORMATS),
    default=None,
    help="Output format [default: table for SELECT, turtle for CONSTRUCT/DESCRIBE].",
)
@click.option(
    "--bind",
    "binds",
    multiple=True,
    metavar="VAR=VALUE",
    help="Bind ?VAR to an IRI, prefix:name, concept id or literal.",
)
@click.option("--endpoint", metavar="URL", help="Query this SPARQL 1.1 endpoint instead of local data.")
@query_limits(memory_mb=2048.0)
@click.option("--allow-update", is_flag=True, help="Allow SPARQL UPDATE (INSERT, DELETE, LOAD, CLEAR, ...).")
@click.option("--allow-service", is_flag=True, help="Allow federated SERVICE calls to other endpoints.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Write at most N rows.")
def query_cmd(
    query_file: str,
    data: tuple[str, ...],
    fmt: str | None,
    binds: tuple[str, ...],
    endpoint: str | None,
    timeout: float,
    memory_limit: float,
    allow_update: bool,
    allow_service: bool,
    limit: int | None,
) -> int:
    """Run the SPARQL query in FILE (a path, or a bundled query name such as `surveys`)."""
    from ..sparql import queries
    from ..sparql.api import open_engine
    from ..sparql.errors import QueryError, QuerySyntaxError

    try:
        path, text = queries.read(query_file)
    except QueryError as exc:
        raise UserError(str(exc), QUERY_ERROR_STATUS) from None
    label = query_file if path.parent == queries.QUERIES else str(path)
    try:
        engine = open_engine(
            list(data) or None,
            endpoint=endpoint,
            timeout=timeout or None,
            allow_update=allow_update,
            allow_service=allow_service,
            memory_limit=memory_limit or None,
        )
        evaluator = getattr(engine, "evaluator", None)
        keep_until_exit(engine, evaluator.close if evaluator is not None else None)
        bindings = engine.bind(binds)
        return _answer(engine, text, bindings, fmt, limit)
    except QuerySyntaxError as exc:
        where = f":{exc.line}:{exc.column}" if exc.line is not None else ""
        raise UserError(f"{label}{where}: syntax error: {exc.detail}", QUERY_ERROR_STATUS) from None
    except QueryError as exc:
        raise UserError(f"{label}: {exc}", QUERY_ERROR_STATUS) from None


def _answer(engine: object, text: str, bindings: dict[str, Term], fmt: str | None, limit: int | None) -> int:
    """Run the query and write its answer to stdout; return the exit status."""
    from ..sparql import formats

    answer = engine.execute(text, bindings, limit=limit)  # type: ignore[attr-defined]
    if answer.form == "UPDATE":
        click.echo("update done", err=True)
        return 0
    if answer.form == "ASK":
        if fmt not in (None, "table", "json", "xml"):
            raise UserError(f"an ASK answer cannot be written as {fmt} (use table, json or xml)", QUERY_ERROR_STATUS)
        formats.write_boolean(bool(answer.boolean), fmt or "table", sys.stdout)
        return 0 if answer.boolean else 1
    if answer.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in (None, "turtle"):
            raise UserError(f"{answer.form} answers are graphs, written as turtle (not {fmt})", QUERY_ERROR_STATUS)
        triples = answer.triples if limit is None else itertools.islice(answer.triples, limit)
        sys.stdout.flush()
        formats.write_turtle(triples, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return 0
    fmt = fmt or "table"
    if fmt == "turtle":
        raise UserError("a SELECT answer is a table: use --format table, csv, tsv, json or xml", QUERY_ERROR_STATUS)
    rows = answer.rows if limit is None else itertools.islice(answer.rows, limit)
    if fmt == "table":
        formats.write_table(answer.columns, rows, sys.stdout)
        return 0
    out = formats.text_stream(sys.stdout.buffer)
    try:
        formats.WRITERS[fmt](answer.columns, rows, out)
        out.flush()
    finally:
        out.detach()
    return 0
