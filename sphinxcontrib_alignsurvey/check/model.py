"""The topic model of one survey: which words it uses, where, and around which citations.

Why per survey and built once: every check scores a reference or a citation
against the survey's own vocabulary, leaving out the sentences that cite the
work being judged (a survey that parrots a title where it cites it has not
thereby shown the title is on its subject).  Everything here is a count or a
set, built in one pass over the sentences.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

import pyoxigraph as ox

from ..core.cache import compiled_from
from ..core.model import Sentence, Survey
from ..core.namespaces import ALIGN, BASE, work_iri
from ..core.works import normalise
from ..links.mentions import MentionFinder
from ..links.vocabulary import Concept, Vocabulary
from . import text

WORK_PREFIX = f"{BASE}work/"  # work IRIs (core.namespaces.work_iri)


@dataclass(frozen=True, slots=True)
class Citing:
    """One (sentence, reference) citation: the bracket's index and the clause around it."""

    sentence: Sentence
    position: int  # index of the sentence in survey.sentences
    pointer: int  # index of the bracket in sentence.citations
    reference: int
    segment: str


def segments(sentence: Sentence) -> dict[int, tuple[int, str]]:
    """Reference number -> (bracket index, the text between the neighbouring brackets).

    Why the neighbours: in "A [1], while B [2]" the claim behind [2] is "while
    B", and in "[8] establishes reward modelling" it follows the bracket.
    """
    cits = sentence.citations
    out: dict[int, tuple[int, str]] = {}
    for k, c in enumerate(cits):
        a = cits[k - 1].end if k else 0
        b = cits[k + 1].start if k + 1 < len(cits) else len(sentence.text)
        seg = sentence.text[a : c.start] + " " + sentence.text[c.end : b]
        for n in c.numbers:
            out.setdefault(n, (k, seg))
    return out


@dataclass
class VocabularyWords:
    """What the curated vocabulary says about words: label stems and label word forms,
    about concepts: their kind and their broader concepts (one step), and about works:
    the concepts each one introduced or is a defining source of (``align:introducedBy``,
    ``dcterms:source``), so a clause naming "Moral Graph Elicitation" meets the title
    "What are human values, and how do we align AI to them" that introduced it."""

    label_stems: frozenset[str]
    label_forms: frozenset[str]
    finder: MentionFinder
    kinds: dict[str, str] = field(default_factory=dict)  # concept IRI -> "method", "challenge", ...
    broader: dict[str, frozenset[str]] = field(default_factory=dict)  # concept IRI -> its broader concepts
    works: dict[str, frozenset[str]] = field(default_factory=dict)  # work IRI -> concepts it introduced or defines
    key_stems: frozenset[str] = frozenset()  # the field's key term: the stem most of the labels carry ("align")
    key_forms: frozenset[str] = frozenset()  # the key term's commonest word in the labels ("alignment")

    @classmethod
    def of(
        cls, concepts: Iterable[Concept], triples: Iterable[ox.Triple] = (), finder: MentionFinder | None = None
    ) -> VocabularyWords:
        """*triples* (the vocabulary's) add the works that ``align:introducedBy`` names; *finder*: the
        concepts' matcher without cue sets, if already built."""
        concepts = list(concepts)
        stems: set[str] = set()
        forms: set[str] = set()
        works: dict[str, set[str]] = {}
        carried: Counter[str] = Counter()  # concepts whose labels carry each stem
        worded: Counter[str] = Counter()  # label words, by form
        for c in concepts:
            mine: set[str] = set()
            for label in c.labels:
                mine.update(text.stems(label))
                words = [text.light(w) for w in text.words(label)]
                forms.update(words)
                worded.update(words)
            stems |= mine
            carried.update(mine)
            for source in c.sources:
                if source.startswith(WORK_PREFIX):
                    works.setdefault(source, set()).add(c.iri)
        kinds = {c.iri: c.kind for c in concepts}
        for t in triples:
            subject, work = t.subject, t.object
            if t.predicate == ALIGN.introducedBy and isinstance(subject, ox.NamedNode) and subject.value in kinds:
                if isinstance(work, ox.NamedNode):
                    works.setdefault(work.value, set()).add(subject.value)
        top = max(carried.values(), default=0)
        key = frozenset(st for st, n in carried.items() if n == top and top)
        keyed = {f: n for f, n in worded.items() if text.stem(f) in key}
        most = max(keyed.values(), default=0)
        return cls(
            frozenset(stems),
            frozenset(forms),
            finder or MentionFinder(concepts),
            kinds,
            {c.iri: frozenset(c.broader) for c in concepts},
            {w: frozenset(cs) for w, cs in works.items()},
            key,
            frozenset(f for f, n in keyed.items() if n == most),
        )

    @classmethod
    def of_vocabulary(cls, vocabulary: Vocabulary, finder: MentionFinder) -> VocabularyWords:
        """:meth:`of` a whole vocabulary, with its matcher *finder*; cached on disk (see
        :mod:`..core.cache`) when the vocabulary was read from files.

        Why cached: counting the labels' words takes 15-20 ms, which every
        conversion and every worker paid again for the same vocabulary.  The
        matcher is not stored here (it has its own entry)."""

        def build() -> dict[str, object]:
            words = cls.of(vocabulary.concepts, vocabulary.triples, finder)
            return {f.name: getattr(words, f.name) for f in fields(words) if f.name != "finder"}

        stored = compiled_from(vocabulary.source, "words", (sys.modules[__name__], text), build)
        return cls(finder=finder, **stored)  # type: ignore[arg-type]

    def introduced_by(self, title: str) -> frozenset[str]:
        """The concepts the work of this printed *title* introduced or defines, by the vocabulary."""
        return self.works.get(work_iri(normalise(title)).value, frozenset())

    def named_by(self, concepts: Iterable[str]) -> frozenset[str]:
        """The concepts a text naming *concepts* speaks for: those and their broader concepts.

        A title about DPO supports a claim about preference optimisation; one
        about preference optimisation does not thereby support a claim about ORPO.
        """
        out: set[str] = set()
        for c in concepts:
            out.add(c)
            out.update(self.broader.get(c, ()))
        return frozenset(out)


