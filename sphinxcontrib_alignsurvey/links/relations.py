"""What one sentence says about a method and a challenge: addresses, has as a limitation, or nothing.

Why a clause grammar and not a cue verb anywhere: read by hand, most
sentences that name a method, a challenge and a verb like "mitigate" do not
say that the method mitigates the challenge.  The verb sits in another clause
("A reduces Y while B ..."), another concept is its agent ("ensembles help
PPO resist Y"), it is negated, owed or hoped for ("must address", "could
reduce"), or the method is the one that suffers ("X is vulnerable to Y", "Y
in X").  So a pair is linked only when one of a small set of grammatical
patterns binds *this* method and *this* challenge to a cue: the method as
agent or instrument of an addressing predicate, or as bearer, location, cause
or target of the challenge.

The grammar is deliberately shallow (no parser, no model): words are
classed by closed lexicons, the sentence is cut into clauses at contrast
markers and semicolons, and each pattern inspects the words between and
around the two mentions.  Every finding names the pattern that fired, so a
link's confidence can be calibrated per pattern (:mod:`.confidence`).  The
design and its measured accuracy are in ``docs/accuracy.rst``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from .mentions import Mention


class Claim(str, Enum):
    """What a sentence asserts about a (method, challenge) pair."""

    ADDRESSES = "addresses"
    LIMITATION = "limitation"


@dataclass(frozen=True, slots=True)
class Finding:
    """One claim of one sentence, with the pattern that found it (for confidence)."""

    method: str  # concept IRI
    challenge: str  # concept IRI
    claim: Claim
    pattern: str


# --- Lexicons ------------------------------------------------------------------------------------


def _forms(*stems: str) -> frozenset[str]:
    """Inflected forms of regular verbs given as 'stem' or 'stem|irregular forms'."""
    out: set[str] = set()
    for spec in stems:
        base, _, extra = spec.partition("|")
        out.add(base)
        out.update(x for x in extra.split(",") if x)
        if base.endswith("e"):
            out.update({base + "s", base + "d", base[:-1] + "ing"})
        elif base.endswith("y") and base[-2] not in "aeiou":
            out.update({base[:-1] + "ies", base[:-1] + "ied", base + "ing"})
        elif re.search(r"(s|x|z|ch|sh)$", base):
            out.update({base + "es", base + "ed", base + "ing"})
        else:
            out.update({base + "s", base + "ed", base + "ing"})
    return frozenset(out)


# Forms more often adjectives or nouns than verbs of addressing ("the correct answer", "a close match").
AMBIGUOUS_VERB_FORMS = frozenset(
    {"correct", "narrow", "lower", "cut", "counter", "spot", "spots", "spotted", "spotting", "surface", "close"}
)
# The method acts on the challenge: it mitigates, removes, prevents or detects it.
ADDRESS_VERBS = _forms(
    "address",
    "mitigate",
    "prevent",
    "reduce",
    "tackle",
    "combat",
    "counter",
    "counteract",
    "alleviate",
    "overcome|overcame,overcomes,overcoming",
    "solve",
    "resolve",
    "avoid",
    "curb|curbed,curbing",
    "suppress",
    "minimize",
    "minimise",
    "lessen",
    "remedy",
    "correct",
    "fix",
    "neutralize",
    "neutralise",
    "eliminate",
    "eradicate",
    "remove",
    "handle",
    "thwart",
    "deter|deterred,deterring",
    "decrease",
    "diminish",
    "lower",
    "attenuate",
    "dampen",
    "offset|offsetting",
    "defend",
    "detect",
    "reveal",
    "expose",
    "identify",
    "flag|flagged,flagging",
    "uncover",
    "catch|caught",
    "diagnose",
    "spot|spotted,spotting",
    "sidestep",
    "circumvent",
    "resist",
    "withstand|withstood",
    "debias",
    "detoxify",
    "penalize",
    "penalise",
    "discourage",
    "block|blocked",
    "filter",
    "stabilize",
    "stabilise",
    "calibrate",
    "recalibrate",
    "safeguard",
    "narrow",
    "bridge",
    "audit",
    "quantify",
    "assess",
    "discover",
    "patch",
    "protect",
    "guard",
    "shield",
    "monitor",
    "manage",
    "alleviate",
    "relieve",
    "rectify",
    "repair",
    "restore",
    "recover",
    "eliminate",
    "robustify",
    "harden",
    "shield",
    "insulate",
    "hedge",
    "isolate",
    "improve",
    "enhance",
    "ensure",
    "promote",
    "operationalize",
    "operationalise",
    "strengthen",
    "adapt",
    "adjust",
    "accommodate",
    "withstand",
) - AMBIGUOUS_VERB_FORMS | {"limits", "limiting"}
# Nouns that name an act of addressing ("a defence against Y", "mitigation of Y").
ADDRESS_NOUNS = frozenset(
    {
        "mitigation",
        "mitigations",
        "prevention",
        "reduction",
        "reductions",
        "defense",
        "defenses",
        "defence",
        "defences",
        "detection",
        "correction",
        "elimination",
        "suppression",
        "removal",
        "resolution",
        "solution",
        "solutions",
        "remedy",
        "remedies",
        "countermeasure",
        "countermeasures",
        "safeguard",
        "safeguards",
        "protection",
        "protections",
        "guard",
        "guards",
        "guardrail",
        "guardrails",
        "antidote",
        "fix",
        "fixes",
        "cure",
        "robustness",
        "resilience",
        "resistance",
        "immunity",
        "guarantee",
        "guarantees",
        "treatment",
        "handling",
        "avoidance",
        "diagnosis",
        "auditing",
        "monitoring",
        "detector",
        "detectors",
        "filter",
        "filters",
        "filtering",
        "hedge",
        "hedges",
    }
)
# Verbs whose subject (the method) has, causes or suffers from the object (the challenge), strong on
# their own; LIMIT_VERBS adds those that only count with a challenge right after.
STRONG_LIMIT_VERBS = _forms(
    "suffer",
    "struggle",
    "exhibit",
    "introduce",
    "cause",
    "induce",
    "risk",
    "inherit",
    "exacerbate",
    "amplify",
    "worsen",
    "aggravate",
    "compound",
    "intensify",
    "magnify",
    "entrench",
    "propagate",
    "perpetuate",
    "incur|incurred,incurring",
    "grapple",
    "succumb",
    "inflate",
    "face",
    "encounter",
)
LIMIT_VERBS = STRONG_LIMIT_VERBS | _forms(
    "display",
    "reinforce",
    "experience",
    "create",
    "overfit|overfitting,overfitted",
    "encode",
    "bake",
    "import",
    "produce",
    "yield",
    "generate",
    "trigger",
    "invite",
    "foster",
    "encourage",
    "reward",
    "enable",
    "increase",
    "raise",
    "pose",
    "carry|carried,carries,carrying",
    "harbor",
    "harbour",
    "share",
    "leave",
    "obscure",
)
LIMIT_ADJECTIVES = frozenset(
    {"prone", "susceptible", "vulnerable", "sensitive", "exposed", "liable", "brittle", "fragile"}
)
# "Y is caused by X", "Y arises from X": the challenge comes from the method.
CAUSED_BY = _forms(
    "cause",
    "introduce",
    "induce",
    "exacerbate",
    "amplify",
    "worsen",
    "aggravate",
    "compound",
    "intensify",
    "magnify",
    "drive|driven,drove",
    "create",
    "produce",
    "generate",
    "entrench",
    "perpetuate",
    "propagate",
    "inherit",
    "trigger",
    "exhibit",
    "observe",
    "see|seen,saw",
    "find|found",
    "document",
    "report",
    "show|shown",
    "encode",
    "import",
    "incur|incurred",
    "inflate",
    "reward",
    "encourage",
)
ARISE_VERBS = _forms(
    "arise|arisen,arose",
    "originate",
    "stem|stemmed,stemming",
    "emerge",
    "occur|occurred,occurring",
    "persist",
    "appear",
    "result",
    "remain",
    "plague",
    "afflict",
    "affect",
    "haunt",
    "undermine",
    "exploit",
    "compromise",
    "bypass",
    "circumvent",
    "fool",
    "manipulate",
    "attack",
    "target",
    "break|broke,broken",
    "degrade",
    "erode",
    "threaten",
    "jailbreak|jailbroke,jailbroken",
    "evade",
    "subvert",
    "hijack",
    "game",
    "hack",
    "limit",
    "hamper",
    "hinder",
    "challenge",
    "bias",
    "corrupt",
    "poison",
    "deceive",
    "mislead|misled",
    "transfer",
    "creep|crept",
    "surface",
    "manifest",
    "beset",
    "bedevil",
    "hurt",
    "harm",
    "weaken",
    "impair",
)
# Instruments: "reducing Y through X".
INSTRUMENT = frozenset(
    {
        "through",
        "via",
        "using",
        "with",
        "by",
        "leveraging",
        "employing",
        "adopting",
        "applying",
        "utilizing",
        "utilising",
        "exploiting",
        "combining",
        "incorporating",
        "thanks",
        "from",
    }
)
EXAMPLE = frozenset(
    {"such", "like", "including", "e", "g", "namely", "notably", "especially", "particularly", "as", "i", "eg"}
)
# Heads that make "of X" a patient: "the robustness of RLHF to Y" (RLHF is what is hardened).
PATIENT_HEADS = frozenset(
    {
        "robustness",
        "resilience",
        "vulnerability",
        "vulnerabilities",
        "susceptibility",
        "safety",
        "security",
        "reliability",
        "resistance",
        "integrity",
        "stability",
        "alignment",
        "weakness",
        "weaknesses",
        "limitations",
        "limitation",
    }
)
# Words before X that take X out of the agent's role.
CONTRAST_PREP = frozenset(
    {
        "unlike",
        "than",
        "versus",
        "vs",
        "beyond",
        "without",
        "alternative",
        "alternatives",
        "replacing",
        "replace",
        "replaces",
        "instead",
        "compared",
        "relative",
        "over",
        "beside",
        "besides",
        "except",
        "to",
    }
)
NEGATION = frozenset(
    {
        "not",
        "no",
        "never",
        "cannot",
        "neither",
        "nor",
        "nothing",
        "hardly",
        "rarely",
        "little",
        "fail",
        "fails",
        "failed",
        "failing",
        "unable",
        "lack",
        "lacks",
        "lacked",
        "insufficient",
        "inadequate",
        "inadequately",
        "barely",
        "t",
        "none",
        "nt",
    }
)
OBLIGATION = frozenset(
    {
        "must",
        "should",
        "need",
        "needs",
        "needed",
        "ought",
        "require",
        "requires",
        "required",
        "crucial",
        "essential",
        "necessary",
        "important",
        "vital",
        "imperative",
        "critical",
        "key",
        "necessitate",
        "necessitates",
        "necessitating",
        "calls",
        "call",
        "demand",
        "demands",
        "remains",
        "remain",
        "future",
        "open",
        "unsolved",
        "unresolved",
        "challenge",
        "challenges",
        "priority",
        "prioritize",
        "prioritise",
        "urgent",
        "warrant",
        "warrants",
        "deserve",
    }
)
HEDGE = frozenset(
    {
        "may",
        "might",
        "could",
        "would",
        "potentially",
        "possibly",
        "perhaps",
        "promising",
        "promise",
        "promises",
        "hope",
        "hoped",
        "hopes",
        "hopefully",
        "whether",
        "if",
        "unless",
        "conjecture",
        "speculate",
        "speculative",
        "envision",
        "envisioned",
        "aspire",
        "aspires",
        "expected",
    }
)
ATTRIBUTION = frozenset(
    {
        "claim",
        "claims",
        "claimed",
        "thought",
        "believed",
        "purported",
        "purportedly",
        "supposedly",
        "allegedly",
        "disputed",
        "contested",
        "assumed",
        "presumed",
        "touted",
    }
)
MOTIVATION = frozenset(
    {
        "prompted",
        "prompting",
        "prompt",
        "prompts",
        "spurred",
        "spurring",
        "spur",
        "spurs",
        "motivated",
        "motivating",
        "motivate",
        "motivates",
        "inspired",
        "inspiring",
        "sparked",
        "sparking",
        "fueled",
        "fuelled",
        "driving",
    }
)
# Verbs that hand agency to their object: "ensembles help PPO resist Y" (PPO is not the agent).
CONTROL = frozenset(
    {
        "help",
        "helps",
        "helped",
        "helping",
        "enable",
        "enables",
        "enabled",
        "enabling",
        "allow",
        "allows",
        "allowed",
        "allowing",
        "let",
        "lets",
        "force",
        "forces",
        "forced",
        "teach",
        "teaches",
        "taught",
        "train",
        "trains",
        "encourage",
        "encourages",
        "encouraged",
        "guide",
        "guides",
        "guided",
        "push",
        "pushes",
        "steer",
        "steers",
        "steering",
        "make",
        "makes",
        "made",
        "making",
        "render",
        "renders",
        "rendered",
    }
)
PURPOSE_VERBS = frozenset(
    {
        "designed",
        "proposed",
        "introduced",
        "developed",
        "used",
        "employed",
        "leveraged",
        "applied",
        "intended",
        "meant",
        "built",
        "aimed",
        "aims",
        "aim",
        "seeks",
        "seek",
        "serves",
        "serve",
        "tailored",
        "created",
        "devised",
        "deployed",
        "adopted",
        "engineered",
        "trained",
        "tries",
        "try",
        "attempts",
        "attempt",
        "strives",
        "works",
        "work",
        "helps",
        "help",
        "can",
        "able",
        "targets",
        "target",
        "targeted",
        "focuses",
        "focused",
        "dedicated",
        "geared",
        "optimized",
        "optimised",
        "crafted",
        "explored",
        "studied",
        "suggested",
        "recommended",
        "advocated",
        "offered",
        "emerged",
        "exist",
        "exists",
        "invented",
    }
)
AUX = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "does",
        "do",
        "did",
        "can",
        "will",
        "also",
        "still",
        "further",
        "thus",
        "therefore",
        "hence",
        "then",
        "often",
        "typically",
        "usually",
        "generally",
        "largely",
        "mostly",
        "partly",
        "partially",
        "directly",
        "explicitly",
        "specifically",
        "effectively",
        "successfully",
        "significantly",
        "substantially",
        "considerably",
        "markedly",
        "greatly",
        "dramatically",
        "reliably",
        "consistently",
        "systematically",
        "inherently",
        "naturally",
        "notably",
        "particularly",
        "especially",
        "even",
        "only",
        "primarily",
        "mainly",
        "chiefly",
        "already",
        "now",
        "both",
        "each",
        "all",
        "jointly",
        "together",
        "actively",
        "proactively",
        "automatically",
        "empirically",
        "demonstrably",
        "measurably",
        "in",
        "turn",
        "practice",
        "principle",
        "part",
        "itself",
        "themselves",
        "at",
        "least",
        "somewhat",
        "fully",
        "completely",
        "entirely",
        "strongly",
        "shown",
        "found",
        "reported",
        "demonstrated",
        "observed",
        "known",
        "documented",
        "to",
        "help",
        "helps",
        "helped",
        "able",
        "used",
        "designed",
        "aims",
        "aim",
        "seeks",
        "serves",
        "intended",
        "meant",
        "tends",
        "tend",
        "likely",
        "frequently",
        "commonly",
        "routinely",
        "repeatedly",
        "sometimes",
        "occasionally",
        "reportedly",
        "a",
        "an",
        "the",
        "its",
        "their",
        "this",
        "these",
        "those",
        "by",
        "design",
        "construction",
        "proposed",
        "introduced",
        "developed",
        "applied",
        "employed",
        "leveraged",
        "deployed",
        "additionally",
        "moreover",
        "furthermore",
        "first",
        "second",
        "finally",
        "notoriously",
        "readily",
        "easily",
        "remain",
        "remains",
        "remained",
        "stay",
        "stays",
        "become",
        "becomes",
        "more",
        "less",
        "highly",
        "very",
        "quite",
        "increasingly",
        "so",
        "too",
        "how",
        "well",
        "famously",
        "widely",
        "clearly",
    }
)
CLAUSE_BREAK = frozenset(
    {
        "but",
        "while",
        "whilst",
        "whereas",
        "although",
        "though",
        "however",
        "yet",
        "nevertheless",
        "nonetheless",
        "conversely",
        "meanwhile",
        "despite",
        "unlike",
        "instead",
        "albeit",
        "except",
        "contrast",
        "otherwise",
    }
)
BARE_VERBS = frozenset(
    {w for w in ADDRESS_VERBS | LIMIT_VERBS if not w.endswith(("s", "ed", "ing"))}
    | {
        "adapt",
        "learn",
        "make",
        "ensure",
        "improve",
        "enable",
        "align",
        "match",
        "handle",
        "balance",
        "encourage",
        "capture",
        "model",
        "support",
        "allow",
        "achieve",
        "produce",
        "generate",
        "optimize",
        "optimise",
        "be",
    }
)
IMPROVE_VERBS = _forms(
    "improve",
    "increase",
    "enhance",
    "boost",
    "strengthen",
    "ensure",
    "provide",
    "offer",
    "yield",
    "confer",
    "add",
    "bring",
    "deliver",
    "guarantee",
    "protect",
    "guard",
    "shield",
    "defend",
    "harden",
    "secure",
    "insulate",
    "immunize",
    "immunise",
    "inoculate",
    "maintain",
    "preserve",
)
DETECT_VERBS = _forms(
    "detect",
    "reveal",
    "expose",
    "identify",
    "flag|flagged,flagging",
    "uncover",
    "catch|caught",
    "diagnose",
    "monitor",
    "audit",
    "quantify",
    "assess",
    "surface",
    "spot|spotted,spotting",
    "discover",
    "probe",
    "red-team",
)
SOURCE_NOUNS = frozenset(
    {
        "source",
        "sources",
        "cause",
        "causes",
        "vector",
        "vectors",
        "driver",
        "drivers",
        "root",
        "culprit",
        "origin",
        "contributor",
    }
)
WEAKNESS_NOUNS = frozenset(
    {
        "limitation",
        "limitations",
        "weakness",
        "weaknesses",
        "drawback",
        "drawbacks",
        "shortcoming",
        "shortcomings",
        "modes",
        "pitfalls",
        "pitfall",
        "problems",
        "issues",
        "vulnerabilities",
        "flaws",
        "flaw",
        "risks",
        "downsides",
        "downside",
    }
)
WEAK_OBJECT_FILLER = frozenset(
    {
        "the",
        "a",
        "an",
        "new",
        "further",
        "additional",
        "more",
        "significant",
        "severe",
        "its",
        "their",
        "from",
        "with",
        "to",
        "of",
        "risk",
        "risks",
        "serious",
        "substantial",
        "considerable",
        "such",
        "as",
        "issues",
        "problems",
        "forms",
        "kinds",
        "types",
        "like",
        "potential",
        "unintended",
        "hidden",
        "subtle",
        "systematic",
        "higher",
        "greater",
        "increased",
        "pronounced",
        "well",
        "known",
        "notable",
        "in",
        "out",
        "up",
        "into",
    }
)
CUE_TO_CHALLENGE_FILLER = frozenset(
    {
        "the",
        "a",
        "an",
        "of",
        "risk",
        "risks",
        "problem",
        "problems",
        "issue",
        "issues",
        "incidence",
        "rate",
        "rates",
        "impact",
        "effects",
        "effect",
        "against",
        "to",
        "for",
        "from",
        "such",
        "as",
        "potential",
        "likelihood",
        "spread",
        "occurrence",
        "frequency",
        "severity",
        "amount",
        "degree",
        "extent",
        "prevalence",
        "possibility",
        "chance",
        "forms",
        "kinds",
        "types",
        "sources",
        "instances",
        "cases",
        "signs",
        "symptoms",
        "harmful",
        "unwanted",
        "undesirable",
        "emergent",
        "like",
        "common",
        "known",
        "subtle",
        "many",
        "various",
        "both",
        "and",
        ",",
        "model",
        "models",
        "llm",
        "llms",
        "data",
        "on",
        "with",
        "in",
        "'s",
        "’",
    }
)
LOCATION_GLUE = frozenset(
    {
        "in",
        "within",
        "of",
        "inherent",
        "to",
        "observed",
        "seen",
        "found",
        "exhibited",
        "introduced",
        "caused",
        "induced",
        "associated",
        "affecting",
        "plaguing",
        "arising",
        "stemming",
        "from",
        "the",
        "a",
        "an",
        "models",
        "model",
        "systems",
        "system",
        "trained",
        "aligned",
        "tuned",
        "fine",
        "-",
        "optimized",
        "optimised",
        "policies",
        "policy",
        "llms",
        "agents",
        "current",
        "existing",
        "standard",
        "vanilla",
        "pipelines",
        "pipeline",
        "methods",
        "approaches",
        "techniques",
        "under",
        "when",
        "using",
        "during",
        "after",
        "post",
        "by",
        "among",
        "typical",
        "conventional",
        "traditional",
        "common",
        "popular",
        "many",
        "most",
        "documented",
        "reported",
        "evident",
        "present",
        "prevalent",
        "endemic",
        "persist",
        "persists",
        "persisting",
        "remain",
        "remains",
        "remaining",
        "even",
        "still",
        "with",
        "training",
        "settings",
        "setups",
        "frameworks",
        "based",
        "large",
        "language",
        "inherited",
        "their",
        "its",
        "behaviours",
        "behaviors",
        "behaviour",
        "behavior",
        "was",
        "were",
        "is",
        "are",
        "been",
        "has",
        "have",
        "both",
        "frequently",
        "often",
        "also",
        "widely",
        "commonly",
        "repeatedly",
        "particularly",
        "especially",
        "notably",
    }
)
PROTECT_VERBS = _forms(
    "protect",
    "shield",
    "guard",
    "defend",
    "harden",
    "secure",
    "insulate",
    "immunize",
    "immunise",
    "inoculate",
    "robustify",
    "safeguard",
)
LIGHT_VERBS = _forms(
    "provide",
    "offer",
    "serve",
    "act",
    "represent",
    "constitute",
    "deliver",
    "yield",
    "enable",
    "support",
    "afford",
    "give|gave,given",
    "bring|brought",
    "add",
    "improve",
    "enhance",
    "strengthen",
    "increase",
    "boost",
) | {"is", "are", "was", "were", "as"}
VERBISH = frozenset(
    {
        "demonstrate",
        "demonstrates",
        "demonstrated",
        "show",
        "shows",
        "showed",
        "suggest",
        "suggests",
        "suggested",
        "highlight",
        "highlights",
        "indicate",
        "indicates",
        "find",
        "finds",
        "argue",
        "argues",
        "note",
        "notes",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "can",
        "could",
        "may",
        "might",
        "will",
        "would",
        "how",
        "that",
        "which",
        "because",
        "when",
        "if",
    }
)
FINITE_CONTROL = frozenset(
    {
        "fail",
        "fails",
        "failed",
        "unable",
        "able",
        "try",
        "tries",
        "tried",
        "manage",
        "manages",
        "managed",
        "attempt",
        "attempts",
        "seek",
        "seeks",
        "aim",
        "aims",
        "help",
        "helps",
        "serve",
        "serves",
        "work",
        "works",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "can",
        "cannot",
        "tend",
        "tends",
        "continue",
        "continues",
        "struggle",
        "struggles",
        "little",
        "much",
        "enough",
        "sufficient",
        "suffices",
        "suffice",
    }
)
MADE_WITH = frozenset(
    {
        "aligned",
        "trained",
        "tuned",
        "optimized",
        "optimised",
        "used",
        "built",
        "obtained",
        "produced",
        "learned",
        "learnt",
        "generated",
        "created",
        "developed",
        "based",
        "finetuned",
        "guided",
        "supervised",
        "steered",
        "shaped",
        "rewarded",
    }
)
LEAD_OBLIGATION = frozenset(
    {
        "must",
        "should",
        "need",
        "needs",
        "needed",
        "require",
        "requires",
        "required",
        "requiring",
        "necessitate",
        "necessitates",
        "necessitating",
        "ought",
        "demand",
        "demands",
        "calls",
    }
)
USE_HEADS = frozenset(
    {
        "use",
        "application",
        "applications",
        "adoption",
        "combination",
        "integration",
        "incorporation",
        "introduction",
        "deployment",
        "extension",
        "extensions",
        "variant",
        "variants",
        "version",
        "versions",
        "family",
        "forms",
        "form",
        "implementations",
        "implementation",
    }
)
INTRO_VERBS = _forms(
    "introduce",
    "propose",
    "use",
    "employ",
    "leverage",
    "apply",
    "adopt",
    "develop",
    "design",
    "present",
    "train",
    "deploy",
    "incorporate",
    "integrate",
    "combine",
    "exploit",
    "utilize",
    "utilise",
    "harness",
    "extend",
    "augment",
    "add",
    "build|built",
    "create",
    "devise",
    "invent",
)
PREPOSITIONS = frozenset(
    {
        "at",
        "of",
        "to",
        "from",
        "with",
        "by",
        "for",
        "on",
        "in",
        "into",
        "over",
        "against",
        "beyond",
        "than",
        "unlike",
        "through",
        "via",
        "using",
        "under",
        "about",
        "between",
        "among",
        "within",
        "toward",
        "towards",
        "without",
        "despite",
        "after",
        "before",
        "during",
        "across",
        "upon",
    }
)
RELATIVE = frozenset({"which", "that", "who", "whose", "where", "whom"})
PRONOUN_SUBJECT = frozenset({"it", "they", "its", "their", "this", "these", "such"})
SUBJECT_AUX = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "can",
        "does",
        "do",
        "did",
        "will",
        "may",
        "might",
        "could",
        "would",
        "should",
        "must",
        "remains",
        "remain",
        "often",
        "also",
        "still",
        "tends",
        "tend",
        "frequently",
        "typically",
        "itself",
        "in",
        "turn",
        "then",
        "further",
        "moreover",
        "sometimes",
        "notably",
        "particularly",
    }
)
FUTURE_WORK = re.compile(
    r"\b(?:future (?:work|research|directions?|studies|efforts|investigations?|systems)|open (?:problems?|"
    r"challenges?|questions?|issues?)|remains? (?:an? )?(?:open|unsolved|unresolved|elusive|challenging|"
    r"underexplored|unclear|(?:\w+ )?(?:challenge|problem|question|concern|issue|hurdle|gap))|research (?:should|"
    r"must|needs)|(?:we|researchers|the field|the community) (?:must|should|need)|frontiers?|research agenda|"
    r"(?:research|promising|critical|key) (?:directions?|avenues?|priorities|opportunities))\b",
    re.IGNORECASE,
)
CITATION = re.compile(r"\[[\d\s,;–\-]+\]")
# a quoted title of four words or more, not a scare quote around a term
QUOTED_TITLE = re.compile(r"\"(?:[^\"\s]+\s+){3,}[^\"]*\"|“(?:[^”\s]+\s+){3,}[^”]*”")
TOKEN = re.compile(r"[^\W_]+|[^\w\s]")


@dataclass(slots=True)
class Tok:
    low: str
    start: int
    end: int
    concept: str | None = None  # IRI when the token is a whole mention
    kind: str | None = None  # "method" | "challenge" | other concept kind
    clause: int = 0


def tokenize(text: str, mentions: Sequence[Mention], kinds: Mapping[str, str]) -> list[Tok]:
    """Words and punctuation, each mention one token, citation brackets dropped."""
    skip = sorted((m.start(), m.end()) for rx in (CITATION, QUOTED_TITLE) for m in rx.finditer(text))
    spans = sorted(mentions, key=lambda m: m.start)
    out: list[Tok] = []
    k = s = 0
    for match in TOKEN.finditer(text):
        start, end = match.start(), match.end()
        while s < len(skip) and skip[s][1] <= start:
            s += 1
        if s < len(skip) and skip[s][0] <= start < skip[s][1]:
            continue
        while k < len(spans) and spans[k].end <= start:
            k += 1
        if k < len(spans) and spans[k].start <= start < spans[k].end:
            m = spans[k]
            if out and out[-1].concept == m.concept and out[-1].start == m.start:
                continue
            out.append(Tok(m.exact.lower(), m.start, m.end, m.concept, kinds.get(m.concept, "other")))
            continue
        out.append(Tok(match.group(0).lower(), start, end))
    _drop_acronym_glosses(out)
    _clauses(out)
    return out


def _drop_acronym_glosses(toks: list[Tok]) -> None:
    """'Direct Preference Optimization (DPO)' is one mention; the gloss in parentheses is dropped."""
    i = 0
    while i + 3 < len(toks) + 1 and i < len(toks):
        if (
            toks[i].low == "("
            and i + 2 < len(toks)
            and toks[i + 2].low == ")"
            and i > 0
            and (toks[i + 1].concept is None or toks[i + 1].concept == toks[i - 1].concept)
            and toks[i - 1].concept is not None
        ):
            del toks[i : i + 3]
            continue
        i += 1


def _clauses(toks: list[Tok]) -> None:
    """Number clauses: a new one starts at ';', at a contrast marker, and at a list item '(2)'."""
    clause = 0
    for i, t in enumerate(toks):
        semicolon = t.low == ";"
        contrast = t.low in CLAUSE_BREAK and not (t.low == "yet" and i and toks[i - 1].low == "not")
        item = (t.low == "(" and i + 2 < len(toks) and toks[i + 1].low.isdigit() and toks[i + 2].low == ")") or (
            t.low.isdigit() and i + 1 < len(toks) and toks[i + 1].low == ")" and (i == 0 or toks[i - 1].low in ",;:")
        )
        if semicolon or contrast or item:
            clause += 1
        t.clause = clause


# --- Pattern helpers -----------------------------------------------------------------------------


def _is_address_verb(w: str) -> bool:
    return w in ADDRESS_VERBS


def _participle(w: str) -> bool:
    return w.endswith("ed") or w in {
        "caught",
        "overcome",
        "withstood",
        "cut",
        "offset",
        "driven",
        "seen",
        "found",
        "shown",
        "broken",
        "misled",
        "jailbroken",
        "arisen",
    }


def _words(toks: Sequence[Tok]) -> list[str]:
    return [t.low for t in toks]


def _has(toks: Sequence[Tok], lexicon: frozenset[str]) -> bool:
    return any(t.low in lexicon and t.concept is None for t in toks)


def _negated(toks: Sequence[Tok]) -> bool:
    words = _words(toks)
    return any(w in NEGATION for w in words) or ("n" in words and "t" in words)


def _coordinated(toks: Sequence[Tok]) -> bool:
    """Tokens between two mentions of the same kind that only join them ('A, B and C')."""
    return all(
        t.low in {",", "and", "or", "as", "well", "both", "either", "/", "&", "the", "(", ")"} or t.concept is not None
        for t in toks
    )


def _preceded_by_contrast(toks: list[Tok], i: int) -> bool:
    """'unlike X', 'rather than X', 'alternatives to X', 'compared with X'."""
    j = i - 1
    while j >= 0 and toks[j].low in {
        "the",
        "a",
        "an",
        "standard",
        "vanilla",
        "conventional",
        "traditional",
        "classical",
        "classic",
        "existing",
        "plain",
        "as",
        "with",
        "of",
        "to",
        "from",
    }:
        if (
            toks[j].low in {"of", "to", "with", "from"}
            and j > 0
            and toks[j - 1].low
            in {
                "alternative",
                "alternatives",
                "compared",
                "relative",
                "contrast",
                "opposed",
                "instead",
                "unlike",
                "comparison",
                "replacement",
                "successor",
                "successors",
                "variants",
                "extension",
                "extensions",
            }
        ):
            return True
        j -= 1
    if j < 0:
        return False
    return toks[j].low in {
        "than",
        "unlike",
        "versus",
        "vs",
        "beyond",
        "without",
        "replacing",
        "replace",
        "replaces",
        "besides",
        "beside",
        "except",
        "over",
    }


def _patient(toks: list[Tok], i: int) -> bool:
    """X is the thing being hardened or described: 'the robustness of X', 'X's vulnerability'."""
    j = i - 1
    while j >= 0 and toks[j].low in {"the", "a", "an", "standard", "vanilla", "current", "existing", "modern"}:
        j -= 1
    return j >= 1 and toks[j].low in {"of", "in"} and toks[j - 1].low in PATIENT_HEADS


