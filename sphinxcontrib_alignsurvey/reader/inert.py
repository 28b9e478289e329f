"""markdown-it rules skipped where they provably cannot match (same tokens' text, less work).

Why: markdown-it-py stops its ``text`` rule at every character some inline
rule might start at ("[", "]", "*", "_", "!", "#", ...) and then tries each
rule there in turn.  In a paragraph of a million "]" or of "*a _b" that never
closes, nearly all of the parse is rules failing one character at a time.
Which rules can fire at all is decided once per paragraph from cheap
necessary conditions (an emphasis closer exists, an inline link "](...)"
exists, a second "$" exists, ...); every character whose rules cannot fire is
then consumed as plain text, exactly as markdown-it's fall-back would have
appended it.  The text the reader takes from the tokens, and every
non-text token, stay the same (tests/test_reader_inert.py compares them).

Block rules likewise: markdown-it tries every block rule in turn on the
first line of every block, and all but three of them give up at once unless
that line starts with their marker ("#", ">", "<", a list bullet...); on a
survey of many small blocks those failing calls were a third of the parse.

The conditions know the rules of the parser built in ``blocks._parser``;
:func:`install` refuses a parser with other rules enabled.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, MutableMapping
from functools import lru_cache, wraps
from typing import Any

import markdown_it.common.utils as _md_utils
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as image_rule
from markdown_it.rules_inline.link import link as link_rule
from markdown_it.token import Token

# the paragraph rule's trim: CommonMark's white space since markdown-it-py 4, Python's before
_trim: Callable[[str], str] = getattr(_md_utils, "mdTrim", str.strip)

InlineRule = Callable[[StateInline, bool], bool]
BlockRule = Callable[[StateBlock, int, int, bool], bool]

# the inline rules whose trigger characters the conditions below know
KNOWN_RULES = frozenset(
    {
        "text",
        "newline",
        "escape",
        "backticks",
        "emphasis",
        "link",
        "image",
        "autolink",
        "html_inline",
        "entity",
        "math_inline",  # mdit-py-plugins' dollarmath: "$...$" and "$$...$$"
    }
)

# block rules that fail unless a block's first line starts (after indentation) with one of these;
# "code", "lheading" and "paragraph" can match any line and are always tried
BLOCK_MARKERS: dict[str, frozenset[str]] = {
    "math_block": frozenset("$"),
    "fence": frozenset("`~"),
    "blockquote": frozenset(">"),
    "hr": frozenset("*-_"),
    "list": frozenset("*-+0123456789"),
    "html_block": frozenset("<"),
    "heading": frozenset("#"),
}
ALWAYS_TRIED = frozenset({"code", "lheading", "paragraph"})
_CHAINS = ("paragraph", "reference", "blockquote", "list")  # the rules that ask others whether a line ends them

# markdown-it's default terminators: the fast path for text that holds none
_ANY_TERMINATOR = re.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~]")
# markdown-it's isWhiteSpace: a delimiter run after one of these cannot close emphasis
_MD_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
_CLOSER = {
    "*": re.compile(rf"[^{_MD_SPACE}*]\*"),
    "_": re.compile(rf"[^{_MD_SPACE}_]_"),
}
_INLINE_LINK = "]("
_BUFFERED = hasattr(StateInline, "append_pending")  # newer markdown-it-py buffers pending text
_LIVE_KEY = "alignsurvey_live_terminators"
_LINK_KEY = "alignsurvey_link_marks"


def live_characters(src: str) -> frozenset[str]:
    """Characters of *src* at which some enabled inline rule could produce a token.

    Each condition is necessary for its rule to do more than keep the
    character as text: a newline or a backslash always may; emphasis needs a
    run that can close (one not preceded by whitespace); a link or image an
    inline "](" with a ")" after it (reference definitions are disabled);
    a code span two backticks; inline math two "$"; an entity a ";"; an
    autolink or HTML tag a ">" after a "<".
    """
    live = {"\n", "\\"}
    for mark, closer in _CLOSER.items():
        if mark in src and closer.search(src):
            live.add(mark)
    link = src.find(_INLINE_LINK)
    if link != -1 and src.rfind(")") > link + 1:
        live.update("[]!")
    if src.count("`") > 1:
        live.add("`")
    if src.count("$") > 1:
        live.add("$")
    if ";" in src:
        live.add("&")
    opening = src.find("<")
    if opening != -1 and src.find(">", opening) != -1:
        live.add("<")
    return frozenset(live)


@lru_cache(maxsize=256)
def _stop_at(live: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(sorted(live))) + "]")


def _stops(src: str, env: MutableMapping[str, Any]) -> re.Pattern[str]:
    """The pattern of *src*'s live characters, made once per paragraph of one parse."""
    cache = env.setdefault(_LIVE_KEY, {})
    found = cache.get(src)
    if found is None:
        found = cache[src] = _stop_at(live_characters(src))
    return found


