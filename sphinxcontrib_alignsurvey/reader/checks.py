"""Cross-checks between the prose and the References list.

These are the findings a careful editor would make: citations that point
nowhere, entries nobody cites, numbering that repeats or jumps, one work
listed twice under slightly different titles.
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz import fuzz, process

from ..core.diagnostics import Diagnostic, Severity
from ..core.model import Reference, Section, Sentence
from .references import has_tex
from ..core.works import normalise

NEAR_DUPLICATE = 92.0
MAX_PAIRWISE = 5000


def _d(path: str, line: int, kind: str, message: str, error: bool = False) -> Diagnostic:
    return Diagnostic(path, line, kind, message, Severity.ERROR if error else Severity.WARNING)


def check(
    path: str,
    title: str,
    references_line: int,
    sections: list[Section],
    sentences: list[Sentence],
    references: list[Reference],
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if not title:
        out.append(_d(path, 1, "title-missing", "no document title: the survey must start with a '# Title' heading", True))
    if not references_line:
        out.append(_d(path, 1, "references-missing", "no '## References' section"))
    elif not references:
        out.append(_d(path, references_line, "references-empty", "the References section lists no '[n] Title' entries"))

    by_number: dict[int, Reference] = {}
    for ref in references:
        if ref.number in by_number:
            first = by_number[ref.number]
            out.append(
                _d(path, ref.line, "reference-duplicate-number",
                   f"reference number [{ref.number}] is used twice (first at line {first.line})", True)
            )
            continue
        by_number[ref.number] = ref
        if has_tex(ref.printed):
            out.append(_d(path, ref.line, "tex-remnant", f"reference [{ref.number}] title keeps TeX markup: {ref.printed.strip()!r}"))

    numbers = sorted(by_number)
    if numbers:
        if numbers[0] != 1:
            out.append(_d(path, by_number[numbers[0]].line, "reference-numbering", f"references start at [{numbers[0]}], not [1]"))
        for prev, nxt in zip(numbers, numbers[1:]):
            if nxt != prev + 1:
                out.append(
                    _d(path, by_number[nxt].line, "reference-numbering", f"reference numbers jump from [{prev}] to [{nxt}]")
                )

    cited: Counter[int] = Counter()
    quoted: Counter[int] = Counter()
    for sentence in sentences:
        for citation in sentence.citations:
            missing = [n for n in citation.numbers if n not in by_number]
            for n in citation.numbers:
                cited[n] += 1
            if missing:
                names = ", ".join(f"[{n}]" for n in missing)
                out.append(
                    _d(path, sentence.line, "citation-missing-reference",
                       f"{citation.text} cites {names}, which the References list does not contain", True)
                )
        for work in sentence.quoted:
            if work.reference is None:
                if not _is_section_title(work.text, sections):
                    out.append(
                        _d(path, sentence.line, "quoted-work-missing",
                           f"work quoted by title is not in the References list: {work.text!r}")
                    )
            else:
                quoted[work.reference] += 1

    for number in numbers:
        if not cited[number]:
            ref = by_number[number]
            how = " (only by quoted title)" if quoted[number] else ""
            out.append(_d(path, ref.line, "reference-uncited", f"reference [{number}] is never cited by number{how}"))

    out.extend(_near_duplicates(path, [by_number[n] for n in numbers]))
    return out


def _is_section_title(text: str, sections: list[Section]) -> bool:
    key = normalise(text)
    return any(fuzz.ratio(key, normalise(f"{s.number or ''} {s.title}")) >= 90 or
               fuzz.ratio(key, normalise(s.title)) >= 90 for s in sections)


def _near_duplicates(path: str, refs: list[Reference]) -> list[Diagnostic]:
    """Each reference that repeats an earlier one, named once, against the first it repeats.

    Why once: a list where many entries share a title would otherwise give a
    warning per pair, quadratic in the list's length.
    """
    if len(refs) < 2 or len(refs) > MAX_PAIRWISE:
        return []
    keys = [normalise(r.title) for r in refs]
    out = []
    reported: set[int] = set()
    for i, key in enumerate(keys):
        if i in reported:
            continue  # its own repeats are reported against the earlier entry it repeats
        later = keys[i + 1 :]
        for _, score, k in process.extract(key, later, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE, limit=None):
            j = i + 1 + k
            if j in reported:
                continue
            reported.add(j)
            a, b = refs[i], refs[j]
            same = "the same title" if keys[i] == keys[j] else f"near-identical titles ({score:.0f}%)"
            out.append(
                _d(path, b.line, "reference-near-duplicate",
                   f"references [{a.number}] and [{b.number}] have {same}: {b.title!r}")
            )
    return out
