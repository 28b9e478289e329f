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
from ..sparql.api import Engine, QueryError, Term
from ..sparql.complete import TruncatedAnswer
from .records import (
    KINDS,
    ConceptRecord,
    Evidenced,
    Flag,
    ObjectKey,
    Origin,
    Record,
    SectionRecord,
    SentenceRecord,
    SurveyRecord,
    WorkRecord,
)

#: The prefixes the catalog's queries use, spelled as the namespaces module spells them.
QUERY_PREFIXES = "".join(
    f"PREFIX {name}: <{PREFIXES[name]}>\n"
    for name in ("align", "skos", "dcterms", "doco", "fabio", "biro", "c4o", "oa", "rdfs", "prism")
)

Q_CONCEPTS = """SELECT ?c ?kind ?label ?notation ?definition WHERE {
  VALUES ?kind { align:Method align:Challenge align:Benchmark }
  ?c a ?kind .
  OPTIONAL { ?c skos:prefLabel ?label FILTER (LANG(?label) IN ("", "en")) }
  OPTIONAL { ?c skos:notation ?notation }
  OPTIONAL { ?c skos:definition ?definition FILTER (LANG(?definition) IN ("", "en")) }
}"""
Q_ALT = """SELECT ?c ?alt WHERE {
  VALUES ?kind { align:Method align:Challenge align:Benchmark } ?c a ?kind ; skos:altLabel ?alt
  FILTER (LANG(?alt) IN ("", "en")) }"""
Q_BROADER = """SELECT ?c ?b WHERE {
  VALUES ?kind { align:Method align:Challenge align:Benchmark } ?c a ?kind ; skos:broader ?b }"""
# Every derived link with its confidence: cards, diagrams and queries choose their own minimum.
Q_CLAIMED = """SELECT ?cls ?m ?c ?conf ?n ?s WHERE {
  VALUES ?cls { align:Addressing align:LimitationLink }
  ?link a ?cls ; align:method ?m ; align:challenge ?c .
  OPTIONAL { ?link align:confidence ?conf }
  OPTIONAL { ?link align:evidenceCount ?n } OPTIONAL { ?link align:evidence ?s } }"""
Q_EVALUATES = """SELECT ?b ?c WHERE { ?b a align:Benchmark ; align:evaluates ?c }"""
# What the citation check found, on the sentences it concerns: a finding on an in-text pointer
# (unsupported), on a reference entry (off-topic, unverified: every sentence citing the entry) or on
# the sentence itself (a stated figure).
Q_FLAGS = """SELECT ?s ?kind ?n WHERE {
  ?f a align:CitationFinding ; align:findingKind ?kind ; oa:hasTarget ?t .
  { ?t c4o:hasContext ?s . OPTIONAL { ?f dcterms:subject ?entry . ?entry align:referenceNumber ?n } }
  UNION { ?p c4o:denotes ?t ; c4o:hasContext ?s . OPTIONAL { ?t align:referenceNumber ?n } }
  UNION { ?t a doco:Sentence . BIND (?t AS ?s) } }"""
Q_DISCUSSION = """SELECT ?c ?sec ?n ?s WHERE {
  ?link a align:Discussion ; align:concept ?c ; align:section ?sec .
  OPTIONAL { ?link align:evidenceCount ?n } OPTIONAL { ?link align:evidence ?s } }"""
Q_CONTEXT = """SELECT ?w ?c ?n ?s WHERE {
  ?link a align:CitationContext ; align:concept ?c ; align:work ?w .
  OPTIONAL { ?link align:evidenceCount ?n } OPTIONAL { ?link align:evidence ?s } }"""
Q_WORKS = """SELECT ?w ?title ?key ?year ?venue ?url WHERE {
  ?w a fabio:ScholarlyWork .
  OPTIONAL { ?w dcterms:title ?title } OPTIONAL { ?w align:citationKey ?key }
  OPTIONAL { ?w dcterms:issued ?year } OPTIONAL { ?w prism:publicationName ?venue }
  OPTIONAL { ?w fabio:hasURL ?url } }"""
Q_AUTHORS = """SELECT ?w ?person ?name WHERE {
  ?w a fabio:ScholarlyWork ; dcterms:creator ?person . ?person rdfs:label ?name }"""
# Of cited works and of the works concepts were introduced by (those no survey cites have no class).
Q_IDENTIFIERS = """SELECT ?w ?id WHERE { ?w dcterms:identifier ?id }"""
# The work each concept's entry says introduced it: titled and identified whether or not a survey cites it.
Q_INTRODUCED = """SELECT ?c ?w ?title ?year WHERE {
  ?c align:introducedBy ?w . OPTIONAL { ?w dcterms:title ?title } OPTIONAL { ?w dcterms:issued ?year } }"""
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

