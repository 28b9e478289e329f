"""Score the concept-mention finder on the hand-labelled mention set.

The labels (benchmarks/data/mentions.jsonl and mentions_other_fields.jsonl, rules in
MENTIONS.md) were made by reading the sentences; this script only runs the finder on
each labelled sentence and compares concept IDs.

- Survey sample: a predicted concept is right when the sentence's labels include it.
  Precision and recall per kind (the kind of the predicted, resp. labelled, concept) and
  overall; "span overlap" is the share of right predictions whose text overlaps the
  labelled span.
- Other fields: the share of sentences that get an alignment concept they do not mean
  (any predicted concept missing from the sentence's labels), plus P/R on the few
  genuine mentions.

Splits, fixed before development started: ``dev`` is survey 1ef323be and the even rows
of the other-fields file; ``held-out`` is survey ffda8c1d and the odd rows.  Rules and
labels added to the vocabulary for precision or recall were chosen from ``dev`` errors
only.  ``written`` and ``written-b`` (mentions_written_*.jsonl, MENTIONS-written-*.md) are
surveys written for the citation evaluation after the matcher was finished, labelled
blind; neither is part of ``all``.  Twelve labels were added to the vocabulary from the
errors on ``written``; ``written-b`` was scored once, after that.

A second reader labelled a random 150 of the sentences blind (mentions_second_reader.jsonl,
SECOND-READER.md); the second reader is scored against the first, and the finder against
each, so the finder's figures can be read beside two readers' own agreement.

Survey sentences are matched with their survey's own acronym definitions in scope (the
finder scans the whole survey once, as the converter does); each other-field sentence is
its own document.

Run:  python benchmarks/eval_mentions.py [--errors dev|held-out|all] [--vocabulary FILE.ttl ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from sphinxcontrib_alignsurvey.links.mentions import MentionFinder  # noqa: E402
from sphinxcontrib_alignsurvey.links.vocabulary import Vocabulary, load_vocabulary  # noqa: E402
from sphinxcontrib_alignsurvey.reader import read_survey  # noqa: E402

DATA = HERE / "data"
SURVEYS = ROOT / "examples" / "surveys"
DEV_SURVEY = "alignment-survey-1ef323be"
#: unseen splits: labels file -> the survey's folder
WRITTEN = {"written": ("mentions_written_a.jsonl", "written"), "written-b": ("mentions_written_b.jsonl", "written-b")}
SPLITS = ("dev", "held-out", "all", *WRITTEN)
TARGETS = {"precision": 0.97, "recall": 0.90, "other_false": 0.02}


@dataclass
class Row:
    source: str  # "survey" or "other"
    split: str
    text: str
    gold: dict[str, str]  # concept id -> labelled span
    where: str
    predicted: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # id -> (start, end, exact)


def load() -> list[Row]:
    rows = []
    with open(DATA / "mentions.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            split = "dev" if d["survey"] == DEV_SURVEY else "held-out"
            gold = {c["id"]: c["text"] for c in d["concepts"]}
            rows.append(Row("survey", split, d["text"], gold, f"{d['survey']}#{d['sentence']} (line {d['line']})"))
            rows[-1].sentence = (d["survey"], d["sentence"])  # type: ignore[attr-defined]
    for split, (name, _) in WRITTEN.items():
        with open(DATA / name, encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                gold = {c["id"]: c["text"] for c in d["concepts"]}
                rows.append(Row("survey", split, d["text"], gold, f"{d['survey']} line {d['line']}"))
                rows[-1].sentence = (d["survey"], None)  # type: ignore[attr-defined]
    with open(DATA / "mentions_other_fields.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            d = json.loads(line)
            gold = {c["id"]: c["text"] for c in d["concepts"]}
            rows.append(
                Row(
                    "other",
                    "dev" if i % 2 == 0 else "held-out",
                    d["text"],
                    gold,
                    f"other-fields row {i + 1} ({d['field']})",
                )
            )
    return rows


def predict(rows: list[Row], vocabulary: Vocabulary) -> None:
    finder = MentionFinder(vocabulary.concepts, vocabulary.cue_sets)
    ids = {c.iri: c.id for c in vocabulary.concepts}
    surveys = {}
    written = [path for _, folder in WRITTEN.values() for path in sorted((DATA / "citations" / folder).glob("*.md"))]
    for path in [*sorted(SURVEYS.glob("*.md")), *written]:
        survey = read_survey(path)
        surveys[survey.id] = (survey, finder.scope([s.text for s in survey.sentences]))
    for row in rows:
        if row.source == "survey":
            sid, index = row.sentence  # type: ignore[attr-defined]
            survey, scope = surveys[sid]
            sentence = next((s for s in survey.sentences if s.index == index), None)
            if sentence is not None and sentence.text != row.text:
                raise SystemExit(f"{row.where}: the labelled text is not the survey's sentence {index}")
        else:
            scope = finder.scope([row.text])
        for m in finder.find(row.text, scope):
            row.predicted.setdefault(ids[m.concept], (m.start, m.end, m.exact))


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _fmt(x: float | None) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def score(rows: list[Row], kinds: dict[str, str]) -> dict:
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    overlap = 0
    for row in rows:
        for cid, (start, end, _) in row.predicted.items():
            kind = kinds.get(cid, "?")
            if cid in row.gold:
                tp[kind] += 1
                span = row.gold[cid]
                at = row.text.find(span)
                if at >= 0 and start < at + len(span) and at < end:
                    overlap += 1
            else:
                fp[kind] += 1
        for cid in row.gold:
            if cid not in row.predicted:
                fn[kinds.get(cid, "?")] += 1
    out = {}
    for kind in (*sorted(set(tp) | set(fp) | set(fn)), "all"):
        t = sum(tp.values()) if kind == "all" else tp[kind]
        f = sum(fp.values()) if kind == "all" else fp[kind]
        n = sum(fn.values()) if kind == "all" else fn[kind]
        out[kind] = {"tp": t, "fp": f, "fn": n, "precision": _ratio(t, t + f), "recall": _ratio(t, t + n)}
    out["all"]["span_overlap"] = _ratio(overlap, sum(tp.values()))
    return out


def report(rows: list[Row], kinds: dict[str, str]) -> dict:
    figures = {}
    for split in SPLITS:
        part = [r for r in rows if r.split == split or (split == "all" and r.split not in WRITTEN)]
        survey = [r for r in part if r.source == "survey"]
        other = [r for r in part if r.source == "other"]
        false = [r for r in other if any(cid not in r.gold for cid in r.predicted)]
        figures[split] = {
            "survey": score(survey, kinds),
            "survey_sentences": len(survey),
            "other": score(other, kinds),
            "other_sentences": len(other),
            "other_false": len(false),
            "other_false_share": _ratio(len(false), len(other)),
        }
    return figures


def print_table(figures: dict) -> None:
    print("Survey sample: predicted concept right when the sentence's labels include it")
    print(f"{'split':9} {'kind':10} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6}")
    for split in SPLITS:
        s = figures[split]["survey"]
        for kind, v in s.items():
            print(
                f"{split:9} {kind:10} {v['tp']:4d} {v['fp']:4d} {v['fn']:4d} {_fmt(v['precision'])} {_fmt(v['recall'])}"
            )
        print(
            f"{split:9} {'':10} span overlap of right predictions: {_fmt(s['all']['span_overlap']).strip()}"
            f"  ({figures[split]['survey_sentences']} sentences)"
        )
    print()
    print("Other fields: sentences given a concept they do not mean; P/R on their genuine mentions")
    print(f"{'split':9} {'false':>11} {'share':>6} {'prec':>6} {'recall':>6}")
    for split in SPLITS[: -len(WRITTEN)]:  # the written surveys have no other-field rows
        f = figures[split]
        o = f["other"]["all"]
        print(
            f"{split:9} {f['other_false']:4d} / {f['other_sentences']:4d} {_fmt(f['other_false_share'])} "
            f"{_fmt(o['precision'])} {_fmt(o['recall'])}"
        )
    print()
    held = figures["held-out"]
    s = held["survey"]["all"]
    print(
        f"targets (held-out): precision {_fmt(s['precision']).strip()} (>= {TARGETS['precision']}), "
        f"recall {_fmt(s['recall']).strip()} (>= {TARGETS['recall']}), other-field false "
        f"{_fmt(held['other_false_share']).strip()} (<= {TARGETS['other_false']})"
    )
    for split in WRITTEN:
        w = figures[split]["survey"]["all"]
        print(
            f"on {split} (labelled blind): precision {_fmt(w['precision']).strip()}, recall {_fmt(w['recall']).strip()}"
        )


def print_errors(rows: list[Row], split: str) -> None:
    for row in rows:
        if row.split != split and (split != "all" or row.split in WRITTEN):
            continue
        wrong = [(cid, p) for cid, p in row.predicted.items() if cid not in row.gold]
        missed = [(cid, t) for cid, t in row.gold.items() if cid not in row.predicted]
        if not wrong and not missed:
            continue
        print(f"{row.where} [{row.split}]: {row.text}")
        for cid, (_, _, exact) in wrong:
            print(f"   FP {cid:32} {exact!r}")
        for cid, text in missed:
            print(f"   FN {cid:32} {text!r}")


def second_reader(rows: list[Row]) -> dict | None:
    """The second reader's labels of a random sample beside the first reader's and the matcher's.

    Why: one person labelled the set, and recall depends on borderline calls.  A second
    person labelled 150 sampled sentences blind (SECOND-READER.md); how far the two
    readers agree bounds what any matcher can score against either of them.
    """
    path = DATA / "mentions_second_reader.jsonl"
    if not path.exists():
        return None
    by_sentence = {getattr(r, "sentence", None): r for r in rows if r.source == "survey" and r.split not in WRITTEN}
    others = [r for r in rows if r.source == "other"]
    pairs: list[tuple[Row, set[str]]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            row = by_sentence[(d["survey"], d["sentence"])] if d["source"] == "survey" else others[d["row"]]
            if row.text != d["text"]:
                raise SystemExit(f"{path.name}: item {d['item']} is not the text of {row.where}")
            pairs.append((row, {c["id"] for c in d["concepts"]}))

    def agree(gold: list[set[str]], got: list[set[str]]) -> dict:
        tp = sum(len(g & p) for g, p in zip(gold, got, strict=True))
        ng, np_ = sum(map(len, gold)), sum(map(len, got))
        return {"tp": tp, "precision": _ratio(tp, np_), "recall": _ratio(tp, ng), "f1": _ratio(2 * tp, ng + np_)}

    out = {}
    for source in ("survey", "other"):
        part = [(r, b) for r, b in pairs if r.source == source]
        first = [set(r.gold) for r, _ in part]
        second = [b for _, b in part]
        matcher = [set(r.predicted) for r, _ in part]
        both = [a & b for a, b in zip(first, second, strict=True)]
        either = [a | b for a, b in zip(first, second, strict=True)]
        # precision against either reader: a prediction is right when one of them marked it
        right = sum(len(m & e) for m, e in zip(matcher, either, strict=True))
        out[source] = {
            "sentences": len(part),
            "first": sum(map(len, first)),
            "second": sum(map(len, second)),
            "second_vs_first": agree(first, second),
            "matcher_vs_first": agree(first, matcher),
            "matcher_vs_second": agree(second, matcher),
            "matcher_recall_of_agreed": agree(both, matcher)["recall"],
            "matcher_precision_either": _ratio(right, sum(map(len, matcher))),
            "sentences_agreed": sum(1 for a, b in zip(first, second, strict=True) if a == b),
        }
    return out


def print_second_reader(fig: dict) -> None:
    print()
    print("Second reader (150 sampled sentences, labelled blind): P/R of one labelling against another")
    print(f"{'source':7} {'against':28} {'prec':>6} {'recall':>6} {'F1':>6}")
    for source, f in fig.items():
        for name, key in (
            ("reader 2 vs reader 1", "second_vs_first"),
            ("matcher vs reader 1", "matcher_vs_first"),
            ("matcher vs reader 2", "matcher_vs_second"),
        ):
            v = f[key]
            print(f"{source:7} {name:28} {_fmt(v['precision'])} {_fmt(v['recall'])} {_fmt(v['f1'])}")
        print(
            f"{source:7} {f['sentences']} sentences, mentions {f['first']} / {f['second']} (reader 1 / 2), "
            f"same labels on {f['sentences_agreed']}; matcher recall of mentions both readers marked "
            f"{_fmt(f['matcher_recall_of_agreed']).strip()}, precision against either reader "
            f"{_fmt(f['matcher_precision_either']).strip()}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=SPLITS, help="list false and missed mentions of a split")
    parser.add_argument(
        "--vocabulary",
        action="append",
        type=Path,
        default=[],
        help="score with these vocabulary files added to the bundled ones",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    vocabulary = load_vocabulary(extra=args.vocabulary) if args.vocabulary else load_vocabulary()
    kinds = {c.id: c.kind for c in vocabulary.concepts}
    rows = load()
    predict(rows, vocabulary)
    if args.errors:
        print_errors(rows, args.errors)
        print()
    figures = report(rows, kinds)
    second = second_reader(rows)
    if second is not None:
        figures["second_reader"] = second
    if args.json:
        print(json.dumps(figures, indent=2, sort_keys=True))
    else:
        print_table(figures)
        if second is not None:
            print_second_reader(second)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
