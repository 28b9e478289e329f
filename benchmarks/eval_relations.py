"""Score the method -> challenge relation extractor on the hand-labelled evaluation set.

The labels (benchmarks/data/relations*.jsonl, rules in RELATIONS.md) were made by
reading the sentences; this script only runs the extractor on each labelled
sentence and compares.  It prints precision, recall and F1 per relation, a
confusion table, the same figures per split, the figures per pattern, and a
calibration table (stated confidence against observed precision).

Splits, fixed before development started so that one part stays unseen:
``dev`` is the written hard cases plus the sentences of survey ffda8c1d whose
hash is even; ``held-out`` is the rest of ffda8c1d and all of 1ef323be.  The
extractor's rules and the confidence table were tuned on ``dev`` only.

A second reader labelled 100 sampled pairs of the bundled surveys blind
(relations_second_reader.jsonl, SECOND-READER-RELATIONS.md): its agreement with
the first reader (Cohen's kappa) is printed beside the extractor's.

Run:  python benchmarks/eval_relations.py [--extractor rules|cue|spacy] [--errors dev] [--rst FILE]
      [--timing]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # the benchmarks' shared helpers
from agreement import kappa  # noqa: E402

from sphinxcontrib_alignsurvey.links.confidence import (  # noqa: E402
    DEFAULT_MIN_CONFIDENCE,
    evidence_confidence,
    link_confidence,
)
from sphinxcontrib_alignsurvey.links.mentions import Mention, MentionFinder  # noqa: E402
from sphinxcontrib_alignsurvey.links.relations import Claim, Finding, extract  # noqa: E402
from sphinxcontrib_alignsurvey.links.vocabulary import load_vocabulary  # noqa: E402

DATA = HERE / "data"
FILES = ("relations.jsonl", "relations_written.jsonl")
LABELS = ("addresses", "limitation", "none")
TARGETS = {"addresses": (0.95, 0.60), "limitation": (0.90, None)}
BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01))


@dataclass
class Pair:
    survey: str
    sentence: int
    text: str
    method: str  # concept id
    challenge: str
    method_text: str
    challenge_text: str
    gold: str
    reason: str
    predicted: str = "none"
    pattern: str = ""
    confidence: float = 0.0

    @property
    def split(self) -> str:
        if self.survey == "written":
            return "dev"
        even = hashlib.sha256(f"{self.survey}:{self.sentence}".encode()).digest()[0] % 2 == 0
        return "dev" if self.survey.endswith("ffda8c1d") and even else "held-out"

    @property
    def source(self) -> str:
        return "written" if self.survey == "written" else "surveys"


def load() -> list[Pair]:
    pairs = []
    for name in FILES:
        with open(DATA / name, encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                pairs.append(
                    Pair(
                        d["survey"],
                        d["sentence"],
                        d["text"],
                        d["method"],
                        d["challenge"],
                        d["method_text"],
                        d["challenge_text"],
                        d["relation"],
                        d["reason"],
                    )
                )
    return pairs


Extractor = Callable[[str, list[Mention], dict[str, str]], list[Finding]]


def cue_baseline(text: str, mentions: list[Mention], kinds: dict[str, str]) -> list[Finding]:
    """Yesterday's rule: an addressing verb anywhere in the sentence links every pair."""
    import re

    cue = re.compile(
        r"\b(?:address\w*|mitigat\w*|prevent\w*|reduc\w*|tackl\w*|combat\w*|counter(?:s|ed|ing)?|"
        r"defend\w*|defen[cs]es?|alleviat\w*|overcom\w*|solv\w*|resolv\w*|avoid\w*|curb\w*|"
        r"guard\w* against|safeguard\w*|detect\w*|suppress\w*|minimi[sz]\w*|lessen\w*|remed\w*|"
        r"robust\w* (?:to|against)|resist\w*|correct\w*|fix(?:es|ed|ing)?|limit(?:s|ed|ing)?|"
        r"protect\w* against|neutrali[sz]\w*|counteract\w*)\b",
        re.IGNORECASE,
    )
    if not cue.search(text):
        return []
    ms = sorted({m.concept for m in mentions if kinds.get(m.concept) == "method"})
    cs = sorted({m.concept for m in mentions if kinds.get(m.concept) == "challenge"})
    return [Finding(m, c, Claim.ADDRESSES, "cue-anywhere") for m in ms for c in cs]