def _strip_coordination(between: Sequence[Tok]) -> Sequence[Tok]:
    """'X, Y and Z reduce ...': the methods coordinated with X share its predicate."""
    k = 0
    while k < len(between) and (
        between[k].low in {",", "and", "or", "/", "&", "as", "well", "nor", "both", "either"}
        or between[k].kind == "method"
    ):
        k += 1
    return between[k:]


HEAD_NOUNS = frozenset(
    {
        "method",
        "methods",
        "approach",
        "approaches",
        "technique",
        "techniques",
        "framework",
        "frameworks",
        "algorithm",
        "algorithms",
        "model",
        "models",
        "system",
        "systems",
        "-",
        "based",
        "style",
        "training",
        "tuning",
        "pipeline",
        "pipelines",
        "variant",
        "variants",
        "objective",
        "objectives",
        "protocol",
        "protocols",
        "strategy",
        "strategies",
        "tools",
        "tool",
        ",",
        "agents",
        "agent",
        "policies",
        "policy",
        "paradigms",
        "paradigm",
        "architectures",
        "architecture",
        "mechanisms",
        "mechanism",
        "schemes",
        "scheme",
        "procedures",
        "procedure",
        "setups",
        "losses",
        "loss",
        "regimes",
        "regime",
        "datasets",
        "benchmarks",
        "metrics",
        "judges",
        "evaluators",
        "classifiers",
        "detectors",
        "monitors",
        "audits",
        "and",
        "or",
    }
)


