"""The cycle collector is paused only while a survey is read, and has nothing to find there (reader/pause.py)."""

from __future__ import annotations

import gc
import importlib.util
import threading

import pytest

from sphinxcontrib_alignsurvey.reader import read_survey, read_text
from sphinxcontrib_alignsurvey.reader.pause import cycle_collector_paused

from .conftest import ROOT, SURVEY_A

_spec = importlib.util.spec_from_file_location("adversarial_shapes", ROOT / "benchmarks" / "adversarial_shapes.py")
shapes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shapes)


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_reading_leaves_no_cyclic_garbage(collector_on):
    """Why the pause is safe: whatever a read builds, reference counting frees."""
    inputs = [SURVEY_A.read_text(encoding="utf-8")] + [build(20_000) for build in shapes.SHAPES.values()]
    read_text(inputs[0], "warm-up.md")
    gc.collect()
    gc.disable()
    try:
        for number, text in enumerate(inputs):
            survey = read_text(text, f"input-{number}.md")
            del survey
            assert gc.collect() == 0, f"input {number} left reference cycles"
    finally:
        gc.enable()


def test_the_collector_runs_during_a_read_no_more(collector_on):
    seen: list[bool] = []
    with cycle_collector_paused():
        seen.append(gc.isenabled())
        with cycle_collector_paused():  # a nested read
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())
    assert seen == [False, False, False]
    assert gc.isenabled()
    read_survey(SURVEY_A)
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(collector_on):
    gc.disable()
    read_survey(SURVEY_A)
    assert not gc.isenabled()
    gc.enable()


def test_the_collector_is_back_after_a_read_that_fails(collector_on, tmp_path):
    with pytest.raises(ZeroDivisionError), cycle_collector_paused():
        raise ZeroDivisionError
    assert gc.isenabled()


def test_concurrent_reads_turn_the_collector_back_on_once_all_are_done(collector_on):
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with cycle_collector_paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    inside.wait(10)
    read_survey(SURVEY_A)  # starts and ends while the other read is still going
    still_paused = not gc.isenabled()
    release.set()
    thread.join(10)
    assert still_paused
    assert gc.isenabled()
