"""The stemmer the citation check uses gives the stems of the pure-Python Snowball English stemmer.

Why: PyStemmer (C) is installed for speed and snowballstemmer hands it out
when present; a version with another algorithm would silently change scores
and findings, so the two are compared on every word the bundled data holds.
"""

from __future__ import annotations

import re

from snowballstemmer.english_stemmer import EnglishStemmer

from sphinxcontrib_alignsurvey.check import text

from .conftest import ROOT


def test_the_stemmer_in_use_equals_the_pure_python_one():
    words: set[str] = set()
    for pattern in ("examples/surveys/*.md", "ontology/*.ttl", "ontology/*.yaml"):
        for path in ROOT.glob(pattern):
            words.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", path.read_text(encoding="utf-8")))
    assert len(words) > 5000
    reference = EnglishStemmer()
    differ = [w for w in sorted(words) if text._STEMMER.stemWord(w) != reference.stemWord(w)]
    assert not differ, differ[:20]


def test_the_c_stemmer_is_in_use():
    assert type(text._STEMMER).__module__ == "Stemmer", "PyStemmer is a dependency: install it"