def _agent_path(between: Sequence[Tok], method_kind: str = "method") -> bool:
    """Between the method and the predicate: nothing that gives the predicate another subject.

    Allowed: the method's own head noun ('X-based methods'), a relative pronoun
    attached to it ('X, which reduces'), auxiliaries and adverbs, coordinated
    methods, and methods that are only a complement ('X builds on Z to reduce
    Y', 'X helps Z resist Y').
    """
    between = _strip_coordination(between)
    if len(between) > 14:
        return False
    for k, t in enumerate(between):
        if t.kind == method_kind:
            before = between[k - 1].low if k else ""
            if (
                before in CONTRAST_PREP
                or before in CONTROL
                or before in {"rather", "of", "from", "with", "on", "to", "the", "a", "an"}
            ):
                continue  # 'X extends beyond Z to mitigate Y', 'X builds on Z to reduce Y': X stays the agent
            return False
        if t.kind == "challenge":
            return False
        if t.low in RELATIVE and not all(x.low in HEAD_NOUNS or x.low in AUX for x in between[:k]):
            return False  # 'X relies on Z that mitigates Y': Z is the agent
        if t.low == "where":
            return False  # 'X, where systems are exposed to Y': the clause brings its own subject
        if t.low in {",", "and"} and k + 1 < len(between) and between[k + 1].low in PRONOUN_SUBJECT | {"we", "i"}:
            return False
        if t.low == "and" and k and between[k - 1].low == ",":
            return False  # ', and the gaps in ...': a new conjunct, not the method's predicate
        if t.low in {"when", "because", "since", "if", "unless", "whether", "until", "after", "before", "once"}:
            return False
    return True


