"""The other bundled queries (beyond the public-contract seven), checked against independent facts:
rdflib over the ontology files, and the reader's sentences rather than the converter's graph."""

from __future__ import annotations

import functools
import re
from collections import defaultdict

import rdflib

from sphinxcontrib_alignsurvey.core.works import normalise
from sphinxcontrib_alignsurvey.reader import read_survey

from .test_queries_seeds import ONTOLOGY, SKOS, SURVEYS, _acronym, _labels, _names, engine, rows  # noqa: F401

ALIGN = rdflib.Namespace("https://w3id.org/alignsurvey/ontology#")


def test_challenge_taxonomy_rows_are_the_broader_pairs_of_the_challenges_file(engine) -> None:
    g = rdflib.Graph().parse(ONTOLOGY / "challenges.ttl")
    expected = set()
    for c in g.subjects(rdflib.RDF.type, ALIGN.Challenge):
        broader = list(g.objects(c, SKOS.broader)) or [None]
        for b in broader:
            expected.add((str(c), str(g.value(c, SKOS.prefLabel)), None if b is None else str(b)))
    got = {(r["concept"], r["label"], r["broader"]) for r in rows(engine, "challenge-taxonomy")}
    assert got == expected


def test_evidence_for_link_lists_the_sentences_of_each_link(engine) -> None:
    labels = _labels()
    links = rows(engine, "method-challenges")[:5]
    assert links
    for link in links:
        binds = (f"method=<{link['method']}>", f"challenge=<{link['challenge']}>")
        found = rows(engine, "evidence-for-link", binds)
        assert len(found) == link["evidence"]
        for r in found:
            assert _names(str(r["sentence"]), labels[str(link["method"])])
            assert _names(str(r["sentence"]), labels[str(link["challenge"])])
            assert isinstance(r["line"], int) and r["line"] > 0


def _reader_citations() -> tuple[dict[str, set[tuple[str, int]]], dict[str, set[str]]]:
    """Per normalised title: the (survey, sentence) pairs citing it by number, and the surveys."""
    sentences: dict[str, set[tuple[str, int]]] = defaultdict(set)
    surveys: dict[str, set[str]] = defaultdict(set)
    for path in sorted(SURVEYS.glob("*.md")):
        survey = read_survey(path)
        title = {r.number: normalise(r.title) for r in survey.references}
        for s in survey.sentences:
            for n in s.cited_numbers:
                sentences[title[n]].add((survey.id, s.index))
                surveys[title[n]].add(survey.id)
    return sentences, surveys


def test_most_cited_counts_match_the_readers_citations(engine) -> None:
    sentences, surveys = _reader_citations()
    got = rows(engine, "most-cited")
    assert len(got) == 25
    counts = sorted((len(v) for v in sentences.values()), reverse=True)
    assert [r["sentences"] for r in got] == counts[:25]
    # every row's counts are the reader's; the graph may show the published title, so match by counts
    by_count = defaultdict(list)
    for key, v in sentences.items():
        by_count[(len(v), len(surveys[key]))].append(key)
    for r in got:
        assert by_count[(r["sentences"], r["surveys"])], r


@functools.cache
def _span_pattern(name: str) -> re.Pattern[str]:
    """Compiled once per name: more names are matched than ``re`` keeps compiled."""
    pattern = r"(?<![\w-])" + re.escape(name) + r"(?:e?s)?(?![\w-])"
    flags = 0 if _acronym(name) else re.IGNORECASE  # acronyms match case-sensitively, as documented
    return re.compile(pattern, flags)


def _spans(text: str, name: str) -> list[tuple[int, int]]:
    return [m.span() for m in _span_pattern(name).finditer(text)]


def _vocabulary_senses() -> tuple[dict[str, set[str]], list[str]]:
    """Per concept, its labels that count only in context (align:contextLabel, lowercased), and
    every align:falseSense phrase: a phrase that is not a mention of any concept."""
    context: dict[str, set[str]] = defaultdict(set)
    false: list[str] = []
    for name in ("methods.ttl", "challenges.ttl", "benchmarks.ttl"):
        g = rdflib.Graph().parse(ONTOLOGY / name)
        for c, label in g.subject_objects(ALIGN.contextLabel):
            context[str(c)].add(str(label).lower())
        false += [str(p).lower() for p in g.objects(None, ALIGN.falseSense)]
    return context, false


def test_uncovered_concepts_are_named_in_no_sentence(engine) -> None:
    labels = _labels()
    context, false = _vocabulary_senses()
    texts = [s.text for p in sorted(SURVEYS.glob("*.md")) for s in read_survey(p).sentences]
    uncovered = {r["concept"] for r in rows(engine, "uncovered-concepts")}
    assert uncovered
    for concept in uncovered:
        for text in texts:
            # a context label counts only beside its cues, so only labels that count everywhere are checked
            for name in [n for n in labels[concept] if n.lower() not in context[concept]]:
                for start, end in _spans(text, name):
                    # the only way to be named and still uncovered: inside a longer label of another
                    # concept ("learning from human feedback" within "reinforcement learning from ...")
                    # or inside a phrase the vocabulary declares a false sense ("the debate between")
                    longer = [
                        (a, b)
                        for n in [n for other, names in labels.items() if other != concept for n in names] + false
                        if len(n) > len(name)
                        for a, b in _spans(text, n)
                    ]
                    assert any(a <= start and end <= b and (b - a) > (end - start) for a, b in longer), (
                        concept,
                        name,
                        text,
                    )
    for concept, names in labels.items():
        if concept not in uncovered:
            # covered concepts are named somewhere (case-insensitively, hyphen/space/plural folded)
            assert any(_names(t, names) for t in texts), concept


def test_introduced_by_lists_each_named_work_with_its_curated_title_and_arxiv_id(engine) -> None:
    """Independent facts: the introducedBy pairs of the ontology files (rdflib) and the titles and arXiv
    ids of the two curated works files, read as YAML."""
    import yaml

    from sphinxcontrib_alignsurvey.core.namespaces import work_iri
    from sphinxcontrib_alignsurvey.reader.references import clean_title

    pairs = set()
    for name in ("methods.ttl", "challenges.ttl", "benchmarks.ttl"):
        g = rdflib.Graph().parse(ONTOLOGY / name)
        pairs |= {(str(c), str(w)) for c, w in g.subject_objects(ALIGN.introducedBy)}
    curated = {}
    for name in ("works.yaml", "works-introducing.yaml"):
        for r in yaml.safe_load((ONTOLOGY / name).read_text(encoding="utf-8")):
            curated[work_iri(normalise(clean_title(r["printed"]))).value] = r
    got = rows(engine, "introduced-by")
    assert {(str(r["concept"]), str(r["work"])) for r in got} == pairs
    for r in got:
        record = curated[str(r["work"])]
        assert normalise(str(r["title"])) == normalise(clean_title(record.get("published_title") or record["printed"]))
        if record.get("arxiv"):
            assert any(str(x["identifier"]) == f"arXiv:{record['arxiv']}" for x in got if x["work"] == r["work"])
