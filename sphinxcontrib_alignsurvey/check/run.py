"""Run every citation check over surveys: the findings, sorted, and the pairs they flag."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..core.identifiers import as_uri, identifier
from ..core.model import Reference, Survey
from ..core.works import normalise
from ..links.mentions import finders
from ..links.vocabulary import Vocabulary, load_vocabulary
from . import claims
from .findings import Finding, Kind
from .model import SurveyModel, VocabularyWords
from .support import SupportScorer
from .topic import ANCHOR_MAX, topicality


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Chosen on one bundled survey (alignment-survey-ffda8c1d) by
    ``benchmarks/eval_citations.py --tune`` and reported on both; see docs/checking.rst."""

    off_topic: float = -0.256  # a reference scoring below this is off-topic
    unsupported: float = -0.029  # a citation scoring at or below this is unsupported (unless the check abstains)


DEFAULT = Thresholds()


def _title(t: str, width: int = 70) -> str:
    return t if len(t) <= width else t[: width - 1] + "…"


def _lines(lines: Sequence[int]) -> str:
    return ", ".join(str(n) for n in lines) if lines else "nowhere"


def check_survey(
    survey: Survey,
    words: VocabularyWords,
    verified: Collection[str] | None = None,
    thresholds: Thresholds = DEFAULT,
    identifiers: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Finding]:
    """Findings for one survey; *verified* is the set of normalised titles with verified
    metadata (``None``: do not check); *identifiers* their verified arXiv ids and DOIs
    (``None``: do not compare printed addresses).  Pure and deterministic."""
    model = SurveyModel.build(survey, words)
    sid, path = survey.id, survey.path
    out: list[Finding] = []
    off_topic: set[int] = set()
    seen: set[int] = set()
    for ref in survey.references:
        if ref.number in seen:
            continue
        seen.add(ref.number)
        lines = model.citing_lines(ref.number)
        t = topicality(ref, model)
        if t.score < thresholds.off_topic:
            off_topic.add(ref.number)
            why = []
            if t.other_sense:
                key = "/".join(sorted(model.vocab.key_forms))
                why.append(
                    f"its {key!r} is about {', '.join(repr(w) for w in t.other_sense)}, "
                    f"which the survey never discusses"
                )
            elif t.foreign:
                why.append(f"the survey never uses {', '.join(repr(w) for w in t.foreign)}")
            if t.unanchored:
                why.append(f"no word of its title (the key term aside) is in more than {ANCHOR_MAX} other sentences")
            why.append(f"cited on line(s) {_lines(lines)}")
            out.append(
                Finding(
                    sid,
                    path,
                    ref.line,
                    Kind.OFF_TOPIC,
                    f"[{ref.number}] {_title(ref.title)!r} looks off-topic for this survey "
                    f"(score {t.score:.2f}): " + "; ".join(why),
                    reference=ref.number,
                    score=t.score,
                    lines=lines,
                )
            )
        if verified is not None and normalise(ref.title) not in verified:
            out.append(
                Finding(
                    sid,
                    path,
                    ref.line,
                    Kind.UNVERIFIED,
                    f"[{ref.number}] {_title(ref.title)!r} matches no work with verified metadata; "
                    f"it may not exist as printed (pass your library with --metadata)",
                    reference=ref.number,
                    lines=lines,
                )
            )
        mismatch = _printed_id_mismatch(ref, identifiers) if identifiers is not None else None
        if mismatch:
            out.append(Finding(sid, path, ref.line, Kind.ID_MISMATCH, mismatch, reference=ref.number, lines=lines))
    scorer = SupportScorer(model)
    for number in sorted(model.citings):
        if number in off_topic or number not in model.titles:
            continue
        for c, s in scorer.score_all(number):
            if s.unsupported(thresholds.unsupported):
                credited = f" and credits it with {s.credited!r}, which the title does not name" if s.credited else ""
                if s.figures:
                    credited += f", stating {', '.join(repr(f) for f in s.figures)}"
                out.append(
                    Finding(
                        sid,
                        path,
                        c.sentence.line,
                        Kind.UNSUPPORTED,
                        f"the claim cited to [{number}] shares no meaning with its title "
                        f"{_title(model.titles[number], 60)!r}{credited} (score {s.score:.2f})",
                        reference=number,
                        score=s.score,
                        sentence=c.sentence.index,
                        pointer=c.pointer,
                        lines=(c.sentence.line,),
                    )
                )
    for sentence in survey.sentences:
        if not sentence.citations:
            continue
        found = claims.figures(sentence.text)
        if found:
            cited = ", ".join(c.text for c in sentence.citations)
            out.append(
                Finding(
                    sid,
                    path,
                    sentence.line,
                    Kind.QUANTITATIVE,
                    f"states {', '.join(repr(f) for f in dict.fromkeys(found))} citing {cited}; "
                    f"check the figure against the cited work",
                    sentence=sentence.index,
                    lines=(sentence.line,),
                )
            )
    out.sort(key=Finding.sort_key)
    return out


def _printed_id_mismatch(ref: Reference, identifiers: Mapping[str, Mapping[str, str]]) -> str | None:
    """Why the arXiv or doi.org address printed with *ref* names another work than its title, or None.

    Why: a machine-written survey can pair a real title with another paper's
    identifier; the address then sends a reader (and a reference manager) to
    the wrong paper, while the title looks verified.
    """
    if not ref.url:
        return None
    found = identifier(as_uri(ref.url))
    if found is None:
        return None
    kind, printed = found
    known = identifiers.get(normalise(ref.title), {}).get(kind)
    if known is None or known.lower() == printed.lower():
        return None
    label = "arXiv" if kind == "arxiv" else "DOI"
    return (
        f"[{ref.number}] {_title(ref.title)!r} is printed with {label} {printed}, but the verified record "
        f"of this title has {label} {known}: the address may point to another paper"
    )


def check_surveys(
    surveys: Iterable[Survey],
    vocabulary: Vocabulary | None = None,
    verified: Collection[str] | None = None,
    thresholds: Thresholds = DEFAULT,
    identifiers: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Finding]:
    vocabulary = vocabulary or load_vocabulary()
    words = VocabularyWords.of_vocabulary(vocabulary, finders(vocabulary)[0])
    out: list[Finding] = []
    for survey in sorted(surveys, key=lambda s: s.id):
        out.extend(check_survey(survey, words, verified, thresholds, identifiers))
    return out


def flagged_citations(findings: Iterable[Finding]) -> tuple[set[tuple[str, int]], set[tuple[str, int, int]]]:
    """(survey, reference) pairs flagged off-topic, and (survey, sentence, reference) citations
    flagged unsupported: what the link model must not build facts on."""
    refs: set[tuple[str, int]] = set()
    cites: set[tuple[str, int, int]] = set()
    for f in findings:
        if f.kind is Kind.OFF_TOPIC and f.reference is not None:
            refs.add((f.survey, f.reference))
        elif f.kind is Kind.UNSUPPORTED and f.reference is not None and f.sentence is not None:
            cites.add((f.survey, f.sentence, f.reference))
    return refs, cites