def _object_path(between: Sequence[Tok]) -> bool:
    """Between the predicate and the challenge: a noun phrase, not a new clause."""
    if len(between) > 10:
        return False
    for k, t in enumerate(between):
        if t.kind == "method":
            return False
        if t.low in {"—", "–", ":"}:
            return False  # an elaboration, not the object
        if t.low == "," and k + 1 < len(between) and between[k + 1].low in PRONOUN_SUBJECT | {"we", "which", "who"}:
            return False
        if t.low in RELATIVE or t.low in {
            "when",
            "because",
            "since",
            "so",
            "thereby",
            "thus",
            "without",
            "than",
            "whether",
            "if",
            "unless",
        }:
            return False
        nominal = k + 1 < len(between) and between[k + 1].low in {"of", "in", "to", "from", "for"}
        if (
            t.concept is None
            and (t.low in ADDRESS_VERBS or t.low in LIMIT_VERBS)
            and not (t.low.endswith("ing") or nominal)
        ):
            return False
        if (
            t.low == "to"
            and k + 1 < len(between)
            and between[k + 1].concept is None
            and (between[k + 1].low.endswith("ly") or between[k + 1].low in BARE_VERBS)
        ):
            return False  # 'introduces games to adapt to Y': a purpose clause, not the object
    return True


