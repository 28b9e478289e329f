"""citation-off-topic: a reference is judged against the survey's own words and the vocabulary."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sphinxcontrib_alignsurvey.check import Kind, check_survey
from sphinxcontrib_alignsurvey.check.model import SurveyModel, VocabularyWords
from sphinxcontrib_alignsurvey.check.topic import other_sense, topicality
from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary
from sphinxcontrib_alignsurvey.reader import read_survey, read_text

from .conftest import DATA

SMALL = DATA / "check" / "small-survey.md"


@pytest.fixture(scope="module")
def words() -> VocabularyWords:
    return VocabularyWords.of(load_vocabulary().concepts)


@pytest.fixture(scope="module")
def small(words):
    survey = read_survey(SMALL)
    return survey, SurveyModel.build(survey, words)


def test_key_term_comes_from_the_survey_title_and_its_references(small) -> None:
    _, model = small
    assert model.hubs == {"align"}


def test_homonym_and_foreign_works_are_off_topic_the_rest_not(small, words) -> None:
    survey, _ = small
    flagged = {f.reference for f in check_survey(survey, words) if f.kind is Kind.OFF_TOPIC}
    assert flagged == {5, 6}


def test_another_sense_of_the_key_term_is_named(small) -> None:
    survey, model = small
    sense = other_sense(survey.reference(5).title, model, 5)
    assert "Bacterial" in sense and "Genomes" in sense
    # "Constitutional Alignment": the survey uses "constitutional" outside the sentences citing [7]
    assert other_sense(survey.reference(7).title, model, 7) == []


def test_words_used_only_where_the_work_is_cited_do_not_count(words) -> None:
    """Leave-one-out: a survey that parrots a title where it cites it has not made it on topic."""
    # "Constitutional" is now a vocabulary word (Constitutional AI), so the modifier is one no label uses
    text = (
        SMALL.read_text(encoding="utf-8")
        .replace("Constitutional methods write the rules down as principles that a model can follow.", "")
        .replace("Constitutional Alignment", "Charter Alignment")
    )
    survey = read_text(text, "parrot.md")
    model = SurveyModel.build(survey, words)
    assert other_sense(survey.reference(7).title, model, 7) == ["Charter"]
    assert topicality(survey.reference(7), model).score < 0


def test_a_vocabulary_concept_in_the_title_counts_for_the_topic(small) -> None:
    survey, model = small
    t = topicality(survey.reference(3), model)  # "Reward Hacking in ... Human Feedback"
    assert t.concepts >= 1 and t.score >= 1.0


def test_the_off_topic_finding_sits_on_the_entry_and_lists_citing_lines(small, words) -> None:
    survey, _ = small
    [finding] = [f for f in check_survey(survey, words) if f.kind is Kind.OFF_TOPIC and f.reference == 6]
    assert finding.line == survey.reference(6).line
    assert finding.lines == (15,)
    assert "15" in finding.message and finding.is_error
    assert finding.score is not None and finding.score < 0


def test_findings_are_deterministic(small, words) -> None:
    survey, _ = small
    assert check_survey(survey, words) == check_survey(read_survey(SMALL), words)


def test_the_field_key_term_is_the_stem_most_labels_carry(words) -> None:
    assert words.key_stems == {"align"}


def _borrowing(words):
    """The small survey plus a homonym whose words the survey borrows once each, outside its citation."""
    text = (
        SMALL.read_text(encoding="utf-8")
        .replace(
            "Reward hacking appears when the policy exploits flaws of the learned reward [3].",
            "Reward hacking appears when the policy exploits flaws of the learned reward [3]. "
            "A quick scanner over prompts is one way to find such flaws.",
        )
        .replace(
            "Models trained with preference optimization",
            "Fast alignment of preference pairs is reported as well [9]. Models trained with preference optimization",
        )
        .rstrip("\n")
        + "\n\n[9] Quick Genome Scanner for Sequence Alignment\n"
    )
    survey = read_text(_lengthened(text), "borrowing.md")
    return survey, SurveyModel.build(survey, words)


def _lengthened(text: str) -> str:
    """The count means something only in a survey of some length: add a section that keeps to its subject."""
    filler = " ".join(f"Reward models and preference data shape the policy in study {i}." for i in range(90))
    return text.replace("## 3 Evaluation", f"## 3 Discussion\n\n{filler}\n\n## 4 Evaluation")


def test_a_title_no_word_of_which_the_survey_keeps_using_is_unanchored(words) -> None:
    survey, model = _borrowing(words)
    homonym = topicality(survey.reference(9), model)
    assert homonym.foreign == () and homonym.other_sense == ()  # every word is used elsewhere, once
    assert homonym.anchor == 1 and homonym.unanchored
    flagged = {f.reference: f for f in check_survey(survey, words) if f.kind is Kind.OFF_TOPIC}
    assert 9 in flagged and "(the key term aside) is in more than 3 other sentences" in flagged[9].message
    for number in (1, 2, 3, 4, 7, 8):  # each carries a word the survey keeps using, or names a concept
        assert not topicality(survey.reference(number), model).unanchored, number


def test_a_short_survey_is_not_judged_by_anchor(small) -> None:
    survey, model = small
    assert all(topicality(r, model).anchor is None for r in survey.references)


def test_a_title_of_fewer_than_two_words_besides_the_key_term_is_not_judged_by_anchor(words) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("[8] Honest", "[8] Frugal Alignment\n\n[9] Honest")
    survey = read_text(_lengthened(text), "short.md")
    model = SurveyModel.build(survey, words)
    short = topicality(survey.reference(8), model)
    assert short.anchor is None and not short.unanchored
    assert topicality(survey.reference(7), model).anchor is not None  # a longer title in the same survey is judged


def test_another_sense_is_of_the_fields_key_term_not_of_the_surveys_other_key_words(words) -> None:
    """A survey about language models has "language"/"model" as key words; "Toy Models" is no homonym."""
    assert words.key_forms == {"alignment"}
    text = (
        "# Honest Language Models: A Survey\n\n## 1 Introduction\n\n"
        "Honest language models report what they know [1]. Probes read truth from language models [2]. "
        "Superposition packs many features into few neurons [3]. Sequence alignment of genomes is fast [4].\n\n"
        "## References\n\n[1] Truthful Language Models\n\n[2] Probing Language Models for Truth\n\n"
        "[3] Toy Models of Superposition\n\n[4] Sequence Alignment of Bacterial Genomes\n"
    )
    survey = read_text(text, "models.md")
    model = SurveyModel.build(survey, words)
    assert {"languag", "model"} <= model.hubs
    assert other_sense(survey.reference(3).title, model, 3) == []
    assert "Bacterial" in other_sense(survey.reference(4).title, model, 4)  # the key term still is judged


def test_a_work_the_vocabulary_names_as_introducing_a_concept_is_on_topic(words) -> None:
    """Integrated gradients' paper shares no word with a survey of preference learning, but the vocabulary
    names it as the work that introduced a concept of the field (align:introducedBy)."""
    text = (
        SMALL.read_text(encoding="utf-8")
        .replace(
            "Models trained with preference optimization",
            "Attributions of single predictions can also be computed axiomatically [9]. "
            "Models trained with preference optimization",
        )
        .rstrip("\n")
        + "\n\n[9] Axiomatic Attribution for Deep Networks\n"
    )
    survey = read_text(_lengthened(text), "attribution.md")
    assert words.finder.find("Axiomatic Attribution for Deep Networks") == []  # no concept in the title
    assert topicality(survey.reference(9), SurveyModel.build(survey, words)).concepts == 1
    assert 9 not in {f.reference for f in check_survey(survey, words) if f.kind is Kind.OFF_TOPIC}
    unknowing = replace(words, works={})
    assert 9 in {f.reference for f in check_survey(survey, unknowing) if f.kind is Kind.OFF_TOPIC}
