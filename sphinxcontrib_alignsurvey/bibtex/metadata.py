"""Curated metadata for cited works, read from ``ontology/works.yaml``.

Why a separate file: the surveys print only titles; authors, year and
identifiers were gathered by hand from public bibliographic sources and are
versioned beside the ontology.  The format is described in the file's header
and in ``docs/bibtex.rst``; the curation rules are checked by
``tests/test_works_metadata.py``.  A malformed file is reported with file and
line, never a traceback.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..core.cache import cached, key_of
from ..core.diagnostics import InputError
from ..core.resources import ontology_file
from ..core.works import normalise
from ..reader.references import clean_title

WORKS_FILE = "works.yaml"
#: The curated records of works the vocabularies cite (introducing or defining a concept) that no
#: bundled survey cites; same format, disjoint titles (tests/test_vocabularies.py).
INTRODUCING_FILE = "works-introducing.yaml"
ENTRY_TYPES = ("article", "inproceedings", "misc")
#: The keys a works.yaml record may have (the sourcing-policy test reads them from here).
RECORD_KEYS = frozenset(
    {
        "printed",
        "published_title",
        "authors",
        "authors_from",
        "year",
        "arxiv",
        "arxiv_year",
        "doi",
        "venue",
        "entrytype",
        "sources",
        "note",
    }
)


class MetadataError(InputError):
    """The metadata file is malformed; carries ``path:line``."""


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    confirms: tuple[str, ...]
    kind: str = ""  # arxiv | publisher | proceedings | openreview | dblp | author-bibtex | secondary
    via: str = ""  # how a copy of the page was read, when not at *url* itself


@dataclass(frozen=True, slots=True)
class WorkMetadata:
    """What is known about one work; ``None``/empty where nothing was verified."""

    printed: str
    published_title: str | None = None
    authors: tuple[str, ...] = ()
    authors_from: str | None = None  # "arXiv vN", "arXiv latest" or "published": where the names come from
    year: int | None = None  # year of the version cited (the venue's year when there is a venue)
    arxiv: str | None = None
    arxiv_year: int | None = None  # year of arXiv v1, only when it differs from ``year``
    doi: str | None = None
    venue: str | None = None
    entrytype: str = "misc"
    sources: tuple[Source, ...] = ()
    note: str = ""
    line: int = 0

    @property
    def normalised(self) -> str:
        """The key shared with :class:`~sphinxcontrib_alignsurvey.graph.works.Work`."""
        return normalise(clean_title(self.printed))


def default_metadata_path() -> Path:
    return ontology_file(WORKS_FILE)


def curated_metadata(works_file: str | Path | None = None) -> dict[str, WorkMetadata]:
    """The records of *works_file*, or by default of both curated files.

    Why both: a survey the project has never seen cites the works that
    introduced its methods (DPO, PPO, Constitutional AI) far more often than
    the bundled surveys' own references; their verified metadata belongs to
    any work that matches them, and the citation check counts them as verified.
    """
    if works_file is not None:
        return load_metadata(works_file)
    return {**load_metadata(ontology_file(INTRODUCING_FILE)), **load_metadata(default_metadata_path())}


_CACHE: dict[tuple[str, int, int], dict[str, WorkMetadata]] = {}


def load_metadata(path: str | Path | None = None) -> dict[str, WorkMetadata]:
    """Records keyed by normalised printed title.

    Kept per file (path, size and modification time), because one conversion
    reads the works file twice (verified titles for the check, then records
    for BibTeX); the records are frozen, the dict handed out a copy.  Kept on
    disk too (:mod:`..core.cache`), so a conversion parses no YAML unless the
    file changed.
    """
    path = Path(path) if path is not None else default_metadata_path()
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _CACHE:
        return dict(_CACHE[key])
    records = cached(_cache_kind(path), key_of([path], (sys.modules[__name__],)), partial(_load, path))
    if key is not None:
        if len(_CACHE) >= 4:  # the two curated files and a user's are all a run reads
            _CACHE.clear()
        _CACHE[key] = records
    return dict(records)


def _cache_kind(path: Path) -> str:
    """One cache entry per file name: a conversion reads both curated files (and perhaps a user's),
    and storing an entry drops the others of its kind.  By name, not path, so checkouts and
    environments of the same file share one entry instead of adding one each."""
    return "works_" + re.sub(r"[^0-9A-Za-z]+", "_", path.stem)


def _load(path: Path) -> dict[str, WorkMetadata]:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MetadataError(where, 0, f"cannot read metadata file: {exc}") from None
    import yaml  # only when the records are not cached (see load_metadata)

    try:
        # libyaml's loader when PyYAML was built with it: the works file parses ~10x faster
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        try:  # one parse: the node tree gives each record's line, and constructing it gives the values
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise MetadataError(where, mark.line + 1 if mark else 0, f"not valid YAML: {exc}") from None
    if not isinstance(data, list) or root is None:
        raise MetadataError(where, 1, "expected a list of work records")
    out: dict[str, WorkMetadata] = {}
    for node, raw in zip(root.value, data):
        line = node.start_mark.line + 1
        record = _record(raw, where, line)
        if record.normalised in out:
            raise MetadataError(
                where, line, f"second record for {record.printed!r} (first at line {out[record.normalised].line})"
            )
        out[record.normalised] = record
    return out


def _record(raw: object, where: str, line: int) -> WorkMetadata:
    def fail(message: str) -> MetadataError:
        return MetadataError(where, line, message)

    if not isinstance(raw, dict):
        raise fail("a record must be a mapping")
    unknown = set(raw) - RECORD_KEYS
    if unknown:
        raise fail(f"unknown field(s) {', '.join(sorted(unknown))}")
    printed = raw.get("printed")
    if not isinstance(printed, str) or not normalise(clean_title(printed)):
        raise fail("`printed` must be a non-empty title")
    authors = raw.get("authors") or []
    if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip() for a in authors):
        raise fail("`authors` must be a list of 'Family, Given' strings or null")
    for key in ("year", "arxiv_year"):
        if raw.get(key) is not None and (not isinstance(raw[key], int) or isinstance(raw[key], bool)):
            raise fail(f"`{key}` must be an integer or null")
    for key in ("published_title", "authors_from", "arxiv", "doi", "venue", "note"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise fail(f"`{key}` must be a string or null")
    entrytype = raw.get("entrytype") or "misc"
    if entrytype not in ENTRY_TYPES:
        raise fail(f"`entrytype` must be one of {', '.join(ENTRY_TYPES)}")
    sources = []
    for s in raw.get("sources") or []:
        if not isinstance(s, dict) or not isinstance(s.get("url"), str):
            raise fail("each source needs a `url`")
        sources.append(Source(s["url"], tuple(s.get("confirms") or ()), s.get("kind") or "", s.get("via") or ""))
    return WorkMetadata(
        printed=printed,
        published_title=raw.get("published_title") or None,
        authors=tuple(a.strip() for a in authors),
        authors_from=raw.get("authors_from") or None,
        year=raw.get("year"),
        arxiv=raw.get("arxiv") or None,
        arxiv_year=raw.get("arxiv_year"),
        doi=raw.get("doi") or None,
        venue=raw.get("venue") or None,
        entrytype=entrytype,
        sources=tuple(sources),
        note=raw.get("note") or "",
        line=line,
    )
