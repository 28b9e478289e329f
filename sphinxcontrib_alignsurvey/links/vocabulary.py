"""The curated SKOS vocabularies of methods, challenges and benchmarks, as records.

The Turtle files in ``ontology/`` are the source of truth; this module reads
them once into :class:`Concept` records that the mention finder, the graph
builder and the Sphinx extension share.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..core.namespaces import ALIGN, DCTERMS, RDF, SKOS, local_name
from ..core.resources import ontology_file

# The concept classes the converter reads, and the kind each becomes.  align:System is not
# read: systems are named applications of methods, not concepts to find in sentences.
KIND_OF_CLASS: dict[str, str] = {
    ALIGN.Method.value: "method",
    ALIGN.Challenge.value: "challenge",
    ALIGN.Benchmark.value: "benchmark",
}
KINDS: tuple[str, ...] = tuple(KIND_OF_CLASS.values())
VOCABULARY_FILES: tuple[str, ...] = ("alignsurvey.ttl", "methods.ttl", "challenges.ttl", "benchmarks.ttl")


@dataclass(frozen=True, slots=True)
class Concept:
    iri: str
    id: str
    kind: str  # one of KINDS
    pref_label: str
    alt_labels: tuple[str, ...]
    notation: str | None
    definition: str
    broader: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.pref_label, *self.alt_labels)


def read_quads(path: Path) -> list[ox.Triple]:
    with open(path, "rb") as fh:
        return [q.triple for q in ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())]


def _en_or_plain(values: list[ox.Literal]) -> list[str]:
    return [v.value for v in values if v.language in (None, "en")]


def concepts_from(triples: Iterable[ox.Triple]) -> list[Concept]:
    """Concepts typed align:Method, align:Challenge or align:Benchmark, sorted by kind and ID."""
    by_subject: dict[str, dict[str, list]] = {}
    kinds: dict[str, str] = {}
    for t in triples:
        s = t.subject
        if not isinstance(s, ox.NamedNode):
            continue
        p = t.predicate.value
        if p == RDF.type.value and t.object.value in KIND_OF_CLASS:
            kinds[s.value] = KIND_OF_CLASS[t.object.value]
        by_subject.setdefault(s.value, {}).setdefault(p, []).append(t.object)
    out: list[Concept] = []
    for iri, kind in kinds.items():
        props = by_subject[iri]
        pref = _en_or_plain(props.get(SKOS.prefLabel.value, []))
        alts = sorted(set(_en_or_plain(props.get(SKOS.altLabel.value, []))))
        notation = [v.value for v in props.get(SKOS.notation.value, [])]
        definition = _en_or_plain(props.get(SKOS.definition.value, []))
        out.append(
            Concept(
                iri=iri,
                id=local_name(iri),
                kind=kind,
                pref_label=pref[0] if pref else local_name(iri),
                alt_labels=tuple(alts),
                notation=min(notation) if notation else None,
                definition=definition[0] if definition else "",
                broader=tuple(sorted(o.value for o in props.get(SKOS.broader.value, []))),
                sources=tuple(sorted(o.value for o in props.get(DCTERMS.source.value, []))),
            )
        )
    out.sort(key=lambda c: (c.kind, c.id))
    return out


@dataclass(frozen=True, slots=True)
class Vocabulary:
    concepts: tuple[Concept, ...]
    triples: tuple[ox.Triple, ...]

    def by_iri(self) -> dict[str, Concept]:
        return {c.iri: c for c in self.concepts}

    def of_kind(self, kind: str) -> list[Concept]:
        return [c for c in self.concepts if c.kind == kind]


def load_vocabulary(paths: Iterable[Path] | None = None) -> Vocabulary:
    """Read the schema and vocabularies (the bundled ones by default)."""
    if paths is None:
        paths = [ontology_file(n) for n in VOCABULARY_FILES]
    triples: list[ox.Triple] = []
    for path in paths:
        triples.extend(read_quads(Path(path)))
    return Vocabulary(concepts=tuple(concepts_from(triples)), triples=tuple(triples))
