from __future__ import annotations

from sphinxcontrib_alignsurvey.cli import main

from .conftest import ROOT, SURVEY_A, SURVEY_B


def test_convert_writes_requested_formats(tmp_path, capsys):
    assert main(["convert", str(SURVEY_A), str(SURVEY_B), "--out", str(tmp_path), "--format", "ttl,nt"]) == 0
    assert (tmp_path / "graph.ttl").stat().st_size > 0
    assert (tmp_path / "graph.nt").stat().st_size > 0
    assert not (tmp_path / "graph.jsonld").exists()


def test_convert_refuses_bad_input_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.md"
    bad.write_text("# T\n\n## 1 Intro\n\nText cites [7].\n\n## References\n\n[1] Only one\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(SURVEY_A), str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:5:" in err and "citation-missing-reference" in err
    assert "nothing was written" in err
    assert not out.exists()


def test_convert_rejects_unknown_format(tmp_path, capsys):
    assert main(["convert", str(SURVEY_A), "--out", str(tmp_path), "--format", "ttl,docx"]) == 2
    assert "docx" not in {p.suffix for p in tmp_path.iterdir()}


def test_duplicate_survey_ids_are_an_error(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    copy = tmp_path / "a" / SURVEY_A.name
    copy.write_bytes(SURVEY_A.read_bytes())
    assert main(["convert", str(SURVEY_A), str(copy), "--out", str(tmp_path / "o")]) == 1
    assert "survey-id-duplicate" in capsys.readouterr().err


def test_every_format_in_the_registry_resolves_in_both_rdf_libraries():
    import rdflib.plugin
    from rdflib.parser import Parser

    from sphinxcontrib_alignsurvey.core.formats import BY_SUFFIX

    for fmt in BY_SUFFIX.values():
        assert fmt.oxigraph is not None
        assert rdflib.plugin.get(fmt.rdflib, Parser) is not None


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder\n", encoding="utf-8")
    assert main(["convert", str(SURVEY_A), "--out", str(blocker / "out")]) == 1
    err = capsys.readouterr().err
    assert str(blocker) in err and "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


FOUR = "ttl,nt,jsonld,xml"
MANIFEST = "alignsurvey-manifest.json"


def visible(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_reconverting_removes_our_stale_outputs_and_queries_see_one_conversion(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["convert", str(SURVEY_A), str(SURVEY_B), "--out", str(out), "--format", FOUR]) == 0
    assert main(["convert", str(SURVEY_A), "--out", str(out)]) == 0
    assert visible(out) == ["alignment-survey-1ef323be.bib", MANIFEST, "graph.ttl", "references.bib"]
    capsys.readouterr()
    assert main(["query", "surveys", "--data", str(out), "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert len(rows) == 1 and "alignment-survey-1ef323be" in rows[0]


def test_the_manifest_lists_inputs_and_every_output_with_its_digest(tmp_path, capsys):
    import hashlib
    import json

    out = tmp_path / "out"
    assert main(["convert", str(SURVEY_A), "--out", str(out), "--format", "ttl,nt"]) == 0
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert "0." in manifest["generator"]
    assert manifest["inputs"] == [
        {"name": SURVEY_A.name, "role": "survey", "sha256": hashlib.sha256(SURVEY_A.read_bytes()).hexdigest()}
    ]
    listed = {o["name"]: o for o in manifest["outputs"]}
    assert sorted(listed) == [n for n in visible(out) if n != MANIFEST]
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest()
    assert listed["graph.ttl"]["role"] == "graph" and listed["graph.nt"]["format"] == "nt"
    assert listed["references.bib"]["role"] == "bibtex"


def test_a_foreign_file_with_one_of_our_names_is_refused_unless_forced(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    mine = "@misc{mine, title = {Mine}}\n"
    (out / "references.bib").write_text(mine, encoding="utf-8")
    (out / "notes.txt").write_text("keep\n", encoding="utf-8")
    assert main(["convert", str(SURVEY_A), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert str(out / "references.bib") in err and "--force" in err and "Traceback" not in err
    assert visible(out) == ["notes.txt", "references.bib"]
    assert (out / "references.bib").read_text(encoding="utf-8") == mine
    assert main(["convert", str(SURVEY_A), "--out", str(out), "--force"]) == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep\n"
    assert (out / "references.bib").read_text(encoding="utf-8") != mine


def test_outputs_changed_by_hand_are_neither_overwritten_nor_removed(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["convert", str(SURVEY_A), str(SURVEY_B), "--out", str(out)]) == 0
    edited_bib = out / f"{SURVEY_B.stem}.bib"
    edited_bib.write_text(edited_bib.read_text(encoding="utf-8") + "% my note\n", encoding="utf-8")
    # the per-survey file of B is stale after converting A alone, but it was edited: kept, and said so
    assert main(["convert", str(SURVEY_A), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert edited_bib.read_text(encoding="utf-8").endswith("% my note\n")
    assert str(edited_bib) in err and "changed" in err
    # an edited file that this run would replace: refused
    graph = out / "graph.ttl"
    graph.write_bytes(graph.read_bytes() + b"# my note\n")
    assert main(["convert", str(SURVEY_A), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert str(graph) in err and "changed" in err and "--force" in err
    assert graph.read_bytes().endswith(b"# my note\n")


def test_temporaries_left_by_an_interrupted_run_are_removed_next_time(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["convert", str(SURVEY_A), "--out", str(out)]) == 0
    ours = [".graph.ttl.k3j_x9a2.tmp", ".references.bib.0abc_def.tmp", ".graph.nt.alignsurvey-ab12cd34.tmp"]
    theirs = [".mydraft.tmp", ".graph.ttl.backup", "graph.ttl.tmp", ".notes.k3j_x9a2.tmp"]
    for name in ours + theirs:
        (out / name).write_bytes(b"x" * 1000)
    assert main(["convert", str(SURVEY_A), "--out", str(out)]) == 0
    left = {p.name for p in out.iterdir()}
    assert not left & set(ours)
    assert set(theirs) <= left


def test_a_second_convert_into_a_busy_folder_names_the_holder(tmp_path, capsys):
    import os
    import threading

    from sphinxcontrib_alignsurvey.core.lock import folder_lock

    out = tmp_path / "out"
    out.mkdir()
    with folder_lock(out):
        assert main(["convert", str(SURVEY_A), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert f"pid {os.getpid()}" in err and "--wait" in err
        assert visible(out) == []
        done = []
        waiter = threading.Thread(
            target=lambda: done.append(main(["convert", str(SURVEY_A), "--out", str(out), "--wait", "30"]))
        )
        waiter.start()
        waiter.join(0.5)
        assert waiter.is_alive() and not done  # it waits for the holder
    waiter.join(30)
    assert done == [0]
    assert "graph.ttl" in visible(out)


def test_progress_is_shown_on_request(tmp_path, capsys):
    assert main(["convert", str(SURVEY_A), "--out", str(tmp_path / "a"), "--progress"]) == 0
    err = capsys.readouterr().err
    for step in ("reading", "building", "writing"):
        assert step in err, err
    assert main(["convert", str(SURVEY_A), "--out", str(tmp_path / "b")]) == 0
    err = capsys.readouterr().err
    assert "reading" not in err and "building" not in err


def test_convert_with_an_own_vocabulary_extends_or_replaces_the_bundled_one(tmp_path, capsys):
    example = ROOT / "examples" / "other-field"
    vocabulary = example / "federated-learning.ttl"
    assert main(["convert", str(example), "--vocabulary", str(vocabulary), "--out", str(tmp_path / "x")]) == 0
    assert main(["convert", str(example), "--vocabulary-only", str(vocabulary), "--out", str(tmp_path / "o")]) == 0
    extended = (tmp_path / "x" / "graph.ttl").read_text(encoding="utf-8")
    own = (tmp_path / "o" / "graph.ttl").read_text(encoding="utf-8")
    assert "example.org/federated-learning/client-drift" in extended and "client-drift" in own
    assert "method:rlhf " in extended and "rlhf" not in own


def test_a_wrong_vocabulary_is_a_located_error_and_nothing_is_written(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix align: <https://w3id.org/alignsurvey/ontology#> .\n\n<https://e/x> a align:Method .\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["convert", str(SURVEY_A), "--vocabulary", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3: error: [vocabulary] x has no skos:prefLabel" in err
    assert "nothing was written" in err and "Traceback" not in err
    assert not out.exists()


ALIGN_KEY = "https://w3id.org/alignsurvey/ontology#citationKey"


def test_works_that_introduced_concepts_carry_their_verified_facts(tmp_path):
    """A work a concept names (align:introducedBy, dcterms:source) and no survey cites: its title, year
    and arXiv id from ontology/works-introducing.yaml, and no citation key or class (no .bib file has
    it, and the cited works' queries and cards count cited works only).  Not with another field's
    vocabulary alone."""
    import pyoxigraph as ox

    from sphinxcontrib_alignsurvey.core.namespaces import work_iri
    from sphinxcontrib_alignsurvey.core.works import normalise

    assert main(["convert", str(SURVEY_A), "--out", str(tmp_path / "a")]) == 0
    store = ox.Store()
    store.load(path=str(tmp_path / "a" / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    dpo = work_iri(normalise("Direct Preference Optimization: Your Language Model is Secretly a Reward Model"))
    facts = {(s["p"].value, s["o"].value) for s in store.query(f"SELECT ?p ?o WHERE {{ <{dpo.value}> ?p ?o }}")}
    dcterms = "http://purl.org/dc/terms/"
    assert (
        dcterms + "title",
        "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
    ) in facts
    assert {(dcterms + "identifier", "arXiv:2305.18290"), (dcterms + "issued", "2023")} <= facts
    assert not {p for p, _ in facts} & {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ALIGN_KEY}
    assert store.query(f"ASK {{ ?m <https://w3id.org/alignsurvey/ontology#introducedBy> <{dpo.value}> }}")

    example = ROOT / "examples" / "other-field"
    own = tmp_path / "o"
    assert (
        main(["convert", str(example), "--vocabulary-only", str(example / "federated-learning.ttl"), "--out", str(own)])
        == 0
    )
    assert "arXiv:2305.18290" not in (own / "graph.ttl").read_text(encoding="utf-8")


def test_a_survey_citing_an_introducing_work_gets_its_verified_bibtex(tmp_path) -> None:
    """The record in ontology/works-introducing.yaml serves any survey that cites the work."""
    survey = tmp_path / "s.md"
    survey.write_text(
        "# Preference Optimisation for Language Model Alignment\n\n## 1 Introduction\n\n"
        "Direct preference optimization aligns language models without a reward model [1].\n\n"
        "## References\n\n"
        "[1] Direct Preference Optimization: Your Language Model is Secretly a Reward Model\n",
        encoding="utf-8",
    )
    assert main(["convert", str(survey), "--out", str(tmp_path / "out")]) == 0
    bib = (tmp_path / "out" / "references.bib").read_text(encoding="utf-8")
    assert "eprint = {2305.18290}" in bib and "year = {2023}" in bib
