"""The SKOS vocabularies of methods, challenges and benchmarks, as records.

The Turtle files in ``ontology/`` are the source of truth; this module reads
them once into :class:`Concept` records that the mention finder, the graph
builder and the Sphinx extension share.  A user's own vocabulary files are
read the same way (:func:`load_vocabulary`): they extend the bundled schemes
(``extra``) or replace them (``paths``); a file that cannot be used raises
:class:`VocabularyError` naming ``file:line`` for every problem at once.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

import pyoxigraph as ox

from ..core import namespaces
from ..core.cache import cached, compiled_from, key_of
from ..core.diagnostics import Diagnostic, Severity
from ..core.namespaces import ALIGN, DCTERMS, RDF, SKOS, local_name
from ..core.resources import ontology_file

# The concept classes the converter reads, and the kind each becomes.  align:System is not
# read: systems are named applications of methods, not concepts to find in sentences.
KIND_OF_CLASS: dict[str, str] = {
    ALIGN.Method.value: "method",
    ALIGN.Challenge.value: "challenge",
    ALIGN.Benchmark.value: "benchmark",
}
CLASS_OF_KIND: dict[str, str] = {kind: cls for cls, kind in KIND_OF_CLASS.items()}
KINDS: tuple[str, ...] = tuple(KIND_OF_CLASS.values())
SCHEMA_FILE = "alignsurvey.ttl"
VOCABULARY_FILES: tuple[str, ...] = (SCHEMA_FILE, "methods.ttl", "challenges.ttl", "benchmarks.ttl")
SKOS_CONCEPT = SKOS.Concept.value


@dataclass(frozen=True, slots=True)
class Concept:
    iri: str
    id: str
    kind: str  # one of KINDS
    pref_label: str
    alt_labels: tuple[str, ...]
    notation: str | None
    definition: str
    broader: tuple[str, ...]
    sources: tuple[str, ...]
    # Mentions that mean the concept (see links.mentions): labels that count only beside a cue,
    # the cues (words, or IRIs of align:CueSet), and phrases that look like a label but are not.
    context_labels: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    false_senses: tuple[str, ...] = ()
    # cues of the concept's scheme: every label of the concept needs one (the scheme's subject)
    scheme_cues: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.pref_label, *self.alt_labels)


@dataclass(frozen=True, slots=True)
class CueSet:
    """Words that show a sentence (or, if *document_wide*, a whole document) is about one subject."""

    iri: str
    cues: tuple[str, ...]
    document_wide: bool = False


class VocabularyError(Exception):
    """Vocabulary files that cannot be used; every problem as a located :class:`Diagnostic`."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def read_quads(path: Path) -> list[ox.Triple]:
    with open(path, "rb") as fh:
        return [q.triple for q in ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())]


def _en_or_plain(values: list[ox.Literal]) -> list[str]:
    return [v.value for v in values if isinstance(v, ox.Literal) and v.language in (None, "en")]


def _inherited_kinds(typed: dict[str, str], plain: set[str], broader: dict[str, list[str]]) -> dict[str, str]:
    """Plain skos:Concepts below a typed concept take its kind (a narrower method is a method)."""
    out: dict[str, str] = {}
    for iri in sorted(plain):
        seen: set[str] = set()
        todo = list(broader.get(iri, ()))
        while todo:
            b = todo.pop()
            if b in seen:
                continue
            seen.add(b)
            if b in typed:
                out[iri] = typed[b]
                break
            todo.extend(broader.get(b, ()))
    return out


def _typed(triples: Iterable[ox.Triple]) -> tuple[dict[str, dict[str, list]], dict[str, str], set[str]]:
    by_subject: dict[str, dict[str, list]] = {}
    kinds: dict[str, str] = {}
    plain: set[str] = set()
    for t in triples:
        s = t.subject
        if not isinstance(s, ox.NamedNode):
            continue
        p = t.predicate.value
        if p == RDF.type.value and isinstance(t.object, ox.NamedNode):
            if t.object.value in KIND_OF_CLASS:
                kinds[s.value] = KIND_OF_CLASS[t.object.value]
            elif t.object.value == SKOS_CONCEPT:
                plain.add(s.value)
        by_subject.setdefault(s.value, {}).setdefault(p, []).append(t.object)
    return by_subject, kinds, plain - set(kinds)


