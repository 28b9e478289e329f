"""``alignsurvey serve``: a local read-only SPARQL endpoint (the Oxigraph server)."""

from __future__ import annotations

import click

from .common import UserError


@click.command("serve")
@click.argument("inputs", nargs=-1, metavar="[FILES|DIR]...")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="Port on 127.0.0.1.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Time limit per query in seconds.")
def serve_cmd(inputs: tuple[str, ...], port: int, timeout: float) -> None:
    """Serve the bundled graph (or the given RDF files) read-only at http://127.0.0.1:PORT/query."""
    import signal
    import time

    from ..core.resources import BUNDLED_GRAPH
    from ..sparql.api import rdf_sources
    from ..sparql.errors import QueryError
    from ..sparql.server import running_server

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # so the server below is shut down, not orphaned

    signal.signal(signal.SIGTERM, stop)
    try:
        paths = rdf_sources(inputs) if inputs else [BUNDLED_GRAPH]
        with running_server(paths, port, timeout=timeout or None) as url:
            click.echo(f"SPARQL endpoint (read-only): {url}  -- Ctrl-C to stop", err=True)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                click.echo("stopped", err=True)
    except QueryError as exc:
        raise UserError(str(exc)) from None
