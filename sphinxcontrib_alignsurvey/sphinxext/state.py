"""Per-build state that must not be pickled into the environment.

Why: the catalog and the live SPARQL engine are big and rebuilt (or read from
the disk cache) at every build start; keeping them beside the environment,
keyed weakly by it, avoids writing them into every ``environment.pickle``
and avoids the deprecated ``env.app``.  Forked parallel workers inherit it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .catalog import Catalog

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from ..sparql.api import Engine


@dataclass
class State:
    catalog: Catalog
    sources: tuple[Path, ...]  # local files the graph was read from (for note_dependency)
    rdf_files: tuple[Path, ...]  # RDF files an engine for alignment-query loads
    endpoint: str | None = None
    fingerprint: str = ""
    load_seconds: float = 0.0
    from_cache: bool = False
    bibtex_keys: frozenset[str] = frozenset()
    #: The sources could not be read (errors already reported): the build goes on without the graph and fails.
    failed: bool = False
    _engine: Engine | None = field(default=None, repr=False)
    #: Opens the engine from this state; given by whoever made the state, so this module needs no loader.
    opener: Callable[[State], Engine] | None = field(default=None, repr=False)

    def engine(self) -> Engine:
        """The live engine for alignment-query, opened on first use only."""
        if self._engine is None:
            if self.opener is None:
                raise RuntimeError("sphinxcontrib-alignsurvey: this state has no way to open an engine")
            self._engine = self.opener(self)
        return self._engine


_STATES: weakref.WeakKeyDictionary[BuildEnvironment, State] = weakref.WeakKeyDictionary()
#: The last environment looked up and its state: every directive, role and reference
#: asks, and a WeakKeyDictionary look-up builds a new weak reference each time.
_last: tuple[weakref.ref, State] | None = None


def set_state(env: BuildEnvironment, state: State) -> None:
    global _last
    _STATES[env] = state
    _last = (weakref.ref(env), state)


def get_state(env: BuildEnvironment) -> State:
    global _last
    last = _last
    if last is not None and last[0]() is env:
        return last[1]
    try:
        state = _STATES[env]
        _last = (weakref.ref(env), state)
        return state
    except KeyError:
        raise RuntimeError("sphinxcontrib-alignsurvey: the graph was not loaded (builder-inited did not run)") from None
