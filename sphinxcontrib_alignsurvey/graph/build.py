"""Surveys + vocabularies -> one self-contained set of RDF triples.

The builder is a pure function of its inputs: IRIs come from stable keys,
no blank nodes are minted and no clock is read, so the serialised output is
byte-identical for the same inputs in any order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..core.version import __version__
from ..core.model import Sentence, Survey
from ..core.works import normalise
from ..core import namespaces as ns
from ..links.confidence import DEFAULT_MIN_CONFIDENCE
from ..links.model import Evidence, LinkModel, Relation, SurveyLinks
from .runs import TripleRuns
from ..core.namespaces import ALIGN, BIRO, C4O, CITO, DCTERMS, DOCO, FABIO, OA, PROV, RDF, RDFS, XSD
from ..links.vocabulary import Vocabulary
from ..core.works import Work, collect_works

CONTEXT = 32  # characters of prefix/suffix kept by a TextQuoteSelector


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def _str(value: str) -> ox.Literal:
    return ox.Literal(value)


def _decimal(value: float) -> ox.Literal:
    """Two decimals, always written the same way, so the Turtle is byte-identical."""
    return ox.Literal(f"{value:.2f}", datatype=XSD.decimal)


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
    """
    titles = titles or {}
    surveys = sorted(surveys, key=lambda s: s.id)
    g = GraphBuild()
    g.extend(vocabulary.triples)
    g.extend(extra)
    g.works = collect_works(surveys)
    _provenance(g, surveys)
    for work in g.works.values():
        node = ns.work_iri(work.normalised)
        g.add(node, RDF.type, FABIO.ScholarlyWork)
        g.add(node, DCTERMS.title, _str(titles.get(work.normalised, work.title)))
        for printed in sorted(work.printed):
            g.add(node, ALIGN.printedTitle, _str(printed))
    g.runs.close_run()
    for survey in surveys:
        _survey(g, survey, links.surveys[survey.id])
        g.runs.close_run()
    for key, evidence in links.of(Relation.CITED_ALONGSIDE):
        w = ox.NamedNode(key.left)
        c = ox.NamedNode(key.right)
        node = ox.NamedNode(f"{key.left}/context/{ns.local_name(key.right)}")
        g.add(w, ALIGN.citedAlongside, c)
        _evidenced(g, node, ALIGN.CitationContext, evidence)
        g.add(node, ALIGN.work, w)
        g.add(node, ALIGN.concept, c)
    for relation, (segment, shortcut, inverse) in CLAIMED.items():
        # every claimed link keeps its node, evidence and confidence; the shortcut triples, which
        # cards, diagrams and simple queries read, only for links at or above the default minimum.
        # A link whose every sentence rests on flagged citations is not built (LinkModel.of).
        for key, evidence in links.of(relation):
            m, c = ox.NamedNode(key.left), ox.NamedNode(key.right)
            node = ox.NamedNode(f"{ns.BASE}{segment}/{ns.local_name(key.left)}/{ns.local_name(key.right)}")
            confidence = evidence.confidence(relation)
            if confidence >= DEFAULT_MIN_CONFIDENCE:
                g.add(m, shortcut, c)
                g.add(c, inverse, m)
            _evidenced(g, node, ALIGN.term(relation.value), evidence)
            for sentence in sorted(evidence.flagged):  # evidence that rests only on flagged citations
                g.add(node, ALIGN.flaggedEvidence, ox.NamedNode(sentence))
            g.add(node, ALIGN.method, m)
            g.add(node, ALIGN.challenge, c)
            g.add(node, ALIGN.confidence, _decimal(confidence))
    return g


def _evidenced(g: GraphBuild, node: ox.NamedNode, cls: ox.NamedNode, evidence: Evidence) -> None:
    g.add(node, RDF.type, cls)
    g.add(node, RDF.type, ALIGN.EvidencedLink)
    g.add(node, ALIGN.evidenceCount, _int(evidence.count))
    for sentence in sorted(evidence.sentences):
        g.add(node, ALIGN.evidence, ox.NamedNode(sentence))


