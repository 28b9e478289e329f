"""The RDF serialisation formats the project reads and writes, kept once.

Why one registry: the converter's ``--format`` names, the suffixes the query
engine and ``validate`` recognise in a folder, and rdflib's parser names used
to live in three tables that could drift apart.  It is plain data, so the CLI
can list the choices without importing an RDF library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox


@dataclass(frozen=True, slots=True)
class RdfFormat:
    name: str  # what users type: --format ttl
    suffix: str  # the file suffix
    media_type: str  # pyoxigraph's and HTTP's name for it
    rdflib: str  # rdflib's parser name

    @property
    def oxigraph(self) -> ox.RdfFormat:
        import pyoxigraph as ox

        fmt = ox.RdfFormat.from_media_type(self.media_type)
        assert fmt is not None, self.media_type
        return fmt


#: What the converter writes, in the order ``--format`` lists them.
WRITTEN: tuple[RdfFormat, ...] = (
    RdfFormat("ttl", ".ttl", "text/turtle", "turtle"),
    RdfFormat("nt", ".nt", "application/n-triples", "nt"),
    RdfFormat("jsonld", ".jsonld", "application/ld+json", "json-ld"),
    RdfFormat("xml", ".rdf", "application/rdf+xml", "xml"),
)

#: Read as well: other suffixes of RDF/XML, and the quad formats.
READ_ONLY: tuple[RdfFormat, ...] = (
    RdfFormat("xml", ".xml", "application/rdf+xml", "xml"),
    RdfFormat("owl", ".owl", "application/rdf+xml", "xml"),
    RdfFormat("nq", ".nq", "application/n-quads", "nquads"),
    RdfFormat("trig", ".trig", "application/trig", "trig"),
)

BY_NAME: dict[str, RdfFormat] = {f.name: f for f in WRITTEN}
BY_SUFFIX: dict[str, RdfFormat] = {f.suffix: f for f in (*WRITTEN, *READ_ONLY)}
