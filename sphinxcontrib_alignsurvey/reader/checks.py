"""Cross-checks between the prose and the References list.

These are the findings a careful editor would make: citations that point
nowhere, entries nobody cites, numbering that repeats or jumps, one work
listed twice under slightly different titles.
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz import fuzz, process

from ..core.diagnostics import Diagnostic, Severity, excerpt
from ..core.model import Reference, Section, Sentence
from ..core.works import normalise
from .fuzzy import Blocker
from .references import has_tex

NEAR_DUPLICATE = 92.0
SECTION_MATCH = 90.0
LISTED = 10  # numbers named in one message; the rest are counted
EXPECTED_SHAPE = "a '## References' heading followed by one line per work: '[1] Title', '[2] Title', ..."


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
        out.append(
            _d(path, 1, "title-missing", "no document title: the survey must start with a '# Title' heading", True)
        )
    # without references no work can be linked or exported: an error, saying what was expected
    if not references_line:
        out.append(_d(path, 1, "references-missing", f"no References section; expected {EXPECTED_SHAPE}", True))
    elif not references:
        out.append(
            _d(
                path,
                references_line,
                "references-empty",
                f"the References section lists no entries that could be read; expected {EXPECTED_SHAPE}",
                True,
            )
        )

    by_number: dict[int, Reference] = {}
    for ref in references:
        if ref.number in by_number:
            first = by_number[ref.number]
            out.append(
                _d(
                    path,
                    ref.line,
                    "reference-duplicate-number",
                    f"reference number [{ref.number}] is used twice (first at line {first.line})",
                    True,
                )
            )
            continue
        by_number[ref.number] = ref
        if ref.title and not normalise(ref.title):
            out.append(
                _d(
                    path,
                    ref.line,
                    "reference-unkeyable",
                    f"reference [{ref.number}] title {excerpt(ref.title)} has no letter or digit to identify "
                    "the work by",
                    True,
                )
            )
        if has_tex(ref.printed):
            out.append(
                _d(
                    path,
                    ref.line,
                    "tex-remnant",
                    f"reference [{ref.number}] title keeps TeX markup: {excerpt(ref.printed.strip())}",
                )
            )

    numbers = sorted(by_number)
    if numbers:
        if numbers[0] != 1:
            out.append(
                _d(
                    path,
                    by_number[numbers[0]].line,
                    "reference-numbering",
                    f"references start at [{numbers[0]}], not [1]",
                )
            )
        for prev, nxt in zip(numbers, numbers[1:]):
            if nxt != prev + 1:
                out.append(
                    _d(
                        path,
                        by_number[nxt].line,
                        "reference-numbering",
                        f"reference numbers jump from [{prev}] to [{nxt}]",
                    )
                )

    cited: Counter[int] = Counter()
    quoted: Counter[int] = Counter()
    section_titles = SectionTitles(sections)
    for sentence in sentences:
        for citation in sentence.citations:
            missing = [n for n in citation.numbers if n not in by_number]
            for n in citation.numbers:
                cited[n] += 1
            if missing:
                names = ", ".join(f"[{n}]" for n in missing[:LISTED])
                if len(missing) > LISTED:
                    names += f" and {len(missing) - LISTED} more"
                hint = " (reference numbers start at 1)" if 0 in missing else ""
                bracket = citation.text if len(citation.text) <= 40 else citation.text[:35] + " ...]"
                out.append(
                    _d(
                        path,
                        sentence.line,
                        "citation-missing-reference",
                        f"{bracket} cites {names}, which the References list does not contain{hint}",
                        True,
                    )
                )
        for work in sentence.quoted:
            if work.reference is None:
                if not section_titles.matches(work.text):
                    out.append(
                        _d(
                            path,
                            sentence.line,
                            "quoted-work-missing",
                            f"work quoted by title is not in the References list: {excerpt(work.text)}",
                        )
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


class SectionTitles:
    """Section titles (with and without their number) as keys, for "is this quote a heading?"."""

    def __init__(self, sections: list[Section]) -> None:
        keys: list[str] = []
        for s in sections:
            keys.append(normalise(f"{s.number or ''} {s.title}"))
            keys.append(normalise(s.title))
        self.keys = dict(enumerate(keys))
        self.blocker = Blocker(keys)
        self.cache: dict[str, bool] = {}

    def matches(self, text: str) -> bool:
        key = normalise(text)
        if key not in self.cache:
            chosen = self.blocker.candidates(key)
            choices = self.keys if chosen is None else {i: self.keys[i] for i in chosen}
            hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=SECTION_MATCH) if choices else None
            self.cache[key] = hit is not None
        return self.cache[key]


def _near_duplicates(path: str, refs: list[Reference]) -> list[Diagnostic]:
    """Each reference that repeats an earlier one, named once, against the first it repeats.

    Why once: a list where many entries share a title would otherwise give a
    warning per pair, quadratic in the list's length.  Comparing every pair
    is itself quadratic, so the comparisons go through a :class:`Blocker`.
    """
    if len(refs) < 2:
        return []
    keys = [normalise(r.title) for r in refs]
    blocker = Blocker(keys)
    copies: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        copies.setdefault(key, []).append(i)
    out = []
    reported: set[int] = set()
    for i, key in enumerate(keys):
        if i in reported or not key:
            continue  # its own repeats are reported against the earlier entry it repeats
        chosen = blocker.candidates(key, cost=len(keys) - i - 1, after=i)
        if chosen is None:
            later = {j: keys[j] for j in range(i + 1, len(keys))}
        else:  # the blocker's few candidates, and every later copy of the same title
            later = {j: keys[j] for j in sorted({*chosen, *(j for j in copies[key] if j > i)})}
        for _, score, j in process.extract(key, later, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE, limit=None):
            if j in reported:
                continue
            reported.add(j)
            a, b = refs[i], refs[j]
            same = "the same title" if keys[i] == keys[j] else f"near-identical titles ({score:.0f}%)"
            out.append(
                _d(
                    path,
                    b.line,
                    "reference-near-duplicate",
                    f"references [{a.number}] and [{b.number}] have {same}: {excerpt(b.title)}",
                )
            )
    return out
