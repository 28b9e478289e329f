"""Words for the citation checks: tokens, a small stopword list, stems and light forms.

Why two normal forms: the Snowball stem (Sphinx's own stemmer, already a
dependency) lets "optimizing" meet "optimization" when scoring similarity,
but it also merges words whose sense differs ("ontology" and "ontological"),
so deciding whether the survey ever *uses* a word compares a lighter form
that only folds case and plurals.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")

#: General English function words plus the connective words of paper titles
#: ("towards", "via", "using", "based").  Deliberately small and topic-free.
_STOPWORDS = """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each even every few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more most my no
    nor not now of off on once only or other our ours out over own same she should so some such than that
    the their theirs them then there these they this those through to too under until up upon very was we
    were what when where which while who whom why will with within would you your yours
    towards toward via using based"""
STOPWORDS = frozenset(_STOPWORDS.split())

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word.lower())


@lru_cache(maxsize=65536)
def light(word: str) -> str:
    """Lower case with a plural folded: "entities" -> "entity", "models" -> "model"."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def is_content(word: str) -> bool:
    return len(word) > 1 and word.lower() not in STOPWORDS


_FORMS: dict[str, tuple[str, str] | None] = {}
_FORMS_MAX = 1 << 18  # words remembered; English prose repeats a few thousand, so this is rarely reached


def content_forms(word: str) -> tuple[str, str] | None:
    """(stem, light form) of a content word, None for a stopword or a single letter.

    Why one memo: the checks ask this of every word of every sentence, and
    prose repeats its words, so each distinct word is looked at once.
    """
    try:
        return _FORMS[word]
    except KeyError:
        pass
    forms = (stem(word), light(word)) if is_content(word) else None
    if len(_FORMS) >= _FORMS_MAX:
        _FORMS.clear()
    _FORMS[word] = forms
    return forms


def is_name(word: str) -> bool:
    """A coined name such as "InferAligner" or "EvalAI": mixed case after the first letter."""
    rest = word[1:]
    return any(c.isupper() for c in rest) and any(c.islower() for c in word)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def stems(text: str) -> list[str]:
    """Stems of the content words of *text*, in order, repeats kept."""
    return [f[0] for f in map(content_forms, WORD.findall(text)) if f is not None]


def title_body(title: str) -> str:
    """A title without a one-word name before its colon ("LIMA: Less Is More" -> "Less Is More").

    The name is the authors' coinage; it says nothing about the topic.
    """
    head, sep, tail = title.partition(":")
    if sep and len(WORD.findall(head)) == 1 and tail.strip():
        return tail
    return title


def title_stems(title: str) -> list[str]:
    """Content stems of a title, coined names left out."""
    return [stem(w) for w in WORD.findall(title_body(title)) if is_content(w) and not is_name(w)]
