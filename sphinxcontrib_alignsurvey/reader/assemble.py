"""Walk the blocks of one survey and build the :class:`~..model.Survey`.

This is where document structure is decided: the title, the section tree,
which paragraphs are content and which are generator leftovers, and where
the References list starts and ends.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..core.diagnostics import Diagnostic, Severity, excerpt
from ..core.model import Citation, Reference, Section, Sentence
from . import citations, leftovers, quoted, sentences
from .blocks import Block, Heading, MathBlock, Overflow, Paragraph, Separator, parse_blocks
from .references import REFERENCE_LINE, REFERENCES_HEADING, clean_title, split_url

SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_SLUG = re.compile(r"[^a-z0-9]+")
_OPEN_NUMBER = re.compile(r"\[\s*\d")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "section"


@dataclass
class Builder:
    path: str
    title: str = ""
    title_line: int = 0
    sections: list[Section] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pending: list[tuple[Paragraph, str | None, int]] = field(default_factory=list)
    references_line: int = 0

    def warn(self, line: int, kind: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, kind, message, Severity.WARNING))

    def error(self, line: int, kind: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, kind, message, Severity.ERROR))


def _section_from(heading: Heading, stack: list[Section], keys: dict[str, int], b: Builder) -> Section:
    match = SECTION_NUMBER.match(heading.text)
    if match:
        number, title = match.group(1), match.group(2).strip()
        depth = number.count(".") + 2  # "3" sits under "##", "3.4" under "###"
        if depth != heading.level:
            b.warn(
                heading.line,
                "section-level",
                f"section {excerpt(number)[1:-1]} is a level-{heading.level} heading; "
                f"its number suggests level {depth}",
            )
    else:
        number, title = None, heading.text
        b.warn(heading.line, "section-unnumbered", f"heading {excerpt(heading.text)} has no section number")
    key = number or slug(title)
    # keys maps a key to the next suffix to try: a number or a slug never
    # holds "~", so "key~n" can only come from here and counting replaces the
    # search for a free suffix (quadratic when one title repeats n times)
    if key in keys:
        suffix = keys[key]
        keys[key] = suffix + 1
        shown = excerpt(key)[1:-1]
        b.warn(heading.line, "section-duplicate", f"section {shown} appears twice; this one is keyed {shown}~{suffix}")
        key = f"{key}~{suffix}"
    else:
        keys[key] = 2
    while stack and stack[-1].level >= heading.level:
        stack.pop()
    parent = stack[-1].key if stack else None
    return Section(key=key, number=number, title=title, level=heading.level, line=heading.line, parent=parent)


def _read_references(para: Paragraph, lines: list[str], b: Builder) -> None:
    first, last = para.source_lines
    for offset, raw in enumerate(lines[first:last]):
        lineno = first + offset + 1
        match = REFERENCE_LINE.match(raw)
        if not match:
            if raw.strip():
                b.warn(lineno, "reference-unparsed", f"line in References is not '[n] Title': {raw.strip()[:80]!r}")
            continue
        printed = match.group(2).rstrip("\n")
        without_url, url = split_url(printed)
        title = clean_title(without_url)
        if not title:
            only = f" (only the URL {url[:80]!r})" if url else ""
            b.error(lineno, "reference-empty", f"reference [{match.group(1)}] has no title{only}")
        b.references.append(Reference(number=int(match.group(1)), printed=printed, title=title, line=lineno, url=url))


def build(text: str, path: str) -> Builder:
    """First pass: structure, references and content paragraphs."""
    b = Builder(path=path)
    lines = text.split("\n")
    blocks: list[Block] = parse_blocks(text)
    stack: list[Section] = []
    keys: dict[str, int] = {}
    current: str | None = None
    in_references = False
    in_changes = False
    paragraph_index = 0
    for block in blocks:
        if isinstance(block, Heading):
            in_changes = False
            if block.level == 1 and not b.title:
                b.title, b.title_line = block.text, block.line
                continue
            if block.level == 1:
                b.warn(block.line, "title-duplicate", f"second document title {excerpt(block.text)} read as a section")
            if REFERENCES_HEADING.match(block.text):
                if b.references_line:
                    b.error(
                        block.line,
                        "references-twice",
                        f"a second References section; the first starts at line {b.references_line}",
                    )
                else:
                    b.references_line = block.line
                in_references = True
                continue
            in_references = False
            section = _section_from(block, stack, keys, b)
            b.sections.append(section)
            stack.append(section)
            current = section.key
            continue
        if isinstance(block, Overflow):
            b.error(
                block.line,
                "nesting-too-deep",
                f"lists or quotes nested too deeply; lines {block.line}-{block.end} were not read",
            )
            continue
        if isinstance(block, Separator):
            b.warn(block.line, "leftover-separator", "stray '---' separator ignored")
            continue
        if isinstance(block, MathBlock):
            found, _ = citations.find(block.text)
            if found:
                b.warn(
                    block.line,
                    "math-bracket",
                    f"bracketed number {excerpt(found[0].text, 40)[1:-1]} "
                    "inside display math is not read as a citation",
                )
            continue
        if in_references:
            _read_references(block, lines, b)
            continue
        if in_changes:  # the rest of a "Changes made:" block, reported at its start
            continue
        kind = leftovers.classify(block.text)
        if kind == "leftover-changes":
            in_changes = True
            b.warn(block.line, kind, "generator's 'Changes made:' block ignored up to the next heading")
            continue
        if kind:
            b.warn(block.line, kind, f"generator leftover ignored: {block.text.strip()[:70]!r}")
            continue
        b.pending.append((block, current, paragraph_index))
        paragraph_index += 1
    return b


def split_paragraphs(b: Builder, index: quoted.TitleIndex) -> None:
    """Second pass: sentences, citations and quoted works (needs the references)."""
    counter = 0
    # ranges may add about one number per character of prose; beyond that they are read as their ends
    budget = citations.Budget(max(citations.MIN_BUDGET, sum(len(para.text) for para, _, _ in b.pending)))
    for para, section, paragraph_index in b.pending:
        spans = _union(para.math)
        first = 0  # math spans ending at or before this sentence are behind us for good
        for start, end in sentences.split(para.text, para.hard_breaks, para.math):
            text = para.text[start:end]
            while first < len(spans) and spans[first][1] <= start:
                first += 1
            math = []
            k = first
            # sorted and disjoint: stop at the first span past this sentence
            while k < len(spans) and spans[k][0] < end:
                s, e = spans[k]
                if start < e:
                    math.append((s - start, e - start))
                k += 1
            line = para.line_at(start)
            found: list[Citation] = []
            if "[" in text:  # a citation, or a bracket in math, needs one
                found, problems = citations.find(text, math, budget)
                for problem in problems:
                    b.warn(line, problem.kind, problem.message)
                for s, e in math:
                    inside, _ = citations.find(text[max(s, 0) : e])
                    if inside:
                        b.warn(
                            line,
                            "math-bracket",
                            f"bracketed number {excerpt(inside[0].text, 40)[1:-1]} inside math is not a citation",
                        )
            works = quoted.find(text, index) if ('"' in text or "“" in text) else []
            b.sentences.append(
                Sentence(
                    index=counter,
                    text=text,
                    line=line,
                    section=section,
                    paragraph=paragraph_index,
                    citations=tuple(found),
                    quoted=tuple(works),
                )
            )
            counter += 1
        _unterminated(para, b)


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same text (TeX math may hold ``$...$`` math)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _unterminated(para: Paragraph, b: Builder) -> None:
    """One warning per paragraph for '[' + number never closed, counting the rest.

    Why per paragraph: a paragraph of "[1 [1 [1 ..." would otherwise give one
    identical line per bracket.
    """
    if "[" not in para.text:
        return
    spans = sentences.protected_spans(para.text)
    starts = [s for s, _ in spans]
    open_at: list[int] = []
    for match in _OPEN_NUMBER.finditer(para.text):
        # spans are sorted and disjoint: only the last one starting at or
        # before this '[' can contain it (a linear scan was quadratic)
        k = bisect.bisect_right(starts, match.start()) - 1
        if k < 0 or not spans[k][0] <= match.start() < spans[k][1]:
            open_at.append(match.start())
    if not open_at:
        return
    first = open_at[0]
    more = f" (and {len(open_at) - 1} more in this paragraph)" if len(open_at) > 1 else ""
    b.warn(
        para.line_at(first),
        "citation-unterminated",
        f"'[' at {para.text[first : first + 12]!r} is never closed; not read as a citation{more}",
    )
