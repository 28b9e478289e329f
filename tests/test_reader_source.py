"""What the reader accepts as a survey file (issue 15, items 3 and 11).

A named pipe, a socket or a device is refused with a message instead of
blocking forever; UTF-16 says what it is (read with a byte-order mark, named
without one); survey ids of file names without Latin letters stay distinct.
The CLI runs go through a subprocess with a timeout, so a reader that blocks
fails the test instead of hanging it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.core.diagnostics import SurveyError
from sphinxcontrib_alignsurvey.reader import read_survey, read_text, survey_id

from .conftest import DATA, ROOT

MALFORMED = DATA / "malformed"
SURVEY = "# A Survey\n\n## 1 Introduction\n\nText cites [1].\n\n## References\n\n[1] First Work on Alignment\n"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_alignsurvey.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
        check=False,
    )


@needs_fifo
@pytest.mark.parametrize("command", ["lint", "summary", "convert"])
def test_fifo_is_refused_not_waited_on(tmp_path, command):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    args = [command, str(fifo)] + (["--out", str(tmp_path / "out")] if command == "convert" else [])
    proc = _cli(*args)  # before the fix: blocked in open() until the timeout
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert f"{fifo}: error: [unreadable] is a named pipe (FIFO), not a regular file" in output
    assert "Traceback" not in output
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets need POSIX")
def test_socket_is_refused(tmp_path):
    path = tmp_path / "sock.md"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        with pytest.raises(SurveyError) as info:
            read_survey(path)
        assert "is a socket, not a regular file" in info.value.message
    finally:
        server.close()


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_character_device_is_refused():
    with pytest.raises(SurveyError) as info:
        read_survey("/dev/null")  # before the fix: read as an empty survey
    assert info.value.message == "is a character device, not a regular file; a survey must be a file on disk"


def test_symlink_to_a_regular_file_is_read(tmp_path):
    target = tmp_path / "real.md"
    target.write_text(SURVEY, encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert read_survey(link).title == "A Survey"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_text_with_a_byte_order_mark_is_read_and_named(tmp_path, codec):
    path = tmp_path / "wide.md"
    data = SURVEY.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    survey = read_survey(path)
    plain = read_text(SURVEY, str(path))
    assert [(r.number, r.title, r.line) for r in survey.references] == [(1, "First Work on Alignment", 9)]
    assert [(s.text, s.line) for s in survey.sentences] == [(s.text, s.line) for s in plain.sentences]
    notes = [d for d in survey.diagnostics if d.kind == "encoding"]
    assert len(notes) == 1 and notes[0].line == 1 and not notes[0].is_error
    assert ("UTF-32" if codec == "utf-32" else "UTF-16") in notes[0].message


def test_utf16_without_a_mark_is_named():
    with pytest.raises(SurveyError) as info:
        read_survey(MALFORMED / "40-utf16-no-bom.md")  # before: "binary file (NUL byte)"
    assert info.value.message == "looks like UTF-16LE text without a byte-order mark; re-save the file as UTF-8"


def test_binary_file_is_still_binary():
    with pytest.raises(SurveyError) as info:
        read_survey(MALFORMED / "03-binary.md")
    assert "binary" in info.value.message


@pytest.mark.parametrize(
    "names",
    [("★.md", "☆.md"), ("综述.md", "调查.md"), ("LLM对齐.md", "LLM安全.md"), ("обзор.md", "σύνοψη.md")],
)
def test_ids_of_names_without_latin_letters_stay_distinct(names):
    ids = [survey_id(n) for n in names]
    assert len(set(ids)) == 2, ids  # before: "section" twice, or "llm" twice
    for sid in ids:
        assert sid.isascii() and sid == sid.lower() and " " not in sid and sid.strip("-") == sid
    assert [survey_id(n) for n in names] == ids  # stable


def test_ids_of_latin_names_are_unchanged():
    assert survey_id("examples/surveys/alignment-survey-1ef323be.md") == "alignment-survey-1ef323be"
    assert survey_id("My Survey (v2).md") == "my-survey-v2"
    assert survey_id("Überblick.md") == "uberblick"  # accents folded, not dropped


def test_convert_keeps_two_surveys_with_symbol_names_apart(tmp_path, capsys):
    from sphinxcontrib_alignsurvey.cli import main

    for name in ("★.md", "☆.md"):
        (tmp_path / name).write_text(SURVEY, encoding="utf-8")
    code = main(["convert", str(tmp_path / "★.md"), str(tmp_path / "☆.md"), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 0, err  # before: "survey id 'section' is also the id of ..."
    assert "2 survey(s)" in out + err
