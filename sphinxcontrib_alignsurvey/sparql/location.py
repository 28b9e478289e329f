"""A persistent store folder for ``serve --location``: load once, reopen in milliseconds.

Why: ``serve`` used to rebuild its database at every start (86 s at 5.3M
triples).  Here the inputs are loaded into a pyoxigraph RocksDB store in the
folder, and a manifest beside the database records what was loaded (each
input's path, size and SHA-256).  At the next start, inputs with the same
digests mean the database is opened read-only as it is; anything else
clears and reloads it.  The manifest is removed before a load and written
(atomically) only after it finished, so an interrupted load is redone.

A folder that holds other files and no manifest is refused, so a typo in
``--location`` cannot clear someone's data.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ..core.atomic import atomic_write
from .errors import QueryError

MANIFEST = "alignsurvey-store.json"
DATABASE = "db"
FORMAT = 1


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(2**20), b""):
            h.update(block)
    return h.hexdigest()


def describe(sources: Sequence[Path]) -> dict[str, object]:
    """What the manifest records: the inputs' resolved paths, sizes and digests, in order."""
    return {
        "format": FORMAT,
        "pyoxigraph": ox.__version__,
        "inputs": [{"path": str(p.resolve()), "size": p.stat().st_size, "sha256": _digest(p)} for p in sources],
    }


def open_store(location: Path, sources: Sequence[Path]) -> tuple[ox.Store, bool]:
    """The store in *location* holding exactly *sources*, read-only; True when it was reused as it was."""
    from .api import load_files

    location.mkdir(parents=True, exist_ok=True)
    manifest = location / MANIFEST
    database = location / DATABASE
    if not manifest.is_file() and any(p.name not in (DATABASE,) for p in location.iterdir()):
        raise QueryError(
            f"{location}: the folder holds other files and is not an alignsurvey store; give an empty "
            "or new folder to --location"
        )
    wanted = describe(sources)
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = None
    if recorded == wanted and database.is_dir():
        return _read_only(database), True
    manifest.unlink(missing_ok=True)
    shutil.rmtree(database, ignore_errors=True)
    store = ox.Store(str(database))
    load_files(store, sources)
    store.flush()
    store.optimize()
    del store  # closes the database, so it can be reopened read-only
    with atomic_write(manifest, "w") as fh:
        json.dump(wanted, fh, indent=1)
    return _read_only(database), False


def _read_only(database: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(database))
    except OSError as exc:
        raise QueryError(f"{database}: cannot open the store: {exc}") from None