def concepts_from(triples: Iterable[ox.Triple]) -> list[Concept]:
    """Concepts typed align:Method, align:Challenge or align:Benchmark, sorted by kind and ID.

    A plain skos:Concept counts too when a broader concept has one of those classes."""
    by_subject, kinds, plain = _typed(triples)
    broader_of = {s: [o.value for o in props.get(SKOS.broader.value, [])] for s, props in by_subject.items()}
    kinds = {**kinds, **_inherited_kinds(kinds, plain, broader_of)}
    out: list[Concept] = []

    def cues_of(props: dict[str, list]) -> set[str]:
        return {
            o.value
            for o in props.get(ALIGN.contextCue.value, [])
            if isinstance(o, ox.NamedNode) or (isinstance(o, ox.Literal) and o.language in (None, "en"))
        }

    for iri, kind in kinds.items():
        props = by_subject[iri]
        pref = _en_or_plain(props.get(SKOS.prefLabel.value, []))
        alts = sorted(set(_en_or_plain(props.get(SKOS.altLabel.value, []))))
        notation = [v.value for v in props.get(SKOS.notation.value, [])]
        definition = _en_or_plain(props.get(SKOS.definition.value, []))
        cues = sorted(cues_of(props))
        scheme_cues = sorted(
            {c for scheme in props.get(SKOS.inScheme.value, []) for c in cues_of(by_subject.get(scheme.value, {}))}
        )
        out.append(
            Concept(
                iri=iri,
                id=local_name(iri),
                kind=kind,
                pref_label=pref[0] if pref else local_name(iri),
                alt_labels=tuple(alts),
                notation=min(notation) if notation else None,
                definition=definition[0] if definition else "",
                broader=tuple(sorted(o.value for o in props.get(SKOS.broader.value, []))),
                sources=tuple(sorted(o.value for o in props.get(DCTERMS.source.value, []))),
                context_labels=tuple(sorted(set(_en_or_plain(props.get(ALIGN.contextLabel.value, []))))),
                cues=tuple(cues),
                false_senses=tuple(sorted(set(_en_or_plain(props.get(ALIGN.falseSense.value, []))))),
                scheme_cues=tuple(scheme_cues),
            )
        )
    out.sort(key=lambda c: (c.kind, c.id))
    return out


def cue_sets_from(triples: Iterable[ox.Triple]) -> dict[str, CueSet]:
    """Every align:CueSet with its cues, including those of the sets it ``align:includes``."""
    by_subject, _, _ = _typed(triples)
    own: dict[str, set[str]] = {}
    includes: dict[str, list[str]] = {}
    wide: dict[str, bool] = {}
    for iri, props in sorted(by_subject.items()):
        if ALIGN.CueSet.value not in {o.value for o in props.get(RDF.type.value, [])}:
            continue
        own[iri] = set(_en_or_plain(props.get(ALIGN.cue.value, [])))
        includes[iri] = [o.value for o in props.get(ALIGN.includes.value, [])]
        wide[iri] = any(o.value == "true" for o in props.get(ALIGN.documentWide.value, []))
    out = {}
    for iri in own:
        cues, seen, todo = set(), set(), [iri]
        while todo:
            current = todo.pop()
            if current in seen or current not in own:
                continue
            seen.add(current)
            cues |= own[current]
            todo.extend(includes[current])
        out[iri] = CueSet(iri, tuple(sorted(cues)), wide[iri])
    return out


