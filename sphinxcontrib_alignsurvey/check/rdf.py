"""Findings as triples: each one an ``align:CitationFinding`` annotation on what it is about.

Why in the graph: a query over the graph (or a card) can then tell flagged
evidence from sound evidence.  IRIs come from the target's IRI and the kind,
so the same findings give the same triples.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ..core import namespaces as ns
from ..core.namespaces import ALIGN, DCTERMS, OA, RDF, RDFS, XSD
from .findings import Finding


def target_iri(f: Finding) -> ox.NamedNode:
    """The in-text pointer (pair findings), the reference entry, or the sentence (figures)."""
    if f.sentence is not None and f.pointer is not None:
        return ox.NamedNode(f"{ns.sentence_iri(f.survey, f.sentence).value}/pointer/{f.pointer}")
    if f.reference is not None:
        return ns.reference_iri(f.survey, f.reference)
    if f.sentence is not None:
        return ns.sentence_iri(f.survey, f.sentence)
    return ns.survey_iri(f.survey)


def finding_triples(findings: Iterable[Finding]) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    for f in findings:
        target = target_iri(f)
        iri = f"{target.value}/finding/{f.kind.value}"
        if f.pointer is not None and f.reference is not None:  # one bracket may cite several works
            iri += f"/{f.reference}"
        node = ox.NamedNode(iri)
        out += [
            ox.Triple(node, RDF.type, ALIGN.CitationFinding),
            ox.Triple(node, RDF.type, OA.Annotation),
            ox.Triple(node, OA.motivatedBy, OA.assessing),
            ox.Triple(node, OA.hasTarget, target),
            ox.Triple(node, ALIGN.findingKind, ox.Literal(f.kind.value)),
            ox.Triple(node, RDFS.comment, ox.Literal(f.message)),
            ox.Triple(node, ALIGN.sourceLine, ox.Literal(str(f.line), datatype=XSD.integer)),
        ]
        if f.pointer is not None and f.reference is not None:  # which of the bracket's works
            out.append(ox.Triple(node, DCTERMS.subject, ns.reference_iri(f.survey, f.reference)))
        if f.score is not None:
            out.append(ox.Triple(node, ALIGN.score, ox.Literal(f"{f.score:.3f}", datatype=XSD.decimal)))
    return out
