"""Sorted runs of triples, spilled to temporary files and merged on output.

An external merge sort: each run (one survey's triples, or the shared ones)
is sorted and written as canonical N-Triples to an anonymous temporary file,
then all runs are merged into one sorted, de-duplicated stream.  Only one run
is ever held as Python objects, so converting 100 surveys stays well under
1 GB, and the output order (N-Triples order) makes files byte-identical
whatever order the inputs came in.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

import pyoxigraph as ox


def namespace_of(iri: str) -> str:
    return iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]


class TripleRuns:
    """Append triples; iterate them sorted and distinct."""

    def __init__(self) -> None:
        self._current: list[ox.Triple] = []
        self._files: list[IO[bytes]] = []
        self.namespaces: set[str] = set()
        self.count = 0  # distinct triples, known after a full iteration

    def add(self, triple: ox.Triple) -> None:
        self._current.append(triple)

    def extend(self, triples: Iterable[ox.Triple]) -> None:
        self._current.extend(triples)

    def close_run(self) -> None:
        """Sort the current run and move it to disk."""
        if not self._current:
            return
        run = self._current
        self._current = []
        run.sort(key=str)
        for t in run:
            for term in (t.subject, t.predicate, t.object):
                if isinstance(term, ox.Literal):
                    term = term.datatype
                if isinstance(term, ox.NamedNode):
                    self.namespaces.add(namespace_of(term.value))
        fh = tempfile.TemporaryFile(prefix="alignsurvey-run-")
        ox.serialize(run, fh, format=ox.RdfFormat.N_TRIPLES)
        self._files.append(fh)

    def _read(self, fh: IO[bytes]) -> Iterator[ox.Triple]:
        fh.seek(0)
        for quad in ox.parse(fh, format=ox.RdfFormat.N_TRIPLES):
            yield quad.triple

    def __iter__(self) -> Iterator[ox.Triple]:
        self.close_run()
        last = None
        n = 0
        for triple in heapq.merge(*(self._read(fh) for fh in self._files), key=str):
            if triple != last:
                n += 1
                yield triple
                last = triple
        self.count = n

    def close(self) -> None:
        for fh in self._files:
            fh.close()
        self._files.clear()
