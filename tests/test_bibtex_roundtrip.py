"""Round trip: titles and names with LaTeX specials and non-ASCII letters
come back identical after export with bibtexparser v2 and re-parsing."""

from __future__ import annotations

import bibtexparser
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_alignsurvey.bibtex.export import render
from sphinxcontrib_alignsurvey.bibtex.latex import decode, parse_names
from sphinxcontrib_alignsurvey.bibtex.records import BibRecord

SPECIALS = "{}\\%&$_#~@^"
ALPHABET = st.sampled_from(list("abcXYZ éüßøŁ日-:'") + list(SPECIALS))
TEXT = st.text(ALPHABET, min_size=1, max_size=30).map(lambda s: " ".join(s.split())).filter(bool)
NAME_PART = st.text(st.sampled_from(list("abcXYZéüøŁ-'") + list(SPECIALS)), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(title=TEXT, names=st.lists(st.tuples(NAME_PART, NAME_PART), min_size=1, max_size=4))
def test_title_and_names_survive_export(title: str, names: list[tuple[str, str]]) -> None:
    authors = tuple(f"{family}, {given}" for family, given in names)
    record = BibRecord(normalised="x", key="k2024x", title=title, survey_title=title, authors=authors, year=2024)
    library = bibtexparser.parse_string(render([record]))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert decode(entry.fields_dict["title"].value) == title
    assert parse_names(entry.fields_dict["author"].value) == list(authors)


def test_every_special_at_once() -> None:
    title = r"A {b} \c 50% & $x$ _y #z ~w @v ^u — Ünïcödé"
    record = BibRecord(normalised="x", key="k", title=title, survey_title=title, authors=("Ødegård, Å. B.",), year=2020)
    (entry,) = bibtexparser.parse_string(render([record])).entries
    assert decode(entry.fields_dict["title"].value) == title
    assert parse_names(entry.fields_dict["author"].value) == ["Ødegård, Å. B."]
