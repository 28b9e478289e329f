"""Bad input never produces a traceback (requirement 6).

Every file of ``tests/data/malformed`` is linted in-process through
``cli.main`` and the outcome is compared with the table below: the exit
status of ``alignsurvey lint`` and the exact set of (diagnostic kind, line)
pairs.  A few files are also run through a real subprocess, where a
traceback would show up on stderr.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.diagnostics import SurveyError
from sphinxcontrib_alignsurvey.reader import read_survey

from .conftest import DATA, SURVEY_A

MALFORMED = DATA / "malformed"

# file -> (exit status of `alignsurvey lint`, {(kind, line), ...})
EXPECTED: dict[str, tuple[int, set[tuple[str, int]]]] = {
    "01-empty.md": (1, {("empty", 1)}),
    "02-whitespace-only.md": (1, {("empty", 1)}),
    "03-binary.md": (1, {("unreadable", 4)}),
    "04-latin1.md": (1, {("unreadable", 1)}),
    "05-no-title.md": (1, {("title-missing", 1)}),
    "06-no-references.md": (1, {("references-missing", 1), ("citation-missing-reference", 5)}),
    "07-references-twice.md": (1, {("references-twice", 15), ("reference-uncited", 17)}),
    "08-numbering-gap.md": (0, {("reference-numbering", 13)}),
    "09-duplicate-number.md": (1, {("reference-duplicate-number", 13)}),
    "10-citation-missing.md": (1, {("citation-missing-reference", 7)}),
    "11-unterminated-bracket.md": (0, {("citation-unterminated", 7)}),
    "12-nested-brackets.md": (0, set()),
    "13-bom-crlf.md": (0, set()),
    "14-unnumbered-headings.md": (0, {("section-unnumbered", 3), ("section-unnumbered", 7)}),
    "15-html-tex-title.md": (0, {("tex-remnant", 11)}),
    "16-reversed-range.md": (0, {("citation-range", 5)}),
    "17-list-references.md": (0, set()),
    "18-changes-block.md": (0, {("leftover-changes", 7)}),
    "19-section-levels.md": (0, {("section-level", 7), ("section-level", 11)}),
    "20-duplicate-sections.md": (0, {("section-duplicate", 7)}),
    "21-two-titles.md": (0, {("title-duplicate", 3), ("section-unnumbered", 3)}),
    "22-references-empty.md": (1, {("references-empty", 7), ("reference-unparsed", 9)}),
    "23-huge-range.md": (1, {("citation-range", 5), ("citation-missing-reference", 5)}),
    "24-math-brackets.md": (0, {("math-bracket", 7), ("math-bracket", 11), ("math-bracket", 13)}),
    "25-leftovers.md": (0, {("leftover-preamble", 5), ("leftover-separator", 9), ("leftover-note", 11)}),
    "26-reference-without-title.md": (1, {("reference-empty", 11)}),
    "27-garbage-in-references.md": (0, {("reference-unparsed", 15), ("reference-unparsed", 17)}),
    "28-deep-nesting.md": (
        1,
        {
            ("references-missing", 1),
            ("citation-missing-reference", 5),
            ("nesting-too-deep", 7),
            ("nesting-too-deep", 18),
        },
    ),
    "29-only-punctuation.md": (1, {("title-missing", 1), ("references-missing", 1), ("section-unnumbered", 3)}),
    "30-cr-only.md": (0, set()),
    # issue 15: written for the hardening items (10, 11, 7, 12); the expected findings come from reading the files
    "31-control-characters.md": (0, {("control-character", n) for n in (1, 3, 5, 9, 11)}),
    "32-utf16-bom.md": (0, {("encoding", 1)}),
    "33-non-latin-references.md": (0, set()),
    "34-unkeyable-reference.md": (1, {("reference-unkeyable", 11)}),
    "35-url-references.md": (1, {("reference-empty", 15)}),
    "36-bad-citations.md": (
        1,
        {
            ("citation-missing-reference", 5),
            ("citation-malformed", 7),
            ("citation-malformed", 9),
            ("citation-malformed", 11),
            ("citation-long", 13),
            ("citation-missing-reference", 13),
            ("citation-range", 15),
            ("citation-missing-reference", 15),
        },
    ),
    "37-references-in-words.md": (1, {("references-empty", 7), ("reference-unparsed", 9), ("reference-unparsed", 11)}),
    "38-numbered-list-references.md": (
        1,
        {("references-empty", 7), ("reference-unparsed", 9), ("reference-unparsed", 10)},
    ),
    "39-not-a-survey.md": (1, {("title-missing", 1), ("references-missing", 1), ("citation-missing-reference", 5)}),
    "40-utf16-no-bom.md": (1, {("unreadable", 1)}),
}


def _lint_json(capsys, *paths: str) -> tuple[int, dict]:
    status = main(["lint", "--format", "json", *paths])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, json.loads(captured.out)


def test_corpus_is_complete():
    on_disk = {p.name for p in MALFORMED.iterdir()}
    assert on_disk == set(EXPECTED), "every malformed file needs a row in EXPECTED (and vice versa)"
    assert len(on_disk) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file(name, capsys):
    status, expected = EXPECTED[name]
    path = str(MALFORMED / name)
    code, report = _lint_json(capsys, path)
    assert code == status
    found = {(d["kind"], d["line"]) for d in report["diagnostics"]}
    assert found == expected
    assert all(d["path"] == path for d in report["diagnostics"])
    # an error always names the file and a line (or 0 only for whole-file problems)
    for d in report["diagnostics"]:
        if d["severity"] == "error":
            assert d["line"] >= 1
    assert report["errors"] == sum(d["severity"] == "error" for d in report["diagnostics"])
    assert (report["errors"] > 0) == (status == 1)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_text_format_names_file_and_line(name, capsys):
    status, expected = EXPECTED[name]
    path = str(MALFORMED / name)
    assert main(["lint", path]) == status
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    for kind, line in expected:
        assert f"{path}:{line}: " in out.out and f"[{kind}]" in out.out


def test_all_malformed_at_once(capsys):
    paths = [str(MALFORMED / n) for n in sorted(EXPECTED)]
    code, report = _lint_json(capsys, *paths)
    assert code == 1
    assert report["files"] == len(paths)
    assert {d["path"] for d in report["diagnostics"]} == {p for p in paths if EXPECTED[Path(p).name][1]}


def test_unreadable_files_raise_survey_error_with_line():
    for name, line, words in [
        ("03-binary.md", 4, "binary"),
        ("04-latin1.md", 1, "UTF-8"),
    ]:
        with pytest.raises(SurveyError) as info:
            read_survey(MALFORMED / name)
        assert info.value.line == line and words in info.value.message
        assert str(MALFORMED / name) in str(info.value)


def test_directory_and_missing_file(tmp_path, capsys):
    code, report = _lint_json(capsys, str(tmp_path), str(tmp_path / "nope.md"))
    assert code == 1
    kinds = [(d["kind"], d["path"]) for d in report["diagnostics"]]
    assert kinds == [("unreadable", str(tmp_path)), ("unreadable", str(tmp_path / "nope.md"))]
    messages = [d["message"] for d in report["diagnostics"]]
    assert "directory holds no survey files" in messages[0] and "no such file" in messages[1]


def test_nested_brackets_read_inner_citations():
    survey = read_survey(MALFORMED / "12-nested-brackets.md")
    cited = [c.text for s in survey.sentences for c in s.citations]
    assert cited == ["[1]", "[2]", "[3]", "[1]"]


def test_bom_crlf_and_cr_only_read_like_lf():
    lf = (MALFORMED / "13-bom-crlf.md").read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    from sphinxcontrib_alignsurvey.reader import read_text

    plain = read_text(lf)
    for name in ("13-bom-crlf.md", "30-cr-only.md"):
        survey = read_survey(MALFORMED / name)
        assert survey.title == "A Survey" == plain.title
        assert [(r.number, r.title, r.line) for r in survey.references] == [
            (r.number, r.title, r.line) for r in plain.references
        ]
        assert [(s.text, s.line) for s in survey.sentences] == [(s.text, s.line) for s in plain.sentences]


def test_html_and_tex_in_titles_kept_as_text():
    survey = read_survey(MALFORMED / "15-html-tex-title.md")
    assert survey.title == "A <b>Survey</b> of $\\alpha$-Alignment & \\emph{Oversight}"
    assert survey.sections[0].number == "1"
    assert survey.reference(2).printed == "The $\\mathcal{O}(n)$ Reward &amp; <i>Models</i>"


def test_list_references_and_changes_block():
    listed = read_survey(MALFORMED / "17-list-references.md")
    assert [(r.number, r.line) for r in listed.references] == [(1, 9), (2, 10), (3, 11)]
    changes = read_survey(MALFORMED / "18-changes-block.md")
    cited = {n for s in changes.sentences for n in s.cited_numbers}
    assert cited == {1, 2, 3}  # [9] and [12] of the "Changes made:" list are not citations
    assert not any(s.line in (8, 9, 10) for s in changes.sentences)


@pytest.fixture
def one_megabyte_line(tmp_path) -> Path:
    """A survey whose body is one 1 MB line (generated, not committed)."""
    sentence = "Alignment work e.g. reward models [1] and oversight [2; 3] matters. "
    body = sentence * (1_000_000 // len(sentence) + 1)
    path = tmp_path / "one-line.md"
    path.write_text(
        "# A Survey\n\n## 1 Introduction\n\n" + body + "\n\n## References\n\n[1] One\n\n[2] Two\n\n[3] Three\n",
        encoding="utf-8",
    )
    assert path.stat().st_size > 1_000_000
    return path


def test_one_megabyte_single_line(one_megabyte_line, capsys):
    code, report = _lint_json(capsys, str(one_megabyte_line))
    assert code == 0 and report["diagnostics"] == []
    survey = read_survey(one_megabyte_line)
    assert len(survey.sentences) == 1_000_000 // 68 + 1
    assert {s.line for s in survey.sentences} == {5}


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_alignsurvey.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_subprocess_malformed_corpus_no_traceback(tmp_path):
    (tmp_path / "big.md").write_bytes(b"# T\n\n" + b"[" * 200_000 + b"\n")
    paths = [str(MALFORMED / n) for n in sorted(EXPECTED)] + [str(tmp_path), str(tmp_path / "big.md")]
    proc = _run_cli("lint", *paths)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1
    assert f"{MALFORMED / '03-binary.md'}:4: error: [unreadable]" in proc.stdout
    # the folder contributes its survey (big.md), as in convert and summary
    assert proc.stdout.count(f"{tmp_path / 'big.md'}:1: error: [references-missing]") == 2
    assert f"{len(paths)} file(s):" in proc.stderr


def test_subprocess_seed_exit_zero():
    proc = _run_cli("lint", str(SURVEY_A))
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert "1 file(s): 0 error(s)" in proc.stderr


def _survey_with_references(titles: list[str]) -> str:
    cites = " ".join(f"[{i}]" for i in range(1, len(titles) + 1))
    refs = "\n".join(f"[{i}] {t}" for i, t in enumerate(titles, 1))
    return f"# A survey\n\n## 1 Intro\n\nEverything is cited {cites}.\n\n## References\n\n{refs}\n"


def test_near_duplicate_references_are_named_once_against_the_first():
    from sphinxcontrib_alignsurvey.reader import read_text

    titles = [
        "Deep reinforcement learning from human preferences",
        "Concrete problems in AI safety",
        "Deep reinforcement learning from human preferences",
        "Deep reinforcement learning from human preference",
        "Concrete Problems in AI Safety",
    ]
    survey = read_text(_survey_with_references(titles), "refs.md")
    near = [d for d in survey.diagnostics if d.kind == "reference-near-duplicate"]
    assert [(d.line, d.message.split(" have ")[0]) for d in near] == [
        (11, "references [1] and [3]"),
        (12, "references [1] and [4]"),
        (13, "references [2] and [5]"),
    ]
    assert "the same title" in near[0].message and "near-identical titles" in near[1].message


def test_many_identical_references_give_one_warning_each_not_one_per_pair():
    from sphinxcontrib_alignsurvey.reader import read_text

    survey = read_text(_survey_with_references(["The same title, again and again"] * 300), "same.md")
    near = [d for d in survey.diagnostics if d.kind == "reference-near-duplicate"]
    assert len(near) == 299  # not 300 * 299 / 2
    assert all("[1] and" in d.message for d in near)