def _provenance(g: GraphBuild, surveys: Sequence[Survey]) -> None:
    run = ox.NamedNode(f"{ns.BASE}run/{run_digest(surveys)}")
    agent = ox.NamedNode(f"{ns.BASE}software/alignsurvey/{__version__}")
    g.add(agent, RDF.type, PROV.SoftwareAgent)
    g.add(agent, RDFS.label, _str(f"alignsurvey {__version__}"))
    g.add(agent, DCTERMS.hasVersion, _str(__version__))
    g.add(run, RDF.type, ALIGN.ConversionRun)
    g.add(run, RDF.type, PROV.Activity)
    g.add(run, RDFS.label, _str(f"conversion of {len(surveys)} survey(s) by alignsurvey {__version__}"))
    g.add(run, PROV.wasAssociatedWith, agent)
    for survey in surveys:
        source = ns.source_iri(survey.sha256 or hashlib.sha256(survey.path.encode()).hexdigest())
        g.add(source, RDF.type, ALIGN.SourceFile)
        g.add(source, RDF.type, PROV.Entity)
        g.add(source, RDFS.label, _str(survey.path.replace("\\", "/").rsplit("/", 1)[-1]))
        if survey.sha256:
            g.add(source, ALIGN.sha256, _str(survey.sha256))
        g.add(run, PROV.used, source)
        s = ns.survey_iri(survey.id)
        g.add(s, PROV.wasDerivedFrom, source)
        g.add(s, PROV.wasGeneratedBy, run)


def _survey(g: GraphBuild, survey: Survey, links: SurveyLinks) -> None:
    sid = survey.id
    s = ns.survey_iri(sid)
    g.add(s, RDF.type, ALIGN.Survey)
    g.add(s, RDF.type, FABIO.ReviewArticle)
    g.add(s, DCTERMS.title, _str(survey.title))
    g.add(s, ALIGN.surveyId, _str(sid))

    for sec in survey.sections:
        node = ns.section_iri(sid, sec.key)
        g.add(node, RDF.type, DOCO.Section)
        g.add(node, DCTERMS.title, _str(sec.title))
        if sec.number:
            g.add(node, ALIGN.sectionNumber, _str(sec.number))
        g.add(node, ALIGN.headingLevel, _int(sec.level))
        g.add(node, ALIGN.sourceLine, _int(sec.line))
        g.add(node, ALIGN.survey, s)
        parent = ns.section_iri(sid, sec.parent) if sec.parent else s
        g.add(node, DCTERMS.isPartOf, parent)
        g.add(parent, DCTERMS.hasPart, node)

    reflist = ns.reference_list_iri(sid)
    g.add(s, ALIGN.referenceList, reflist)
    g.add(reflist, RDF.type, BIRO.ReferenceList)
    g.add(reflist, DCTERMS.isPartOf, s)
    ref_work: dict[int, str] = {}
    for ref in survey.references:
        entry = ns.reference_iri(sid, ref.number)
        norm = normalise(ref.title)
        g.add(reflist, DCTERMS.hasPart, entry)
        g.add(entry, RDF.type, BIRO.BibliographicReference)
        g.add(entry, ALIGN.referenceNumber, _int(ref.number))
        g.add(entry, C4O.hasContent, _str(ref.printed))
        g.add(entry, DCTERMS.title, _str(ref.title))
        g.add(entry, ALIGN.sourceLine, _int(ref.line))
        g.add(entry, DCTERMS.isPartOf, reflist)
        if norm:
            work = ns.work_iri(norm)
            ref_work.setdefault(ref.number, work.value)
            g.add(entry, BIRO.references, work)
            g.add(s, CITO.cites, work)

    for sentence in survey.sentences:
        _sentence(g, survey, sentence, links, ref_work)
    for key, evidence in links.discussions.items():
        sec = ox.NamedNode(key.left)
        c = ox.NamedNode(key.right)
        g.add(sec, ALIGN.discusses, c)
        node = ox.NamedNode(f"{key.left}/discusses/{ns.local_name(key.right)}")
        _evidenced(g, node, ALIGN.Discussion, evidence)
        g.add(node, ALIGN.section, sec)
        g.add(node, ALIGN.concept, c)
        g.add(node, ALIGN.survey, s)


