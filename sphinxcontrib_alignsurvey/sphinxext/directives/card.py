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
from ..records import CONCEPT_KINDS, ConceptRecord, ObjectKey, SurveyRecord, WorkRecord, known
from ..usage import FULL
from ..warn import Subtype, unknown_message, warn
from .card_body import (
    ALL_FIELDS,
    DEFAULT_FIELDS,
    CardOptions,
    concept_fields,
    paper_fields,
    survey_fields,
)

#: What each kind is called in text a reader sees: one word per kind, the word of its directive and role.
KIND_NOUN = {kind: kind for kind in ("method", "challenge", "benchmark", "paper", "survey")}


def confidence(text: str | None) -> float:
    """A minimum confidence: a number from 0 to 1."""
    if text is None or not text.strip():
        raise ValueError("a number from 0 to 1 is required")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number from 0 to 1") from None
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{text!r} is not a number from 0 to 1")
    return value


def min_confidence(directive: SphinxDirective) -> float:
    """``:min-confidence:``, else the project's ``alignsurvey_min_confidence``."""
    if "min-confidence" in directive.options:
        return directive.options["min-confidence"]
    return directive.config.alignsurvey_min_confidence


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
        "min-confidence": confidence,
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
                    f"use {', '.join((*ALL_FIELDS[self.kind], 'evidence'))}",
                    "option",
                )
            fields = tuple(f for f in wanted if f not in unknown)
        evidence = self.options.get("evidence", 0)
        if "evidence" in fields and not evidence:
            evidence = 3
        return CardOptions(
            fields=fields, papers=self.options.get("papers", 5), evidence=evidence, min_confidence=min_confidence(self)
        )

    def run(self) -> list[nodes.Node]:
        domain = align_domain(self.env)
        ctx = domain.context()
        name = self.arguments[0]
        key = ctx.catalog.lookup(self.kind, name)
        if key is None:
            domain.graph_warning(
                unknown_message(KIND_NOUN[self.kind], name, ctx.catalog.suggest(self.kind, name)),
                "unknown_id",
                self.get_location(),
            )
            return []
        rec = known(ctx.catalog.get(key), key)
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
        noun = "alignment " + KIND_NOUN[self.kind] if self.kind in CONCEPT_KINDS else KIND_NOUN[self.kind]
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
