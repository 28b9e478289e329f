"""The link model: every derived link of a conversion, computed once from the surveys.

Why one model: the graph builder and the BibTeX exporter both need the
concept mentions and the links derived from them (a section *discusses* a
concept, a work is *cited alongside* one, a method *addresses* a challenge or
*has* it as a known limitation).
Before, BibTeX re-read the finished triple stream to recover them.  Now each
output consumes this model, so they cannot disagree, and the work is done
once.

The model is split by survey (:class:`SurveyLinks`, a pure function of one
survey and the vocabulary) and merged into corpus-wide tables
(:class:`LinkModel`), so per-survey parts can be computed apart and merged.
Keys are typed (:class:`LinkKey`), never strings to split.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from ..core import namespaces as ns
from ..core.model import Sentence, Survey
from ..core.works import normalise
from .confidence import DEFAULT_MIN_CONFIDENCE, link_confidence
from .mentions import Mention, MentionFinder, Scope
from .relations import Claim, extract
from .relations import Finding as Claimed
from .vocabulary import Vocabulary


class Relation(str, Enum):
    """The derived relations; the value is the local name of the link's class."""

    DISCUSSES = "Discussion"
    CITED_ALONGSIDE = "CitationContext"
    ADDRESSES = "Addressing"
    LIMITATION = "LimitationLink"


CLAIMS = {Relation.ADDRESSES: Claim.ADDRESSES, Relation.LIMITATION: Claim.LIMITATION}
RELATIONS = {claim: relation for relation, claim in CLAIMS.items()}


@dataclass(frozen=True, slots=True, order=True)
class LinkKey:
    """One link: *left* relates to *right* by *relation* (IRIs, not labels)."""

    relation: Relation
    left: str
    right: str


@dataclass(frozen=True, slots=True, order=True)
class Support:
    """How one sentence supports a claimed link: the pattern that fired and the survey it is in.

    *flagged*: the sentence rests only on citations the citation check flagged
    (see :meth:`FlaggedCitations.rests_on`), so it does not count as evidence.
    """

    pattern: str
    survey: str
    flagged: bool = False


@dataclass
class Evidence:
    """The sentences (IRIs) behind one link, and for claimed links how each was found; output sorted."""

    sentences: set[str] = field(default_factory=set)
    support: dict[str, Support] = field(default_factory=dict)  # sentence IRI -> how it was found (claimed links only)

    @property
    def count(self) -> int:
        return len(self.sentences)

    @property
    def flagged(self) -> set[str]:
        """Sentences kept as evidence but marked: they rest only on flagged citations."""
        return {s for s, f in self.support.items() if f.flagged}

    @property
    def sound(self) -> bool:
        """Whether at least one sentence counts (co-occurrence links: always)."""
        return not self.support or any(not f.flagged for f in self.support.values())

    def confidence(self, relation: Relation) -> float:
        """Calibrated probability that the link is right (see :mod:`.confidence`); 1.0 for co-occurrence links.

        Only sentences that count are evidence: one resting on flagged citations adds nothing.
        """
        claim = CLAIMS.get(relation)
        if claim is None:
            return 1.0
        return link_confidence((claim, f.pattern, f.survey) for _, f in sorted(self.support.items()) if not f.flagged)


class LinkTable:
    """Evidence accumulated per :class:`LinkKey`, iterated in key order."""

    def __init__(self) -> None:
        self._links: dict[LinkKey, Evidence] = {}

    def add(self, key: LinkKey, sentence: str, support: Support | None = None) -> None:
        evidence = self._links.get(key)
        if evidence is None:
            evidence = self._links[key] = Evidence()
        evidence.sentences.add(sentence)
        if support is not None:
            evidence.support[sentence] = support

    def merge(self, other: LinkTable) -> None:
        for key, evidence in other._links.items():
            for sentence in evidence.sentences:
                self.add(key, sentence, evidence.support.get(sentence))

    def items(self) -> list[tuple[LinkKey, Evidence]]:
        return sorted(self._links.items(), key=lambda kv: (kv[0].relation.value, kv[0].left, kv[0].right))

    def __len__(self) -> int:
        return len(self._links)


@dataclass
class SurveyLinks:
    """What one survey contributes: mentions per sentence and its links."""

    survey: str
    mentions: dict[int, tuple[Mention, ...]] = field(default_factory=dict)  # sentence index -> mentions
    discussions: LinkTable = field(default_factory=LinkTable)  # section IRI -> concept
    corpus: LinkTable = field(default_factory=LinkTable)  # links merged across surveys

    def mentions_in(self, sentence: Sentence) -> tuple[Mention, ...]:
        return self.mentions.get(sentence.index, ())