def _sentence(g: GraphBuild, survey: Survey, sentence: Sentence, links: SurveyLinks, ref_work: dict[int, str]) -> None:
    sid = survey.id
    node = ns.sentence_iri(sid, sentence.index)
    iri = node.value
    container = ns.section_iri(sid, sentence.section) if sentence.section else ns.survey_iri(sid)
    g.add(node, RDF.type, DOCO.Sentence)
    g.add(node, C4O.hasContent, _str(sentence.text))
    g.add(node, ALIGN.sentenceIndex, _int(sentence.index))
    g.add(node, ALIGN.sourceLine, _int(sentence.line))
    g.add(node, ALIGN.survey, ns.survey_iri(sid))
    g.add(node, DCTERMS.isPartOf, container)

    for k, citation in enumerate(sentence.citations):
        pointer = ox.NamedNode(f"{iri}/pointer/{k}")
        g.add(pointer, RDF.type, C4O.InTextReferencePointer)
        g.add(pointer, C4O.hasContent, _str(citation.text))
        g.add(pointer, C4O.hasContext, node)
        g.add(pointer, ALIGN.startOffset, _int(citation.start))
        g.add(pointer, ALIGN.endOffset, _int(citation.end))
        for number in citation.numbers:
            if number in ref_work:
                g.add(pointer, C4O.denotes, ns.reference_iri(sid, number))

    for k, quoted in enumerate(sentence.quoted):
        if quoted.reference is None or quoted.reference not in ref_work:
            continue
        ann = ox.NamedNode(f"{iri}/quoted/{k}")
        g.add(ann, RDF.type, OA.Annotation)
        g.add(ann, OA.motivatedBy, OA.identifying)
        g.add(ann, OA.hasBody, ox.NamedNode(ref_work[quoted.reference]))
        _target(g, ann, node, sentence.text, quoted.start, quoted.end)

    mentions = links.mentions_in(sentence)
    for k, mention in enumerate(mentions):
        ann = ox.NamedNode(f"{iri}/mention/{k}")
        g.add(ann, RDF.type, ALIGN.ConceptMention)
        g.add(ann, RDF.type, OA.Annotation)
        g.add(ann, OA.motivatedBy, OA.tagging)
        g.add(ann, OA.hasBody, ox.NamedNode(mention.concept))
        _target(g, ann, node, sentence.text, mention.start, mention.end)
    g.mentions += len(mentions)


def _target(g: GraphBuild, ann: ox.NamedNode, sentence: ox.NamedNode, text: str, start: int, end: int) -> None:
    base = ann.value
    target = ox.NamedNode(f"{base}/target")
    quote = ox.NamedNode(f"{base}/quote")
    position = ox.NamedNode(f"{base}/position")
    g.add(ann, OA.hasTarget, target)
    g.add(target, RDF.type, OA.SpecificResource)
    g.add(target, OA.hasSource, sentence)
    g.add(target, OA.hasSelector, quote)
    g.add(target, OA.hasSelector, position)
    g.add(quote, RDF.type, OA.TextQuoteSelector)
    g.add(quote, OA.exact, _str(text[start:end]))
    g.add(quote, OA.prefix, _str(text[max(0, start - CONTEXT) : start]))
    g.add(quote, OA.suffix, _str(text[end : end + CONTEXT]))
    g.add(position, RDF.type, OA.TextPositionSelector)
    g.add(position, OA.start, _int(start))
    g.add(position, OA.end, _int(end))