def run(pairs: list[Pair], extractor: Extractor) -> float:
    """Fill in predictions; returns seconds spent in the extractor."""
    vocab = load_vocabulary()
    finder = MentionFinder(vocab.concepts)
    kinds = {c.iri: c.kind for c in vocab.concepts}
    iri = {(c.kind, c.id): c.iri for c in vocab.concepts}
    by_text: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        by_text[p.text].append(p)
    spent = 0.0
    for text, group in by_text.items():
        mentions = finder.find(text)
        for p in group:  # a label whose concept the vocabulary no longer finds: locate its surface text
            for kind, cid, surface in (
                ("method", p.method, p.method_text),
                ("challenge", p.challenge, p.challenge_text),
            ):
                key = iri.get((kind, cid), f"urn:eval:{kind}:{cid}")
                kinds.setdefault(key, kind)
                if not any(m.concept == key for m in mentions):
                    at = text.find(surface)
                    if at >= 0:
                        mentions = [m for m in mentions if m.end <= at or m.start >= at + len(surface)]
                        mentions.append(Mention(key, at, at + len(surface), surface))
        mentions.sort(key=lambda m: m.start)
        start = time.perf_counter()
        findings = extractor(text, mentions, kinds)
        spent += time.perf_counter() - start
        found = {(f.method, f.challenge): f for f in findings}
        for p in group:
            f = found.get(
                (
                    iri.get(("method", p.method), f"urn:eval:method:{p.method}"),
                    iri.get(("challenge", p.challenge), f"urn:eval:challenge:{p.challenge}"),
                )
            )
            if f is not None:
                p.predicted, p.pattern = f.claim.value, f.pattern
                p.confidence = evidence_confidence(f.claim, f.pattern)
    return spent


def prf(pairs: Iterable[Pair], label: str) -> tuple[float, float, float, int, int, int]:
    tp = fp = fn = 0
    for p in pairs:
        if p.predicted == label and p.gold == label:
            tp += 1
        elif p.predicted == label:
            fp += 1
        elif p.gold == label:
            fn += 1
    precision = tp / (tp + fp) if tp + fp else float("nan")  # nothing predicted: no precision to speak of
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1, tp, fp, fn


def _fmt(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}"


