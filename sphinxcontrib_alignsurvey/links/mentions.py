"""Find where sentences name a concept, in the sense the vocabulary means.

Labels and altLabels match on word boundaries; all-capital acronyms ("DPO",
"RLHF") match case-sensitively so ordinary words are not mistaken for them,
other labels case-insensitively; a hyphen and a space are interchangeable and
a plural "s"/"es" is accepted.  A label does not match inside a hyphenated
prefix compound ("f-DPO" is not "DPO") but does before one ("RLHF-based").
When matches overlap the longest wins, so "reward model overoptimization" is
not also "reward model".

Why more than labels: the same words name other things in other fields
("inductive biases", "connected automated vehicles (CAVs)").  The vocabulary
says which senses count (see ``ontology/alignsurvey.ttl``):

* ``align:contextLabel`` -- a label that counts only where one of the
  concept's ``align:contextCue`` words is in the sentence ("biases" beside
  "gender" or "fairness").  A cue may name an ``align:CueSet``; a set marked
  ``align:documentWide`` is also satisfied by a document in which enough
  sentences carry its cues (an AI survey makes "fairness" mean AI fairness).
* ``align:falseSense`` -- a phrase that looks like a label but is not a
  mention ("inductive bias", "debate between"): it claims its words, so the
  longest-match rule keeps the label from matching there.
* A document's own acronym definitions ("connected automated vehicles
  (CAVs)") win over the vocabulary's acronyms in that document; see
  :meth:`MentionFinder.scope`, one linear pass over the document.

Matching walks a token trie built once per vocabulary: the work per sentence
is bounded by its length and the longest label, not by the vocabulary's size.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

from ..core.cache import compiled_from
from .vocabulary import Concept, CueSet, Vocabulary

WORD = re.compile(r"[^\W_]+")
_SPLIT = re.compile(r"([^\W_]+)")  # WORD as a group: re.split keeps the tokens between the gaps
SOFT_SEPARATORS = {"", " ", "-", "‐", "–"}
#: A document-wide cue set holds for a document when at least this share of its sentences carry a cue.
DOCUMENT_SHARE = 0.15
#: Acronym definitions: "Long Form (LF)", "(LF;", "(LF,".
DEFINITION = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9&-]*[A-Za-z0-9])\s*[),;]")
STOPWORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "via"]
)


@dataclass(frozen=True, slots=True)
class Mention:
    concept: str  # IRI
    start: int
    end: int
    exact: str


@dataclass(frozen=True, slots=True)
class _Target:
    concept: str | None  # None: a false sense, which claims its words and mentions nothing
    # each entry: cue groups one of which must be present (all entries must hold); empty: none needed
    needs: tuple[frozenset[int], ...] = ()

    def holds(self, present: set[int] | frozenset[int]) -> bool:
        return all(groups & present for groups in self.needs)


class _Node:
    __slots__ = ("ends", "next")

    def __init__(self) -> None:
        self.next: dict[tuple[str, str], _Node] = {}
        self.ends: list[_Target] = []


@dataclass(frozen=True)
class Scope:
    """What one document says about its own words: acronym definitions and cue sets that hold throughout."""

    acronyms: Mapping[str, str | None] = field(default_factory=dict)  # acronym -> concept IRI, None: not ours
    groups: frozenset[int] = frozenset()
    # the tokens an acronym definition applies to: each acronym and its plural
    forms: frozenset[str] = field(init=False, default=frozenset())
    # texts the scope's reading already split into tokens, for :meth:`MentionFinder.find` to reuse
    split: Mapping[str, _Sentence] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "forms", frozenset((*self.acronyms, *(a + "s" for a in self.acronyms))))


NO_SCOPE = Scope()


def is_acronym(label: str) -> bool:
    """All-capital (or nearly) single tokens such as DPO, RLHF, LLMs, f-DPO."""
    letters = [c for c in label if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1) and " " not in label


def _coined(label: str) -> bool:
    """A coined name such as "WinoBias" or "TruthfulQA" (one word, a capital after a small letter):
    it names its artefact in any text, so the scheme's subject cue is not needed."""
    label = label.strip()
    return " " not in label and any(a.islower() and b.isupper() for a, b in pairwise(label))


def _sep(text: str) -> str:
    """The separator class between two tokens: " " for a space or hyphen, else the mark itself."""
    text = text.replace("’", "'")
    if len(text) <= 2 and (text.isspace() or text.strip() in SOFT_SEPARATORS):
        return " "
    return text.strip() or " "


