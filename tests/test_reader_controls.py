"""Control characters never reach an output (issue 15, item 10).

A form feed, an escape sequence or a noncharacter in a survey used to make
``graph.rdf`` ill-formed XML and reach the terminal raw through ``summary``.
The reader takes them out with a warning naming file and line; printed
diagnostics escape what is left (file names).
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from sphinxcontrib_alignsurvey.core.diagnostics import Diagnostic, printable
from sphinxcontrib_alignsurvey.reader import read_survey, read_text
from sphinxcontrib_alignsurvey.reader.controls import CONTROL, has_control

from .conftest import DATA, ROOT

SAMPLE = DATA / "malformed" / "31-control-characters.md"


def _texts(survey) -> list[str]:
    out = [survey.title]
    out += [s.title for s in survey.sections]
    out += [s.text for s in survey.sentences]
    out += [t for r in survey.references for t in (r.title, r.printed, r.url)]
    return out


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "dumb"}
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_alignsurvey.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_model_holds_no_control_character():
    survey = read_survey(SAMPLE)
    assert not [t for t in _texts(survey) if CONTROL.search(t)]
    assert survey.title == "A Survey of [1mOversight[0m"
    assert [s.title for s in survey.sections] == ["Intro[31mduction"]
    assert [r.title for r in survey.references] == ["First Work on Alignment", "Second Work on Reward Models"]
    assert [s.text for s in survey.sentences] == ["Text cites [1] and [2]."]


def test_each_line_with_control_characters_is_named():
    survey = read_survey(SAMPLE)
    found = {d.line: d.message for d in survey.diagnostics if d.kind == "control-character"}
    assert sorted(found) == [1, 3, 5, 9, 11]
    assert "U+000C (form feed) replaced by a space" in found[1] and "U+001B (escape) removed" in found[1]
    assert "U+000B (vertical tab) replaced by a space" in found[5] and "U+0001 removed" in found[5]
    assert "U+FFFE (noncharacter) removed" in found[11]
    assert all(not d.is_error for d in survey.diagnostics)


def test_line_numbers_survive_the_cleaning():
    text = "# T\x0c\n\n## 1 A\n\nOne [1].\x1b\n\nTwo [1].\n\n## References\n\n[1]\x0b A Work on Things\n"
    survey = read_text(text, "x.md")
    assert [(s.text, s.line) for s in survey.sentences] == [("One [1].", 5), ("Two [1].", 7)]
    assert [(r.title, r.line) for r in survey.references] == [("A Work on Things", 11)]


def test_many_lines_give_a_bounded_number_of_warnings():
    text = "# T\n\n## 1 A\n\n" + "Text\x0c here [1].\n" * 500 + "\n## References\n\n[1] A Work\n"
    found = [d for d in read_text(text, "x.md").diagnostics if d.kind == "control-character"]
    assert len(found) == 21  # twenty lines named, then one warning counting the other 480
    assert "480 more lines (from line 25 to line 504)" in found[-1].message


def test_graph_rdf_is_well_formed_xml_and_bib_is_clean(tmp_path):
    from sphinxcontrib_alignsurvey.cli import main

    assert main(["convert", str(SAMPLE), "--out", str(tmp_path), "--format", "ttl,xml"]) == 0
    ET.parse(tmp_path / "graph.rdf")  # before: not well-formed (invalid token)
    for bib in tmp_path.glob("*.bib"):
        assert not CONTROL.search(bib.read_text(encoding="utf-8")), bib


def test_summary_prints_no_escape_sequence():
    proc = _cli("summary", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert not CONTROL.search(proc.stdout + proc.stderr)  # before: the title's ESC and form feed, raw
    assert "Oversight" in proc.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="control characters in file names need POSIX")
def test_lint_escapes_a_file_name_with_control_characters(tmp_path):
    path = tmp_path / "odd\x1b[31mname.md"
    path.write_text("no survey here\n", encoding="utf-8")
    proc = _cli("lint", str(path))
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout and "odd\\x1b[31mname.md:1: error:" in proc.stdout


def test_printable_escapes_c0_c1_and_del_but_keeps_text():
    assert printable("a\x1bb\x9bc\x7fd\te é 中") == "a\\x1bb\\x9bc\\x7fd\te é 中"
    assert Diagnostic("p\n.md", 2, "k", "m\x07").format() == "p\\x0a.md:2: warning: [k] m\\x07"


_EDGES = "".join(
    chr(c)
    for c in (0x00, 0x08, 0x09, 0x0A, 0x0B, 0x0D, 0x0E, 0x1F, 0x20, 0x7E, 0x7F, 0x9F, 0xA0, 0xFDCF, 0xFDD0, 0xFDEF)
    + (0xFDF0, 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1FFFD, 0x1FFFE, 0x1FFFF)
    + (0x20000, 0x10FFFD, 0x10FFFE, 0x10FFFF, 0x1D53C)
)


def test_the_quick_test_for_control_characters_agrees_with_the_pattern():
    """``has_control`` (the reader's fast path) finds a character exactly when ``CONTROL`` does."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    for ch in _EDGES:
        for text in (ch, f"plain words {ch} more", "𝔼 " + ch):
            assert has_control(text) == (CONTROL.search(text) is not None), hex(ord(ch))

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet=st.sampled_from(_EDGES + "ab \n"), max_size=40) | st.text(max_size=40))
    def agree(text: str) -> None:
        assert has_control(text) == (CONTROL.search(text) is not None)

    agree()
