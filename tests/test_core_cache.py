"""The on-disk cache of compiled values: the same values as a fresh build, rebuilt whenever an input
or the code changes, and never in the way (unreadable entries, unwritable folders, switched off)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sphinxcontrib_alignsurvey.bibtex import metadata
from sphinxcontrib_alignsurvey.core import cache
from sphinxcontrib_alignsurvey.links.mentions import MentionFinder, finders
from sphinxcontrib_alignsurvey.links.vocabulary import Vocabulary, load_vocabulary

from .conftest import SURVEY_A

VOCAB = """@prefix align: <https://w3id.org/alignsurvey/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/mine#> .
ex:scheme a skos:ConceptScheme .
ex:{id} a align:Method ; skos:prefLabel "{label}"@en ; skos:definition "A method of ours."@en ;
    skos:inScheme ex:scheme .
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(where))
    return where


class Counted:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> list[int]:
        self.calls += 1
        return [1, 2, 3]


def test_a_value_is_built_once_then_read(folder: Path) -> None:
    build = Counted()
    assert cache.cached("thing", "k1", build) == [1, 2, 3]
    assert cache.cached("thing", "k1", build) == [1, 2, 3]
    assert build.calls == 1
    assert [p.name for p in folder.iterdir()] == ["thing-k1.pickle"]


def test_a_new_key_replaces_the_old_entry(folder: Path) -> None:
    cache.cached("thing", "k1", Counted())
    cache.cached("thing", "k2", Counted())
    cache.cached("other", "k1", Counted())
    assert sorted(p.name for p in folder.iterdir()) == ["other-k1.pickle", "thing-k2.pickle"]


def test_a_damaged_entry_is_rebuilt(folder: Path) -> None:
    folder.mkdir()
    (folder / "thing-k1.pickle").write_bytes(b"not a pickle")
    build = Counted()
    assert cache.cached("thing", "k1", build) == [1, 2, 3]
    assert build.calls == 1
    assert pickle.loads((folder / "thing-k1.pickle").read_bytes()) == [1, 2, 3]


def test_switched_off_or_unwritable_only_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    build = Counted()
    cache.cached("thing", "k1", build)
    cache.cached("thing", "k1", build)
    assert build.calls == 2 and cache.cache_dir() is None
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))  # cannot be created
    assert cache.cached("thing", "k1", build) == [1, 2, 3]
    assert cache.cached("thing", None, build) == [1, 2, 3]  # no key: an input could not be read
    assert build.calls == 4


def test_the_key_follows_bytes_and_code(tmp_path: Path) -> None:
    data = tmp_path / "data.txt"
    data.write_text("one")
    first = cache.key_of([data], (cache,))
    assert cache.key_of([data], (cache,)) == first
    assert cache.key_of([data], (cache, metadata)) != first  # other code builds it
    assert cache.key_of([data], (cache,), extra="x") != first
    data.write_text("two")
    assert cache.key_of([data], (cache,)) != first
    assert cache.key_of([tmp_path / "missing.txt"]) is None


def test_vocabulary_and_matchers_from_the_cache_equal_fresh_ones(
    folder: Path, monkeypatch: pytest.MonkeyPatch, survey_a
) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    fresh = load_vocabulary()
    fresh_plain = MentionFinder(fresh.concepts)
    fresh_cued = MentionFinder(fresh.concepts, fresh.cue_sets)
    monkeypatch.setenv(cache.ENV, str(folder))
    load_vocabulary()  # stores
    stored = load_vocabulary()  # reads
    assert stored.source and {p.name.split("-")[0] for p in folder.iterdir()} == {"vocabulary"}
    assert stored == fresh and stored.triples == fresh.triples
    finders(stored)  # stores
    plain, cued = finders(stored)  # reads
    assert {p.name.split("-")[0] for p in folder.iterdir()} == {"vocabulary", "matchers"}
    for sentence in survey_a.sentences:
        assert plain.find(sentence.text) == fresh_plain.find(sentence.text)
        assert cued.find(sentence.text) == fresh_cued.find(sentence.text)


