"""Published citation keys never change: the register in ontology/citation-keys.tsv wins over the rule."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from sphinxcontrib_alignsurvey.bibtex.metadata import MetadataError
from sphinxcontrib_alignsurvey.bibtex.records import build_records
from sphinxcontrib_alignsurvey.bibtex.register import Registered, load_register
from sphinxcontrib_alignsurvey.core.resources import BUNDLED
from sphinxcontrib_alignsurvey.core.works import collect_works


def bundled_keys() -> dict[str, str]:
    """Key -> title of every entry in the shipped references.bib."""
    library = bibtexparser.parse_file(str(BUNDLED / "references.bib"))
    return {e.key: e.fields_dict["title"].value for e in library.entries}


def test_every_registered_key_is_the_key_the_bundled_data_publishes() -> None:
    register = load_register()
    published = set(bundled_keys())
    missing = sorted(r.key for r in register.values() if r.key not in published)
    assert not missing, f"registered keys no longer published (a key changed or a work vanished): {missing}"


def test_every_published_key_of_a_work_with_authors_is_registered() -> None:
    # deleting a line from the register would let a key be recomputed: this catches it
    library = bibtexparser.parse_file(str(BUNDLED / "references.bib"))
    registered = {r.key for r in load_register().values()}
    unregistered = sorted(e.key for e in library.entries if "author" in e.fields_dict and e.key not in registered)
    assert not unregistered, f"register these keys in ontology/citation-keys.tsv: {unregistered}"


def test_a_registered_key_wins_over_the_rule_even_when_authors_arrive(survey_a) -> None:
    from sphinxcontrib_alignsurvey.bibtex.metadata import WorkMetadata

    works = collect_works([survey_a])
    norm = sorted(works)[0]
    meta = {norm: WorkMetadata(printed=works[norm].title, authors=("Newname, Ada",), year=2031)}
    ruled = build_records(works, meta)[norm].key
    assert ruled.startswith("newname2031")
    pinned = build_records(works, meta, {norm: Registered("oldkey2020", ("olderkey",))})[norm]
    assert pinned.key == "oldkey2020" and pinned.former_keys == ("olderkey",)


def test_registered_and_former_keys_are_never_given_to_another_work(survey_a) -> None:
    works = collect_works([survey_a])
    first, second = sorted(works)[:2]
    free_key = build_records(works, {})[second].key
    records = build_records(works, {}, {first: Registered("taken2020", (free_key,))})
    assert records[second].key != free_key


def test_former_keys_become_a_biblatex_ids_alias(survey_a) -> None:
    from sphinxcontrib_alignsurvey.bibtex.export import entry

    works = collect_works([survey_a])
    norm = sorted(works)[0]
    record = build_records(works, {}, {norm: Registered("new2024key", ("old2024",))})[norm]
    assert entry(record).fields_dict["ids"].value == "old2024"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("key-only\n", "expected 'KEY<TAB>normalised title"),
        ("a\tsame title\nb\tsame title\n", "already has the key 'a'"),
        ("a\tone\na\ttwo\n", "registered twice (first at line 1)"),
        ("a\tone\nb\ttwo\ta\n", "registered twice (first at line 1)"),
    ],
)
def test_a_broken_register_names_its_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "keys.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MetadataError, match="registered|expected|already") as info:
        load_register(path)
    assert message in info.value.message and info.value.line >= 1
