"""Text <-> BibTeX field values: LaTeX escaping and brace protection.

Why exact inversion matters: a title or name must come back identical after
export and re-parse, so every special character gets one fixed spelling and
every *bare* brace in an exported value is a protective one.  :func:`decode`
undoes exactly what :func:`escape` and :func:`protect_title` do.
"""

from __future__ import annotations

import re

# One spelling per special; every replacement is brace-balanced so parsers
# that count braces (BibTeX, bibtexparser, biber) never see an open group.
SPECIALS: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # '@' is not special to LaTeX but starts an entry for some BibTeX readers;
    # a brace group keeps naive scanners off it and prints as '@'.
    "@": "{@}",
}

_DECODE = {v: k for k, v in SPECIALS.items()}
_TOKEN = re.compile("|".join(re.escape(v) for v in sorted(_DECODE, key=len, reverse=True)) + r"|[{}]|[^\\{}]+|\\")
# A word that a style's sentence-casing must not touch: an internal capital
# (RLHF, MoTE, GPT-4, Q-Function) or a capital after a digit.
_WORD = re.compile(r"[^\s:;,.?!()\"]+")
_ACRONYM_PLURAL = re.compile(r"^([A-Z][A-Z0-9-]*[A-Z0-9])(s)$")
_HYPHEN = re.compile(r"(-)")


_ESCAPES = str.maketrans(SPECIALS)


def escape(text: str) -> str:
    """Escape LaTeX specials; non-ASCII letters are kept as UTF-8."""
    return text.translate(_ESCAPES)


def _needs_protection(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return any(c.isupper() for c in letters[1:]) or (len(letters) == 1 and letters[0].isupper() and len(word) > 1)


def _protect_part(part: str, compound: bool) -> str:
    plural = _ACRONYM_PLURAL.match(part)
    if plural:
        return "{" + escape(plural.group(1)) + "}" + plural.group(2)
    if _needs_protection(part) or (compound and len(part) == 1 and part.isupper()):  # the Q of Q-Function
        return "{" + escape(part) + "}"
    return escape(part)


def protect_title(title: str) -> str:
    """Escape, and brace only what sentence case must not touch: {RLHF}, {LLM}s, {MoTE}.

    Each part of a hyphenated word is judged alone, so "Reward-Guided" stays
    bare (a style may lower-case "Guided") while "{GPT}-4" and "{RLHF}-based"
    keep their capitals.
    """
    out: list[str] = []
    pos = 0
    for match in _WORD.finditer(title):
        out.append(escape(title[pos : match.start()]))
        parts = _HYPHEN.split(match.group())
        out.extend(_protect_part(part, len(parts) > 1) if part != "-" else "-" for part in parts)
        pos = match.end()
    out.append(escape(title[pos:]))
    return "".join(out)


def decode(value: str) -> str:
    """Inverse of :func:`escape` / :func:`protect_title`: drop protective braces."""
    out: list[str] = []
    for token in _TOKEN.findall(value):
        if token in _DECODE:
            out.append(_DECODE[token])
        elif token in "{}":
            continue
        else:
            out.append(token)
    return "".join(out)


def name_part(text: str) -> str:
    """Escape one name part; brace it when BibTeX would split or misread it."""
    escaped = escape(text)
    if re.search(r"(?i)(^|\s)and(\s|$)|,", text):
        return "{" + escaped + "}"
    return escaped


def format_names(authors: list[str] | tuple[str, ...]) -> str:
    """["Family, Given", ...] -> "Family, Given and ..." with each part escaped."""
    parts: list[str] = []
    for author in authors:
        family, _, given = author.partition(", ")
        if given:
            parts.append(f"{name_part(family)}, {name_part(given)}")
        else:
            parts.append("{" + escape(family) + "}")
    return " and ".join(parts)


def parse_names(value: str) -> list[str]:
    """Inverse of :func:`format_names` for the values it writes."""
    names: list[str] = []
    for chunk in _split_top(value, " and "):
        parts = _split_top(chunk, ", ")
        names.append(", ".join(decode(p) for p in parts))
    return names


def _split_top(value: str, sep: str) -> list[str]:
    """Split on *sep* outside braces."""
    out: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            i += 2 if i + 1 < len(value) and value[i + 1] in "{}" else 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and value.startswith(sep, i):
            out.append(value[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    out.append(value[start:])
    return out
