"""``alignsurvey serve``: a local read-only SPARQL endpoint (see ``sparql.httpd`` for its threat model)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .common import UserError, query_limits


@click.command("serve")
@click.argument("inputs", nargs=-1, metavar="[FILES|DIR]...")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="Port on 127.0.0.1.")
@query_limits(memory_mb=1024.0)
@click.option(
    "--max-queries",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Queries evaluated at once; others wait, then get HTTP 503.",
)
@click.option(
    "--location",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the graph in a database in this folder and reuse it at the next start when the inputs "
    "did not change (default: in memory, loaded at every start).",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let queries call other endpoints with SERVICE: the server then fetches URLs for anyone who can reach it.",
)
def serve_cmd(
    inputs: tuple[str, ...],
    port: int,
    timeout: float,
    memory_limit: float,
    max_queries: int,
    location: Path | None,
    allow_service: bool,
) -> None:
    """Serve the bundled graph (or the given RDF files) read-only at http://127.0.0.1:PORT/query."""
    import errno
    import threading

    from ..sparql.api import open_engine
    from ..sparql.errors import QueryError
    from ..sparql.httpd import LOOPBACK, QueryServer

    with _sigterm_interrupts():  # from here a SIGTERM stops the server in order
        try:
            if location is None:
                engine = open_engine(
                    list(inputs) or None,
                    timeout=timeout or None,
                    memory_limit=memory_limit or None,
                    allow_service=allow_service,
                )
            else:
                engine = _persistent(inputs, location, timeout, memory_limit, allow_service)
        except QueryError as exc:
            raise UserError(str(exc)) from None
        try:
            server = QueryServer(engine, port, max_queries=max_queries)  # type: ignore[arg-type]
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UserError(f"port {port} on {LOOPBACK} is already in use; choose another with --port") from None
            raise UserError(f"cannot listen on {LOOPBACK}:{port}: {exc.strerror}") from None
        thread = threading.Thread(target=server.serve_forever, name="alignsurvey-serve", daemon=True)
        thread.start()
        service = "; SERVICE allowed" if allow_service else ""
        click.echo(f"SPARQL endpoint (read-only{service}): {server.url}  -- Ctrl-C to stop", err=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
        finally:
            server.shutdown()
            server.server_close()
            engine.evaluator.close()  # type: ignore[union-attr]


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt within the block, so the server is shut down in order.

    Why restored on leaving: ``main(["serve", ...])`` run inside another program (the tests do)
    would otherwise leave that program turning every later SIGTERM into Ctrl-C.
    """

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _persistent(
    inputs: tuple[str, ...], location: Path, timeout: float, memory_limit: float, allow_service: bool
) -> Any:
    """An engine over the store in *location*, loaded only when the inputs changed (see ``sparql.location``)."""
    import time

    from ..core.resources import BUNDLED_GRAPH
    from ..sparql.api import EmbeddedEngine, Policy, rdf_sources
    from ..sparql.location import open_store

    sources = rdf_sources(inputs) if inputs else [BUNDLED_GRAPH]
    start = time.perf_counter()
    store, reused = open_store(location, sources)
    what = "reused" if reused else "loaded"
    click.echo(
        f"{what} the store in {location} ({len(sources)} input(s), {time.perf_counter() - start:.1f} s)", err=True
    )
    policy = Policy(False, allow_service, timeout or None, memory_limit or None)
    return EmbeddedEngine(store, sources, policy)
