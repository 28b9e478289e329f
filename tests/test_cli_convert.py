from __future__ import annotations

from sphinxcontrib_alignsurvey.cli import main

from .conftest import SURVEY_A, SURVEY_B


def test_convert_writes_requested_formats(tmp_path, capsys):
    assert main(["convert", str(SURVEY_A), str(SURVEY_B), "--out", str(tmp_path), "--format", "ttl,nt"]) == 0
    assert (tmp_path / "graph.ttl").stat().st_size > 0
    assert (tmp_path / "graph.nt").stat().st_size > 0
    assert not (tmp_path / "graph.jsonld").exists()


def test_convert_refuses_bad_input_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.md"
    bad.write_text("# T\n\n## 1 Intro\n\nText cites [7].\n\n## References\n\n[1] Only one\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(SURVEY_A), str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:5:" in err and "citation-missing-reference" in err
    assert "nothing was written" in err
    assert not out.exists()


def test_convert_rejects_unknown_format(tmp_path, capsys):
    assert main(["convert", str(SURVEY_A), "--out", str(tmp_path), "--format", "ttl,docx"]) == 2
    assert "docx" not in {p.suffix for p in tmp_path.iterdir()}


def test_duplicate_survey_ids_are_an_error(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    copy = tmp_path / "a" / SURVEY_A.name
    copy.write_bytes(SURVEY_A.read_bytes())
    assert main(["convert", str(SURVEY_A), str(copy), "--out", str(tmp_path / "o")]) == 1
    assert "survey-id-duplicate" in capsys.readouterr().err


def test_every_format_in_the_registry_resolves_in_both_rdf_libraries():
    import rdflib.plugin
    from rdflib.parser import Parser

    from sphinxcontrib_alignsurvey.core.formats import BY_SUFFIX

    for fmt in BY_SUFFIX.values():
        assert fmt.oxigraph is not None
        assert rdflib.plugin.get(fmt.rdflib, Parser) is not None


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder\n", encoding="utf-8")
    assert main(["convert", str(SURVEY_A), "--out", str(blocker / "out")]) == 1
    err = capsys.readouterr().err
    assert str(blocker) in err and "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_convert_with_an_own_vocabulary_extends_or_replaces_the_bundled_one(tmp_path, capsys):
    from .conftest import ROOT

    example = ROOT / "examples" / "other-field"
    vocabulary = example / "federated-learning.ttl"
    assert main(["convert", str(example), "--vocabulary", str(vocabulary), "--out", str(tmp_path / "x")]) == 0
    assert main(["convert", str(example), "--vocabulary-only", str(vocabulary), "--out", str(tmp_path / "o")]) == 0
    extended = (tmp_path / "x" / "graph.ttl").read_text(encoding="utf-8")
    own = (tmp_path / "o" / "graph.ttl").read_text(encoding="utf-8")
    assert "example.org/federated-learning/client-drift" in extended and "client-drift" in own
    assert "method:rlhf " in extended and "rlhf" not in own


def test_a_wrong_vocabulary_is_a_located_error_and_nothing_is_written(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix align: <https://w3id.org/alignsurvey/ontology#> .\n\n<https://e/x> a align:Method .\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(SURVEY_A), "--vocabulary", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3: error: [vocabulary] x has no skos:prefLabel" in err
    assert "nothing was written" in err and "Traceback" not in err
    assert not out.exists()
