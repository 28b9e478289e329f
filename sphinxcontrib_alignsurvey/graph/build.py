"""Surveys + vocabularies -> one self-contained set of RDF triples.

The builder is a pure function of its inputs: IRIs come from stable keys,
no blank nodes are minted and no clock is read, so the serialised output is
byte-identical for the same inputs in any order.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..core import namespaces as ns
from ..core.cache import compiled_from
from ..core.model import Sentence, Survey
from ..core.namespaces import ALIGN, BIRO, C4O, CITO, DCTERMS, DOCO, FABIO, OA, PROV, RDF, RDFS
from ..core.version import __version__
from ..core.works import Work, collect_works, normalise
from ..links.confidence import DEFAULT_MIN_CONFIDENCE
from ..links.model import Evidence, LinkModel, Relation, SurveyLinks
from ..links.vocabulary import Vocabulary
from . import ntriples
from .ntriples import Lines, Rendered, iri, literal
from .runs import TripleRuns

CONTEXT = 32  # characters of prefix/suffix kept by a TextQuoteSelector

# Terms as N-Triples text, rendered once.
_ALIGN, _BIRO, _C4O, _CITO, _DCTERMS, _DOCO, _FABIO, _OA, _PROV, _RDF, _RDFS = (
    Rendered(n) for n in (ALIGN, BIRO, C4O, CITO, DCTERMS, DOCO, FABIO, OA, PROV, RDF, RDFS)
)
_A = _RDF.type

# relation -> (path segment of the link node, shortcut property, inverse shortcut)
CLAIMED = {
    Relation.ADDRESSES: ("addresses", ALIGN.addresses, ALIGN.addressedBy),
    Relation.LIMITATION: ("limitation", ALIGN.hasLimitation, ALIGN.limitationOf),
}


@dataclass
class GraphBuild:
    """Triples (as sorted runs, see :mod:`.runs`) plus facts later stages reuse."""

    runs: TripleRuns = field(default_factory=TripleRuns)
    works: dict[str, Work] = field(default_factory=dict)
    mentions: int = 0

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.runs.add(ox.Triple(s, p, o))

    def extend(self, triples: Iterable[ox.Triple]) -> None:
        self.runs.extend(triples)

    def iter_sorted(self) -> Iterator[ox.Triple]:
        """Every distinct triple once, in N-Triples order."""
        return iter(self.runs)

    @property
    def count(self) -> int:
        return self.runs.count

    @property
    def triples(self) -> list[ox.Triple]:
        return list(self.runs)


def run_digest(surveys: Sequence[Survey]) -> str:
    h = hashlib.sha256(__version__.encode())
    for sha in sorted(s.sha256 or hashlib.sha256(s.path.encode()).hexdigest() for s in surveys):
        h.update(sha.encode())
    return h.hexdigest()[:16]


def build_graph(
    surveys: Sequence[Survey],
    vocabulary: Vocabulary,
    links: LinkModel,
    extra: Iterable[ox.Triple] = (),
    titles: Mapping[str, str] | None = None,
) -> GraphBuild:
    """Build the whole graph from the surveys and their link model; *extra* triples are merged in.

    *titles* maps a normalised title to the title as published, which then
    becomes the work's ``dcterms:title`` (the printings stay as printedTitle).
    The same as :func:`add_corpus` plus one :func:`survey_lines` run per survey,
    which is how a sharded conversion builds it in pieces.
    """
    surveys = sorted(surveys, key=lambda s: s.id)
    g = GraphBuild()
    g.works = collect_works(surveys)
    add_corpus(g.runs, surveys, vocabulary, links, g.works, extra, titles)
    for survey in surveys:
        run = survey_lines(survey, links.surveys[survey.id])
        g.runs.add_run(run.lines, run.all_namespaces())
        g.mentions += sum(len(m) for m in links.surveys[survey.id].mentions.values())
    return g


def add_corpus(
    runs: TripleRuns,
    surveys: Sequence[Survey],
    vocabulary: Vocabulary,
    links: LinkModel,
    works: Mapping[str, Work],
    extra: Iterable[ox.Triple] = (),
    titles: Mapping[str, str] | None = None,
) -> None:
    """Add the triples that depend on the whole corpus to *runs*: vocabulary, *extra*, works,
    provenance and the links merged across surveys.

    *surveys* need only their id, path and digest (the provenance lists them).
    Spilled every :data:`~.runs.RUN_LINES` lines, so memory stays bounded.
    """
    titles = titles or {}
    w = runs.current
    w.extend_rendered(*vocabulary_lines(vocabulary))
    w.extend(extra)
    _provenance(w, sorted(surveys, key=lambda s: s.id))
    for work in works.values():
        node = iri(ns.work_iri(work.normalised).value)
        w.note(node)
        w.add_iri(node, _A, _FABIO.ScholarlyWork)
        w.add(node, _DCTERMS.title, literal(titles.get(work.normalised, work.title)))
        for printed in sorted(work.printed):
            w.add(node, _ALIGN.printedTitle, literal(printed))
        w = runs.spill_if_full()
    for key, evidence in links.of(Relation.CITED_ALONGSIDE):
        work_node, concept = iri(key.left), iri(key.right)
        node = iri(f"{key.left}/context/{ns.local_name(key.right)}")
        w.note(work_node)
        w.add_iri(work_node, _ALIGN.citedAlongside, concept)
        _evidenced(w, node, _ALIGN.CitationContext, evidence)
        w.add_iri(node, _ALIGN.work, work_node)
        w.add_iri(node, _ALIGN.concept, concept)
        w = runs.spill_if_full()
    for relation, (segment, shortcut, inverse) in CLAIMED.items():
        # every claimed link keeps its node, evidence and confidence; the shortcut triples, which
        # cards, diagrams and simple queries read, only for links at or above the default minimum.
        # A link whose every sentence rests on flagged citations is not built (LinkModel.of).
        shortcut_p, inverse_p = iri(shortcut.value), iri(inverse.value)
        kind = iri(ALIGN.term(relation.value).value)
        for key, evidence in links.of(relation):
            m, c = iri(key.left), iri(key.right)
            node = iri(f"{ns.BASE}{segment}/{ns.local_name(key.left)}/{ns.local_name(key.right)}")
            confidence = evidence.confidence(relation)
            w.note(m, c)
            if confidence >= DEFAULT_MIN_CONFIDENCE:
                w.add_iri(m, shortcut_p, c)
                w.add_iri(c, inverse_p, m)
            _evidenced(w, node, kind, evidence)
            for sentence in sorted(evidence.flagged):  # evidence that rests only on flagged citations
                w.add_iri(node, _ALIGN.flaggedEvidence, iri(sentence))
            w.add_iri(node, _ALIGN.method, m)
            w.add_iri(node, _ALIGN.challenge, c)
            w.add_decimal(node, _ALIGN.confidence, confidence)
            w = runs.spill_if_full()
    runs.close_run()


def vocabulary_lines(vocabulary: Vocabulary) -> tuple[list[str], frozenset[str]]:
    """The vocabulary's triples as N-Triples lines, and the namespaces of their terms.

    Why cached on disk (see :mod:`..core.cache`) when the vocabulary was read
    from files: every conversion adds the same vocabulary, and rendering its
    triples took longer than loading the result.
    """

    def build() -> tuple[list[str], frozenset[str]]:
        w = Lines()
        w.extend(vocabulary.triples)
        return w.lines, frozenset(w.namespaces)

    return compiled_from(vocabulary.source, "vocabulary_lines", (sys.modules[__name__], ntriples), build)


def _evidenced(w: Lines, node: str, cls: str, evidence: Evidence) -> None:
    w.add_iri(node, _A, cls)
    w.add_iri(node, _A, _ALIGN.EvidencedLink)
    w.add_int(node, _ALIGN.evidenceCount, evidence.count)
    for sentence in sorted(evidence.sentences):
        w.add(node, _ALIGN.evidence, f"<{sentence}>")


def _provenance(w: Lines, surveys: Sequence[Survey]) -> None:
    run = iri(f"{ns.BASE}run/{run_digest(surveys)}")
    agent = iri(f"{ns.BASE}software/alignsurvey/{__version__}")
    w.note(run, agent)
    w.add_iri(agent, _A, _PROV.SoftwareAgent)
    w.add(agent, _RDFS.label, literal(f"alignsurvey {__version__}"))
    w.add(agent, _DCTERMS.hasVersion, literal(__version__))
    w.add_iri(run, _A, _ALIGN.ConversionRun)
    w.add_iri(run, _A, _PROV.Activity)
    w.add(run, _RDFS.label, literal(f"conversion of {len(surveys)} survey(s) by alignsurvey {__version__}"))
    w.add_iri(run, _PROV.wasAssociatedWith, agent)
    for survey in surveys:
        source = iri(ns.source_iri(survey.sha256 or hashlib.sha256(survey.path.encode()).hexdigest()).value)
        s = iri(ns.survey_iri(survey.id).value)
        w.note(source, s)
        w.add_iri(source, _A, _ALIGN.SourceFile)
        w.add_iri(source, _A, _PROV.Entity)
        w.add(source, _RDFS.label, literal(survey.path.replace("\\", "/").rsplit("/", 1)[-1]))
        if survey.sha256:
            w.add(source, _ALIGN.sha256, literal(survey.sha256))
        w.add_iri(run, _PROV.used, source)
        w.add_iri(s, _PROV.wasDerivedFrom, source)
        w.add_iri(s, _PROV.wasGeneratedBy, run)


class _SurveyIris:
    """One survey's IRIs as N-Triples text, each minted once by :mod:`..core.namespaces`."""

    def __init__(self, survey: Survey) -> None:
        sid = survey.id
        self.sid = sid
        self.survey = iri(ns.survey_iri(sid).value)
        zero = ns.sentence_iri(sid, 0).value
        self._sentence = zero[:-1] if zero.endswith("/0") else None  # ".../sentence/" when the form allows
        self.sections: dict[str, str] = {}
        self.references = {ref.number: iri(ns.reference_iri(sid, ref.number).value) for ref in survey.references}

    def sentence(self, index: int) -> str:
        """The sentence's IRI (unbracketed: annotation IRIs extend it)."""
        if self._sentence is None:
            return ns.sentence_iri(self.sid, index).value
        return f"{self._sentence}{index}"

    def section(self, key: str) -> str:
        node = self.sections.get(key)
        if node is None:
            node = self.sections[key] = iri(ns.section_iri(self.sid, key).value)
        return node

    def reference(self, number: int) -> str:
        node = self.references.get(number)
        if node is None:
            node = self.references[number] = iri(ns.reference_iri(self.sid, number).value)
        return node


