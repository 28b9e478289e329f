"""The converter's graph: structure, works, determinism, provenance."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from sphinxcontrib_alignsurvey.convert import convert, write_graph
from sphinxcontrib_alignsurvey.core import namespaces as ns
from sphinxcontrib_alignsurvey.graph.serialize import serialize

from .conftest import SURVEY_A, SURVEY_B


def _norm(title: str) -> str:
    # independent of the reader: restore nothing, just fold case and punctuation
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"\$[^$]*\$", " ", title.lower())).strip()


def _raw_references(path: Path) -> dict[int, str]:
    body = path.read_text(encoding="utf-8").split("## References", 1)[1]
    return {int(m[1]): m[2] for m in re.finditer(r"^\[(\d+)\] (.*)$", body, re.M)}


@pytest.fixture(scope="module")
def conversion(seed_conversion):
    return seed_conversion


@pytest.fixture(scope="module")
def store(conversion):
    s = ox.Store()
    s.extend(ox.Quad(t.subject, t.predicate, t.object) for t in conversion.triples)
    return s


def _count(store: ox.Store, query: str) -> int:
    rows = list(store.query(query))
    return int(rows[0][0].value)


PREFIX = "\n".join(f"PREFIX {k}: <{v}>" for k, v in ns.PREFIXES.items())


def test_works_are_deduplicated_across_surveys(conversion, store):
    a, b = _raw_references(SURVEY_A), _raw_references(SURVEY_B)
    keys_a, keys_b = {_norm(t) for t in a.values()}, {_norm(t) for t in b.values()}
    assert (len(a), len(b)) == (69, 125)
    assert len(conversion.build.works) == len(keys_a | keys_b) == 150
    assert _count(store, PREFIX + "SELECT (COUNT(DISTINCT ?w) AS ?n) { ?w a fabio:ScholarlyWork }") == 150
    shared = _count(
        store,
        PREFIX
        + """SELECT (COUNT(*) AS ?n) { { SELECT ?w (COUNT(DISTINCT ?s) AS ?k)
             { ?s align:referenceList/dcterms:hasPart/biro:references ?w } GROUP BY ?w } FILTER(?k = 2) }""",
    )
    assert shared == len(keys_a & keys_b) == 44


def test_reference_entries_keep_their_numbers(store):
    for path in (SURVEY_A, SURVEY_B):
        sid = path.stem
        refs = _raw_references(path)
        rows = store.query(
            PREFIX
            + f"""SELECT ?n ?printed {{ <{ns.survey_iri(sid).value}> align:referenceList/dcterms:hasPart ?e .
                 ?e align:referenceNumber ?n ; c4o:hasContent ?printed }}"""
        )
        found = {int(r["n"].value): r["printed"].value for r in rows}
        assert found == refs


def test_work_iris_do_not_depend_on_numbers_or_order(conversion):
    again = convert([SURVEY_B, SURVEY_A])
    assert set(again.build.works) == set(conversion.build.works)
    assert serialize(again.triples, "ttl") == serialize(conversion.triples, "ttl")
    # the same paper has different numbers in the two surveys but one IRI
    work = conversion.build.works[_norm("Scalable agent alignment via reward modeling  a research direction")]
    assert work.cited_by == {(SURVEY_A.stem, 15), (SURVEY_B.stem, 8)}


def test_output_is_byte_identical_in_any_order(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    write_graph(convert([SURVEY_A, SURVEY_B]), first, ["ttl", "nt", "jsonld", "xml"])
    # copies under other names and order: survey ids come from file names, so keep names
    other = tmp_path / "in"
    other.mkdir()
    for p in (SURVEY_B, SURVEY_A):
        shutil.copy(p, other / p.name)
    write_graph(convert([other / SURVEY_B.name, other / SURVEY_A.name]), second, ["ttl", "nt", "jsonld", "xml"])
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.rdf"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_no_blank_nodes(conversion):
    assert not any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in conversion.triples
    )


def test_pointers_reproduce_the_printed_brackets(store):
    rows = store.query(
        PREFIX
        + """SELECT ?content ?text ?start ?end { ?p a c4o:InTextReferencePointer ; c4o:hasContent ?content ;
             c4o:hasContext/c4o:hasContent ?text ; align:startOffset ?start ; align:endOffset ?end }"""
    )
    n = 0
    for r in rows:
        text, start, end = r["text"].value, int(r["start"].value), int(r["end"].value)
        assert text[start:end] == r["content"].value
        n += 1
    assert n > 600


def test_mentions_select_their_exact_quote(store):
    rows = store.query(
        PREFIX
        + """SELECT ?exact ?text ?start ?end { ?m a align:ConceptMention ; oa:hasTarget ?t .
             ?t oa:hasSource/c4o:hasContent ?text ; oa:hasSelector ?q, ?p .
             ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }"""
    )
    n = 0
    for r in rows:
        assert r["text"].value[int(r["start"].value) : int(r["end"].value)] == r["exact"].value
        n += 1
    assert n > 500


def test_provenance_names_inputs_checksums_and_version(store):
    import hashlib

    from sphinxcontrib_alignsurvey.core.version import __version__

    rows = list(
        store.query(
            PREFIX
            + """SELECT ?sha ?label ?version { ?run a align:ConversionRun ; prov:used ?src ;
                 prov:wasAssociatedWith/dcterms:hasVersion ?version . ?src align:sha256 ?sha ; rdfs:label ?label }"""
        )
    )
    found = {(r["label"].value, r["sha"].value, r["version"].value) for r in rows}
    expected = {(p.name, hashlib.sha256(p.read_bytes()).hexdigest(), __version__) for p in (SURVEY_A, SURVEY_B)}
    assert found == expected


def test_evidence_counts_match_evidence(store):
    rows = store.query(
        PREFIX
        + """SELECT ?l ?n (COUNT(?s) AS ?k) { ?l a align:EvidencedLink ; align:evidenceCount ?n ; align:evidence ?s }
             GROUP BY ?l ?n"""
    )
    rows = list(rows)
    assert rows
    assert all(int(r["n"].value) == int(r["k"].value) for r in rows)


def test_claimed_links_are_what_the_extractor_reads_in_their_sentences(store):
    """Every Addressing / LimitationLink node: each evidence sentence makes that claim, confidence in (0, 1)."""
    from sphinxcontrib_alignsurvey.links.mentions import MentionFinder
    from sphinxcontrib_alignsurvey.links.model import document_scope
    from sphinxcontrib_alignsurvey.links.relations import extract
    from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary
    from sphinxcontrib_alignsurvey.reader import read_survey

    from .conftest import SURVEY_A, SURVEY_B

    vocab = load_vocabulary()
    finder = MentionFinder(vocab.concepts, vocab.cue_sets)
    # as the converter does: each sentence is read with its survey's acronyms and subject in scope
    scopes = {s.id: document_scope(s, finder) for s in map(read_survey, (SURVEY_A, SURVEY_B))}
    kinds = {c.iri: c.kind for c in vocab.concepts}
    rows = list(
        store.query(
            PREFIX
            + """SELECT ?cls ?m ?c ?conf ?text ?sid { ?l a ?cls ; align:method ?m ; align:challenge ?c ;
                 align:confidence ?conf ; align:evidence ?s . ?s c4o:hasContent ?text ;
                 align:survey [ align:surveyId ?sid ]
                 FILTER (?cls IN (align:Addressing, align:LimitationLink)) }"""
        )
    )
    claim = {"Addressing": "addresses", "LimitationLink": "limitation"}
    assert {r["cls"].value.rsplit("#", 1)[1] for r in rows} == set(claim)
    for r in rows:
        text = r["text"].value
        mentions = finder.find(text, scopes[r["sid"].value])
        found = {(f.method, f.challenge): f.claim.value for f in extract(text, mentions, kinds)}
        assert found.get((r["m"].value, r["c"].value)) == claim[r["cls"].value.rsplit("#", 1)[1]], text
        assert 0.0 < float(r["conf"].value) < 1.0


def test_shortcut_triples_only_for_trusted_links(conversion, monkeypatch):
    """align:addresses / align:hasLimitation are stated for links at or above the default minimum only."""
    from sphinxcontrib_alignsurvey.graph import build
    from sphinxcontrib_alignsurvey.links.model import Relation

    def shortcuts(minimum: float) -> set[tuple[str, str, str]]:
        monkeypatch.setattr(build, "DEFAULT_MIN_CONFIDENCE", minimum)
        g = build.build_graph(conversion.surveys, conversion.vocabulary, conversion.links)
        wanted = {ns.ALIGN.addresses.value, ns.ALIGN.hasLimitation.value}
        curated = {(t.subject.value, t.predicate.value, t.object.value) for t in conversion.vocabulary.triples}
        return {
            (t.subject.value, t.predicate.value, t.object.value) for t in g.runs if t.predicate.value in wanted
        } - curated

    prop = {Relation.ADDRESSES: ns.ALIGN.addresses.value, Relation.LIMITATION: ns.ALIGN.hasLimitation.value}
    confidences = {
        (k.left, prop[r], k.right): e.confidence(r)
        for r in (Relation.ADDRESSES, Relation.LIMITATION)
        for k, e in conversion.links.of(r)
    }
    everything = shortcuts(0.0)
    assert everything and shortcuts(1.0) == set()
    middle = sorted(set(confidences.values()))[len(set(confidences.values())) // 2]
    assert shortcuts(middle) == {k for k, v in confidences.items() if v >= middle} & everything