class Triples(Sequence[ox.Triple]):
    """A compiled vocabulary's triples, kept as N-Triples and parsed on first use.

    Why: a conversion that finds every value compiled from the vocabulary in
    the cache (:mod:`..core.cache`) never reads its triples, and parsing them
    took 7 ms of every start.  Equal to a tuple of the same triples.
    """

    __slots__ = ("_ntriples", "_parsed")

    def __init__(self, ntriples: bytes) -> None:
        self._ntriples = ntriples
        self._parsed: tuple[ox.Triple, ...] | None = None

    def _all(self) -> tuple[ox.Triple, ...]:
        if self._parsed is None:
            self._parsed = tuple(q.triple for q in ox.parse(self._ntriples, format=ox.RdfFormat.N_TRIPLES))
        return self._parsed

    @overload
    def __getitem__(self, index: int) -> ox.Triple: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[ox.Triple, ...]: ...
    def __getitem__(self, index: int | slice) -> ox.Triple | tuple[ox.Triple, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, Triples)):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __reduce__(self) -> tuple[type[Triples], tuple[bytes]]:
        return Triples, (self._ntriples,)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    concepts: tuple[Concept, ...]
    triples: Sequence[ox.Triple]
    cue_sets: dict[str, CueSet] = field(default_factory=dict)
    # the cache key of the files it was read from (see core.cache); "" when made otherwise.  Values
    # compiled from the vocabulary (its matchers) are cached under it.
    source: str = field(default="", compare=False)

    def by_iri(self) -> dict[str, Concept]:
        return {c.iri: c for c in self.concepts}

    def cited_works(self) -> frozenset[str]:
        """IRIs of the works its concepts name as introducing or defining them (``align:introducedBy``,
        ``dcterms:source``); survey sections, the other sources, are left out.  Cached on disk with
        the vocabulary when it was read from files (see :class:`Triples`)."""

        def build() -> frozenset[str]:
            prefix = f"{namespaces.BASE}work/"
            naming = (ALIGN.introducedBy, DCTERMS.source)  # once: each namespace attribute makes a new term
            return frozenset(
                t.object.value
                for t in self.triples
                if t.predicate in naming and isinstance(t.object, ox.NamedNode) and t.object.value.startswith(prefix)
            )

        return compiled_from(self.source, "cited_works", (), build)

    def of_kind(self, kind: str) -> list[Concept]:
        return [c for c in self.concepts if c.kind == kind]


# -- reading users' files, with located errors ------------------------------------------------

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def subject_lines(path: Path, iris: Iterable[str]) -> dict[str, int]:
    """The line where each IRI is first written as a subject (start of a statement); one pass."""
    text = path.read_text(encoding="utf-8", errors="replace")
    spelled: dict[str, str] = {}
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX.finditer(text)}
    wanted = set(iris)
    for iri in wanted:
        spelled[f"<{iri}>"] = iri
        for name, ns in prefixes.items():
            if iri.startswith(ns) and iri != ns:
                spelled[f"{name}:{iri[len(ns) :]}"] = iri
    out: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        head = line.split(None, 1)[0] if line.strip() else ""
        found = spelled.get(head)
        if found and found not in out:
            out[found] = number
    return out


def _problems(path: Path, triples: list[ox.Triple], known: dict[str, str]) -> list[Diagnostic]:
    """What the Concept shapes would reject, located: a concept without prefLabel, definition or scheme,
    a broader concept of another kind, and plain skos:Concepts that have no kind."""
    by_subject, kinds, plain = _typed(triples)
    broader_of = {s: [o.value for o in props.get(SKOS.broader.value, [])] for s, props in by_subject.items()}
    all_kinds = {**known, **kinds}
    inherited = _inherited_kinds(all_kinds, plain, broader_of)
    found: list[tuple[str, str]] = []
    for iri in sorted(plain - set(inherited)):
        found.append(
            (
                iri,
                f"{local_name(iri)} is a skos:Concept without align:Method, align:Challenge or "
                "align:Benchmark, and no broader concept has one; add a class so it gets cards, "
                "roles and mentions",
            )
        )
    for iri in sorted({*kinds, *inherited}):
        props = by_subject[iri]
        kind = kinds.get(iri) or inherited[iri]
        if not _en_or_plain(props.get(SKOS.prefLabel.value, [])):
            found.append((iri, f"{local_name(iri)} has no skos:prefLabel (in English or without a language)"))
        if not props.get(SKOS.definition.value):
            found.append((iri, f"{local_name(iri)} has no skos:definition"))
        if not props.get(SKOS.inScheme.value):
            found.append((iri, f"{local_name(iri)} is in no skos:ConceptScheme (skos:inScheme)"))
        for b in broader_of.get(iri, ()):
            other = all_kinds.get(b) or inherited.get(b)
            if other and other != kind:
                found.append(
                    (iri, f"{local_name(iri)} is a {kind} but its broader concept {local_name(b)} is a {other}")
                )
    if not found:
        return []
    lines = subject_lines(path, {iri for iri, _ in found})
    return [Diagnostic(str(path), lines.get(iri, 0), "vocabulary", message, Severity.ERROR) for iri, message in found]


