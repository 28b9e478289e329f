"""The option not taken: an embedding model shipped in its wheel as the off-topic judge.

Why it is here: issue 13 allows a stronger, optional judge "from a package
that ships its weights" if it is measured better.  WordLlama (MIT) ships a
16 MB static embedding (``l2_supercat_256``) and its tokenizer inside the
wheel, so it runs offline; this script scores every labelled reference of the
bundled and the written surveys by how far its title's embedding is from the
survey, and prints how well that separates the works labelled off-topic.
Nothing in the package uses it.

Scores (lower = more off-topic), each as a z-score within its survey:

* ``titles``: cosine of the title with the mean of the other references' titles;
* ``sentences``: cosine of the title with the mean of the survey's sentences
  that do not cite the work.

Printed: ROC AUC over all labelled references, and the recall at the largest
threshold that flags at most 5% of on-topic works.  That threshold is chosen on
the same references it is scored on, so the recall is a best case.

    pip install wordllama && python benchmarks/offtopic_embeddings.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sphinxcontrib_alignsurvey.reader import read_survey  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "citations"
MAX_FALSE = 0.05


def labelled() -> list[tuple[Path, dict[int, str]]]:
    """(survey file, reference number -> topic label) for every survey with reference labels."""
    out = []
    for refs in sorted(DATA.glob("references-*.jsonl")) + sorted(DATA.glob("written*/references-*.jsonl")):
        rows = [json.loads(line) for line in refs.read_text().splitlines() if line.strip()]
        sid = rows[0]["survey"]
        md = refs.parent / f"{sid}.md"
        if not md.exists():
            md = ROOT / "examples" / "surveys" / f"{sid}.md"
        out.append((md, {r["reference"]: r["topic"] for r in rows}))
    return out


def zscores(values: list[float]) -> list[float]:
    a = np.array(values)
    return list((a - a.mean()) / (a.std() or 1.0))


def auc(off: list[float], on: list[float]) -> float:
    """Probability that an off-topic work scores lower than an on-topic one (ties count half)."""
    return float(np.mean([[1.0 if x < y else 0.5 if x == y else 0.0 for y in on] for x in off]))


def recall_at(off: list[float], on: list[float]) -> tuple[float, float]:
    """Recall and false-flag rate at the highest threshold flagging at most MAX_FALSE of *on*."""
    best = (0.0, 0.0)
    for t in sorted(off + on):
        false = sum(y <= t for y in on) / len(on)
        if false > MAX_FALSE:
            break
        best = (sum(x <= t for x in off) / len(off), false)
    return best


def main() -> None:
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        sys.exit("needs WordLlama: pip install wordllama")
    # the tokenizer and weights are in the wheel; pointing the cache there keeps it offline
    model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent)
    scores: dict[str, list[tuple[float, str]]] = {"titles": [], "sentences": []}
    for md, topics in labelled():
        survey = read_survey(md)
        numbers = [r.number for r in survey.references if r.number in topics]
        titles = model.embed([r.title for r in survey.references if r.number in topics], norm=True)
        sentences = model.embed([s.text for s in survey.sentences], norm=True)
        cites = [{n for c in s.citations for n in c.numbers} for s in survey.sentences]
        by_titles, by_sentences = [], []
        for i, n in enumerate(numbers):
            others = np.delete(titles, i, axis=0).mean(axis=0)
            by_titles.append(float(titles[i] @ others / np.linalg.norm(others)))
            rest = sentences[[n not in c for c in cites]].mean(axis=0)
            by_sentences.append(float(titles[i] @ rest / np.linalg.norm(rest)))
        labels = [topics[n] for n in numbers]
        scores["titles"] += zip(zscores(by_titles), labels, strict=True)
        scores["sentences"] += zip(zscores(by_sentences), labels, strict=True)
        print(f"{md.stem}: {len(numbers)} references, {labels.count('off-topic')} off-topic")
    for name, pairs in scores.items():
        off = [x for x, label in pairs if label == "off-topic"]
        on = [x for x, label in pairs if label != "off-topic"]
        recall, false = recall_at(off, on)
        print(
            f"{name:10} AUC {auc(off, on):.3f}; at <= {MAX_FALSE:.0%} false flags (best case): "
            f"recall {recall:.2f} ({round(recall * len(off))}/{len(off)}), false {false:.1%} of {len(on)}"
        )


if __name__ == "__main__":
    main()