def _modifiers(toks: Sequence[Tok]) -> tuple[bool, bool, bool]:
    """(negated, obligation, hedge) in the tokens that lead to a predicate."""
    seq = _words(toks)
    words = set(seq)
    neg = bool(words & NEGATION) or ("n" in words and "t" in words)
    if (
        neg
        and "only" in words
        and "not" in words
        and seq.index("only") == seq.index("not") + 1
        and not (words & (NEGATION - {"not"}))
    ):
        neg = False  # 'not only reduces Y but also ...'

    obl = bool(words & OBLIGATION)
    hedge = bool(words & (HEDGE | ATTRIBUTION | MOTIVATION))
    return neg, obl, hedge


def _sentence_blocked(text: str) -> bool:
    return text.rstrip().endswith("?") or FUTURE_WORK.search(text) is not None


# --- The patterns --------------------------------------------------------------------------------


def judge(toks: list[Tok], im: int, ic: int, blocked: bool) -> tuple[Claim, str] | None:
    """The claim the sentence makes about the method at token *im* and the challenge at *ic*."""
    m, c = toks[im], toks[ic]
    lead = _lead(toks, min(im, ic))
    if set(_words(lead)) & (ATTRIBUTION | {"whether", "credit", "credits", "credited", "if", "unless"}):
        return None  # 'surveys claim that X solves Y', 'whether X is prone to Y is disputed'
    if m.clause != c.clause:
        return _across(toks, im, ic, blocked)
    if im < ic:
        return _method_first(toks, im, ic, blocked)
    return _challenge_first(toks, im, ic, blocked)


