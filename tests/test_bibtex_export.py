"""BibTeX export: keys, entry types, escaping, keywords, per-survey order,
the graph facts, determinism and overlays (``--metadata``)."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest

from sphinxcontrib_alignsurvey.bibtex import prepare, write_bibliography
from sphinxcontrib_alignsurvey.bibtex.keys import assign_keys, base_key
from sphinxcontrib_alignsurvey.bibtex.latex import protect_title
from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.works import normalise
from sphinxcontrib_alignsurvey.links.model import concept_labels

from .conftest import DATA, SURVEY_A, SURVEY_B, SURVEYS

BIB = DATA / "bibtex"


@pytest.fixture(scope="module")
def out(seed_outputs: Path) -> Path:
    return seed_outputs


def entries(path: Path) -> dict[str, bibtexparser.model.Entry]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: e for e in library.entries}


def test_keys_are_human_and_collisions_get_a_suffix() -> None:
    assert (
        base_key(["Leike, Jan", "Krueger, David"], 2018, "Scalable agent alignment via reward modeling")
        == "leike2018scalable"
    )
    assert base_key(["Müller, Jörg"], 2020, "The Über Paper") == "muller2020uber"
    assert base_key([], 2021, "A General Language Assistant as a Laboratory") == "generallanguage2021"
    keys = assign_keys([("b title", "smith2020x"), ("a title", "smith2020x"), ("c", "smith2020xb")])
    assert keys == {"a title": "smith2020x", "b title": "smith2020xc", "c": "smith2020xb"}


def test_every_work_once_with_unique_keys_in_graph(out: Path) -> None:
    refs = entries(out / "references.bib")
    assert len(refs) == 150
    graph = (out / "graph.ttl").read_text(encoding="utf-8")
    stored = re.findall(r'align:citationKey "([^"]+)"', graph)
    assert sorted(stored) == sorted(refs)


def test_survey_files_follow_reference_order(out: Path, survey_a, survey_b) -> None:
    for survey in (survey_a, survey_b):
        keys = list(entries(out / f"{survey.id}.bib"))
        records = prepare([survey_a, survey_b]).records
        expected = list(dict.fromkeys(records[normalise(r.title)].key for r in survey.references))
        assert keys == expected


def test_published_title_and_metadata_in_graph_and_bib(out: Path) -> None:
    refs = entries(out / "references.bib")
    entry = refs["rafailov2024r"]
    assert entry.fields_dict["title"].value == "From r to {Q*}: Your Language Model is Secretly a {Q}-Function"
    assert entry.fields_dict["author"].value.startswith("Rafailov, Rafael and Hejna, Joey")
    assert entry.fields_dict["eprint"].value == "2404.12358"
    assert entry.fields_dict["eprinttype"].value == "arXiv"
    graph = (out / "graph.ttl").read_text(encoding="utf-8")
    assert 'dcterms:title "From r to Q*: Your Language Model is Secretly a Q-Function"' in graph
    assert "<https://arxiv.org/abs/2404.12358>" in graph
    assert '"2024"^^xsd:gYear' in graph


def test_entry_types_fit_the_work(out: Path) -> None:
    for entry in entries(out / "references.bib").values():
        f = entry.fields_dict
        if entry.entry_type == "inproceedings":
            assert {"booktitle", "author", "year"} <= set(f)
        elif entry.entry_type == "article":
            assert {"journal", "author", "year"} <= set(f)
        else:
            assert entry.entry_type == "misc"
        if "eprint" in f:
            assert f["eprinttype"].value == "arXiv" and f["url"].value.endswith(f["eprint"].value)
            assert f["doi"].value.startswith(("10.48550/arXiv.", "10."))


def test_titles_protect_acronyms() -> None:
    assert protect_title("RLHF for LLMs") == "{RLHF} for {LLM}s"
    assert protect_title("50% of A&B_c") == r"50\% of {A\&B\_c}"


def test_keywords_list_linked_concepts(out: Path) -> None:
    tagged = [e for e in entries(out / "references.bib").values() if "keywords" in e.fields_dict]
    assert len(tagged) > 50
    assert any("Reinforcement Learning from Human Feedback" in e.fields_dict["keywords"].value for e in tagged)


def test_output_is_byte_identical_in_any_order(tmp_path: Path) -> None:
    for name, order in (("one", [SURVEY_A, SURVEY_B]), ("two", [SURVEY_B, SURVEY_A])):
        assert main(["convert", *map(str, order), "--out", str(tmp_path / name)]) == 0
    for file in ("references.bib", "graph.ttl", f"{SURVEY_A.stem}.bib"):
        assert (tmp_path / "one" / file).read_bytes() == (tmp_path / "two" / file).read_bytes()


def test_write_bibliography_for_sphinx(tmp_path: Path, out: Path, seed_conversion) -> None:
    conversion = seed_conversion
    labels = concept_labels(conversion.vocabulary)
    target = write_bibliography(conversion.surveys, conversion.links, labels, tmp_path / "refs.bib")
    assert target.read_bytes() == (out / "references.bib").read_bytes()


def test_overlay_user_wins_and_conflicts_are_reported(tmp_path: Path, capsys) -> None:
    assert main(["convert", str(SURVEYS), "--out", str(tmp_path), "--metadata", str(BIB / "zotero.bib")]) == 0
    err = capsys.readouterr().err
    assert "zotero.bib:1: warning: [metadata-conflict]" in err and "title" in err
    assert "zotero.bib:17: warning: [metadata-unmatched]" in err
    refs = entries(tmp_path / "references.bib")
    assert refs["rafailov2024qfunction"].entry_type == "inproceedings"
    assert refs["rafailov2024qfunction"].fields_dict["booktitle"].value == "Conference on Language Modeling"
    assert refs["myownkey"].fields_dict["year"].value == "2015"
    assert "Kingma, Diederik P." in refs["myownkey"].fields_dict["author"].value
    assert 'align:citationKey "myownkey"' in (tmp_path / "graph.ttl").read_text(encoding="utf-8")


def test_malformed_overlay_reports_file_and_line_and_writes_nothing(tmp_path: Path, capsys) -> None:
    code = main(["convert", str(SURVEYS), "--out", str(tmp_path / "o"), "--metadata", str(BIB / "malformed.bib")])
    assert code != 0
    err = capsys.readouterr().err
    assert re.search(r"malformed\.bib:5: error: .*malformed BibTeX", err), err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


def _bibtexparser_text(records, keywords) -> str:
    """What bibtexparser's own writer makes of the same entries, in the layout the exports use."""
    from bibtexparser.middlewares.parsestack import default_unparse_stack

    from sphinxcontrib_alignsurvey.bibtex.export import entry

    library = bibtexparser.Library()
    for record in records:
        library.add(entry(record, keywords.get(record.normalised, ())))
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    fmt.trailing_comma = True
    text = bibtexparser.write_string(library, unparse_stack=default_unparse_stack(), bibtex_format=fmt)
    return text.strip("\n") + "\n" if text.strip() else ""


def test_render_writes_what_bibtexparser_writes(seed_conversion) -> None:
    from sphinxcontrib_alignsurvey.bibtex.bibliography import keywords as bib_keywords
    from sphinxcontrib_alignsurvey.bibtex.export import all_works, render

    conversion = seed_conversion
    records = conversion.bibliography.records
    kw = bib_keywords(conversion.links, concept_labels(conversion.vocabulary), records)
    works = all_works(records)
    assert any(kw.get(r.normalised) for r in works) and any(not r.authors for r in works)
    assert render(works, kw) == _bibtexparser_text(works, kw)
    assert render(works[:1], kw) == _bibtexparser_text(works[:1], kw)
    assert render([]) == _bibtexparser_text([], {}) == ""


def test_render_refuses_a_key_twice(seed_conversion) -> None:
    from sphinxcontrib_alignsurvey.bibtex.export import all_works, render

    first = all_works(seed_conversion.bibliography.records)[0]
    with pytest.raises(ValueError, match="two entries"):
        render([first, first])
