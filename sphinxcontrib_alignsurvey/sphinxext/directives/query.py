"""``align:query`` (alias ``alignment-query``): a SPARQL SELECT rendered as a table.

Why: the one directive that runs SPARQL at read time.  Refused operations
and query errors become located warnings (``alignsurvey.query``), never a
crash; cells holding IRIs of known objects become cross-references.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ...core.namespaces import compact
from ...sparql.api import QueryError, QuerySyntaxError, Term
from ..domain import align_domain
from ..nodes import xref
from ..records import SectionRecord
from ..safety import refusal
from ..usage import LABEL
from ..warn import Subtype, warn


class QueryDirective(SphinxDirective):
    has_content = True
    required_arguments = 0
    optional_arguments = 0
    option_spec: ClassVar[dict] = {
        "file": directives.path,
        "columns": directives.unchanged,
        "limit": directives.nonnegative_int,
        "caption": directives.unchanged,
        "class": directives.class_option,
    }

    query_file: str | None = None

    def warn(self, message: str, subtype: Subtype = "query", location: str | None = None) -> list[nodes.Node]:
        warn(message, subtype, location or self.get_location())
        return []

    def syntax_location(self, exc: QuerySyntaxError) -> str | None:
        """``file:line`` of the query line the parser stopped at: the .rq file's, or the document's."""
        if exc.line is None:
            return None
        if self.query_file is not None:
            return f"{self.query_file}:{exc.line}"
        if not 0 < exc.line <= len(self.content):
            return None
        source, offset = self.content.info(exc.line - 1)  # docutils keeps each body line's origin
        first = self.content.info(0)[1]
        # reST gives offsets in the document; MyST counts from the body, which starts
        # after the fence and its options -- so only offsets past the directive are used
        if not source or offset is None or first is None or first < self.lineno:
            return None
        return f"{source}:{offset + 1}"

    def query_text(self) -> str | None:
        if "file" in self.options:
            if self.content:
                self.warn("give the query either in the body or with :file:, not both", "option")
                return None
            rel, path = self.env.relfn2path(self.options["file"])
            self.env.note_dependency(rel)
            self.query_file = path
            try:
                return Path(path).read_text(encoding="utf-8")
            except OSError as exc:
                self.warn(f"cannot read query file {self.options['file']}: {exc.strerror}")
                return None
        if not self.content:
            self.warn("alignment-query needs a SELECT query in its body or a :file: option", "option")
            return None
        return "\n".join(self.content)

    def run(self) -> list[nodes.Node]:
        query = self.query_text()
        if query is None:
            return []
        why = refusal(query)
        if why:
            return self.warn(f"query refused: {why}", "refused")
        domain = align_domain(self.env)
        state = domain.state
        domain.note_whole_graph()
        try:
            result = state.engine().select(query)
        except QuerySyntaxError as exc:
            where = self.syntax_location(exc)
            if where is not None:
                return self.warn(f"query syntax error at column {exc.column}: {exc.detail[:240]}", location=where)
            return self.warn(f"query {str(exc)[:240]}")
        except QueryError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return self.warn(f"query failed: {first[:240]}")
        columns = list(result.columns)
        if "columns" in self.options:
            wanted = [c.strip().lstrip("?$") for c in self.options["columns"].replace(",", " ").split()]
            missing = [c for c in wanted if c not in columns]
            if missing:
                self.warn(f"no column(s) {', '.join(missing)} in the result (it has {', '.join(columns)})", "option")
            columns = [c for c in wanted if c in columns]
        index = [result.columns.index(c) for c in columns]
        rows = result.rows
        if "limit" in self.options:
            rows = rows[: self.options["limit"]]
        return [self.table(columns, [[row[i] for i in index] for row in rows])]

    def cell(self, term: Term | None) -> nodes.Node:
        if term is None:
            return nodes.paragraph()
        if term.is_iri:
            ctx = align_domain(self.env).context()
            key = ctx.catalog.key_for_iri(term.value)
            if key is not None:
                rec = ctx.catalog.get(key)
                if isinstance(rec, SectionRecord):
                    ctx.domain.note_use(key, LABEL)
                    return nodes.paragraph("", rec.label)
                return nodes.paragraph("", "", xref(ctx, key))
            text = compact(term.value)
            if term.value.startswith(("http://", "https://")):
                return nodes.paragraph("", "", nodes.reference(text, text, refuri=term.value))
            return nodes.paragraph("", "", nodes.literal(text, text))
        return nodes.paragraph("", term.value)

    def table(self, columns: list[str], rows: list[list[Term | None]]) -> nodes.table:
        table = nodes.table(classes=["alignsurvey-query", *self.options.get("class", [])])
        self.set_source_info(table)
        if "caption" in self.options:
            table += nodes.title(self.options["caption"], self.options["caption"])
        group = nodes.tgroup(cols=max(len(columns), 1))
        table += group
        for _ in columns or [None]:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        hrow = nodes.row()
        for c in columns:
            hrow += nodes.entry("", nodes.paragraph("", c))
        head += hrow
        group += head
        body = nodes.tbody()
        for row in rows:
            r = nodes.row()
            for term in row:
                r += nodes.entry("", self.cell(term))
            body += r
        if not rows:
            r = nodes.row()
            r += nodes.entry("", nodes.paragraph("", "(no results)"), morecols=max(len(columns) - 1, 0))
            body += r
        group += body
        return table