@dataclass
class LinkModel:
    """Per-survey links plus the corpus-wide tables merged from them."""

    surveys: dict[str, SurveyLinks] = field(default_factory=dict)
    corpus: LinkTable = field(default_factory=LinkTable)

    def add(self, links: SurveyLinks) -> None:
        self.surveys[links.survey] = links
        self.corpus.merge(links.corpus)

    def of(self, relation: Relation, min_confidence: float = 0.0) -> Iterator[tuple[LinkKey, Evidence]]:
        """Links of one relation in key order; claimed links below *min_confidence* are left out.

        So is every claimed link none of whose sentences counts (all rest on
        flagged citations): it is not built at all (see :meth:`dropped`).
        """
        return (
            (k, e)
            for k, e in self.corpus.items()
            if k.relation is relation
            and e.sound
            and (min_confidence <= 0.0 or e.confidence(relation) >= min_confidence)
        )

    def dropped(self, relation: Relation) -> Iterator[tuple[LinkKey, Evidence]]:
        """Claimed links left out because every sentence behind them rests on flagged citations."""
        return ((k, e) for k, e in self.corpus.items() if k.relation is relation and not e.sound)

    def trusted(self, relation: Relation) -> Iterator[tuple[LinkKey, Evidence]]:
        """The links derived outputs show: at or above :data:`~.confidence.DEFAULT_MIN_CONFIDENCE`."""
        return self.of(relation, DEFAULT_MIN_CONFIDENCE)

    @property
    def mention_count(self) -> int:
        return sum(len(m) for links in self.surveys.values() for m in links.mentions.values())

    def work_concepts(self) -> dict[str, set[str]]:
        """Work IRI -> concept IRIs it is cited alongside (BibTeX keywords come from these).

        Through :meth:`trusted`, like every derived output; a citation context is
        a co-occurrence, not a claim read from a sentence, so all of them pass.
        """
        out: dict[str, set[str]] = {}
        for key, _ in self.trusted(Relation.CITED_ALONGSIDE):
            out.setdefault(key.left, set()).add(key.right)
        return out


@dataclass(frozen=True)
class FlaggedCitations:
    """Citations the citation check flagged: no citation-context link is built on them,
    and a sentence resting only on them is no evidence for a claimed link.

    *references* are (survey, reference number) pairs whose every citation is
    flagged (an off-topic work); *citations* are single (survey, sentence
    index, reference number) citations (an unsupported claim).
    """

    references: frozenset[tuple[str, int]] = frozenset()
    citations: frozenset[tuple[str, int, int]] = frozenset()

    def skips(self, survey: str, sentence: int, reference: int) -> bool:
        return (survey, reference) in self.references or (survey, sentence, reference) in self.citations

    def rests_on(self, survey: str, sentence: Sentence) -> bool:
        """Whether *sentence* cites works and every one of its citations is flagged.

        Why the whole sentence: a cited sentence presents its claim as the
        cited works' (a stated figure included); when each of them is off-topic
        or does not support the clause it is attached to, the claim has no
        sound source left.  A sentence without citations is the survey's own
        statement and is not affected; one sound citation is enough to keep it.
        """
        numbers = set(sentence.cited_numbers)
        numbers.update(q.reference for q in sentence.quoted if q.reference is not None)
        return bool(numbers) and all(self.skips(survey, sentence.index, n) for n in numbers)


NOTHING_FLAGGED = FlaggedCitations()


def reference_works(survey: Survey) -> dict[int, str]:
    """Reference number -> work IRI (the first entry wins when a number repeats)."""
    out: dict[int, str] = {}
    for ref in survey.references:
        norm = normalise(ref.title)
        if norm:
            out.setdefault(ref.number, ns.work_iri(norm).value)
    return out


#: What linking reads in one sentence before any citation is judged: the sentence, its mentions and
#: the claimed links the extractor found between them.
Reading = tuple[Sentence, tuple[Mention, ...], tuple[Claimed, ...]]


def read_sentences(survey: Survey, finder: MentionFinder, kinds: Mapping[str, str]) -> list[Reading]:
    """Every sentence that mentions a concept, with its mentions and claimed links.

    Why apart from :func:`survey_links`: this is nearly all of its cost and
    does not depend on the citation check's flags, so it may run while the
    check does (``convert.pool``).
    """
    scope = document_scope(survey, finder)
    out: list[Reading] = []
    for sentence in survey.sentences:
        mentions = tuple(finder.find(sentence.text, scope))
        if mentions:
            out.append((sentence, mentions, tuple(extract(sentence.text, mentions, kinds))))
    return out


