"""The parts of a card, built from catalog records as docutils nodes.

Why: kept apart from the directive so each part is a small function of
(record, options) that the tests and the survey outline can reuse.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes

from ...links.confidence import DEFAULT_MIN_CONFIDENCE
from ..catalog import Catalog
from ..nodes import bullets, count_text, count_words, field, joined, para, xref
from ..records import (
    ConceptRecord,
    Evidenced,
    ObjectKey,
    Origin,
    SectionRecord,
    SentenceRecord,
    SurveyRecord,
    WorkRecord,
)
from ..usage import LABEL

if TYPE_CHECKING:
    from ..domain import RenderContext


@dataclass(frozen=True)
class CardOptions:
    fields: tuple[str, ...]
    papers: int
    evidence: int  # sentences per link; 0 hides evidence
    min_confidence: float = DEFAULT_MIN_CONFIDENCE  # derived links below it are left out


DEFAULT_FIELDS = {
    "method": ("definition", "introduced", "broader", "narrower", "challenges", "limitations", "works", "surveys"),
    "challenge": (
        "definition",
        "introduced",
        "broader",
        "narrower",
        "methods",
        "limitations",
        "benchmarks",
        "works",
        "surveys",
    ),
    "benchmark": ("definition", "introduced", "broader", "narrower", "challenges", "works", "surveys"),
    "paper": ("authors", "identifiers", "bibliography", "concepts", "surveys"),
    "survey": ("references", "outline"),
}
ALL_FIELDS = {
    "method": (*DEFAULT_FIELDS["method"], "altlabels"),
    "challenge": (*DEFAULT_FIELDS["challenge"], "altlabels"),
    "benchmark": (*DEFAULT_FIELDS["benchmark"], "altlabels"),
    "paper": DEFAULT_FIELDS["paper"],
    "survey": (*DEFAULT_FIELDS["survey"], "concepts"),
}
#: Field titles of the relations a concept card lists: (kind of card, field) -> title.
RELATION_TITLES = {
    ("method", "challenges"): "Addresses",
    ("challenge", "methods"): "Addressed by",
    ("method", "limitations"): "Known limitations",
    ("challenge", "limitations"): "A known limitation of",
    ("benchmark", "challenges"): "Evaluates",
    ("challenge", "benchmarks"): "Evaluated by",
}
#: The head of a group of evidence sentences: (kind of card, relation) -> words before the other object.
EVIDENCE_HEADS = {
    ("method", "addressing"): "Addresses ",
    ("challenge", "addressing"): "Addressed by ",
    ("method", "limitations"): "Known limitation: ",
    ("challenge", "limitations"): "A known limitation of ",
}
#: Identifiers a card links to their record: ``arXiv:ID`` and ``doi:10.x/y``.
IDENTIFIER = re.compile(r"(arxiv|doi):(\S+)\Z", re.IGNORECASE)
#: What each kind of citation finding is called beside a flagged evidence sentence.
FLAG_WORDS = {
    "citation-off-topic": "off-topic citation",
    "citation-unsupported": "unsupported citation",
    "citation-unverified": "unverified reference",
    "citation-id-mismatch": "identifier of another work",
    "claim-quantitative": "figure to verify",
}


def section_text(catalog: Catalog, key: ObjectKey) -> str:
    rec = catalog.get(key)
    return rec.label if isinstance(rec, SectionRecord) else str(key)


def where(ctx: RenderContext, sentence_iri: str) -> list[nodes.Node]:
    """Where a sentence stands: survey ID, section number and title, line."""
    s = ctx.catalog.sentences.get(sentence_iri)
    if s is None:
        return [nodes.Text(sentence_iri)]
    out: list[nodes.Node] = [nodes.Text("— ")]
    if s.survey:
        out.append(xref(ctx, s.survey))
    if s.section:
        ctx.domain.note_use(s.section, LABEL)
        out.append(nodes.Text(f", {section_text(ctx.catalog, s.section)}"))
    if s.line:
        out.append(nodes.Text(f", line {s.line}"))
    return out


def flag_text(sentence: SentenceRecord) -> str:
    """``flagged: off-topic citation [79], unsupported citation [21]``, or "" for a sound sentence."""
    if not sentence.flags:
        return ""
    parts = []
    for flag in sentence.flags:
        words = FLAG_WORDS.get(flag.kind, flag.kind)
        parts.append(f"{words} [{flag.reference}]" if flag.reference is not None else words)
    return "flagged: " + ", ".join(parts)


def flag_node(sentence: SentenceRecord | None) -> nodes.inline | None:
    """A small marker beside evidence whose citations the citation check flagged."""
    text = flag_text(sentence) if sentence is not None else ""
    return nodes.inline(text, text, classes=["alignsurvey-flag"]) if text else None


def evidence_list(ctx: RenderContext, link: Evidenced, limit: int) -> nodes.bullet_list:
    items = []
    for iri in link.evidence[:limit]:
        s = ctx.catalog.sentences.get(iri)
        text = s.text if s is not None else iri
        p = para(nodes.inline(text, text, classes=["alignsurvey-sentence"]), nodes.Text(" "))
        p += nodes.emphasis("", "", *where(ctx, iri))
        flag = flag_node(s)
        if flag is not None:
            p += nodes.Text(" ")
            p += flag
        items.append(p)
    return bullets(items, classes=["alignsurvey-evidence"])


def link_words(link: Evidenced) -> str:
    """`` (3 sentences)``, with the link's confidence when it has one: `` (3 sentences, confidence 0.96)``."""
    words = count_words(link.count)
    if link.confidence is None:
        return words
    return f"{words[:-1]}, confidence {link.confidence:.2f})"


