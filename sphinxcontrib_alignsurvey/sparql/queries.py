"""The bundled competency queries, found by file name or bare name.

They are kept once, in ``examples/queries/``; wheels carry that folder as
``_queries/`` (see :func:`~sphinxcontrib_alignsurvey.core.resources.queries_dir`).
"""

from __future__ import annotations

from pathlib import Path

from ..core.resources import queries_dir, query_names
from .errors import QueryError

QUERIES = queries_dir()


def bundled_names() -> list[str]:
    """Names of the bundled queries, without ``.rq``."""
    return query_names()


def resolve(name: str) -> Path:
    """A query file: *name* as a path if it exists, else a bundled query (``surveys`` or ``surveys.rq``)."""
    path = Path(name)
    if path.is_file():
        return path
    if path.parent == Path(".") or str(path.parent) == "":
        stem = path.name[:-3] if path.name.endswith(".rq") else path.name
        bundled = QUERIES / f"{stem}.rq"
        if bundled.is_file():
            return bundled
    raise QueryError(f"{name}: no such query file, and not a bundled query (bundled: {', '.join(bundled_names())})")


def read(name: str) -> tuple[Path, str]:
    """The resolved path and text of a query."""
    path = resolve(name)
    try:
        return path, path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read: {exc}") from None