KIND_OF_CLASS = {ALIGN.Method.value: "method", ALIGN.Challenge.value: "challenge", ALIGN.Benchmark.value: "benchmark"}
#: The link class of each relation a method has to a challenge, and the record field it fills.
CLAIM_FIELD = {ALIGN.Addressing.value: "addressing", ALIGN.LimitationLink.value: "limitations"}


#: How close (0-1, normalised Damerau-Levenshtein similarity, so a swap of two letters is one
#: edit) a name must be to an unknown one to be suggested.
SUGGEST_CUTOFF = 0.6


def concept_ids(concepts: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(IRI, kind) -> the concept's ID: the IRI's local name, in any namespace.

    Two concepts of one kind with the same local name (your ``fl:fedavg`` and
    another vocabulary's ``x:fedavg``) would be one card; the first by IRI keeps
    the name, the others get it followed by a short digest of their IRI."""
    out: dict[tuple[str, str], str] = {}
    taken: set[tuple[str, str]] = set()
    for iri, kind in sorted(set(concepts)):
        ident = local_name(iri)
        if (kind, ident) in taken:
            ident = f"{ident}-{hashlib.sha1(iri.encode()).hexdigest()[:6]}"
        taken.add((kind, ident))
        out[iri, kind] = ident
    return out


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
    _flagged_texts: dict[str, SentenceRecord] | None = field(default=None, compare=False, repr=False)

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

    def suggest(self, kind: str, text: str) -> str | None:
        """The ID of the *kind* object whose name is closest to *text*, for "did you mean ...?".

        Why rapidfuzz: a typo (``rhlf``), a plural or a word left out should point at the object
        meant; nothing is suggested when no name is close (the cut-off keeps guesses out).
        """
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        wanted = " ".join(text.split()).lower()
        kinds = KINDS if kind == "any" else (kind,)
        names = {name: key for k in kinds for name, key in self.names.get(k, {}).items()}
        if not wanted or not names:
            return None
        best = process.extractOne(
            wanted, list(names), scorer=DamerauLevenshtein.normalized_similarity, score_cutoff=SUGGEST_CUTOFF
        )
        if best is None:
            return None
        return names[best[0]].id

    def of_kind(self, kind: str) -> list[Record]:
        return [r for k, r in self.records.items() if k.kind == kind]

    def flagged_sentence(self, text: str) -> SentenceRecord | None:
        """The flagged sentence whose text is *text* (a query cell showing a sentence), if there is one."""
        if self._flagged_texts is None:
            self._flagged_texts = {s.text: s for s in self.sentences.values() if s.flags}
        return self._flagged_texts.get(text)

    def key_for_iri(self, iri: str) -> ObjectKey | None:
        return self.by_iri.get(iri)

    def digests(self) -> dict[ObjectKey, str]:
        """A digest per object, covering the evidence sentences it shows."""
        if self._digests is None:
            out: dict[ObjectKey, str] = {}
            for key, rec in self.records.items():
                h = hashlib.sha1(repr(rec).encode("utf-8"))
                links = (
                    *getattr(rec, "addressing", ()),
                    *getattr(rec, "limitations", ()),
                    *getattr(rec, "discussions", ()),
                    *getattr(rec, "works", ()),
                    *getattr(rec, "concepts", ()),
                )
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
        self._flagged_texts = None

    # -- construction ----------------------------------------------------------
    def _name(self, kind: str, name: str | None, key: ObjectKey) -> None:
        if name:
            self.names.setdefault(kind, {}).setdefault(" ".join(name.split()).lower(), key)


Targets = dict[ObjectKey, tuple[int, list[str], float | None]]
Row = tuple[ObjectKey, ObjectKey, int | None, str | None, float | None]


def _evidenced(rows: Iterable[Row]) -> dict[ObjectKey, Targets]:
    """source key -> target key -> (count, sentences, confidence)."""
    acc: dict[ObjectKey, dict[ObjectKey, list]] = defaultdict(dict)
    for src, dst, n, s, conf in rows:
        entry = acc[src].setdefault(dst, [0, [], None])
        if n is not None:
            entry[0] = max(entry[0], n)
        if s is not None and s not in entry[1]:
            entry[1].append(s)
        if conf is not None:
            entry[2] = conf if entry[2] is None else max(entry[2], conf)
    return {
        src: {dst: (max(n, len(ss)), sorted(ss, key=_sentence_order), conf) for dst, (n, ss, conf) in targets.items()}
        for src, targets in acc.items()
    }


def _flipped(rows: Iterable[Row]) -> list[Row]:
    return [(d, s, n, x, c) for s, d, n, x, c in rows]


def _float(term: Term | None) -> float | None:
    if term is None:
        return None
    try:
        return float(term.value)
    except ValueError:
        return None


def _sentence_order(iri: str) -> tuple:
    head, _, tail = iri.rpartition("/")
    return (head, int(tail)) if tail.isdigit() else (head, 0)


def _links(targets: Targets | None) -> tuple[Evidenced, ...]:
    if not targets:
        return ()
    items = [Evidenced(dst, n, tuple(ss), conf) for dst, (n, ss, conf) in targets.items()]
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


def survey_labels(titles: dict[str, str]) -> dict[str, str]:
    """One label per survey ID that no other survey shares: the title, plus the part of the ID that
    tells surveys of the same title apart (``AI Alignment: A Survey (1ef323be)``).

    Why: machine-written surveys often share a title; a label is shown on cards, in roles, query
    cells and evidence lines alike, and two surveys must never read the same.
    """
    by_title: dict[str, list[str]] = defaultdict(list)
    for sid, title in titles.items():
        by_title[" ".join(title.split()).lower()].append(sid)
    out = {}
    for sid, title in titles.items():
        twins = by_title[" ".join(title.split()).lower()]
        out[sid] = title if len(twins) == 1 or title == sid else f"{title} ({_distinct_part(sid, twins)})"
    return out


def _distinct_part(sid: str, ids: list[str]) -> str:
    """The shortest run of ``sid``'s dash-separated words, from the end, that no other ID ends with."""
    words = sid.split("-")
    others = [o for o in ids if o != sid]
    for n in range(1, len(words) + 1):
        tail = "-".join(words[-n:])
        if not any(o == tail or o.endswith("-" + tail) for o in others):
            return tail
    return sid


def _sequence_number(iri: str) -> int:
    tail = iri.rpartition("/")[2]
    return int(tail) if tail.isdigit() else 0


def build_catalog(engine: Engine) -> Catalog:
    """Read the whole graph into records with a few SELECT queries (paged on stores that cap answers)."""

    def q(text: str):
        return select_all(engine, QUERY_PREFIXES + text)

    cat = Catalog()
    concept_key: dict[str, ObjectKey] = {}
    concept_rows: dict[ObjectKey, dict] = {}
    concepts = q(Q_CONCEPTS)
    ids = concept_ids((c.value, KIND_OF_CLASS[kind.value]) for c, kind, *_ in concepts)
    for c, kind, label, notation, definition in concepts:
        k = KIND_OF_CLASS[kind.value]
        key = ObjectKey(k, ids[c.value, k])
        concept_key.setdefault(c.value, key)  # an IRI typed twice keeps its first kind
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
    evaluates: dict[ObjectKey, set[ObjectKey]] = defaultdict(set)
    for b, c in q(Q_EVALUATES):
        if b.value in concept_key and c.value in concept_key:
            evaluates[concept_key[b.value]].add(concept_key[c.value])
            evaluates[concept_key[c.value]].add(concept_key[b.value])

    # Surveys, sections and works first: concepts refer to them by key.
    survey_key: dict[str, ObjectKey] = {}
    survey_rows = {}
    for s, sid, title in q(Q_SURVEYS):
        key = ObjectKey("survey", _v(sid) or local_name(s.value))
        survey_key[s.value] = key
        survey_rows[key] = (s.value, _v(title) or key.id)
    displays = survey_labels({key.id: title for key, (_, title) in survey_rows.items()})
    section_rows: dict[ObjectKey, dict] = {}
    for sec, survey, num, title, level, line in q(Q_SECTIONS):
        if survey.value not in survey_key:
            continue
        section_rows[ObjectKey("section", sec.value)] = {
            "iri": sec.value,
            "survey": survey_key[survey.value],
            "number": _v(num) or "",
            "title": _v(title) or "",
            "level": _int(level) or 2,
            "line": _int(line),
        }
    work_key: dict[str, ObjectKey] = {}
    work_rows: dict[ObjectKey, dict] = {}
    for w, title, ckey, year, venue, url in q(Q_WORKS):
        ident = _v(ckey) or local_name(w.value)
        key = ObjectKey("paper", ident)
        work_key[w.value] = key
        work_rows[key] = {
            "iri": w.value,
            "id": ident,
            "title": _v(title) or ident,
            "year": _v(year),
            "venue": _v(venue),
            "url": _v(url),
        }
    authors: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for w, person, name in q(Q_AUTHORS):
        authors[w.value].append((_sequence_number(person.value), name.value))
    identifiers: dict[str, set[str]] = defaultdict(set)
    for w, ident in q(Q_IDENTIFIERS):
        identifiers[w.value].add(ident.value)

    def evrows(rows, src_map: dict[str, ObjectKey], dst_map: dict[str, ObjectKey]) -> list[Row]:
        out: list[Row] = []
        for a, b, n, s in rows:
            if a.value in src_map and b.value in dst_map:
                out.append((src_map[a.value], dst_map[b.value], _int(n), _v(s), None))
        return out

    section_key = {row["iri"]: key for key, row in section_rows.items()}
    claimed: dict[str, dict[ObjectKey, Targets]] = {}
    claim_rows: dict[str, list[Row]] = defaultdict(list)
    for cls, m, c, conf, n, s in q(Q_CLAIMED):
        if m.value in concept_key and c.value in concept_key:
            claim_rows[CLAIM_FIELD[cls.value]].append(
                (concept_key[m.value], concept_key[c.value], _int(n), _v(s), _float(conf))
            )
    for name in CLAIM_FIELD.values():
        claimed[name] = _evidenced(claim_rows[name])
        claimed[name].update(_evidenced(_flipped(claim_rows[name])))
    disc_rows = evrows(q(Q_DISCUSSION), concept_key, section_key)
    discussions = _evidenced(disc_rows)
    section_concepts = _evidenced(_flipped(disc_rows))
    ctx_rows = evrows(q(Q_CONTEXT), work_key, concept_key)
    work_concepts = _evidenced(ctx_rows)
    concept_works = _evidenced(_flipped(ctx_rows))

    origins: dict[ObjectKey, Origin] = {}
    for c, w, title, year in q(Q_INTRODUCED):
        if c.value in concept_key:
            origins.setdefault(
                concept_key[c.value],
                Origin(
                    w.value,
                    _v(title) or local_name(w.value),
                    _v(year),
                    tuple(sorted(identifiers.get(w.value, ()))),
                    work_key.get(w.value),
                ),
            )

    for key, row in sorted(concept_rows.items()):
        rec = ConceptRecord(
            kind=row["kind"],
            id=key.id,
            iri=row["iri"],
            label=row["label"] or key.id,
            acronym=row["notation"],
            alt_labels=tuple(sorted(alts.get(key, ()))),
            definition=row["def"] or "",
            broader=tuple(sorted(broader.get(key, ()))),
            narrower=tuple(sorted(narrower.get(key, ()))),
            addressing=_links(claimed["addressing"].get(key)),
            discussions=_links(discussions.get(key)),
            works=_links(concept_works.get(key)),
            limitations=_links(claimed["limitations"].get(key)),
            evaluates=tuple(sorted(evaluates.get(key, ()))),
            introduced_by=origins.get(key),
        )
        cat.records[key] = rec
        cat.by_iri.setdefault(rec.iri, key)
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
        work = WorkRecord(
            id=row["id"],
            iri=row["iri"],
            local=local_name(row["iri"]),
            title=row["title"],
            concepts=_links(work_concepts.get(key)),
            cited_by=tuple(sorted(set(cited_by.get(key, ())))),
            authors=tuple(name for _, name in sorted(authors.get(row["iri"], ()))),
            year=row["year"],
            identifiers=tuple(sorted(identifiers.get(row["iri"], ()))),
            venue=row["venue"],
            url=row["url"],
        )
        cat.records[key] = work
        cat.by_iri[work.iri] = key
        for name in (work.id, work.local, work.title):
            cat._name("paper", name, key)

    for key, row in sorted(section_rows.items(), key=lambda kv: (kv[1]["survey"], _section_sort_key(kv[1]["number"]))):
        cat.records[key] = SectionRecord(
            iri=row["iri"],
            survey=row["survey"],
            number=row["number"],
            title=row["title"],
            level=row["level"],
            line=row["line"],
            concepts=_links(section_concepts.get(key)),
        )
        cat.by_iri[row["iri"]] = key
    for key, (iri, title) in sorted(survey_rows.items()):
        sections = tuple(k for k, r in section_rows.items() if r["survey"] == key)
        sections = tuple(sorted(sections, key=lambda k: _section_sort_key(section_rows[k]["number"])))
        srec = SurveyRecord(
            id=key.id,
            iri=iri,
            title=title,
            sections=sections,
            references=ref_counts.get(key, 0),
            display=displays[key.id],
        )
        cat.records[key] = srec
        cat.by_iri[iri] = key
        for name in (srec.id, srec.title, srec.display):
            cat._name("survey", name, key)

    flags: dict[str, set[Flag]] = defaultdict(set)
    for s, kind, n in q(Q_FLAGS):
        flags[s.value].add(Flag(kind.value, _int(n)))
    for s, text, survey, sec, line in q(Q_SENTENCES):
        cat.sentences[s.value] = SentenceRecord(
            iri=s.value,
            text=text.value,
            survey=survey_key.get(_v(survey) or ""),
            section=section_key.get(_v(sec) or ""),
            line=_int(line),
            flags=tuple(sorted(flags.get(s.value, ()), key=lambda f: (f.kind, f.reference or 0))),
        )
    return cat
