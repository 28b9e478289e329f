from __future__ import annotations

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH


def test_bundled_graph_conforms(capsys):
    assert main(["validate", str(BUNDLED_GRAPH)]) == 0
    assert "conforms" in capsys.readouterr().err


def test_violations_are_reported(tmp_path, capsys):
    text = BUNDLED_GRAPH.read_text(encoding="utf-8")
    # drop every title of a survey: the Survey shape requires exactly one
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        text + "\n<https://w3id.org/alignsurvey/survey/alignment-survey-1ef323be> "
        "<http://purl.org/dc/terms/title> \"A second title\" .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "alignment-survey-1ef323be" in out and "title" in out


def test_unparsable_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    assert "cannot validate" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.ttl", "@prefix : <http://x/> .\n:a :b :c ;\n :d .\n", 3),
        ("bad.nt", "<http://x/a> <http://x/b> <http://x/c> .\n<a> <b> .\n", 2),
        ("bad.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<x>\n</rdf:RDF>\n', 3),
        ("bad.jsonld", '{"@id": 5\n', 2),
    ],
)
def test_unparsable_file_names_file_and_line(tmp_path, capsys, name, text, line):
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:{line}:" in err or (f"{bad}: " in err and f"line {line} " in err), err
    assert "Traceback" not in err