def survey_lines(survey: Survey, links: SurveyLinks, extra: Iterable[ox.Triple] = ()) -> Lines:
    """The triples of one survey, a function of that survey and its own links only.

    Why separate from :func:`corpus_lines`: nothing here depends on another
    survey, so a survey's run can be built in any process, kept, and merged later.
    """
    w = Lines()
    w.extend(extra)
    sid = survey.id
    iris = _SurveyIris(survey)
    s = iris.survey
    w.note(s)
    w.add_iri(s, _A, _ALIGN.Survey)
    w.add_iri(s, _A, _FABIO.ReviewArticle)
    w.add(s, _DCTERMS.title, literal(survey.title))
    w.add(s, _ALIGN.surveyId, literal(sid))

    for sec in survey.sections:
        node = iris.section(sec.key)
        w.add_iri(node, _A, _DOCO.Section)
        w.add(node, _DCTERMS.title, literal(sec.title))
        if sec.number:
            w.add(node, _ALIGN.sectionNumber, literal(sec.number))
        w.add_int(node, _ALIGN.headingLevel, sec.level)
        w.add_int(node, _ALIGN.sourceLine, sec.line)
        w.add(node, _ALIGN.survey, s)
        parent = iris.section(sec.parent) if sec.parent else s
        w.add(node, _DCTERMS.isPartOf, parent)
        w.add(parent, _DCTERMS.hasPart, node)

    reflist = iri(ns.reference_list_iri(sid).value)
    w.add(s, _ALIGN.referenceList, reflist)
    w.add_iri(reflist, _A, _BIRO.ReferenceList)
    w.add(reflist, _DCTERMS.isPartOf, s)
    ref_work: dict[int, str] = {}
    for ref in survey.references:
        entry = iris.reference(ref.number)
        norm = normalise(ref.title)
        w.add(reflist, _DCTERMS.hasPart, entry)
        w.add_iri(entry, _A, _BIRO.BibliographicReference)
        w.add_int(entry, _ALIGN.referenceNumber, ref.number)
        w.add(entry, _C4O.hasContent, literal(ref.printed))
        w.add(entry, _DCTERMS.title, literal(ref.title))
        w.add_int(entry, _ALIGN.sourceLine, ref.line)
        w.add(entry, _DCTERMS.isPartOf, reflist)
        if norm:
            work_node = iri(ns.work_iri(norm).value)
            ref_work.setdefault(ref.number, work_node)
            w.add_iri(entry, _BIRO.references, work_node)
            w.add_iri(s, _CITO.cites, work_node)

    for sentence in survey.sentences:
        _sentence(w, iris, sentence, links, ref_work)
    for key, evidence in links.discussions.items():
        sec_node = iri(key.left)
        c = iri(key.right)
        w.add_iri(sec_node, _ALIGN.discusses, c)
        node = iri(f"{key.left}/discusses/{ns.local_name(key.right)}")
        _evidenced(w, node, _ALIGN.Discussion, evidence)
        w.add(node, _ALIGN.section, sec_node)
        w.add_iri(node, _ALIGN.concept, c)
        w.add(node, _ALIGN.survey, s)
    return w


