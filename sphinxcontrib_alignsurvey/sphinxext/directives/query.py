"""``align:query`` (alias ``alignment-query``): a SPARQL SELECT rendered as a table.

Why: the one directive that runs SPARQL at read time.  Refused operations
and query errors become located warnings (``alignsurvey.query``), never a
crash; cells holding IRIs of known objects become cross-references.

Documentation sources are not always trusted, so every query has a deadline
and a memory ceiling (the engine's worker process is killed past either; see
``sparql.evaluator``), and ``:limit:`` goes into the query so the engine stops
after that many rows instead of building them all.  The limits are
:data:`QUERY_TIMEOUT` and :data:`QUERY_MEMORY_LIMIT`, or the config values
``alignsurvey_query_timeout`` / ``alignsurvey_query_memory_limit`` once the
extension registers them.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ...core.namespaces import compact
from ...links.confidence import DEFAULT_MIN_CONFIDENCE
from ...sparql.api import QueryError, QuerySyntaxError, Term
from ...sparql.safety import inspect
from ..domain import align_domain
from ..nodes import xref
from ..query_hints import syntax_hint
from ..records import SectionRecord
from ..safety import refusal
from ..usage import LABEL
from ..warn import Subtype, warn
from .card import confidence
from .card_body import flag_node

#: The variable the bundled queries read their minimum confidence from (``COALESCE(?minConfidence, 0.7)``).
MIN_CONFIDENCE_VARIABLE = "minConfidence"
#: Widest column (in characters) a text table gets before its cells wrap, and the widest table.
MAX_COLUMN_WIDTH = 40
MAX_TABLE_WIDTH = 100

QUERY_TIMEOUT = 60.0  # s per align:query, unless alignsurvey_query_timeout says otherwise
QUERY_MEMORY_LIMIT = 1024.0  # MB one query may allocate beyond the loaded graph (alignsurvey_query_memory_limit)


class QueryDirective(SphinxDirective):
    has_content = True
    required_arguments = 0
    optional_arguments = 0
    option_spec: ClassVar[dict] = {
        "file": directives.path,
        "columns": directives.unchanged,
        "limit": directives.nonnegative_int,
        "min-confidence": confidence,
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
        engine = state.engine().with_policy(
            timeout=self.config.alignsurvey_query_timeout, memory_limit=self.config.alignsurvey_query_memory_limit
        )
        try:
            bindings = self.bindings(query, engine)
            result = engine.select(query, bindings or None, limit=self.options.get("limit"))
        except QuerySyntaxError as exc:
            hint = syntax_hint(query)
            said, most = (f"{hint}; the parser says: ", 120) if hint else ("", 240)
            where = self.syntax_location(exc)
            if where is not None:
                return self.warn(
                    f"query syntax error at column {exc.column}: {said}{exc.detail[:most]}", location=where
                )
            return self.warn(f"query syntax error: {said}{str(exc).removeprefix('syntax error: ')[:most]}")
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

    def bindings(self, query: str, engine) -> dict[str, Term]:
        """``?minConfidence`` from ``:min-confidence:`` or the project's setting, when the query reads it.

        Why only then: the bundled queries default to the converter's minimum in the query text
        itself; a project setting equal to it changes nothing, so it is not bound.
        """
        wanted = self.options.get("min-confidence")
        if wanted is None and self.config.alignsurvey_min_confidence != DEFAULT_MIN_CONFIDENCE:
            wanted = self.config.alignsurvey_min_confidence
        if wanted is None:
            return {}
        if MIN_CONFIDENCE_VARIABLE not in inspect(query).variables:
            if "min-confidence" in self.options:
                self.warn(
                    f":min-confidence: does nothing here: the query has no ?{MIN_CONFIDENCE_VARIABLE} variable to bind",
                    "option",
                )
            return {}
        return engine.bind([f"{MIN_CONFIDENCE_VARIABLE}={float(wanted)}"])

    def cell(self, term: Term | None) -> nodes.Node:
        if term is None:
            return nodes.paragraph()
        ctx = align_domain(self.env).context()
        if not term.is_iri:
            p = nodes.paragraph("", term.value)
            flag = flag_node(ctx.catalog.flagged_sentence(term.value)) if len(term.value) > 20 else None
            if flag is not None:  # a sentence the citation check flagged
                p += nodes.Text(" ")
                p += flag
            return p
        key = ctx.catalog.key_for_iri(term.value)
        if key is not None:
            rec = ctx.catalog.get(key)
            if isinstance(rec, SectionRecord):
                ctx.domain.note_use(key, LABEL)
                return nodes.paragraph("", rec.label)
            return nodes.paragraph("", "", xref(ctx, key))
        text = compact(term.value)
        if term.value.startswith(("http://", "https://")):
            p = nodes.paragraph("", "", nodes.reference(text, text, refuri=term.value))
        else:
            p = nodes.paragraph("", "", nodes.literal(text, text))
        flag = flag_node(ctx.catalog.sentences.get(term.value))
        if flag is not None:  # an evidence sentence the citation check flagged
            p += nodes.Text(" ")
            p += flag
        return p

    def table(self, columns: list[str], rows: list[list[Term | None]]) -> nodes.table:
        table = nodes.table(classes=["alignsurvey-query", *self.options.get("class", [])])
        self.set_source_info(table)
        if "caption" in self.options:
            inodes, _messages = self.parse_inline(self.options["caption"], lineno=self.lineno)
            table += nodes.title(self.options["caption"], "", *inodes)
        group = nodes.tgroup(cols=max(len(columns), 1))
        table += group
        cells = [[self.cell(term) for term in row] for row in rows]
        for width in column_widths(columns, cells):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        hrow = nodes.row()
        for c in columns:
            hrow += nodes.entry("", nodes.paragraph("", c))
        head += hrow
        group += head
        body = nodes.tbody()
        for row in cells:
            r = nodes.row()
            for cell in row:
                r += nodes.entry("", cell)
            body += r
        if not rows:
            r = nodes.row()
            r += nodes.entry("", nodes.paragraph("", "(no results)"), morecols=max(len(columns) - 1, 0))
            body += r
        group += body
        return table


def column_widths(columns: list[str], cells: list[list[nodes.Node]]) -> list[int]:
    """Widths in characters from the content: what the text builder lays the table out with.

    Why: a colspec width of 1 made every word one letter per line in text output.  Each column
    gets the width of its longest header or cell, at most :data:`MAX_COLUMN_WIDTH`; a table wider
    than :data:`MAX_TABLE_WIDTH` gives up width from its widest columns first, never below the
    longest word of a column (a word cannot wrap), so no word is split.  HTML and LaTeX lay
    tables out themselves and do not read these widths.
    """
    if not columns:
        return [1]
    need = [len(c) for c in columns]
    word = [max((len(w) for w in c.split()), default=1) for c in columns]
    for row in cells:
        for i, cell in enumerate(row):
            text = cell.astext()
            need[i] = max(need[i], len(text))
            word[i] = max(word[i], max((len(w) for w in text.split()), default=1))
    widths = [max(min(n, MAX_COLUMN_WIDTH), w, 1) for n, w in zip(need, word, strict=True)]
    while sum(widths) + 3 * len(widths) > MAX_TABLE_WIDTH:
        i = max(range(len(widths)), key=lambda k: widths[k] - word[k])
        if widths[i] <= word[i]:
            break
        widths[i] -= 1
    return widths
