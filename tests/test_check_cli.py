"""``alignsurvey check``: one finding per line or JSON, exit status as ``lint``."""

from __future__ import annotations

import json
import re

from sphinxcontrib_alignsurvey.cli import main

from .conftest import DATA, SURVEY_A, SURVEY_B

SMALL = DATA / "check" / "small-survey.md"
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<sev>error|warning): \[(?P<kind>[a-z-]+)\] .+$")


def test_text_output_is_one_finding_per_line_and_errors_exit_1(capsys) -> None:
    assert main(["check", str(SMALL)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines and all(LINE.match(x) for x in lines), lines
    assert any(f"{SMALL}:33: error: [citation-off-topic]" in x for x in lines)
    assert "2 error(s)" in err


def test_json_has_path_line_kind_severity_message_reference_score(capsys) -> None:
    assert main(["check", "--format", "json", str(SMALL)]) == 1
    rows = json.loads(capsys.readouterr().out)
    for row in rows:
        assert {"path", "line", "kind", "severity", "message", "reference", "score"} <= set(row)
    off = [r for r in rows if r["kind"] == "citation-off-topic"]
    assert {r["reference"] for r in off} == {5, 6}
    assert all(isinstance(r["score"], float) and r["severity"] == "error" for r in off)
    quantitative = [r for r in rows if r["kind"] == "claim-quantitative"]
    assert quantitative and all(r["score"] is None and r["severity"] == "warning" for r in quantitative)


def test_warnings_only_exit_0(tmp_path, capsys) -> None:
    text = SMALL.read_text(encoding="utf-8")
    for n in (5, 6):  # drop the two off-topic works and the sentences citing them
        text = re.sub(rf"(?m) [^.]*\[{n}\]\.|^\[{n}\] .*$", "", text)
    path = tmp_path / "clean.md"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "citation-off-topic" not in out and "warning" in out


def test_metadata_library_marks_titles_verified(tmp_path, capsys) -> None:
    bib = tmp_path / "lib.bib"
    bib.write_text(
        "@misc{dpo, title = {Direct Preference Optimization for Language Model Alignment},"
        " author = {Doe, Jane}, year = {2023}}\n",
        encoding="utf-8",
    )
    main(["check", "--format", "json", str(SMALL)])
    before = {r["reference"] for r in json.loads(capsys.readouterr().out) if r["kind"] == "citation-unverified"}
    main(["check", "--format", "json", "--metadata", str(bib), str(SMALL)])
    after = {r["reference"] for r in json.loads(capsys.readouterr().out) if r["kind"] == "citation-unverified"}
    assert 2 in before and before - after == {2}


def test_bad_metadata_file_is_a_message_not_a_traceback(tmp_path, capsys) -> None:
    bib = tmp_path / "bad.bib"
    bib.write_text("@misc{x, title = {unterminated\n", encoding="utf-8")
    assert main(["check", "--metadata", str(bib), str(SMALL)]) == 1
    err = capsys.readouterr().err
    assert str(bib) in err and "Traceback" not in err


def test_unreadable_input_is_reported_with_its_path(tmp_path, capsys) -> None:
    missing = tmp_path / "nope.md"
    assert main(["check", str(missing)]) == 1
    assert str(missing) in capsys.readouterr().out


def test_bundled_surveys_report_the_off_topic_works_the_issue_names(capsys) -> None:
    main(["check", "--format", "json", str(SURVEY_A), str(SURVEY_B)])
    rows = json.loads(capsys.readouterr().out)
    off = {(r["path"].rsplit("/", 1)[-1], r["reference"]) for r in rows if r["kind"] == "citation-off-topic"}
    # protein networks [70], entity alignment [72]/[25], ontologies [78], process mining [79, 80, 82], requirements [94]
    assert {(SURVEY_B.name, n) for n in (70, 72, 78, 79, 80, 82, 94)} <= off
    assert (SURVEY_A.name, 25) in off
    assert any(r["kind"] == "claim-quantitative" and "'19%'" in r["message"] for r in rows)


def test_check_loads_neither_the_bibtex_writer_nor_the_link_model() -> None:
    """Start-up: `check` needs the verified titles, not bibtexparser, the BibTeX writer or the relation grammar."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    probe = (
        "import sys; from sphinxcontrib_alignsurvey.cli import main; main(['check', sys.argv[1]]); "
        "print(sorted(m for m in ('bibtexparser', 'sphinxcontrib_alignsurvey.bibtex.export', "
        "'sphinxcontrib_alignsurvey.links.model', 'sphinxcontrib_alignsurvey.links.relations') "
        "if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", probe, str(SMALL)], capture_output=True, text=True, env=env, check=False, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_works_that_introduced_concepts_count_as_verified(tmp_path, capsys) -> None:
    """Their records (ontology/works-introducing.yaml) are curated like the cited works': a survey citing
    DPO's paper is not told it may not exist; a title no curated file holds still is."""
    survey = tmp_path / "s.md"
    survey.write_text(
        "# Preference Optimisation for Language Model Alignment\n\n## 1 Introduction\n\n"
        "Direct preference optimization aligns language models without a reward model [1].\n"
        "Preference optimisation has been applied to many alignment settings [2].\n\n"
        "## References\n\n"
        "[1] Direct Preference Optimization: Your Language Model is Secretly a Reward Model\n"
        "[2] A Unified Theory of Preference Optimisation We Made Up\n",
        encoding="utf-8",
    )
    main(["check", "--format", "json", str(survey)])
    unverified = {r["reference"] for r in json.loads(capsys.readouterr().out) if r["kind"] == "citation-unverified"}
    assert unverified == {2}