def table(headers: list[str], rows: list[list[str]], rst: bool) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    if rst:
        rule = "  ".join("=" * w for w in widths)
        lines = [rule, "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), rule]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        return "\n".join([*lines, rule])
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def scores(pairs: list[Pair], rst: bool) -> str:
    rows = []
    for name, subset in (
        ("all", pairs),
        ("dev", [p for p in pairs if p.split == "dev"]),
        ("held-out", [p for p in pairs if p.split == "held-out"]),
        ("surveys", [p for p in pairs if p.source == "surveys"]),
        ("dev surveys", [p for p in pairs if p.source == "surveys" and p.split == "dev"]),
        ("written", [p for p in pairs if p.source == "written"]),
    ):
        for label in ("addresses", "limitation"):
            precision, recall, f1, tp, fp, fn = prf(subset, label)
            rows.append(
                [
                    name,
                    label,
                    str(len(subset)),
                    _fmt(precision),
                    f"{recall:.2f}",
                    f"{f1:.2f}",
                    str(tp),
                    str(fp),
                    str(fn),
                ]
            )
    return table(["split", "relation", "pairs", "precision", "recall", "F1", "TP", "FP", "FN"], rows, rst)


def confusion(pairs: list[Pair], rst: bool) -> str:
    counts = Counter((p.gold, p.predicted) for p in pairs)
    rows = [[f"gold {g}", *(str(counts[(g, q)]) for q in LABELS)] for g in LABELS]
    return table(["", *(f"predicted {q}" for q in LABELS)], rows, rst)


def per_pattern(pairs: list[Pair], rst: bool) -> str:
    stats: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for p in pairs:
        if p.predicted != "none":
            stats[(p.predicted, p.pattern)][p.split + ("+" if p.gold == p.predicted else "-")] += 1
    rows = []
    for (claim, pattern), c in sorted(stats.items()):
        rows.append(
            [
                claim,
                pattern,
                f"{c['dev+']}/{c['dev+'] + c['dev-']}",
                f"{c['held-out+']}/{c['held-out+'] + c['held-out-']}",
                f"{evidence_confidence(Claim(claim), pattern):.2f}",
            ]
        )
    return table(["relation", "pattern", "dev right/fired", "held-out right/fired", "confidence"], rows, rst)


def pattern_counts(pairs: list[Pair]) -> str:
    """The dev split's right/fired per pattern, as the literal that links/confidence.py holds."""
    stats: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for p in pairs:
        if p.split == "dev" and p.predicted != "none":
            stats[(p.predicted, p.pattern)][1] += 1
            stats[(p.predicted, p.pattern)][0] += p.gold == p.predicted
    lines = ["PATTERN_COUNTS: dict[tuple[Claim, str], tuple[int, int]] = {"]
    for (claim, pattern), (right, fired) in sorted(stats.items()):
        lines.append(f'    (Claim.{claim.upper()}, "{pattern}"): ({right}, {fired}),')
    return "\n".join([*lines, "}"])


def calibration(pairs: list[Pair], rst: bool) -> str:
    rows = []
    for lo, hi in BINS:
        for split in ("dev", "held-out"):
            fired = [p for p in pairs if p.predicted != "none" and lo <= p.confidence < hi and p.split == split]
            if not fired:
                continue
            right = sum(p.gold == p.predicted for p in fired)
            mean = statistics.mean(p.confidence for p in fired)
            rows.append(
                [f"{lo:.2f}-{min(hi, 1.0):.2f}", split, str(len(fired)), f"{mean:.2f}", f"{right / len(fired):.2f}"]
            )
    return table(["confidence", "split", "links", "mean stated", "observed precision"], rows, rst)


def link_calibration(pairs: list[Pair], rst: bool) -> str:
    """Corpus links as the graph states them: evidence merged per (relation, method, challenge)."""
    links: dict[tuple[str, str, str], list[Pair]] = defaultdict(list)
    for p in pairs:
        if p.source == "surveys" and p.predicted != "none":
            links[(p.predicted, p.method, p.challenge)].append(p)
    rows = []
    for lo, hi in BINS:
        inside = []
        for (claim, _m, _c), evidence in links.items():
            conf = link_confidence([(Claim(claim), e.pattern, e.survey) for e in evidence])
            if lo <= conf < hi:
                inside.append((conf, any(e.gold == claim for e in evidence)))
        if inside:
            rows.append(
                [
                    f"{lo:.2f}-{min(hi, 1.0):.2f}",
                    str(len(inside)),
                    f"{statistics.mean(c for c, _ in inside):.2f}",
                    f"{sum(ok for _, ok in inside) / len(inside):.2f}",
                ]
            )
    return table(["confidence", "links", "mean stated", "right (one evidence sentence says so)"], rows, rst)


def thresholded(pairs: list[Pair], rst: bool) -> str:
    rows = []
    for threshold in (0.0, 0.5, 0.6, 0.7, DEFAULT_MIN_CONFIDENCE, 0.8, 0.9):
        kept = [p if p.confidence >= threshold else None for p in pairs]
        shadow = []
        for p, k in zip(pairs, kept, strict=True):
            q = Pair(**p.__dict__) if k is None else p
            if k is None:
                q.predicted = "none"
            shadow.append(q)
        row = [f"{threshold:.2f}"]
        for label in ("addresses", "limitation"):
            precision, recall, *_ = prf(shadow, label)
            row += [_fmt(precision), f"{recall:.2f}"]
        rows.append(row)
    return table(
        ["min confidence", "addresses P", "addresses R", "limitation P", "limitation R"],
        sorted(set(map(tuple, rows))),
        rst,
    )


def errors(pairs: list[Pair], split: str) -> str:
    out = []
    for p in pairs:
        if p.predicted != p.gold and (split == "all" or p.split == split):
            out.append(
                f"[{p.split}] gold={p.gold} got={p.predicted} ({p.pattern}) {p.method_text} / {p.challenge_text}"
                f"\n    {p.text}\n    reason: {p.reason}"
            )
    return "\n".join(out)


def timing(repeat: int = 3) -> str:
    """Conversion of the bundled surveys, whole pipeline, in this process."""
    from sphinxcontrib_alignsurvey.convert import convert

    paths = sorted((ROOT / "examples" / "surveys").glob("*.md"))
    convert(paths)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        convert(paths)
        times.append(time.perf_counter() - start)
    return f"conversion of the bundled surveys: median {statistics.median(times) * 1000:.0f} ms over {repeat} runs"


def second_reader(pairs: list[Pair], rst: bool) -> str | None:
    """A second reader's blind labels of 100 sampled pairs beside the first reader's and the extractor's.

    Why: one person labelled the set; how far two readers agree is the bound the
    extractor's figures should be read against (SECOND-READER-RELATIONS.md).
    """
    path = DATA / "relations_second_reader.jsonl"
    if not path.exists():
        return None
    by_key = {(p.survey, p.sentence, p.method, p.challenge): p for p in pairs}
    rows: list[tuple[Pair, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            p = by_key[(d["survey"], d["sentence"], d["method"], d["challenge"])]
            if p.text != d["text"]:
                raise SystemExit(f"{path.name}: item {d['item']} is not the text of its labelled pair")
            rows.append((p, d["relation"]))
    first = [p.gold for p, _ in rows]
    second = [r for _, r in rows]
    extractor = [p.predicted for p, _ in rows]
    out = []
    for name, gold, got in (
        ("reader 2 vs reader 1", first, second),
        ("extractor vs reader 1", first, extractor),
        ("extractor vs reader 2", second, extractor),
    ):
        same = sum(x == y for x, y in zip(gold, got, strict=True)) / len(gold)
        cells = [name, f"{same:.2f}", f"{kappa(gold, got):.2f}"]
        for label in ("addresses", "limitation"):
            tp = sum(1 for x, y in zip(gold, got, strict=True) if x == y == label)
            n_got, n_gold = got.count(label), gold.count(label)
            cells += [_fmt(tp / n_got if n_got else float("nan")), _fmt(tp / n_gold if n_gold else float("nan"))]
        out.append(cells)
    headers = ["labelling vs labelling", "agree", "kappa", "addr. P", "addr. R", "limit. P", "limit. R"]
    counts = ", ".join(f"{k} {first.count(k)}/{second.count(k)}" for k in LABELS)
    return f"{len(rows)} sampled pairs (reader 1 / reader 2: {counts})\n\n" + table(headers, out, rst)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extractor", choices=("rules", "cue", "spacy"), default="rules")
    parser.add_argument("--errors", choices=("dev", "held-out", "all"), help="print the misjudged pairs of a split")
    parser.add_argument("--rst", action="store_true", help="print reStructuredText tables (docs/accuracy.rst)")
    parser.add_argument(
        "--counts",
        action="store_true",
        help="print PATTERN_COUNTS from the dev split, for links/confidence.py, and stop",
    )
    parser.add_argument("--timing", action="store_true", help="also time a conversion of the bundled surveys")
    args = parser.parse_args(argv)
    extractor: Extractor = extract
    if args.extractor == "cue":
        extractor = cue_baseline
    elif args.extractor == "spacy":
        sys.path.insert(0, str(HERE))
        try:
            import spacy  # noqa: F401
        except ImportError:
            print("--extractor spacy needs spacy and an English pipeline package (see benchmarks/relations_spacy.py)")
            return 2
        from relations_spacy import extract_spacy  # type: ignore[import-not-found]

        extractor = extract_spacy
    pairs = load()
    spent = run(pairs, extractor)
    if args.counts:
        print(pattern_counts(pairs))
        return 0
    rst = args.rst
    print(
        f"Extractor: {args.extractor}; {len(pairs)} labelled pairs "
        f"({sum(p.split == 'dev' for p in pairs)} dev, {sum(p.split == 'held-out' for p in pairs)} held-out); "
        f"extraction took {spent * 1000:.0f} ms\n"
    )
    print("Precision, recall and F1 per relation and split\n")
    print(scores(pairs, rst), "\n")
    print("Confusion (all pairs; rows: label read by a person, columns: extractor)\n")
    print(confusion(pairs, rst), "\n")
    if args.extractor == "rules":
        print("Per pattern (right / fired)\n")
        print(per_pattern(pairs, rst), "\n")
        print("Calibration: evidence sentences (one labelled pair each)\n")
        print(calibration(pairs, rst), "\n")
        print("Calibration: links merged over the bundled surveys' evidence\n")
        print(link_calibration(pairs, rst), "\n")
        print(f"Minimum confidence (DEFAULT_MIN_CONFIDENCE = {DEFAULT_MIN_CONFIDENCE}) against precision and recall\n")
        print(thresholded(pairs, rst), "\n")
    second = second_reader(pairs, rst)
    if second is not None:
        print("Second reader: the same pairs labelled blind by another reader\n")
        print(second, "\n")
    for relation, (p_target, r_target) in TARGETS.items():
        precision, recall, *_ = prf(pairs, relation)
        ok = precision == precision and precision >= p_target and (r_target is None or recall >= r_target)
        want = f"P >= {p_target}" + (f", R >= {r_target}" if r_target else "")
        print(f"target {relation}: {want}: P {_fmt(precision)}, R {recall:.2f} -> {'met' if ok else 'NOT met'}")
    if args.timing:
        print(timing())
    if args.errors:
        print("\nErrors\n")
        print(errors(pairs, args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
