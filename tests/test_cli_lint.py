import json

from sphinxcontrib_alignsurvey.cli import main

from .conftest import SURVEY_A, SURVEY_B, SURVEYS


def test_lint_seeds_only_warnings(capsys):
    assert main(["lint", str(SURVEY_A), str(SURVEY_B)]) == 0
    out = capsys.readouterr().out
    assert "leftover-preamble" in out
    assert "alignment-survey-ffda8c1d.md:5:" in out


def test_lint_json(capsys):
    assert main(["lint", "--format", "json", str(SURVEY_B)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 0
    kinds = {d["kind"] for d in report["diagnostics"]}
    assert {"leftover-preamble", "leftover-changes", "leftover-note", "tex-remnant"} <= kinds


def test_lint_of_a_folder_without_surveys_is_an_error(tmp_path, capsys):
    assert main(["lint", str(tmp_path)]) == 1
    assert "directory holds no survey files" in capsys.readouterr().out


def test_lint_accepts_a_folder_like_convert_and_summary(capsys) -> None:
    assert main(["lint", str(SURVEYS), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["files"] == len(list(SURVEYS.glob("*.md"))) == 2
