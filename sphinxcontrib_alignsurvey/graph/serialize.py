"""Serialise triples deterministically in the formats users ask for.

pyoxigraph writes every format here and is several times faster than
rdflib's serialisers (see benchmarks/bench_convert.py); feeding it triples
in sorted order makes the output byte-identical between runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

import pyoxigraph as ox

from ..core.formats import BY_NAME
from ..core.namespaces import PREFIXES
from .partition import SPLITTABLE, Ranges, join_ranges
from .runs import Merged, quads_of

#: The formats the converter writes, by the name users give to ``--format``.
FORMATS = BY_NAME


def used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """Only the prefixes that occur, so the header stays short and stable."""
    namespaces: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.Literal):
                term = term.datatype
            if isinstance(term, ox.NamedNode):
                v = term.value
                namespaces.add(v[: max(v.rfind("/"), v.rfind("#")) + 1])
    return {name: iri for name, iri in sorted(PREFIXES.items()) if iri in namespaces}


def serialize(triples: Iterable[ox.Triple], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Bytes of *triples* (in the order given) in format *fmt* (ttl, nt, jsonld, xml)."""
    rdf_format = FORMATS[fmt].oxigraph
    if fmt == "nt":
        return _bytes(ox.serialize(triples, format=rdf_format))
    if prefixes is None:
        triples = list(triples)
        prefixes = used_prefixes(triples)
    return _bytes(ox.serialize(triples, format=rdf_format, prefixes=prefixes))


def _bytes(out: bytes | None) -> bytes:
    """pyoxigraph returns None only when given an output to write to; say so if that ever changes."""
    if out is None:
        raise RuntimeError("pyoxigraph returned no bytes")
    return out


def serialize_to(
    triples: Iterable[ox.Triple] | Merged | Ranges, fmt: str, output: IO[bytes], prefixes: dict[str, str]
) -> None:
    """Stream *triples* (or merged N-Triples runs) to a binary file without building the output in memory.

    Merged runs are already N-Triples in order: written as they are for ``nt``,
    parsed once by pyoxigraph for the other formats.  Ranges written apart
    (:mod:`.partition`) are joined for the formats that allow it.
    """
    rdf_format = FORMATS[fmt].oxigraph
    stream: Iterable[ox.Triple] | Iterable[ox.Quad]
    if isinstance(triples, Ranges):
        if fmt in SPLITTABLE:
            join_ranges(fmt, prefixes, triples.outputs, output)
            return
        stream = quads_of(triples.chunks())
    elif isinstance(triples, Merged):
        if fmt == "nt":
            for chunk in triples.chunks():
                output.write(chunk)
            return
        stream = triples.triples()
    else:
        stream = triples
    if fmt == "nt":
        ox.serialize(stream, output, format=rdf_format)
    else:
        ox.serialize(stream, output, format=rdf_format, prefixes=prefixes)