def test_a_cached_vocabulary_parses_its_triples_only_when_they_are_read(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its triples stay N-Triples until read (a conversion with everything cached never reads them)."""
    from sphinxcontrib_alignsurvey.links.vocabulary import Triples

    monkeypatch.setenv(cache.ENV, "off")
    fresh = load_vocabulary()
    monkeypatch.setenv(cache.ENV, str(folder))
    load_vocabulary()  # stores
    stored = load_vocabulary()  # reads
    assert isinstance(stored.triples, Triples) and stored.triples._parsed is None
    assert stored.cited_works() == fresh.cited_works()  # compiled (reading the triples) and stored
    later = load_vocabulary()
    assert later.cited_works() == fresh.cited_works() and later.triples._parsed is None  # read back
    assert stored.triples == fresh.triples and fresh.triples == later.triples  # parsed now
    assert len(stored.triples) == len(fresh.triples) and stored.triples[3] == fresh.triples[3]
    assert stored.triples[:2] == fresh.triples[:2] and hash(stored.triples) == hash(fresh.triples)
    again = pickle.loads(pickle.dumps(stored.triples))
    assert isinstance(again, Triples) and again._parsed is None and again == fresh.triples
    assert stored.triples != fresh.triples[:-1]


def test_values_compiled_from_the_vocabulary_come_from_the_cache_unchanged(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The citation check's label words and the vocabulary's N-Triples lines: stored once, then read."""
    from sphinxcontrib_alignsurvey.check.model import VocabularyWords
    from sphinxcontrib_alignsurvey.graph.build import vocabulary_lines
    from sphinxcontrib_alignsurvey.graph.ntriples import Lines

    monkeypatch.setenv(cache.ENV, str(folder))
    vocabulary = load_vocabulary()
    plain = MentionFinder(vocabulary.concepts)
    fresh_words = VocabularyWords.of(vocabulary.concepts, vocabulary.triples, plain)
    fresh_lines = Lines()
    fresh_lines.extend(vocabulary.triples)
    for _ in range(2):  # stores, then reads
        words = VocabularyWords.of_vocabulary(vocabulary, plain)
        lines, namespaces = vocabulary_lines(vocabulary)
        assert words == fresh_words and words.finder is plain
        assert lines == fresh_lines.lines and namespaces == fresh_lines.namespaces
    assert {p.name.split("-")[0] for p in folder.iterdir()} >= {"words", "vocabulary_lines"}
    # a vocabulary made in memory has no files to key a cache entry on: computed, nothing stored
    made = Vocabulary(vocabulary.concepts[:3], vocabulary.triples[:10])
    before = sorted(folder.iterdir())
    assert vocabulary_lines(made)[0] == [f"{t} .\n" for t in made.triples]
    assert VocabularyWords.of_vocabulary(made, plain).kinds == {c.iri: c.kind for c in made.concepts}
    assert sorted(folder.iterdir()) == before


def test_an_edited_user_vocabulary_is_read_again(folder: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.ttl"
    mine.write_text(VOCAB.format(id="first", label="First Method"), encoding="utf-8")
    one = load_vocabulary(extra=[mine])
    assert any(c.pref_label == "First Method" for c in one.concepts)
    mine.write_text(VOCAB.format(id="other", label="Other Method"), encoding="utf-8")
    two = load_vocabulary(extra=[mine])
    labels = {c.pref_label for c in two.concepts}
    assert "Other Method" in labels and "First Method" not in labels  # same length: the bytes count
    assert one.source != two.source


def test_work_metadata_from_the_cache_equals_the_yaml(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = metadata.default_metadata_path()
    fresh = metadata._load(path)
    metadata._CACHE.clear()
    metadata.load_metadata(path)  # stores
    metadata._CACHE.clear()
    assert [p.name.split("_")[0] for p in folder.iterdir()] == ["works"]
    assert metadata.load_metadata(path) == fresh


def test_both_curated_files_stay_cached_so_a_second_run_parses_no_yaml(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file keeps its own entry: storing one must not drop the other's (it once did, and every
    conversion parsed both files)."""
    metadata._CACHE.clear()
    first = metadata.curated_metadata()
    assert len([p for p in folder.iterdir() if p.name.startswith("works_")]) == 2
    metadata._CACHE.clear()
    monkeypatch.setattr(metadata, "_load", lambda path: pytest.fail(f"{path} parsed again"))
    assert metadata.curated_metadata() == first


def test_a_temporary_left_by_a_killed_write_goes_with_the_next_store(folder: Path) -> None:
    import os
    import time

    folder.mkdir(parents=True, exist_ok=True)
    old, young = folder / ".thing-killed.tmp", folder / ".thing-writing.tmp"
    old.write_bytes(b"")
    young.write_bytes(b"")
    an_hour_ago = time.time() - cache.STALE_TEMP_SECONDS - 60
    os.utime(old, (an_hour_ago, an_hour_ago))
    cache.cached("thing", "k1", lambda: [1])
    assert not old.exists() and young.exists()  # another process may be writing the young one


def test_copies_of_a_works_file_in_other_folders_share_one_cache_entry(
    folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Entries are kept per file name, so checkouts and environments do not pile up entries."""
    for where in ("a", "b"):
        copy = tmp_path / where / "works.yaml"
        copy.parent.mkdir()
        copy.write_bytes(metadata.default_metadata_path().read_bytes() + f"# {where}\n".encode())
        metadata._CACHE.clear()
        metadata.load_metadata(copy)
    assert [p.name.rsplit("-", 1)[0] for p in folder.iterdir()] == ["works_works"]


def test_a_conversion_with_the_cache_writes_the_same_bytes(
    folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sphinxcontrib_alignsurvey.convert import convert, write_graph

    outs = []
    for setting in ("off", str(folder), str(folder)):  # no cache, filling it, reading it
        monkeypatch.setenv(cache.ENV, setting)
        metadata._CACHE.clear()
        out = tmp_path / f"out-{len(outs)}"
        write_graph(convert([SURVEY_A]), out, ["ttl"])
        outs.append({p.name: p.read_bytes() for p in out.iterdir() if p.is_file()})
    assert outs[0] == outs[1] == outs[2]
    kinds = {p.name.split("-")[0].split("_")[0] for p in folder.iterdir()}
    assert kinds == {"vocabulary", "matchers", "words", "works", "cited"}
