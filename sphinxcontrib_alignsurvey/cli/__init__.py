"""The ``alignsurvey`` command line.

Each sub-command lives in its own module and is registered here; the group
turns every user mistake into a one-line message and an exit status instead
of a traceback.
"""

from __future__ import annotations

import sys

import click

from ..core.atomic import Terminated
from ..core.version import __version__
from .common import UserError
from .convert import convert_cmd
from .enrich import enrich_cmd
from .lint import lint
from .load import load_cmd
from .query import query_cmd
from .serve import serve_cmd
from .summary import summary
from .validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alignsurvey")
def cli() -> None:
    """Turn AI-alignment surveys into a knowledge graph, BibTeX and docs."""


cli.add_command(convert_cmd)
cli.add_command(enrich_cmd)
cli.add_command(lint)
cli.add_command(load_cmd)
cli.add_command(query_cmd)
cli.add_command(serve_cmd)
cli.add_command(summary)
cli.add_command(validate)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    try:
        result = cli.main(args=argv, prog_name="alignsurvey", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except Terminated as exc:  # SIGTERM/SIGHUP while writing: temporaries are gone, the lock released
        click.echo(f"alignsurvey: {exc}", err=True)
        return 128 + exc.signum
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except UserError as exc:
        click.echo(f"alignsurvey: {exc}", err=True)
        return exc.exit_code
    except OSError as exc:  # an unwritable --out, a full disk: the user's to fix, not a crash
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"alignsurvey: {where}{exc.strerror or exc}", err=True)
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
