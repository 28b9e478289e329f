"""Is a cited work about the survey's subject at all?  Scored against the survey itself.

Three kinds of evidence, all read from the survey and the curated vocabulary,
none from a list of known bad works:

* **vocabulary** -- the title names a method or challenge of the vocabulary, or the
  vocabulary names the work as the one that introduced or defines a concept
  (``align:introducedBy``, ``dcterms:source``; "Axiomatic Attribution for Deep
  Networks" introduced integrated gradients): on topic;
* **typical vs foreign words** -- the share of the title's words that other
  titles of the same reference list also use (typical of the field the survey
  cites), against the share the survey never uses outside the sentences that
  cite this work (foreign);
* **another sense of the key term** -- the field's key term (the word most
  of the vocabulary's labels carry, "alignment") appears in the title with a
  modifier or complement the survey never uses: "entity alignment",
  "alignment of protein networks".  This is how the homonyms that a retrieval
  by keyword brings in give themselves away.  (The survey's own key words,
  those of its title that a quarter of its references carry, may be
  "language" and "model"; a title's "Toy Models" is no homonym of them.);
* **no anchor** -- apart from the field's key term (the stem most of the
  vocabulary's concepts carry in their labels: "align"), no word of the title
  is used in more than :data:`ANCHOR_MAX` sentences of the survey that do not
  cite the work, and the title names no concept.  A survey talks about its
  subject all the time; the homonym's other words ("local", "search", "tool";
  "teaching", "constructive") are ones it uses in passing, if at all, while an
  on-topic title nearly always carries a word the survey keeps using
  ("reward", "language", "oversight").  Counting uses, not mere presence, is
  what survives a survey that borrows the other field's words once or twice.

The score is ``typical - foreign`` (when the title has at least three words
to judge), plus one for a vocabulary concept, minus one for another sense and
minus one for no anchor; below the threshold the reference is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.model import Reference
from . import text
from .model import SurveyModel

MIN_WORDS = 3  # fewer assessable words than this: too little to judge by shares
OF_WORDS = ("of", "for")
#: a title word used in more other sentences than this anchors the work in the survey
ANCHOR_MAX = 3
#: fewer words than this besides the key term ("LIMA: Less Is More for Alignment"): too little to judge
ANCHOR_MIN_WORDS = 2
#: a survey shorter than this uses no word often enough for the count to mean anything
ANCHOR_MIN_SENTENCES = 100


@dataclass(frozen=True, slots=True)
class Topicality:
    score: float
    typical: float
    foreign: tuple[str, ...]
    other_sense: tuple[str, ...]
    concepts: int
    assessed: int
    anchor: int | None = None  # the most other sentences any title word is used in (key term aside)
    unanchored: bool = False


def other_sense(title: str, model: SurveyModel, reference: int) -> list[str]:
    """Modifiers or of/for-complements of the key noun that the survey never uses."""
    if not model.vocab.key_forms:
        return []
    toks = list(text.WORD.finditer(title))
    out: list[str] = []

    def foreign(word: str) -> bool:
        return not text.is_name(word) and not model.used_outside(word, reference)

    for i, tok in enumerate(toks):
        if text.light(tok.group()) not in model.vocab.key_forms:
            continue
        # up to two words directly before ("Collective Entity Alignment"); a gerund there is a verb
        j = i - 1
        while j >= 0 and i - j <= 2:
            word = toks[j].group()
            gap = title[toks[j].end() : toks[j + 1].start()]
            if not text.is_content(word) or gap.strip(" -‐") or word.lower().endswith("ing"):
                break
            if foreign(word):
                out.append(word)
            j -= 1
        # "alignment of/for X Y Z"
        if i + 1 < len(toks) and toks[i + 1].group().lower() in OF_WORDS:
            for tok2 in toks[i + 2 : i + 5]:
                word = tok2.group()
                if not text.is_content(word):
                    break
                if foreign(word):
                    out.append(word)
    return list(dict.fromkeys(out))


def topicality(ref: Reference, model: SurveyModel) -> Topicality:
    stems = model.title_stems.get(ref.number, frozenset()) - model.hubs
    concepts = len(model.vocab.finder.find(ref.title)) + len(model.vocab.introduced_by(ref.title))
    forms = _title_words(ref.title, model.hubs)
    foreign = tuple(w for w in forms.values() if not model.used_outside(w, ref.number))
    typical = 0.0
    if stems:
        typical = sum(
            1.0 if s in model.vocab.label_stems else min(1.0, (model.title_df[s] - 1) / 2) for s in stems
        ) / len(stems)
    base = typical - len(foreign) / len(forms) if len(forms) >= MIN_WORDS else 0.0
    sense = tuple(other_sense(ref.title, model, ref.number))
    anchor = _anchor(ref, model)
    unanchored = anchor is not None and anchor <= ANCHOR_MAX and not concepts
    score = base + (1.0 if concepts else 0.0) - (1.0 if sense else 0.0) - (1.0 if unanchored else 0.0)
    return Topicality(round(score, 3), round(typical, 3), foreign, sense, concepts, len(forms), anchor, unanchored)


def _anchor(ref: Reference, model: SurveyModel) -> int | None:
    """The most sentences not citing *ref* that use one of its title's words, the field's key term
    and coined names aside; None when fewer than :data:`ANCHOR_MIN_WORDS` words are left to judge
    or the survey has fewer than :data:`ANCHOR_MIN_SENTENCES` sentences."""
    if len(model.sentence_forms) < ANCHOR_MIN_SENTENCES:
        return None
    forms = _title_words(ref.title, model.vocab.key_stems)
    if len(forms) < ANCHOR_MIN_WORDS:
        return None
    return max(model.outside_count(w, ref.number) for w in forms.values())


def _title_words(title: str, key_stems: frozenset[str]) -> dict[str, str]:
    """The title's words that can be judged, by light form: content words, no coined name before
    its colon, none of *key_stems*."""
    forms: dict[str, str] = {}
    for w in text.words(text.title_body(title)):
        if text.is_content(w) and not text.is_name(w) and text.stem(w) not in key_stems:
            forms.setdefault(text.light(w), w)
    return forms
