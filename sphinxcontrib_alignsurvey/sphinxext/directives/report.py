"""``alignment-citation-report``: a survey's citation findings as a table in the docs.

Why a directive: the same findings ``alignsurvey check`` prints, placed next
to the cards they concern, so a reader of the docs sees which works and
claims of a machine-written survey were flagged.  The Markdown files are read
at build time and noted as dependencies, so editing one rebuilds the page.

Usage::

   .. alignment-citation-report:: ../examples/surveys/survey-a.md ../examples/surveys/survey-b.md
      :kinds: citation-off-topic, claim-quantitative
      :metadata: my-library.bib
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ...core import namespaces as ns
from ...core.works import normalise
from ..domain import align_domain
from ..nodes import xref
from ..records import ObjectKey
from ..warn import warn

KINDS = (
    "citation-off-topic",
    "citation-unsupported",
    "citation-unverified",
    "citation-id-mismatch",
    "claim-quantitative",
)
COLUMNS = (("Where", 14), ("Finding", 14), ("Work", 28), ("Score", 6), ("Message", 48))


def _kinds(value: str) -> tuple[str, ...]:
    chosen = tuple(k.strip() for k in value.replace(",", " ").split() if k.strip())
    for k in chosen:
        directives.choice(k, KINDS)
    return chosen


def _cell(*children: nodes.Node | str) -> nodes.entry:
    para = nodes.paragraph()
    for child in children:
        para += nodes.Text(child) if isinstance(child, str) else child
    return nodes.entry("", para)


class CitationReport(SphinxDirective):
    has_content = False
    required_arguments = 1
    optional_arguments = 63
    final_argument_whitespace = False
    option_spec: ClassVar[dict] = {
        "kinds": _kinds,
        "metadata": directives.unchanged_required,
        "class": directives.class_option,
    }

    def warn(self, message: str) -> None:
        warn(message, "option", self.get_location())

    def run(self) -> list[nodes.Node]:
        from ...bibtex import MetadataError, OverlayError
        from ...bibtex.verified import verified_identifiers, verified_titles
        from ...check import check_surveys
        from ...links.vocabulary import load_vocabulary
        from ...reader import read_surveys

        paths = []
        for arg in self.arguments:
            rel, path = self.env.relfn2path(arg)
            self.env.note_dependency(rel)
            paths.append(Path(path))
        overlays = []
        if "metadata" in self.options:
            rel, path = self.env.relfn2path(self.options["metadata"])
            self.env.note_dependency(rel)
            overlays.append(path)
        surveys, failures = read_surveys(paths)
        for failure in failures:
            self.warn(failure.format())
        try:
            verified = verified_titles(overlays)
            identifiers = verified_identifiers(overlays)
        except (MetadataError, OverlayError) as exc:
            self.warn(f"{exc.path}:{exc.line}: {exc.message}")
            verified, identifiers = None, None
        findings = check_surveys(surveys, load_vocabulary(), verified, identifiers=identifiers)
        kinds = self.options.get("kinds") or KINDS
        findings = [f for f in findings if f.kind.value in kinds]
        names = {s.id: Path(s.path).name for s in surveys}
        summary = Counter(f.kind.value for f in findings)
        intro = nodes.paragraph()
        intro += nodes.Text(
            f"{len(findings)} finding(s) in {len(surveys)} survey(s): "
            + (", ".join(f"{summary[k]} {k}" for k in kinds if summary[k]) or "none")
            + "."
        )
        if not findings:
            return [intro]
        table = nodes.table(classes=["alignsurvey-citation-report", *self.options.get("class", [])])
        group = nodes.tgroup(cols=len(COLUMNS))
        table += group
        for _, width in COLUMNS:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        row = nodes.row()
        for title, _ in COLUMNS:
            row += _cell(title)
        head += row
        group += head
        body = nodes.tbody()
        for f in findings:
            row = nodes.row(classes=[f"alignsurvey-{f.severity.value}"])
            row += _cell(self._where(f.survey, names[f.survey], f.line))
            row += _cell(f"{f.kind.value} ({f.severity.value})")
            row += _cell(*self._work(surveys, f))
            row += _cell("" if f.score is None else f"{f.score:.2f}")
            row += _cell(f.message)
            body += row
        group += body
        return [intro, table]

    def _where(self, survey: str, name: str, line: int) -> nodes.Node:
        """``file.md:line``, linked to the survey's card when the docs have one."""
        text = f"{name}:{line}"
        return self._xref(ObjectKey("survey", survey), text)

    def _work(self, surveys, f) -> list[nodes.Node | str]:
        if f.reference is None:
            return [""]
        survey = next(s for s in surveys if s.id == f.survey)
        ref = survey.reference(f.reference)
        if ref is None:
            return [f"[{f.reference}]"]
        key = align_domain(self.env).catalog.key_for_iri(ns.work_iri(normalise(ref.title)).value)
        return [f"[{f.reference}] ", self._xref(key, ref.title) if key else nodes.Text(ref.title)]

    def _xref(self, key: ObjectKey, text: str) -> nodes.Node:
        """A reference to the card of *key* if the graph knows it, else the plain text."""
        ctx = align_domain(self.env).context()
        if ctx.catalog.get(key) is None:
            return nodes.Text(text)
        return xref(ctx, key, text)