def text(state: StateInline, silent: bool) -> bool:
    """markdown-it's ``text`` rule, stopping only where a rule can fire."""
    start, end = state.pos, state.posMax
    stop = _stops(state.src, state.env).search(state.src, start, end)
    pos = stop.start() if stop else end
    if pos == start:
        return False
    if not silent:
        if _BUFFERED:
            state.append_pending(state.src[start:pos])
        else:  # pragma: no cover - markdown-it-py without the buffer
            state.pending += state.src[start:pos]
    state.pos = pos
    return True


def link_guard(rule: InlineRule) -> InlineRule:
    """*rule* (link or image), tried only where an inline link could still follow.

    Why: markdown-it scans a link label to its end, through every nested '['
    (up to its nesting limit), for each '[' it meets, so a paragraph of
    "[1 [1 [1 ..." or "[31m" escape remnants costs twenty scans per bracket.
    With link reference definitions disabled, a link or image can only be an
    inline one, which needs a "](" after its '[' and a ')' after that; when
    the paragraph has none, the answer is known without the scan.
    """

    @wraps(rule)
    def guarded(state: StateInline, silent: bool) -> bool:
        marks = state.env.setdefault(_LINK_KEY, {})
        src = state.src
        found = marks.get(src)
        if found is None:
            opens, start = [], src.find(_INLINE_LINK)
            while start != -1:
                opens.append(start)
                start = src.find(_INLINE_LINK, start + 1)
            found = marks[src] = (opens, src.rfind(")"))
        opens, last_close = found
        k = bisect.bisect_left(opens, state.pos)
        if k == len(opens) or last_close <= opens[k] + 1:
            return False
        return rule(state, silent)

    return guarded


def marker_guard(rule: BlockRule, markers: frozenset[str]) -> BlockRule:
    """Block *rule*, tried only on a line whose first character is one of *markers*."""

    @wraps(rule)
    def guarded(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        if pos < state.eMarks[line] and state.src[pos] not in markers:
            return False
        return rule(state, line, end, silent)

    return guarded


_ANY_BLOCK_MARKER = frozenset().union(*BLOCK_MARKERS.values())


def one_line_paragraph(state: StateBlock, line: int, end: int, silent: bool) -> bool:
    """A paragraph of one line followed by a blank line (or the end), read as markdown-it's rules read it.

    Why: surveys write a paragraph per line, and on such a line every block
    rule before ``paragraph`` fails ("code" on the indentation, "lheading"
    and the paragraph's own terminator loop on the blank line after it, the
    others on the first character), so the tokens are known without trying
    them.  Anything else (a marker, an indented line, a next line that is not
    blank) is left to the rules themselves.
    """
    following = line + 1
    if following < state.lineMax and not state.isEmpty(following):
        return False
    if state.sCount[line] - state.blkIndent > 3 or state.sCount[line] < 0:
        return False
    start, stop = state.bMarks[line] + state.tShift[line], state.eMarks[line]
    if start >= stop or state.src[start] in _ANY_BLOCK_MARKER:
        return False
    if silent:  # nobody asks: the rule is in no terminator chain
        return True
    span = [line, following]
    state.line = following
    state.push("paragraph_open", "p", 1).map = span
    token = state.push("inline", "", 0)
    token.content = _trim(state.getLines(line, following, state.blkIndent, False))
    token.map = span
    token.children = []
    state.push("paragraph_close", "p", -1)
    return True


def inline(state: StateCore) -> None:
    """markdown-it's core ``inline`` rule; text no rule can act on becomes one text token unparsed.

    Why: most headings and many paragraphs hold no character any inline rule
    reacts to, and markdown-it's parse of such text (a state, a rule loop,
    three post-processing passes) ends in the one text token built here.
    """
    md = state.md
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if not content:
            continue
        if _ANY_TERMINATOR.search(content) is None or _stops(content, state.env).search(content) is None:
            child = Token("text", "", 0)
            child.content = content
            token.children.append(child)
        else:
            md.inline.parse(content, md, state.env, token.children)


def install(md: MarkdownIt) -> None:
    """Put the guarded rules in place of markdown-it's ``text``, ``link``, ``image``, core ``inline``
    and the block rules of :data:`BLOCK_MARKERS`."""
    unknown = set(md.inline.ruler.get_active_rules()) - KNOWN_RULES
    unknown |= set(md.block.ruler.get_active_rules()) - set(BLOCK_MARKERS) - ALWAYS_TRIED
    if unknown:
        raise ValueError(f"rules {sorted(unknown)} have no trigger conditions in reader.inert")
    block = md.block.ruler
    for name, rule in zip(block.get_active_rules(), block.getRules(""), strict=True):
        if name in BLOCK_MARKERS:
            # keep the rule in the chains it was in ("at" would drop them)
            alt = [chain for chain in _CHAINS if rule in block.getRules(chain)]
            block.at(name, marker_guard(rule, BLOCK_MARKERS[name]), {"alt": alt})
    block.before("code", "one_line_paragraph", one_line_paragraph)
    md.inline.ruler.at("text", text)
    md.inline.ruler.at("link", link_guard(link_rule))
    md.inline.ruler.at("image", link_guard(image_rule))
    md.core.ruler.at("inline", inline)