def _lead(toks: list[Tok], i: int) -> list[Tok]:
    """Tokens of the clause before position *i* (its left context)."""
    j = i
    while j > 0 and toks[j - 1].clause == toks[i].clause:
        j -= 1
    return toks[j:i]


def _left_word(toks: list[Tok], i: int, skip: frozenset[str] = frozenset({"the", "a", "an"})) -> str:
    j = i - 1
    while j >= 0 and toks[j].low in skip:
        j -= 1
    return toks[j].low if j >= 0 else ""


def _method_first(toks: list[Tok], im: int, ic: int, blocked: bool) -> tuple[Claim, str] | None:
    between = toks[im + 1 : ic]
    words = _words(between)
    lead = _lead(toks, im)
    if _preceded_by_contrast(toks, im):
        if "unlike" in _words(lead[-3:]) and _negated(between) and ({"suffer", "suffers"} & set(words)):
            return Claim.LIMITATION, "unlike-X-negated"
        return None
    if _patient(toks, im):
        return None
    lead_neg = bool(set(_words(lead[-2:])) & {"neither", "nor", "not", "no"})
    # 'ensembles help PPO resist Y', 'detection protects RLHF pipelines against Y': the method is the patient
    controlled = _left_word(toks, im, frozenset({"the", "a", "an", "to"})) in CONTROL | PROTECT_VERBS
    if _in_pp(toks, im):
        return None  # 'depends on reward models and can suffer from Y': the subject is elsewhere
    owed = bool(set(_words(lead)) & LEAD_OBLIGATION)  # 'requires ... X to manage Y'
    blocked = blocked or owed
    # X's Y, X-induced Y, the limitations of X: Y
    if words in (["’", "s"], ["'", "s"], ["'"]):
        return Claim.LIMITATION, "possessive"
    if (
        len(words) == 2
        and words[0] == "-"
        and words[1] in {"induced", "related", "specific", "caused", "driven", "inherent", "prone"}
    ):
        return Claim.LIMITATION, "X-induced-Y"
    if _weakness_list(toks, im, between):
        return Claim.LIMITATION, "weaknesses-of-X-are-Y"
    # the predicate nearest to the challenge decides
    for k in range(len(between) - 1, -1, -1):
        t = between[k]
        if t.concept is not None:
            continue
        w = t.low
        pre, post = between[:k], between[k + 1 :]
        neg, obl, hedge = _modifiers(pre)
        neg = neg or lead_neg
        if w in LIMIT_ADJECTIVES and post and post[0].low in {"to", "in"} and _object_path(post[1:]):
            if not _agent_path(pre) or neg or set(_words(pre)) & {"less", "not"}:
                return None
            return Claim.LIMITATION, "prone-to"
        if w in SOURCE_NOUNS and post and post[0].low in {"of", "for"} and _object_path(post[1:]):
            if (
                not _agent_path(pre)
                or neg
                or obl
                or not (set(_words(pre)) & {"is", "are", "was", "were", "remains", "becomes", "itself", "a", "an"})
            ):
                return None
            return Claim.LIMITATION, "X-is-a-source-of-Y"
        if (
            w
            in {
                "robust",
                "resistant",
                "immune",
                "resilient",
                "invulnerable",
                "robustness",
                "resilience",
                "resistance",
                "immunity",
            }
            and post
        ):
            # 'robust to Y', 'the robustness of Z to Y' (Z is what is hardened)
            to = next((i for i, x in enumerate(post[:5]) if x.low in {"to", "against"}), None)
            if to is not None and (to == 0 or post[0].low == "of") and _object_path(post[to + 1 :]):
                return _robust(toks, im, pre, w, blocked, neg, obl, hedge, controlled)
        if w == "against" and _object_path(post):
            return _against(pre, blocked, neg, obl, hedge, controlled)
        if w in LIMIT_VERBS and not _participle_passive(pre, w):
            if w not in STRONG_LIMIT_VERBS and any(x.concept is None and x.low not in WEAK_OBJECT_FILLER for x in post):
                continue
            if not _object_path(post) or not _agent_path(pre):
                return None
            if neg:
                if w.startswith(("suffer", "struggl", "exhibit", "face")) and not lead_neg:
                    return None if blocked else (Claim.ADDRESSES, "not-suffer-from")
                return None
            if obl and not (set(_words(pre)) & {"remains", "remain", "still"}):
                return None
            return Claim.LIMITATION, "X-suffers-Y"
        if _is_address_verb(w) or (
            w in ADDRESS_NOUNS and post[:1] and post[0].low in {"of", "against", "to", "for", "from", "in"}
        ):
            introduced = any(t.low in INTRO_VERBS for t in lead[-3:])
            return _addresses_forward(between, k, blocked, neg, obl, hedge, controlled, lead_neg, introduced)
        if (
            w in {"requires", "require", "required", "need", "needs"}
            and any(_is_address_verb(x.low) for x in post)
            and _agent_path(pre)
        ):
            return Claim.LIMITATION, "requires-care-to-avoid"
    return None


def _in_pp(toks: list[Tok], i: int) -> bool:
    """The method is the object of a preposition ('on X', 'in X'), not a subject; 'the use of X' is."""
    j = i - 1
    while j >= 0 and toks[j].low in {
        "the",
        "a",
        "an",
        "robust",
        "standard",
        "vanilla",
        "existing",
        "current",
        "conventional",
        "traditional",
        "modern",
        "classical",
        "popular",
    }:
        j -= 1
    if j < 0 or toks[j].clause != toks[i].clause or toks[j].low not in PREPOSITIONS:
        return False
    if toks[j].low == "of" and j > 0 and toks[j - 1].low in USE_HEADS:
        return False
    if (
        j > 0
        and toks[j - 1].low in MADE_WITH
        and toks[j].low in {"with", "by", "using", "via", "for", "on", "through", "from"}
    ):
        return False  # 'models aligned with X', 'datasets used for X': X is the method of the subject
    return not (toks[j].low == "as" or toks[j].low == "like")


def _weakness_list(toks: list[Tok], im: int, between: Sequence[Tok]) -> bool:
    """'Two failure modes of X are well known: Y and Z', 'the limitations of X include Y'."""
    if _left_word(toks, im) != "of":
        return False
    j = im - 1
    while j >= 0 and toks[j].low in {"the", "a", "an", "of"}:
        j -= 1
    if j < 0 or toks[j].low not in WEAKNESS_NOUNS:
        return False
    if len(between) > 8 or any(t.concept for t in between):
        return False
    return bool(set(_words(between)) & {":", "include", "includes", "are", "is", "such", "like", "including"})


def _participle_passive(pre: Sequence[Tok], w: str) -> bool:
    return _participle(w) and bool(pre) and pre[-1].low in {"is", "are", "was", "were", "be", "been", "being"}


def _robust(
    toks: list[Tok],
    im: int,
    pre: Sequence[Tok],
    w: str,
    blocked: bool,
    neg: bool,
    obl: bool,
    hedge: bool,
    controlled: bool,
) -> tuple[Claim, str] | None:
    """'X is robust to Y', 'X improves the robustness of Z to Y' (X addresses Y, Z does not)."""
    if controlled:
        return None
    if w.startswith(("robustness", "resilience", "resistance", "immunity")):
        # the noun needs an agent verb: 'X improves/increases the robustness (of Z) to Y'
        agent = [t for t in pre if t.concept is None and t.low in IMPROVE_VERBS]
        if not agent:
            return None
        k = pre.index(agent[-1])
        if not _agent_path(pre[:k]):
            return None
        neg, obl, hedge = _modifiers(pre[:k])
    elif not _agent_path(pre):
        return None
    if blocked or obl or hedge:
        return None
    if neg:
        return Claim.LIMITATION, "not-robust-to"
    return Claim.ADDRESSES, "robust-to"


