"""Engine-neutral results: RDF terms as plain data, rows as tuples.

Kept apart from the engines so that every engine (embedded, remote) and every
output format share one representation, and callers never import pyoxigraph
types.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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
            dt: str | None = term.datatype.value if term.datatype is not None else None
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
        return [{c: (t.python() if t is not None else None) for c, t in zip(self.columns, row)} for row in self.rows]

    def table(self) -> list[list[object]]:
        """Header row then value rows, as plain Python values: a pandas-free table."""
        header: list[object] = list(self.columns)
        return [header] + [[t.python() if t is not None else None for t in row] for row in self.rows]

    def column(self, name: str) -> list[Term | None]:
        """All terms of one column, in row order."""
        try:
            i = self.columns.index(name)
        except ValueError:
            raise KeyError(f"no column {name!r} (columns: {', '.join(self.columns)})") from None
        return [row[i] for row in self.rows]


def convert_row(row: object, width: int, memo: dict | None = None) -> tuple[Term | None, ...]:
    """One pyoxigraph solution as a tuple of :class:`Term` (None for unbound).

    *memo* maps engine terms already converted in this result to their
    :class:`Term`: results repeat the same IRIs and titles on many rows.
    """
    if memo is None:
        return tuple(None if row[i] is None else Term.from_oxigraph(row[i]) for i in range(width))  # type: ignore[index]
    out: list[Term | None] = []
    for i in range(width):
        value = row[i]  # type: ignore[index]
        if value is None:
            out.append(None)
            continue
        term = memo.get(value)
        if term is None:
            term = memo[value] = Term.from_oxigraph(value)
        out.append(term)
    return tuple(out)