def _read(path: Path) -> tuple[list[ox.Triple], list[Diagnostic]]:
    try:
        return read_quads(path), []
    except FileNotFoundError:
        return [], [Diagnostic(str(path), 0, "vocabulary", "no such file", Severity.ERROR)]
    except (SyntaxError, ValueError) as exc:  # pyoxigraph: "Parser error at line N between columns ..."
        line = getattr(exc, "lineno", None) or 0
        message = str(exc.args[0] if exc.args else exc)
        return [], [Diagnostic(str(path), line, "vocabulary", f"not valid Turtle: {message}", Severity.ERROR)]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Diagnostic(str(path), 0, "vocabulary", f"cannot read: {exc}", Severity.ERROR)]


def load_vocabulary(paths: Iterable[str | Path] | None = None, *, extra: Iterable[str | Path] = ()) -> Vocabulary:
    """Read the schema and vocabularies.

    *paths* None means the bundled schemes; given, they replace the bundled
    schemes (the schema ``alignsurvey.ttl`` is always read).  *extra* files are
    read after them: ``load_vocabulary(extra=["mine.ttl"])`` extends the bundled
    schemes, ``load_vocabulary(["mine.ttl"])`` uses yours alone.  The user's
    files (every file outside the package's ontology folder) are checked as the
    SHACL shapes would; problems raise :class:`VocabularyError`.
    """
    bundled = [ontology_file(n) for n in VOCABULARY_FILES]
    chosen = bundled if paths is None else [ontology_file(SCHEMA_FILE), *(Path(p) for p in paths)]
    files: list[Path] = []
    for path in [*chosen, *(Path(p) for p in extra)]:
        if path.resolve() not in {f.resolve() for f in files}:
            files.append(path)
    own = frozenset(f.resolve() for f in bundled)
    # where each file is counts too: relative IRIs resolve against it, and only a user's file is checked
    where = "\0".join(f"{f.resolve()}\0{f.resolve() in own}" for f in files)
    key = key_of(files, (sys.modules[__name__], namespaces), extra=where)
    stored = cached("vocabulary", key, lambda: _Stored.of(_load(files, own)))
    return stored.vocabulary(key or "")


@dataclass(frozen=True)
class _Stored:
    """A vocabulary as cached: its triples as N-Triples (parsed back faster than pickled terms load)."""

    concepts: tuple[Concept, ...]
    cue_sets: dict[str, CueSet]
    ntriples: bytes | None  # None: blank nodes, whose labels a parse would not keep; then *triples*
    triples: tuple[ox.Triple, ...] = ()

    @classmethod
    def of(cls, vocabulary: Vocabulary) -> _Stored:
        terms = (term for t in vocabulary.triples for term in (t.subject, t.object))
        if any(isinstance(term, ox.BlankNode) for term in terms):
            return cls(vocabulary.concepts, vocabulary.cue_sets, None, tuple(vocabulary.triples))
        text = "".join(f"{t} .\n" for t in vocabulary.triples).encode("utf-8")
        return cls(vocabulary.concepts, vocabulary.cue_sets, text)

    def vocabulary(self, source: str) -> Vocabulary:
        triples = self.triples if self.ntriples is None else Triples(self.ntriples)
        return Vocabulary(self.concepts, triples, self.cue_sets, source)


def _load(files: Sequence[Path], own: frozenset[Path]) -> Vocabulary:
    triples: list[ox.Triple] = []
    problems: list[Diagnostic] = []
    users: list[tuple[Path, list[ox.Triple]]] = []
    for path in files:
        read, errors = _read(path)
        problems += errors
        triples.extend(read)
        if path.resolve() not in own and not errors:
            users.append((path, read))
    if users:
        _, known, _ = _typed(triples)
        for path, read in users:
            problems += _problems(path, read, known)
    if problems:
        raise VocabularyError(problems)
    concepts = concepts_from(triples)
    triples += _kind_triples(concepts, triples)
    return Vocabulary(concepts=tuple(concepts), triples=tuple(triples), cue_sets=cue_sets_from(triples))


def _kind_triples(concepts: Iterable[Concept], triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """rdf:type triples for kinds inherited through skos:broader, so the graph states them."""
    typed = {
        (t.subject.value, t.object.value)
        for t in triples
        if t.predicate.value == RDF.type.value
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.NamedNode)
    }
    return [
        ox.Triple(ox.NamedNode(c.iri), RDF.type, ox.NamedNode(CLASS_OF_KIND[c.kind]))
        for c in concepts
        if (c.iri, CLASS_OF_KIND[c.kind]) not in typed
    ]
