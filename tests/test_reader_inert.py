"""The guarded markdown-it rules give the reader what the plain rules give (reader/inert.py).

Why compare with markdown-it itself: the guards skip rules where cheap
conditions say they cannot match, and a condition that is wrong would change
what the reader reads without any error.  So a parser built the same way but
without the guards is the reference, on hand-picked Markdown that sits right
at each condition's edge and on generated Markdown made of every character a
rule reacts to.  Compared is what ``blocks`` takes from the tokens: every
block token, and inside each paragraph the text between non-text tokens
(markdown-it splits text tokens differently when fewer rules are tried).
"""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from sphinxcontrib_alignsurvey.reader import blocks, inert


@lru_cache(maxsize=1)
def plain_parser() -> MarkdownIt:
    """The reader's parser as it is configured in ``blocks._parser``, without the guards."""
    return blocks.configured()


def _fields(token: Token) -> tuple:
    return (token.type, token.tag, token.nesting, token.level, token.map, token.markup, token.info, token.content)


def _children(token: Token) -> list[tuple]:
    """Inline children with runs of text tokens joined: their split is no part of the result."""
    out: list[tuple] = []
    for child in token.children or ():
        if child.type == "text" and out and out[-1][0] == "text":
            out[-1] = ("text", out[-1][1] + child.content)
        elif child.type == "text":
            out.append(("text", child.content))
        else:
            out.append(_fields(child))
    return out


def outline(md: MarkdownIt, text: str) -> list[tuple]:
    return [(_fields(token), _children(token)) for token in md.parse(text)]


def same_as_plain(text: str) -> None:
    assert outline(blocks._parser(), text) == outline(plain_parser(), text)
    assert blocks.parse_blocks(text) == _plain_blocks(text)


def _plain_blocks(text: str) -> list[blocks.Block]:
    saved = blocks._parser
    blocks._parser = plain_parser  # type: ignore[assignment]
    try:
        return blocks.parse_blocks(text)
    finally:
        blocks._parser = saved  # type: ignore[assignment]


# each case sits at the edge of one condition: the rule can fire, or only just cannot
EDGES = [
    "a *b* c",
    "*a _b *c _d",  # no closer: emphasis inert
    "a* b",  # a closer with no opener
    "x *a\u00a0* y",  # no-break space is markdown-it white space: still no closer
    "x *a\x1c* y",  # U+001C is not: a closer
    "**strong** and __strong__ and a__b__c",
    "[a](b) and [c](",
    "[a](",
    "[a] (b)",
    "[1 [1 [1 [31m",
    "![alt *x*](u) text",
    "! [a](b)",
    "[a [b] c](d) e]",
    "[a`]`](b) `c",
    "one ` backtick and [x](y)",
    "`code` and ``co`de`` and ```",
    "$x$ and $$y$$ and $",
    "\\$5 and $6",
    "&amp; &#35; &#x41; &bogus; & alone",
    "a & b ; c",
    "<b>bold</b> <http://x.org> < and >",
    "a < b",
    "line one  \nline two\\\nthree\nfour",
    "\\[x\\] \\(y\\) \\* \\_ \\[",
    "#, %, +, -, :, =, >, @, ^, {, }, ~ ]] ((",
    "(" * 50 + "]" * 50,
    "# Heading *with* [link](u)\n\n## 1 Plain heading\n\nSame Title",
    "> quote *a*\n> more\n\n- item [1]\n- item\n\n1. one\n2) two\n\n---\n\n***\n\n___\n",
    "```\nfenced *not*\n```\n\n~~~\nalso\n~~~\n\n    indented code\n",
    "<div>\nhtml block\n</div>\n\n<!-- comment -->\n\ntext after",
    "$$\nx^2\n$$\n\n$$ y $$ (label)\n",
    "Title\n=====\n\nSub\n---\n",
    "para\n# heading interrupts\npara\n> quote interrupts\npara\n- list interrupts\n1. only one\n2. not two",
    "- a\n  - b\n    - c\n\n      para in item\n\n  back\n",
    "> > > deep\n> > back\n",
    "*a\n*b\n_c\n",
    "+ x\n\n+\n\n* y\n\n-z\n\n1.x\n",
    # one-line paragraphs (the fast path) and the lines it must leave alone
    "A\n\nB\n\n\n\nC",
    "  two spaces\n\n   three\n\n    four: code\n\n\tand a tab\n",
    "a line\nunder it\n\nTitle\n===\n\nx\n---\n",
    "- item\n\n  one line in the item\n\n- next\n\n  2. inner\n",
    "> a\n>\n> b\n\n> lazy\ncontinued\n\n>\n",
    "x \u00a0\n\n\u00a0 nbsp first\n\n\u3000ideographic space\n",
    "[1] a reference\n\n\\[x\\]\n\n=\n\n|a|b|\n",
]


@pytest.mark.parametrize("text", EDGES)
def test_guarded_parser_reads_edges_as_markdown_it_does(text):
    same_as_plain(text)


PIECES = [
    "a",
    "word",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\u00a0",
    "\x1c",
    "*",
    "**",
    "_",
    "[",
    "]",
    "(",
    ")",
    "](",
    "!",
    "<",
    ">",
    "&",
    ";",
    "&amp;",
    "`",
    "$",
    "$$",
    "\\",
    "#",
    "## ",
    "- ",
    "+ ",
    "1. ",
    "2) ",
    "> ",
    "    ",
    "---",
    "```",
    "~~~",
    "<div>",
    "<!--",
    "-->",
    "<a href='x'>",
    "[1]",
    '"',
    ".",
    "é",
    "综",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_guarded_parser_reads_generated_markdown_as_markdown_it_does(text):
    same_as_plain(text)


def test_live_characters_follow_the_rules():
    assert inert.live_characters("plain text, no rules") == {"\n", "\\"}
    assert "*" not in inert.live_characters("*a *b")
    assert "*" in inert.live_characters("*a* b")
    assert "[" not in inert.live_characters("[a](") and "[" in inert.live_characters("[a](b)")
    assert "`" not in inert.live_characters("one `") and "`" in inert.live_characters("`a`")
    assert "&" not in inert.live_characters("a & b") and "&" in inert.live_characters("&amp;")
    assert "<" not in inert.live_characters("a > b < c") and "<" in inert.live_characters("<b>")


def test_install_refuses_rules_it_has_no_conditions_for():
    md = MarkdownIt("commonmark").enable("strikethrough")
    with pytest.raises(ValueError, match="strikethrough"):
        inert.install(md)
    md = MarkdownIt("commonmark").enable("table")
    with pytest.raises(ValueError, match="table"):
        inert.install(md)


def test_guarded_block_rules_keep_their_chains():
    """A block rule that may end a paragraph, a quote or a list still may (``Ruler.at`` drops that)."""
    guarded, plain = blocks._parser().block.ruler, plain_parser().block.ruler
    for chain in ("", "paragraph", "reference", "blockquote", "list"):
        unwrapped = [getattr(rule, "__wrapped__", rule).__qualname__ for rule in guarded.getRules(chain)]
        if chain == "":  # the one-line fast path is tried first, and only in the main chain
            assert unwrapped.pop(0) == "one_line_paragraph"
        assert unwrapped == [rule.__qualname__ for rule in plain.getRules(chain)], chain
