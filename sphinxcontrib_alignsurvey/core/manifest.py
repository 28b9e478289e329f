"""The record of one conversion in its output folder, and which graph file a folder stands for.

Why a manifest: a folder converted twice used to hold two conversions at once
(formats and ``.bib`` files the second run did not write stayed), and readers
loaded every RDF file in it.  ``alignsurvey-manifest.json`` lists the inputs and
every output with its SHA-256 and role; it is written last, so it always
describes a complete conversion, and readers take the graph it names.  It holds
no paths or times, so the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .formats import BY_SUFFIX, WRITTEN

MANIFEST_NAME = "alignsurvey-manifest.json"
SCHEMA = "https://w3id.org/alignsurvey/manifest/1"

#: Which serialisation of one graph a reader takes when several are there.
PREFERENCE: tuple[str, ...] = tuple(dict.fromkeys([*(f.suffix for f in WRITTEN), *BY_SUFFIX]))


class ManifestError(ValueError):
    """A manifest that cannot be read, or a folder that does not say which graph it holds."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One file: an input (role ``survey``/``metadata``) or an output (``graph``, ``bibtex``, ``survey-bibtex``)."""

    name: str
    role: str
    sha256: str
    format: str | None = None  # graph outputs: the --format name

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True)
class Manifest:
    generator: str
    inputs: tuple[Entry, ...]
    outputs: tuple[Entry, ...]

    def to_bytes(self) -> bytes:
        data = {
            "manifest": SCHEMA,
            "generator": self.generator,
            "inputs": [e.as_dict() for e in self.inputs],
            "outputs": [e.as_dict() for e in self.outputs],
        }
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes, where: Path | str = MANIFEST_NAME) -> Manifest:
        try:
            raw = json.loads(data.decode("utf-8"))
            if raw.get("manifest") != SCHEMA:
                raise ValueError(f"not an alignsurvey manifest ({SCHEMA})")
            entries = {key: tuple(_entry(e) for e in raw[key]) for key in ("inputs", "outputs")}
            return cls(str(raw["generator"]), entries["inputs"], entries["outputs"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ManifestError(f"{where}: unreadable manifest: {exc}") from None

    @property
    def graphs(self) -> list[Entry]:
        """The graph outputs, the one readers should take first."""
        found = [e for e in self.outputs if e.role == "graph"]
        return sorted(found, key=lambda e: _rank(Path(e.name).suffix))


def _entry(raw: dict) -> Entry:
    name = str(raw["name"])
    if "/" in name or "\\" in name or name in ("", ".", ".."):
        raise ValueError(f"{name!r} is not a file name in the folder")
    return Entry(name, str(raw["role"]), str(raw["sha256"]), raw.get("format"))


def _rank(suffix: str) -> int:
    return PREFERENCE.index(suffix) if suffix in PREFERENCE else len(PREFERENCE)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest, or None if it has none."""
    path = Path(folder) / MANIFEST_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return Manifest.from_bytes(data, path)


def changed_outputs(folder: Path, manifest: Manifest) -> list[tuple[Path, str]]:
    """Outputs the manifest lists that are missing or differ from what was written, with why."""
    problems = []
    for entry in manifest.outputs:
        path = Path(folder) / entry.name
        if not path.is_file():
            problems.append((path, "missing"))
        elif sha256_file(path) != entry.sha256:
            problems.append((path, "changed since alignsurvey wrote it"))
    return problems


def folder_graph(folder: Path) -> Path:
    """The one RDF file a folder stands for.

    With a manifest: the graph it lists, Turtle first.  Without one: the files of
    one name stem (``graph.ttl``, ``graph.nt``, ...) are taken as serialisations of
    one graph and the preferred one is read; several stems mean several unrelated
    graphs, which is an error rather than a silent union.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is not None:
        if not manifest.graphs:
            raise ManifestError(f"{folder / MANIFEST_NAME}: the conversion wrote no graph")
        graph = folder / manifest.graphs[0].name
        if not graph.is_file():
            raise ManifestError(f"{graph}: listed in {MANIFEST_NAME} but missing; run the conversion again")
        return graph
    found = sorted(f for f in folder.iterdir() if f.suffix.lower() in BY_SUFFIX and f.is_file())
    if not found:
        raise ManifestError(f"{folder}: folder holds no RDF files ({', '.join(sorted(BY_SUFFIX))})")
    stems = sorted({f.stem for f in found})
    if len(stems) > 1:
        names = ", ".join(f.name for f in found)
        raise ManifestError(
            f"{folder}: folder holds several graphs ({names}) and no {MANIFEST_NAME}; "
            "name the files to read, or convert into a folder of its own"
        )
    return min(found, key=lambda f: (_rank(f.suffix.lower()), f.name))
