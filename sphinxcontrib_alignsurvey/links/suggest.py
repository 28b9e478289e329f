"""Draft a SKOS vocabulary from surveys of any field, for a person to edit.

Why: the mention finder, cards and BibTeX keywords are only as good as the
vocabulary, and a user with a survey of another field starts with none.  The
survey itself says what its concepts are: the acronyms it defines ("Federated
Averaging (FedAvg)"), its section headings, and the noun phrases it repeats.
This module collects those candidates in one pass over the surveys, counts how
often each is mentioned (with the same matcher the converter uses), ranks them
and writes Turtle that loads and validates as it is, so the user only deletes,
renames, re-types and defines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ..core.model import Survey
from .mentions import WORD, MentionFinder, definitions
from .vocabulary import Concept

GENERIC_HEADINGS = frozenset(
    (
        "introduction",
        "conclusion",
        "conclusions",
        "background",
        "overview",
        "summary",
        "references",
        "related work",
        "discussion",
        "acknowledgements",
        "acknowledgments",
        "preliminaries",
        "methodology",
        "methods",
        "approaches",
        "future directions",
        "open problems",
        "open challenges",
        "challenges and future directions",
        "limitations",
        "scope",
        "outline",
        "abstract",
        "applications",
        "evaluation",
        "taxonomy",
        "definitions",
        "motivation",
        "contributions",
        "survey methodology",
        "appendix",
        "benchmarks",
        "datasets",
        "open problems",
        "results",
        "experiments",
        "case studies",
        "challenges",
        "methods and techniques",
        "techniques",
        "trends",
    )
)
GENERIC_HEADING_WORDS = frozenset(
    [
        "introduction",
        "conclusion",
        "conclusions",
        "background",
        "overview",
        "summary",
        "references",
        "discussion",
        "future",
        "directions",
        "outlook",
        "open",
        "problems",
        "remarks",
        "perspectives",
        "acknowledgements",
        "appendix",
    ]
)
STOP = frozenset(
    [
        "a",
        "about",
        "above",
        "across",
        "after",
        "again",
        "against",
        "all",
        "also",
        "although",
        "among",
        "an",
        "and",
        "another",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "due",
        "during",
        "each",
        "either",
        "else",
        "enable",
        "enables",
        "especially",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "given",
        "has",
        "have",
        "having",
        "here",
        "how",
        "however",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "less",
        "many",
        "may",
        "might",
        "more",
        "most",
        "much",
        "must",
        "not",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "onto",
        "or",
        "other",
        "others",
        "otherwise",
        "our",
        "out",
        "over",
        "own",
        "per",
        "rather",
        "same",
        "several",
        "shall",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "too",
        "toward",
        "towards",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "use",
        "used",
        "uses",
        "using",
        "very",
        "via",
        "was",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "new",
        "recent",
        "recently",
        "different",
        "various",
        "based",
        "several",
        "key",
        "main",
        "major",
        "first",
        "second",
        "third",
        "like",
        "make",
        "makes",
        "made",
        "show",
        "shows",
        "shown",
        "propose",
        "proposes",
        "proposed",
        "present",
        "presents",
        "presented",
        "provide",
        "provides",
        "provided",
        "remain",
        "remains",
        "include",
        "includes",
        "including",
        "introduce",
        "introduces",
        "introduced",
        "study",
        "studies",
        "work",
        "works",
        "approach",
        "approaches",
        "method",
        "methods",
        "paper",
        "papers",
        "survey",
        "surveys",
        "section",
        "sections",
        "example",
        "examples",
        "instance",
        "particular",
        "particularly",
        "significant",
        "significantly",
        "number",
        "numbers",
        "large",
        "small",
        "high",
        "low",
        "important",
        "critical",
        "crucial",
        "effective",
        "efficiently",
        "effectively",
        "improve",
        "improves",
        "improved",
        "improving",
        "across",
        "address",
        "addresses",
        "addressed",
        "addressing",
        "further",
        "future",
        "current",
        "currently",
        "existing",
        "specific",
        "general",
        "common",
        "often",
        "still",
        "yet",
        "lead",
        "leads",
        "led",
        "help",
        "helps",
        "ensure",
        "ensures",
        "allow",
        "allows",
        "require",
        "requires",
        "required",
        "remain",
        "achieve",
        "achieves",
        "achieved",
        "reduce",
        "reduces",
        "reduced",
        "increase",
        "increases",
        "increased",
        "involve",
        "involves",
        "train",
        "trains",
        "compute",
        "computes",
        "see",
        "sees",
        "leave",
        "leaves",
        "run",
        "runs",
        "return",
        "returns",
        "join",
        "joins",
        "send",
        "sends",
        "sent",
        "move",
        "moves",
        "give",
        "gives",
        "keep",
        "keeps",
        "hold",
        "holds",
        "select",
        "selects",
        "replace",
        "replaces",
        "estimate",
        "estimates",
        "recover",
        "recovers",
        "tolerate",
        "tolerates",
        "serve",
        "serves",
        "split",
        "splits",
        "fit",
        "fits",
        "hide",
        "hides",
        "learn",
        "learns",
        "reveal",
        "reveals",
        "bound",
        "bounds",
        "called",
        "known",
        "usually",
        "always",
        "never",
        "almost",
        "simply",
    ]
)
CHALLENGE_WORDS = frozenset(
    [
        "attack",
        "attacks",
        "poisoning",
        "leakage",
        "leak",
        "drift",
        "heterogeneity",
        "heterogeneous",
        "bias",
        "biases",
        "risk",
        "risks",
        "problem",
        "problems",
        "challenge",
        "challenges",
        "threat",
        "threats",
        "failure",
        "failures",
        "vulnerability",
        "vulnerabilities",
        "forgetting",
        "shift",
        "shifts",
        "overfitting",
        "noise",
        "skew",
        "stragglers",
        "straggler",
        "dropout",
        "inversion",
        "inference-attack",
        "collapse",
        "hacking",
        "gap",
        "gaps",
        "bottleneck",
        "bottlenecks",
        "limitation",
        "limitations",
        "misuse",
        "toxicity",
        "hallucination",
        "hallucinations",
        "imbalance",
        "scarcity",
        "cost",
        "costs",
        "overhead",
        "privacy-leakage",
    ]
)
BENCHMARK_WORDS = frozenset(
    [
        "benchmark",
        "benchmarks",
        "dataset",
        "datasets",
        "corpus",
        "corpora",
        "suite",
        "suites",
        "leaderboard",
    ]
)
MAX_PHRASE = 4


@dataclass
class Candidate:
    """One drafted concept and why it was suggested."""

    label: str
    key: str  # normalised label, the candidate's identity
    acronym: str | None = None
    kind: str = "method"
    reasons: list[str] = field(default_factory=list)
    where: tuple[str, int] | None = None  # (survey id, line) where it first appears
    context: str = ""  # the sentence or heading it first appears in
    parent: str | None = None  # key of the heading candidate it sits under
    heading: bool = False
    defined: bool = False
    phrase_count: int = 0
    mentions: int = 0

    @property
    def score(self) -> float:
        return self.mentions + 3 * self.defined + 2 * self.heading

    @property
    def id(self) -> str:
        return slug(self.label)


def sentence_case(text: str) -> str:
    """ "Client Drift" -> "Client drift"; acronyms and coined words ("IID", "FedAvg") keep their capitals."""
    words = text.split()
    out = []
    for i, word in enumerate(words):
        coined = any(a.islower() and b.isupper() for a, b in pairwise(word))
        keep = sum(c.isupper() for c in word) >= 2 or (i and coined)
        out.append(word if keep else (word[:1].upper() + word[1:].lower() if i == 0 else word.lower()))
    return " ".join(out)


def slug(text: str) -> str:
    return "-".join(w.lower() for w in WORD.findall(text))[:60].strip("-") or "concept"


def normal(text: str) -> str:
    """Lower-cased words, the last one singular: the identity of a candidate."""
    words = [w.lower() for w in WORD.findall(text)]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _kind(text: str) -> str | None:
    words = {w.lower() for w in WORD.findall(text)}
    if words & BENCHMARK_WORDS:
        return "benchmark"
    if words & CHALLENGE_WORDS:
        return "challenge"
    return None


def _heading_labels(title: str) -> list[str]:
    """The concepts a heading names: "Differential Privacy and Secure Aggregation" names two."""
    out = []
    for part in re.split(r",\s*|\s+and\s+|\s*&\s*", " ".join(title.split()).strip(" :.")):
        words = WORD.findall(part)
        if not words or len(words) > 6 or part.lower() in GENERIC_HEADINGS:
            continue
        if {w.lower() for w in words} <= GENERIC_HEADING_WORDS | STOP:
            continue
        out.append(part)
    return out


def _phrases(text: str) -> Iterable[str]:
    """Runs of two to four content words (no stop word, number or citation inside)."""
    run: list[str] = []
    for token in re.split(r"(\s+|[,;:.()\[\]\"“”!?])", text):
        word = token.strip()
        if not word:
            continue
        clean = word.strip("'’")
        if (
            not re.fullmatch(r"[A-Za-z][A-Za-z-]*[A-Za-z]", clean)
            or clean.lower() in STOP
            or clean.lower().endswith("ly")
        ):
            yield from _ngrams(run)
            run = []
            continue
        run.append(clean)
    yield from _ngrams(run)


def _ngrams(run: list[str]) -> Iterable[str]:
    for n in range(2, MAX_PHRASE + 1):
        for i in range(len(run) - n + 1):
            yield " ".join(run[i : i + n])


def suggest(surveys: Sequence[Survey], limit: int = 40, min_count: int = 2) -> list[Candidate]:
    """Ranked candidates from *surveys*: defined acronyms, headings, repeated noun phrases."""
    found: dict[str, Candidate] = {}

    def add(label: str, reason: str, survey: Survey, line: int, context: str) -> Candidate:
        key = normal(label)
        cand = found.get(key)
        if cand is None:
            cand = found[key] = Candidate(label=sentence_case(label), key=key, where=(survey.id, line), context=context)
        if reason not in cand.reasons:
            cand.reasons.append(reason)
        return cand

    texts: list[str] = []
    phrase_counts: Counter[str] = Counter()
    first_phrase: dict[str, tuple[Survey, int, str, str]] = {}
    for survey in surveys:
        heading_key: dict[str, str] = {}
        for section in survey.sections:
            texts.append(section.title)
            for label in _heading_labels(section.title):
                cand = add(label, f"heading {section.number or section.title}", survey, section.line, section.title)
                cand.heading = True
                heading_key.setdefault(section.key, cand.key)  # a two-concept heading: its first is the parent
                if section.parent in heading_key and heading_key[section.parent] != cand.key:
                    cand.parent = cand.parent or heading_key[section.parent]
        for sentence in survey.sentences:
            texts.append(sentence.text)
            for short, long_form in definitions(sentence.text):
                cand = add(long_form, f"defines {short}", survey, sentence.line, sentence.text)
                cand.defined = True
                cand.acronym = cand.acronym or short
            for phrase in _phrases(sentence.text):
                key = normal(phrase)
                phrase_counts[key] += 1
                first_phrase.setdefault(key, (survey, sentence.line, phrase, sentence.text))
    # repeated phrases, longest first; a shorter phrase that mostly occurs inside a kept longer one is dropped
    kept: list[str] = []
    for key, count in sorted(phrase_counts.items(), key=lambda kv: (-len(kv[0].split()), -kv[1], kv[0])):
        inside = any(f" {key} " in f" {longer} " and phrase_counts[longer] * 2 >= count for longer in kept)
        if count < min_count or key.endswith("ed") or inside:
            continue
        kept.append(key)
        survey, line, phrase, context = first_phrase[key]
        if key not in found:
            cand = add(phrase, "repeated phrase", survey, line, context)
            cand.phrase_count = count
    _count_mentions(list(found.values()), texts)
    _assign_kinds(found)
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.label.lower()))
    ranked = [c for c in ranked if c.mentions or c.defined or c.heading][:limit]
    chosen = {c.key for c in ranked}
    for cand in ranked:  # a broader concept must be drafted too, and of the same kind (the shapes say so)
        parent = found.get(cand.parent) if cand.parent else None
        if parent is None or parent.key not in chosen or parent.kind != cand.kind:
            cand.parent = None
    return ranked


def _count_mentions(candidates: list[Candidate], texts: Iterable[str]) -> None:
    """How often each candidate (label or acronym) is mentioned, with the converter's matcher."""
    concepts = [
        Concept(
            iri=c.key,
            id=c.key,
            kind="method",
            pref_label=c.label,
            alt_labels=(c.acronym,) if c.acronym else (),
            notation=None,
            definition="",
            broader=(),
            sources=(),
        )
        for c in candidates
    ]
    finder = MentionFinder(concepts)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(m.concept for m in finder.find(text))
    for cand in candidates:
        cand.mentions = counts[cand.key]