def _against(
    pre: Sequence[Tok], blocked: bool, neg: bool, obl: bool, hedge: bool, controlled: bool
) -> tuple[Claim, str] | None:
    """'X-based defences against Y', 'X protects Z against Y', 'X provides guarantees against Y'."""
    verbs = [
        k
        for k, t in enumerate(pre)
        if t.concept is None and (t.low in ADDRESS_VERBS or t.low in IMPROVE_VERBS or t.low in ADDRESS_NOUNS)
    ]
    head = pre[: verbs[0]] if verbs else pre
    if controlled or not _agent_path(head):
        return None
    if any(
        t.concept is None and (t.low in ARISE_VERBS or t.low in CAUSED_BY) and t.low not in ADDRESS_VERBS for t in pre
    ):
        return None
    if neg or obl or hedge or blocked:
        return None
    return Claim.ADDRESSES, "X-against-Y"


OUTCOME_VERB_PREFIXES = (
    "prevent",
    "avoid",
    "eliminat",
    "stop",
    "remov",
    "protect",
    "guard",
    "resist",
    "withstand",
    "mitigat",
    "reduc",
    "solv",
    "fix",
    "correct",
    "defend",
    "curb",
    "block",
    "rule",
)


def _addresses_forward(
    between: Sequence[Tok],
    k: int,
    blocked: bool,
    neg: bool,
    obl: bool,
    hedge: bool,
    controlled: bool,
    lead_neg: bool = False,
    introduced: bool = False,
) -> tuple[Claim, str] | None:
    """The method before an addressing predicate, the challenge after it."""
    pre, verb, post = between[:k], between[k], between[k + 1 :]
    if not _object_path(post) or controlled:
        return None
    if post and post[0].low == "by":  # "X ... mitigated by Z": Z is the agent
        return None
    if verb.low.startswith("expos") and any(t.low == "to" for t in post):
        return None  # 'X exposes models to Y' is not detection
    if verb.low.startswith(("adapt", "adjust", "accommodat")) and not (post and post[0].low == "to"):
        return None  # only 'adapts to Y' addresses Y
    if _participle_passive(pre, verb.low):
        return None  # the method is what is addressed
    words = set(_words(pre))
    purpose = bool(words & PURPOSE_VERBS) and ("to" in words or "for" in words)
    before = [t.low for t in pre if t.low not in AUX or t.low == "to"]
    if before and before[-1] == "to" and not (words & (PURPOSE_VERBS | INTRO_VERBS | FINITE_CONTROL) or introduced):
        return None  # 'X techniques to handle Y' with no verb that makes it X's purpose: a need or a list item
    if before and before[-1] in PREPOSITIONS and verb.low.endswith("ing"):
        core = _strip_coordination(pre)
        if len(core) > 6 or any(t.low in {",", "and", "—", "–"} for t in core):
            return None  # 'the gaps in assessing Y': the gerund's subject is another noun
    # 'X uses Z to reduce Y' is still X's purpose; a relative clause or another subject is not
    if not _agent_path(pre) and not (
        purpose and not _has(pre, RELATIVE) and len(pre) <= 12 and not any(t.concept for t in pre)
    ):
        return None
    if neg:
        near = _words([t for t in pre if t.low not in AUX or t.low in {"to"}][-2:])
        failed = lead_neg or bool(
            set(near) & {"fail", "fails", "failed", "cannot", "not", "unable", "little", "neither", "nor", "never"}
            or "neither" in words
            or "nor" in words
        )
        if (
            verb.low.startswith(OUTCOME_VERB_PREFIXES)
            and failed
            and not (blocked or obl or hedge)
            and not (words & {"designed", "intended", "meant", "target", "targets", "because"})
        ):
            return Claim.LIMITATION, "fails-to-prevent"
        return None
    if blocked or obl or hedge:
        return None  # owed, hoped for or open: not a claim that it works
    if verb.low in ADDRESS_NOUNS:
        # a noun needs a light verb or an apposition: 'X provides a defence against Y', 'X, a remedy for Y'
        light = [t for t in pre if t.low in LIGHT_VERBS]
        if not light and not (pre and pre[0].low == "," and len(pre) <= 4):
            return None
        return Claim.ADDRESSES, "X-provides-defence-Y"
    if purpose:
        return Claim.ADDRESSES, "X-to-address-Y"
    if verb.low in DETECT_VERBS:
        return Claim.ADDRESSES, "X-detects-Y"
    return Claim.ADDRESSES, "X-addresses-Y"


def _challenge_first(toks: list[Tok], im: int, ic: int, blocked: bool) -> tuple[Claim, str] | None:
    between = toks[ic + 1 : im]
    if _preceded_by_contrast(toks, im):
        return None
    lead = _lead(toks, ic)
    # passive: "Y is mitigated by X", "Y, partly corrected by X", "Y discovered by X"
    for k, t in enumerate(between):
        if t.concept is not None:
            continue
        post = between[k + 1 :]
        w = t.low
        pre = between[:k]
        if _is_address_verb(w) and _participle(w) and post and post[0].low in INSTRUMENT | {"in"}:
            if len(post) > 8 or any(x.kind == "method" for x in post):
                continue
            neg, obl, hedge = _modifiers(pre)
            if blocked or obl or hedge or neg or _has(pre, RELATIVE | {"whether"}):
                return None
            if any(
                x.kind == "challenge" or (x.concept is None and x.low in ADDRESS_VERBS and x is not t) for x in pre[:-1]
            ) and not _coordinated([x for x in pre if x.low not in AUX]):
                return None
            return Claim.ADDRESSES, "Y-is-addressed-by-X"
        caused = (
            w in CAUSED_BY and _participle(w) and post and post[0].low in {"by", "in", "with", "from", "among", "under"}
        )
        if caused and len(post) <= 6 and not any(x.concept for x in post):
            neg, obl, hedge = _modifiers(pre)
            if neg or (_has(pre, RELATIVE) and len(pre) > 3):
                return None
            return Claim.LIMITATION, "Y-caused-by-X"
        if w in ARISE_VERBS and pre and pre[-1].low in {"a", "an", "the", "this", "these", "its", "their"}:
            continue  # a noun ('a challenge for X'), not a verb
        if (
            w in ARISE_VERBS
            and post
            and post[0].low
            in {"in", "from", "with", "during", "when", "within", "under", "for", "across", "through", "against"}
        ):
            if blocked:
                return None  # 'Y remains a challenge for X' is an open problem, not X's flaw
            if len(post) <= 6 and not any(x.concept for x in post) and len(pre) <= 6 and not _negated(pre):
                return Claim.LIMITATION, "Y-arises-in-X"
        if (
            w in ARISE_VERBS
            and not post
            and not _negated(pre)
            and len(between) <= 8
            and not _participle(w)
            and not any(x.low in {"to", "by"} for x in pre)
        ):
            return Claim.LIMITATION, "Y-harms-X"
    # "reducing Y through X", "defences against Y such as X"
    tail = _instrument_or_example(between, lead, blocked)
    if tail is not None:
        return tail
    # location: "Y in X", "Y of X", "Y observed in models trained with X"; not 'enhancing the Y of X' (a quality)
    # nor 'theorems in social choice theory' (a field of study is where Y is proved, not what suffers it)
    if _location(between) and not any(t.low in IMPROVE_VERBS for t in lead[-5:]) and not _field(toks, im):
        return Claim.LIMITATION, "Y-in-X"
    return None


