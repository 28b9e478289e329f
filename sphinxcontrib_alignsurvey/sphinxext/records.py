"""Typed, immutable records of what the extension shows.

Why: directives must never query RDF themselves; they read these small,
picklable records, which also give a stable digest per object so an
incremental build knows exactly which documents show something that changed.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Object kinds that have cards, roles and index entries.
KINDS: tuple[str, ...] = ("method", "challenge", "paper", "survey")


@dataclass(frozen=True, slots=True)
class Evidenced:
    """A link to another object, with how many sentences support it and which."""

    target: str  # object key ("challenge:reward-hacking", "paper:abc", "section:<iri>")
    count: int
    evidence: tuple[str, ...]  # sentence IRIs


@dataclass(frozen=True, slots=True)
class ConceptRecord:
    kind: str  # "method" or "challenge"
    id: str
    iri: str
    label: str
    acronym: str | None
    alt_labels: tuple[str, ...]
    definition: str
    broader: tuple[str, ...]  # object keys
    narrower: tuple[str, ...]
    addressing: tuple[Evidenced, ...]  # challenges a method addresses, or methods addressing a challenge
    discussions: tuple[Evidenced, ...]  # sections that discuss it
    works: tuple[Evidenced, ...]  # works cited alongside it, most evidence first

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True, slots=True)
class WorkRecord:
    id: str  # the citation key: align:citationKey, else the IRI's local name
    iri: str
    local: str
    title: str
    concepts: tuple[Evidenced, ...]
    cited_by: tuple[tuple[str, int], ...]  # (survey key, reference number)

    kind = "paper"

    @property
    def key(self) -> str:
        return f"paper:{self.id}"

    @property
    def label(self) -> str:
        return self.title

    @property
    def definition(self) -> str:
        return self.title


@dataclass(frozen=True, slots=True)
class SectionRecord:
    iri: str
    survey: str  # survey key
    number: str
    title: str
    level: int
    line: int | None
    concepts: tuple[Evidenced, ...]

    @property
    def key(self) -> str:
        return f"section:{self.iri}"

    @property
    def label(self) -> str:
        return f"§{self.number} {self.title}".strip()


@dataclass(frozen=True, slots=True)
class SurveyRecord:
    id: str
    iri: str
    title: str
    sections: tuple[str, ...]  # section keys in document order
    references: int

    kind = "survey"

    @property
    def key(self) -> str:
        return f"survey:{self.id}"

    @property
    def label(self) -> str:
        return self.title

    @property
    def definition(self) -> str:
        return f"{self.title} ({self.id})"


@dataclass(frozen=True, slots=True)
class SentenceRecord:
    iri: str
    text: str
    survey: str  # survey key
    section: str | None  # section key
    line: int | None


Record = ConceptRecord | WorkRecord | SurveyRecord | SectionRecord