def linked_counts(ctx: RenderContext, links: tuple[Evidenced, ...], limit: int | None = None) -> list[nodes.Node]:
    """``A (3 sentences), B (1 sentence)``: each count and the separator after it share one Text node."""
    shown = links if limit is None else links[:limit]
    out: list[nodes.Node] = []
    last = len(shown) - 1
    for i, link in enumerate(shown):
        out.append(xref(ctx, link.target))
        out.append(nodes.Text(link_words(link) + ("" if i == last else ", ")))
    if limit is not None and len(links) > limit:
        out.append(nodes.Text(f" and {len(links) - limit} more"))
    return out


def shown_links(links: tuple[Evidenced, ...], opts: CardOptions) -> tuple[Evidenced, ...]:
    """The derived links at or above the card's minimum confidence."""
    return tuple(link for link in links if link.shown(opts.min_confidence))


def discussed_in(ctx: RenderContext, links: tuple[Evidenced, ...]) -> nodes.bullet_list:
    """Sections grouped by survey: one item per survey, its sections listed below it, most evidence first.

    Why a list: a concept discussed in ten or more sections read as one run-on paragraph.
    """
    by_survey: OrderedDict[ObjectKey | None, list[Evidenced]] = OrderedDict()
    for link in links:
        sec = ctx.catalog.get(link.target)
        survey = sec.survey if isinstance(sec, SectionRecord) else None
        by_survey.setdefault(survey, []).append(link)
    outer = nodes.bullet_list(classes=["alignsurvey-discussions"])
    for survey, secs in sorted(by_survey.items(), key=lambda kv: str(kv[0] or "")):
        item = nodes.list_item()
        item += para(xref(ctx, survey) if survey else nodes.Text("?"))
        inner = []
        for link in secs:
            ctx.domain.note_use(link.target, LABEL)
            inner.append(para(section_text(ctx.catalog, link.target) + count_words(link.count)))
        item += bullets(inner)
        outer += item
    return outer


