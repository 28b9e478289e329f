"""``alignsurvey load``: push RDF to a store, in bounded chunks with progress and resume.

Over HTTP it speaks the SPARQL 1.1 Graph Store Protocol (see
``sparql.loading``); for a store on this machine it can drive the store's own
bulk loader instead (``--bulk oxigraph`` into a database folder,
``--bulk virtuoso`` through ``isql``), which skips HTTP altogether.
Credentials come from ``ALIGNSURVEY_ENDPOINT_USER``/``_PASSWORD`` or netrc.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from .common import UserError


@click.command("load")
@click.argument("inputs", nargs=-1, metavar="[FILES|DIR]...")
@click.option("--endpoint", metavar="URL", help="Graph Store endpoint, e.g. http://127.0.0.1:7878/store.")
@click.option("--graph", metavar="IRI", help="Target named graph (default: the default graph).")
@click.option("--replace", is_flag=True, help="Replace the target graph (PUT) instead of adding to it (POST).")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds to wait for each chunk.")
@click.option(
    "--chunk",
    "chunk",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    metavar="N",
    help="Triples per request.",
)
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where progress is kept for resuming [default: $XDG_STATE_HOME/alignsurvey/load].",
)
@click.option("--restart", is_flag=True, help="Ignore saved progress and send every chunk again.")
@click.option(
    "--bulk",
    type=click.Choice(["oxigraph", "virtuoso"]),
    default=None,
    help="Use the store's own bulk loader (local stores only) instead of HTTP.",
)
@click.option(
    "--location",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="--bulk oxigraph: the database folder (the server must not be running on it).",
)
@click.option(
    "--isql",
    "isql",
    metavar="HOST:PORT",
    default=None,
    help="--bulk virtuoso: Virtuoso's SQL port on this machine, e.g. 127.0.0.1:1111.",
)
def load_cmd(
    inputs: tuple[str, ...],
    endpoint: str | None,
    graph: str | None,
    replace: bool,
    timeout: float,
    chunk: int,
    state_dir: Path | None,
    restart: bool,
    bulk: str | None,
    location: Path | None,
    isql: str | None,
) -> None:
    """Upload RDF files (default: the bundled graph) to a SPARQL Graph Store, or bulk-load a local store."""
    from ..core.resources import BUNDLED_GRAPH
    from ..sparql.api import rdf_sources
    from ..sparql.errors import QueryError

    try:
        paths = rdf_sources(inputs) if inputs else [BUNDLED_GRAPH]
        if bulk:
            _bulk(bulk, paths, graph, location, isql, replace)
            return
        if not endpoint:
            raise UserError("give --endpoint URL (a Graph Store endpoint), or --bulk for a local store's own loader")
        _chunked(paths, endpoint, graph, replace, timeout, chunk, state_dir, restart)
    except QueryError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot read input: {exc}") from None


def _chunked(
    paths: list[Path],
    endpoint: str,
    graph: str | None,
    replace: bool,
    timeout: float,
    chunk: int,
    state_dir: Path | None,
    restart: bool,
) -> None:
    from ..sparql import loading
    from ..sparql.endpoint import _check_url, put_graph

    _check_url(endpoint)
    resume = loading.Resume.open(state_dir or loading.state_dir(), loading.input_digest(paths), endpoint, graph, chunk)
    if restart:
        resume.done = 0
    if resume.done:
        click.echo(f"resuming: {resume.done} chunk(s) already loaded ({resume.path})", err=True)
    start = time.perf_counter()

    def send(body: bytes, first: bool) -> None:
        put_graph(
            endpoint,
            body,
            "application/n-triples",
            length=len(body),
            graph=graph,
            replace=first,
            timeout=timeout or None,
        )

    def progress(number: int, total: int, size: int, skipped: bool) -> None:
        if skipped:
            return
        rate = total / max(time.perf_counter() - start, 1e-9)
        click.echo(f"chunk {number}: {size:,} triples ({total:,} so far, {rate:,.0f} triples/s)", err=True)

    count, total = loading.load(paths, send, resume, size=chunk, replace=replace, progress=progress)
    where = f"{endpoint}{' graph ' + graph if graph else ''}"
    click.echo(
        f"loaded {total:,} triples from {len(paths)} file(s) in {count} chunk(s) into {where} "
        f"({time.perf_counter() - start:.1f} s)",
        err=True,
    )


def _bulk(
    kind: str, paths: list[Path], graph: str | None, location: Path | None, isql: str | None, replace: bool
) -> None:
    start = time.perf_counter()
    if kind == "oxigraph":
        from ..sparql.server import load_database

        if location is None:
            raise UserError("--bulk oxigraph needs --location DIR (the Oxigraph database folder)")
        if replace or graph:
            raise UserError("--bulk oxigraph loads into the default graph of the folder: drop --replace/--graph")
        load_database(location, paths)
        click.echo(f"bulk-loaded {len(paths)} file(s) into {location} ({time.perf_counter() - start:.1f} s)", err=True)
        return
    from ..sparql import virtuoso

    if not isql or not graph:
        raise UserError("--bulk virtuoso needs --isql HOST:PORT and --graph IRI")
    host, _, port = isql.rpartition(":")
    if host not in ("127.0.0.1", "localhost") or not port.isdigit():
        raise UserError(f"--isql {isql}: the bulk loader reads files on this machine, so give 127.0.0.1:PORT")
    loaded = virtuoso.bulk_load(int(port), paths, graph, replace=replace)
    click.echo(
        f"bulk-loaded {loaded:,} triples from {len(paths)} file(s) into graph {graph} "
        f"({time.perf_counter() - start:.1f} s)",
        err=True,
    )
