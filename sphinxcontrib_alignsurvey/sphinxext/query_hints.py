"""Plain-words hints for the SPARQL syntax errors people make most.

Why: the engine's parser reports what token it expected ("expected one of
LATERAL, SERVICE, [_]" for a missing ``}``), which says little to someone who
forgot a brace.  The query is read once with the shared lexer (strings,
comments and IRIs are inert), and the few mistakes that explain most errors
are named: an unclosed or extra brace or parenthesis, a prefix never
declared, an unclosed string, commas between selected variables, a variable
without its ``?``.  No hint is given when none of them is found.
"""

from __future__ import annotations

from ..sparql.lexer import lex

PAIRS = {"{": "}", "(": ")"}
CLOSERS = {"}": "{", ")": "("}
NAMES = {"{": "brace", "(": "parenthesis", "}": "brace", ")": "parenthesis"}


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def syntax_hint(query: str) -> str | None:
    """One sentence naming the likely mistake in *query*, or None."""
    stack: list[tuple[str, int]] = []
    declared: set[str] = set()
    used: list[tuple[str, int]] = []
    previous = ""
    select_commas = False
    in_select = False
    for tok in lex(query):
        if tok.kind == "error":
            where = _line(query, tok.start)
            return f"a string opened on line {where} of the query is never closed (missing {tok.text[0]})"
        if tok.kind in ("ws", "comment"):
            continue
        text = tok.text
        if tok.kind == "word" and text.upper() == "SELECT":
            in_select = True
        elif (tok.kind == "word" and text.upper() == "WHERE") or text == "{":
            in_select = False
        if in_select and text == "," and not stack:
            select_commas = True
        if tok.kind == "pname":
            prefix = text[: text.index(":")]
            if previous.upper() == "PREFIX":
                declared.add(prefix)
            else:
                used.append((prefix, tok.start))
        if text in PAIRS:
            stack.append((text, tok.start))
        elif text in CLOSERS:
            if stack and stack[-1][0] != CLOSERS[text]:
                opener, offset = stack[-1]
                opened, closed = _line(query, offset), _line(query, tok.start)
                return (
                    f"the {NAMES[opener]} '{opener}' opened on line {opened} of the query is never closed "
                    f"(missing '{PAIRS[opener]}' before the '{text}' on line {closed})"
                )
            if not stack:
                where = _line(query, tok.start)
                return f"the {NAMES[text]} '{text}' on line {where} of the query closes nothing (one too many)"
            stack.pop()
        if (
            previous.upper() == "SELECT"
            and tok.kind == "word"
            and text.upper() not in ("DISTINCT", "REDUCED", "WHERE", "FROM")
        ):
            return f"'{text}' after SELECT: variables start with '?' (write ?{text})"
        previous = text
    if stack:
        opener, offset = stack[-1]
        return (
            f"the {NAMES[opener]} '{opener}' opened on line {_line(query, offset)} of the query is never "
            f"closed (missing '{PAIRS[opener]}')"
        )
    missing = [(p, o) for p, o in used if p not in declared]
    if missing:
        prefix, offset = missing[0]
        where = _line(query, offset)
        return f"the prefix '{prefix}:' on line {where} of the query is not declared (add a PREFIX line for it)"
    if select_commas:
        return "selected variables are separated by spaces, not commas"
    return None
