"""citation-id-mismatch: a printed arXiv or doi.org address that names another work than its title."""

from __future__ import annotations

import json

from sphinxcontrib_alignsurvey.bibtex.verified import verified_identifiers
from sphinxcontrib_alignsurvey.check import check_surveys
from sphinxcontrib_alignsurvey.check.findings import Kind
from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.works import normalise
from sphinxcontrib_alignsurvey.reader import read_survey

# Titles and ids of bundled works (ontology/works.yaml): 2402.05070 is "A Roadmap to Pluralistic
# Alignment", 2112.00861 "A General Language Assistant as a Laboratory for Alignment".
SURVEY = """# Pluralism and Oversight: A Survey

## 1 Introduction

Pluralistic alignment asks whose values a model serves [1]. A general assistant is a laboratory for
alignment research [2]. Values and alignment are discussed philosophically [3]. Scalable oversight
needs debate [4].

## References

[1] A Roadmap to Pluralistic Alignment https://arxiv.org/abs/2112.00861

[2] A General Language Assistant as a Laboratory for Alignment https://arxiv.org/pdf/2112.00861v3.pdf

[3] Artificial Intelligence, Values and Alignment https://doi.org/10.1007/S11023-020-09539-2

[4] A Roadmap to Pluralistic Alignment https://example.org/roadmap
"""


def _findings(tmp_path, identifiers):
    path = tmp_path / "ids.md"
    path.write_text(SURVEY, encoding="utf-8")
    return [f for f in check_surveys([read_survey(path)], identifiers=identifiers) if f.kind is Kind.ID_MISMATCH]


def test_another_works_arxiv_id_is_flagged_at_the_reference(tmp_path):
    [finding] = _findings(tmp_path, verified_identifiers())
    assert (finding.reference, finding.line) == (1, 11)
    assert "arXiv 2112.00861" in finding.message and "arXiv 2402.05070" in finding.message


def test_same_id_in_another_form_and_other_addresses_are_not_flagged(tmp_path):
    # [2]: /pdf/ with a version; [3]: the DOI in upper case; [4]: not an identifier's address
    assert {f.reference for f in _findings(tmp_path, verified_identifiers())} == {1}


def test_without_identifiers_nothing_is_compared(tmp_path):
    assert _findings(tmp_path, None) == []


def test_the_users_library_wins(tmp_path):
    bib = tmp_path / "mine.bib"
    bib.write_text(
        "@misc{mine, title = {A Roadmap to Pluralistic Alignment}, eprint = {2112.00861}, eprinttype = {arXiv}}\n",
        encoding="utf-8",
    )
    assert verified_identifiers([bib])[normalise("A Roadmap to Pluralistic Alignment")]["arxiv"] == "2112.00861"
    assert _findings(tmp_path, verified_identifiers([bib])) == []


def test_check_command_reports_the_kind(tmp_path, capsys):
    path = tmp_path / "ids.md"
    path.write_text(SURVEY, encoding="utf-8")
    assert main(["check", str(path), "--format", "json"]) == 0  # a warning, not an error
    rows = json.loads(capsys.readouterr().out)
    assert [(r["kind"], r["reference"], r["severity"]) for r in rows if r["kind"] == "citation-id-mismatch"] == [
        ("citation-id-mismatch", 1, "warning")
    ]


def test_convert_records_the_finding_and_the_graph_validates(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ids.md").write_text(SURVEY, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(tmp_path / "in"), "--out", str(out), "--format", "nt"]) == 0
    kinds = [line for line in (out / "graph.nt").read_text(encoding="utf-8").splitlines() if "findingKind" in line]
    mismatch = [line for line in kinds if '"citation-id-mismatch"' in line]
    assert len(mismatch) == 1 and "/reference/1/finding/citation-id-mismatch>" in mismatch[0]
    assert main(["validate", str(out)]) == 0  # the shapes know the kind
    # the verified identifier is the one exported
    bib = (out / "references.bib").read_text(encoding="utf-8")
    assert "2402.05070" in bib
