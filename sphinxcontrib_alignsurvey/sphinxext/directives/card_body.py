"""The parts of a card, built from catalog records as docutils nodes.

Why: kept apart from the directive so each part is a small function of
(record, options) that the tests and the survey outline can reuse.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes

from ..catalog import Catalog
from ..nodes import bullets, count_text, count_words, field, joined, para, xref
from ..records import (
    ConceptRecord,
    Evidenced,
    ObjectKey,
    SectionRecord,
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


DEFAULT_FIELDS = {
    "method": ("definition", "broader", "narrower", "challenges", "works", "surveys"),
    "challenge": ("definition", "broader", "narrower", "methods", "works", "surveys"),
    "benchmark": ("definition", "broader", "narrower", "works", "surveys"),
    "paper": ("bibliography", "concepts", "surveys"),
    "survey": ("references", "outline"),
}
ALL_FIELDS = {
    "method": (*DEFAULT_FIELDS["method"], "altlabels"),
    "challenge": (*DEFAULT_FIELDS["challenge"], "altlabels"),
    "benchmark": (*DEFAULT_FIELDS["benchmark"], "altlabels"),
    "paper": DEFAULT_FIELDS["paper"],
    "survey": (*DEFAULT_FIELDS["survey"], "concepts"),
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
        out.append(xref(ctx, s.survey, s.survey.id))
    if s.section:
        ctx.domain.note_use(s.section, LABEL)
        out.append(nodes.Text(f", {section_text(ctx.catalog, s.section)}"))
    if s.line:
        out.append(nodes.Text(f", line {s.line}"))
    return out


def evidence_list(ctx: RenderContext, link: Evidenced, limit: int) -> nodes.bullet_list:
    items = []
    for iri in link.evidence[:limit]:
        s = ctx.catalog.sentences.get(iri)
        text = s.text if s is not None else iri
        p = para(nodes.inline(text, text, classes=["alignsurvey-sentence"]), nodes.Text(" "))
        p += nodes.emphasis("", "", *where(ctx, iri))
        items.append(p)
    return bullets(items, classes=["alignsurvey-evidence"])


def linked_counts(ctx: RenderContext, links: tuple[Evidenced, ...], limit: int | None = None) -> list[nodes.Node]:
    """``A (3 sentences), B (1 sentence)``: each count and the separator after it share one Text node."""
    shown = links if limit is None else links[:limit]
    out: list[nodes.Node] = []
    last = len(shown) - 1
    for i, link in enumerate(shown):
        out.append(xref(ctx, link.target))
        out.append(count_text(link.count, after="" if i == last else ", "))
    if limit is not None and len(links) > limit:
        out.append(nodes.Text(f" and {len(links) - limit} more"))
    return out


def discussed_in(ctx: RenderContext, links: tuple[Evidenced, ...]) -> nodes.paragraph:
    """Sections grouped by survey, most evidence first inside each survey, as one paragraph.

    ``survey-a: §1 Title (3 sentences); §2 Title (1 sentence) · survey-b: …``
    """
    by_survey: OrderedDict[ObjectKey | None, list[Evidenced]] = OrderedDict()
    for link in links:
        sec = ctx.catalog.get(link.target)
        survey = sec.survey if isinstance(sec, SectionRecord) else None
        by_survey.setdefault(survey, []).append(link)
    p = nodes.paragraph(classes=["alignsurvey-discussions"])
    for g, (survey, secs) in enumerate(sorted(by_survey.items(), key=lambda kv: str(kv[0] or ""))):
        if g:
            p += nodes.Text(" · ")
        p += xref(ctx, survey, survey.id) if survey else nodes.Text("?")
        parts = []
        for link in secs:
            ctx.domain.note_use(link.target, LABEL)
            parts.append(section_text(ctx.catalog, link.target) + count_words(link.count))
        p += nodes.Text(": " + "; ".join(parts))
    return p


def concept_fields(ctx: RenderContext, rec: ConceptRecord, opts: CardOptions) -> list[nodes.Node]:
    fl = nodes.field_list(classes=["alignsurvey-fields"])
    out: list[nodes.Node] = []
    related = "challenges" if rec.kind == "method" else "methods"
    for name in opts.fields:
        if name == "definition" and rec.definition:
            out.append(para(rec.definition, classes=["alignsurvey-definition"]))
        elif name == "altlabels" and rec.alt_labels:
            fl += field("Also called", para(", ".join(rec.alt_labels)))
        elif name == "broader" and rec.broader:
            fl += field("Broader", para(*joined([xref(ctx, k) for k in rec.broader])))
        elif name == "narrower" and rec.narrower:
            fl += field("Narrower", para(*joined([xref(ctx, k) for k in rec.narrower])))
        elif name == related and rec.addressing:
            title = "Addresses" if rec.kind == "method" else "Addressed by"
            fl += field(title, para(*linked_counts(ctx, rec.addressing)))
        elif name == "works" and rec.works and opts.papers:
            items = []
            for link in rec.works[: opts.papers]:
                items.append(para(xref(ctx, link.target), *bib_link(ctx, link.target), count_text(link.count)))
            body: list[nodes.Node] = [bullets(items, classes=["alignsurvey-works"])]
            if len(rec.works) > opts.papers:
                body.append(para(f"… and {len(rec.works) - opts.papers} more works", classes=["alignsurvey-more"]))
            fl += field("Key works", body)
        elif name == "surveys" and rec.discussions:
            fl += field("Discussed in", discussed_in(ctx, rec.discussions))
    if len(fl):
        out.append(fl)
    if opts.evidence:
        out.extend(concept_evidence(ctx, rec, opts.evidence))
    return out


def concept_evidence(ctx: RenderContext, rec: ConceptRecord, limit: int) -> list[nodes.Node]:
    """Evidence sentences: for each addressing link, else for the top discussions."""
    out: list[nodes.Node] = []
    groups = rec.addressing or rec.discussions[:3]
    for link in groups:
        target = ctx.catalog.get(link.target)
        if isinstance(target, SectionRecord):
            head = para(nodes.Text("Discussed in "), nodes.Text(target.label), nodes.Text(":"))
        else:
            verb = "Addresses " if rec.kind == "method" else "Addressed by "
            head = para(nodes.Text(verb), xref(ctx, link.target), nodes.Text(":"))
        head["classes"].append("alignsurvey-evidence-head")
        out += [head, evidence_list(ctx, link, limit)]
    if out:
        box = nodes.container(classes=["alignsurvey-evidence-box"])
        box += para(nodes.strong("Evidence", "Evidence"), classes=["alignsurvey-evidence-title"])
        box += out
        return [box]
    return []


def bib_link(ctx: RenderContext, key: ObjectKey, fallback: str = "") -> list[nodes.Node]:
    """A citation (sphinxcontrib-bibtex) of the work, when its key is in the .bib files."""
    rec = ctx.catalog.get(key)
    if not isinstance(rec, WorkRecord):
        return []
    node = ctx.domain.cite(rec.id, fallback)
    return [nodes.Text(" "), node] if node is not None else []


def paper_fields(ctx: RenderContext, rec: WorkRecord, opts: CardOptions) -> list[nodes.Node]:
    fl = nodes.field_list(classes=["alignsurvey-fields"])
    for name in opts.fields:
        if name == "concepts" and rec.concepts:
            fl += field("Cited alongside", para(*linked_counts(ctx, rec.concepts, opts.papers * 2 or None)))
        elif name == "surveys" and rec.cited_by:
            p = nodes.paragraph()
            for i, (s, n) in enumerate(rec.cited_by):
                p += xref(ctx, s, s.id)
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
            groups += [para(nodes.Text("Cited alongside "), xref(ctx, link.target), nodes.Text(":"),
                            classes=["alignsurvey-evidence-head"]),
                       evidence_list(ctx, link, opts.evidence)]
        if groups:
            box = nodes.container(classes=["alignsurvey-evidence-box"])
            box += para(nodes.strong("Evidence", "Evidence"), classes=["alignsurvey-evidence-title"])
            box += groups
            out.append(box)
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