def survey_links(
    survey: Survey,
    finder: MentionFinder,
    kinds: Mapping[str, str],
    flagged: FlaggedCitations = NOTHING_FLAGGED,
    readings: Sequence[Reading] | None = None,
) -> SurveyLinks:
    """Mentions and links of one survey; independent of every other survey.

    A work is *cited alongside* a concept only through citations that are not
    *flagged*, so an off-topic or unsupported citation never becomes that fact
    (nor, through it, a BibTeX keyword).  A claimed link read from a sentence
    that rests only on flagged citations is kept with that sentence marked
    (:attr:`Support.flagged`), which then adds nothing to its confidence.
    *readings*: the survey's :func:`read_sentences`, if already made."""
    sid = survey.id
    ref_work = reference_works(survey)
    links = SurveyLinks(sid)
    for sentence, mentions, claims in read_sentences(survey, finder, kinds) if readings is None else readings:
        links.mentions[sentence.index] = mentions
        iri = ns.sentence_iri(sid, sentence.index).value
        concepts = sorted({m.concept for m in mentions})
        if sentence.section:
            section = ns.section_iri(sid, sentence.section).value
            for concept in concepts:
                links.discussions.add(LinkKey(Relation.DISCUSSES, section, concept), iri)
        cited = {
            ref_work[n] for n in sentence.cited_numbers if n in ref_work and not flagged.skips(sid, sentence.index, n)
        }
        cited |= {
            ref_work[q.reference]
            for q in sentence.quoted
            if q.reference in ref_work and not flagged.skips(sid, sentence.index, q.reference)
        }
        for work in cited:
            for concept in concepts:
                links.corpus.add(LinkKey(Relation.CITED_ALONGSIDE, work, concept), iri)
        rests_on_flagged = flagged.rests_on(sid, sentence)
        for found in claims:
            key = LinkKey(RELATIONS[found.claim], found.method, found.challenge)
            links.corpus.add(key, iri, Support(found.pattern, sid, rests_on_flagged))
    return links


def document_scope(survey: Survey, finder: MentionFinder) -> Scope:
    """The survey's own acronym definitions and subject, read from its title, headings and sentences."""
    return finder.scope([survey.title, *(s.title for s in survey.sections), *(s.text for s in survey.sentences)])


class Linker:
    """:func:`survey_links` with the vocabulary's matcher built once (per process, for a sharded run)."""

    def __init__(self, vocabulary: Vocabulary, finder: MentionFinder | None = None) -> None:
        self.finder = finder or MentionFinder(vocabulary.concepts, vocabulary.cue_sets)
        self.kinds = {c.iri: c.kind for c in vocabulary.concepts}

    def __call__(
        self, survey: Survey, flagged: FlaggedCitations = NOTHING_FLAGGED, readings: Sequence[Reading] | None = None
    ) -> SurveyLinks:
        return survey_links(survey, self.finder, self.kinds, flagged, readings)

    def read(self, survey: Survey) -> list[Reading]:
        """:func:`read_sentences` with this linker's matcher."""
        return read_sentences(survey, self.finder, self.kinds)


def build_links(
    surveys: Sequence[Survey], vocabulary: Vocabulary, flagged: FlaggedCitations = NOTHING_FLAGGED
) -> LinkModel:
    """The link model of a whole conversion; *flagged* citations are left out of citation contexts
    and are no evidence for claimed links."""
    link = Linker(vocabulary)
    model = LinkModel()
    for survey in sorted(surveys, key=lambda s: s.id):
        model.add(link(survey, flagged))
    return model


def concept_labels(vocabulary: Vocabulary) -> dict[str, str]:
    return {c.iri: c.pref_label for c in vocabulary.concepts}


def keywords_by_work(model: LinkModel, labels: Mapping[str, str], works: Iterable[str]) -> dict[str, list[str]]:
    """Work IRI -> sorted labels of the concepts it is cited alongside, for *works* only."""
    wanted = set(works)
    out: dict[str, list[str]] = {}
    for work, concepts in model.work_concepts().items():
        if work in wanted:
            out[work] = sorted({labels.get(c, ns.local_name(c)) for c in concepts}, key=str.casefold)
    return out
