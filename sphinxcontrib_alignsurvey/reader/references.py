"""The References list: ``[n] Title`` lines, and conservative title clean-up.

The generator that wrote the seed surveys took titles from arXiv metadata,
where a long title is wrapped at 80 columns ("Title: " then 73 characters;
continuation lines indented by two spaces), turned a title's colon (or
question mark) into a space, and joined the wrapped lines without the line
break.  So a colon leaves two spaces where it stood, a line wrap leaves the
two spaces of the indentation, and a colon at the end of a line leaves three.
The two are told apart by the wrap itself: a wrap happens only where the
next word would not have fitted on the line, so a double space with room for
the next word on its line is a lost colon, wherever it falls.  The printed
title is always kept.

URLs printed with a title (``[1] Title [https://...](https://...)``,
``[1] Title https://...``) are split off into :attr:`Reference.url`: they
are not part of the title, nor of the key that identifies the work.
"""

from __future__ import annotations

import re

REFERENCE_LINE = re.compile(r"^\s*(?:[-*+]\s+)?\[([0-9]{1,6})\][ \t]*(.*)$")
REFERENCES_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?(references|bibliography|works cited)\s*$", re.I)
TEX_REMNANT = re.compile(r"\$|\\[A-Za-z]+|\^")

WRAP_WIDTH = 80  # arXiv metadata lines
FIRST_LINE_PREFIX = len("Title: ")
_SPACES = re.compile(r" {2,}")
_WORD = re.compile(r"\S*")
_WHITE = re.compile(r"\s+")
_NO_COLON_AFTER = frozenset(":;,.?!-–—")

_URL_START = r"(?:https?://|www\.)"
# [text](target): neither part may hold a bracket or a parenthesis, so every
# attempt ends at the next one (no rescans of a long line)
_MD_LINK = re.compile(r"\[([^\[\]\n]*)\]\(\s*<?([^()\s<>]*)>?\s*\)")
_AUTOLINK = re.compile(r"<(" + _URL_START + r"[^\s<>]*)>", re.IGNORECASE)
# white space before a URL goes with it; only the first blank of a run may start a match
_BARE_URL = re.compile(r"(?<![ \t])[ \t]*(" + _URL_START + r"[^\s<>\[\]()]+)", re.IGNORECASE)
_IS_URL = re.compile(_URL_START, re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"(?<![ \t])[ \t]*(?:\([ \t]*\)|\[[ \t]*\])")
_URL_TAIL = ".,;:!?'\""
_LEFTOVER_MARKS = " \t.,;:|-–—"
_LEFTOVER_WORD = re.compile(r"(?:\bavailable\s+(?:at|from|online)|\burl)$", re.IGNORECASE)
_LINK_WORDS = frozenset(
    ["pdf", "link", "url", "online", "paper", "arxiv", "here", "html", "doi", "web", "website", "code", "project"]
)


def _drop_leftover(text: str) -> str:
    """Take off what held a removed URL up: "Title. Available at: ", "Title - "."""
    while True:
        text = text.rstrip(_LEFTOVER_MARKS)
        tail = text[-24:]  # the longest leftover word fits; never rescans the whole title
        match = _LEFTOVER_WORD.search(tail)
        if not match:
            return text
        text = text[: len(text) - len(tail) + match.start()]


def split_url(printed: str) -> tuple[str, str]:
    """The printed title with its URLs taken out, and the first URL (or ``""``)."""
    if "://" not in printed and "www." not in printed.lower():
        return printed, ""
    urls: list[str] = []

    def link(match: re.Match[str]) -> str:
        text, target = match.group(1), match.group(2)
        if not _IS_URL.match(target):
            return match.group(0)  # not a web link: leave it as printed
        urls.append(target)
        # "[Title](url)" keeps its text; "[https://...](url)" or "[PDF](url)" is only the link
        keep = text.strip()
        generic = not _drop_leftover(keep) or _IS_URL.match(keep) or keep.lower() in _LINK_WORDS
        return "" if generic else keep

    def autolink(match: re.Match[str]) -> str:
        urls.append(match.group(1))
        return ""

    def bare(match: re.Match[str]) -> str:
        url = match.group(1)
        stripped = url.rstrip(_URL_TAIL)
        urls.append(stripped)
        return url[len(stripped) :]

    text = _MD_LINK.sub(link, printed)
    text = _AUTOLINK.sub(autolink, text)
    text = _BARE_URL.sub(bare, text)
    if urls:
        text = _EMPTY_BRACKETS.sub("", text)  # "Title (https://...)" leaves "()"
        # what held the URL up ("Title. Available at: ", "Title - ") goes with it
        text = _drop_leftover(text)
    return text, urls[0] if urls else ""


def clean_title(printed: str) -> str:
    """Restore lost colons, collapse white space; keep everything else.

    At most one colon is restored: a title has one subtitle, and a second
    gap with room on its line is more likely stray spacing than a second
    colon.
    """
    text = printed.strip()
    out: list[str] = []
    pos = 0
    restored = False
    last = ""  # the last visible character written so far
    line_start = -FIRST_LINE_PREFIX  # where the current arXiv line begins, in offsets of *text*
    for match in _SPACES.finditer(text):
        start, end = match.span()
        segment = text[pos:start]
        out.append(segment)
        visible = segment.rstrip()
        if visible:
            last = visible[-1]
        if end - start >= 3:  # a colon at the end of a line, then the wrap's indentation
            colon = True
            line_start = start + 1
        else:
            column = start - line_start  # characters on this line before the gap
            word = _WORD.match(text, end)
            if word is None:  # \S* matches the empty string, so this cannot happen
                raise AssertionError(f"no match of {_WORD.pattern!r} at offset {end}")
            next_word = word.end() - end
            # a wrap: the line fits and the next word would not have; a line that is
            # already too long was never wrapped at this width, so its gap is a colon
            if column <= WRAP_WIDTH < column + 1 + next_word:
                colon = False
                line_start = start
            else:
                colon = True
        if colon and not restored and last and last not in _NO_COLON_AFTER:
            out.append(": ")
            restored = True
            last = ":"
        else:
            out.append(" ")
        pos = end
    out.append(text[pos:])
    return _WHITE.sub(" ", "".join(out)).strip()


def has_tex(title: str) -> bool:
    return bool(TEX_REMNANT.search(title))