def concept_fields(ctx: RenderContext, rec: ConceptRecord, opts: CardOptions) -> list[nodes.Node]:
    fl = nodes.field_list(classes=["alignsurvey-fields"])
    out: list[nodes.Node] = []
    for name in opts.fields:
        title = RELATION_TITLES.get((rec.kind, name))
        if name == "definition" and rec.definition:
            out.append(para(rec.definition, classes=["alignsurvey-definition"]))
        elif name == "altlabels" and rec.alt_labels:
            fl += field("Also called", para(", ".join(rec.alt_labels)))
        elif name == "introduced" and rec.introduced_by is not None:
            fl += field("Introduced by", para(*origin_nodes(ctx, rec.introduced_by)))
        elif name == "broader" and rec.broader:
            fl += field("Broader", para(*joined([xref(ctx, k) for k in rec.broader])))
        elif name == "narrower" and rec.narrower:
            fl += field("Narrower", para(*joined([xref(ctx, k) for k in rec.narrower])))
        elif title and name in ("challenges", "methods", "limitations") and rec.kind != "benchmark":
            links = shown_links(rec.limitations if name == "limitations" else rec.addressing, opts)
            if links:
                fl += field(title, para(*linked_counts(ctx, links)))
        elif title and (name == "benchmarks" or rec.kind == "benchmark"):
            others = [k for k in rec.evaluates if k.kind == ("benchmark" if name == "benchmarks" else "challenge")]
            if others:
                fl += field(title, para(*joined([xref(ctx, k) for k in others])))
        elif name == "works" and rec.works and opts.papers:
            items = []
            for link in rec.works[: opts.papers]:
                items.append(para(xref(ctx, link.target), *bib_link(ctx, link.target), count_text(link.count)))
            body: list[nodes.Node] = [bullets(items, classes=["alignsurvey-works"])]
            if len(rec.works) > opts.papers:
                body.append(para(f"… and {len(rec.works) - opts.papers} more papers", classes=["alignsurvey-more"]))
            fl += field("Key papers", body)
        elif name == "surveys" and rec.discussions:
            fl += field("Discussed in", discussed_in(ctx, rec.discussions))
    if len(fl):
        out.append(fl)
    if opts.evidence:
        out.extend(concept_evidence(ctx, rec, opts))
    return out


def evidence_box(groups: Sequence[nodes.Node]) -> list[nodes.Node]:
    if not groups:
        return []
    box = nodes.container(classes=["alignsurvey-evidence-box"])
    box += para(nodes.strong("Evidence", "Evidence"), classes=["alignsurvey-evidence-title"])
    box += groups
    return [box]


def concept_evidence(ctx: RenderContext, rec: ConceptRecord, opts: CardOptions) -> list[nodes.Node]:
    """Evidence sentences: for each link the card shows (addresses, limitations), else for the top discussions."""
    out: list[nodes.Node] = []
    claims = [
        (relation, link)
        for relation in ("addressing", "limitations")
        for link in shown_links(getattr(rec, relation), opts)
    ]
    if claims:
        for relation, link in claims:
            words = EVIDENCE_HEADS.get((rec.kind, relation), "")
            head = para(nodes.Text(words), xref(ctx, link.target), nodes.Text(":"))
            head["classes"].append("alignsurvey-evidence-head")
            out += [head, evidence_list(ctx, link, opts.evidence)]
    else:
        for link in rec.discussions[:3]:
            target = ctx.catalog.get(link.target)
            label = target.label if isinstance(target, SectionRecord) else str(link.target)
            head = para(
                nodes.Text("Discussed in "), nodes.Text(label), nodes.Text(":"), classes=["alignsurvey-evidence-head"]
            )
            out += [head, evidence_list(ctx, link, opts.evidence)]
    return evidence_box(out)


def bib_link(ctx: RenderContext, key: ObjectKey, fallback: str = "") -> list[nodes.Node]:
    """A citation (sphinxcontrib-bibtex) of the work, when its key is in the .bib files."""
    rec = ctx.catalog.get(key)
    if not isinstance(rec, WorkRecord):
        return []
    node = ctx.domain.cite(rec.id, fallback)
    return [nodes.Text(" "), node] if node is not None else []


def author_text(rec: WorkRecord, most: int = 6) -> str:
    """``Wang, Chaoqi; Jiang, Yibo et al. (2023). Venue``: who, when and where, as the card shows it."""
    names = "; ".join(rec.authors[:most]) + (" et al." if len(rec.authors) > most else "")
    when = f" ({rec.year})" if rec.year and names else rec.year or ""
    venue = f". {rec.venue}" if rec.venue else ""
    return f"{names}{when}{venue}".strip(". ")


def identifier_link(identifier: str) -> nodes.Node:
    """``arXiv:2305.18290`` and ``doi:10.x/y`` link to the record; other identifiers stay text."""
    found = IDENTIFIER.match(identifier)
    if found:
        base = {"arxiv": "https://arxiv.org/abs/", "doi": "https://doi.org/"}[found.group(1).lower()]
        return nodes.reference(identifier, identifier, refuri=base + found.group(2))
    return nodes.Text(identifier)


