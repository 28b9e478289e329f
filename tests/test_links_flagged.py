"""Method-challenge links do not rest on flagged citations (issue 13.4).

A sentence whose every citation the check flagged (an off-topic work, or a
citation that does not support its clause, a stated figure included) is no
evidence: a link it alone supports is not built, and a link with a sound
sentence keeps the flagged one marked in the graph, at the confidence of its
sound sentences only.  The fixture survey cites two off-topic works.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from sphinxcontrib_alignsurvey.check import Kind
from sphinxcontrib_alignsurvey.convert import convert, write_graph
from sphinxcontrib_alignsurvey.core import namespaces as ns
from sphinxcontrib_alignsurvey.links.model import FlaggedCitations, LinkKey, Relation, build_links
from sphinxcontrib_alignsurvey.sparql import open_engine
from sphinxcontrib_alignsurvey.sparql.queries import read
from sphinxcontrib_alignsurvey.validate import validate_files

from .conftest import DATA

SURVEY = DATA / "check" / "flagged-links.md"
SID = "flagged-links"
ALIGN = ns.PREFIXES["align"]
METHOD = "https://w3id.org/alignsurvey/method/"
CHALLENGE = "https://w3id.org/alignsurvey/challenge/"


def _key(relation: Relation, method: str, challenge: str) -> LinkKey:
    return LinkKey(relation, METHOD + method, CHALLENGE + challenge)


RED_TEAMING = _key(Relation.ADDRESSES, "red-teaming", "jailbreaking")  # only sentence cites off-topic [5]
FIGURE = _key(Relation.ADDRESSES, "adversarial-training", "jailbreaking")  # "by 40% [6]", [6] off-topic
ENSEMBLES = _key(Relation.ADDRESSES, "reward-model-ensembles", "reward-overoptimization")  # [2] sound, [5] not
MIXED = _key(Relation.LIMITATION, "dpo", "reward-hacking")  # one bracket [3; 6]: [3] is sound
UNCITED = _key(Relation.LIMITATION, "rlhf", "reward-hacking")  # the survey's own statement


@pytest.fixture(scope="module")
def conversion():
    return convert([SURVEY])


def _sentence(conversion, text: str):
    (survey,) = conversion.surveys
    return next(s for s in survey.sentences if s.text.startswith(text))


def _links(model, relation: Relation) -> dict[LinkKey, object]:
    return dict(model.of(relation))


def test_the_fixture_flags_what_the_tests_assume(conversion) -> None:
    off = {f.reference for f in conversion.findings if f.kind is Kind.OFF_TOPIC}
    assert off == {5, 6}
    figure = _sentence(conversion, "Adversarial training reduces")
    assert any(f.kind is Kind.QUANTITATIVE and f.sentence == figure.index for f in conversion.findings)
    # without the check every link below is built from its sentences
    unchecked = build_links(conversion.surveys, conversion.vocabulary)
    built = _links(unchecked, Relation.ADDRESSES) | _links(unchecked, Relation.LIMITATION)
    assert {RED_TEAMING, FIGURE, ENSEMBLES, MIXED, UNCITED} <= set(built)


def test_a_link_resting_only_on_flagged_citations_is_not_built(conversion) -> None:
    addresses = _links(conversion.links, Relation.ADDRESSES)
    assert RED_TEAMING not in addresses
    assert RED_TEAMING in dict(conversion.links.dropped(Relation.ADDRESSES))
    assert all(key not in dict(conversion.links.trusted(Relation.ADDRESSES)) for key in (RED_TEAMING, FIGURE))


def test_an_invented_figure_on_flagged_citations_is_no_evidence(conversion) -> None:
    assert FIGURE not in _links(conversion.links, Relation.ADDRESSES)
    assert FIGURE in dict(conversion.links.dropped(Relation.ADDRESSES))


def test_a_link_with_a_sound_sentence_keeps_the_flagged_one_marked(conversion) -> None:
    evidence = _links(conversion.links, Relation.ADDRESSES)[ENSEMBLES]
    flagged = _sentence(conversion, "Reward model ensembles mitigate reward overoptimization in long")
    sound = _sentence(conversion, "Reward model ensembles mitigate reward overoptimization [2]")
    flagged_iri = ns.sentence_iri(SID, flagged.index).value
    assert evidence.sentences == {flagged_iri, ns.sentence_iri(SID, sound.index).value}
    assert evidence.flagged == {flagged_iri}
    # the flagged sentence adds nothing: the confidence is that of the sound sentence alone
    unchecked = _links(build_links(conversion.surveys, conversion.vocabulary), Relation.ADDRESSES)[ENSEMBLES]
    alone = build_links(
        conversion.surveys, conversion.vocabulary, FlaggedCitations(citations=frozenset({(SID, flagged.index, 5)}))
    )
    assert evidence.confidence(Relation.ADDRESSES) < unchecked.confidence(Relation.ADDRESSES)
    assert evidence.confidence(Relation.ADDRESSES) == (
        _links(alone, Relation.ADDRESSES)[ENSEMBLES].confidence(Relation.ADDRESSES)
    )


def test_one_sound_citation_or_none_at_all_keeps_a_sentence(conversion) -> None:
    limitations = _links(conversion.links, Relation.LIMITATION)
    assert limitations[MIXED].flagged == set()
    assert limitations[UNCITED].flagged == set()


def test_an_unsupported_citation_counts_like_an_off_topic_work(conversion) -> None:
    sound = _sentence(conversion, "Reward model ensembles mitigate reward overoptimization [2]")
    flagged = FlaggedCitations(references=frozenset({(SID, 5), (SID, 6)}), citations=frozenset({(SID, sound.index, 2)}))
    model = build_links(conversion.surveys, conversion.vocabulary, flagged)
    assert ENSEMBLES not in _links(model, Relation.ADDRESSES)
    assert ENSEMBLES in dict(model.dropped(Relation.ADDRESSES))


def _store(conversion) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in conversion.triples)
    return store


def test_the_graph_marks_flagged_evidence_and_states_no_dropped_link(conversion) -> None:
    store = _store(conversion)
    flagged = {
        (r["m"].value, r["c"].value, r["s"].value)
        for r in store.query(f"""
        PREFIX align: <{ALIGN}>
        SELECT ?m ?c ?s WHERE {{ ?l align:method ?m ; align:challenge ?c ; align:flaggedEvidence ?s ;
                                   align:evidence ?s }}""")
    }
    s = _sentence(conversion, "Reward model ensembles mitigate reward overoptimization in long")
    assert flagged == {(ENSEMBLES.left, ENSEMBLES.right, ns.sentence_iri(SID, s.index).value)}
    for key in (RED_TEAMING, FIGURE):
        assert not store.query(f"ASK {{ <{key.left}> <{ALIGN}addresses> <{key.right}> }}")
        assert not store.query(f"ASK {{ ?l <{ALIGN}method> <{key.left}> ; <{ALIGN}challenge> <{key.right}> }}")


def test_evidence_for_link_shows_which_sentence_is_flagged(conversion, tmp_path) -> None:
    write_graph(conversion, tmp_path)
    engine = open_engine([tmp_path / "graph.ttl"])
    binds = engine.bind((f"method=<{ENSEMBLES.left}>", f"challenge=<{ENSEMBLES.right}>"))
    got = {(str(r["sentence"]), str(r["flagged"])) for r in engine.select(read("evidence-for-link")[1], binds).dicts()}
    assert got == {
        (_sentence(conversion, "Reward model ensembles mitigate reward overoptimization [2]").text, "no"),
        (_sentence(conversion, "Reward model ensembles mitigate reward overoptimization in long").text, "yes"),
    }


def test_flagged_evidence_is_shaped(conversion, tmp_path) -> None:
    write_graph(conversion, tmp_path)
    ok, violations = validate_files([tmp_path / "graph.ttl"])
    assert ok, violations
    s = _sentence(conversion, "RLHF suffers")
    link = f"{ns.BASE}limitation/rlhf/reward-hacking"
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        (tmp_path / "graph.ttl").read_text(encoding="utf-8")
        + f"\n<{link}> <{ALIGN}flaggedEvidence> <{ns.sentence_iri(SID, s.index).value}> .\n",
        encoding="utf-8",
    )
    ok, violations = validate_files([broken])
    assert not ok and any("flagged" in str(v) for v in violations)