FIELD_NOUNS = frozenset({"theory", "theories", "literature", "research", "discipline", "disciplines"})


def _field(toks: list[Tok], i: int) -> bool:
    """The method's mention names a field of study: 'social choice theory', 'the X literature'."""
    after = toks[i + 1].low if i + 1 < len(toks) else ""
    return toks[i].low.rsplit(" ", 1)[-1] in FIELD_NOUNS or after in FIELD_NOUNS


def _location(between: Sequence[Tok]) -> bool:
    if not between or len(between) > 7:
        return False
    words = _words(between)
    if any(t.concept is not None for t in between):
        return False
    if words in (["-", "prone"],):
        return True
    if not (
        set(words) & {"in", "within", "of", "inherent", "from", "affecting", "plaguing", "among", "under", "during"}
    ):
        return False
    if words[0] in {"with", "by"}:
        return False  # 'Y with X', 'Y by X' are instruments more often than places
    return all(w in LOCATION_GLUE for w in words)


def _instrument_or_example(between: Sequence[Tok], lead: Sequence[Tok], blocked: bool) -> tuple[Claim, str] | None:
    """An addressing word just before the challenge and the method as its instrument or example."""
    j = len(lead) - 1
    while j >= 0 and lead[j].concept is None and lead[j].low in CUE_TO_CHALLENGE_FILLER:
        j -= 1
    if j < 0 or lead[j].concept is not None:
        return None
    cue = lead[j]
    w = cue.low
    if not (_is_address_verb(w) or w in ADDRESS_NOUNS):
        return None
    neg, obl, hedge = _modifiers(lead[max(0, j - 6) : j])
    if blocked or obl or hedge or neg:
        return None
    if len(between) > 9 or not between:
        return None
    words = _words(between)
    if any(t.concept is not None and t.kind == "challenge" for t in between) and not _coordinated(
        [t for t in between if not (t.low in INSTRUMENT or t.low in EXAMPLE)]
    ):
        return None
    if any(t.low in ADDRESS_VERBS | LIMIT_VERBS for t in between if t.concept is None and t.low not in INSTRUMENT):
        return None
    if _has(between, RELATIVE | {"when", "because", "if", "while"}):
        return None
    first = [
        x
        for x in words
        if x
        not in AUX
        | {
            ",",
            "(",
            "techniques",
            "methods",
            "approaches",
            "strategies",
            "tools",
            "mechanisms",
            "models",
            "llms",
            "systems",
            "for",
            "and",
        }
    ]
    if not first:
        return None
    if first[0] in INSTRUMENT - {"from"} or words[:3] == ["by", "means", "of"]:
        return Claim.ADDRESSES, "addressing-Y-through-X"
    if first[0] in EXAMPLE:
        return Claim.ADDRESSES, "addressing-Y-such-as-X"
    if (
        first[0]
        in {
            "is",
            "are",
            "relies",
            "rely",
            "include",
            "includes",
            "involve",
            "involves",
            "centre",
            "center",
            "focus",
            "use",
            "uses",
            "employ",
            "employs",
            "leverage",
            "leverages",
        }
        and len(first) <= 4
        and (cue.low in ADDRESS_NOUNS or cue.low.endswith("ing"))
    ):
        return Claim.ADDRESSES, "solutions-to-Y-are-X"
    return None


def _across(toks: list[Tok], im: int, ic: int, blocked: bool) -> tuple[Claim, str] | None:
    """Different clauses: only a subject carried over ('X improves A but increases Y') links them.

    The clause of the challenge must open with a connective and then a verb, or
    a pronoun subject ('though they risk Y', 'though their Y remains
    prohibitive'); the method must be a subject of the clause before.
    """
    m, c = toks[im], toks[ic]
    if im > ic or c.clause != m.clause + 1 or not _subject_like(toks, im):
        return None
    start = next(i for i in range(im, ic + 1) if toks[i].clause == c.clause)
    if toks[start].low not in {"but", "yet", "though", "although", "while", "whilst"}:
        return None
    j = start + 1
    if j < len(toks) and toks[j].low in {"it", "they"}:
        j += 1
    elif j < len(toks) and toks[j].low in {"its", "their"} and j + 1 == ic:
        if any(x.low in {"remains", "remain", "is", "are", "was", "were"} for x in toks[ic + 1 : ic + 3]):
            return Claim.LIMITATION, "X-but-its-Y"
        return None
    elif toks[start].low not in {"but", "yet"}:
        return None  # 'while' / 'though' with a verb right after is a participle phrase, not a carried subject
    head = toks[j:ic]
    if not head or head[0].concept is not None or head[0].low in {"the", "a", "an", "this", "these", "we"}:
        return None
    virtual = [Tok(m.low, m.start, m.end, m.concept, m.kind, c.clause), *head, c]
    found = _method_first(virtual, 0, len(virtual) - 1, blocked)
    if found is None or found[0] is not Claim.LIMITATION:
        return found if found and found[0] is Claim.ADDRESSES and toks[start].low in {"but", "yet"} else None
    return Claim.LIMITATION, "X-but-suffers-Y"


def _subject_like(toks: list[Tok], i: int) -> bool:
    """The method is the subject of its clause ('Methods such as X and Z ..., yet they ...').

    Either it opens the clause (within a few words, after no verb and not as
    the object of a preposition other than 'such as' / 'like'), or a relative
    pronoun attached to it makes it the subject ('X and Z, which ... but ...').
    """
    start = i
    while start > 0 and toks[start - 1].clause == toks[i].clause:
        start -= 1
    before = toks[start:i]
    if toks[start].low in CLAUSE_BREAK:
        before = before[1:]
    words = [t.low for t in before if t.concept is None and t.low.isalpha() and t.low not in {"e", "g", "i"}]
    opens = (
        len(words) <= 8
        and not any(w in VERBISH for w in words)
        and not (_in_pp(toks, i) and _left_word(toks, i) not in {"as", "like", "including"})
    )
    if opens:
        return True
    j = i + 1
    while j < len(toks) and (toks[j].low in HEAD_NOUNS | {"and", "or"} or toks[j].kind == "method"):
        j += 1
    return j < len(toks) and toks[j].low in RELATIVE and toks[j].clause == toks[i].clause


# --- Entry point -----------------------------------------------------------------------------------

# when two mentions of the same pair disagree, the warning wins: "X against Y does little against new Y"
PRIORITY = {Claim.LIMITATION: 0, Claim.ADDRESSES: 1}


def extract(text: str, mentions: Sequence[Mention], kinds: Mapping[str, str]) -> list[Finding]:
    """Every (method, challenge) claim of one sentence, one per concept pair, sorted."""
    methods = [m for m in mentions if kinds.get(m.concept) == "method"]
    challenges = [m for m in mentions if kinds.get(m.concept) == "challenge"]
    if not methods or not challenges:
        return []
    toks = tokenize(text, mentions, kinds)
    index = {(t.concept, t.start): i for i, t in enumerate(toks) if t.concept is not None}
    blocked = _sentence_blocked(text)
    best: dict[tuple[str, str], tuple[Claim, str]] = {}
    for m in methods:
        im = index.get((m.concept, m.start))
        if im is None:
            continue
        for c in challenges:
            ic = index.get((c.concept, c.start))
            if ic is None:
                continue
            found = judge(toks, im, ic, blocked)
            if found is None:
                continue
            key = (m.concept, c.concept)
            if key not in best or PRIORITY[found[0]] < PRIORITY[best[key][0]]:
                best[key] = found
    return [Finding(m, c, claim, pattern) for (m, c), (claim, pattern) in sorted(best.items())]
