"""Helpers for the Sphinx extension tests: copy a test root, build it, read output.

Why a test module: only ``tests/test_sphinx_*`` files belong to the extension;
it registers sphinx.testing's fixtures and holds no tests itself.
"""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """For sphinx.testing's ``@pytest.mark.sphinx(testroot=...)``."""
    return ROOTS


def copy_root(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(ROOTS / f"test-{name}", target)
    return target


class Build:
    """The outcome of one sphinx-build run."""

    def __init__(self, app: SphinxTestApp, status: str, warnings: str) -> None:
        self.app = app
        self.status = status
        self.warnings = warnings
        self.outdir = Path(app.outdir)

    def text(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def warning_lines(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if "WARNING" in line or "ERROR" in line]


def build(srcdir: Path, builder: str = "html", parallel: int = 0, freshenv: bool = False, **overrides) -> Build:
    status, warning = StringIO(), StringIO()
    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=srcdir / "_build",
        freshenv=freshenv,
        confoverrides=overrides or None,
        status=status,
        warning=warning,
        parallel=parallel,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return Build(app, strip_colors(status.getvalue()), strip_colors(warning.getvalue()))


def strip_tags(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
