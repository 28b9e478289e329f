"""``alignsurvey load``: bounded chunks, blank nodes kept whole, progress, and resume after a failure."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from sphinxcontrib_alignsurvey.cli import main
from sphinxcontrib_alignsurvey.core.resources import BUNDLED_GRAPH
from sphinxcontrib_alignsurvey.sparql import loading

TRIPLES = len(list(ox.parse(path=str(BUNDLED_GRAPH), format=ox.RdfFormat.TURTLE)))


def store_server(canned, fail_at: int | None = None):
    """Accept Graph Store uploads; answer HTTP 500 to upload number *fail_at* (1-based) once."""
    state = {"n": 0, "failed": False}

    def answer(request):
        state["n"] += 1
        if state["n"] == fail_at and not state["failed"]:
            state["failed"] = True
            return 500, {"Content-Type": "text/plain"}, b"disk full"
        return 204, {}, b""

    canned.answer = answer
    return state


def uploaded(canned) -> list[bytes]:
    return [r[3] for r in canned.requests if r[0] in ("POST", "PUT")]


def test_each_request_is_bounded_and_together_they_are_the_graph(canned_endpoint, tmp_path, capsys) -> None:
    store_server(canned_endpoint)
    code = main(["load", "--endpoint", canned_endpoint.url, "--chunk", "10000", "--state-dir", str(tmp_path)])
    assert code == 0
    bodies = uploaded(canned_endpoint)
    sizes = [len(list(ox.parse(b, format=ox.RdfFormat.N_TRIPLES))) for b in bodies]
    assert len(bodies) == -(-TRIPLES // 10000) and max(sizes) <= 10000 and sum(sizes) == TRIPLES
    union = {q.triple for b in bodies for q in ox.parse(b, format=ox.RdfFormat.N_TRIPLES)}
    assert union == {q.triple for q in ox.parse(path=str(BUNDLED_GRAPH), format=ox.RdfFormat.TURTLE)}
    assert all(r[2]["Content-Type"] == "application/n-triples" for r in canned_endpoint.requests)
    err = capsys.readouterr().err
    assert "chunk 1: 10,000 triples" in err and f"loaded {TRIPLES:,} triples" in err


def test_a_failed_load_resumes_after_the_last_chunk_done(canned_endpoint, tmp_path, capsys) -> None:
    store_server(canned_endpoint, fail_at=3)
    args = ["load", "--endpoint", canned_endpoint.url, "--chunk", "10000", "--state-dir", str(tmp_path)]
    assert main(args) != 0
    assert "HTTP 500" in capsys.readouterr().err
    first = uploaded(canned_endpoint)
    assert len(first) == 3 and len(list(tmp_path.glob("*.json"))) == 1
    assert main(args) == 0
    assert "resuming: 2 chunk(s) already loaded" in capsys.readouterr().err
    second = uploaded(canned_endpoint)[3:]
    assert second[0] == first[2]  # the failed chunk is sent again, the two done are not
    assert len(first[:2]) + len(second) == -(-TRIPLES // 10000)
    assert not list(tmp_path.glob("*.json"))  # a finished load leaves no state


def test_replace_puts_only_the_first_chunk(canned_endpoint, tmp_path) -> None:
    store_server(canned_endpoint)
    main(["load", "--endpoint", canned_endpoint.url, "--replace", "--chunk", "20000", "--state-dir", str(tmp_path)])
    chunks = -(-TRIPLES // 20000)  # the bundled graph's size decides how many
    assert [r[0] for r in canned_endpoint.requests] == ["PUT"] + ["POST"] * (chunks - 1)


def test_a_blank_node_is_never_split_across_chunks(tmp_path: Path) -> None:
    """Each chunk is its own document, so a blank node's triples must travel together."""
    lines = []
    for i in range(30):
        lines.append(f"<urn:s{i}> <urn:p> _:b{i % 3} .")  # three blank nodes used across the whole file
        lines.append(f'<urn:s{i}> <urn:q> "{i}" .')
    lines += [f'<urn:t{i}> <urn:p> "{i}" .' for i in range(20)]
    path = tmp_path / "g.nt"
    path.write_text("\n".join(lines) + "\n")
    chunks = list(loading.chunks([path], size=7))
    with_blank = [c for c in chunks if any(isinstance(t.object, ox.BlankNode) for t in c)]
    assert len(with_blank) == 1 and sum(map(len, chunks)) == 80
    assert max(len(c) for c in chunks if c not in with_blank) <= 7


def test_userinfo_urls_and_a_missing_endpoint_are_refused(capsys) -> None:
    assert main(["load"]) != 0
    assert "--endpoint" in capsys.readouterr().err
