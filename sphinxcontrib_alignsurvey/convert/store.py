"""Survey parts kept in the output folder, so surveys can be added later without re-reading the others.

Layout, beside the outputs::

    .alignsurvey-parts.json          the index: an output of the conversion (listed in its manifest)
    .alignsurvey-parts/<id>-<sha>.nt     a survey's sorted N-Triples run
    .alignsurvey-parts/<id>-<sha>.json   what the merge needs of it: header, references,
                                         findings, cross-survey links, namespaces

Part files are named by their digest, so they never change once written:
an interrupted conversion leaves at worst unreferenced files, which the next
one removes.  The index switches with the other outputs (see
:mod:`..core.publish`) and names the settings digest (version, vocabulary,
verified titles, metadata files, thresholds): parts made with other settings
are refused rather than merged into something no single conversion would give.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

from ..check import Finding
from ..check.findings import Kind
from ..core.diagnostics import Diagnostic, Severity
from ..core.lock import folder_lock
from ..core.manifest import sha256_file
from ..core.model import Reference, Survey
from ..links.model import LinkKey, LinkTable, Relation, Support, SurveyLinks
from .parts import SurveyPart

INDEX_NAME = ".alignsurvey-parts.json"
PARTS_DIR = ".alignsurvey-parts"
FORMAT = "https://w3id.org/alignsurvey/parts/1"


class PartsError(Exception):
    """A folder whose parts cannot be used; the message says why and what to do."""


# -- records ---------------------------------------------------------------------------
def _survey(s: Survey) -> dict[str, Any]:
    return {
        "id": s.id,
        "path": s.path,
        "title": s.title,
        "title_line": s.title_line,
        "sha256": s.sha256,
        "references": [[r.number, r.printed, r.title, r.line, r.url] for r in s.references],
        "diagnostics": [[d.path, d.line, d.kind, d.message, d.severity.value] for d in s.diagnostics],
    }


def _survey_from(d: dict[str, Any]) -> Survey:
    return Survey(
        id=d["id"],
        path=d["path"],
        title=d["title"],
        title_line=d["title_line"],
        sha256=d["sha256"],
        sections=(),
        sentences=(),
        references=tuple(Reference(*row) for row in d["references"]),  # (number, printed, title, line, url)
        diagnostics=tuple(
            Diagnostic(p, line, kind, msg, Severity(sev)) for p, line, kind, msg, sev in d["diagnostics"]
        ),
    )


def _finding(f: Finding) -> dict[str, Any]:
    d = dataclasses.asdict(f)
    d["kind"] = f.kind.value
    d["lines"] = list(f.lines)
    return d


def _finding_from(d: dict[str, Any]) -> Finding:
    return Finding(**{**d, "kind": Kind(d["kind"]), "lines": tuple(d["lines"])})


def _links(table: LinkTable) -> list[Any]:
    out = []
    for key, evidence in table.items():
        sentences = [
            [s, dataclasses.asdict(evidence.support[s]) if s in evidence.support else None]
            for s in sorted(evidence.sentences)
        ]
        out.append([key.relation.value, key.left, key.right, sentences])
    return out


def _links_from(rows: list[Any]) -> LinkTable:
    table = LinkTable()
    for relation, left, right, sentences in rows:
        key = LinkKey(Relation(relation), left, right)
        for sentence, support in sentences:
            table.add(key, sentence, Support(**support) if support is not None else None)
    return table


def record(part: SurveyPart, settings: str) -> bytes:
    """The part as JSON (its run is a file of its own)."""
    data = {
        "parts": FORMAT,
        "settings": settings,
        "survey": _survey(part.survey),
        "findings": [_finding(f) for f in part.findings],
        "links": _links(part.links.corpus) if part.links is not None else [],
        "mentions": part.mentions,
        "namespaces": sorted(part.namespaces),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def part_from(data: bytes, run: Path) -> SurveyPart:
    raw = json.loads(data.decode("utf-8"))
    survey = _survey_from(raw["survey"])
    links = SurveyLinks(survey.id, corpus=_links_from(raw["links"]))
    return SurveyPart(
        survey,
        tuple(_finding_from(f) for f in raw["findings"]),
        links,
        run,
        frozenset(raw["namespaces"]),
        int(raw["mentions"]),
        source=survey.path,
    )


# -- the folder --------------------------------------------------------------------------
def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _place(source: Path, target: Path) -> None:
    """*source*'s bytes at *target*, atomically; a hard link when both are on one file system."""
    if target.exists():
        return
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def write_index(folder: Path, parts: Sequence[SurveyPart], settings: str, fh: IO[bytes]) -> None:
    """Put every part's files in the parts folder (those already there stay) and write the index to *fh*.

    Called while the conversion holds the folder's lock, before its outputs switch.
    """
    store = folder / PARTS_DIR
    store.mkdir(exist_ok=True)
    entries = []
    for part in sorted(parts, key=lambda p: p.survey.id):
        assert part.run is not None
        run_sha = part.run_sha256 or sha256_file(part.run)
        stem = f"{part.survey.id}-{run_sha[:16]}"
        run_name = f"{stem}.nt"
        if part.run.resolve() != (store / run_name).resolve():
            _place(part.run, store / run_name)
        data = record(part, settings)
        record_name = f"{part.survey.id}-{_digest(data)[:16]}.json"
        target = store / record_name
        if not target.exists():
            tmp = target.with_name(f".{record_name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        entries.append(
            {
                "survey": part.survey.id,
                "record": record_name,
                "record_sha256": _digest(data),
                "run": run_name,
                "run_sha256": run_sha,
            }
        )
    index = {"parts": FORMAT, "settings": settings, "surveys": entries}
    fh.write((json.dumps(index, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def load_parts(folder: str | Path, settings: str) -> list[SurveyPart]:
    """The parts of the conversion in *folder*, checked against their digests and *settings*."""
    folder = Path(folder)
    index_path = folder / INDEX_NAME
    try:
        index = json.loads(index_path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise PartsError(
            f"{folder}: holds no survey parts ({INDEX_NAME}); convert all surveys with --keep-parts first"
        ) from None
    except ValueError as exc:
        raise PartsError(f"{index_path}: unreadable: {exc}") from None
    if not isinstance(index, dict) or index.get("parts") != FORMAT:
        raise PartsError(f"{index_path}: not an alignsurvey parts index ({FORMAT})")
    if index.get("settings") != settings:
        raise PartsError(
            f"{folder}: its surveys were converted with other settings (alignsurvey version, "
            "vocabulary, --metadata files or check thresholds); convert all surveys again"
        )
    store = folder / PARTS_DIR
    parts = []
    for entry in index.get("surveys", []):
        try:
            data = (store / entry["record"]).read_bytes()
            run = store / entry["run"]
            if _digest(data) != entry["record_sha256"] or sha256_file(run) != entry["run_sha256"]:
                raise PartsError(
                    f"{store}: the part of survey {entry['survey']!r} was changed since it was "
                    "written; convert all surveys again"
                )
            part = part_from(data, run)
            part.run_sha256 = entry["run_sha256"]
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise PartsError(
                f"{store}: the part of survey {entry.get('survey')!r} cannot be read ({exc}); convert all surveys again"
            ) from None
        parts.append(part)
    return parts


def prune(folder: str | Path, wait: float = 0.0) -> None:
    """Remove part files the folder's current index does not name (all of them without an index)."""
    folder = Path(folder)
    store = folder / PARTS_DIR
    if not store.is_dir():
        return
    with folder_lock(folder, wait):
        try:
            index = json.loads((folder / INDEX_NAME).read_bytes().decode("utf-8"))
            keep = {name for e in index["surveys"] for name in (e["record"], e["run"])}
        except FileNotFoundError:
            keep = set()
        except (ValueError, KeyError, TypeError):
            return  # not ours to judge
        for path in store.iterdir():
            if path.name not in keep and path.is_file():
                with suppress(FileNotFoundError):
                    path.unlink()
        if not keep:
            with suppress(OSError):
                store.rmdir()
