"""``align:method``, ``align:challenge``, ``align:benchmark``, ``align:paper``, ``align:survey``.

Each has the alias ``alignment-<kind>``.

Why: one directive class per kind over a shared base; the card is looked up
in the catalog (no SPARQL per directive), registered in the domain unless
``:noindex:``, and entered in the general index.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..domain import align_domain
from ..frozen import freeze
from ..records import ConceptRecord, ObjectKey, SurveyRecord, WorkRecord
from ..usage import FULL
from ..warn import Subtype, warn
from .card_body import (
    ALL_FIELDS,
    DEFAULT_FIELDS,
    CardOptions,
    concept_fields,
    paper_fields,
    survey_fields,
)

KIND_NOUN = {
    "method": "method", "challenge": "challenge", "benchmark": "benchmark", "paper": "work", "survey": "survey",
}


def nonnegative_or_all(text: str | None) -> int:
    """``:evidence:`` alone means 3 sentences per link; a number sets it."""
    if text is None or not text.strip():
        return 3
    return directives.nonnegative_int(text)


def anchor_for(key: ObjectKey) -> str:
    return nodes.make_id(f"align-{key.kind}-{key.id}")


class CardDirective(SphinxDirective):
    kind: ClassVar[str] = ""
    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict] = {
        "fields": directives.unchanged,
        "papers": directives.nonnegative_int,
        "evidence": nonnegative_or_all,
        "noindex": directives.flag,
        "no-index": directives.flag,
        "class": directives.class_option,
    }

    def warn(self, message: str, subtype: Subtype) -> None:
        warn(message, subtype, self.get_location())

    def card_options(self) -> CardOptions:
        fields = DEFAULT_FIELDS[self.kind]
        if "fields" in self.options:
            wanted = tuple(f.strip().lower() for f in self.options["fields"].replace(",", " ").split() if f.strip())
            unknown = [f for f in wanted if f not in ALL_FIELDS[self.kind] and f not in ("label", "evidence")]
            if unknown:
                self.warn(
                    f"unknown field(s) {', '.join(unknown)} for {self.name}; "
                    f"use {', '.join(ALL_FIELDS[self.kind])}", "option",
                )
            fields = tuple(f for f in wanted if f not in unknown)
        evidence = self.options.get("evidence", 0)
        if "evidence" in fields and not evidence:
            evidence = 3
        return CardOptions(fields=fields, papers=self.options.get("papers", 5), evidence=evidence)

    def run(self) -> list[nodes.Node]:
        domain = align_domain(self.env)
        ctx = domain.context()
        name = self.arguments[0]
        key = ctx.catalog.lookup(self.kind, name)
        if key is None:
            domain.graph_warning(
                f"unknown {KIND_NOUN[self.kind]} {name!r}: not an ID, key or label in the alignment graph",
                "unknown_id", self.get_location(),
            )
            return []
        rec = ctx.catalog.get(key)
        domain.note_use(key, FULL)
        opts = self.card_options()
        noindex = "noindex" in self.options or "no-index" in self.options

        card = nodes.container(classes=["alignsurvey-card", f"alignsurvey-{self.kind}", *self.options.get("class", [])])
        self.set_source_info(card)
        result: list[nodes.Node] = []
        if not noindex:
            anchor = anchor_for(key)
            target = nodes.target("", "", ids=[anchor])
            self.state.document.note_explicit_target(target)
            result.append(target)
            domain.note_card(key, rec.label, anchor, self.lineno)
            result.append(self.index_node(rec, anchor))
        card += self.title_node(rec)
        if isinstance(rec, ConceptRecord):
            card += concept_fields(ctx, rec, opts)
        elif isinstance(rec, WorkRecord):
            card += paper_fields(ctx, rec, opts)
        elif isinstance(rec, SurveyRecord):
            card += survey_fields(ctx, rec, opts)
        freeze(card, self.state.document)
        result.append(card)
        return result

    def title_node(self, rec) -> nodes.paragraph:
        p = nodes.paragraph(classes=["alignsurvey-card-title"])
        p += nodes.strong(rec.label, rec.label)
        acronym = getattr(rec, "acronym", None)
        if acronym and acronym != rec.label:
            p += nodes.Text(f" ({acronym})")
        badge = f"{KIND_NOUN[self.kind]} · {rec.id}"
        p += nodes.Text(" ")
        p += nodes.inline(badge, badge, classes=["alignsurvey-badge"])
        return p

    def index_node(self, rec, anchor: str) -> addnodes.index:
        concept = self.kind in ("method", "challenge", "benchmark")
        noun = "alignment " + KIND_NOUN[self.kind] if concept else KIND_NOUN[self.kind]
        entries = [("single", f"{rec.label} ({noun})", anchor, "", None)]
        acronym = getattr(rec, "acronym", None)
        if acronym and acronym != rec.label:
            entries.append(("single", f"{acronym} ({noun})", anchor, "", None))
        return addnodes.index(entries=entries)


class MethodCard(CardDirective):
    kind = "method"


class ChallengeCard(CardDirective):
    kind = "challenge"


class BenchmarkCard(CardDirective):
    kind = "benchmark"


class PaperCard(CardDirective):
    kind = "paper"


class SurveyCard(CardDirective):
    kind = "survey"
