"""Values compiled from files, kept on disk between runs: vocabularies and what is compiled from them, work metadata.

Why: every conversion used to start by parsing the same bundled Turtle and
YAML files and building the same matchers, which cost more than reading the
two bundled surveys.  A pickle of the result loads several times faster.

An entry's key is a digest of the files' bytes, of the source of the modules
that build and hold the value (so an edited checkout never reads a value its
code would not build), and of the package and Python versions.  A missing,
stale or unreadable entry is rebuilt and replaced atomically; an unwritable
folder only costs the rebuild.  Entries live in ``$ALIGNSURVEY_CACHE`` or
``$XDG_CACHE_HOME/alignsurvey/compiled`` (``~/.cache/alignsurvey/compiled``); set
``ALIGNSURVEY_CACHE=off`` to build every time.  Only the current entry of
each kind is kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from types import ModuleType
from typing import TypeVar

from .version import __version__

T = TypeVar("T")
ENV = "ALIGNSURVEY_CACHE"
OFF = frozenset({"0", "off", "no", "false"})
#: a temporary entry older than this was left by a killed write, not one under way
STALE_TEMP_SECONDS = 3600


def cache_dir() -> Path | None:
    """Where entries live; None when caching is switched off."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() in OFF:
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "alignsurvey" / "compiled"


def key_of(files: Iterable[str | Path], code: Iterable[ModuleType] = (), extra: str = "") -> str | None:
    """The key of a value built from *files* by *code*; None when a file cannot be read (build, report)."""
    h = hashlib.sha256(f"{__version__}\0{sys.version}\0{extra}\0".encode())
    for source in [*files, *(m.__file__ or "" for m in code)]:
        try:
            data = Path(source).read_bytes()
        except OSError:
            return None
        h.update(f"{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()[:32]


def cached(kind: str, key: str | None, build: Callable[[], T]) -> T:
    """The value stored under *kind* and *key*, or ``build()`` (stored for next time).

    *key* None (an unreadable input) or caching switched off: ``build()``, nothing stored.
    """
    folder = cache_dir()
    if folder is None or key is None:
        return build()
    path = folder / f"{kind}-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            value: T = pickle.load(fh)
        return value
    except Exception:  # missing, truncated, written by other code: rebuilt below
        pass
    value = build()
    _store(folder, kind, path, value)
    return value


def compiled_from(source: str, kind: str, code: Iterable[ModuleType], build: Callable[[], T]) -> T:
    """A value *code* compiles from a cached value whose key is *source* (a vocabulary's), under *kind*.

    Why one function: the matchers, label words, N-Triples lines and cited
    works of a vocabulary are each kept this way.  *source* "" (a value made
    in memory, not read from files): ``build()``, nothing stored.
    """
    return cached(kind, key_of((), code, extra=source) if source else None, build)


def _store(folder: Path, kind: str, path: Path, value: object) -> None:
    """Write *value* atomically and drop the other entries of *kind*; any failure only skips the cache."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=folder)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # a value that does not pickle, a full disk: no entry
        with suppress(OSError):
            os.unlink(tmp)
        return
    for old in folder.glob(f"{kind}-*.pickle"):
        if old != path:
            with suppress(OSError):
                old.unlink()
    stale = time.time() - STALE_TEMP_SECONDS  # a write that was killed left its temporary behind
    for old in folder.glob(f".{kind}-*.tmp"):
        with suppress(OSError):
            if old.stat().st_mtime < stale:
                old.unlink()