def _soft(sep: str) -> bool:
    return sep.strip() in SOFT_SEPARATORS


def _tokens(text: str) -> tuple[list[tuple[int, int, str]], list[str]]:
    tokens = [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text)]
    seps = [""] + [_sep(text[tokens[k - 1][1] : tokens[k][0]]) for k in range(1, len(tokens))]
    return tokens, seps


def _key(label: str) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    label = label.strip()
    tokens, seps = _tokens(label)
    if not tokens or len(label) < 2:
        return None
    exact = is_acronym(label)
    words = tuple(t[2] if exact else t[2].lower() for t in tokens)
    return words, tuple(seps[1:]), exact


def _stems(word: str) -> tuple[str, ...]:
    """What a plural word may be the plural of."""
    if word.endswith("es"):
        return (word[:-1], word[:-2])
    if word.endswith("s"):
        return (word[:-1],)
    return ()


class _Trie:
    """Labels as token paths; one for case-folded labels, one for exact acronyms."""

    def __init__(self) -> None:
        self.roots: tuple[dict[str, _Node], dict[str, _Node]] = ({}, {})
        # every token that can start a label: a first word or its plural ("s", "es"); any other
        # token starts none
        self.starts: tuple[set[str], set[str]] = (set(), set())
        # what a label's start must look like: a one-word label (or its plural), or the first two
        # words of a longer one (the second perhaps plural).  A sentence is walked only where its
        # tokens do (see candidates), and most sentences have no such place at all.
        self.single: tuple[set[str], set[str]] = (set(), set())
        self.pairs: tuple[set[tuple[str, str]], set[tuple[str, str]]] = (set(), set())
        self.depth = 0

    def add(self, key: tuple[tuple[str, ...], tuple[str, ...], bool], target: _Target) -> None:
        words, seps, exact = key
        root = self.roots[exact]
        node = root.setdefault(words[0], _Node())
        self.starts[exact].update((words[0], words[0] + "s", words[0] + "es"))
        if len(words) == 1:
            self.single[exact].update((words[0], words[0] + "s", words[0] + "es"))
        else:
            self.pairs[exact].update((words[0], w) for w in (words[1], words[1] + "s", words[1] + "es"))
        for sep, word in zip(seps, words[1:], strict=True):
            node = node.next.setdefault((sep, word), _Node())
        self.depth = max(self.depth, len(words))
        if any(t.concept == target.concept and t.needs == target.needs for t in node.ends):
            return
        if target.concept is not None and any(t.concept is not None and t.needs == target.needs for t in node.ends):
            return  # a label shared by two concepts on the same terms: the first (by kind and ID) keeps it
        node.ends.append(target)

    def ends(self, sentence: _Sentence, i: int) -> list[tuple[int, list[_Target]]]:
        """(index of the last token, targets) of every label that starts at token *i*."""
        out: list[tuple[int, list[_Target]]] = []
        for exact in (False, True):
            toks = sentence.words[exact]
            word = toks[i]
            if word not in self.starts[exact]:
                continue
            root = self.roots[exact]
            if word[-1] == "s":
                for stem in _stems(word):
                    node = root.get(stem)
                    if node is not None and node.ends:
                        out.append((i, node.ends))
            node = root.get(word)
            k, n = i, len(toks)
            while node is not None:
                if node.ends:
                    out.append((k, node.ends))
                k += 1
                if k >= n or not node.next:
                    break
                word, gap, after = toks[k], sentence.gaps[k], node.next
                sep = " " if gap == " " else _sep(gap)  # the separator class, for this step only
                if word[-1] == "s":
                    for stem in _stems(word):
                        plural = after.get((sep, stem))
                        if plural is not None and plural.ends:
                            out.append((k, plural.ends))
                node = after.get((sep, word))
        return out

    def candidates(self, sentence: _Sentence) -> list[int]:
        """Indices of the tokens where a label may start, in order: a superset of those where one does."""
        found: list[int] = []
        for exact in (False, True):
            toks = sentence.words[exact]
            one = self.single[exact].intersection(toks)
            two = self.pairs[exact].intersection(zip(toks, toks[1:]))
            if one or two:
                found += [i for i, pair in enumerate(zip(toks, [*toks[1:], ""])) if pair[0] in one or pair in two]
        return sorted(set(found)) if found else found


