"""The one small API every SPARQL caller shares.

``open_engine(sources)`` loads RDF files (the bundled graph by default) into
an embedded pyoxigraph store; ``engine.select(query, bindings)`` returns a
:class:`Result` of engine-neutral :class:`Term` values, so callers never
depend on which engine answered.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..resources import BUNDLED_GRAPH

FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}


class QueryError(Exception):
    """A query that cannot run: syntax error, refused operation, failed endpoint."""


@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term as plain data: ``kind`` is "iri", "literal" or "bnode"."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    def __str__(self) -> str:
        return self.value

    @property
    def is_iri(self) -> bool:
        return self.kind == "iri"

    def python(self) -> object:
        """Integers and decimals as numbers, booleans as bool, everything else as str."""
        if self.kind == "literal" and self.datatype:
            local = self.datatype.rsplit("#", 1)[-1]
            try:
                if local in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
                    return int(self.value)
                if local in ("decimal", "double", "float"):
                    return float(self.value)
                if local == "boolean":
                    return self.value in ("true", "1")
            except ValueError:
                return self.value
        return self.value

    def to_oxigraph(self) -> ox.NamedNode | ox.Literal | ox.BlankNode:
        if self.kind == "iri":
            return ox.NamedNode(self.value)
        if self.kind == "bnode":
            return ox.BlankNode(self.value)
        if self.language:
            return ox.Literal(self.value, language=self.language)
        if self.datatype:
            return ox.Literal(self.value, datatype=ox.NamedNode(self.datatype))
        return ox.Literal(self.value)

    @classmethod
    def from_oxigraph(cls, term: object) -> Term:
        if isinstance(term, ox.NamedNode):
            return cls("iri", term.value)
        if isinstance(term, ox.BlankNode):
            return cls("bnode", term.value)
        if isinstance(term, ox.Literal):
            dt = term.datatype.value if term.datatype is not None else None
            if dt == "http://www.w3.org/2001/XMLSchema#string" or term.language:
                dt = None
            return cls("literal", term.value, dt, term.language)
        raise TypeError(f"unsupported term {term!r}")


@dataclass(frozen=True, slots=True)
class Result:
    """Rows of a SELECT: ``rows[i][j]`` is the term for ``columns[j]`` or None."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, object]]:
        """Rows as dicts of Python values (None for unbound)."""
        return [
            {c: (t.python() if t is not None else None) for c, t in zip(self.columns, row)} for row in self.rows
        ]


class Engine(Protocol):
    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> Result: ...


class EmbeddedEngine:
    """A pyoxigraph in-memory store loaded from RDF files."""

    def __init__(self, store: ox.Store, sources: Sequence[Path]) -> None:
        self.store = store
        self.sources = tuple(sources)

    @classmethod
    def from_files(cls, sources: Sequence[str | Path]) -> EmbeddedEngine:
        store = ox.Store()
        paths = [Path(s) for s in sources]
        for path in paths:
            fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
            if fmt is None:
                raise QueryError(f"{path}: unknown RDF format (use {', '.join(sorted(FORMATS_BY_SUFFIX))})")
            try:
                store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
            except (OSError, SyntaxError, ValueError) as exc:
                raise QueryError(f"{path}: cannot load: {exc}") from None
        return cls(store, paths)

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> Result:
        subs = {ox.Variable(k): v.to_oxigraph() for k, v in (bindings or {}).items()}
        try:
            solutions = self.store.query(query, substitutions=subs or None, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"syntax error: {exc}") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(str(exc)) from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        columns = tuple(v.value for v in solutions.variables)
        rows = tuple(
            tuple(None if sol[i] is None else Term.from_oxigraph(sol[i]) for i in range(len(columns)))
            for sol in solutions
        )
        return Result(columns, rows)


def open_engine(sources: Sequence[str | Path] | None = None) -> EmbeddedEngine:
    """Load *sources* (RDF files), or the bundled graph when none are given."""
    return EmbeddedEngine.from_files(list(sources) if sources else [BUNDLED_GRAPH])