@dataclass
class SurveyModel:
    survey: Survey
    vocab: VocabularyWords
    sentence_stems: list[frozenset[str]] = field(default_factory=list)
    sentence_forms: list[frozenset[str]] = field(default_factory=list)
    stem_df: Counter = field(default_factory=Counter)
    form_df: Counter = field(default_factory=Counter)
    citings: dict[int, list[Citing]] = field(default_factory=dict)  # reference -> its citations
    titles: dict[int, str] = field(default_factory=dict)
    title_stems: dict[int, frozenset[str]] = field(default_factory=dict)
    title_df: Counter = field(default_factory=Counter)
    hubs: frozenset[str] = frozenset()  # stems of the survey's key term(s), e.g. "align"

    @classmethod
    def build(cls, survey: Survey, vocab: VocabularyWords) -> SurveyModel:
        m = cls(survey, vocab)
        for pos, sentence in enumerate(survey.sentences):
            forms = [f for f in map(text.content_forms, text.words(sentence.text)) if f is not None]
            st = frozenset(f[0] for f in forms)
            fo = frozenset(f[1] for f in forms)
            m.sentence_stems.append(st)
            m.sentence_forms.append(fo)
            m.stem_df.update(st)
            m.form_df.update(fo)
            for number, (k, seg) in segments(sentence).items():
                m.citings.setdefault(number, []).append(Citing(sentence, pos, k, number, seg))
        for ref in survey.references:
            if ref.number in m.titles:
                continue
            m.titles[ref.number] = ref.title
            m.title_stems[ref.number] = frozenset(text.title_stems(ref.title))
        for stems in m.title_stems.values():
            m.title_df.update(stems)
        n = len(m.title_stems)
        # the key term: a word of the survey's title that a quarter of its references also carry
        key = [w for w in text.words(survey.title) if text.is_content(w)]
        m.hubs = frozenset(text.stem(w) for w in key if n and m.title_df[text.stem(w)] * 4 >= n)
        return m

    def idf(self, stem: str) -> float:
        n = len(self.sentence_stems)
        return math.log((n + 1) / (self.stem_df[stem] + 1))

    def outside_count(self, word: str, reference: int) -> int:
        """How many sentences that do not cite *reference* use *word* (any form of it)."""
        form = text.light(word)
        count = self.form_df[form]
        if not count:
            return 0
        return count - sum(1 for c in self.citings.get(reference, ()) if form in self.sentence_forms[c.position])

    def used_outside(self, word: str, reference: int) -> bool:
        """Whether the survey uses *word* in a sentence that does not cite *reference*,
        or the vocabulary names it in a label."""
        return text.light(word) in self.vocab.label_forms or self.outside_count(word, reference) > 0

    def citing_lines(self, reference: int) -> tuple[int, ...]:
        return tuple(sorted({c.sentence.line for c in self.citings.get(reference, ())}))
