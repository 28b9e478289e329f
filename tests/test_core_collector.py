"""The collector's pace during long runs: raised inside, the caller's outside, a host's higher choice kept."""

from __future__ import annotations

import gc

import pytest

from sphinxcontrib_alignsurvey.core.collector import (
    BUILD_GC_THRESHOLD,
    DOCS_GC_THRESHOLD,
    collect_less,
    collecting_less,
    restore,
)


@pytest.fixture
def pace():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_raised_in_the_block_and_restored_after(pace):
    gc.set_threshold(700, 10, 10)
    with collecting_less():
        assert gc.get_threshold() == BUILD_GC_THRESHOLD
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_after_an_error(pace):
    gc.set_threshold(700, 10, 10)
    with pytest.raises(KeyboardInterrupt), collecting_less():
        raise KeyboardInterrupt
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_threshold_of_the_host_is_kept(pace):
    gc.set_threshold(100_000, 5, 1_000)
    previous = collect_less()
    assert gc.get_threshold() == (100_000, BUILD_GC_THRESHOLD[1], 1_000)
    restore(previous)
    assert gc.get_threshold() == (100_000, 5, 1_000)


def test_a_pace_of_its_own(pace):
    gc.set_threshold(700, 10, 10)
    with collecting_less(DOCS_GC_THRESHOLD):
        assert gc.get_threshold() == DOCS_GC_THRESHOLD
    assert gc.get_threshold() == (700, 10, 10)
