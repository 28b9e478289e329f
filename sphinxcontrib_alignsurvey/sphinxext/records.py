"""Typed, immutable records of what the extension shows.

Why: directives must never query RDF themselves; they read these small,
picklable records, which also give a stable digest per object so an
incremental build knows exactly which documents show something that changed.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Object kinds that have cards, roles and index entries.
KINDS: tuple[str, ...] = ("method", "challenge", "benchmark", "paper", "survey")
#: The kinds that are SKOS concepts of the vocabularies (one scheme each).
CONCEPT_KINDS: tuple[str, ...] = ("method", "challenge", "benchmark")


@dataclass(frozen=True, slots=True, order=True)
class ObjectKey:
    """What the extension calls an object: its kind and its ID (a section's ID is its IRI).

    Why: one typed value instead of ``"method:dpo"`` strings that every
    module split and joined itself; :meth:`parse` and ``str()`` are the only
    places that know the written form.  Ordering is by kind, then ID, which is
    the order of the written forms, so sorted output does not change.
    """

    kind: str
    id: str

    @classmethod
    def parse(cls, text: str) -> ObjectKey:
        kind, sep, ident = text.partition(":")
        if not sep or not kind or not ident:
            raise ValueError(f"not an object key (kind:id): {text!r}")
        return cls(kind, ident)

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True, slots=True)
class Evidenced:
    """A link to another object, with how many sentences support it and which."""

    target: ObjectKey  # a challenge, method, paper or section
    count: int
    evidence: tuple[str, ...]  # sentence IRIs
    confidence: float | None = None  # align:confidence of a derived link read from sentences (None: curated)

    def shown(self, minimum: float) -> bool:
        """At or above *minimum* confidence (a link without one is curated, always shown)."""
        return self.confidence is None or self.confidence >= minimum


@dataclass(frozen=True, slots=True)
class Origin:
    """The work a concept's vocabulary entry says introduced it (``align:introducedBy``)."""

    iri: str
    title: str
    year: str | None = None
    identifiers: tuple[str, ...] = ()  # "arXiv:2305.18290", "doi:10.1/x", sorted
    paper: ObjectKey | None = None  # its paper record, when a survey cites it


@dataclass(frozen=True, slots=True)
class ConceptRecord:
    kind: str  # "method", "challenge" or "benchmark"
    id: str
    iri: str
    label: str
    acronym: str | None
    alt_labels: tuple[str, ...]
    definition: str
    broader: tuple[ObjectKey, ...]
    narrower: tuple[ObjectKey, ...]
    addressing: tuple[Evidenced, ...]  # challenges a method addresses, or methods addressing a challenge
    discussions: tuple[Evidenced, ...]  # sections that discuss it
    works: tuple[Evidenced, ...]  # works cited alongside it, most evidence first
    limitations: tuple[Evidenced, ...] = ()  # a method's known problems, or the methods a challenge is a problem of
    evaluates: tuple[ObjectKey, ...] = ()  # challenges a benchmark evaluates, or benchmarks evaluating a challenge
    introduced_by: Origin | None = None

    @property
    def key(self) -> ObjectKey:
        return ObjectKey(self.kind, self.id)


@dataclass(frozen=True, slots=True)
class WorkRecord:
    id: str  # the citation key: align:citationKey, else the IRI's local name
    iri: str
    local: str
    title: str
    concepts: tuple[Evidenced, ...]
    cited_by: tuple[tuple[ObjectKey, int], ...]  # (survey, reference number)
    authors: tuple[str, ...] = ()  # in published order
    year: str | None = None
    identifiers: tuple[str, ...] = ()  # "arXiv:2305.18290", "doi:10.1/x", sorted
    venue: str | None = None
    url: str | None = None  # an address a survey printed (fabio:hasURL), when no identifier gives one

    kind = "paper"

    @property
    def key(self) -> ObjectKey:
        return ObjectKey("paper", self.id)

    @property
    def label(self) -> str:
        return self.title

    @property
    def definition(self) -> str:
        return self.title


@dataclass(frozen=True, slots=True)
class SectionRecord:
    iri: str
    survey: ObjectKey
    number: str
    title: str
    level: int
    line: int | None
    concepts: tuple[Evidenced, ...]

    @property
    def key(self) -> ObjectKey:
        return ObjectKey("section", self.iri)

    @property
    def label(self) -> str:
        return f"§{self.number} {self.title}".strip()


@dataclass(frozen=True, slots=True)
class SurveyRecord:
    id: str
    iri: str
    title: str
    sections: tuple[ObjectKey, ...]  # in document order
    references: int
    #: The one label shown everywhere: the title, plus a short distinguishing part of the ID when
    #: another survey of the graph has the same title (see ``catalog.survey_labels``).
    display: str = ""

    kind = "survey"

    @property
    def key(self) -> ObjectKey:
        return ObjectKey("survey", self.id)

    @property
    def label(self) -> str:
        return self.display or self.title

    @property
    def definition(self) -> str:
        return f"{self.title} ({self.id})"


@dataclass(frozen=True, slots=True, order=True)
class Flag:
    """What the citation check found about a sentence's citations (an ``align:CitationFinding``)."""

    kind: str  # citation-off-topic, -unsupported, -unverified, -id-mismatch, claim-quantitative
    reference: int | None = None  # the reference number the finding is about, where one is


@dataclass(frozen=True, slots=True)
class SentenceRecord:
    iri: str
    text: str
    survey: ObjectKey | None
    section: ObjectKey | None
    line: int | None
    flags: tuple[Flag, ...] = ()  # findings about the sentence or the citations in it, sorted


Record = ConceptRecord | WorkRecord | SurveyRecord | SectionRecord


def known(rec: Record | None, key: ObjectKey) -> Record:
    """The record of a key the catalog itself handed out: a missing one is a bug, never a user mistake."""
    if rec is None:
        raise KeyError(f"the catalog has no record for {key}")
    return rec