class _Sentence:
    """A text's tokens and folded forms, computed once; a separator's class only where a label's walk reaches it.

    One ``split`` on the token pattern gives the tokens and the gaps between
    them; the offsets are the running sums of their lengths.
    """

    __slots__ = ("ends", "gaps", "starts", "words")

    def __init__(self, text: str) -> None:
        parts = _SPLIT.split(text)  # gap, token, gap, token, ..., gap
        raw = parts[1::2]
        self.words = ([w.lower() for w in raw], raw)
        self.gaps = parts[0::2]
        offsets = list(accumulate(map(len, parts)))
        self.starts = offsets[0:-1:2]  # each token's start: the end of the gap before it
        self.ends = offsets[1::2]


class MentionFinder:
    """One matcher for a whole vocabulary, built once and reused."""

    def __init__(self, concepts: Iterable[Concept], cue_sets: Mapping[str, CueSet] | None = None) -> None:
        concepts = list(concepts)
        cue_sets = dict(cue_sets or {})
        self._labels = _Trie()
        self._cues = _Trie()
        self._prefix_cues: dict[int, dict[str, set[int]]] = {}  # stem length -> stem -> groups ("stereotyp*")
        self._groups: dict[str, int] = {}
        self._wide: set[int] = set()
        self._concept_of: dict[tuple, str] = {}  # unconditional label key -> concept, for acronym definitions
        self._acronyms: dict[str, str] = {}
        self._label_words: dict[str, set[str]] = {}
        for cueset in cue_sets.values():
            group = self._group(cueset.iri)
            if cueset.document_wide:
                self._wide.add(group)
            for cue in cueset.cues:
                self._add_cue(cue, group)
        for concept in concepts:
            self._add_concept(concept, cue_sets)
        self._prefixes = tuple(sorted(stem for stems in self._prefix_cues.values() for stem in stems))

    # -- building ----------------------------------------------------------------
    def _group(self, name: str) -> int:
        return self._groups.setdefault(name, len(self._groups))

    def _add_cue(self, cue: str, group: int) -> None:
        cue = cue.strip()
        if cue.endswith("*") and " " not in cue and len(cue) > 2:
            stem = cue[:-1].lower()
            self._prefix_cues.setdefault(len(stem), {}).setdefault(stem, set()).add(group)
            return
        key = _key(cue)
        if key is not None:
            self._cues.add(key, _Target(str(group)))

    def _needs(self, cues: Iterable[str], cue_sets: Mapping[str, CueSet]) -> frozenset[int] | None:
        """The cue groups of *cues*: named cue sets, and the literal words as one group (shared by equal lists).

        None when a cue names a cue set this finder was not given: without the set nothing is
        known about the context, and the label counts as it did before senses were declared."""
        if any("://" in cue and cue not in cue_sets for cue in cues):
            return None
        needs = {self._group(cue) for cue in cues if cue in cue_sets}
        words = tuple(sorted(cue for cue in cues if cue not in cue_sets))
        if words:
            name = "words:" + "\0".join(words)
            fresh = name not in self._groups
            group = self._group(name)
            if fresh:
                for cue in words:
                    self._add_cue(cue, group)
            needs.add(group)
        return frozenset(needs)

    def _add_concept(self, concept: Concept, cue_sets: Mapping[str, CueSet]) -> None:
        gate = self._needs(concept.scheme_cues, cue_sets)  # the scheme's subject, for every label
        needs = self._needs(concept.cues, cue_sets)  # the concept's, for its context labels
        always = (gate,) if gate else ()  # (None: a scheme cue set this finder was not given)
        conditional = {k for k in map(_key, concept.context_labels) if k is not None}
        for label in (*concept.labels, *concept.context_labels):
            key = _key(label)
            if key is None:
                continue
            # a document that spells the label out means the concept, in context or not
            self._concept_of.setdefault(key, concept.iri)
            if key[2] and len(key[0]) == 1:
                self._acronyms.setdefault(key[0][0], concept.iri)
            self._label_words.setdefault(concept.iri, set()).update(w.lower() for w in key[0])
            if key not in conditional or needs is None:
                self._labels.add(key, _Target(concept.iri, () if _coined(label) else always))
            elif needs:  # a context label without cues never counts
                self._labels.add(key, _Target(concept.iri, (*always, needs)))
        for phrase in concept.false_senses:
            key = _key(phrase)
            if key is not None:
                self._labels.add(key, _Target(None))

    # -- cues ----------------------------------------------------------------------
    def _present(self, sentence: _Sentence) -> set[int]:
        """The cue groups a sentence carries: one pass over its tokens."""
        found: set[int] = set()
        cues = self._cues
        for i in cues.candidates(sentence):
            for _, targets in cues.ends(sentence, i):
                found.update(int(t.concept) for t in targets)  # type: ignore[arg-type]
        if self._prefix_cues:
            prefixes = self._prefixes
            for low in sentence.words[0]:
                if not low.startswith(prefixes):
                    continue
                for length, stems in self._prefix_cues.items():
                    groups = stems.get(low[:length]) if len(low) >= length else None
                    if groups:
                        found.update(groups)
        return found

    # -- documents -------------------------------------------------------------------
    def scope(self, texts: Iterable[str]) -> Scope:
        """What a document (its sentences and headings, in order) defines: one pass over it.

        An acronym the document defines with a long form the vocabulary does not
        know for that acronym ("connected automated vehicles (CAVs)") stops
        meaning the vocabulary's concept in that document; one whose long form is
        a label of a concept ("Constitutional AI (CAI)") means that concept there.
        """
        acronyms: dict[str, str | None] = {}
        counts: dict[int, int] = {}
        texts = list(texts)
        total = len(texts)
        needed = DOCUMENT_SHARE * total
        open_groups = set(self._wide)
        split: dict[str, _Sentence] = {}
        for text in texts:
            if open_groups:  # cues are only read until every document-wide set holds
                sentence = split[text] = _Sentence(text)
                for group in self._present(sentence) & open_groups:
                    counts[group] = counts.get(group, 0) + 1
                    if counts[group] >= needed:
                        open_groups.discard(group)
            for short, long_form in definitions(text):
                if short not in acronyms:
                    acronyms[short] = self._meaning(short, long_form)
                    if short.endswith("s") and len(short) > 2:  # "CAVs" defines "CAV" too
                        acronyms.setdefault(short[:-1], acronyms[short])
        groups = frozenset(g for g, n in counts.items() if total and n >= needed)
        return Scope(acronyms=acronyms, groups=groups, split=split)

    def _meaning(self, short: str, long_form: str) -> str | None:
        """The concept a defined acronym means in its document (None: none of ours)."""
        key = _key(long_form)
        spelled = self._concept_of.get(key) if key else None
        if spelled is None and key:  # a plural long form: "Large Language Models"
            words = key[0]
            for stem in _stems(words[-1]):
                spelled = spelled or self._concept_of.get(((*words[:-1], stem), key[1], key[2]))
        ours = self._acronyms.get(short) or self._acronyms.get(short[:-1] if short.endswith("s") else short)
        if spelled:
            return spelled
        if ours is None:
            return None
        # a spelling the vocabulary lacks but whose words are the concept's ("Reinforcement Learning
        # through Human Feedback"): keep the vocabulary's meaning
        content = [w.lower() for w in WORD.findall(long_form) if w.lower() not in STOPWORDS]
        known = self._label_words.get(ours, set())
        hits = sum(1 for w in content if w in known or any(s in known for s in _stems(w)))
        return ours if content and hits * 2 >= len(content) else None

    # -- sentences -----------------------------------------------------------------------
    def find(self, text: str, scope: Scope = NO_SCOPE) -> list[Mention]:
        sentence = scope.split.get(text) or _Sentence(text)
        if not sentence.starts:
            return []
        starts_at, ends_at = sentence.starts, sentence.ends
        present: set[int] | frozenset[int] = scope.groups
        read_cues = False  # the sentence's own cues are read only when a label needs more than the scope
        out: list[Mention] = []
        # only tokens that may start a label or are a defined acronym can start a mention
        starts = self._labels.candidates(sentence)
        if scope.forms:
            defined_at = [i for i, w in enumerate(sentence.words[1]) if w in scope.forms]
            if defined_at:
                starts = sorted({*starts, *defined_at})
        i = 0
        for i_start in starts:
            if i_start < i:
                continue  # inside the mention found last
            i = i_start
            start = starts_at[i]
            if start > 0 and text[start - 1] in "-‐":
                continue  # inside a prefix compound: "f-DPO", "post-hoc"
            ends = self._labels.ends(sentence, i)
            word = sentence.words[1][i]
            defined = self._defined(word, scope) if word in scope.forms else False
            if defined is not False and defined is not True:
                ends = [(k, ts) for k, ts in ends if k > i]
                ends.append((i, [_Target(defined)]))
            if not ends:
                continue
            by_end: dict[int, list[_Target]] = {}
            for k, targets in ends:
                by_end.setdefault(k, []).extend(targets)
            chosen: tuple[int, str | None] | None = None
            for k in sorted(by_end, reverse=True) if len(by_end) > 1 else by_end:
                end = ends_at[k]
                if end < len(text) and text[end] == "_":
                    continue
                targets = by_end[k]
                if not read_cues and any(t.concept is not None and not t.holds(present) for t in targets):
                    present, read_cues = self._present(sentence) | scope.groups, True
                real = [t for t in targets if t.concept is not None and t.holds(present)]
                if real:
                    real.sort(key=lambda t: len(t.needs))  # the least conditional label first
                    chosen = (k, real[0].concept)
                    break
                if any(t.concept is None for t in targets):
                    chosen = (k, None)  # a false sense claims its words
                    break
            if chosen is None:
                continue
            k, concept = chosen
            if concept is not None:
                end = ends_at[k]
                out.append(Mention(concept=concept, start=start, end=end, exact=text[start:end]))
            i = k + 1
        return out

    @staticmethod
    def _defined(token: str, scope: Scope) -> str | bool | None:
        """The document's own meaning of an acronym token (False: it defines none)."""
        if not scope.acronyms:
            return False
        for form in (token, token[:-1] if token.endswith("s") else None):
            if form and form in scope.acronyms:
                return scope.acronyms[form]
        return False


