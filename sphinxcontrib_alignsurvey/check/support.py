"""Does a citing clause share meaning with the work it cites?  Title-only, lexical.

The score adds these pieces of evidence:

* **coverage** -- the IDF-weighted share of the title's words found in the
  clause around the bracket (see :func:`.model.segments`);
* **profile** -- cosine between the clause and the work's profile: its title
  plus the other clauses that cite it and already cover its title.  This lets
  a clause that uses the survey's own words for the work ("reward-ranked
  fine-tuning filters high-quality samples") count as support;
* **shared concept** -- the clause names a vocabulary concept the title names, or
  the broader concept of one (a title about DPO supports a claim about
  preference optimisation) (+1);
* **other concept** -- the clause names a concept the title does not (-0.05), and
  **broad work** -- the title is a survey, review, overview or roadmap, which
  supports general statements (+0.05): tie-breakers among clauses with no overlap;
* **credited method** -- the bracket follows a method's name ("neurosymbolic
  methods [17]", "as explored in [38]"), so it credits the work with that
  method, and the title neither names it (nor a narrower method) nor shares a
  word with it (-0.05).  A challenge named before the bracket is not counted:
  there the bracket usually ends a clause about the problem and backs all of it;
* **stated figure** -- the clause states a figure ("15-20% higher") and shares no
  concept with the work (-0.15): a figure needs a source whose topic covers it,
  and an invented one is usually pinned on a loosely related work.

The title's concepts include those the vocabulary says the work introduced or
defines (:attr:`.model.VocabularyWords.works`), so a clause naming a method
meets the work that introduced it even when its title does not spell it out.

A low score means the clause is about something the title is not.  With
titles only this is weak evidence, so the finding is a warning, and the check
abstains (:attr:`Support.abstain`) where a low score is no evidence at all:

* **generic** -- the clause names no concept the title lacks, credits the work
  with no method and states no figure: nothing in it could contradict the
  title, however little the words overlap;
* **list** -- the bracket cites several works (``[3; 4; 5]``): the clause is
  backed by the set, and which part each work backs cannot be told from titles.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ..links.mentions import Mention
from . import claims, text
from .model import Citing, SurveyModel

BROAD = re.compile(r"\b(?:survey|review|overview|roadmap|perspective|position)\b", re.IGNORECASE)
PROFILE_COVERAGE = 0.15  # a clause joins the work's profile when it covers this much of the title
TITLE_WEIGHT = 3  # the title counts three times in the profile
CREDITED_PENALTY = 0.05
OTHER_PENALTY = 0.05
FIGURE_PENALTY = 0.15  # chosen on alignment-survey-ffda8c1d with the threshold (docs/checking.rst)
# words that may stand between a method's name and the bracket crediting it: its head noun,
# "such as those in", "as explored in", "proposed by"
ATTACH_GLUE = frozenset(
    {
        "method",
        "methods",
        "approach",
        "approaches",
        "technique",
        "techniques",
        "framework",
        "frameworks",
        "model",
        "models",
        "mechanism",
        "mechanisms",
        "design",
        "designs",
        "strategy",
        "strategies",
        "algorithm",
        "algorithms",
        "paradigm",
        "paradigms",
        "tool",
        "tools",
        "such",
        "as",
        "those",
        "in",
        "like",
        "e",
        "g",
        "including",
        "the",
        "of",
        "proposed",
        "explored",
        "introduced",
        "by",
        "see",
    }
)
ATTACH_GAP = 4  # at most this many such words


@dataclass(frozen=True, slots=True)
class Support:
    score: float
    coverage: float
    profile: float
    shared: bool
    credited: str | None = None  # the method the bracket credits the work with, when the title does not name it
    figures: tuple[str, ...] = ()  # figures the clause states, when it shares no concept with the work
    abstain: str | None = None  # "generic" or "list": why a low score is no evidence here

    def unsupported(self, threshold: float) -> bool:
        """The decision ``check`` reports: a low score where the check does not abstain."""
        return self.abstain is None and self.score <= threshold


class SupportScorer:
    def __init__(self, model: SurveyModel) -> None:
        self.model = model
        self._idf: dict[str, float] = {}
        self._segments: dict[tuple[int, int], Counter] = {}
        self._concepts: dict[str, frozenset[str]] = {}
        self._mentions: dict[str, list[Mention]] = {}

    def idf(self, s: str) -> float:
        v = self._idf.get(s)
        if v is None:
            v = self._idf[s] = self.model.idf(s)
        return v

    def segment(self, c: Citing) -> Counter:
        key = (c.position, c.reference)
        seg = self._segments.get(key)
        if seg is None:
            seg = self._segments[key] = Counter(text.stems(c.segment))
        return seg

    def mentions(self, s: str) -> list[Mention]:
        got = self._mentions.get(s)
        if got is None:
            got = self._mentions[s] = self.model.vocab.finder.find(s)
        return got

    def concepts(self, s: str) -> frozenset[str]:
        got = self._concepts.get(s)
        if got is None:
            got = self._concepts[s] = frozenset(m.concept for m in self.mentions(s))
        return got

    def credited(self, c: Citing) -> Mention | None:
        """The method whose name the bracket directly follows, if any.

        Read from the clause's own mentions: the clause starts at the previous
        bracket, so its part before this bracket is exactly what can name it.
        """
        cits = c.sentence.citations
        before = c.sentence.text[cits[c.pointer - 1].end if c.pointer else 0 : cits[c.pointer].start]
        found = [m for m in self.mentions(c.segment) if m.end <= len(before)]
        if not found:
            return None
        last = max(found, key=lambda m: m.end)
        if self.model.vocab.kinds.get(last.concept) != "method":
            return None
        gap = [w.lower() for w in text.words(before[last.end :])]
        return last if len(gap) <= ATTACH_GAP and all(w in ATTACH_GLUE for w in gap) else None

    def coverage(self, title: frozenset[str], seg: Counter) -> float:
        den = sum(self.idf(t) for t in title)
        return sum(self.idf(t) for t in title if t in seg) / den if den else 0.0

    def cosine(self, a: Counter, b: Counter, norms: dict[int, float] | None = None) -> float:
        """IDF-weighted cosine; *norms* keeps *b*'s norm by ``id(b)`` when the caller reuses *b*."""
        num = sum(a[t] * b[t] * self.idf(t) ** 2 for t in a if t in b)
        if not num:
            return 0.0
        na = math.sqrt(sum((n * self.idf(t)) ** 2 for t, n in a.items()))
        nb = norms.get(id(b)) if norms is not None else None
        if nb is None:
            nb = math.sqrt(sum((n * self.idf(t)) ** 2 for t, n in b.items()))
            if norms is not None:
                norms[id(b)] = nb
        return num / (na * nb) if na and nb else 0.0

    def score_all(self, reference: int) -> list[tuple[Citing, Support]]:
        """Every citation of *reference*, scored; linear in its citations."""
        citings = self.model.citings.get(reference, [])
        title_text = self.model.titles.get(reference, "")
        title = self.model.title_stems.get(reference, frozenset())
        title_concepts = self.concepts(title_text) | self.model.vocab.introduced_by(title_text)
        spoken_for = self.model.vocab.named_by(title_concepts)
        broad = bool(BROAD.search(title_text))
        covs = [self.coverage(title, self.segment(c)) for c in citings]
        anchored: Counter[str] = Counter()
        for c, cov in zip(citings, covs, strict=True):
            if cov >= PROFILE_COVERAGE:
                anchored.update(self.segment(c))
        out = []
        shared_profile: Counter[str] | None = None  # the same for every clause that is not in it
        norms: dict[int, float] = {}
        for c, cov in zip(citings, covs, strict=True):
            seg = self.segment(c)
            if cov >= PROFILE_COVERAGE:
                profile = Counter({t: TITLE_WEIGHT for t in title})
                profile.update(anchored)
                profile.subtract(seg)  # leave the clause itself out of its own profile
                prof = self.cosine(seg, +profile)
            else:
                if shared_profile is None:
                    shared_profile = Counter({t: TITLE_WEIGHT for t in title})
                    shared_profile.update(anchored)
                    shared_profile = +shared_profile
                prof = self.cosine(seg, shared_profile, norms)
            seg_concepts = self.concepts(c.segment)
            shared = bool(spoken_for & seg_concepts)
            other = bool(seg_concepts - title_concepts)
            score = cov + prof + (1.0 if shared else 0.0) - (OTHER_PENALTY if other else 0.0) + (0.05 if broad else 0.0)
            method = self.credited(c)
            if method is not None and (method.concept in spoken_for or set(text.stems(method.exact)) & title):
                method = None
            if method is not None:
                score -= CREDITED_PENALTY
            figures = () if shared else tuple(dict.fromkeys(claims.figures(c.segment)))
            if figures:
                score -= FIGURE_PENALTY
            abstain = None
            if len(c.sentence.citations[c.pointer].numbers) > 1:
                abstain = "list"
            elif not (shared or other or method or figures):
                abstain = "generic"
            out.append(
                (
                    c,
                    Support(
                        round(score, 3),
                        round(cov, 3),
                        round(prof, 3),
                        shared,
                        method.exact if method else None,
                        figures,
                        abstain,
                    ),
                )
            )
        return out
