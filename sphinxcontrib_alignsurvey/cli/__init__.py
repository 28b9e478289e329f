"""The ``alignsurvey`` command line.

Each sub-command lives in its own module and is registered here; the group
turns every user mistake into a one-line message and an exit status instead
of a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from ..core.atomic import Terminated
from ..core.version import __version__
from .common import KEPT, UserError

#: name -> (module, attribute, one-line help).  Commands are imported only when run, so
#: ``alignsurvey --help`` and ``--version`` import no RDF, Markdown or Sphinx library.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("check", "check_cmd", "Check a survey's citations: off-topic, unsupported, unverified, figures."),
    "convert": ("convert", "convert_cmd", "Convert surveys into the knowledge graph and BibTeX files."),
    "enrich": ("enrich", "enrich_cmd", "Resolve authors, year and identifiers of cited works (online, opt-in)."),
    "lint": ("lint", "lint", "Check surveys; exit 1 on any error."),
    "load": ("load", "load_cmd", "Upload RDF files to a SPARQL Graph Store."),
    "query": ("query", "query_cmd", "Run a SPARQL query (a file or a bundled query name)."),
    "serve": ("serve", "serve_cmd", "Serve the graph read-only over SPARQL."),
    "summary": ("summary", "summary", "Print what was found in each survey."),
    "validate": ("validate", "validate", "Validate RDF files against the SHACL shapes."),
    "vocab": ("vocab", "vocab", "Inspect the vocabularies, or draft one from your surveys (suggest)."),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alignsurvey")
def cli() -> None:
    """Turn AI-alignment surveys into a knowledge graph, BibTeX and docs."""


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


def run() -> None:
    """The ``alignsurvey`` script: :func:`main`, then exit; fast when a command kept its objects.

    Why: see :func:`.common.keep_until_exit`.  Nothing of ours waits for
    interpreter exit once the kept objects' workers are stopped and the
    output is flushed, so the operating system reclaims the heap at once.
    """
    KEPT.enabled = True
    status = main()
    if not KEPT.objects:
        sys.exit(status)
    for stop in KEPT.stops:
        stop()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            status = status or 1
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
