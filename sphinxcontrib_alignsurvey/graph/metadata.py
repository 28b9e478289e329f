"""Bibliographic records -> triples about each work.

Why separate from the builder: the metadata is optional and curated apart
from the surveys; the converter passes these triples to ``build_graph`` as
*extra*.  Authors are nodes minted from the work IRI (no blank nodes), listed
in published order in a ``bibo:authorList`` ``rdf:Seq``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol
from urllib.parse import quote

import pyoxigraph as ox

from ..core import namespaces as ns
from ..core.namespaces import ALIGN, BIBO, DCTERMS, FABIO, OWL, PRISM, RDF, RDFS, XSD


class WorkFacts(Protocol):
    """What the graph needs of a bibliographic record (BibTeX's records satisfy it).

    Why a protocol: the graph and BibTeX are sibling outputs; neither imports
    the other, and the converter hands one's records to the other.
    """

    @property
    def normalised(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def authors(self) -> tuple[str, ...]: ...
    @property
    def year(self) -> int | None: ...
    @property
    def arxiv(self) -> str | None: ...
    @property
    def doi(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def venue(self) -> str | None: ...


def uncited_work_triples(records: Sequence[WorkFacts]) -> list[ox.Triple]:
    """Works the vocabulary cites (``align:introducedBy``, ``dcterms:source``) and no survey does.

    Their title and verified facts, without a class: a ``fabio:ScholarlyWork``
    is a work of the corpus, cited by a survey, with a printed title, and the
    queries, indices and cards of cited works count those alone.
    """
    titles = [ox.Triple(ns.work_iri(r.normalised), DCTERMS.title, ox.Literal(r.title)) for r in records]
    return titles + metadata_triples(records)


def doi_iri(doi: str) -> ox.NamedNode:
    return ox.NamedNode("https://doi.org/" + quote(doi, safe="/:;()._-"))


def arxiv_iri(arxiv: str) -> ox.NamedNode:
    return ox.NamedNode(f"https://arxiv.org/abs/{arxiv}")


def metadata_triples(records: Iterable[WorkFacts]) -> list[ox.Triple]:
    """Creators, issued year, identifiers, web address, key and venue for every record."""
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, p, o))

    for record in records:
        work = ns.work_iri(record.normalised)
        if record.key:  # a work no survey cites is in no bibliography: it has no key
            add(work, ALIGN.citationKey, ox.Literal(record.key))
        if record.authors:
            seq = ox.NamedNode(f"{work.value}/authors")
            add(work, BIBO.authorList, seq)
            add(seq, RDF.type, RDF.Seq)
            for i, name in enumerate(record.authors, start=1):
                person = ox.NamedNode(f"{work.value}/author/{i}")
                add(work, DCTERMS.creator, person)
                add(person, RDF.type, DCTERMS.Agent)
                add(person, RDFS.label, ox.Literal(name))
                add(seq, RDF.term(f"_{i}"), person)
        if record.year:
            add(work, DCTERMS.issued, ox.Literal(str(record.year), datatype=XSD.gYear))
        if record.arxiv:
            add(work, DCTERMS.identifier, ox.Literal(f"arXiv:{record.arxiv}"))
            add(work, RDFS.seeAlso, arxiv_iri(record.arxiv))
        if record.doi:
            add(work, PRISM.doi, ox.Literal(record.doi))
            add(work, DCTERMS.identifier, ox.Literal(f"doi:{record.doi}"))
            add(work, OWL.sameAs, doi_iri(record.doi))
        if record.url:  # a web address a survey printed with the title (not an arXiv or DOI one)
            add(work, FABIO.hasURL, ox.Literal(record.url, datatype=XSD.anyURI))
        if record.venue:
            add(work, PRISM.publicationName, ox.Literal(record.venue))
    return out