def definitions(text: str) -> Iterator[tuple[str, str]]:
    """(acronym, long form) for every "Long Form (LF)" the text defines, in order."""
    for match in DEFINITION.finditer(text):
        short = match.group(1)
        if is_acronym(short) or _short_form(short):
            # a bounded window before the parenthesis keeps the scan linear in long texts
            long_form = _long_form(text[max(0, match.start() - 400) : match.start()], short)
            if long_form:
                yield short, long_form


def _short_form(token: str) -> bool:
    """A coined short form such as "FedAvg" or "SecAgg": two or more capitals in one short token."""
    return len(token) <= 12 and sum(c.isupper() for c in token) >= 2 and token[:1].isalpha()


def _long_form(before: str, short: str) -> str | None:
    """The words before "(SHORT)" that it abbreviates, or None.

    First the words whose initials spell it ("Proximal Policy Optimization"),
    then the classic right-to-left letter match, first letter at a word start
    ("Reinforcement Learning from Human Feedback" for RLHF).  Both look at most
    ``len(short) + 5`` preceding words, so the scan stays linear.
    """
    letters = [
        c.lower() for c in (short[:-1] if short.endswith("s") and short[:-1].isupper() else short) if c.isalnum()
    ]
    if len(letters) < 2:
        return None
    words = before.rstrip().split()[-(len(letters) + 5) :]
    for k in range(2, len(words) + 1):
        for split in (False, True):
            parts = [p for w in words[-k:] for p in (re.split(r"[-‐]", w) if split else [w])]
            initials = [p.strip("\"'“”(")[:1].lower() for p in parts if p.lower().strip("\"'“”(") not in STOPWORDS]
            if initials == letters:
                return " ".join(words[-k:]).strip(" ,;:\"'“”")
    window = " ".join(words)
    li = len(window) - 1
    for si in range(len(letters) - 1, -1, -1):
        c = letters[si]
        while li >= 0 and (window[li].lower() != c or (si == 0 and li > 0 and window[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
    start = window.rfind(" ", 0, li + 2) + 1
    found = window[start:].strip(" ,;:\"'“”")
    return found if " " in found or "-" in found else None


def finders(vocabulary: Vocabulary) -> tuple[MentionFinder, MentionFinder]:
    """The vocabulary's two matchers: without its cue sets (the citation check's) and with them (linking's).

    Cached on disk (see :mod:`..core.cache`) when the vocabulary was read from files.
    """
    return compiled_from(
        vocabulary.source,
        "matchers",
        (sys.modules[__name__],),
        lambda: (MentionFinder(vocabulary.concepts), MentionFinder(vocabulary.concepts, vocabulary.cue_sets)),
    )
