"""Adversarial survey shapes of a chosen size, shared by the benchmark and the fuzz test.

Why a module of its own: ``bench_adversarial.py`` times these shapes at 1 and
2 MB, and ``tests/test_reader_fuzz.py`` feeds small versions of the same
shapes (with hypothesis choosing the sizes and fillers) to the reader, so the
timed inputs and the checked inputs cannot drift apart.

Every builder takes a target size in characters and returns survey text
whose adversarial part is about that long; the frame around it (title, one
section, a short References list) is constant.
"""

from __future__ import annotations

from collections.abc import Callable

HEAD = "# An Adversarial Survey\n\n## 1 Introduction\n\nA first sentence cites [1].\n\n"
REFS = "## References\n\n[1] A First Title for Testing\n\n[2] A Second Title for Testing\n"


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // max(1, len(unit)))


def _frame(body: str, refs: str = REFS) -> str:
    return HEAD + body + "\n\n" + refs


def dots(size: int, fill: str = ".") -> str:
    """A run of full stops with no space after any of them."""
    return _frame("Text" + _repeat(fill, size) + "x")


def initials(size: int, fill: str = "A.") -> str:
    """Dotted initials with no space, "A.A.A.A...", each dot a sentence-end candidate."""
    return _frame(_repeat(fill, size) + " End.")


def paren_bracket(size: int, fill: str = "(") -> str:
    """Openers then closers of the other kind: nothing matches, everything stays on the stack."""
    k = size // 2
    closer = "]" if fill == "(" else ")"
    return _frame(fill * k + closer * k)


def same_headings(size: int, fill: str = "## Same Title\n\n") -> str:
    """Many headings with one title (or one number): every key collides."""
    return _frame(_repeat(fill, size))


def one_paragraph(size: int, fill: str = "Reward models [1] are trained on preferences [2; 1], e.g. by RLHF.\n") -> str:
    """One paragraph of many sentences and lines (no blank line anywhere)."""
    return _frame(_repeat(fill, size))


def math_paragraph(size: int, fill: str = "The loss $L_i$ falls [1]. Then $x^2$ rises [2].\n") -> str:
    """One paragraph with inline math in every sentence."""
    return _frame(_repeat(fill, size))


def quoted_titles(size: int, fill: str = "Quoted Work Number") -> str:
    """Many references and a sentence quoting each of them by title."""
    unit = len(f'As "{fill} 00000 on Alignment" shows [1]. ') + len(f"[00000] {fill} 00000 on Alignment\n")
    k = max(2, size // unit)
    body = " ".join(f'As "{fill} {i} on Alignment" shows [{i}].' for i in range(1, k + 1))
    refs = "## References\n\n" + "\n".join(f"[{i}] {fill} {i} on Alignment" for i in range(1, k + 1)) + "\n"
    return _frame(body, refs)


def many_references(size: int, fill: str = "A Title About Alignment and Oversight") -> str:
    """A long References list whose titles all look alike."""
    unit = len(f"[00000] {fill} 00000\n")
    k = max(2, size // unit)
    refs = "## References\n\n" + "\n".join(f"[{i}] {fill} {i % 97}" for i in range(1, k + 1)) + "\n"
    return _frame("Everything is cited [1-2].", refs)


def big_bracket(size: int, fill: str = ", ") -> str:
    """One citation bracket naming thousands of numbers."""
    parts, length, i = [], 0, 1
    while length < size:
        piece = str(i % 999_999 + 1)
        parts.append(piece)
        length += len(piece) + len(fill)
        i += 1
    return _frame("All of them [" + fill.join(parts) + "].")


def ranges(size: int, fill: str = "1-200; ") -> str:
    """A bracket of ranges that each expand to many numbers."""
    return _frame("All of them [" + _repeat(fill, size) + "2].")


def unclosed(size: int, fill: str = "[1 ") -> str:
    """Citation-like brackets that never close."""
    return _frame(_repeat(fill, size))


def controls(size: int, fill: str = "Text\x0cwith\x1b[31m control\x0b chars [1].\n") -> str:
    """Control characters on every line (form feed, ESC, VT)."""
    return _frame(_repeat(fill, size))


def spaced_reference(size: int, fill: str = "Word  ") -> str:
    """One reference line with thousands of double-space gaps."""
    return _frame("It is cited [1].", "## References\n\n[1] " + _repeat(fill, size) + "\n")


def url_references(size: int, fill: str = "https://arxiv.org/abs/2401.00001") -> str:
    """References carrying URLs, as Markdown links and bare."""
    unit = len(f"[00000] A Title 00000 [{fill}]({fill})\n")
    k = max(2, size // unit)
    refs = "## References\n\n" + "\n".join(f"[{i}] A Title {i} [{fill}]({fill})" for i in range(1, k + 1)) + "\n"
    return _frame("Everything is cited [1-2].", refs)


def emphasis(size: int, fill: str = "*a _b ") -> str:
    """Unclosed emphasis delimiters."""
    return _frame(_repeat(fill, size))


def dollars(size: int, fill: str = "$a ") -> str:
    """Unclosed inline-math dollars."""
    return _frame(_repeat(fill, size))


def quotes(size: int, fill: str = '"' + "word " * 60) -> str:
    """Quotation marks that open and never close within a quote's length."""
    return _frame(_repeat(fill, size))


def links(size: int, fill: str = "[a](") -> str:
    """Link openers that never close."""
    return _frame(_repeat(fill, size))


def tiny_blocks(size: int, fill: str = "A\n\n") -> str:
    """Paragraphs of one character: the most blocks per byte Markdown allows."""
    return _frame(_repeat(fill, size))


def blockquotes(size: int, fill: str = "> ") -> str:
    """A blockquote nested as deep as the line is long."""
    return _frame(_repeat(fill, size) + "deep [1].")


SHAPES: dict[str, Callable[..., str]] = {
    "dots": dots,
    "initials": initials,
    "paren-bracket": paren_bracket,
    "same-headings": same_headings,
    "one-paragraph": one_paragraph,
    "math-paragraph": math_paragraph,
    "quoted-titles": quoted_titles,
    "many-references": many_references,
    "big-bracket": big_bracket,
    "ranges": ranges,
    "unclosed": unclosed,
    "controls": controls,
    "spaced-reference": spaced_reference,
    "url-references": url_references,
    "emphasis": emphasis,
    "dollars": dollars,
    "quotes": quotes,
    "links": links,
    "blockquotes": blockquotes,
    "tiny-blocks": tiny_blocks,
}

# the shapes issue 15 measured (item 1); the others were added here
ISSUE_SHAPES = frozenset({"dots", "paren-bracket", "same-headings", "one-paragraph", "quoted-titles"})