def _sentence(w: Lines, iris: _SurveyIris, sentence: Sentence, links: SurveyLinks, ref_work: dict[int, str]) -> None:
    base = iris.sentence(sentence.index)
    node = f"<{base}>"
    container = iris.section(sentence.section) if sentence.section else iris.survey
    text = sentence.text
    w.add_iri(node, _A, _DOCO.Sentence)
    w.add(node, _C4O.hasContent, literal(text))
    w.add_int(node, _ALIGN.sentenceIndex, sentence.index)
    w.add_int(node, _ALIGN.sourceLine, sentence.line)
    w.add(node, _ALIGN.survey, iris.survey)
    w.add(node, _DCTERMS.isPartOf, container)

    for k, citation in enumerate(sentence.citations):
        pointer = f"<{base}/pointer/{k}>"
        w.add_iri(pointer, _A, _C4O.InTextReferencePointer)
        w.add(pointer, _C4O.hasContent, literal(citation.text))
        w.add(pointer, _C4O.hasContext, node)
        w.add_int(pointer, _ALIGN.startOffset, citation.start)
        w.add_int(pointer, _ALIGN.endOffset, citation.end)
        for number in citation.numbers:
            if number in ref_work:
                w.add(pointer, _C4O.denotes, iris.reference(number))

    for k, quoted in enumerate(sentence.quoted):
        if quoted.reference is None or quoted.reference not in ref_work:
            continue
        ann = f"{base}/quoted/{k}"
        a = f"<{ann}>"
        w.add_iri(a, _A, _OA.Annotation)
        w.add_iri(a, _OA.motivatedBy, _OA.identifying)
        w.add_iri(a, _OA.hasBody, ref_work[quoted.reference])
        _target(w, ann, node, text, quoted.start, quoted.end)

    mentions = links.mentions_in(sentence)
    for k, mention in enumerate(mentions):
        ann = f"{base}/mention/{k}"
        a = f"<{ann}>"
        w.add_iri(a, _A, _ALIGN.ConceptMention)
        w.add_iri(a, _A, _OA.Annotation)
        w.add_iri(a, _OA.motivatedBy, _OA.tagging)
        w.add_iri(a, _OA.hasBody, f"<{mention.concept}>")
        _target(w, ann, node, text, mention.start, mention.end)


def _target(w: Lines, ann: str, sentence: str, text: str, start: int, end: int) -> None:
    target = f"<{ann}/target>"
    quote = f"<{ann}/quote>"
    position = f"<{ann}/position>"
    w.add(f"<{ann}>", _OA.hasTarget, target)
    w.add_iri(target, _A, _OA.SpecificResource)
    w.add(target, _OA.hasSource, sentence)
    w.add(target, _OA.hasSelector, quote)
    w.add(target, _OA.hasSelector, position)
    w.add_iri(quote, _A, _OA.TextQuoteSelector)
    w.add(quote, _OA.exact, literal(text[start:end]))
    w.add(quote, _OA.prefix, literal(text[max(0, start - CONTEXT) : start]))
    w.add(quote, _OA.suffix, literal(text[end : end + CONTEXT]))
    w.add_iri(position, _A, _OA.TextPositionSelector)
    w.add_int(position, _OA.start, start)
    w.add_int(position, _OA.end, end)
