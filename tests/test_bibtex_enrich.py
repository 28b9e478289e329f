"""``alignsurvey enrich`` against answers recorded by hand in each service's documented format.

No test here touches the network: every request goes to a fake that serves the
files in tests/data/enrich/ and fails on any URL it was not given.
"""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from sphinxcontrib_alignsurvey.bibtex.enrich import enrich, write_metadata_bib
from sphinxcontrib_alignsurvey.bibtex.enrich import http as enrich_http
from sphinxcontrib_alignsurvey.bibtex.enrich.http import ServiceError, Transport
from sphinxcontrib_alignsurvey.bibtex.enrich.services import (
    arxiv_title_url,
    crossref_title_url,
    family_given,
    parse_arxiv,
)
from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.works import normalise

from .conftest import DATA

ANSWERS = DATA / "enrich"
TITLE = "Calibrated Refusal  Teaching Assistants When Not to Answer"  # as a survey prints it (lost colon)


class Recorded:
    """A fetch that serves recorded answers by URL and refuses anything else."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, dict[str, str]]] = []

    def __call__(self, url: str, headers: dict[str, str]) -> bytes:
        self.calls.append((url, headers))
        if url not in self.answers:
            raise AssertionError(f"unexpected request: {url}")
        return (ANSWERS / self.answers[url]).read_bytes()


def answers(arxiv: str, crossref: str, title: str = TITLE) -> Recorded:
    return Recorded({arxiv_title_url(title): arxiv, crossref_title_url(title, None): crossref})


def transport(fetch: Recorded, cache: Path | None = None) -> Transport:
    waits: list[float] = []
    t = Transport(cache=cache, fetch=fetch, clock=lambda: 0.0, sleep=waits.append)
    t.waits = waits  # type: ignore[attr-defined]
    return t


def test_arxiv_and_crossref_agree_so_both_are_used() -> None:
    [r] = enrich([(normalise(TITLE), TITLE)], transport(answers("arxiv-found.xml", "crossref-found.json")))
    assert r.preprint and r.preprint.arxiv == "2401.01234" and r.preprint.version == "v2"
    assert r.authors == ("Example, Ada", "van der Testa, Bram", "Sample, Chen")
    assert r.published and r.published.doi == "10.5555/fiction.2025.17"
    assert r.year == 2025  # the venue's year, since the published version has a venue
    assert r.sources()["author"] == "https://arxiv.org/abs/2401.01234 (v2)"
    assert not r.problems


def test_a_crossref_record_by_other_authors_is_refused() -> None:
    [r] = enrich([(normalise(TITLE), TITLE)], transport(answers("arxiv-found.xml", "crossref-other-authors.json")))
    assert r.preprint is not None and r.published is None
    assert r.problems == ["first authors differ (Example, Ada on arXiv, Homonym, Eve at Crossref)"]


def test_a_similar_but_different_title_is_not_a_match() -> None:
    title = "Calibrated Refusal for Language Models"
    [r] = enrich([(normalise(title), title)], transport(answers("arxiv-found.xml", "crossref-found.json", title)))
    assert not r.found


def test_crossref_alone_is_accepted_with_authors_and_a_near_identical_title() -> None:
    [r] = enrich([(normalise(TITLE), TITLE)], transport(answers("arxiv-empty.xml", "crossref-found.json")))
    assert r.preprint is None and r.published is not None
    assert r.published.entrytype == "inproceedings" and r.published.venue.startswith("Proceedings of the Fictional")


def test_arxiv_waits_three_seconds_between_requests_and_the_cache_answers_a_second_run(tmp_path: Path) -> None:
    fetch = answers("arxiv-found.xml", "crossref-found.json")
    other = "Another Title"
    fetch.answers[arxiv_title_url(other)] = "arxiv-empty.xml"
    fetch.answers[crossref_title_url(other, None)] = "crossref-empty.json"
    t = Transport(cache=tmp_path, fetch=fetch)
    clock = [0.0]
    waits: list[float] = []
    t.clock = lambda: clock[0]
    t.sleep = lambda s: (waits.append(s), clock.__setitem__(0, clock[0] + s))
    enrich([(normalise(TITLE), TITLE), (normalise(other), other)], t)
    assert t.requests == 4 and waits == [3.0]  # the second arXiv request waited; Crossref's 1 s had passed
    assert all("sphinxcontrib-alignsurvey" in headers["User-Agent"] for _, headers in fetch.calls)
    again = Transport(cache=tmp_path, fetch=Recorded({}))
    enrich([(normalise(TITLE), TITLE), (normalise(other), other)], again)
    assert again.requests == 0


def test_names_in_display_order_become_family_given() -> None:
    assert family_given("Paul F. Christiano") == "Christiano, Paul F."
    assert family_given("Bram van der Testa") == "van der Testa, Bram"
    assert family_given("Plato") == "Plato"


def test_an_error_feed_is_not_a_candidate_and_garbage_is_a_service_error() -> None:
    assert parse_arxiv((ANSWERS / "arxiv-empty.xml").read_bytes()) == []
    with pytest.raises(ServiceError, match="not an Atom feed"):
        parse_arxiv(b"<html>rate limited")


def test_the_bib_reads_back_through_convert_metadata(tmp_path: Path) -> None:
    [r] = enrich([(normalise(TITLE), TITLE)], transport(answers("arxiv-found.xml", "crossref-found.json")))
    path = tmp_path / "meta.bib"
    assert write_metadata_bib([r], path) == 1
    [entry] = bibtexparser.parse_file(str(path)).entries
    f = entry.fields_dict
    assert entry.key == "example2025calibrated" and entry.entry_type == "inproceedings"
    assert f["eprint"].value == "2401.01234" and f["doi"].value == "10.5555/fiction.2025.17"
    assert "author: https://arxiv.org/abs/2401.01234 (v2)" in f["alignsurvey-source"].value


def test_cli_end_to_end_with_recorded_answers(tmp_path: Path, monkeypatch, capsys) -> None:
    survey = tmp_path / "mine.md"
    survey.write_text(
        "# My Survey\n\n## 1 Intro\n\nRefusal can be calibrated [1]. Nobody knows [2].\n\n"
        f"## References\n\n[1] {TITLE}\n[2] An Invented Work That Does Not Exist\n",
        encoding="utf-8",
    )
    missing = "An Invented Work That Does Not Exist"
    fetch = answers("arxiv-found.xml", "crossref-found.json", TITLE.replace("  ", ": "))  # the reader's clean title
    fetch.answers[arxiv_title_url(missing)] = "arxiv-empty.xml"
    fetch.answers[crossref_title_url(missing, None)] = "crossref-empty.json"
    monkeypatch.setattr(enrich_http, "urllib_fetch", fetch)
    monkeypatch.setattr(enrich_http.time, "sleep", lambda s: None)
    out, report = tmp_path / "meta.bib", tmp_path / "missing.json"
    assert (
        main(["enrich", str(survey), "--out", str(out), "--cache", str(tmp_path / "cache"), "--report", str(report)])
        == 0
    )
    err = capsys.readouterr().err
    assert "1 work(s) resolved, 1 not found" in err and f"not found: {missing}" in err
    assert missing in report.read_text(encoding="utf-8")
    graph = tmp_path / "graph"
    assert main(["convert", str(survey), "--out", str(graph), "--metadata", str(out)]) == 0
    bib = (graph / "references.bib").read_text(encoding="utf-8")
    assert "Example, Ada and van der Testa, Bram and Sample, Chen" in bib and "2401.01234" in bib


def test_a_network_failure_is_a_message_not_a_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    survey = tmp_path / "mine.md"
    survey.write_text(f"# S\n\n## 1 A\n\nText [1].\n\n## References\n\n[1] {TITLE}\n", encoding="utf-8")

    def offline(url: str, headers: dict[str, str]) -> bytes:
        raise ServiceError(f"{url}: network unreachable")

    monkeypatch.setattr(enrich_http, "urllib_fetch", offline)
    assert main(["enrich", str(survey), "--out", str(tmp_path / "m.bib"), "--cache", str(tmp_path / "c")]) == 1
    assert "network unreachable" in capsys.readouterr().err
    assert not (tmp_path / "m.bib").exists()