def _assign_kinds(found: dict[str, Candidate]) -> None:
    """A candidate's own words decide its kind, else those of the headings above it; method by default."""
    for cand in found.values():
        kind, parent, seen = _kind(cand.label), cand.parent, set()
        while kind is None and parent and parent not in seen:
            seen.add(parent)
            above = found.get(parent)
            kind = _kind(above.label) if above else None
            parent = above.parent if above else None
        cand.kind = kind or "method"


# -- Turtle ------------------------------------------------------------------------------------

CLASSES = {"method": "align:Method", "challenge": "align:Challenge", "benchmark": "align:Benchmark"}


def _literal(text: str) -> str:
    text = " ".join(text.split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_turtle(candidates: Sequence[Candidate], namespace: str, title: str) -> str:
    """The draft as Turtle: one scheme, one concept per candidate, why it was suggested as a comment."""
    ids: dict[str, str] = {}
    for cand in candidates:
        ident, n = cand.id, 2
        while ident in ids.values():
            ident, n = f"{cand.id}-{n}", n + 1
        ids[cand.key] = ident
    lines = [
        f"# Draft vocabulary suggested by `alignsurvey vocab suggest` for {title}.",
        "# Edit before use: delete what is not a concept, fix labels and kinds (align:Method, align:Challenge,",
        "# align:Benchmark), replace each drafted definition with your own, add skos:broader where it belongs.",
        "",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix align: <https://w3id.org/alignsurvey/ontology#> .",
        f"@prefix voc: <{namespace}> .",
        "",
        "voc:scheme a skos:ConceptScheme ;",
        f"    skos:prefLabel {_literal(title)}@en ;",
        "    skos:hasTopConcept " + ", ".join(f"voc:{ids[c.key]}" for c in candidates if not c.parent) + " .",
    ]
    for rank, cand in enumerate(candidates, 1):
        survey, line = cand.where or ("?", 0)
        context = cand.context if len(cand.context) <= 160 else cand.context[:157] + "..."
        lines += [
            "",
            f"# {rank}. score {cand.score:g}: {cand.mentions} mention(s); {'; '.join(cand.reasons)}; "
            f"first at {survey} line {line}",
            f"voc:{ids[cand.key]} a skos:Concept, {CLASSES[cand.kind]} ;",
            "    skos:inScheme voc:scheme ;",
            f"    skos:prefLabel {_literal(cand.label)}@en ;",
        ]
        if cand.acronym:
            acronym = _literal(cand.acronym)
            lines += [f"    skos:altLabel {acronym}@en ;", f"    skos:notation {acronym} ;"]
        if cand.parent:
            lines.append(f"    skos:broader voc:{ids[cand.parent]} ;")
        lines.append(f"    skos:definition {_literal('DRAFT - define in your own words. First seen: ' + context)}@en .")
    return "\n".join(lines) + "\n"
