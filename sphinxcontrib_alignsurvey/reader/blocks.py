"""Markdown to a flat list of blocks with plain text and source lines.

markdown-it-py does the Markdown work (emphasis, escapes, lists, ``$$`` math
via mdit-py-plugins); this module only flattens its token stream into what
the survey reader needs: headings, paragraphs as plain text that remember
which source line each character came from, and math and separators that
must never be read as prose.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

from . import inert


@dataclass(slots=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(slots=True)
class Paragraph:
    """Plain text of one paragraph (or list item) with its source geography.

    ``breaks`` are offsets where a new source line starts; ``hard_breaks``
    are offsets of explicit line breaks (two trailing spaces), which always
    end a sentence; ``math`` are ``(start, end)`` spans of inline math.
    """

    text: str
    line: int
    breaks: list[int] = field(default_factory=list)
    hard_breaks: list[int] = field(default_factory=list)
    math: list[tuple[int, int]] = field(default_factory=list)
    source_lines: tuple[int, int] = (0, 0)

    def line_at(self, offset: int) -> int:
        return self.line + bisect.bisect_right(self.breaks, offset)


@dataclass(slots=True)
class MathBlock:
    text: str
    line: int


@dataclass(slots=True)
class Separator:
    line: int


@dataclass(slots=True)
class Overflow:
    """Source lines markdown-it did not parse: nesting beyond ``maxNesting``.

    markdown-it silently drops everything inside a container nested deeper
    than its limit (and a deep list may extend to the end of the file), so
    the reader must say so instead of losing the References list quietly.
    """

    line: int
    end: int


Block = Heading | Paragraph | MathBlock | Separator | Overflow


def configured() -> MarkdownIt:
    """A new parser with the reader's rules, before :func:`.inert.install` guards them (tests compare the two)."""
    md = MarkdownIt("commonmark", {"html": True})
    md.use(dollarmath_plugin, allow_space=True, double_inline=True)
    # Link reference definitions would swallow lines such as "[1]: Title";
    # survey text has no links to define, so keep those lines as text.
    md.disable("reference")
    # Keep escapes as their own tokens so TeX's \( \) and \[ \] delimiters
    # stay visible to _flatten (text_join would merge them into plain text).
    md.disable("text_join")
    return md


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = configured()
    inert.install(md)
    return md


_TEX_OPEN = {"\\(": "\\)", "\\[": "\\]"}


def _flatten(inline: Token, first_line: int) -> Paragraph:
    children = inline.children or ()
    if len(children) == 1 and children[0].type == "text":  # plain text: most headings, many paragraphs
        return Paragraph(text=children[0].content, line=first_line)
    parts: list[str] = []
    length = 0
    para = Paragraph(text="", line=first_line)
    tex: tuple[str, int] | None = None  # closing delimiter and start of open TeX math
    for child in children:
        kind = child.type
        if kind == "text_special" and child.info == "escape" and (child.markup in _TEX_OPEN or tex):
            # TeX math written as \( ... \) or \[ ... \]: keep the delimiters
            # and protect the span like $...$ math, so "\left[41]" is no citation
            piece = child.markup
            if tex is None:
                tex = (_TEX_OPEN[piece], length)
            elif piece == tex[0]:
                para.math.append((tex[1], length + len(piece)))
                tex = None
        elif kind in ("text", "text_special", "code_inline", "html_inline"):
            piece = child.content
        elif kind == "softbreak":
            piece = " "
            para.breaks.append(length + 1)
        elif kind == "hardbreak":
            piece = " "
            para.breaks.append(length + 1)
            para.hard_breaks.append(length)
        elif kind == "math_inline":
            piece = f"${child.content}$"
            para.math.append((length, length + len(piece)))
        elif kind == "math_inline_double":
            piece = f"$${child.content}$$"
            para.math.append((length, length + len(piece)))
        elif kind == "image":
            piece = child.content
        else:  # emphasis and link markers carry no text of their own
            continue
        parts.append(piece)
        length += len(piece)
    para.text = "".join(parts)
    return para


def parse_blocks(text: str) -> list[Block]:
    """Flatten a Markdown document into blocks in source order."""
    md = _parser()
    limit = md.options["maxNesting"] - 1
    tokens = md.parse(text)
    blocks: list[Block] = []
    overflow_end = -1
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.type
        line = (tok.map[0] + 1) if tok.map else 0
        if tok.nesting == 1 and tok.level >= limit and tok.map and tok.map[0] >= overflow_end:
            # the block parser refuses to enter this container: its lines are lost
            blocks.append(Overflow(line=line, end=tok.map[1]))
            overflow_end = tok.map[1]
        if kind == "heading_open":
            inline = tokens[i + 1]
            blocks.append(Heading(level=int(tok.tag[1:]), text=_flatten(inline, line).text.strip(), line=line))
            i += 3
            continue
        if kind == "paragraph_open":
            inline = tokens[i + 1]
            raw = inline.content.strip()
            if raw.startswith("\\[") and raw.endswith("\\]"):  # TeX display math
                blocks.append(MathBlock(text=raw[2:-2], line=line))
                i += 3
                continue
            para = _flatten(inline, line)
            para.source_lines = (tok.map[0], tok.map[1]) if tok.map else (0, 0)
            blocks.append(para)
            i += 3
            continue
        if kind in ("math_block", "math_block_label"):
            blocks.append(MathBlock(text=tok.content, line=line))
        elif kind == "hr":
            blocks.append(Separator(line=line))
        i += 1
    return blocks
