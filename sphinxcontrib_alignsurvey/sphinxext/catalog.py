"""The read-only catalog: every object the documentation can show, as records.

Why: the graph is read once per build with a handful of SPARQL queries
through the shared API; afterwards directives and roles only do dictionary
look-ups, which keeps a build with thousands of directives fast and makes
parallel builds trivially consistent (every process sees the same catalog).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.namespaces import ALIGN, PREFIXES, local_name
from ..links.confidence import DEFAULT_MIN_CONFIDENCE
from ..sparql.api import Engine, QueryError, Term
from ..sparql.complete import TruncatedAnswer
from .records import (
    KINDS,
    ConceptRecord,
    Evidenced,
    ObjectKey,
    Record,
    SectionRecord,
    SentenceRecord,
    SurveyRecord,
    WorkRecord,
)

#: The prefixes the catalog's queries use, spelled as the namespaces module spells them.
QUERY_PREFIXES = "".join(
    f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in ("align", "skos", "dcterms", "doco", "fabio", "biro", "c4o")
)

Q_CONCEPTS = """SELECT ?c ?kind ?label ?notation ?definition WHERE {
  VALUES ?kind { align:Method align:Challenge }
  ?c a ?kind .
  OPTIONAL { ?c skos:prefLabel ?label FILTER (LANG(?label) IN ("", "en")) }
  OPTIONAL { ?c skos:notation ?notation }
  OPTIONAL { ?c skos:definition ?definition FILTER (LANG(?definition) IN ("", "en")) }
}"""
Q_ALT = """SELECT ?c ?alt WHERE {
  VALUES ?kind { align:Method align:Challenge } ?c a ?kind ; skos:altLabel ?alt
  FILTER (LANG(?alt) IN ("", "en")) }"""
Q_BROADER = """SELECT ?c ?b WHERE {
  VALUES ?kind { align:Method align:Challenge } ?c a ?kind ; skos:broader ?b }"""
# links read from sentences below the default minimum confidence are not shown (curated graphs may lack one)
Q_ADDRESSING = f"""SELECT ?m ?c ?n ?s WHERE {{
  ?link a align:Addressing ; align:method ?m ; align:challenge ?c .
  OPTIONAL {{ ?link align:confidence ?conf }}
  FILTER (!BOUND(?conf) || ?conf >= {DEFAULT_MIN_CONFIDENCE})
  OPTIONAL {{ ?link align:evidenceCount ?n }} OPTIONAL {{ ?link align:evidence ?s }} }}"""
Q_DISCUSSION = """SELECT ?c ?sec ?n ?s WHERE {
  ?link a align:Discussion ; align:concept ?c ; align:section ?sec .
  OPTIONAL { ?link align:evidenceCount ?n } OPTIONAL { ?link align:evidence ?s } }"""
Q_CONTEXT = """SELECT ?w ?c ?n ?s WHERE {
  ?link a align:CitationContext ; align:concept ?c ; align:work ?w .
  OPTIONAL { ?link align:evidenceCount ?n } OPTIONAL { ?link align:evidence ?s } }"""
Q_WORKS = """SELECT ?w ?title ?key WHERE {
  ?w a fabio:ScholarlyWork .
  OPTIONAL { ?w dcterms:title ?title } OPTIONAL { ?w align:citationKey ?key } }"""
Q_SURVEYS = """SELECT ?s ?id ?title WHERE {
  ?s a align:Survey . OPTIONAL { ?s align:surveyId ?id } OPTIONAL { ?s dcterms:title ?title } }"""
Q_SECTIONS = """SELECT ?sec ?survey ?num ?title ?level ?line WHERE {
  ?sec a doco:Section ; align:survey ?survey .
  OPTIONAL { ?sec align:sectionNumber ?num } OPTIONAL { ?sec dcterms:title ?title }
  OPTIONAL { ?sec align:headingLevel ?level } OPTIONAL { ?sec align:sourceLine ?line } }"""
Q_REFERENCES = """SELECT ?survey ?n ?w WHERE {
  ?survey a align:Survey ; align:referenceList ?list .
  ?entry dcterms:isPartOf ?list ; biro:references ?w . OPTIONAL { ?entry align:referenceNumber ?n } }"""
Q_SENTENCES = """SELECT ?s ?text ?survey ?sec ?line WHERE {
  ?s a doco:Sentence ; c4o:hasContent ?text .
  OPTIONAL { ?s align:survey ?survey } OPTIONAL { ?s dcterms:isPartOf ?sec } OPTIONAL { ?s align:sourceLine ?line } }"""

KIND_OF_CLASS = {ALIGN.Method.value: "method", ALIGN.Challenge.value: "challenge"}


def _v(term: Term | None) -> str | None:
    return None if term is None else term.value


def _int(term: Term | None) -> int | None:
    if term is None:
        return None
    try:
        return int(term.value)
    except ValueError:
        return None


def _section_sort_key(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 10**6 for p in number.split(".")) if number else (10**6,)


@dataclass
class Catalog:
    """Records by object key (methods, challenges, papers, surveys and sections)."""

    records: dict[ObjectKey, Record] = field(default_factory=dict)
    sentences: dict[str, SentenceRecord] = field(default_factory=dict)
    by_iri: dict[str, ObjectKey] = field(default_factory=dict)
    names: dict[str, dict[str, ObjectKey]] = field(default_factory=dict)  # kind -> lower-cased name -> key
    _digests: dict[ObjectKey, str] | None = None
    _label_digests: dict[ObjectKey, str] = field(default_factory=dict, compare=False, repr=False)

    # -- look-ups ------------------------------------------------------------
    def get(self, key: ObjectKey) -> Record | None:
        return self.records.get(key)

    def lookup(self, kind: str, text: str) -> ObjectKey | None:
        """Key of the *kind* object named *text*: an ID, key, acronym or any label, any case."""
        text = " ".join(text.split()).lower()
        if kind == "any":
            for k in KINDS:
                found = self.names.get(k, {}).get(text)
                if found:
                    return found
            return None
        return self.names.get(kind, {}).get(text)

    def of_kind(self, kind: str) -> list[Record]:
        return [r for k, r in self.records.items() if k.kind == kind]

    def key_for_iri(self, iri: str) -> ObjectKey | None:
        return self.by_iri.get(iri)

    def digests(self) -> dict[ObjectKey, str]:
        """A digest per object, covering the evidence sentences it shows."""
        if self._digests is None:
            out: dict[ObjectKey, str] = {}
            for key, rec in self.records.items():
                h = hashlib.sha1(repr(rec).encode("utf-8"))
                links = getattr(rec, "addressing", ()) + getattr(rec, "discussions", ()) + getattr(rec, "works", ())
                for link in links:
                    for s in link.evidence:
                        h.update(repr(self.sentences.get(s)).encode("utf-8"))
                out[key] = h.hexdigest()[:16]
            self._digests = out
        return self._digests

    def label_digest(self, key: ObjectKey, rec: Record) -> str:
        """Digest of what a reference shows of *key*: label and definition (memoised)."""
        found = self._label_digests.get(key)
        if found is None:
            text = f"{rec.label}\0{getattr(rec, 'definition', '')}"
            found = self._label_digests[key] = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        return found

    def __getstate__(self) -> dict:
        return {"records": self.records, "sentences": self.sentences, "by_iri": self.by_iri, "names": self.names}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._digests = None
        self._label_digests = {}

    # -- construction ----------------------------------------------------------
    def _name(self, kind: str, name: str | None, key: ObjectKey) -> None:
        if name:
            self.names.setdefault(kind, {}).setdefault(" ".join(name.split()).lower(), key)


Targets = dict[ObjectKey, tuple[int, list[str]]]


def _evidenced(rows: Iterable[tuple[ObjectKey, ObjectKey, int | None, str | None]]) -> dict[ObjectKey, Targets]:
    """source key -> target key -> (count, sentences)."""
    acc: dict[ObjectKey, dict[ObjectKey, list]] = defaultdict(dict)
    for src, dst, n, s in rows:
        entry = acc[src].setdefault(dst, [0, []])
        if n is not None:
            entry[0] = max(entry[0], n)
        if s is not None and s not in entry[1]:
            entry[1].append(s)
    return {
        src: {dst: (max(n, len(ss)), sorted(ss, key=_sentence_order)) for dst, (n, ss) in targets.items()}
        for src, targets in acc.items()
    }


def _sentence_order(iri: str) -> tuple:
    head, _, tail = iri.rpartition("/")
    return (head, int(tail)) if tail.isdigit() else (head, 0)


def _links(targets: Targets | None) -> tuple[Evidenced, ...]:
    if not targets:
        return ()
    items = [Evidenced(dst, n, tuple(ss)) for dst, (n, ss) in targets.items()]
    items.sort(key=lambda e: (-e.count, e.target))
    return tuple(items)


_PROJECTION = re.compile(r"SELECT\s+((?:\?\w+\s+)+)WHERE", re.S)


def select_all(engine: Engine, text: str) -> tuple[tuple[Term | None, ...], ...]:
    """Every row of one catalog query, paged when the store caps its answers.

    Why not page always: a page costs the store a sort of the whole answer,
    so paging an uncapped store makes a build slower for nothing.  A capped
    store refuses the unpaged answer with its cap (see
    :mod:`..sparql.complete`); the query is then read in pages of that size
    under an ORDER BY on every projected variable, which makes the pages a
    stable partition of the answer.
    """
    try:
        return engine.select(text).rows
    except TruncatedAnswer as exc:
        if not exc.cap:
            raise
        return paged(engine, text, exc.cap)


def paged(engine: Engine, text: str, size: int) -> tuple[tuple[Term | None, ...], ...]:
    """All rows of *text* read as ``ORDER BY <all variables> LIMIT size OFFSET k*size`` pages.

    Virtuoso refuses a sorted page whose OFFSET + LIMIT passes its
    ``MaxSortedTopRows`` (10,000 by default; error SR353).  Its documented way
    round is to sort in a subquery and slice outside it; that form is used
    from the first page Virtuoso refuses.  (SPARQL does not promise that a
    subquery's order survives, so it is only the fallback; the test suite
    checks the catalog it gives against the embedded one on a Virtuoso left at
    its default caps.)
    """
    found = _PROJECTION.search(text)
    if found is None:
        raise ValueError(f"not a catalog query: {text[:60]!r}")
    keys = " ".join(found.group(1).split())
    prologue, select = text[: found.start()], text[found.start() :]
    plain = f"{text}\nORDER BY {keys}\nLIMIT {size}\nOFFSET "
    nested = f"{prologue}SELECT {keys} WHERE {{ {{ {select}\nORDER BY {keys} }} }}\nLIMIT {size}\nOFFSET "
    form = plain
    rows: list[tuple[Term | None, ...]] = []
    while True:
        try:
            page = engine.select(form + str(len(rows))).rows
        except QueryError as exc:
            if form is nested or "SR353" not in str(exc):
                raise
            form = nested
            continue
        rows.extend(page)
        if len(page) < size:
            return tuple(rows)


def build_catalog(engine: Engine) -> Catalog:
    """Read the whole graph into records with eleven SELECT queries (paged on stores that cap answers)."""

    def q(text: str):
        return select_all(engine, QUERY_PREFIXES + text)

    cat = Catalog()
    concept_key: dict[str, ObjectKey] = {}
    concept_rows: dict[ObjectKey, dict] = {}
    for c, kind, label, notation, definition in q(Q_CONCEPTS):
        k = KIND_OF_CLASS[kind.value]
        key = ObjectKey(k, local_name(c.value))
        concept_key[c.value] = key
        row = concept_rows.setdefault(key, {"iri": c.value, "kind": k, "label": None, "notation": None, "def": None})
        row["label"] = row["label"] or _v(label)
        row["notation"] = min(filter(None, (row["notation"], _v(notation))), default=None)
        row["def"] = row["def"] or _v(definition)
    alts: dict[ObjectKey, set[str]] = defaultdict(set)
    for c, alt in q(Q_ALT):
        alts[concept_key[c.value]].add(alt.value)
    broader: dict[ObjectKey, set[ObjectKey]] = defaultdict(set)
    narrower: dict[ObjectKey, set[ObjectKey]] = defaultdict(set)
    for c, b in q(Q_BROADER):
        if b.value in concept_key:
            broader[concept_key[c.value]].add(concept_key[b.value])
            narrower[concept_key[b.value]].add(concept_key[c.value])

    # Surveys, sections and works first: concepts refer to them by key.
    survey_key: dict[str, ObjectKey] = {}
    survey_rows = {}
    for s, sid, title in q(Q_SURVEYS):
        key = ObjectKey("survey", _v(sid) or local_name(s.value))
        survey_key[s.value] = key
        survey_rows[key] = (s.value, _v(title) or key.id)
    section_rows: dict[ObjectKey, dict] = {}
    for sec, survey, num, title, level, line in q(Q_SECTIONS):
        if survey.value not in survey_key:
            continue
        section_rows[ObjectKey("section", sec.value)] = {
            "iri": sec.value, "survey": survey_key[survey.value], "number": _v(num) or "",
            "title": _v(title) or "", "level": _int(level) or 2, "line": _int(line),
        }
    work_key: dict[str, ObjectKey] = {}
    work_rows: dict[ObjectKey, dict] = {}
    for w, title, ckey in q(Q_WORKS):
        ident = _v(ckey) or local_name(w.value)
        key = ObjectKey("paper", ident)
        work_key[w.value] = key
        work_rows[key] = {"iri": w.value, "id": ident, "title": _v(title) or ident}

    def evrows(text: str, src_map: dict[str, ObjectKey], dst_map: dict[str, ObjectKey], flip: bool = False):
        for a, b, n, s in q(text):
            if a.value in src_map and b.value in dst_map:
                src, dst = src_map[a.value], dst_map[b.value]
                if flip:
                    src, dst = dst, src
                yield src, dst, _int(n), _v(s)

    section_key = {row["iri"]: key for key, row in section_rows.items()}
    addressing_rows = list(evrows(Q_ADDRESSING, concept_key, concept_key))
    addressing = _evidenced(addressing_rows)
    addressing.update(_evidenced((d, s, n, x) for s, d, n, x in addressing_rows))
    disc_rows = list(evrows(Q_DISCUSSION, concept_key, section_key))
    discussions = _evidenced(disc_rows)
    section_concepts = _evidenced((d, s, n, x) for s, d, n, x in disc_rows)
    ctx_rows = list(evrows(Q_CONTEXT, work_key, concept_key))
    work_concepts = _evidenced(ctx_rows)
    concept_works = _evidenced((d, s, n, x) for s, d, n, x in ctx_rows)

    for key, row in sorted(concept_rows.items()):
        rec = ConceptRecord(
            kind=row["kind"], id=key.id, iri=row["iri"],
            label=row["label"] or key.id, acronym=row["notation"],
            alt_labels=tuple(sorted(alts.get(key, ()))), definition=row["def"] or "",
            broader=tuple(sorted(broader.get(key, ()))), narrower=tuple(sorted(narrower.get(key, ()))),
            addressing=_links(addressing.get(key)), discussions=_links(discussions.get(key)),
            works=_links(concept_works.get(key)),
        )
        cat.records[key] = rec
        cat.by_iri[rec.iri] = key
        for name in (rec.id, rec.label, rec.acronym, *rec.alt_labels):
            cat._name(rec.kind, name, key)

    cited_by: dict[ObjectKey, list[tuple[ObjectKey, int]]] = defaultdict(list)
    ref_counts: dict[ObjectKey, int] = defaultdict(int)
    for survey, n, w in q(Q_REFERENCES):
        if survey.value in survey_key:
            ref_counts[survey_key[survey.value]] += 1
            if w.value in work_key:
                cited_by[work_key[w.value]].append((survey_key[survey.value], _int(n) or 0))
    for key, row in sorted(work_rows.items()):
        rec = WorkRecord(
            id=row["id"], iri=row["iri"], local=local_name(row["iri"]), title=row["title"],
            concepts=_links(work_concepts.get(key)), cited_by=tuple(sorted(set(cited_by.get(key, ())))),
        )
        cat.records[key] = rec
        cat.by_iri[rec.iri] = key
        for name in (rec.id, rec.local, rec.title):
            cat._name("paper", name, key)

    for key, row in sorted(section_rows.items(), key=lambda kv: (kv[1]["survey"], _section_sort_key(kv[1]["number"]))):
        cat.records[key] = SectionRecord(
            iri=row["iri"], survey=row["survey"], number=row["number"], title=row["title"],
            level=row["level"], line=row["line"], concepts=_links(section_concepts.get(key)),
        )
        cat.by_iri[row["iri"]] = key
    for key, (iri, title) in sorted(survey_rows.items()):
        sections = tuple(k for k, r in section_rows.items() if r["survey"] == key)
        sections = tuple(sorted(sections, key=lambda k: _section_sort_key(section_rows[k]["number"])))
        rec = SurveyRecord(id=key.id, iri=iri, title=title, sections=sections,
                           references=ref_counts.get(key, 0))
        cat.records[key] = rec
        cat.by_iri[iri] = key
        for name in (rec.id, rec.title):
            cat._name("survey", name, key)

    for s, text, survey, sec, line in q(Q_SENTENCES):
        cat.sentences[s.value] = SentenceRecord(
            iri=s.value, text=text.value,
            survey=survey_key.get(_v(survey) or ""),
            section=section_key.get(_v(sec) or ""), line=_int(line),
        )
    return cat