def origin_nodes(ctx: RenderContext, origin: Origin) -> list[nodes.Node]:
    """The introducing work: its card when a survey cites it, else its title; then year and identifiers."""
    out: list[nodes.Node] = [xref(ctx, origin.paper) if origin.paper else nodes.Text(origin.title)]
    if origin.year:
        out.append(nodes.Text(f" ({origin.year})"))
    if origin.identifiers:
        out += [nodes.Text(", "), *joined([identifier_link(i) for i in origin.identifiers])]
    return out


def paper_fields(ctx: RenderContext, rec: WorkRecord, opts: CardOptions) -> list[nodes.Node]:
    fl = nodes.field_list(classes=["alignsurvey-fields"])
    for name in opts.fields:
        if name == "authors" and (rec.authors or rec.year):
            fl += field("Authors" if rec.authors else "Year", para(author_text(rec)))
        elif name == "identifiers" and (rec.identifiers or rec.url):
            links = [identifier_link(i) for i in rec.identifiers]
            if rec.url:
                links.append(nodes.reference(rec.url, rec.url, refuri=rec.url))
            fl += field("Identifiers", para(*joined(links)))
        elif name == "concepts" and rec.concepts:
            fl += field("Cited alongside", para(*linked_counts(ctx, rec.concepts, opts.papers * 2 or None)))
        elif name == "surveys" and rec.cited_by:
            p = nodes.paragraph()
            for i, (s, n) in enumerate(rec.cited_by):
                p += xref(ctx, s)
                p += nodes.Text(f" [{n}]" if i == len(rec.cited_by) - 1 else f" [{n}], ")
            fl += field("Cited by", p)
        elif name == "bibliography":
            node = bib_link(ctx, rec.key, "not listed in a bibliography of this project")
            if node:
                fl += field("Bibliography", para(*node[1:]))
    out: list[nodes.Node] = [fl] if len(fl) else []
    if opts.evidence:
        groups = []
        for link in rec.concepts[:5]:
            groups += [
                para(
                    nodes.Text("Cited alongside "),
                    xref(ctx, link.target),
                    nodes.Text(":"),
                    classes=["alignsurvey-evidence-head"],
                ),
                evidence_list(ctx, link, opts.evidence),
            ]
        out += evidence_box(groups)
    return out


def survey_fields(ctx: RenderContext, rec: SurveyRecord, opts: CardOptions) -> list[nodes.Node]:
    fl = nodes.field_list(classes=["alignsurvey-fields"])
    out: list[nodes.Node] = []
    for name in opts.fields:
        if name == "references":
            fl += field("Identifier", para(nodes.literal(rec.id, rec.id)))
            fl += field("References", para(str(rec.references)))
        elif name == "concepts":
            totals: dict[ObjectKey, int] = {}
            for sk in rec.sections:
                sec = ctx.catalog.get(sk)
                for link in sec.concepts if isinstance(sec, SectionRecord) else ():
                    totals[link.target] = totals.get(link.target, 0) + link.count
            top = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[: max(opts.papers, 1) * 2]
            fl += field("Most discussed", para(*linked_counts(ctx, tuple(Evidenced(k, n, ()) for k, n in top))))
        elif name == "outline":
            fl += field("Outline", outline(ctx, rec))
    if len(fl):
        out.append(fl)
    return out


def outline(ctx: RenderContext, rec: SurveyRecord) -> nodes.bullet_list:
    """Nested list of the survey's sections by heading level, with their top concepts."""
    root = nodes.bullet_list(classes=["alignsurvey-outline"])
    stack: list[tuple[int, nodes.bullet_list]] = [(0, root)]
    for key in rec.sections:
        sec = ctx.catalog.get(key)
        if not isinstance(sec, SectionRecord):
            continue
        ctx.domain.note_use(key, LABEL)
        while len(stack) > 1 and stack[-1][0] >= sec.level:
            stack.pop()
        parent = stack[-1][1]
        item = nodes.list_item()
        p = para(nodes.strong(sec.number, sec.number), nodes.Text(f" {sec.title}"))
        if sec.concepts:
            p += nodes.Text(" — ")
            for n in joined([xref(ctx, link.target) for link in sec.concepts[:3]]):
                p += n
        item += p
        parent += item
        sub = nodes.bullet_list()
        item += sub
        stack.append((sec.level, sub))
    for bl in list(root.findall(nodes.bullet_list)):
        if bl is not root and not len(bl):
            bl.parent.remove(bl)
    return root
